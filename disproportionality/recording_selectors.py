"""Reads: ethnicity recording quality for the API, dashboard, CSV and board pack.

Built on ``selectors.FigureSet`` so a page that has loaded its figures pays no
extra query; ``recording_caveats`` loads its own for callers such as the board
pack, which compose this app's public selectors.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from disproportionality import recording
from disproportionality.recording import Recording
from disproportionality.selectors import (
    FigureSet,
    NotFound,
    families_of,
    family_area_query,
    load_figures,
)

ENGLAND = "E92000001"


def caveat_threshold() -> float:
    """The caveat setting as a proportion (ETHNICITY_UNKNOWN_CAVEAT_PERCENT)."""
    return float(settings.ETHNICITY_UNKNOWN_CAVEAT_PERCENT) / 100


def _counts(figures: FigureSet, area_code: str, period: str, stage: str):
    counts_for = getattr(figures, "counts_for", None)
    if counts_for is not None:
        return counts_for(area_code, period, stage)
    return figures.counts.get((area_code, period, stage))


def recording_for(
    figures: FigureSet,
    area_code: str,
    period: str,
    stage: str,
    *,
    controlled: bool = True,
    rows: Sequence[Mapping[str, Any]] | None = None,
    level: str = "major",
    reference: str = "WBRI",
) -> Recording | None:
    """The recording quality of one table; with ``rows`` (the table as shown),
    also the bounds on each group's rate and RRI. None without figures."""
    try:
        counts = _counts(figures, area_code, period, stage)
    except NotFound:
        return None
    if not counts:
        return None
    hidden: tuple[set[str], set[str]] = (set(), set())
    if controlled:
        hidden = figures.hidden_for(area_code, period, stage)
    result = recording.measure(
        counts,
        stage=stage,
        period=period,
        hidden=hidden,
        threshold=caveat_threshold(),
        min_count=getattr(figures, "min_count", settings.DISCLOSURE_MIN_COUNT),
    )
    if rows is None:
        return result
    _choice, population = figures.population_for(area_code, figures.period_ends[period])
    return recording.with_bounds(
        result, rows, counts=counts, populations=population, level=level,
        reference=reference,
    )  # fmt: skip


def recording_series(
    figures: FigureSet, area_code: str, stage: str, *, controlled: bool = True
) -> list[Recording]:
    """The recording quality of ``stage`` in every period with figures."""
    series = []
    for period in figures.periods(area_code):
        found = recording_for(figures, area_code, period, stage, controlled=controlled)
        if found is not None:
            series.append(found)
    return series


def recording_caveats(
    *, area_code: str, period: str, stages=("CIN", "CP", "CLA")
) -> dict[str, str | None]:
    """Stage → the caveat its figures carry (None when recording is good
    enough or not reported), as the Board sees them. For the board pack:
    every section built on a stage's figures prints its caveat."""
    areas = list(family_area_query(area_code))
    figures = load_figures(
        [area_code],
        periods=[period],
        stages=list(stages),
        with_population=False,
        families=families_of([area_code], areas),
    )
    out = {}
    for stage in stages:
        found = recording_for(figures, area_code, period, stage)
        out[stage] = found.caveat if found else None
    return out


# --- The dashboard's recording panel ------------------------------------------


@dataclass
class StageRecording:
    """One stage's recording quality on the dashboard: the area now, its trend,
    England and the chosen comparator in the same period."""

    stage: str
    current: Recording
    series: list[Recording] = field(default_factory=list)
    england: Recording | None = None
    comparator: Recording | None = None
    comparator_name: str = ""
    bounds_sentence: str = ""


def dashboard_recording(
    figures: FigureSet,
    *,
    area_code: str,
    comparator_code: str | None,
    comparator_name: str,
    period: str,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    level: str,
    reference: str,
    reference_noun: str,
    controlled: bool = True,
) -> dict[str, StageRecording]:
    """Stage → its recording panel, for the stages the dashboard shows."""
    panels = {}
    for stage, rows in tables.items():
        current = recording_for(
            figures, area_code, period, stage, controlled=controlled, rows=rows,
            level=level, reference=reference,
        )  # fmt: skip
        if current is None:
            continue
        panel = StageRecording(
            stage=stage,
            current=current,
            series=recording_series(figures, area_code, stage, controlled=controlled),
            bounds_sentence=recording.bounds_sentence(current, reference_noun),
        )
        if area_code != ENGLAND:
            panel.england = recording_for(
                figures, ENGLAND, period, stage, controlled=controlled
            )
        if comparator_code and comparator_code not in (area_code, ENGLAND):
            panel.comparator = recording_for(
                figures, comparator_code, period, stage, controlled=controlled
            )
            panel.comparator_name = comparator_name
        panels[stage] = panel
    return panels


# --- metrics.csv: the table with its recording quality ---------------------------

# the table's recording quality, repeated on every row (one tidy table)
RECORDING_CSV_FIELDS = (
    "recording_refused",
    "recording_not_obtained",
    "recording_unknown_share",
    "recording_ci_low",
    "recording_ci_high",
    "recording_caveat",
)
# each group's bounds if every unknown child were in it, or in the reference
BOUNDS_CSV_FIELDS = (
    "rate_if_all_unknown",
    "rri_low_if_unknown",
    "rri_high_if_unknown",
    "direction_holds",
)


def metrics_csv_table(data: dict, row_fields) -> tuple[tuple[str, ...], list[dict]]:
    """(columns, rows) of metrics.csv from the API's dict: every row carries
    its table's recording quality and its own bounds."""
    found = data.get("recording") or {}
    table = {
        "recording_refused": found.get("refused"),
        "recording_not_obtained": found.get("not_obtained"),
        "recording_unknown_share": found.get("unknown_share"),
        "recording_ci_low": found.get("ci_low"),
        "recording_ci_high": found.get("ci_high"),
        "recording_caveat": found.get("caveat"),
    }
    bounds = {b["group_code"]: b for b in found.get("bounds", [])}
    rows = []
    for row in data["rows"]:
        b = bounds.get(row["group_code"], {})
        rows.append(
            {
                **row,
                **table,
                "rate_if_all_unknown": b.get("rate_if_all_unknown"),
                "rri_low_if_unknown": b.get("rri_low"),
                "rri_high_if_unknown": b.get("rri_high"),
                "direction_holds": b.get("direction_holds"),
            }
        )
    return (*row_fields, *RECORDING_CSV_FIELDS, *BOUNDS_CSV_FIELDS), rows


def trend_caveat(periods: list[str], stage: str, threshold: float) -> str:
    """The trend sentence's caveat: which periods' recording was poor."""
    names = ", ".join(periods)
    return (
        f" Ethnicity was not recorded for more than {threshold * 100:.1f}% of "
        f"{recording.stage_noun(stage)} in {names}; rates for every group in "
        f"{'that period' if len(periods) == 1 else 'those periods'} may be "
        "understated by up to that share."
    )


# --- Outside labels in the last import (the label-mapping page) ----------------


@dataclass(frozen=True)
class LabelUse:
    """How many rows (and children) one outside label gave the last import."""

    label: str
    code: str
    rows: int
    children: int

    @property
    def unknown(self) -> bool:
        return self.code in recording.taxonomy.UNKNOWN_CODES


def last_import_label_use() -> tuple[object, list[LabelUse]]:
    """(the last succeeded figures import, its outside labels by rows, most
    first). Admins only: counts here are not disclosure-controlled."""
    from disproportionality.models import ImportBatch

    batch = (
        ImportBatch.objects.filter(
            kind=ImportBatch.Kind.FIGURES, status=ImportBatch.Status.SUCCEEDED
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if batch is None:
        return None, []
    uses = [
        LabelUse(label, code, rows, children)
        for label, (code, rows, children) in (batch.label_rows or {}).items()
    ]
    return batch, sorted(uses, key=lambda u: (-u.rows, u.label))
