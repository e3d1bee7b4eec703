from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from arp import exports
from arp.roles import role_required, user_can
from disproportionality import (
    charts,
    comparators,
    funnel,
    recording_selectors,
    selectors,
    services,
    templates_io,
)
from disproportionality import dashboard as board_builder
from disproportionality import league as league_builder
from disproportionality.dashboard import BadParameter, parse_params
from disproportionality.forms import (
    LabelMappingForm,
    LeagueForm,
    LocalAreaForm,
    UploadForm,
)
from disproportionality.models import Area, ImportBatch, LabelMapping, Stage

CSV_TYPE = "text/csv; charset=utf-8"
# Entries are keyed by the data version, so they never go stale; the timeout
# only bounds how long unused ones take up room.
CACHE_SECONDS = 6 * 60 * 60
REFERENCE_CHOICES = (
    ("WBRI", "White British"),
    ("WHITE", "All White"),
    ("OTHERS", "All other children"),
)


def _csv_response(filename: str, columns, rows) -> HttpResponse:
    return exports.download(
        columns,
        ([row.get(c) for c in columns] for row in rows),
        kind="csv",
        filename=filename.removesuffix(".csv"),
        bom=False,
    )


def _render_board(request, template, *, controlled):
    try:
        params = parse_params(request.GET)
        board = board_builder.build(params, controlled=controlled)
    except BadParameter as exc:
        return render(request, template, {"error": str(exc), "board": None}, status=400)
    context = {
        "board": board,
        "query": request.GET.urlencode(),
        "stages": Stage.choices,
        "references": REFERENCE_CHOICES,
    }
    return render(request, template, context)


@role_required("disproportionality.view")
def dashboard(request):
    """The board's page. Its body is cached whole, keyed by the controls, the
    one user-dependent link and the data version, so a hit costs one query."""
    template = "disproportionality/dashboard.html"
    try:
        params = parse_params(request.GET)
    except BadParameter as exc:
        return render(request, template, {"error": str(exc)}, status=400)
    query = params.as_query()
    show_link = user_can(request.user, "disproportionality.unsuppressed")
    show_import = user_can(request.user, "disproportionality.import")
    key = selectors.cache_key(
        "board",
        selectors.data_version(),
        query,
        show_link,
        show_import,
        recording_selectors.caveat_threshold(),
    )
    board_html = cache.get(key)
    if board_html is None:
        try:
            board = board_builder.build(params, controlled=True)
        except BadParameter as exc:
            return render(request, template, {"error": str(exc)}, status=400)
        board_html = render_to_string(
            "disproportionality/_board.html",
            {
                "board": board,
                "query": query,
                "show_unsuppressed_link": show_link,
                "show_import_link": show_import,
                "stages": Stage.choices,
                "references": REFERENCE_CHOICES,
            },
        )
        cache.set(key, board_html, CACHE_SECONDS)
    return render(request, template, {"board_html": board_html})


@role_required("disproportionality.unsuppressed")
def unsuppressed(request):
    return _render_board(
        request, "disproportionality/unsuppressed.html", controlled=False
    )


@role_required("disproportionality.view")
def methodology(request):
    return render(
        request,
        "disproportionality/methodology.html",
        {
            "disclosure_max_hidden": settings.DISCLOSURE_MIN_COUNT - 1,
            "unknown_caveat_percent": settings.ETHNICITY_UNKNOWN_CAVEAT_PERCENT,
        },
    )


@role_required("disproportionality.view")
def chart_csv(request, chart):
    try:
        board = board_builder.build(parse_params(request.GET))
        rows = board_builder.chart_table(board, chart)
    except BadParameter as exc:
        return JsonResponse({"error": str(exc), "parameter": exc.name}, status=400)
    columns = board_builder.TABLE_COLUMNS[chart]
    if chart == "journey":  # only the stages with figures
        columns = (*columns[:3], *board.journey_stages)
    return _csv_response(f"disproportionality-{chart}.csv", columns, rows)


def _metrics_or_error(request):
    """The API / CSV table as a dict (cached by parameters and data version)."""
    try:
        params = parse_params(request.GET)
    except BadParameter as exc:
        return None, JsonResponse(
            {"error": str(exc), "parameter": exc.name}, status=400
        )
    comparator = params.comparator if "comparator" in request.GET else None
    parts = (params.area, params.period, params.stage, params.level, params.reference)
    parts += (params.base, comparator, params.population, params.uasc)
    parts += (recording_selectors.caveat_threshold(),)  # the caveat's setting
    key = selectors.cache_key("metrics", selectors.data_version(), *parts)
    data = cache.get(key)
    if data is not None:
        return data, None
    try:
        period = params.period or selectors.latest_period(params.area)
        if period is None:
            raise selectors.NotFound(f"No figures for area {params.area}.")
        table = selectors.metrics_table(
            area_code=params.area,
            period=period,
            stage=params.stage,
            level=params.level,
            reference=params.reference,
            base=params.base,
            population=params.population,
            uasc=params.uasc,
        )
        data = table.as_dict()
        if comparator is not None:
            data["comparator"] = comparators.comparator_for(
                area=table.area,
                choice=comparator,
                period=period,
                stage=params.stage,
                level=params.level,
                reference=params.reference,
            ).as_dict()
    except selectors.NotFound as exc:
        return None, JsonResponse({"error": str(exc)}, status=404)
    cache.set(key, data, CACHE_SECONDS)
    return data, None


@role_required("disproportionality.view")
def api_metrics(request):
    data, error = _metrics_or_error(request)
    return error or JsonResponse(data)


@role_required("disproportionality.view")
def metrics_csv(request):
    data, error = _metrics_or_error(request)
    if error:
        return error
    name = f"disproportionality-{data['area']}-{data['period']}-{data['stage']}.csv"
    columns, rows = recording_selectors.metrics_csv_table(data, selectors.API_FIELDS)
    return _csv_response(name, columns, rows)


# --- imports (Programme admins) ----------------------------------------------


@role_required("disproportionality.import")
def imports(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = services.import_upload_create(
            uploaded_file=data["file"],
            kind=data["kind"],
            uploaded_by=request.user,
            stage=(
                "CLA_UASC" if data.get("cohort") == "uasc" else data.get("stage") or ""
            ),
            period=data.get("period") or "",
            year=data.get("year"),
            age_band=data.get("age_band") or "",
            source=data.get("source") or "",
        )
        return redirect("disproportionality:import_detail", pk=batch.pk)
    batches = ImportBatch.objects.select_related("uploaded_by")[:25]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "disproportionality/imports.html",
        {"form": form, "batches": batches},
        status=status,
    )


@role_required("disproportionality.import")
def import_detail(request, pk):
    batch = selectors.get_import_batch_for_user(user=request.user, pk=pk)
    return render(request, "disproportionality/import_detail.html", {"batch": batch})


@role_required("disproportionality.import")
@require_POST
def import_retry(request, pk):
    batch = selectors.get_import_batch_for_user(
        user=request.user, pk=pk, for_change=True
    )
    try:
        retry = services.import_batch_retry(batch=batch, user=request.user)
    except services.DisproportionalityError as exc:
        messages.error(request, str(exc))
        return redirect("disproportionality:import_detail", pk=batch.pk)
    messages.success(request, "Trying the import again.")
    return redirect("disproportionality:import_detail", pk=retry.pk)


@role_required("disproportionality.import")
def import_status(request, pk):
    batch = selectors.get_import_batch_for_user(user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": batch.status,
            "status_display": batch.get_status_display(),
            "progress": batch.progress,
            "finished": batch.is_finished,
            "url": reverse("disproportionality:import_detail", args=[batch.pk]),
        }
    )


@role_required("disproportionality.import")
def template_csv(request):
    response = HttpResponse(templates_io.template_csv(), content_type=CSV_TYPE)
    response["Content-Disposition"] = 'attachment; filename="local-template.csv"'
    return response


@role_required("disproportionality.import")
def template_xlsx(request):
    response = HttpResponse(
        templates_io.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="local-template.xlsx"'
    return response


@role_required("disproportionality.import")
def mappings(request):
    form = LabelMappingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.label_mapping_save(
                    source=form.cleaned_data["source"],
                    label=form.cleaned_data["label"],
                    group_code=form.cleaned_data["group"].code,
                )
            except services.DisproportionalityError as exc:
                form.add_error("label", str(exc))
            else:
                messages.success(request, "Label mapping saved.")
                return redirect("disproportionality:mappings")
        status = 400
    items = LabelMapping.objects.select_related("group")
    last_batch, label_use = recording_selectors.last_import_label_use()
    return render(
        request,
        "disproportionality/mappings.html",
        {
            "form": form,
            "mappings": items,
            "last_batch": last_batch,
            "label_use": label_use,
        },
        status=status,
    )


@role_required("disproportionality.import")
@require_POST
def mapping_delete(request, pk):
    mapping = selectors.get_label_mapping_for_user(
        user=request.user, pk=pk, for_change=True
    )
    services.label_mapping_delete(mapping=mapping)
    messages.success(request, f"Mapping for “{mapping.label}” removed.")
    return redirect("disproportionality:mappings")


@role_required("disproportionality.import")
def areas(request):
    form = LocalAreaForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.local_area_create(**form.cleaned_data)
            except services.DisproportionalityError as exc:
                form.add_error("code", str(exc))
            else:
                messages.success(request, "Local area added.")
                return redirect("disproportionality:areas")
        status = 400
    local = Area.objects.filter(level=Area.Level.LOCAL).select_related("parent")
    return render(
        request,
        "disproportionality/areas.html",
        {"form": form, "local_areas": local},
        status=status,
    )


# --- the league: every authority at once ---------------------------------------


def _league_or_error(request):
    """(league, None) or (None, (status, message, parameter)) for a request."""
    form = LeagueForm(request.GET)
    if not form.is_valid():
        name, message = form.first_error()
        return None, (400, message, name)
    data = form.cleaned_data
    period = data["period"] or league_builder.latest_league_period(data["stage"])
    if period is None:
        return None, (404, f"No {data['stage']} figures for any authority.", None)
    if data["reference"] == data["group"]:
        return None, (400, "group: choose a group other than the reference", "group")
    if league_builder.is_nested(data["group"], data["reference"]):
        return None, (
            400,
            "group: this group and the reference overlap (e.g. White and White "
            "British); choose another reference",
            "group",
        )
    parts = (period, data["stage"], data["group"], data["reference"], data["area"])
    key = selectors.cache_key(
        "league", selectors.data_version(), *parts, data["population"], data["uasc"]
    )
    league = cache.get(key)
    if league is None:
        try:
            league = league_builder.league_table(
                period=period,
                stage=data["stage"],
                group=data["group"],
                reference=data["reference"],
                home=data["area"],
                population=data["population"],
                uasc=data["uasc"],
            )
        except selectors.NotFound as exc:
            return None, (404, str(exc), None)
        cache.set(key, league, CACHE_SECONDS)
    return league, None


@role_required("disproportionality.view")
def api_league(request):
    league, error = _league_or_error(request)
    if error:
        status, message, parameter = error
        return JsonResponse({"error": message, "parameter": parameter}, status=status)
    return JsonResponse(league.as_dict())


@role_required("disproportionality.view")
def league_csv(request):
    league, error = _league_or_error(request)
    if error:
        status, message, parameter = error
        return JsonResponse({"error": message, "parameter": parameter}, status=status)
    name = (
        f"league-{league.period}-{league.stage}-{league.group}-{league.reference}.csv"
    )
    return _csv_response(
        name, league_builder.CSV_COLUMNS, [r.as_dict() for r in league.rows]
    )


@role_required("disproportionality.view")
def league_page(request):
    template = "disproportionality/league.html"
    form = LeagueForm(request.GET)
    league, error = _league_or_error(request)
    get = request.GET
    controls = {
        "period": league.period if league else get.get("period", ""),
        "stage": league.stage if league else get.get("stage", "CLA").upper(),
        "group": league.group if league else get.get("group", "BLACK").upper(),
        "reference": league.reference if league else get.get("reference", "WBRI"),
        "area": league.home if league else form.data.get("area", ""),
    }
    context = {
        "controls": controls,
        "stages": Stage.choices,
        "references": REFERENCE_CHOICES,
        "groups": LeagueForm.base_fields["group"].choices,
        "query": request.GET.urlencode(),
    }
    if error:
        status, message, _parameter = error
        return render(request, template, {**context, "error": message}, status=status)
    context.update(
        league=league,
        sentence=league_builder.sentence(league),
        rows=[r.as_dict() for r in league.rows],
        figure=charts.to_json(league_builder.funnel_figure(league)),
        band_labels=funnel.BAND_LABELS,
    )
    return render(request, template, context)
