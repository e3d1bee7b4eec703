"""Disproportionality formulas: plain functions over numbers, no Django.

Everything a board member sees is computed here, then passed through
``disclosure_control``. Methods and sources:

* Rate per 10,000 with a 95% confidence interval for a count treated as Poisson:
  exact (Garwood 1936, via the chi-square / gamma relationship) below 10 events,
  Byar's approximation from 10 up — the convention of the Public Health England
  (OHID) Fingertips technical guide, "Confidence intervals for rates".
* Representation index: the group's share of the stage ÷ its share of the
  population, both over children with a known ethnicity.
* Relative rate index (RRI): the group's rate ÷ the reference group's rate, with
  a 95% confidence interval by the Katz log method (Katz et al. 1978, Biometrics
  34:469; as in statsmodels ``Table2x2.riskratio_confint``):
  SE(ln RRI) = sqrt(1/a − 1/n₁ + 1/c − 1/n₀). No interval when a or c is 0.
* Disclosure control (DfE / ONS statistical disclosure practice): counts of 1 to
  ``min_count`` − 1 (settings.DISCLOSURE_MIN_COUNT, 6 by default, as DfE's own
  files: no count below 6) are hidden and nothing is derived from them;
  secondary suppression makes sure no hidden count can be worked out from the
  sums a reader can redo, including the area's all-children total. Every hidden
  cell carries the same label, so a reader cannot tell a small count from one
  hidden to protect it.
* Nested comparisons: a group that contains part of the reference group (the
  White major group against White British) gets no ratio, interval or flag.
"""

import dataclasses
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from arp import statistics
from disproportionality import taxonomy

PER = 10_000
SMALL_COUNT = statistics.SMALL_COUNT  # below this: exact interval; "insufficient"
DISCLOSURE_MIN_COUNT = 6  # default: counts 1..5 are hidden (DfE's practice)
DISCLOSURE_THRESHOLD = DISCLOSURE_MIN_COUNT  # the older name
REFERENCES = ("WBRI", "WHITE", "OTHERS")
LEVELS = ("major", "minor")
REFERENCE_LABELS = {
    "WBRI": "White British",
    "WHITE": "all White",
    "OTHERS": "all other children with a known ethnicity",
}

OVER = "over"
UNDER = "under"
NO_DIFFERENCE = "no_difference"
INSUFFICIENT = "insufficient"
REFERENCE_FLAG = "reference"
NOT_APPLICABLE = "not_applicable"
# The all-children total of a table (published, or the sum of every group).
TOTAL_LEVEL = "total"
ALL_CHILDREN = taxonomy.ALL_CHILDREN


def rate_per_10k(
    count: int | None, population: int | None, confidence: float = 0.95
) -> tuple[float | None, float | None, float | None]:
    """(rate, CI low, CI high) per 10,000; all None without a count or population."""
    return statistics.rate(count, population, PER, confidence)


def katz_rri(
    count: int | None,
    population: int | None,
    ref_count: int | None,
    ref_population: int | None,
    confidence: float = 0.95,
) -> tuple[float | None, float | None, float | None]:
    """Relative rate index: group rate ÷ reference rate, Katz log interval.

    Katz's interval assumes the counts are part of their bases. A ratio of two
    point-in-time counts (children looked after per child on a plan) can break
    that; the ratio is then given without an interval.
    """
    if (
        count is not None
        and population is not None
        and ref_count is not None
        and ref_population is not None
        and (count > population or ref_count > ref_population)
    ):
        if not population or not ref_population or not ref_count:
            return None, None, None
        return (count / population) / (ref_count / ref_population), None, None
    return statistics.katz_rate_ratio(
        count, population, ref_count, ref_population, confidence
    )


def representation_index(share: float | None, population_share: float | None):
    """Share of the stage ÷ share of the population (1 = proportionate)."""
    if share is None or not population_share:
        return None
    return share / population_share


def flag_for(
    count: int | None, suppressed: bool, ci_low: float | None, ci_high: float | None
) -> str:
    """over / under / no_difference; insufficient under 10 events or suppressed."""
    if suppressed or count is None or count < SMALL_COUNT:
        return INSUFFICIENT
    if ci_low is None or ci_high is None:
        return INSUFFICIENT
    if ci_low > 1:
        return OVER
    if ci_high < 1:
        return UNDER
    return NO_DIFFERENCE


# --- The table for one area × period × stage ------------------------------------


@dataclass(frozen=True)
class Cell:
    """One published count: ``count`` is None when suppressed / not available."""

    count: int | None
    marker: str = ""

    @property
    def suppressed(self) -> bool:
        return self.count is None


# a rate and its interval, a ratio and its interval: the columns every table,
# API and CSV of rates carries, in this order
RATE_FIELDS = ("rate_per_10k", "rate_ci_low", "rate_ci_high")
RRI_FIELDS = ("rri", "rri_ci_low", "rri_ci_high")
ROUND_PLACES = {**dict.fromkeys(RATE_FIELDS, 2), **dict.fromkeys(RRI_FIELDS, 3)}
# what is derived from a count: hidden with it by disclosure control
DERIVED = ("share", "representation_index", *RATE_FIELDS, *RRI_FIELDS, "rri_log_se")


@dataclass(frozen=True)
class MetricRow(Mapping):
    """One group's figures in one area's table, from ``compute_table`` to the
    template, the API and the CSVs. After ``apply_disclosure_control`` a
    hidden ``count`` is a label ("suppressed", "not available", "at least N")
    and everything derived from it is None.

    Read by attribute. It is also a read-only mapping of its fields, for the
    writers that take rows by column name (CSV, API rounding, chart tables)."""

    group_code: str
    group_label: str
    major_code: str
    count: int | str | None
    population: int | float | None  # scaled to a mid-year estimate: not whole
    marker: str = ""
    suppressed: bool = False
    unknown: bool = False  # refused or not obtained: in no share, rate or ratio
    partial: bool = False  # some parts suppressed at source: a lower bound
    available: bool = True  # False: the figures give the major group only
    is_reference: bool = False
    nested: bool = False  # holds part of the reference: no ratio
    share: float | None = None
    population_share: float | None = None
    representation_index: float | None = None
    rate_per_10k: float | None = None
    rate_ci_low: float | None = None
    rate_ci_high: float | None = None
    rri: float | None = None
    rri_ci_low: float | None = None
    rri_ci_high: float | None = None
    rri_log_se: float | None = None  # SE of ln(RRI), for the change over time
    flag: str | None = None
    note: str | None = None
    # a group with a rate of its own whose ratio is missing only because the
    # reference group is hidden or empty (the dashboard's reading)
    reference_too_small: bool = False
    period: str | None = None  # set on the rows of a trend

    def __getitem__(self, key: str):
        if key not in _METRIC_FIELDS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(_METRIC_FIELDS)

    def __len__(self) -> int:
        return len(_METRIC_FIELDS)

    def replace(self, **changes) -> "MetricRow":
        return dataclasses.replace(self, **changes)


_METRIC_FIELDS = tuple(f.name for f in dataclasses.fields(MetricRow))


def _sum_cells(cells: list[Cell | None]) -> Cell:
    present = [c for c in cells if c is not None]
    known = [c.count for c in present if c.count is not None]
    if not known:
        markers = sorted({c.marker for c in present if c.marker})
        return Cell(None, markers[0] if markers else "x")
    return Cell(sum(known))


def _is_partial(cells: list[Cell | None]) -> bool:
    """Some parts have a count and some are suppressed or not available: the
    sum of the published parts is then only a lower bound ("at least N")."""
    present = [c for c in cells if c is not None]
    return any(c.count is None for c in present) and any(
        c.count is not None for c in present
    )


def _sum_pop(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


@cache
def _level_members(level: str) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(group code, label, major code, member DfE codes) for a level, worked out
    once: the taxonomy is fixed, and this runs for every table on every page."""
    return tuple(
        (
            code,
            label,
            major,
            group_members(level, code),
        )
        for code, label, major in taxonomy.level_groups(level)
    )


@cache
def group_members(level: str, group: str) -> tuple[str, ...]:
    """The DfE codes in ``group`` at ``level`` (WIRT and WROM in GRT …)."""
    return tuple(c for c in taxonomy.CODES if taxonomy.group_of(c, level) == group)


def _major_only(counts: Mapping[str, Cell], major: str) -> Cell | None:
    """The major group's own total when the figures give it without its parts."""
    cell = counts.get(major)
    if cell is None or any(c in counts for c in taxonomy.major_members(major)):
        return None
    return cell


def aggregate(
    counts: Mapping[str, Cell], populations: Mapping[str, int], level: str
) -> list[dict]:
    """Group DfE-code cells into the level's groups (published parts only).

    ``counts`` may also hold a major group's total without its parts, keyed by
    the major code: it is the major group's count, and at the detailed level
    the group's parts are "not available" (never zeros).
    """
    rows = []
    for code, label, major, members in _level_members(level):
        available = True
        whole = _major_only(counts, major)
        if whole is not None and level == "major":
            cell = whole
        elif whole is not None:
            cell, available = Cell(None, ""), False
        else:
            cell = _sum_cells([counts.get(c) for c in members])
        rows.append(
            {
                "group_code": code,
                "group_label": label,
                "major_code": major,
                "count": cell.count,
                "marker": cell.marker,
                "suppressed": cell.suppressed,
                "population": _sum_pop([populations.get(c) for c in members]),
                "unknown": major == taxonomy.UNKNOWN_MAJOR,
                "partial": whole is None
                and _is_partial([counts.get(c) for c in members]),
                "available": available,
            }
        )
    return rows


def _reference_totals(counts, populations, reference):
    if reference == "WBRI":
        codes = ["WBRI"]
        cell = None if _major_only(counts, "WHITE") else counts.get("WBRI")
        cell = cell or Cell(None, "x")
    else:
        codes = list(taxonomy.major_members("WHITE"))
        whole = _major_only(counts, "WHITE")
        cells = [counts.get(c) for c in codes]
        if whole is None and _is_partial(cells):
            return None, None  # a lower bound is no reference rate
        cell = whole or _sum_cells(cells)
    return cell.count, _sum_pop([populations.get(c) for c in codes])


def reference_members(reference: str) -> frozenset[str]:
    """The DfE codes in a reference group (OTHERS: none in particular)."""
    if reference == "WBRI":
        return frozenset({"WBRI"})
    if reference == "WHITE":
        return frozenset(taxonomy.major_members("WHITE"))
    return frozenset()


def is_nested(group_members, reference: str, group_code: str) -> bool:
    """The group holds part of the reference but is not it: comparing the two
    would compare a group with its own subset (White against White British)."""
    return group_code != reference and bool(
        set(group_members) & reference_members(reference)
    )


def compute_table(
    *,
    counts: Mapping[str, Cell],
    populations: Mapping[str, int],
    level: str = "major",
    reference: str = "WBRI",
    confidence: float = 0.95,
) -> list[MetricRow]:
    """Every metric for each group at ``level``, before disclosure control.

    ``counts`` and ``populations`` are keyed by DfE code. Shares are over
    children with a known ethnicity: the unknown rows (REFU, NOBT) are listed
    but take no part in shares, rates or ratios.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    if reference not in REFERENCES:
        raise ValueError(f"reference must be one of {REFERENCES}")
    rows = aggregate(counts, populations, level)
    members = {code: m for code, _label, _major, m in _level_members(level)}
    known = [r for r in rows if not r["unknown"]]
    total = sum(r["count"] for r in known if r["count"] is not None)
    total_pop = sum(r["population"] for r in known if r["population"] is not None)
    if reference != "OTHERS":
        ref_count, ref_pop = _reference_totals(counts, populations, reference)
    for row in rows:
        count, pop = row["count"], row["population"]
        row["is_reference"] = row["group_code"] == reference
        row["nested"] = is_nested(
            members[row["group_code"]], reference, row["group_code"]
        )
        if row["unknown"]:
            row.update(dict.fromkeys(("population_share", *DERIVED)))
            row["flag"] = NOT_APPLICABLE
            continue
        share = count / total if count is not None and total else None
        pop_share = pop / total_pop if pop is not None and total_pop else None
        rate, rate_low, rate_high = rate_per_10k(count, pop, confidence)
        if reference == "OTHERS":
            ref_count = total - count if count is not None else None
            ref_pop = total_pop - pop if pop is not None else None
        log_se = None  # SE of ln(RRI), for the change test between periods
        if row["partial"]:
            # a lower bound: no share, rate or ratio is honest on it
            share = rate = rate_low = rate_high = None
        if row["is_reference"]:
            rri, rri_low, rri_high = (1.0 if rate is not None else None), None, None
            flag = REFERENCE_FLAG
        elif row["nested"]:
            rri = rri_low = rri_high = flag = None
        elif row["partial"]:
            rri = rri_low = rri_high = None
            flag = INSUFFICIENT
        else:
            rri, rri_low, rri_high = katz_rri(
                count, pop, ref_count, ref_pop, confidence
            )
            flag = flag_for(count, row["suppressed"], rri_low, rri_high)
            if rri_low is not None:
                log_se = statistics.katz_log_se(count, pop, ref_count, ref_pop)
        row.update(
            rri_log_se=log_se,
            share=share,
            population_share=pop_share,
            representation_index=representation_index(share, pop_share),
            rate_per_10k=rate,
            rate_ci_low=rate_low,
            rate_ci_high=rate_high,
            rri=rri,
            rri_ci_low=rri_low,
            rri_ci_high=rri_high,
            flag=flag,
        )
    return [MetricRow(**row) for row in rows]


# public names for the league, which forms the same groups for every area at once
major_only = _major_only
sum_populations = _sum_pop
# and for the recording-quality bounds (the reference group's count and base)
reference_totals = _reference_totals


# --- Disclosure control ---------------------------------------------------------
#
# The board sees tables whose cells are tied together by sums anyone can redo:
# within one table, each major group is the sum of its published minor groups;
# the stage total of children with a known ethnicity (which follows from any
# shown share) is the sum of the known majors and of the known minors; the
# area's all-children total (as published, or the sum of every group) is the
# sum of all the majors and of all the minors; across areas, a local
# authority's cell is the sum of its local areas' cells. Each sum is a
# "relation". Primary suppression hides counts of 1 to min_count − 1; secondary
# suppression then repeats, until nothing changes: a relation with exactly one
# hidden cell hides one more (the smallest non-zero cell left, else a zero), and
# an audit of all the relations together — exact linear algebra, then bounds
# (a reader who guessed which hidden cells are small would put them between 1
# and min_count − 1, the others at 0 or more) — finds any hidden cell a reader
# could still pin to one value. A group shown as "at least N" (some parts
# suppressed at source) is the sum of its published parts, so it is a relation
# too. Cells suppressed at source enter the published all-children total as
# one unknown ("slack"), never as 0.

# a cell: (area key, level, group code); level "total" holds the ALL cell
CellKey = tuple[str, str, str]
SLACK_LEVEL = "slack"


@dataclass(frozen=True)
class Relation:
    """``total`` = sum of ``parts``; ``total`` None means a derivable constant."""

    total: CellKey | None
    parts: tuple[CellKey, ...]


def _is_small(count: int | None, min_count: int = DISCLOSURE_MIN_COUNT) -> bool:
    return count is not None and 1 <= count < min_count


is_small = _is_small


def all_children_count(
    counts: Mapping[str, Cell], total: Cell | None = None
) -> tuple[int | None, bool]:
    """(all children at the stage, whether that is only a lower bound).

    The published total where there is one; else the sum of every group (a
    major group's own total where it comes without its parts), a lower bound
    when some groups are suppressed or not available.
    """
    if total is not None and total.count is not None:
        return total.count, False
    cells = [counts.get(c) for c in taxonomy.CODES]
    cells += [
        _major_only(counts, major)
        for major in taxonomy.MAJOR_LABELS
        if _major_only(counts, major) is not None
    ]
    return _sum_cells(cells).count, _is_partial(cells)


def table_cells(
    counts: Mapping[str, Cell], area: str = "", total: Cell | None = None
) -> dict[CellKey, int | None]:
    """The published counts of one table at both levels and its all-children
    total (None when not published)."""
    values: dict[CellKey, int | None] = {}
    for level in LEVELS:
        for row in aggregate(counts, {}, level):
            values[(area, level, row["group_code"])] = row["count"]
    values[(area, TOTAL_LEVEL, ALL_CHILDREN)] = all_children_count(counts, total)[0]
    published_total = total is not None and total.count is not None
    at_source = sum(
        counts.get(c) is not None and counts[c].count is None for c in taxonomy.CODES
    )
    if published_total and at_source:
        # the value is the number of cells the source suppressed, for their bounds
        values[(area, SLACK_LEVEL, ALL_CHILDREN)] = at_source
    return values


def table_relations(values: Mapping[CellKey, int | None], area: str = ""):
    """The sums within one table that a reader can redo (published cells only)."""

    def present(keys):
        return tuple(k for k in keys if values.get(k) is not None)

    relations = []
    known_majors, known_minors, all_minors = [], [], []
    for code, _label, major, _members in _level_members("minor"):
        all_minors.append((area, "minor", code))
        if major != taxonomy.UNKNOWN_MAJOR:
            known_minors.append((area, "minor", code))
    all_majors = []
    for code, _label, _major, _members in _level_members("major"):
        key = (area, "major", code)
        all_majors.append(key)
        if code != taxonomy.UNKNOWN_MAJOR:
            known_majors.append(key)
        if values.get(key) is None:
            continue
        minors = [
            (area, "minor", m)
            for m, _label, mj, _members in _level_members("minor")
            if mj == code
        ]
        relations.append(Relation(key, present(minors)))
    relations.append(Relation(None, present(known_majors)))
    relations.append(Relation(None, present(known_minors)))
    total = (area, TOTAL_LEVEL, ALL_CHILDREN)
    if values.get(total) is not None:
        slack = (area, SLACK_LEVEL, ALL_CHILDREN)
        extra = (slack,) if slack in values else ()
        relations.append(Relation(total, present(all_majors) + extra))
        relations.append(Relation(total, present(all_minors) + extra))
    return relations


def family_relations(values, parent: str, children: Iterable[str]):
    """Parent cell = sum of its children's cells, for every group at both levels
    and for the all-children total."""
    children = list(children)
    relations = []
    groups = [
        (level, code)
        for level in LEVELS
        for code, _label, _major, _members in _level_members(level)
    ]
    groups.append((TOTAL_LEVEL, ALL_CHILDREN))
    for level, code in groups:
        total = (parent, level, code)
        if values.get(total) is None:
            continue
        parts = tuple((child, level, code) for child in children)
        if any(values.get(part) is None for part in parts):
            # a child's cell is unpublished: the sum holds an unknown, so it
            # is not a sum a reader can redo
            continue
        relations.append(Relation(total, parts))
    return relations


def _is_slack(key: CellKey) -> bool:
    return key[1] == SLACK_LEVEL


def _line_rule(values, memberships, hidden) -> None:
    """Until nothing changes: a sum with exactly one hidden cell hides another."""
    changed = True
    while changed:
        changed = False
        for total, members in memberships:
            hidden_here = [m for m in members if m in hidden]
            # the source's own suppressed cells are its to protect
            if len(hidden_here) != 1 or _is_slack(hidden_here[0]):
                continue
            visible = [m for m in members if m not in hidden]
            if visible:
                hidden.add(_cheapest(values, visible, total))
                changed = True


def _cheapest(values, cells, total=None) -> CellKey:
    """A non-zero count protects; the smallest costs least; parts before totals."""
    return min(cells, key=lambda m: (values[m] == 0, values[m], m == total, m))


def suppress(
    values: Mapping[CellKey, int | None],
    relations: Iterable[Relation],
    *,
    min_count: int = DISCLOSURE_MIN_COUNT,
) -> set[CellKey]:
    """Primary (1 to min_count − 1) then secondary suppression; the hidden cells.

    Secondary: the line rule (no sum with exactly one hidden cell), then an
    audit of every sum together (``_determined``); a hidden cell that could
    still be worked out takes the smallest shown cell of one of its sums with
    it, and both steps repeat until the audit finds nothing.
    """
    hidden = {k for k, v in values.items() if _is_small(v, min_count)}
    hidden |= {k for k in values if _is_slack(k)}
    memberships = []
    for relation in relations:
        members = list(relation.parts)
        if relation.total is not None:
            members.append(relation.total)
        members = [m for m in members if values.get(m) is not None]
        if members:
            memberships.append((relation.total, members))
    while True:
        _line_rule(values, memberships, hidden)
        # the exact audit is cheap; the bounds audit runs once the exact one
        # finds nothing, so a page pays for it only a few times
        exposed = _exposed(_determined(values, memberships, hidden), hidden)
        if not exposed:
            equations = _equations(values, memberships, hidden)
            exposed = _exposed(_bounded(values, equations, hidden, min_count), hidden)
        if not _protect_one(values, memberships, hidden, exposed):
            return hidden


def _exposed(found: set[CellKey], hidden: set[CellKey]) -> list[CellKey]:
    return sorted(c for c in found if c in hidden and not _is_slack(c))


def _protect_one(values, memberships, hidden, exposed) -> bool:
    """Hide the smallest shown cell of a sum of the first exposed cell that has
    one; one at a time, as each addition may protect the others."""
    for cell in exposed:
        candidates = {
            m
            for total, members in memberships
            if cell in members
            for m in members
            if m not in hidden
        }
        if candidates:
            hidden.add(_cheapest(values, candidates))
            return True
    return False


MAX_MOVES = 6  # bound changes per cell that propagate further (see _bounded)
_PRIME = (1 << 61) - 1  # exact elimination modulo a large prime: fast and sparse
_INF = float("inf")


def _equations(values, memberships, hidden):
    """Each sum as (coefficients {hidden cell: ±1}, right-hand side)."""
    equations = []
    for total, members in memberships:
        coef: dict[CellKey, int] = {}
        rhs = 0
        for m in members:
            sign = 1 if m == total else -1
            if m in hidden:
                coef[m] = coef.get(m, 0) + sign
            else:
                rhs -= sign * values[m]
        if total is None:
            # the derivable constant: (known total) − Σ parts = 0
            rhs -= sum(values[m] for m in members)
        if coef:
            equations.append((coef, rhs))
    return equations


def _combined(equations, bounded):
    """The sums and the differences of every two sums that share a hidden cell:
    propagating bounds over single sums misses what two give together (e.g.
    the all-children total less the known-ethnicity total is the unknown
    group plus the cells suppressed at source)."""
    out = list(equations)
    # within one table only: across a family the pairs grow with the square of
    # the number of areas, and the sums across areas are checked exactly below
    by_area: dict[str, list] = defaultdict(list)
    for coef, rhs in equations:
        areas = {c[0] for c in coef}
        if len(areas) == 1:
            by_area[areas.pop()].append((coef, rhs))
    for same in by_area.values():
        out += _pairs(same, bounded)
    return out


def _pairs(equations, bounded):
    """Pairs that share a bounded cell (small, or the source's): only through
    one can two sums together narrow a range more than each alone."""
    out = []
    for i, (coef_a, rhs_a) in enumerate(equations):
        for coef_b, rhs_b in equations[i + 1 :]:
            if not (coef_a.keys() & coef_b.keys() & bounded):
                continue
            for sign in (1, -1):
                coef = dict(coef_a)
                for c, v in coef_b.items():
                    coef[c] = coef.get(c, 0) + sign * v
                coef = {c: v for c, v in coef.items() if v}
                if coef and len(coef) < len(coef_a) + len(coef_b):
                    out.append((coef, rhs_a + sign * rhs_b))
    return out


def _bounded(values, equations, hidden, min_count) -> set[CellKey]:
    """Hidden cells whose range, from the sums and each cell's bounds, holds a
    single whole number (interval propagation to a fixed point)."""
    bounded = {c for c in hidden if _is_slack(c) or _is_small(values[c], min_count)}
    if not bounded:
        return set()  # no upper bounds: nothing beyond the exact audit follows
    # only sums that hold a bounded cell can narrow a range to one value, bar
    # the zero sums the exact audit already finds
    equations = [e for e in _combined(equations, bounded) if e[0].keys() & bounded]
    low, high = {}, {}
    for c in hidden:
        if _is_slack(c):
            # the source's suppressed cells, each taken as small, as a reader might
            low[c], high[c] = values[c], values[c] * (min_count - 1)
        elif _is_small(values[c], min_count):
            low[c], high[c] = 1, min_count - 1
        else:
            low[c], high[c] = 0, _INF
    containing: dict[CellKey, list[int]] = defaultdict(list)
    for i, (coef, _rhs) in enumerate(equations):
        for c in coef:
            containing[c].append(i)
    queue, queued = list(range(len(equations))), set(range(len(equations)))
    moves: dict[CellKey, int] = defaultdict(int)
    while queue:
        i = queue.pop()
        queued.discard(i)
        coef, rhs = equations[i]
        try:
            moved = _tighten(coef, rhs, low, high)
        except _Inconsistent:
            # sums that do not add up pin nothing: keep what was found so far
            return {c for c in hidden if 0 <= high[c] - low[c] < 1}
        for c in moved:
            if high[c] - low[c] < 1 and not _is_slack(c):
                return {c}  # the caller protects one cell at a time anyway
            # bounds can creep by one around a cycle of sums: a cell that has
            # moved this often wakes no more sums (a wide range stays wide)
            moves[c] += 1
            if moves[c] > MAX_MOVES:
                continue
            for j in containing[c]:
                if j not in queued:
                    queued.add(j)
                    queue.append(j)
    return {c for c in hidden if 0 <= high[c] - low[c] < 1}


def _tighten(coef, rhs, low, high) -> list[CellKey]:
    """One sum Σ a·x = rhs: narrow each cell's bounds from the others'; the
    cells whose bounds changed."""
    lo_sum = hi_sum = 0
    lo_inf = hi_inf = 0
    terms = []
    for c, a in coef.items():
        if a > 0:
            t_lo, t_hi = a * low[c], a * high[c]
        else:
            t_lo, t_hi = a * high[c], a * low[c]
        terms.append((c, a, t_lo, t_hi))
        if t_lo == -_INF:
            lo_inf += 1
        else:
            lo_sum += t_lo
        if t_hi == _INF:
            hi_inf += 1
        else:
            hi_sum += t_hi
    if lo_inf > 1 and hi_inf > 1:
        return []  # two unbounded cells each way: nothing follows
    changed = []
    for c, a, t_lo, t_hi in terms:
        own_lo_inf = t_lo == -_INF
        own_hi_inf = t_hi == _INF
        rest_lo = -_INF if lo_inf - own_lo_inf else lo_sum - (0 if own_lo_inf else t_lo)
        rest_hi = _INF if hi_inf - own_hi_inf else hi_sum - (0 if own_hi_inf else t_hi)
        ax_lo, ax_hi = rhs - rest_hi, rhs - rest_lo  # a·x = rhs − the rest
        new_lo, new_hi = (ax_lo, ax_hi) if a > 0 else (-ax_hi, -ax_lo)
        if abs(a) != 1:
            new_lo, new_hi = new_lo / abs(a), new_hi / abs(a)
        moved = False
        if new_lo != -_INF and new_lo > low[c]:
            low[c] = math.ceil(new_lo - 1e-9)
            moved = True
        if new_hi != _INF and new_hi < high[c]:
            high[c] = math.floor(new_hi + 1e-9)
            moved = True
        if moved:
            if low[c] > high[c]:
                raise _Inconsistent  # the figures do not add up (e.g. rounding)
            changed.append(c)
    return changed


class _Inconsistent(Exception):
    """The published sums contradict each other: no reader can solve them."""


def _zero_sums(equations) -> set[CellKey]:
    """Non-negativity: where the hidden cells of a sum, all of one sign, must
    add up to 0, each is 0."""
    known: set[CellKey] = set()
    changed = True
    while changed:
        changed = False
        for coef, rhs in equations:
            unknown = [c for c in coef if c not in known]
            if rhs or not unknown:
                continue
            if len({coef[c] > 0 for c in unknown}) == 1:
                known.update(unknown)
                changed = True
    return known


def _determined(values, memberships, hidden) -> set[CellKey]:
    """Hidden cells a reader could work out exactly from the published sums.

    First, non-negativity (``_zero_sums``). Then linear algebra: a hidden cell
    is determined when it alone is a combination of the sums (its reduced row
    has no other unknown). ``_bounded`` then checks the bounds.
    """
    equations = _equations(values, memberships, hidden)
    known: set[CellKey] = _zero_sums(equations)
    pivots: dict[CellKey, dict[CellKey, int]] = {}
    for coef, _constant in equations:
        row = {c: v % _PRIME for c, v in coef.items() if c not in known}
        for col in [c for c in row if c in pivots]:
            factor = row.pop(col, 0)
            if factor:
                for c, v in pivots[col].items():
                    if c != col:
                        row[c] = (row.get(c, 0) - factor * v) % _PRIME
                        if not row[c]:
                            del row[c]
        # reducing may bring in other pivot columns only if rows were not
        # fully reduced; they are, so ``row`` is now free of pivot columns
        row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        col = min(row)
        inverse = pow(row[col], _PRIME - 2, _PRIME)
        row = {c: v * inverse % _PRIME for c, v in row.items()}
        for other in pivots.values():
            factor = other.get(col)
            if factor:
                for c, v in row.items():
                    other[c] = (other.get(c, 0) - factor * v) % _PRIME
                    if not other[c]:
                        del other[c]
        pivots[col] = row
    known.update(col for col, row in pivots.items() if len(row) == 1)
    return known


def _split(hidden: set[CellKey], area: str) -> tuple[set[str], set[str]]:
    """(hidden minor groups, hidden major groups) of one area; a hidden
    all-children total is "ALL" in the major set."""
    minor = {g for a, lvl, g in hidden if a == area and lvl == "minor"}
    major = {g for a, lvl, g in hidden if a == area and lvl in ("major", TOTAL_LEVEL)}
    return minor, major


def disclosure_control(
    counts: Mapping[str, Cell],
    *,
    total: Cell | None = None,
    min_count: int = DISCLOSURE_MIN_COUNT,
) -> tuple[set[str], set[str]]:
    """Which minor and major groups of one table to hide, decided jointly for
    both levels and the all-children total. Returns (minor, major) sets; the
    major set holds "ALL" when the total must be hidden."""
    minor, major = _disclosure_control_cached(tuple(counts.items()), total, min_count)
    return set(minor), set(major)


# Disclosure control is a pure function of the counts, and the same tables are
# controlled again and again (every page of the dashboard, each indicator feed,
# the board pack): remember the answers. The keys keep the tables' order, so a
# cached answer is exactly the one the computation gives.
_CONTROL_CACHE_SIZE = 4096


@lru_cache(maxsize=_CONTROL_CACHE_SIZE)
def _disclosure_control_cached(counts, total, min_count):
    values = table_cells(dict(counts), "", total)
    minor, major = _split(
        suppress(values, table_relations(values), min_count=min_count), ""
    )
    return frozenset(minor), frozenset(major)


def family_disclosure_control(
    parent: str,
    tables: Mapping[str, Mapping[str, Cell]],
    *,
    totals: Mapping[str, Cell | None] | None = None,
    min_count: int = DISCLOSURE_MIN_COUNT,
) -> dict[str, tuple[set[str], set[str]]]:
    """Disclosure control over a parent area and its local areas at once.

    ``tables`` maps area code → counts for one period and stage (the parent and
    whichever children have figures); ``totals`` each one's published
    all-children total. Each table's own sums and the sums across areas (parent
    = sum of children, group by group and in total) are protected together, so
    subtracting shown local-area counts from the authority's cannot reveal a
    hidden one. Returns area code → (hidden minor, hidden major).
    """
    answer = _family_control_cached(
        parent,
        tuple((area, tuple(counts.items())) for area, counts in tables.items()),
        tuple((totals or {}).items()),
        min_count,
    )
    return {area: (set(minor), set(major)) for area, (minor, major) in answer}


@lru_cache(maxsize=_CONTROL_CACHE_SIZE)
def _family_control_cached(parent, tables_key, totals_key, min_count):
    tables = {area: dict(items) for area, items in tables_key}
    totals = dict(totals_key)
    values: dict[CellKey, int | None] = {}
    relations: list[Relation] = []
    for area, counts in tables.items():
        cells = table_cells(counts, area, totals.get(area))
        values.update(cells)
        relations += table_relations(cells, area)
    children = [a for a in tables if a != parent]
    if parent in tables and children:
        relations += family_relations(values, parent, children)
    hidden = suppress(values, relations, min_count=min_count)
    return tuple(
        (area, tuple(frozenset(part) for part in _split(hidden, area)))
        for area in tables
    )


def visible_cells(
    counts: Mapping[str, Cell], hidden: tuple[set[str], set[str]]
) -> dict[str, Cell]:
    """The cells of one table as the Board may see them: a cell whose group is
    hidden at either level becomes suppressed. Sums of visible cells reveal
    nothing, so pooled or derived figures are built from these only."""
    hidden_minor, hidden_major = hidden
    visible = {}
    for key, cell in counts.items():
        if taxonomy.is_major(key):
            is_hidden = key in hidden_major
        else:
            is_hidden = (
                taxonomy.minor_code(key) in hidden_minor
                or taxonomy.CODE_MAJOR[key] in hidden_major
            )
        visible[key] = Cell(None, "c") if is_hidden else cell
    return visible


def counts_as_base(counts: Mapping[str, Cell], level: str) -> dict[str, int]:
    """A stage's published counts as the denominator of the next stage's rates
    (keyed like a population). A major-group-only count stands for its group
    at the major level only; its parts are unknown at the detailed level."""
    base = {k: c.count for k, c in counts.items() if c.count is not None}
    for major in [k for k in base if taxonomy.is_major(k)]:
        value = base.pop(major)
        members = taxonomy.major_members(major)
        if level == "major" and not any(m in counts for m in members):
            base[members[0]] = value
    return base


# One label for every hidden count, small or hidden to protect a small one, as
# DfE's "c": a label that told them apart would tell a reader which cells lie
# between 1 and min_count − 1, and the sums could then pin them.
SUPPRESSED_LABEL = "suppressed"
SMALL_LABEL = SUPPRESSED_LABEL  # no separate label for small counts (see above)
NOT_AVAILABLE_LABEL = "not available"
NOT_AVAILABLE_MARKER = "u"  # a count that cannot be worked out (never guessed)


def at_least(count: int) -> str:
    return f"at least {count:,}"


def apply_disclosure_control(
    rows: Iterable[Mapping],
    counts: Mapping[str, Cell],
    level: str,
    reference: str,
    *,
    hidden: tuple[set[str], set[str]] | None = None,
    total: Cell | None = None,
    min_count: int = DISCLOSURE_MIN_COUNT,
) -> list[MetricRow]:
    """A copy of ``rows`` safe for the board.

    Hidden counts become "suppressed" (small, secondary or at source), their
    shares, rates and ratios become None, the flag "insufficient", and when the
    reference group itself is hidden no ratio is shown at all. A group some of
    whose parts are suppressed shows "at least N", never an exact count.
    """
    if hidden is None:
        hidden = disclosure_control(counts, total=total, min_count=min_count)
    hidden_minor, hidden_major = hidden
    hidden_here = hidden_major if level == "major" else hidden_minor
    if reference == "WBRI":
        ref_hidden = "WBRI" in hidden_minor or _major_only(counts, "WHITE") is not None
    elif reference == "WHITE":
        ref_hidden = "WHITE" in hidden_major
    else:
        ref_hidden = False
    safe = []
    for row in rows:
        row = dict(row)
        if not row.get("available", True):
            row["count"] = NOT_AVAILABLE_LABEL
            row["suppressed"] = False
            row.update(dict.fromkeys(DERIVED))
            row["flag"] = NOT_APPLICABLE
        elif row["count"] is None and row.get("marker") == NOT_AVAILABLE_MARKER:
            # e.g. all children less a UASC count the source suppressed
            row["count"] = NOT_AVAILABLE_LABEL
            row["suppressed"] = True
            row.update(dict.fromkeys(DERIVED))
            if not row["unknown"] and not row.get("nested"):
                row["flag"] = INSUFFICIENT
        elif row["group_code"] in hidden_here or row["count"] is None:
            row["count"] = SUPPRESSED_LABEL
            row["suppressed"] = True
            row.update(dict.fromkeys(DERIVED))
            if not row["unknown"] and not row.get("nested"):
                row["flag"] = INSUFFICIENT
        else:
            if row.get("partial"):
                row["count"] = at_least(row["count"])
            if ref_hidden and not row["unknown"]:
                row.update(rri=None, rri_ci_low=None, rri_ci_high=None, rri_log_se=None)
                if not row["is_reference"] and not row.get("nested"):
                    row["flag"] = INSUFFICIENT
        safe.append(MetricRow(**row))
    return safe


@dataclass(frozen=True)
class AllChildren:
    """The all-children figure of a table: count, its base and the rate."""

    count: int | str | None
    population: int | None
    rate_per_10k: float | None
    rate_ci_low: float | None
    rate_ci_high: float | None
    lower_bound: bool = False

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            "population": self.population,
            "rate_per_10k": _round(self.rate_per_10k, 2),
            "rate_ci_low": _round(self.rate_ci_low, 2),
            "rate_ci_high": _round(self.rate_ci_high, 2),
        }


def _round(value, places):
    return None if value is None else round(value, places)


def all_children(
    counts: Mapping[str, Cell],
    *,
    total: Cell | None,
    population: int | None,
    hidden: bool = False,
) -> AllChildren:
    """All children at the stage per 10,000 children of the area, as DfE
    publishes it ("number and rate per 10,000": count ÷ the 0–17 mid-year
    estimate × 10,000). Hidden, or a lower bound, gives no rate."""
    count, lower_bound = all_children_count(counts, total)
    if count is None or hidden:
        shown = SUPPRESSED_LABEL if count is not None or hidden else None
        return AllChildren(shown, population, None, None, None)
    if lower_bound:
        return AllChildren(at_least(count), population, None, None, None, True)
    rate, low, high = rate_per_10k(count, population)
    return AllChildren(count, population, rate, low, high)
