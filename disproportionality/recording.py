"""Ethnicity recording quality: plain functions over numbers, no Django.

Children whose ethnicity is refused (DfE code ``REFU``) or not yet obtained
(``NOBT``) take no part in shares, rates or ratios, so every group's rate is a
lower bound by up to the unknown share. Ethnicity Facts and Figures reports how
many people's ethnicity is unknown beside every figure; this module does the
same for one table (area × period × stage). Methods:

* Shares of all children at the stage (known and unknown ethnicity) with a 95%
  Wilson score interval (Wilson 1927; Newcombe 1998, method 3), from
  ``arp.statistics.wilson_ci``, as statsmodels
  ``proportion_confint(method="wilson")``.
* Bounds (a sensitivity analysis, not an interval): a group's rate per 10,000
  if none of the U unknown children belonged to it (the recorded rate) or all
  of them did ((count + U) ÷ population). Its relative rate index is highest
  when every unknown child is of the group and lowest when every one is of the
  reference group (the reference group's worst and best cases); no other way
  of sharing out the unknowns moves it further. The finding's direction
  "holds" when the whole range stays on the side of 1 that the flag says.
* Disclosure control: refused and not-obtained counts are shown only where the
  table's own disclosure control shows them; the unknown share only where the
  unknown group's total (and the all-children total) is shown, which means it
  is 0 or at least ``min_count``. Bounds are given only where both the group's
  figures and the unknown count are shown, so they reveal nothing hidden.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from arp import statistics
from disproportionality import metrics, taxonomy
from disproportionality.metrics import Cell

CAVEAT_THRESHOLD = 0.05  # default of settings.ETHNICITY_UNKNOWN_CAVEAT
UNKNOWN = taxonomy.UNKNOWN_MAJOR
PER = metrics.PER

# "Ethnicity was not recorded for 7.1% of <noun>"
STAGE_NOUNS = {
    "CIN": "children in need",
    "CP": "children on child protection plans",
    "CLA": "children looked after",
    "CLA_START": "children who started to be looked after",
    "CLA_UASC": "unaccompanied asylum-seeking children looked after",
    "CONTACT": "children in contacts",
    "REFERRAL": "children referred",
    "EH": "children in early help",
    "ASSESS": "children assessed",
}


def stage_noun(stage: str) -> str:
    return STAGE_NOUNS.get(stage, f"children at stage {stage}")


def caveat_text(share: float, stage: str) -> str:
    """The sentence every figure built on a poorly recorded table carries."""
    return (
        f"Ethnicity was not recorded for {share * 100:.1f}% of {stage_noun(stage)}; "
        "rates for every group may be understated by up to that share."
    )


def caveat_for(share: float | None, stage: str, threshold: float) -> str | None:
    """The caveat where the unknown share exceeds ``threshold`` (0 to 1)."""
    if share is None or share <= threshold:
        return None
    return caveat_text(share, stage)


@dataclass(frozen=True)
class GroupBounds:
    """How far U unknown children could move one group's figures."""

    group_code: str
    group_label: str
    rate_per_10k: float | None  # as recorded: none of the unknowns in the group
    rate_if_all_unknown: float | None  # every unknown child in the group
    rri: float | None
    rri_if_all_to_group: float | None  # the highest the RRI could be
    rri_if_all_to_reference: float | None  # the lowest (reference's worst case)
    flag: str | None
    direction_holds: bool | None  # None unless flagged over or under
    is_reference: bool = False

    def as_dict(self) -> dict:
        return {
            "group_code": self.group_code,
            "rate_per_10k": _round(self.rate_per_10k, 2),
            "rate_if_all_unknown": _round(self.rate_if_all_unknown, 2),
            "rri": _round(self.rri, 3),
            "rri_low": _round(self.rri_if_all_to_reference, 3),
            "rri_high": _round(self.rri_if_all_to_group, 3),
            "flag": self.flag,
            "direction_holds": self.direction_holds,
        }

    @property
    def sentence_range(self) -> str:
        if self.rri_if_all_to_reference is None or self.rri_if_all_to_group is None:
            return ""
        return f"{self.rri_if_all_to_reference:.2f} to {self.rri_if_all_to_group:.2f}"


@dataclass(frozen=True)
class Recording:
    """Recording quality of one table, as the Board may see it."""

    stage: str
    period: str
    children: int | None  # all children at the stage (known and unknown)
    children_lower_bound: bool  # some groups suppressed at source: at least
    unknown: int | None  # refused + not obtained; None when hidden / absent
    refused: int | None
    not_obtained: int | None
    unknown_share: float | None
    ci_low: float | None
    ci_high: float | None
    caveat: str | None
    threshold: float
    reported: bool = True  # False when the figures give no unknown row at all
    bounds: tuple[GroupBounds, ...] = field(default_factory=tuple)
    reference_rate_if_none: float | None = None
    reference_rate_if_all: float | None = None

    @property
    def recorded_share(self) -> float | None:
        """% of children with ethnicity recorded (the programme's indicator)."""
        return None if self.unknown_share is None else 1 - self.unknown_share

    def as_dict(self) -> dict:
        return {
            "refused": self.refused,
            "not_obtained": self.not_obtained,
            "unknown": self.unknown,
            "children": self.children,
            "children_lower_bound": self.children_lower_bound,
            "unknown_share": _round(self.unknown_share, 4),
            "ci_low": _round(self.ci_low, 4),
            "ci_high": _round(self.ci_high, 4),
            "caveat": self.caveat,
            "threshold": self.threshold,
            "reference_rate_if_none": _round(self.reference_rate_if_none, 2),
            "reference_rate_if_all": _round(self.reference_rate_if_all, 2),
            "bounds": [b.as_dict() for b in self.bounds],
        }


def _round(value, places):
    return None if value is None else round(value, places)


def _visible(cell: Cell | None, hidden: bool) -> int | None:
    if cell is None or hidden:
        return None
    return cell.count


def unknown_count(counts: Mapping[str, Cell]) -> tuple[int | None, bool]:
    """(refused + not obtained, whether the figures report unknowns at all).

    A major-group-only "unknown" total (DfE's older ``CLA_Oth``) stands for
    both; a part suppressed at source leaves the total unknown (None)."""
    whole = metrics.major_only(counts, UNKNOWN)
    if whole is not None:
        return whole.count, True
    cells = [counts.get(c) for c in ("REFU", "NOBT")]
    present = [c for c in cells if c is not None]
    if not present:
        return None, False
    counts_given = [c.count for c in present if c.count is not None]
    if len(counts_given) < len(present):
        return None, True
    return sum(counts_given), True


def children_count(counts: Mapping[str, Cell]) -> tuple[int | None, bool]:
    """(all children at the stage, whether only a lower bound): every group's
    published count, a major group's own total standing for its parts."""
    if not any(taxonomy.is_major(k) for k in counts):
        return metrics.all_children_count(counts)
    total, partial = 0, False
    for major, _label in taxonomy.MAJOR_GROUPS:
        whole = metrics.major_only(counts, major)
        cells = (
            [whole] if whole else [counts.get(c) for c in taxonomy.major_members(major)]
        )
        cells = [c for c in cells if c is not None]
        total += sum(c.count for c in cells if c.count is not None)
        partial = partial or any(c.count is None for c in cells)
    return total, partial


def measure(
    counts: Mapping[str, Cell],
    *,
    stage: str,
    period: str,
    hidden: tuple[set[str], set[str]] = (set(), set()),
    threshold: float = CAVEAT_THRESHOLD,
    min_count: int = metrics.DISCLOSURE_MIN_COUNT,
    confidence: float = 0.95,
) -> Recording:
    """Refused, not obtained and the unknown share of one table.

    ``hidden`` is the table's (hidden minor, hidden major) from its disclosure
    control; pass empty sets for the unsuppressed view. The share's base is
    every child at the stage; where groups are suppressed at source it is the
    sum of the published ones, so the share is then an upper bound.
    """
    hidden_minor, hidden_major = hidden
    unknown, reported = unknown_count(counts)
    children, lower_bound = children_count(counts)
    unknown_hidden = (
        UNKNOWN in hidden_major
        or metrics.ALL_CHILDREN in hidden_major
        or metrics.is_small(unknown, min_count)
    )
    share = low = high = None
    shown_unknown = None
    if unknown is not None and not unknown_hidden and children:
        shown_unknown = unknown
        share = unknown / children
        low, high = statistics.wilson_ci(unknown, children, confidence)
    return Recording(
        stage=stage,
        period=period,
        children=children if shown_unknown is not None else None,
        children_lower_bound=lower_bound,
        unknown=shown_unknown,
        refused=_visible(counts.get("REFU"), "REFU" in hidden_minor),
        not_obtained=_visible(counts.get("NOBT"), "NOBT" in hidden_minor),
        unknown_share=share,
        ci_low=low,
        ci_high=high,
        caveat=caveat_for(share, stage, threshold),
        threshold=threshold,
        reported=reported,
    )


# --- Bounds ---------------------------------------------------------------------


def rate_bounds(count: int, population: int, unknown: int) -> tuple[float, float]:
    """(rate if none of the unknowns, rate if all of them) per 10,000."""
    return count / population * PER, (count + unknown) / population * PER


def rri_bounds(
    count: int, population: int, ref_count: int, ref_population: int, unknown: int
) -> tuple[float | None, float | None]:
    """(lowest, highest) RRI over every way of sharing out the unknowns: all
    of them to the reference group, all of them to this group."""
    low = (count / population) / ((ref_count + unknown) / ref_population)
    high = None
    if ref_count:
        high = ((count + unknown) / population) / (ref_count / ref_population)
    return low, high


def direction_holds(flag: str | None, low: float | None, high: float | None):
    """True/False for a group flagged over or under; None otherwise."""
    if flag == metrics.OVER:
        return low is not None and low > 1
    if flag == metrics.UNDER:
        return high is not None and high < 1
    return None


def _reference_base(row, reference, ref_totals, known_totals):
    """(reference count, reference population) against which ``row`` is set."""
    if reference != "OTHERS":
        return ref_totals
    total, total_pop = known_totals
    return total - row["count"], total_pop - row["population"]


def table_bounds(
    rows: Sequence[Mapping[str, Any]],
    *,
    counts: Mapping[str, Cell],
    populations: Mapping[str, int],
    level: str,
    reference: str,
    unknown: int | None,
) -> tuple[tuple[GroupBounds, ...], tuple[float | None, float | None]]:
    """Bounds for every group whose figures ``rows`` show (after disclosure
    control), and the reference group's rate if none / all of the unknowns
    were in it. Nothing without a shown unknown count."""
    if unknown is None:
        return (), (None, None)
    ref_totals = (None, None)
    if reference != "OTHERS":
        ref_totals = metrics.reference_totals(counts, populations, reference)
    # as compute_table: every known group's published count and population
    known = [
        r for r in metrics.aggregate(counts, populations, level) if not r["unknown"]
    ]
    known_totals = (
        sum(r["count"] for r in known if r["count"] is not None),
        sum(r["population"] for r in known if r["population"] is not None),
    )
    out = []
    reference_rates: tuple[float | None, float | None] = (None, None)
    ref_count, ref_pop = ref_totals
    if ref_count is not None and ref_pop:
        reference_rates = rate_bounds(ref_count, ref_pop, unknown)
    for row in rows:
        count, pop = row["count"], row["population"]
        if row["unknown"] or not isinstance(count, int) or not pop:
            continue
        if row.get("rate_per_10k") is None:
            continue  # hidden, partial or not available: nothing derived
        rate, rate_all = rate_bounds(count, pop, unknown)
        low = high = None
        if row["rri"] is not None and not row["is_reference"]:
            ref_count, ref_pop = _reference_base(
                row, reference, ref_totals, known_totals
            )
            if ref_count is not None and ref_pop:
                low, high = rri_bounds(count, pop, ref_count, ref_pop, unknown)
        out.append(
            GroupBounds(
                group_code=row["group_code"],
                group_label=row["group_label"],
                rate_per_10k=rate,
                rate_if_all_unknown=rate_all,
                rri=row["rri"],
                rri_if_all_to_group=high,
                rri_if_all_to_reference=low,
                flag=row["flag"],
                direction_holds=direction_holds(row["flag"], low, high),
                is_reference=bool(row["is_reference"]),
            )
        )
    return tuple(out), reference_rates


def with_bounds(
    recording: Recording,
    rows: Sequence[Mapping[str, Any]],
    *,
    counts: Mapping[str, Cell],
    populations: Mapping[str, int],
    level: str,
    reference: str,
) -> Recording:
    """``recording`` with the bounds of the table ``rows`` show."""
    if not rows or not populations:
        return recording
    bounds, (ref_none, ref_all) = table_bounds(
        rows,
        counts=counts,
        populations=populations,
        level=level,
        reference=reference,
        unknown=recording.unknown,
    )
    return Recording(
        **{
            **recording.__dict__,
            "bounds": bounds,
            "reference_rate_if_none": ref_none if bounds else None,
            "reference_rate_if_all": ref_all if bounds else None,
        }
    )


def bounds_sentence(recording: Recording, reference_noun: str) -> str:
    """What the unknowns could do to the flagged findings, in words."""
    flagged = [b for b in recording.bounds if b.direction_holds is not None]
    if not flagged:
        return ""
    holds = [b for b in flagged if b.direction_holds]
    moves = [b for b in flagged if not b.direction_holds]
    parts = []
    if holds:
        names = ", ".join(b.group_label for b in holds)
        parts.append(
            f"The finding for {names} holds whichever group the "
            f"{recording.unknown:,} children with no recorded ethnicity belong to."
        )
    if moves:
        names = ", ".join(f"{b.group_label} ({b.sentence_range})" for b in moves)
        parts.append(
            "If they all belonged to one group, the relative rate index against "
            f"{reference_noun} could cross 1 for {names}."
        )
    return " ".join(parts)


def from_rows(
    rows, *, stage: str, period: str, threshold: float = CAVEAT_THRESHOLD
) -> Recording:
    """Recording quality from a table already shown to the Board (e.g. the
    pooled statistical neighbours): only its shown counts are used, so it
    reveals nothing the table does not; a hidden count leaves the base a
    lower bound, and a hidden unknown count leaves the share unknown."""

    def shown(row):
        count = row.get("count") if row else None
        return count if isinstance(count, int) and not isinstance(count, bool) else None

    by = {r["group_code"]: r for r in rows}
    refused, not_obtained = shown(by.get("REFU")), shown(by.get("NOBT"))
    if UNKNOWN in by:
        unknown = shown(by[UNKNOWN])
    elif refused is not None and not_obtained is not None:
        unknown = refused + not_obtained
    else:
        unknown = None
    counts = [shown(r) for r in rows]
    children = sum(c for c in counts if c is not None)
    share = low = high = None
    if unknown is not None and children:
        share = unknown / children
        low, high = statistics.wilson_ci(unknown, children)
    return Recording(
        stage=stage,
        period=period,
        children=children if share is not None else None,
        children_lower_bound=any(c is None for c in counts),
        unknown=unknown if share is not None else None,
        refused=refused,
        not_obtained=not_obtained,
        unknown_share=share,
        ci_low=low,
        ci_high=high,
        caveat=caveat_for(share, stage, threshold),
        threshold=threshold,
        reported=any(r["group_code"] in (UNKNOWN, "REFU", "NOBT") for r in rows),
    )
