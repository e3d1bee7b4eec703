from django.urls import path

from workforce.views import figures, public, reports

app_name = "workforce"

urlpatterns = [
    path("", figures.dashboard, name="dashboard"),
    path("report/", public.report, name="report"),
    path("report/follow-up/", public.follow_up, name="follow_up"),
    path("report/follow-up/reply/", public.follow_up_reply, name="follow_up_reply"),
    path(
        "report/follow-up/respond/", public.follow_up_respond, name="follow_up_respond"
    ),
    path("report/follow-up/leave/", public.follow_up_leave, name="follow_up_leave"),
    path("reports/", reports.report_list, name="reports"),
    path(
        "reports/summary.csv", figures.reports_summary_csv, name="reports_summary_csv"
    ),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path(
        "reports/<int:pk>/acknowledge/",
        reports.report_acknowledge,
        name="report_acknowledge",
    ),
    path("reports/<int:pk>/assign/", reports.report_assign, name="report_assign"),
    path("reports/<int:pk>/note/", reports.report_note, name="report_note"),
    path("reports/<int:pk>/escalate/", reports.report_escalate, name="report_escalate"),
    path("reports/<int:pk>/propose/", reports.report_propose, name="report_propose"),
    path("reports/<int:pk>/close/", reports.report_close, name="report_close"),
    path("api/measures/", figures.api_measures, name="api_measures"),
    path("measures.csv", figures.measures_csv, name="measures_csv"),
    path("imports/", figures.imports, name="imports"),
    path("imports/template.csv", figures.template_csv, name="template_csv"),
    path("imports/template.xlsx", figures.template_xlsx, name="template_xlsx"),
]
