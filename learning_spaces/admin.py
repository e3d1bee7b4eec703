from django.contrib import admin

from learning_spaces.forms import FeedbackForm
from learning_spaces.models import FeedbackResponse, LearningSession, Space, Theme


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ("name", "audience", "cadence_weeks", "active")
    list_filter = ("audience", "active")
    search_fields = ("name", "description")
    filter_horizontal = ("facilitators",)


@admin.register(LearningSession)
class LearningSessionAdmin(admin.ModelAdmin):
    list_display = ("space", "starts_at", "topic", "status", "attendance")
    list_filter = (
        "status",
        "space",
        "space__audience",
        ("starts_at", admin.DateFieldListFilter),
    )
    search_fields = ("topic", "venue", "space__name")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("facilitator",)
    readonly_fields = ("feedback_token", "reminder_sent_at", "feedback_link_sent_at")


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)
    search_fields = ("name", "keywords")


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "session",
        "submitted_on",
        "rating",
        "confidence_before",
        "confidence_now",
        "consent_to_quote",
    )
    list_filter = (
        "consent_to_quote",
        "rating",
        "role",
        "session__space",
        "themes",
        ("themes_reviewed_at", admin.EmptyFieldListFilter),
        "submitted_on",
    )
    search_fields = ("gained_most", "do_differently", "could_be_better")
    filter_horizontal = ("themes",)
    list_select_related = ("session__space",)
    # Answers are what people said: staff may theme them, not rewrite them.
    readonly_fields = (
        "session",
        *FeedbackForm.ANSWER_FIELDS,
        "submitted_on",
        "suggested_themes",
        "testimonial",
    )
    exclude = ("form_token",)

    def has_add_permission(self, request):
        return False
