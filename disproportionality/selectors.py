"""Reads: figures and populations for the metrics, in a fixed number of queries."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Q

from disproportionality import metrics
from disproportionality.metrics import Cell
from disproportionality.models import (
    Area,
    EthnicityCount,
    ImportBatch,
    Population,
    Stage,
)

PREFERRED_AGE_BAND = "0-17"
API_FIELDS = (
    "group_code",
    "group_label",
    "count",
    "population",
    "share",
    "population_share",
    "representation_index",
    "rate_per_10k",
    "rate_ci_low",
    "rate_ci_high",
    "rri",
    "rri_ci_low",
    "rri_ci_high",
    "flag",
    "suppressed",
)
ROUNDING = {
    "share": 4,
    "population_share": 4,
    "representation_index": 3,
    "rate_per_10k": 2,
    "rate_ci_low": 2,
    "rate_ci_high": 2,
    "rri": 3,
    "rri_ci_low": 3,
    "rri_ci_high": 3,
}


class NotFound(Exception):
    """No such area, or no figures / population for the request."""


@dataclass(frozen=True)
class PopulationChoice:
    source: str
    year: int
    age_band: str

    def as_dict(self) -> dict:
        return {"source": self.source, "year": self.year, "age_band": self.age_band}

    def __str__(self) -> str:
        band = "all ages" if self.age_band == "all" else f"aged {self.age_band}"
        return f"{self.source} ({self.year}), {band}"


def choose_population(
    options: list[PopulationChoice], period_end: date
) -> PopulationChoice | None:
    """The population for a period: prefer the 0–17 band where there is one,
    then the latest year at or before the period, else the earliest after it."""
    if not options:
        return None
    banded = [o for o in options if o.age_band == PREFERRED_AGE_BAND] or options
    before = [o for o in banded if o.year <= period_end.year]
    if before:
        return max(before, key=lambda o: (o.year, o.source))
    return min(banded, key=lambda o: (o.year, o.source))


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
    _hidden: dict = field(default_factory=dict, repr=False)

    def hidden_for(self, area_code: str, period: str, stage: str):
        """(hidden minor, hidden major) for a Board-visible table. An area in a
        family (a local area, or an authority with local areas) is controlled
        jointly with the family, so no hidden count is the authority's count
        minus shown local-area counts."""
        family = self.families.get(area_code)
        if family is None:
            return metrics.disclosure_control(self.counts[(area_code, period, stage)])
        parent, children = family
        key = (parent, period, stage)
        if key not in self._hidden:
            tables = {
                code: self.counts[(code, period, stage)]
                for code in (parent, *children)
                if (code, period, stage) in self.counts
            }
            self._hidden[key] = metrics.family_disclosure_control(parent, tables)
        return self._hidden[key][area_code]

    def periods(self, area_code: str | None = None) -> list[str]:
        found = {p for (a, p, _s) in self.counts if area_code in (None, a)}
        return sorted(found, key=lambda p: self.period_ends[p])

    def population_for(self, area_code: str, period_end: date):
        options = self.populations.get(area_code, {})
        choice = choose_population(list(options), period_end)
        return choice, (options[choice] if choice else {})

    def table(
        self,
        area_code: str,
        period: str,
        stage: str,
        level: str,
        reference: str,
        *,
        controlled: bool = True,
    ) -> tuple[list[dict], PopulationChoice | None]:
        counts = self.counts.get((area_code, period, stage))
        if not counts:
            raise NotFound(f"No {stage} figures for {area_code} in {period}.")
        # no population: counts and shares still stand, the rates are None
        choice, population = self.population_for(area_code, self.period_ends[period])
        rows = metrics.compute_table(
            counts=counts, populations=population, level=level, reference=reference
        )
        if controlled:
            hidden = self.hidden_for(area_code, period, stage)
            rows = metrics.apply_disclosure_control(
                rows, counts, level, reference, hidden=hidden
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
) -> FigureSet:
    """Counts for ``area_codes`` and their families (one query), populations
    for ``area_codes`` (one more)."""
    figures = FigureSet(families=dict(families or {}))
    wanted = set(area_codes)
    for parent, children in figures.families.values():
        wanted.update((parent, *children))
    queryset = EthnicityCount.objects.filter(area_id__in=sorted(wanted))
    if periods is not None:
        queryset = queryset.filter(period__in=list(periods))
    if stages is not None:
        queryset = queryset.filter(stage__in=list(stages))
    rows = queryset.values_list(
        "area_id",
        "period",
        "period_end",
        "stage",
        "group_id",
        "major_code",
        "count",
        "marker",
        "batch__is_demo",
    )
    for area, period, period_end, stage, group, major, count, marker, demo in rows:
        # a major-group-only count is keyed by its major code (WHITE …)
        figures.counts.setdefault((area, period, stage), {})[group or major] = Cell(
            count, marker
        )
        figures.period_ends[period] = period_end
        figures.is_demo = figures.is_demo or bool(demo)
    if with_population:
        populations: dict = defaultdict(lambda: defaultdict(dict))
        for area, year, source, band, group, value in Population.objects.filter(
            area_id__in=list(area_codes)
        ).values_list(
            "area_id", "year", "source", "age_band", "group_id", "population"
        ):
            populations[area][PopulationChoice(source, year, band)][group] = value
        figures.populations = {a: dict(v) for a, v in populations.items()}
    return figures


def round_row(row: dict) -> dict:
    out = {}
    for key in API_FIELDS:
        value = row.get(key)
        if key in ROUNDING and isinstance(value, float):
            value = round(value, ROUNDING[key])
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
    rows: list[dict]
    base_stage: str | None = None  # base=previous: the stage rates are per
    recording: object = None  # recording.Recording: unknown ethnicity, bounds

    def as_dict(self) -> dict:
        data = {
            "area": self.area.code,
            "period": self.period,
            "stage": self.stage,
            "level": self.level,
            "reference": self.reference,
            "population": self.population.as_dict() if self.population else None,
            "base": {"kind": "population", "stage": None},
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
) -> tuple[list[dict], str]:
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
    )
    rows, choice = figures.table(
        area_code, period, stage, level, reference, controlled=controlled
    )
    found = _recording(
        figures, area_code, period, stage, controlled, rows, level, reference
    )
    return MetricsTable(
        area, period, stage, level, reference, choice, rows, recording=found
    )


def _recording(figures, area_code, period, stage, controlled, *bounds_on):
    """Recording quality (with bounds on ``rows, level, reference``, if given)."""
    from disproportionality.recording_selectors import recording_for

    rows, level, reference = bounds_on or (None, "major", "WBRI")
    return recording_for(
        figures, area_code, period, stage, controlled=controlled, rows=rows,
        level=level, reference=reference,
    )  # fmt: skip


def headline_series(*, area_code: str, stage: str) -> dict[str, list]:
    """Major-group RRIs against White British for every period (board view)."""
    families = families_of([area_code], family_area_query(area_code))
    figures = load_figures([area_code], stages=[stage], families=families)
    series: dict[str, list] = defaultdict(list)
    for period in figures.periods(area_code):
        try:
            rows, _choice = figures.table(area_code, period, stage, "major", "WBRI")
        except NotFound:
            continue
        for row in rows:
            series[row["group_code"]].append((figures.period_ends[period], row["rri"]))
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
