from django.urls import path

from programme import views

app_name = "programme"

urlpatterns = [
    path("", views.overview, name="overview"),
]
