"""The workforce dashboard, its CSV and API, and the import page.

Every figure here has passed disclosure control (``WORKFORCE_MIN_COUNT``); the
report aggregates hide counts of 1 to 4 as the children's figures do.
"""

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from arp.roles import role_required
from programme.exports import csv_response
from workforce import charts, importer, selectors, services
from workforce.forms import PeriodForm, WorkforceUploadForm
from workforce.models import WorkforceBatch

CSV_COLUMNS = (
    "measure",
    "group_code",
    "count",
    "base",
    "rate",
    "relative_likelihood",
    "ci_low",
    "ci_high",
    "suppressed",
)


def _period(request):
    periods = [p for p, _end in selectors.periods()]
    form = PeriodForm(request.GET, periods=periods)
    if not form.is_valid():
        return None, form.errors["period"][0], periods
    return form.cleaned_data["period"], None, periods


@role_required("workforce.view")
def dashboard(request):
    period, error, periods = _period(request)
    tables = selectors.measure_tables(period=period, with_trend=True) if period else []
    columns, representation, population_note = (
        selectors.representation(period=period) if period else ([], [], "")
    )
    return render(
        request,
        "workforce/dashboard.html",
        {
            "period": period,
            "periods": periods,
            "error": error,
            "tables": [(t, charts.to_json(charts.rates(t))) for t in tables],
            "rep_columns": columns,
            "representation": representation,
            "population_note": population_note,
            "quarters": selectors.quarterly_summary(),
            "min_count": selectors.min_count(),
            "is_demo": selectors.is_demo_data(),
        },
        status=400 if error else 200,
    )


def _rows(request):
    period, error, _periods = _period(request)
    if error:
        return None, error
    if period is None:
        return [], None
    measure = request.GET.get("measure", "")
    rows = [
        row.as_dict()
        for table in selectors.measure_tables(period=period)
        if not measure or table.measure.code == measure
        for row in table.rows
    ]
    return rows, None


@role_required("workforce.view")
def api_measures(request):
    rows, error = _rows(request)
    if error:
        return JsonResponse({"error": error}, status=400)
    return JsonResponse({"period": request.GET.get("period") or None, "rows": rows})


@role_required("workforce.view")
def measures_csv(request):
    rows, error = _rows(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain")
    return csv_response(
        list(CSV_COLUMNS),
        [[row[c] for c in CSV_COLUMNS] for row in rows],
        filename="workforce-measures",
    )


@role_required("workforce.view")
def reports_summary_csv(request):
    header = ["quarter", "received", "closed", "median_days_to_acknowledge",
              "median_days_to_resolve", "agreed_percent"]  # fmt: skip
    rows = []
    for q in selectors.quarterly_summary():
        rows.append(
            [q.quarter, *(("suppressed" if v is None else v) for v in (
                q.received, q.closed, q.median_days_to_acknowledge,
                q.median_days_to_resolve, q.agreed_percent))]
        )  # fmt: skip
    return csv_response(header, rows, filename="staff-reports-by-quarter")


@role_required("workforce.import")
def imports(request):
    form = WorkforceUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.workforce_import(
                content=upload.read(), file_name=upload.name, user=request.user
            )
        except importer.ImportProblem as problem:
            errors = problem.errors[: importer.MAX_ERRORS]
            more = len(problem.errors) - len(errors)
            if more:
                errors.append(f"… and {more} more problem(s).")
        else:
            messages.success(request, f"Imported {batch.rows} row(s).")
            return redirect("workforce:imports")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workforce/imports.html",
        {
            "form": form,
            "errors": errors,
            "batches": WorkforceBatch.objects.select_related("imported_by")[:20],
        },
        status=status,
    )


@role_required("workforce.import")
def template_csv(request):
    response = HttpResponse(importer.template_csv(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="workforce-template.csv"'
    return response


@role_required("workforce.import")
def template_xlsx(request):
    response = HttpResponse(
        importer.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="workforce-template.xlsx"'
    return response
