from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programme.tools.models import Tool, ToolAudience, ToolDownloadMonth, ToolVersion


class AudienceInline(admin.TabularInline):
    model = ToolAudience
    extra = 0


class VersionInline(admin.TabularInline):
    """Versions are kept as they were: add new ones in the library, not here."""

    model = ToolVersion
    extra = 0
    fields = ("number", "file", "link", "released_on", "change_note", "created_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Tool)
class ToolAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "authored_by", "published_at")
    list_filter = ("kind", "audience_rows__audience", "aspirations")
    search_fields = ("title", "description", "authored_by")
    filter_horizontal = ("aspirations",)
    raw_id_fields = ("created_by", "published_by", "achievement")
    inlines = [AudienceInline, VersionInline]


@admin.register(ToolDownloadMonth)
class ToolDownloadMonthAdmin(admin.ModelAdmin):
    list_display = ("tool", "month", "downloads")
    list_filter = ("month",)
    list_select_related = ("tool",)
    readonly_fields = ("tool", "month", "downloads")

    def has_add_permission(self, request):
        return False
