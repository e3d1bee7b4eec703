"""Figures from children's answers (pure functions).

The adults' small-group rule applies: a session's answers count towards any
figure only when it has at least ``min_group`` of them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ChildSessionTotals:
    session_id: int
    day: date
    responses: int
    enjoyed_sum: int
    proud_yes: int
    safe_yes: int
    know_yes: int


@dataclass(frozen=True)
class ChildSummary:
    label: str
    responses: int  # every response
    reported: int  # responses in sessions with at least min_group
    enjoyed_mean: float | None
    pct_proud: float | None
    pct_safe: float | None
    pct_know_who_to_tell: float | None


def summarise(
    label: str, rows: Iterable[ChildSessionTotals], *, min_group: int
) -> ChildSummary:
    rows = list(rows)
    counted = [r for r in rows if r.responses >= min_group]
    reported = sum(r.responses for r in counted)
    shown = reported >= min_group

    def pct(field: str) -> float | None:
        if not shown:
            return None
        return round(100 * sum(getattr(r, field) for r in counted) / reported, 1)

    return ChildSummary(
        label=label,
        responses=sum(r.responses for r in rows),
        reported=reported,
        enjoyed_mean=round(sum(r.enjoyed_sum for r in counted) / reported, 2)
        if shown
        else None,
        pct_proud=pct("proud_yes"),
        pct_safe=pct("safe_yes"),
        pct_know_who_to_tell=pct("know_yes"),
    )


def by_quarter(
    rows: Iterable[ChildSessionTotals], *, min_group: int
) -> list[ChildSummary]:
    groups: dict[str, list[ChildSessionTotals]] = {}
    for row in rows:
        groups.setdefault(f"{row.day.year} Q{(row.day.month - 1) // 3 + 1}", []).append(
            row
        )
    return [summarise(k, v, min_group=min_group) for k, v in sorted(groups.items())]
