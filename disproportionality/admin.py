"""Django admin for disproportionality data.

Figures and populations arrive only through the validated, all-or-nothing
imports, so the admin shows them read-only; label mappings and local areas
are editable (they also have their own pages in the app).
"""

from django.contrib import admin

from disproportionality.models import (
    Area,
    EthnicGroup,
    EthnicityCount,
    ImportBatch,
    LabelMapping,
    Population,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EthnicGroup)
class EthnicGroupAdmin(ReadOnlyAdmin):
    list_display = ("code", "label", "major_code", "order")
    list_filter = ("major_code",)
    ordering = ("order",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(LabelMapping)
class LabelMappingAdmin(admin.ModelAdmin):
    list_display = ("label", "source", "group")
    list_filter = ("source", "group__major_code")
    search_fields = ("label",)


@admin.register(EthnicityCount)
class EthnicityCountAdmin(ReadOnlyAdmin):
    list_display = ("area", "period", "stage", "group", "count", "suppressed", "marker")
    list_filter = ("stage", "suppressed", "area__level", "period")
    search_fields = ("area__code", "area__name")
    list_select_related = ("area", "group")


@admin.register(Population)
class PopulationAdmin(ReadOnlyAdmin):
    list_display = ("area", "year", "source", "age_band", "group", "population")
    list_filter = ("year", "source", "age_band")
    search_fields = ("area__code", "area__name")
    list_select_related = ("area", "group")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "file_name",
        "kind",
        "format_detected",
        "status",
        "rows_read",
        "rows_created",
        "rows_updated",
        "suppressed_cells",
        "uploaded_by",
    )
    list_filter = ("kind", "status", "format_detected", "is_demo")
    search_fields = ("file_name", "sha256")
    date_hierarchy = "created_at"
