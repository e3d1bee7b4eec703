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
  4 are shown as "<5" and nothing is derived from them; secondary suppression
  makes sure no hidden count can be worked out by subtraction from a total.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from arp import statistics
from disproportionality import taxonomy

PER = 10_000
SMALL_COUNT = statistics.SMALL_COUNT  # below this: exact interval; "insufficient"
DISCLOSURE_THRESHOLD = 5  # counts 1..4 are hidden
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
    if None not in (count, population, ref_count, ref_population) and (
        count > population or ref_count > ref_population
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


def _sum_cells(cells: list[Cell | None]) -> Cell:
    present = [c for c in cells if c is not None]
    known = [c.count for c in present if c.count is not None]
    if not known:
        markers = sorted({c.marker for c in present if c.marker})
        return Cell(None, markers[0] if markers else "x")
    return Cell(sum(known))


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
            tuple(c for c in taxonomy.CODES if taxonomy.group_of(c, level) == code),
        )
        for code, label, major in taxonomy.level_groups(level)
    )


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
        cell = _major_only(counts, "WHITE") or _sum_cells(
            [counts.get(c) for c in codes]
        )
    return cell.count, _sum_pop([populations.get(c) for c in codes])


def compute_table(
    *,
    counts: Mapping[str, Cell],
    populations: Mapping[str, int],
    level: str = "major",
    reference: str = "WBRI",
    confidence: float = 0.95,
) -> list[dict]:
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
    known = [r for r in rows if not r["unknown"]]
    total = sum(r["count"] for r in known if r["count"] is not None)
    total_pop = sum(r["population"] for r in known if r["population"] is not None)
    if reference != "OTHERS":
        ref_count, ref_pop = _reference_totals(counts, populations, reference)
    for row in rows:
        count, pop = row["count"], row["population"]
        row["is_reference"] = row["group_code"] == reference
        if row["unknown"]:
            row.update(
                dict.fromkeys(
                    (
                        "share",
                        "population_share",
                        "representation_index",
                        "rate_per_10k",
                        "rate_ci_low",
                        "rate_ci_high",
                        "rri",
                        "rri_ci_low",
                        "rri_ci_high",
                    )
                )
            )
            row["flag"] = NOT_APPLICABLE
            continue
        share = count / total if count is not None and total else None
        pop_share = pop / total_pop if pop is not None and total_pop else None
        rate, rate_low, rate_high = rate_per_10k(count, pop, confidence)
        if reference == "OTHERS":
            ref_count = total - count if count is not None else None
            ref_pop = total_pop - pop if pop is not None else None
        if row["is_reference"]:
            rri, rri_low, rri_high = (1.0 if rate is not None else None), None, None
            flag = REFERENCE_FLAG
        else:
            rri, rri_low, rri_high = katz_rri(
                count, pop, ref_count, ref_pop, confidence
            )
            flag = flag_for(count, row["suppressed"], rri_low, rri_high)
        row.update(
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
    return rows


# public names for the league, which forms the same groups for every area at once
major_only = _major_only
sum_populations = _sum_pop


# --- Disclosure control ---------------------------------------------------------
#
# The board sees tables whose cells are tied together by sums anyone can redo:
# within one table, each major group is the sum of its published minor groups and
# the stage total of children with a known ethnicity (which follows from any
# shown share) is the sum of the known majors and of the known minors; across
# areas, a local authority's cell is the sum of its local areas' cells. Each sum
# is a "relation". Primary suppression hides counts of 1–4; secondary
# suppression then repeats, until nothing changes: a relation with exactly one
# hidden cell hides one more (the smallest non-zero cell left, else a zero), so
# no hidden cell is the difference of a total and shown parts. Cells suppressed
# at source are not in any published sum, so they hide nothing and are left out.

# a cell: (area key, level, group code)
CellKey = tuple[str, str, str]


@dataclass(frozen=True)
class Relation:
    """``total`` = sum of ``parts``; ``total`` None means a derivable constant."""

    total: CellKey | None
    parts: tuple[CellKey, ...]


def _is_small(count: int | None) -> bool:
    return count is not None and 1 <= count < DISCLOSURE_THRESHOLD


is_small = _is_small


def table_cells(counts: Mapping[str, Cell], area: str = "") -> dict[CellKey, int]:
    """The published counts of one table at both levels (None when not published)."""
    values: dict[CellKey, int | None] = {}
    for level in LEVELS:
        for row in aggregate(counts, {}, level):
            values[(area, level, row["group_code"])] = row["count"]
    return values


def table_relations(values: Mapping[CellKey, int | None], area: str = ""):
    """The sums within one table that a reader can redo (published cells only)."""

    def present(keys):
        return tuple(k for k in keys if values.get(k) is not None)

    relations = []
    known_majors, known_minors = [], []
    for code, _label, major, _members in _level_members("minor"):
        if major != taxonomy.UNKNOWN_MAJOR:
            known_minors.append((area, "minor", code))
    for code, _label, _major, _members in _level_members("major"):
        key = (area, "major", code)
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
    return relations


def family_relations(values, parent: str, children: Iterable[str]):
    """Parent cell = sum of its children's cells, for every group at both levels."""
    children = list(children)
    relations = []
    for level in LEVELS:
        for code, _label, _major, _members in _level_members(level):
            total = (parent, level, code)
            if values.get(total) is None:
                continue
            parts = tuple(
                (child, level, code)
                for child in children
                if values.get((child, level, code)) is not None
            )
            relations.append(Relation(total, parts))
    return relations


def _line_rule(values, memberships, hidden) -> None:
    """Until nothing changes: a sum with exactly one hidden cell hides another."""
    changed = True
    while changed:
        changed = False
        for total, members in memberships:
            if sum(m in hidden for m in members) != 1:
                continue
            visible = [m for m in members if m not in hidden]
            if visible:
                hidden.add(_cheapest(values, visible, total))
                changed = True


def _cheapest(values, cells, total=None) -> CellKey:
    """A non-zero count protects; the smallest costs least; parts before totals."""
    return min(cells, key=lambda m: (values[m] == 0, values[m], m == total, m))


def suppress(
    values: Mapping[CellKey, int | None], relations: Iterable[Relation]
) -> set[CellKey]:
    """Primary (1–4) then secondary suppression; the hidden cells.

    Secondary: the line rule (no sum with exactly one hidden cell), then an
    audit of every sum together (``_determined``); a hidden cell that could
    still be worked out takes the smallest shown cell of one of its sums with
    it, and both steps repeat until the audit finds nothing.
    """
    hidden = {k for k, v in values.items() if _is_small(v)}
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
        exposed = sorted(_determined(values, memberships, hidden) & hidden)
        added = False
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
                added = True
                break  # one at a time: each addition may protect the others
        if not added:
            return hidden


_PRIME = (1 << 61) - 1  # exact elimination modulo a large prime: fast and sparse


def _determined(values, memberships, hidden) -> set[CellKey]:
    """Hidden cells a reader could work out exactly from the published sums.

    First, non-negativity: where the hidden parts of a sum must add up to 0,
    each is 0. Then linear algebra: a hidden cell is determined when it alone is
    a combination of the sums (its reduced row has no other unknown).
    """
    equations = []  # (coefficients {cell: ±1}, constant)
    for total, members in memberships:
        coef, constant = {}, 0
        for m in members:
            sign = 1 if m == total else -1
            if m in hidden:
                coef[m] = coef.get(m, 0) + sign
            else:
                constant -= sign * values[m]
        if total is None:
            constant += sum(values[m] for m in members)  # the derivable total
        if coef:
            equations.append((coef, constant))
    known: set[CellKey] = set()
    changed = True
    while changed:
        changed = False
        for coef, constant in equations:
            unknown = [c for c in coef if c not in known]
            if constant or not unknown:
                continue
            signs = {coef[c] > 0 for c in unknown}
            if len(signs) == 1:
                known.update(unknown)
                changed = True
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
    minor = {g for a, lvl, g in hidden if a == area and lvl == "minor"}
    major = {g for a, lvl, g in hidden if a == area and lvl == "major"}
    return minor, major


def disclosure_control(counts: Mapping[str, Cell]) -> tuple[set[str], set[str]]:
    """Which minor and major groups of one table to hide, decided jointly for
    both levels. Returns (minor, major) sets."""
    values = table_cells(counts)
    return _split(suppress(values, table_relations(values)), "")


def family_disclosure_control(
    parent: str,
    tables: Mapping[str, Mapping[str, Cell]],
) -> dict[str, tuple[set[str], set[str]]]:
    """Disclosure control over a parent area and its local areas at once.

    ``tables`` maps area code → counts for one period and stage (the parent and
    whichever children have figures). Each table's own sums and the sums across
    areas (parent = sum of children, group by group) are protected together, so
    subtracting shown local-area counts from the authority's cannot reveal a
    hidden one. Returns area code → (hidden minor, hidden major).
    """
    values: dict[CellKey, int | None] = {}
    relations: list[Relation] = []
    for area, counts in tables.items():
        cells = table_cells(counts, area)
        values.update(cells)
        relations += table_relations(cells, area)
    children = [a for a in tables if a != parent]
    if parent in tables and children:
        relations += family_relations(values, parent, children)
    hidden = suppress(values, relations)
    return {area: _split(hidden, area) for area in tables}


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


DERIVED = (
    "share",
    "representation_index",
    "rate_per_10k",
    "rate_ci_low",
    "rate_ci_high",
    "rri",
    "rri_ci_low",
    "rri_ci_high",
)
SMALL_LABEL = "<5"
SUPPRESSED_LABEL = "suppressed"
NOT_AVAILABLE_LABEL = "not available"


def apply_disclosure_control(
    rows: list[dict],
    counts: Mapping[str, Cell],
    level: str,
    reference: str,
    *,
    hidden: tuple[set[str], set[str]] | None = None,
) -> list[dict]:
    """A copy of ``rows`` safe for the board.

    Hidden counts become "<5" (1–4) or "suppressed" (secondary or at source),
    their shares, rates and ratios become None, the flag "insufficient", and
    when the reference group itself is hidden no ratio is shown at all.
    """
    if hidden is None:
        hidden = disclosure_control(counts)
    hidden_minor, hidden_major = hidden
    hidden = hidden_major if level == "major" else hidden_minor
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
        elif row["group_code"] in hidden or row["count"] is None:
            row["count"] = SMALL_LABEL if _is_small(row["count"]) else SUPPRESSED_LABEL
            row["suppressed"] = True
            row.update(dict.fromkeys(DERIVED))
            if not row["unknown"]:
                row["flag"] = INSUFFICIENT
        elif ref_hidden and not row["unknown"]:
            row.update(rri=None, rri_ci_low=None, rri_ci_high=None)
            if not row["is_reference"]:
                row["flag"] = INSUFFICIENT
        safe.append(row)
    return safe
