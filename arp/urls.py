from django.contrib import admin
from django.urls import include, path

from arp import accounts, views

admin.site.site_header = "ARP tracker administration"
admin.site.site_title = "ARP tracker"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # before Django's own, to add rate limits per address and account
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
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

# /media/ is never served as files, in any mode: evidence goes only through
# the access-checked programme view.
