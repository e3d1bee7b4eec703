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

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from statistics import NormalDist

from disproportionality import taxonomy

PER = 10_000
SMALL_COUNT = 10  # below this: exact Poisson interval, and flag "insufficient"
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


def z_value(confidence: float = 0.95) -> float:
    """Two-sided standard normal quantile (1.959964 for 95%)."""
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


# --- Poisson intervals ------------------------------------------------------


def _poisson_cdf(k: int, mu: float) -> float:
    """P(X ≤ k) for X ~ Poisson(mu), summed in log space for stability."""
    if mu <= 0:
        return 1.0
    total = 0.0
    term = -mu  # log P(X=0)
    for i in range(k + 1):
        if i:
            term += math.log(mu) - math.log(i)
        total += math.exp(term)
    return min(total, 1.0)


def _solve_decreasing(func, target: float, high: float) -> float:
    """Root of a decreasing function by bisection on [0, high]."""
    low = 0.0
    while func(high) > target:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        if func(mid) > target:
            low = mid
        else:
            high = mid
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def exact_poisson_ci(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count.

    Lower = χ²(α/2; 2k)/2 and upper = χ²(1−α/2; 2k+2)/2, equivalently the
    means at which P(X ≥ k) = α/2 and P(X ≤ k) = α/2. Solved here from the
    Poisson distribution function so the app needs no scipy at run time.
    """
    if count < 0:
        raise ValueError("count must be 0 or more")
    alpha = 1 - confidence
    if count == 0:
        lower = 0.0
    else:
        # P(X >= k | L) = alpha/2  <=>  P(X <= k-1 | L) = 1 - alpha/2
        lower = _solve_decreasing(
            lambda mu: _poisson_cdf(count - 1, mu), 1 - alpha / 2, count + 10.0
        )
    upper = _solve_decreasing(
        lambda mu: _poisson_cdf(count, mu), alpha / 2, count + 10.0
    )
    return lower, upper


def byar_ci(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson interval (Fingertips guide).

    lower = O·(1 − 1/(9O) − z/(3√O))³,  upper = (O+1)·(1 − 1/(9(O+1)) + z/(3√(O+1)))³
    """
    if count <= 0:
        raise ValueError("Byar's method needs a count of 1 or more")
    z = z_value(confidence)
    o = float(count)
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    o1 = o + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return lower, upper


def count_ci(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact below 10 events, Byar from 10 up."""
    if count < SMALL_COUNT:
        return exact_poisson_ci(count, confidence)
    return byar_ci(count, confidence)


def rate_per_10k(
    count: int | None, population: int | None, confidence: float = 0.95
) -> tuple[float | None, float | None, float | None]:
    """(rate, CI low, CI high) per 10,000; all None without a count or population."""
    if count is None or not population:
        return None, None, None
    low, high = count_ci(count, confidence)
    scale = PER / population
    return count * scale, low * scale, high * scale


# --- Ratios -------------------------------------------------------------------


def katz_rri(
    count: int | None,
    population: int | None,
    ref_count: int | None,
    ref_population: int | None,
    confidence: float = 0.95,
) -> tuple[float | None, float | None, float | None]:
    """Relative rate index with Katz's log interval.

    RRI = (a/n₁) / (c/n₀); SE(ln RRI) = √(1/a − 1/n₁ + 1/c − 1/n₀).
    RRI is None when either rate is missing or the reference rate is 0;
    the interval is None when either count is 0.
    """
    if None in (count, population, ref_count, ref_population):
        return None, None, None
    if not population or not ref_population or not ref_count:
        return None, None, None
    rri = (count / population) / (ref_count / ref_population)
    if count == 0:
        return rri, None, None
    se = math.sqrt(1 / count - 1 / population + 1 / ref_count - 1 / ref_population)
    z = z_value(confidence)
    log_rri = math.log(rri)
    return rri, math.exp(log_rri - z * se), math.exp(log_rri + z * se)


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


def aggregate(
    counts: Mapping[str, Cell], populations: Mapping[str, int], level: str
) -> list[dict]:
    """Group DfE-code cells into the level's groups (published parts only)."""
    rows = []
    for code, label, major, members in _level_members(level):
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
            }
        )
    return rows


def _reference_totals(counts, populations, reference):
    codes = (
        ["WBRI"]
        if reference == "WBRI"
        else [c for c in taxonomy.CODES if taxonomy.CODE_MAJOR[c] == "WHITE"]
    )
    cell = _sum_cells([counts.get(c) for c in codes])
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


# --- Disclosure control ---------------------------------------------------------


def _is_small(count: int | None) -> bool:
    return count is not None and 1 <= count < DISCLOSURE_THRESHOLD


def _secondary(values: Mapping[str, int | None], members: Iterable[str], hidden):
    """If exactly one member is hidden, hide the next smallest visible member."""
    members = list(members)
    # cells suppressed at source are unknown to everyone: they do not trigger
    hidden_members = [m for m in members if m in hidden]
    if len(hidden_members) != 1:
        return False
    visible = [m for m in members if m not in hidden and values[m] is not None]
    if not visible:
        return False
    # prefer a non-zero count: hiding a zero protects nothing another zero shows
    visible.sort(key=lambda m: (values[m] == 0, values[m], m))
    hidden.add(visible[0])
    return True


def disclosure_control(counts: Mapping[str, Cell]) -> tuple[set[str], set[str]]:
    """Which minor and major groups to hide, decided jointly for both levels.

    Primary: counts 1–4. Secondary, repeated until nothing changes: within each
    major group (whose total is shown at major level) and across the known
    major groups (whose total follows from the shares), a lone hidden cell
    takes the next smallest with it; and a hidden major group hides at least one
    of its minor groups, so its count cannot be rebuilt from the minor view.
    Cells suppressed at source count as hidden. Returns (minor, major) sets.
    """
    minor_rows = aggregate(counts, {}, "minor")
    major_rows = aggregate(counts, {}, "major")
    minor_vals = {r["group_code"]: r["count"] for r in minor_rows}
    major_vals = {r["group_code"]: r["count"] for r in major_rows}
    minors_of: dict[str, list[str]] = {}
    for r in minor_rows:
        minors_of.setdefault(r["major_code"], []).append(r["group_code"])
    hidden_minor = {c for c, v in minor_vals.items() if _is_small(v)}
    hidden_major = {c for c, v in major_vals.items() if _is_small(v)}
    known_majors = [c for c in major_vals if c != taxonomy.UNKNOWN_MAJOR]
    changed = True
    while changed:
        changed = _secondary(major_vals, known_majors, hidden_major)
        for major, minors in minors_of.items():
            if major in hidden_major and not any(
                m in hidden_minor or minor_vals[m] is None for m in minors
            ):
                visible = sorted(
                    (m for m in minors if minor_vals[m]),
                    key=lambda m: (minor_vals[m], m),
                )
                if visible:
                    hidden_minor.add(visible[0])
                    changed = True
            changed = _secondary(minor_vals, minors, hidden_minor) or changed
    return hidden_minor, hidden_major


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


def apply_disclosure_control(
    rows: list[dict], counts: Mapping[str, Cell], level: str, reference: str
) -> list[dict]:
    """A copy of ``rows`` safe for the board.

    Hidden counts become "<5" (1–4) or "suppressed" (secondary or at source),
    their shares, rates and ratios become None, the flag "insufficient", and
    when the reference group itself is hidden no ratio is shown at all.
    """
    hidden_minor, hidden_major = disclosure_control(counts)
    hidden = hidden_major if level == "major" else hidden_minor
    if reference == "WBRI":
        ref_hidden = "WBRI" in hidden_minor
    elif reference == "WHITE":
        ref_hidden = "WHITE" in hidden_major
    else:
        ref_hidden = False
    safe = []
    for row in rows:
        row = dict(row)
        if row["group_code"] in hidden or row["count"] is None:
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
