from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from arp import views

admin.site.site_header = "ARP tracker administration"
admin.site.site_title = "ARP tracker"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("programme/", include("programme.urls")),
    path("learning-spaces/", include("learning_spaces.urls")),
    path("disproportionality/", include("disproportionality.urls")),
    path("workforce/", include("workforce.urls")),
    path("board/", include("arp.board.urls")),
]

handler403 = "arp.views.permission_denied"
handler404 = "arp.views.page_not_found"
handler500 = "arp.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
