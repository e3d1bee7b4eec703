"""What the dashboard shows: four charts, their tables, sentences and CSVs.

A read-only assembly over ``selectors``: a fixed number of queries (areas,
counts, populations) whatever the amount of data.
"""

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings

from arp import statistics
from disproportionality import (
    charts,
    comparators,
    metrics,
    recording_selectors,
    taxonomy,
)
from disproportionality.forms import DashboardForm
from disproportionality.metrics import MetricRow
from disproportionality.models import STAGE_SENTENCES, Area, Stage
from disproportionality.selectors import (
    FigureSet,
    NotFound,
    families_of,
    load_figures,
    previous_base_table,
)

ENGLAND = "E92000001"
LEVEL_ORDER = {
    "national": 0,
    "region": 1,
    "subregion": 2,
    "local_authority": 3,
    "local": 4,
}
SENTENCE_NAMES = {
    "WHITE": "White",
    "MIXED": "Mixed or Multiple ethnic group",
    "ASIAN": "Asian or Asian British",
    "BLACK": "Black",
    "OTHER": "Other ethnic group",
}
REFERENCE_NOUNS = {
    "WBRI": "White British children",
    "WHITE": "White children",
    "OTHERS": "all other children",
}


class BadParameter(ValueError):
    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(message)


@dataclass(frozen=True)
class Params:
    """The dashboard's controls as the request gave them (``period`` and
    ``group`` may be None: ``build`` resolves them into a new ``Params``)."""

    area: str
    period: str | None
    stage: str
    level: str
    reference: str
    comparator: str
    group: str | None
    base: str = "population"
    population: str = "census"  # or "school": the children's denominator
    uasc: str = "include"  # or "exclude": CLA less the UASC cohort

    def as_query(self) -> str:
        """The controls as a canonical query string (for links and cache keys).

        Taken from the request's ``Params``, not the resolved ones on the
        board, so a link made from it means what the request meant (e.g. "the
        latest period").
        """
        values = {
            "area": self.area,
            "period": self.period,
            "stage": self.stage,
            "level": self.level,
            "reference": self.reference,
            "comparator": self.comparator,
            "group": self.group,
            "population": self.population,
            "uasc": self.uasc,
        }
        return urlencode({k: v for k, v in values.items() if v is not None})


@dataclass(frozen=True)
class Resolved(Params):
    """The controls with the defaults that need the data filled in."""

    period: str
    group: str


def parse_params(query) -> Params:
    """The URL's controls, through ``DashboardForm``; BadParameter names the
    first one in error."""
    form = DashboardForm(query)
    if not form.is_valid():
        raise BadParameter(*form.first_error())
    return Params(**form.cleaned_data)


def sentence_name(code: str, label: str) -> str:
    return f"{SENTENCE_NAMES.get(code, label)} children"


def format_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def rri_sentence(row: MetricRow, reference: str, stage: str) -> str:
    return (
        f"{sentence_name(row.group_code, row.group_label)} were "
        f"{row.rri:.1f} times as likely as {REFERENCE_NOUNS[reference]} "
        f"{STAGE_SENTENCES[stage]} (95% CI {row.rri_ci_low:.1f} to "
        f"{row.rri_ci_high:.1f})."
    )


def stage_summary(rows: list[MetricRow], reference: str, stage: str) -> str:
    over = [r for r in rows if r.flag == "over" and r.rri is not None]
    under = [r for r in rows if r.flag == "under"]
    if over:
        top = max(over, key=lambda r: r.rri or 0.0)
        text = rri_sentence(top, reference, stage)
        if len(over) > 1:
            others = ", ".join(
                sentence_name(r.group_code, r.group_label) for r in over if r is not top
            )
            text += f" {others} were also over-represented."
        return text
    if under:
        return (
            "No group was over-represented more than chance would explain; "
            + ", ".join(sentence_name(r.group_code, r.group_label) for r in under)
            + " were under-represented."
        )
    return (
        "No group's rate differed from the reference group's by more than chance "
        "would explain (or the numbers are too small to tell)."
    )


@dataclass
class Dashboard:
    params: Params
    areas: list[Area]
    area: Area | None = None
    comparator: Area | None = None
    periods: list[str] = field(default_factory=list)
    tables: dict[str, list[MetricRow]] = field(default_factory=dict)
    population: object = None
    journey_rows: list[dict] = field(default_factory=list)
    trend_rows: list[MetricRow] = field(default_factory=list)  # with .period
    comparator_rows: list[dict] = field(default_factory=list)
    comparator_message: str = ""
    neighbours: comparators.ComparatorResult | None = None  # for "neighbours"
    # stage → (previous stage, rows): rates per child at the previous decision point
    decision_points: dict[str, tuple[str, list[MetricRow]]] = field(
        default_factory=dict
    )
    sentences: dict[str, str] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    groups: list[tuple[str, str]] = field(default_factory=list)
    # stage → recording_selectors.StageRecording: unknown ethnicity and bounds
    recording: dict = field(default_factory=dict)
    is_demo: bool = False
    message: str = ""
    # the empty state: the area has nothing to show yet (see _empty)
    empty: bool = False
    loaded: list[dict] = field(default_factory=list)
    loaded_more: int = 0
    england: Area | None = None
    # what the reader must know about the population and the counts
    notes: list[str] = field(default_factory=list)
    needs_child_population: bool = False  # only all-ages: link to the imports

    @property
    def home(self) -> Area:
        """The area the panels are about (``build`` finds it before any panel)."""
        if self.area is None:
            raise RuntimeError("no area: the board is empty")
        return self.area

    @property
    def choice(self) -> "Resolved":
        """The resolved controls (``build`` resolves them before any panel)."""
        if not isinstance(self.params, Resolved):
            raise RuntimeError("the controls are not resolved yet")
        return self.params

    @property
    def reference_label(self) -> str:
        return metrics.REFERENCE_LABELS[self.params.reference]

    @property
    def journey_stages(self) -> list[str]:
        """The stages with figures, in the order of the journey through care."""
        return [s for s in charts.STAGE_ORDER if s in self.tables]


def _resolve_comparator(area: Area, choice: str, by_code: dict) -> Area | None:
    if choice == "region":
        # the area's own region (E12…); never silently England
        return comparators.region_of(area, by_code)
    if choice == "neighbours":
        return None  # pooled separately: see _neighbours
    if choice in by_code:
        return by_code[choice]
    return by_code.get(ENGLAND)


def build(params: Params, *, controlled: bool = True) -> Dashboard:
    areas = sorted(Area.objects.all(), key=lambda a: (LEVEL_ORDER[a.level], a.name))
    by_code = {a.code: a for a in areas}
    board = Dashboard(params=params, areas=areas)
    board.area = by_code.get(params.area)
    if board.area is None:
        if params.area == settings.HOME_AREA_CODE:
            # e.g. only England imported so far: a first visit is not an error
            return _empty(board, by_code)
        raise BadParameter("area", f"No area with code {params.area}.")
    board.comparator = _resolve_comparator(board.area, params.comparator, by_code)
    codes = [board.area.code] + ([board.comparator.code] if board.comparator else [])
    codes += [ENGLAND] if ENGLAND not in codes else []  # recording: vs England
    figures = load_figures(
        codes,
        families=families_of(codes, areas),
        population=params.population,
        uasc=params.uasc,
    )
    board.periods = figures.periods(board.area.code)
    board.is_demo = figures.is_demo
    if not board.periods:
        board.message = f"There are no figures for {board.area.name} yet."
        return _empty(board, by_code)
    params = board.params = resolved(params, figures, board.area.code)
    if params.period not in board.periods:
        raise BadParameter(
            "period", f"No figures for {board.area.name} in {params.period}."
        )
    board.groups = [(c, lab) for c, lab, _m in taxonomy.level_groups(params.level)]
    for stage in charts.STAGE_ORDER:
        try:
            rows, choice = figures.table(
                board.area.code,
                params.period,
                stage,
                params.level,
                params.reference,
                controlled=controlled,
            )
        except NotFound:
            continue
        board.tables[stage] = explain_reference(rows)
        board.population = choice
    if not board.tables:
        board.message = f"There is no population by ethnicity for {board.area.name}."
        return _empty(board, by_code)
    board.notes = children_population_notes(board, figures)
    _journey(board)
    _decision_points(board, figures, controlled)
    _trend(board, figures, controlled)
    if p_is_neighbours(params) and controlled:
        _neighbours(board)
    else:
        _comparator(board, figures, controlled)
    if params.comparator == "region" and board.comparator is None:
        board.comparator_message = (
            f"No region is known for {board.area.name}: import the area hierarchy "
            "(import_areas) or a DfE authority tidy file."
        )
    _figures(board)
    _recording(board, figures, controlled)
    return board


def resolved(params: Params, figures: FigureSet, area_code: str) -> Resolved:
    """The request's controls with the defaults that need the data filled in:
    the latest period with figures for the stage, and a known group."""
    known = [c for c, _lab, m in taxonomy.level_groups(params.level) if m != "UNKNOWN"]
    values = {f.name: getattr(params, f.name) for f in dataclasses.fields(params)}
    values["period"] = params.period or default_period(figures, area_code, params.stage)
    if params.group not in known:
        values["group"] = "BLACK" if params.level == "major" else "BCRB"
    return Resolved(**values)


def explain_reference(rows: list[MetricRow]) -> list[MetricRow]:
    """Mark rows that are "too few to tell" only because of the reference group.

    A group with enough children and a rate of its own, but no ratio, has no
    ratio because the reference group is hidden (disclosure control), has no
    children or no population here. Saying "too few to tell" would read as if
    the group itself were small.
    """
    marked = []
    for row in rows:
        if (
            not row.unknown
            and not row.is_reference
            and row.flag == metrics.INSUFFICIENT
            and isinstance(row.count, int)
            and row.count >= metrics.SMALL_COUNT
            and row.rate_per_10k is not None
            and row.rri is None
        ):
            row = row.replace(reference_too_small=True)
        marked.append(row)
    return marked


def default_period(figures, area_code: str, stage: str) -> str:
    """The latest period with figures for the chosen stage, else the latest.

    A year holding only CP figures must not become the default for CLA: it
    would open on an empty panel.
    """
    periods = figures.periods(area_code)
    with_stage = [p for p in periods if (area_code, p, stage) in figures.counts]
    return (with_stage or periods)[-1]


LOADED_SHOWN = 8


def _empty(board: Dashboard, by_code: dict) -> Dashboard:
    """What is loaded, what to import and where to look instead."""
    from django.db.models import Count, Max

    from disproportionality.models import EthnicityCount

    board.empty = True
    if not board.message:
        board.message = (
            f"There are no figures for the home authority ({board.params.area}) yet."
        )
    summary = (
        EthnicityCount.objects.values("area_id")
        .annotate(periods=Count("period", distinct=True), latest=Max("period"))
        .order_by()
    )
    rows = []
    for item in summary:
        area = by_code.get(item["area_id"])
        if area is not None:
            rows.append({"area": area, **item})
    rows.sort(key=lambda r: (LEVEL_ORDER[r["area"].level], r["area"].name))
    board.loaded = rows[:LOADED_SHOWN]
    board.loaded_more = max(0, len(rows) - LOADED_SHOWN)
    has_figures = {r["area"].code for r in rows}
    if ENGLAND in has_figures and board.params.area != ENGLAND:
        board.england = by_code[ENGLAND]
    return board


def _recording(board: Dashboard, figures, controlled: bool) -> None:
    """Each stage's recording panel, and its caveat on every sentence built on
    that stage's figures (the tables carry it in the template)."""
    p = board.choice
    board.recording = recording_selectors.dashboard_recording(
        figures,
        area_code=board.home.code,
        comparator_code=board.comparator.code if board.comparator else None,
        comparator_name=board.comparator.name if board.comparator else "",
        period=p.period,
        tables=board.tables,
        level=p.level,
        reference=p.reference,
        reference_noun=REFERENCE_NOUNS[p.reference],
        controlled=controlled,
    )
    caveats = [r.current.caveat for r in board.recording.values() if r.current.caveat]
    for key in ("rri", "journey"):
        board.sentences[key] = " ".join([board.sentences[key], *caveats])
    panel = board.recording.get(p.stage)
    if panel is None:
        return
    if board.neighbours is not None and board.neighbours.rows:
        panel.comparator = recording_selectors.recording.from_rows(
            board.neighbours.rows,
            stage=p.stage,
            period=p.period,
            threshold=panel.current.threshold,
        )
        panel.comparator_name = board.neighbours.label
    poor = [r.period for r in panel.series if r.caveat]
    if poor:
        board.sentences["trend"] += recording_selectors.trend_caveat(
            poor, p.stage, panel.current.threshold
        )
    extra = [panel.current.caveat] if panel.current.caveat else []
    if panel.comparator and panel.comparator.caveat:
        extra.append(f"In {panel.comparator_name}: {panel.comparator.caveat}")
    vs_england = board.comparator is not None and board.comparator.code == ENGLAND
    if vs_england and panel.england and panel.england.caveat:
        extra.append(f"In England: {panel.england.caveat}")
    board.sentences["comparator"] = " ".join([board.sentences["comparator"], *extra])


def children_population_notes(board: Dashboard, figures) -> list[str]:
    """Which population the figures use, and what follows from it."""
    p = board.choice
    notes = []
    if board.population is None:
        if figures.all_ages_only(board.home.code):
            board.needs_child_population = True
            notes.append(
                "Only an all-ages population is loaded for this area, so no rate, "
                "representation index or ratio is shown: children are far more "
                "ethnically diverse than adults. Import the Census 2021 population "
                "aged 0 to 17 (ONS ethnic group by age) and the ONS mid-year "
                "estimates, or the school census."
            )
        else:
            notes.append(
                "There is no children's population for this period"
                + (" in the school census." if p.population == "school" else ".")
            )
    if figures.rounded(board.home.code, p.period, p.stage):
        notes.append(
            "These counts are rounded to the nearest 10 (DfE national figures): the "
            "intervals show Poisson variation only and do not cover rounding."
        )
    if p.uasc == "exclude":
        notes.append(
            "Unaccompanied asylum-seeking children are excluded from children looked "
            "after, group by group; a group whose UASC count is suppressed is not "
            "available."
        )
    difference = _population_difference(board, figures)
    if difference:
        notes.append(difference)
    return notes


def _population_difference(board: Dashboard, figures) -> str:
    """Where both the Census (scaled) and the school census exist: how far the
    headline ratios differ between them."""
    p = board.choice
    other = "school" if p.population == "census" else "census"
    tables = {}
    for kind in (p.population, other):
        saved, figures.population_kind = figures.population_kind, kind
        try:
            rows, choice = figures.table(
                board.home.code, p.period, p.stage, "major", "WBRI"
            )
        except NotFound:
            return ""
        finally:
            figures.population_kind = saved
        if choice is None:
            return ""
        tables[kind] = {r.group_code: r.rri for r in rows}
    parts = [
        f"{SENTENCE_NAMES[code]} {tables['census'][code]:.2f} against "
        f"{tables['school'][code]:.2f}"
        for code in ("BLACK", "MIXED", "ASIAN", "OTHER")
        if tables["census"].get(code) is not None
        and tables["school"].get(code) is not None
    ]
    if not parts:
        return ""
    return (
        f"On the Census 2021 children (scaled) and on the school census, the "
        f"ratios against White British children ({p.stage}) are: "
        + "; ".join(parts)
        + "."
    )


def _journey(board: Dashboard) -> None:
    any_rows = next(iter(board.tables.values()))
    for row in any_rows:
        if row.unknown:
            continue
        entry: dict[str, str | float | None] = {
            "group_code": row.group_code,
            "group_label": row.group_label,
            "population_share": row.population_share,
        }
        for stage in charts.STAGE_ORDER:
            stage_rows = board.tables.get(stage)
            match = next(
                (r for r in stage_rows or [] if r.group_code == row.group_code),
                None,
            )
            entry[stage] = match.share if match else None
        board.journey_rows.append(entry)


def _decision_points(board: Dashboard, figures, controlled: bool) -> None:
    p = board.choice
    for stage in board.journey_stages:
        try:
            rows, previous = previous_base_table(
                figures,
                board.home.code,
                p.period,
                stage,
                p.level,
                p.reference,
                controlled,
            )
        except NotFound:
            continue
        board.decision_points[stage] = (previous, rows)


def _trend(board: Dashboard, figures, controlled: bool) -> None:
    p = board.choice
    for period in board.periods:
        try:
            rows, _choice = figures.table(
                board.home.code,
                period,
                p.stage,
                p.level,
                p.reference,
                controlled=controlled,
            )
        except NotFound:
            continue
        row = next(r for r in explain_reference(rows) if r.group_code == p.group)
        board.trend_rows.append(row.replace(period=period))


def p_is_neighbours(params: Params) -> bool:
    return params.comparator == "neighbours"


def _neighbours(board: Dashboard) -> None:
    """The pooled statistical neighbours, with each neighbour's own ratios."""
    p = board.choice
    result = comparators.comparator_for(
        area=board.home,
        choice="neighbours",
        period=p.period,
        stage=p.stage,
        level=p.level,
        reference=p.reference,
    )
    board.neighbours = result
    board.comparator_message = result.message
    own = board.tables.get(p.stage)
    if not result.rows or own is None:
        return
    board.comparator = Area(code="neighbours", name=result.label)
    other_by = {r.group_code: r for r in result.rows}
    for row in own:
        if not row.unknown:
            board.comparator_rows.append(
                {
                    "group_code": row.group_code,
                    "group_label": row.group_label,
                    "area": row,
                    "other": other_by.get(row.group_code),
                    "neighbours": [
                        next(
                            (r for r in n.rows if r.group_code == row.group_code), None
                        )
                        for n in result.neighbours
                    ],
                }
            )


def _comparator(board: Dashboard, figures, controlled: bool) -> None:
    p = board.choice
    if board.comparator is None or board.comparator.code == board.home.code:
        return
    own = board.tables.get(p.stage)
    try:
        other, _choice = figures.table(
            board.comparator.code,
            p.period,
            p.stage,
            p.level,
            p.reference,
            controlled=controlled,
        )
    except NotFound:
        return
    if own is None:
        return
    other_by = {r.group_code: r for r in other}
    for row in own:
        if row.unknown:
            continue
        board.comparator_rows.append(
            {
                "group_code": row.group_code,
                "group_label": row.group_label,
                "area": row,
                "other": other_by.get(row.group_code),
            }
        )


def _figures(board: Dashboard) -> None:
    p = board.choice
    ref = board.reference_label
    board.figures["rri"] = charts.to_json(charts.rri_by_stage(board.tables, ref))
    columns = [
        (
            "Population",
            {r["group_code"]: r["population_share"] for r in board.journey_rows},
        )
    ]
    columns += [
        (s, {r["group_code"]: r[s] for r in board.journey_rows})
        for s in board.journey_stages
    ]
    known = [
        (c, lab) for c, lab in board.groups if c not in {"UNKNOWN", "REFU", "NOBT"}
    ]
    board.figures["journey"] = charts.to_json(charts.journey(columns, known))
    label = dict(board.groups).get(p.group, p.group)
    board.figures["trend"] = charts.to_json(charts.trend(board.trend_rows, label, ref))
    if board.comparator_rows and board.comparator is not None:
        board.figures["comparator"] = charts.to_json(
            charts.comparator(
                board.comparator_rows, board.home.name, board.comparator.name
            )
        )
    # sentences
    parts = [
        f"{Stage(s).label}: {stage_summary(rows, p.reference, s)}"
        for s, rows in board.tables.items()
    ]
    board.sentences["rri"] = " ".join(parts)
    board.sentences["journey"] = _journey_sentence(board)
    board.sentences["trend"] = _trend_sentence(board, label)
    board.sentences["comparator"] = _comparator_sentence(board)


def _journey_sentence(board: Dashboard) -> str:
    for row in board.journey_rows:
        if row["group_code"] == board.choice.group and row["population_share"]:
            shares = [
                f"{row[s] * 100:.1f}% of {s}"
                for s in charts.STAGE_ORDER
                if row.get(s) is not None
            ]
            if shares:
                return (
                    f"{sentence_name(row['group_code'], row['group_label'])} are "
                    f"{row['population_share'] * 100:.1f}% of the child population "
                    f"and {', '.join(shares)}."
                )
    return "Shares are of children with a known ethnicity."


def _trend_sentence(board: Dashboard, label: str) -> str:
    """First and last period with a ratio, and whether the change is more than
    chance: ``arp.statistics.ratio_change`` (log scale, Katz variances)."""
    points = [
        (r.period, r.rri, r.rri_log_se)
        for r in board.trend_rows
        if r.rri and r.rri_log_se is not None
    ]
    if len(points) < 2:
        return f"Too few periods with published figures to show a trend for {label}."
    (first, first_rri, first_se), (last, last_rri, last_se) = points[0], points[-1]
    change = statistics.ratio_change(first_rri, first_se, last_rri, last_se)
    lead = f"For {label} children ({board.choice.stage}), the relative rate index"
    span = f"from {first_rri:.2f} in {first} to {last_rri:.2f} in {last}"
    test = (
        f"(ratio of the two {change.ratio_of_ratios:.2f}, 95% CI "
        f"{change.ci_low:.2f} to {change.ci_high:.2f})"
    )
    if change.direction == statistics.NO_CLEAR_CHANGE:
        return (
            f"{lead} went {span}: no clear change, as a difference this size could "
            f"be chance {test}."
        )
    return (
        f"{lead} has {change.direction} {span}, more than chance would explain {test}."
    )


def _comparator_sentence(board: Dashboard) -> str:
    if not board.comparator_rows or board.comparator is None:
        return board.comparator_message or (
            "No comparator figures for this period and stage."
        )
    row = next(
        (r for r in board.comparator_rows if r["group_code"] == board.choice.group),
        None,
    )
    if (
        not row
        or not row["other"]
        or row["area"].rri is None
        or row["other"].rri is None
    ):
        return f"Compared with {board.comparator.name}; see the table for each group."
    return (
        f"{sentence_name(row['group_code'], row['group_label'])}: relative rate index "
        f"{row['area'].rri:.2f} in {board.home.name} against "
        f"{row['other'].rri:.2f} in {board.comparator.name} "
        f"({board.choice.stage}, {board.choice.period})."
    )


# --- CSV tables: exactly what each chart's table shows ------------------------

TABLE_COLUMNS = {
    "rri": (
        "stage",
        "group_code",
        "group_label",
        "count",
        "rri",
        "rri_ci_low",
        "rri_ci_high",
        "flag",
        "recording_caveat",
    ),
    "journey": ("group_code", "group_label", "population_share", *charts.STAGE_ORDER),
    "trend": (
        "period",
        "group_code",
        "count",
        *metrics.RATE_FIELDS,
        *metrics.RRI_FIELDS,
        "flag",
    ),
    "comparator": (
        "group_code",
        "group_label",
        "area_count",
        "area_rri",
        "area_rri_ci_low",
        "area_rri_ci_high",
        "comparator_count",
        "comparator_rri",
        "comparator_rri_ci_low",
        "comparator_rri_ci_high",
    ),
}


def chart_table(board: Dashboard, chart: str) -> Sequence[Mapping[str, object]]:
    if chart == "rri":
        caveats = {s: p.current.caveat for s, p in board.recording.items()}
        return [
            {"stage": s, **r, "recording_caveat": caveats.get(s)}
            for s, rows in board.tables.items()
            for r in rows
        ]
    if chart == "journey":
        return board.journey_rows
    if chart == "trend":
        return board.trend_rows
    if chart == "comparator":
        out = []
        for r in board.comparator_rows:
            row = {"group_code": r["group_code"], "group_label": r["group_label"]}
            for prefix, side in (("area", r["area"]), ("comparator", r["other"])):
                side = side or {}
                for key in ("count", "rri", "rri_ci_low", "rri_ci_high"):
                    row[f"{prefix}_{key}"] = side.get(key)
            out.append(row)
        return out
    raise BadParameter("chart", "chart must be rri, journey, trend or comparator")
