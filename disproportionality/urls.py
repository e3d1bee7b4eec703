from django.urls import path

from disproportionality import views

app_name = "disproportionality"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("methodology/", views.methodology, name="methodology"),
    path("download/<slug:chart>.csv", views.chart_csv, name="chart_csv"),
    path("api/metrics/", views.api_metrics, name="api_metrics"),
    path("metrics.csv", views.metrics_csv, name="metrics_csv"),
    path("league/", views.league_page, name="league"),
    path("league.csv", views.league_csv, name="league_csv"),
    path("api/league/", views.api_league, name="api_league"),
    path("unsuppressed/", views.unsuppressed, name="unsuppressed"),
    path("imports/", views.imports, name="imports"),
    path("imports/template.csv", views.template_csv, name="template_csv"),
    path("imports/template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import_status"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("mappings/", views.mappings, name="mappings"),
    path("mappings/<int:pk>/delete/", views.mapping_delete, name="mapping_delete"),
    path("areas/", views.areas, name="areas"),
]
