"""Reads: figures and populations for the metrics, in a fixed number of queries."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, CharField, ExpressionWrapper, Q, Value

from arp.access import get_for_user, visible_with
from arp.roles import user_can
from disproportionality import metrics
from disproportionality import populations as child_pops
from disproportionality.metrics import Cell, MetricRow
from disproportionality.models import (
    Area,
    EthnicityCount,
    ImportBatch,
    LabelMapping,
    MidYearEstimate,
    Population,
    Stage,
)
from disproportionality.populations import PopulationChoice

if TYPE_CHECKING:
    from disproportionality.recording import Recording

PREFERRED_AGE_BAND = "0-17"
API_FIELDS = (
    "group_code",
    "group_label",
    "count",
    "population",
    "share",
    "population_share",
    "representation_index",
    *metrics.RATE_FIELDS,
    *metrics.RRI_FIELDS,
    "flag",
    "suppressed",
    "note",
)
ROUNDING = {
    "share": 4,
    "population_share": 4,
    "representation_index": 3,
    **metrics.ROUND_PLACES,
}


class NotFound(Exception):
    """No such area, or no figures / population for the request."""


def choose_population(
    options: list[PopulationChoice], period_end: date
) -> PopulationChoice | None:
    """The stored children's population a period uses (Census 0–17), without
    the scaling: see ``child_pops.choose``. Never an all-ages one."""
    choice, _values = child_pops.choose(
        {o: {} for o in options}, {}, period_end, child_pops.CENSUS
    )
    return choice


@dataclass
class FigureSet:
    """Counts and populations for some areas, loaded in two queries."""

    counts: dict[tuple[str, str, str], dict[str, Cell]] = field(default_factory=dict)
    period_ends: dict[str, date] = field(default_factory=dict)
    populations: dict[str, dict[PopulationChoice, dict[str, int]]] = field(
        default_factory=dict
    )
    is_demo: bool = False
    # area code → (parent, its local areas) for areas controlled as a family
    families: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # area code → mid-year estimate of children aged 0-17 by year
    estimates: dict[str, dict[int, int]] = field(default_factory=dict)
    population_kind: str = child_pops.CENSUS  # or child_pops.SCHOOL
    uasc: str = "include"  # or "exclude": CLA less the UASC cohort
    min_count: int = metrics.DISCLOSURE_MIN_COUNT
    _hidden: dict = field(default_factory=dict, repr=False)

    def counts_for(self, area_code: str, period: str, stage: str):
        """The table's counts: for CLA with uasc=exclude, all children less the
        UASC cohort group by group; a group whose UASC count is suppressed or
        missing is "not available" (marker u), never guessed."""
        counts = self.counts.get((area_code, period, stage))
        if not counts or stage != "CLA" or self.uasc != "exclude":
            return counts
        cohort = self._cohort(area_code, period)
        if cohort is None:
            raise NotFound(
                f"No UASC figures for {area_code} in {period}: import DfE's UASC "
                "file with import_figures FILE --stage CLA --cohort uasc."
            )
        return cohort[f"{area_code}~excl"]

    def _cohort(self, area_code: str, period: str):
        every = self.counts.get((area_code, period, "CLA"))
        uasc = self.counts.get((area_code, period, "CLA_UASC"))
        if not every or not uasc:
            return None
        excl = {}
        for code, cell in every.items():
            other = uasc.get(code)
            if cell.count is None:
                excl[code] = cell
            elif other is None or other.count is None:
                excl[code] = Cell(None, metrics.NOT_AVAILABLE_MARKER)
            else:
                # rounded national counts can differ by rounding only
                excl[code] = Cell(max(cell.count - other.count, 0))
        return {area_code: every, f"{area_code}~uasc": uasc, f"{area_code}~excl": excl}

    def rounded(self, area_code: str, period: str, stage: str) -> bool:
        """Counts all multiples of 10 (five or more non-zero): DfE's national
        figures, rounded to the nearest 10."""
        counts = self.counts.get((area_code, period, stage)) or {}
        known = [c.count for c in counts.values() if c.count]
        return len(known) >= 5 and all(c % 10 == 0 for c in known)

    def hidden_for(self, area_code: str, period: str, stage: str):
        """(hidden minor, hidden major) for a Board-visible table. An area in a
        family (a local area, or an authority with local areas) is controlled
        jointly with the family, so no hidden count is the authority's count
        minus shown local-area counts."""
        if stage in ("CLA", "CLA_UASC") and self._cohort(area_code, period):
            return self._cohort_hidden(area_code, period, stage)
        family = self.families.get(area_code)
        if family is None:
            # once per table: the trend and the recording panel both ask
            key = ("single", area_code, period, stage)
            if key not in self._hidden:
                self._hidden[key] = metrics.disclosure_control(
                    self.counts[(area_code, period, stage)], min_count=self.min_count
                )
            return self._hidden[key]
        parent, children = family
        family_key = (parent, period, stage)
        if family_key not in self._hidden:
            tables = {
                code: self.counts[(code, period, stage)]
                for code in (parent, *children)
                if (code, period, stage) in self.counts
            }
            self._hidden[family_key] = metrics.family_disclosure_control(
                parent, tables, min_count=self.min_count
            )
        return self._hidden[family_key][area_code]

    def _cohort_hidden(self, area_code: str, period: str, stage: str):
        """All children, the UASC cohort and all less UASC are three tables a
        reader can subtract: controlled together (all = UASC + the rest)."""
        key = (area_code, period, "cohort")
        if key not in self._hidden:
            self._hidden[key] = metrics.family_disclosure_control(
                area_code, self._cohort(area_code, period), min_count=self.min_count
            )
        hidden = self._hidden[key]
        if stage == "CLA_UASC":
            return hidden[f"{area_code}~uasc"]
        if self.uasc == "exclude":
            return hidden[f"{area_code}~excl"]
        return hidden[area_code]

    def periods(self, area_code: str | None = None) -> list[str]:
        found = {p for (a, p, _s) in self.counts if area_code in (None, a)}
        return sorted(found, key=lambda p: self.period_ends[p])

    def population_for(self, area_code: str, period_end: date):
        """(what was used, population by DfE code): a children's population for
        the period's year (``child_pops.choose``), never an all-ages one."""
        return child_pops.choose(
            self.populations.get(area_code, {}),
            self.estimates.get(area_code, {}),
            period_end,
            self.population_kind,
        )

    def all_ages_only(self, area_code: str) -> bool:
        return child_pops.only_all_ages(self.populations.get(area_code, {}))

    def all_children(self, area_code: str, period: str, stage: str, *, controlled=True):
        """All children at the stage per 10,000 children aged 0-17 (the
        mid-year estimate DfE's published rates use, else the population's
        total)."""
        counts = self.counts_for(area_code, period, stage) or {}
        period_end = self.period_ends[period]
        estimates = self.estimates.get(area_code, {})
        year = child_pops.mid_year_for(estimates, period_end)
        if self.population_kind == child_pops.CENSUS and year is not None:
            base: int | None = estimates[year]
        else:
            choice, values = self.population_for(area_code, period_end)
            base = round(sum(values.values())) if choice else None
        hidden = False
        if controlled:
            hidden = "ALL" in self.hidden_for(area_code, period, stage)[1]
        return metrics.all_children(counts, total=None, population=base, hidden=hidden)

    def table(
        self,
        area_code: str,
        period: str,
        stage: str,
        level: str,
        reference: str,
        *,
        controlled: bool = True,
    ) -> tuple[list[MetricRow], PopulationChoice | None]:
        counts = self.counts_for(area_code, period, stage)
        if not counts:
            raise NotFound(f"No {stage} figures for {area_code} in {period}.")
        # no children's population: counts and shares still stand, every rate
        # and ratio is None (an all-ages population is never used for children)
        choice, population = self.population_for(area_code, self.period_ends[period])
        rows = [
            row.replace(note="includes the reference group") if row.nested else row
            for row in metrics.compute_table(
                counts=counts, populations=population, level=level, reference=reference
            )
        ]
        if controlled:
            hidden = self.hidden_for(area_code, period, stage)
            rows = metrics.apply_disclosure_control(
                rows, counts, level, reference, hidden=hidden, min_count=self.min_count
            )
        return rows, choice


def families_of(area_codes, areas) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The disclosure-control family of each area that has one, from ``areas``
    (which must hold the areas, their parents and their parents' local areas):
    a local area's family is its parent and the parent's local areas; an area
    with local areas is the parent of its own family."""
    children: dict[str, list[str]] = defaultdict(list)
    by_code = {}
    for area in areas:
        by_code[area.code] = area
        if area.level == Area.Level.LOCAL and area.parent_id:
            children[area.parent_id].append(area.code)
    families = {}
    for code in area_codes:
        area = by_code.get(code)
        if area is None:
            continue
        parent = code if children.get(code) else None
        if area.level == Area.Level.LOCAL and area.parent_id:
            parent = area.parent_id
        if parent is not None:
            families[code] = (parent, tuple(sorted(children[parent])))
    return families


def family_area_query(area_code: str):
    """One query for an area, its local areas, and — for a local area — its
    parent and siblings: all ``families_of`` needs."""
    local = Area.Level.LOCAL
    parent_of = Area.objects.filter(code=area_code, level=local).values("parent_id")
    return Area.objects.filter(
        Q(code=area_code)
        | Q(parent_id=area_code, level=local)
        | Q(code__in=parent_of)
        | Q(parent_id__in=parent_of, level=local)
    )


def load_figures(
    area_codes,
    *,
    periods=None,
    stages=None,
    with_population: bool = True,
    families=None,
    population: str = child_pops.CENSUS,
    uasc: str = "include",
) -> FigureSet:
    """Counts for ``area_codes`` and their families (one query), populations
    and mid-year estimates for ``area_codes`` (one more)."""
    figures = FigureSet(
        families=dict(families or {}),
        population_kind=population,
        uasc=uasc,
        min_count=settings.DISCLOSURE_MIN_COUNT,
    )
    wanted = set(area_codes)
    for parent, children in figures.families.values():
        wanted.update((parent, *children))
    queryset = EthnicityCount.objects.filter(area_id__in=sorted(wanted))
    if periods is not None:
        queryset = queryset.filter(period__in=list(periods))
    if stages is not None:
        stages = list(stages)
        if "CLA" in stages:
            stages.append("CLA_UASC")  # the cohort, for uasc=exclude and control
        queryset = queryset.filter(stage__in=stages)
    # a demo batch is found by a hashed subquery, not a join on every row
    rows = queryset.annotate(
        demo=ExpressionWrapper(
            Q(batch_id__in=ImportBatch.objects.filter(is_demo=True).values("pk")),
            output_field=BooleanField(),
        )
    ).values_list(
        "area_id",
        "period",
        "period_end",
        "stage",
        "group_id",
        "major_code",
        "count",
        "marker",
        "demo",
    )
    cells: dict[tuple[int | None, str], Cell] = {}  # frozen: one per value
    for area, period, period_end, stage, group, major, count, marker, demo in rows:
        cell = cells.get((count, marker))
        if cell is None:
            cell = cells[(count, marker)] = Cell(count, marker)
        # a major-group-only count is keyed by its major code (WHITE …)
        figures.counts.setdefault((area, period, stage), {})[group or major] = cell
        figures.period_ends[period] = period_end
        figures.is_demo = figures.is_demo or bool(demo)
    if with_population:
        figures.populations, figures.estimates = _populations(list(area_codes))
    return figures


def _populations(
    area_codes: list[str],
) -> tuple[
    dict[str, dict[PopulationChoice, dict[str, int]]], dict[str, dict[int, int]]
]:
    """One query: the areas' populations by group and their mid-year
    estimates of all children (group "")."""
    by_area: dict = defaultdict(lambda: defaultdict(dict))
    estimates: dict = defaultdict(dict)
    stored = (
        Population.objects.filter(area_id__in=area_codes)
        .order_by()
        .values_list("area_id", "year", "source", "age_band", "group_id", "population")
    )
    totals = (
        MidYearEstimate.objects.filter(
            area_id__in=area_codes, age_band=child_pops.CHILDREN
        )
        .order_by()  # no join on the area for the model's ordering
        .values_list(
            "area_id",
            "year",
            "source",
            "age_band",
            Value("", output_field=CharField()),
            "population",
        )
    )
    for area, year, source, band, group, value in stored.union(totals, all=True):
        if group:
            # keyed by a plain tuple while reading: it hashes far faster
            by_area[area][(source, year, band)][group] = value
        else:
            estimates[area][year] = value
    choices: dict[tuple[str, int, str], PopulationChoice] = {}
    for tables in by_area.values():
        for key in tables:
            if key not in choices:
                choices[key] = PopulationChoice(*key)
    populations = {
        area: {choices[key]: values for key, values in tables.items()}
        for area, tables in by_area.items()
    }
    return populations, dict(estimates)


def round_row(row: MetricRow) -> dict:
    """The API's copy of a row: its fields, rounded."""
    out = {}
    for key in API_FIELDS:
        value = getattr(row, key)
        if key in ROUNDING and isinstance(value, float):
            value = round(value, ROUNDING[key])
        elif key == "population" and isinstance(value, float):
            value = round(value)  # scaled to a mid-year estimate
        out[key] = value
    return out


@dataclass
class MetricsTable:
    area: Area
    period: str
    stage: str
    level: str
    reference: str
    population: PopulationChoice | None
    rows: list[MetricRow]
    base_stage: str | None = None  # base=previous: the stage rates are per
    all_children: metrics.AllChildren | None = None
    notes: list[str] = field(default_factory=list)
    uasc: str = "include"
    recording: "Recording | None" = None  # unknown ethnicity, bounds

    def as_dict(self) -> dict:
        data = {
            "area": self.area.code,
            "period": self.period,
            "stage": self.stage,
            "level": self.level,
            "reference": self.reference,
            "population": self.population.as_dict() if self.population else None,
            "uasc": self.uasc,
            "base": {"kind": "population", "stage": None},
            "all_children": self.all_children.as_dict() if self.all_children else None,
            "notes": self.notes,
            "rows": [round_row(r) for r in self.rows],
            "recording": self.recording.as_dict() if self.recording else None,
        }
        if self.base_stage:
            data["base"] = {
                "kind": "previous",
                "stage": self.base_stage,
                "label": f"per 10,000 {Stage(self.base_stage).label.lower()} "
                f"({self.base_stage}); population is that stage's count",
            }
        return data


# The decision point before each stage: its count is the next stage's base.
# Published CIN has no earlier stage; a council's own ASSESS or REFERRAL does.
PREVIOUS_STAGES = {
    "REFERRAL": ("CONTACT",),
    "EH": ("CONTACT",),
    "ASSESS": ("REFERRAL",),
    "CIN": ("ASSESS", "REFERRAL"),
    "CP": ("CIN",),
    "CLA": ("CP",),
}


def previous_base_table(
    figures: "FigureSet", area_code, period, stage, level, reference, controlled
) -> tuple[list[MetricRow], str]:
    """Relative rates at a decision point: each group's count at ``stage`` per
    child of that group at the previous stage, against the reference group's.
    A ratio of two point-in-time counts, not a cohort followed through."""
    counts = figures.counts.get((area_code, period, stage))
    if not counts:
        raise NotFound(f"No {stage} figures for {area_code} in {period}.")
    candidates = PREVIOUS_STAGES.get(stage, ())
    previous = next(
        (s for s in candidates if (area_code, period, s) in figures.counts), None
    )
    if previous is None:
        wanted = " or ".join(candidates) or "an earlier stage"
        raise NotFound(
            f"base=previous needs {wanted} figures for {area_code} in {period}."
        )
    base_counts = figures.counts[(area_code, period, previous)]
    if controlled:
        base_counts = metrics.visible_cells(
            base_counts, figures.hidden_for(area_code, period, previous)
        )
    rows = metrics.compute_table(
        counts=counts,
        populations=metrics.counts_as_base(base_counts, level),
        level=level,
        reference=reference,
    )
    if controlled:
        hidden = figures.hidden_for(area_code, period, stage)
        rows = metrics.apply_disclosure_control(
            rows, counts, level, reference, hidden=hidden
        )
    return rows, previous


def metrics_table(
    *,
    area_code: str,
    period: str,
    stage: str,
    level: str = "major",
    reference: str = "WBRI",
    controlled: bool = True,
    base: str = "population",
    population: str = child_pops.CENSUS,
    uasc: str = "include",
) -> MetricsTable:
    """The table the API, CSV and report command share: three queries.

    ``base="previous"``: rates and ratios per child at the previous decision
    point instead of per child in the population (two queries)."""
    areas = list(family_area_query(area_code))
    area = next((a for a in areas if a.code == area_code), None)
    if area is None:
        raise NotFound(f"No area with code {area_code}.")
    if base == "previous":
        figures = load_figures(
            [area_code],
            periods=[period],
            stages=[stage, *PREVIOUS_STAGES.get(stage, ())],
            with_population=False,
            families=families_of([area_code], areas),
        )
        rows, previous = previous_base_table(
            figures, area_code, period, stage, level, reference, controlled
        )
        return MetricsTable(
            area, period, stage, level, reference, None, rows, base_stage=previous,
            recording=_recording(figures, area_code, period, stage, controlled),
        )  # fmt: skip
    figures = load_figures(
        [area_code],
        periods=[period],
        stages=[stage],
        families=families_of([area_code], areas),
        population=population,
        uasc=uasc,
    )
    rows, choice = figures.table(
        area_code, period, stage, level, reference, controlled=controlled
    )
    found = _recording(
        figures, area_code, period, stage, controlled, rows, level, reference
    )
    return MetricsTable(
        area,
        period,
        stage,
        level,
        reference,
        choice,
        rows,
        all_children=figures.all_children(
            area_code, period, stage, controlled=controlled
        ),
        notes=table_notes(figures, area_code, period, stage, choice),
        uasc=uasc,
        recording=found,
    )


def _recording(figures, area_code, period, stage, controlled, *bounds_on):
    """Recording quality (with bounds on ``rows, level, reference``, if given)."""
    from disproportionality.recording_selectors import recording_for

    rows, level, reference = bounds_on or (None, "major", "WBRI")
    return recording_for(
        figures, area_code, period, stage, controlled=controlled, rows=rows,
        level=level, reference=reference,
    )  # fmt: skip


def table_notes(figures: FigureSet, area_code, period, stage, choice) -> list[str]:
    """What a reader of the table must know beside its intervals."""
    notes = []
    if choice is None and figures.all_ages_only(area_code):
        notes.append(
            "Only an all-ages population is loaded for this area: children's "
            "rates and ratios need the Census 2021 population aged 0 to 17 (ONS "
            "ethnic group by age) or the school census. Import one."
        )
    elif choice is None:
        notes.append("No children's population for this area and period.")
    elif choice.age_band == child_pops.CHILDREN and choice.scaled_to is None:
        notes.append(
            "No ONS mid-year estimate of children for this period: the Census "
            "2021 population aged 0 to 17 is used unscaled."
        )
    if figures.rounded(area_code, period, stage):
        notes.append(
            "Counts are rounded to the nearest 10 (DfE national figures): rates, "
            "ratios and their intervals are built on rounded counts."
        )
    if figures.uasc == "exclude" and stage == "CLA":
        notes.append(
            "Unaccompanied asylum-seeking children are excluded, group by group; a "
            "group whose UASC count is suppressed is not available."
        )
    return notes


def headline_series(
    *, area_code: str, stage: str, with_population: bool = False
) -> dict[str, list]:
    """Major-group RRIs against White British for every period (board view),
    on the children's population of each period (the Census 0–17 scaled to
    the year): a period without one has no ratio. With ``with_population``
    each point is (period end, RRI, the population used)."""
    families = families_of([area_code], family_area_query(area_code))
    figures = load_figures([area_code], stages=[stage], families=families)
    series: dict[str, list] = defaultdict(list)
    for period in figures.periods(area_code):
        try:
            rows, choice = figures.table(area_code, period, stage, "major", "WBRI")
        except NotFound:
            continue
        for row in rows:
            point: tuple = (figures.period_ends[period], row.rri)
            if with_population:
                point = (*point, choice)
            series[row.group_code].append(point)
    return dict(series)


def latest_period(area_code: str) -> str | None:
    row = (
        EthnicityCount.objects.filter(area_id=area_code)
        .order_by("-period_end")
        .values_list("period", flat=True)
        .first()
    )
    return row


# --- Cache keys that cannot go stale --------------------------------------------

# Everything the dashboard and the API show comes from counts and populations
# (written only by succeeded import batches and the demo seed, which stamps its
# batch) and from areas (also added or renamed by hand). One cheap statement
# reads a fingerprint of all three; any write changes it, so a cache entry keyed
# by it is never served after the data it was computed from has changed.
_VERSION_SQL = (
    "SELECT (SELECT COUNT(*) FROM {batch} WHERE status = %s),"
    " (SELECT MAX(id) FROM {batch} WHERE status = %s),"
    " (SELECT MAX(finished_at) FROM {batch} WHERE status = %s),"
    " (SELECT COUNT(*) FROM {area}),"
    " (SELECT MAX(updated_at) FROM {area})"
)


def data_version() -> str:
    """A fingerprint of the imported data, in one query (see _VERSION_SQL)."""
    quote = connection.ops.quote_name
    sql = _VERSION_SQL.format(
        batch=quote(ImportBatch._meta.db_table), area=quote(Area._meta.db_table)
    )
    status = ImportBatch.Status.SUCCEEDED
    with connection.cursor() as cursor:
        cursor.execute(sql, [status, status, status])
        row = cursor.fetchone()
    return "|".join(str(value) for value in row)


def cache_key(kind: str, version: str, *parts) -> str:
    """A short, safe cache key for ``kind`` at a data version and parameters."""
    text = "\x1f".join([version, *(str(p) for p in parts)])
    return f"dp:{kind}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


# --- For other apps (the workforce comparison) ------------------------------------


def major_group_shares(
    *, area_code: str, period: str | None = None
) -> dict[str, dict[str, float | None]]:
    """Each major group's share of CIN, CP and CLA (known ethnicity), after
    disclosure control, for ``period`` (default: the area's latest). Stages
    with no figures are left out; a hidden share is None."""
    period = period or latest_period(area_code)
    shares: dict[str, dict[str, float | None]] = {}
    if period is None:
        return shares
    for stage in ("CIN", "CP", "CLA"):
        try:
            table = metrics_table(area_code=area_code, period=period, stage=stage)
        except NotFound:
            continue
        shares[stage] = {
            row.group_code: row.share if isinstance(row.share, float) else None
            for row in table.rows
            if row.group_code != "UNKNOWN"
        }
    return shares


def resident_major_shares(
    *, area_code: str, age_band: str = "all"
) -> tuple[PopulationChoice | None, dict[str, float]]:
    """The latest resident population of ``age_band`` (default all ages, the
    Census files imported with ``--age-band all``) as each major group's share
    of people with a known ethnicity."""
    rows = list(
        Population.objects.filter(area_id=area_code, age_band=age_band).values_list(
            "year", "source", "group__major_code", "population"
        )
    )
    if not rows:
        return None, {}
    year, source = max((y, s) for y, s, _m, _p in rows)
    totals: dict[str, int] = defaultdict(int)
    for y, s, major, value in rows:
        if (y, s) == (year, source) and major != "UNKNOWN":
            totals[major] += value
    known = sum(totals.values())
    shares = {major: value / known for major, value in totals.items()} if known else {}
    return PopulationChoice(source, year, age_band), shares


# --- The governance board's pack (composed in arp/board/) -----------------------

HEADLINE_STAGES = ("CIN", "CP", "CLA")


@dataclass(frozen=True)
class StageHeadline:
    """One stage of the board's over-representation headline.

    Every row is a disclosure-controlled dashboard row (hidden counts are
    "<5" or "suppressed", with no rate or ratio built on them).
    """

    stage: str
    stage_label: str
    period: str
    top: MetricRow | None  # the group with the highest relative rate index
    over: list[MetricRow]  # every group flagged over-represented
    comparator_top: MetricRow | None  # the comparator's row for the same group
    trend: list[MetricRow]  # the top group's dashboard trend rows, oldest first
    sentence: str


@dataclass(frozen=True)
class BoardHeadline:
    area_code: str
    area_name: str
    comparator_name: str
    population: str
    reference_label: str
    is_demo: bool
    stages: list[StageHeadline]
    message: str = ""


def board_headline(*, area_code: str) -> BoardHeadline:
    """Over-representation for CIN, CP and CLA in ``area_code``'s latest
    period, against White British children, major groups, with the area's
    region (else England) as comparator.

    Built by the dashboard itself (``dashboard.build`` with ``controlled=True``),
    so the board pack shows exactly what the dashboard shows the Board: once
    for the tables, then once per stage for that stage's top group's trend and
    comparator. Twelve queries, whatever the amount of data.
    """
    from disproportionality import dashboard

    def build(stage: str, group: str | None):
        params = dashboard.Params(
            area=area_code,
            period=None,
            stage=stage,
            level="major",
            reference="WBRI",
            comparator="region",
            group=group,
        )
        return dashboard.build(params, controlled=True)

    try:
        first = build("CLA", None)
    except dashboard.BadParameter as exc:
        return BoardHeadline(area_code, area_code, "", "", "", False, [], str(exc))
    area_name = first.area.name if first.area else area_code
    comparator_name = first.comparator.name if first.comparator else ""
    if first.message:
        return BoardHeadline(
            area_code, area_name, comparator_name, "", "", first.is_demo, [],
            first.message,
        )  # fmt: skip
    stages = []
    for stage in HEADLINE_STAGES:
        rows = first.tables.get(stage)
        if rows is None:
            continue
        ranked = [
            (r.rri, r)
            for r in rows
            if r.rri is not None and not r.unknown and not r.is_reference
        ]
        top = max(ranked, key=lambda pair: pair[0])[1] if ranked else None
        detail = build(stage, top.group_code if top else None)
        comparator_top = None
        if top is not None:
            comparator_top = next(
                (
                    c["other"]
                    for c in detail.comparator_rows
                    if c["group_code"] == top.group_code
                ),
                None,
            )
        stages.append(
            StageHeadline(
                stage=stage,
                stage_label=Stage(stage).label,
                period=first.choice.period,
                top=top,
                over=[r for r in rows if r.flag == "over"],
                comparator_top=comparator_top,
                trend=list(detail.trend_rows) if top else [],
                sentence=_with_recording_caveat(
                    dashboard.stage_summary(rows, "WBRI", stage), first, stage
                ),
            )
        )
    return BoardHeadline(
        area_code=area_code,
        area_name=area_name,
        comparator_name=comparator_name,
        population=str(first.population or ""),
        reference_label=first.reference_label,
        is_demo=first.is_demo,
        stages=stages,
    )


def _with_recording_caveat(sentence: str, built, stage: str) -> str:
    """The stage's ethnicity-recording caveat after its sentence, as on the
    dashboard (issue 17): figures built on poorly recorded ethnicity say so."""
    panel = (getattr(built, "recording", None) or {}).get(stage)
    caveat = panel.current.caveat if panel is not None else None
    return f"{sentence} {caveat}" if caveat else sentence


# --- Access to one object (arp.access) ----------------------------------------
# Imports and label mappings are the data analyst's: whoever may import sees
# every batch and mapping and may retry or remove them; everyone else gets 404.


def import_batch_can_change(user, batch: ImportBatch) -> bool:
    return user_can(user, "disproportionality.import")


def get_import_batch_for_user(
    *, user, pk: int, for_change: bool = False
) -> ImportBatch:
    visible = visible_with(
        "disproportionality.import",
        ImportBatch.objects.select_related("uploaded_by"),
        user,
    )
    return get_for_user(visible, import_batch_can_change, user, for_change, pk=pk)


def label_mapping_can_change(user, mapping: LabelMapping) -> bool:
    return user_can(user, "disproportionality.import")


def get_label_mapping_for_user(
    *, user, pk: int, for_change: bool = False
) -> LabelMapping:
    visible = visible_with(
        "disproportionality.import", LabelMapping.objects.all(), user
    )
    return get_for_user(visible, label_mapping_can_change, user, for_change, pk=pk)
