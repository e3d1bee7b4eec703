from django.urls import path

from arp.board import views

app_name = "board"

urlpatterns = [
    path("", views.board_page, name="page"),
    path("pack.pdf", views.pack_pdf, name="pack_pdf"),
    path("pack.xlsx", views.pack_xlsx, name="pack_xlsx"),
    path("meetings/<int:pk>/pack/", views.pack_store, name="pack_store"),
]
