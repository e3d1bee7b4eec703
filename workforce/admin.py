"""Admin: workforce imports and indicator links. Reports appear only to leads
(superusers included only when they are leads), read-only and without their
free text: casework happens on the leads' pages, where every view is recorded."""

from django.contrib import admin

from arp.roles import user_can
from workforce.models import IndicatorLink, Report, WorkforceBatch, WorkforceFigure


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("reference", "received_on", "source", "status", "outcome")
    list_filter = ("status", "source", "outcome", "is_demo")
    fields = (
        "reference", "involvement", "source", "occurred_month", "received_on",
        "acknowledge_by", "acknowledged_on", "status", "assigned_to",
        "escalated_to", "reporter_agreement", "outcome", "closed_on", "purged_on",
        "is_demo",
    )  # fmt: skip
    readonly_fields = fields

    def _lead(self, request):
        return user_can(request.user, "workforce.reports")

    def has_module_permission(self, request):
        return self._lead(request)

    def has_view_permission(self, request, obj=None):
        return self._lead(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkforceBatch)
class WorkforceBatchAdmin(admin.ModelAdmin):
    list_display = ("file_name", "imported_at", "imported_by", "rows", "is_demo")
    readonly_fields = ("file_name", "imported_at", "imported_by", "rows", "is_demo")


@admin.register(WorkforceFigure)
class WorkforceFigureAdmin(admin.ModelAdmin):
    list_display = ("period", "measure", "ethnicity", "count", "base")
    list_filter = ("period", "measure")

    def has_change_permission(self, request, obj=None):
        return False  # change figures by importing a corrected file


@admin.register(IndicatorLink)
class IndicatorLinkAdmin(admin.ModelAdmin):
    list_display = ("measure", "aspiration_number", "enabled")
