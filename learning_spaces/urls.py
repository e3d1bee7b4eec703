from django.urls import path

from learning_spaces import views
from learning_spaces.children import views as children
from learning_spaces.self_evaluation import views as self_evaluation

app_name = "learning_spaces"

urlpatterns = [
    path("", views.index, name="index"),
    path("insights/", views.insights, name="insights"),
    path(
        "insights/responses.csv",
        views.insights_export_csv,
        name="insights_export_csv",
    ),
    path(
        "insights/responses.xlsx",
        views.insights_export_xlsx,
        name="insights_export_xlsx",
    ),
    path("spaces/", views.space_list, name="space_list"),
    path("spaces/new/", views.space_create, name="space_create"),
    path("spaces/<int:pk>/", views.space_detail, name="space_detail"),
    path("spaces/<int:pk>/edit/", views.space_edit, name="space_edit"),
    path("spaces/<int:pk>/schedule/", views.space_schedule, name="space_schedule"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/held/", views.session_mark_held, name="session_mark_held"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/session.ics", views.session_ics, name="session_ics"),
    path("sessions/<int:pk>/qr.svg", views.session_qr_svg, name="session_qr_svg"),
    path("sessions/<int:pk>/qr.png", views.session_qr_png, name="session_qr_png"),
    path(
        "sessions/<int:pk>/responses.csv",
        views.session_responses_csv,
        name="session_responses_csv",
    ),
    path(
        "sessions/<int:pk>/responses.xlsx",
        views.session_responses_xlsx,
        name="session_responses_xlsx",
    ),
    path("review/", views.review_queue, name="review_queue"),
    path("responses/<str:reference>/", views.response_detail, name="response_detail"),
    path(
        "responses/<str:reference>/review/",
        views.response_review,
        name="response_review",
    ),
    path(
        "responses/<str:reference>/promote/",
        views.response_promote,
        name="response_promote",
    ),
    path(
        "self-evaluation/",
        self_evaluation.self_evaluation_index,
        name="self_evaluation",
    ),
    path(
        "self-evaluation/new/",
        self_evaluation.self_evaluation_answer,
        name="self_evaluation_new",
    ),
    path(
        "self-evaluation/export.csv",
        self_evaluation.self_evaluation_export,
        name="self_evaluation_export",
    ),
    path(
        "self-evaluation/summary/",
        self_evaluation.self_evaluation_summary,
        name="self_evaluation_summary",
    ),
    path(
        "sessions/<int:pk>/children/",
        children.session_child_responses,
        name="session_child_responses",
    ),
    path(
        "proud-to-be-me/",
        children.proud_to_be_me_insights,
        name="proud_to_be_me_insights",
    ),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
    path("feedback/<str:token>/thanks/", views.feedback_thanks, name="feedback_thanks"),
]
