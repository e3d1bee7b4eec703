from django.urls import path

from learning_spaces import views

app_name = "learning_spaces"

urlpatterns = [
    path("", views.index, name="index"),
    path("insights/", views.insights, name="insights"),
]
