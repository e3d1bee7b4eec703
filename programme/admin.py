from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programme.models import (
    Achievement,
    Action,
    ActionStatusChange,
    Aspiration,
    Indicator,
    IndicatorReading,
    LessonLearnt,
    Meeting,
    Testimonial,
    TrainingEvent,
    WorkforceHeadcount,
    Workstream,
)


@admin.register(Aspiration)
class AspirationAdmin(SimpleHistoryAdmin):
    list_display = ("number", "short_title", "title")
    search_fields = ("title", "short_title", "description")


@admin.register(Workstream)
class WorkstreamAdmin(admin.ModelAdmin):
    list_display = ("name", "lead")
    search_fields = ("name", "description")
    list_select_related = ("lead",)


class ReadingInline(admin.TabularInline):
    model = IndicatorReading
    extra = 0
    fields = ("taken_on", "value", "note", "entered_by")
    raw_id_fields = ("entered_by",)


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "key",
        "aspiration",
        "unit",
        "higher_is_better",
        "target_value",
        "target_date",
    )
    list_filter = ("aspiration", "unit", "higher_is_better")
    search_fields = ("name", "key", "data_source")
    list_select_related = ("aspiration",)
    inlines = [ReadingInline]


@admin.register(IndicatorReading)
class IndicatorReadingAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "taken_on", "value", "entered_by")
    list_filter = ("indicator__aspiration", "indicator")
    search_fields = ("indicator__name", "note")
    date_hierarchy = "taken_on"
    list_select_related = ("indicator", "entered_by")
    raw_id_fields = ("entered_by",)


@admin.register(Achievement)
class AchievementAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "achieved_on",
        "reach",
        "status",
        "workstream",
        "created_by",
    )
    list_filter = ("status", "reach", "workstream", "aspirations")
    search_fields = ("title", "summary")
    date_hierarchy = "achieved_on"
    list_select_related = ("workstream", "created_by")
    filter_horizontal = ("aspirations",)
    raw_id_fields = ("created_by", "published_by")


class StatusChangeInline(admin.TabularInline):
    model = ActionStatusChange
    extra = 0
    readonly_fields = (
        "from_status",
        "to_status",
        "reason",
        "corrective_action",
        "changed_by",
        "changed_at",
    )
    can_delete = False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "aspiration", "owner", "due_on", "status")
    list_filter = ("status", "aspiration")
    search_fields = ("title", "description")
    date_hierarchy = "due_on"
    list_select_related = ("aspiration", "owner")
    inlines = [StatusChangeInline]


@admin.register(ActionStatusChange)
class ActionStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("action", "from_status", "to_status", "changed_by", "changed_at")
    list_filter = ("to_status",)
    search_fields = ("action__title", "reason")
    list_select_related = ("action", "changed_by")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("held_on", "kind", "title")
    list_filter = ("kind",)
    search_fields = ("title", "decisions", "attendees")
    filter_horizontal = ("actions",)


@admin.register(LessonLearnt)
class LessonLearntAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "theme", "recorded_on")
    list_filter = ("kind", "theme")
    search_fields = ("title", "description")
    filter_horizontal = ("actions",)


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "source_type",
        "quoted_on",
        "consent_recorded",
        "published",
    )
    list_filter = ("source_type", "published", "consent_recorded")
    search_fields = ("quote", "source_detail")


@admin.register(TrainingEvent)
class TrainingEventAdmin(admin.ModelAdmin):
    list_display = ("course", "held_on", "audience", "attended")
    search_fields = ("course", "audience")
    date_hierarchy = "held_on"


@admin.register(WorkforceHeadcount)
class WorkforceHeadcountAdmin(admin.ModelAdmin):
    list_display = ("team", "quadrant", "headcount", "as_of")
    list_filter = ("quadrant",)
    search_fields = ("team",)


import programme.tools.admin  # noqa: E402, F401  (registers the library's models)
