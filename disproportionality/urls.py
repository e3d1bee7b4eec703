from django.urls import path

from disproportionality import views

app_name = "disproportionality"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
