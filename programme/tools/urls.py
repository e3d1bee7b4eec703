"""The library's URLs; ``programme.urls`` adds them to the programme namespace."""

from django.urls import path

from programme.tools import views

urlpatterns = [
    path("tools/", views.tool_list, name="tool_list"),
    path("tools/new/", views.tool_create, name="tool_create"),
    path("tools/usage/", views.tool_usage, name="tool_usage"),
    path("tools/<int:pk>/", views.tool_detail, name="tool_detail"),
    path("tools/<int:pk>/edit/", views.tool_edit, name="tool_edit"),
    path("tools/<int:pk>/open/", views.tool_open, name="tool_open"),
    path(
        "tools/<int:pk>/versions/new/",
        views.tool_version_create,
        name="tool_version_create",
    ),
    path("tools/<int:pk>/publish/", views.tool_publish, name="tool_publish"),
    path("tools/<int:pk>/withdraw/", views.tool_withdraw, name="tool_withdraw"),
    path(
        "tools/versions/<int:pk>/download/",
        views.tool_version_download,
        name="tool_version_download",
    ),
]
