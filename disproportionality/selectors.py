"""Reads: figures and populations for the metrics, in a fixed number of queries."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from disproportionality import metrics
from disproportionality.metrics import Cell
from disproportionality.models import Area, EthnicityCount, ImportBatch, Population

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
        choice, population = self.population_for(area_code, self.period_ends[period])
        if choice is None:
            raise NotFound(f"No population by ethnicity for {area_code}.")
        rows = metrics.compute_table(
            counts=counts, populations=population, level=level, reference=reference
        )
        if controlled:
            rows = metrics.apply_disclosure_control(rows, counts, level, reference)
        return rows, choice


def load_figures(
    area_codes, *, periods=None, stages=None, with_population: bool = True
) -> FigureSet:
    figures = FigureSet()
    queryset = EthnicityCount.objects.filter(area_id__in=list(area_codes))
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
        "count",
        "marker",
        "batch__is_demo",
    )
    for area, period, period_end, stage, group, count, marker, demo in rows:
        figures.counts.setdefault((area, period, stage), {})[group] = Cell(
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
    population: PopulationChoice
    rows: list[dict]

    def as_dict(self) -> dict:
        return {
            "area": self.area.code,
            "period": self.period,
            "stage": self.stage,
            "level": self.level,
            "reference": self.reference,
            "population": self.population.as_dict(),
            "rows": [round_row(r) for r in self.rows],
        }


def metrics_table(
    *,
    area_code: str,
    period: str,
    stage: str,
    level: str = "major",
    reference: str = "WBRI",
    controlled: bool = True,
) -> MetricsTable:
    """The table the API, CSV and report command share: three queries."""
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise NotFound(f"No area with code {area_code}.")
    figures = load_figures([area_code], periods=[period], stages=[stage])
    rows, choice = figures.table(
        area_code, period, stage, level, reference, controlled=controlled
    )
    return MetricsTable(area, period, stage, level, reference, choice, rows)


def headline_series(*, area_code: str, stage: str) -> dict[str, list]:
    """Major-group RRIs against White British for every period (board view)."""
    figures = load_figures([area_code], stages=[stage])
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
