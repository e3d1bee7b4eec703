"""Compared with whom? The area's region, its statistical neighbours, England.

Selectors over the same figures as the area's own table, with the same
disclosure control:

* ``england`` — England's own published figures;
* ``region`` — the area's own region (one of the nine, ``E12…``): for an
  authority its parent, for a London borough London, for a local area its
  authority's region. Never silently England: without a known region the
  comparator says so;
* ``neighbours`` — the authority's ten DfE statistical neighbours, pooled:
  counts and populations summed over the neighbours with figures for the
  period and stage, each neighbour's own table beside the pool. A pooled cell
  is the sum of cells the Board may see; if any neighbour's cell is hidden or
  suppressed the pooled cell is suppressed, so the pool reveals nothing.
* any other area code — that area.
"""

from dataclasses import dataclass

from django.db.models import Q

from disproportionality import metrics, taxonomy
from disproportionality.metrics import Cell, MetricRow
from disproportionality.models import Area, StatisticalNeighbour
from disproportionality.populations import PopulationChoice
from disproportionality.selectors import (
    FigureSet,
    NotFound,
    families_of,
    load_figures,
    round_row,
)

ENGLAND = "E92000001"
CHOICES = ("england", "region", "neighbours")
NEIGHBOUR_FIELDS = ("group_code", "count", "rri", "rri_ci_low", "rri_ci_high", "flag")


@dataclass(frozen=True)
class NeighbourResult:
    rank: int
    area_code: str
    area_name: str
    closeness: str
    has_data: bool
    rows: tuple[MetricRow, ...] = ()

    def as_dict(self) -> dict:
        return {
            "rank": self.rank,
            "area_code": self.area_code,
            "area_name": self.area_name,
            "closeness": self.closeness,
            "has_data": self.has_data,
            "rows": [
                {k: v for k, v in round_row(r).items() if k in NEIGHBOUR_FIELDS}
                for r in self.rows
            ],
        }


@dataclass(frozen=True)
class ComparatorResult:
    """What the area is compared with, and that comparator's table."""

    choice: str
    label: str
    area_codes: tuple[str, ...]
    rows: tuple[MetricRow, ...] = ()
    population: PopulationChoice | None = None
    neighbours: tuple[NeighbourResult, ...] = ()
    message: str = ""
    neighbours_with_data: int | None = None
    neighbours_total: int | None = None

    def as_dict(self) -> dict:
        out: dict[str, object] = {
            "choice": self.choice,
            "label": self.label,
            "area_codes": list(self.area_codes),
            "population": self.population.as_dict() if self.population else None,
            "rows": [round_row(r) for r in self.rows],
            "message": self.message,
        }
        if self.choice == "neighbours":
            out["neighbours_total"] = self.neighbours_total
            out["neighbours_with_data"] = self.neighbours_with_data
            out["neighbours"] = [n.as_dict() for n in self.neighbours]
        return out


def region_of(area: Area, by_code: dict[str, Area]) -> Area | None:
    """The area's own English region (E12…), walking up the hierarchy."""
    current: Area | None = area
    while current is not None:
        if current.level == Area.Level.REGION and current.code.startswith("E12"):
            return current
        current = by_code.get(current.parent_id) if current.parent_id else None
    return None


def _hierarchy(area_code: str) -> dict[str, Area]:
    """The area and its ancestors (three levels up) in one query."""
    parent = Area.objects.filter(code=area_code).values("parent_id")
    grandparent = Area.objects.filter(code__in=parent).values("parent_id")
    great = Area.objects.filter(code__in=grandparent).values("parent_id")
    chain = Area.objects.filter(
        Q(code=area_code)
        | Q(code__in=parent)
        | Q(code__in=grandparent)
        | Q(code__in=great)
    )
    return {a.code: a for a in chain}


def _single(choice, area: Area | None, label_if_missing, period, stage, level, ref):
    if area is None:
        return ComparatorResult(choice, label_if_missing, (), message=label_if_missing)
    families = families_of(
        [area.code],
        Area.objects.filter(Q(code=area.code) | Q(parent_id=area.code, level="local")),
    )
    figures = load_figures(
        [area.code], periods=[period], stages=[stage], families=families
    )
    try:
        rows, population = figures.table(area.code, period, stage, level, ref)
    except NotFound as exc:
        return ComparatorResult(choice, area.name, (area.code,), message=str(exc))
    return ComparatorResult(choice, area.name, (area.code,), tuple(rows), population)


def _pool(figures: FigureSet, codes, period, stage, level):
    """Pooled counts (visible cells only) and populations over ``codes``."""
    keys = set()
    tables = {}
    for code in codes:
        counts = figures.counts[(code, period, stage)]
        hidden_minor, hidden_major = figures.hidden_for(code, period, stage)
        visible = metrics.visible_cells(counts, (hidden_minor, hidden_major))
        tables[code] = visible
        keys |= set(visible)
    pooled = {}
    for key in keys:
        cells = [t.get(key) for t in tables.values()]
        known = [c.count for c in cells if c is not None and c.count is not None]
        # a cell missing or hidden in any neighbour: the pool's is hidden too
        pooled[key] = Cell(sum(known)) if len(known) == len(cells) else Cell(None, "c")
    populations: dict[str, int] = {}
    choices = []
    for code in codes:
        choice, population = figures.population_for(code, figures.period_ends[period])
        if choice is None:
            return pooled, {}, None
        choices.append(choice)
        for group, value in population.items():
            populations[group] = populations.get(group, 0) + value
    return pooled, populations, choices[0] if choices else None


def _pool_hidden(counts) -> tuple[set[str], set[str]]:
    """Disclosure control of the pool, plus: a group with a part that could not
    be pooled is not shown, so a pooled total is never a sum of only some of
    its parts (an undercount, and a difference that could reveal a hidden cell)."""
    hidden_minor, hidden_major = metrics.disclosure_control(counts)
    for level, hidden in (("minor", hidden_minor), ("major", hidden_major)):
        for code, _label, _major in taxonomy.level_groups(level):
            members = metrics.group_members(level, code)
            if any(c in counts and counts[c].count is None for c in members):
                hidden.add(code)
    return hidden_minor, hidden_major


def neighbours_comparator(area: Area, period, stage, level, reference):
    subject = area
    if area.level == Area.Level.LOCAL and area.parent_id:
        subject = Area.objects.get(code=area.parent_id)
    links = list(
        StatisticalNeighbour.objects.filter(area_id=subject.code)
        .select_related("neighbour")
        .order_by("rank")
    )
    label = f"Statistical neighbours of {subject.name}"
    if not links:
        return ComparatorResult(
            "neighbours",
            label,
            (),
            message=f"No statistical neighbours for {subject.name}: import the DfE "
            "statistical neighbours file (import_neighbours).",
            neighbours_with_data=0,
            neighbours_total=0,
        )
    codes = [link.neighbour_id for link in links]
    family_areas = Area.objects.filter(
        Q(code__in=codes) | Q(parent_id__in=codes, level=Area.Level.LOCAL)
    )
    figures = load_figures(
        codes,
        periods=[period],
        stages=[stage],
        families=families_of(codes, family_areas),
    )
    with_data = [c for c in codes if (c, period, stage) in figures.counts]
    results = []
    for link in links:
        code = link.neighbour_id
        rows: tuple[MetricRow, ...] = ()
        if code in with_data:
            rows = tuple(figures.table(code, period, stage, level, reference)[0])
        results.append(
            NeighbourResult(
                link.rank,
                code,
                link.neighbour.name,
                link.closeness,
                code in with_data,
                rows,
            )
        )
    pooled_rows: tuple[MetricRow, ...] = ()
    population = None
    if with_data:
        counts, populations, population = _pool(
            figures, with_data, period, stage, level
        )
        table = metrics.compute_table(
            counts=counts, populations=populations, level=level, reference=reference
        )
        pooled_rows = tuple(
            metrics.apply_disclosure_control(
                table, counts, level, reference, hidden=_pool_hidden(counts)
            )
        )
    return ComparatorResult(
        "neighbours",
        f"{label} (pooled, {len(with_data)} of {len(links)} with figures)",
        tuple(codes),
        pooled_rows,
        population,
        tuple(results),
        ""
        if with_data
        else f"None of the neighbours has {stage} figures for {period}.",
        len(with_data),
        len(links),
    )


def comparator_for(
    *, area: Area, choice: str, period: str, stage: str, level: str, reference: str
) -> ComparatorResult:
    """The comparator the request names, computed like the area's own table."""
    if choice == "neighbours":
        return neighbours_comparator(area, period, stage, level, reference)
    if choice == "region":
        region = region_of(area, _hierarchy(area.code))
        missing = (
            f"No region is known for {area.name}: import the area hierarchy "
            "(import_areas) or a DfE authority tidy file."
        )
        return _single("region", region, missing, period, stage, level, reference)
    code = ENGLAND if choice == "england" else choice
    other = Area.objects.filter(code=code).first()
    return _single(
        choice, other, f"No area with code {code}.", period, stage, level, reference
    )
