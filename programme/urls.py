from django.urls import path

from programme.tools.urls import urlpatterns as tool_urlpatterns
from programme.views import achievements, actions, governance, indicators, overview

app_name = "programme"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("summary/", overview.summary, name="summary"),
    # Achievements
    path("achievements/", achievements.achievement_list, name="achievement_list"),
    path(
        "achievements.csv",
        achievements.achievement_export,
        {"fmt": "csv"},
        name="achievement_csv",
    ),
    path(
        "achievements.xlsx",
        achievements.achievement_export,
        {"fmt": "xlsx"},
        name="achievement_xlsx",
    ),
    path(
        "achievements/new/", achievements.achievement_create, name="achievement_create"
    ),
    path(
        "achievements/snapshot/",
        achievements.achievement_snapshot,
        name="achievement_snapshot",
    ),
    path(
        "achievements/<int:pk>/",
        achievements.achievement_detail,
        name="achievement_detail",
    ),
    path(
        "achievements/<int:pk>/edit/",
        achievements.achievement_edit,
        name="achievement_edit",
    ),
    path(
        "achievements/<int:pk>/submit/",
        achievements.achievement_submit,
        name="achievement_submit",
    ),
    path(
        "achievements/<int:pk>/publish/",
        achievements.achievement_publish,
        name="achievement_publish",
    ),
    path(
        "achievements/<int:pk>/return/",
        achievements.achievement_return,
        name="achievement_return",
    ),
    path(
        "achievements/<int:pk>/evidence/",
        achievements.achievement_evidence,
        name="achievement_evidence",
    ),
    # Actions
    path("actions/", actions.action_list, name="action_list"),
    path("actions.csv", actions.action_export, {"fmt": "csv"}, name="action_csv"),
    path("actions.xlsx", actions.action_export, {"fmt": "xlsx"}, name="action_xlsx"),
    path("actions/mine/", actions.my_actions, name="my_actions"),
    path("actions/new/", actions.action_create, name="action_create"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/status/", actions.action_status, name="action_status"),
    # Indicators
    path("indicators/", indicators.indicator_list, name="indicator_list"),
    path("indicators/new/", indicators.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", indicators.indicator_edit, name="indicator_edit"),
    path(
        "indicators/<int:pk>/readings/new/",
        indicators.reading_create,
        name="reading_create",
    ),
    # Governance registers
    path("meetings/", governance.meeting_list, name="meeting_list"),
    path("meetings/new/", governance.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", governance.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", governance.meeting_edit, name="meeting_edit"),
    path("lessons/", governance.lesson_list, name="lesson_list"),
    path("lessons/new/", governance.lesson_create, name="lesson_create"),
    path("lessons/<int:pk>/", governance.lesson_detail, name="lesson_detail"),
    path("lessons/<int:pk>/edit/", governance.lesson_edit, name="lesson_edit"),
    path("training/", governance.training, name="training"),
    path(
        "training/events/new/",
        governance.training_event_create,
        name="training_event_create",
    ),
    path(
        "training/headcount/new/", governance.headcount_create, name="headcount_create"
    ),
    path("training/record/", governance.training_record, name="training_record"),
    path("testimonials/", governance.testimonial_list, name="testimonial_list"),
    path("testimonials/new/", governance.testimonial_create, name="testimonial_create"),
    path(
        "testimonials/<int:pk>/",
        governance.testimonial_detail,
        name="testimonial_detail",
    ),
    path(
        "testimonials/<int:pk>/edit/",
        governance.testimonial_edit,
        name="testimonial_edit",
    ),
    # Practice tools library
    *tool_urlpatterns,
]
