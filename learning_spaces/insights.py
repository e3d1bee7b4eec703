"""Insight figures from per-session totals (pure functions, no database).

The selectors give one row per session with sums; everything here adds those
up, so a space's mean rating is the mean over its responses, not a mean of
session means.

Small groups are protected session by session: a session's answers count
towards means and percentages (at every level: session, quarter, space, the
whole selection) only when that session has at least ``min_group``
responses. Smaller sessions still count towards the number of responses and
the response rate, but never towards a mean, a shift or a percentage, so no
figure can be taken away from another to work out one person's answers.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SessionTotals:
    session_id: int
    space_id: int
    space_name: str
    day: date
    attendance: int | None
    responses: int
    rating_sum: int
    shift_sum: int  # sum of (confidence now − confidence before)
    more_confident: int  # responses with now > before
    topic: str = ""


def is_reportable(row: SessionTotals, min_group: int) -> bool:
    """Whether a session has enough responses for its answers to be averaged."""
    return row.responses >= min_group


@dataclass
class Summary:
    """Figures for a group of sessions; ``None`` means suppressed or unknown.

    ``responses`` counts every response; the means and percentages use only
    ``reported_responses``, the responses from sessions with at least
    ``min_group`` of them (see the module docstring).
    """

    label: str
    sessions: int = 0
    responses: int = 0
    attendance: int = 0
    responses_with_attendance: int = 0
    reported_responses: int = 0
    small_sessions: int = 0  # sessions with 1 to min_group − 1 responses
    rating_sum: int = 0
    shift_sum: int = 0
    more_confident: int = 0
    min_group: int = 3
    extra: dict = field(default_factory=dict)

    def add(self, row: SessionTotals) -> None:
        self.sessions += 1
        self.responses += row.responses
        if row.attendance:
            self.attendance += row.attendance
            self.responses_with_attendance += row.responses
        if is_reportable(row, self.min_group):
            self.reported_responses += row.responses
            self.rating_sum += row.rating_sum
            self.shift_sum += row.shift_sum
            self.more_confident += row.more_confident
        elif row.responses:
            self.small_sessions += 1

    @property
    def suppressed(self) -> bool:
        return self.reported_responses < self.min_group

    @property
    def response_rate(self) -> float | None:
        """Responses as % of attendance, over sessions with attendance recorded."""
        if not self.attendance:
            return None
        return round(100 * self.responses_with_attendance / self.attendance, 1)

    @property
    def mean_rating(self) -> float | None:
        if self.suppressed:
            return None
        return round(self.rating_sum / self.reported_responses, 2)

    @property
    def mean_shift(self) -> float | None:
        """Mean of (confidence now − confidence before), on the 1–5 scale."""
        if self.suppressed:
            return None
        return round(self.shift_sum / self.reported_responses, 2)

    @property
    def pct_more_confident(self) -> float | None:
        if self.suppressed:
            return None
        return round(100 * self.more_confident / self.reported_responses, 1)


def quarter_label(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def summarise(
    rows: Iterable[SessionTotals],
    key: Callable[[SessionTotals], object],
    label: Callable[[SessionTotals], str],
    *,
    min_group: int,
) -> list[Summary]:
    """Group session rows by ``key`` (in first-seen order) and add them up."""
    groups: dict[object, Summary] = {}
    for row in rows:
        k = key(row)
        if k not in groups:
            groups[k] = Summary(label=label(row), min_group=min_group)
        groups[k].add(row)
    return list(groups.values())


def overall(rows: Iterable[SessionTotals], *, min_group: int) -> Summary:
    summary = Summary(label="All sessions", min_group=min_group)
    for row in rows:
        summary.add(row)
    return summary
