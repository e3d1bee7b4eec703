"""Indicator arithmetic: progress, direction of travel, RAG and % trained.

Plain functions over numbers and dates (no database), so they can be tested on
their own and reused by the pages, the board summary and the exports.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from arp.statistics import percent

RED, AMBER, GREEN, GREY = "red", "amber", "green", "grey"
RAG_LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green", GREY: "No rating"}

IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no_change"
DIRECTION_LABELS = {
    IMPROVING: "Improving",
    WORSENING: "Getting worse",
    NO_CHANGE: "No change",
    "": "Not enough readings",
}

# How far behind the straight-line trajectory an indicator may be, as a share
# of the whole baseline-to-target distance, before it turns amber or red.
GREEN_TOLERANCE = Decimal("0.10")
AMBER_TOLERANCE = Decimal("0.25")

RAG_RULE = (
    "Grey: no reading yet, or no target. "
    "Green: the latest reading meets or beats the target. "
    "Red: the target date has passed and the target was not met. "
    "Otherwise, when the indicator has a baseline (value and date) and a target "
    "date, the latest reading is compared with where a straight line from "
    "baseline to target would be on the reading's date: green if it is no more "
    "than 10% of the baseline-to-target distance behind that line, amber if no "
    "more than 25% behind, red if further behind or moving away from the target. "
    "Without a baseline or target date: amber unless the latest reading is worse "
    "than the one before (red); grey with a single reading."
)


@dataclass(frozen=True)
class Assessment:
    latest: Decimal | None
    latest_on: date | None
    previous: Decimal | None
    direction: str
    progress: Decimal | None  # share of baseline→target distance covered, 0.0-1.0+
    expected: Decimal | None  # share the straight-line trajectory expects by now
    rag: str

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS[self.direction]

    @property
    def progress_percent(self) -> Decimal | None:
        if self.progress is None:
            return None
        return (self.progress * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def progress_bar(self) -> int:
        """Progress clamped to 0–100 for a progress bar's width."""
        percent = self.progress_percent
        if percent is None:
            return 0
        return max(0, min(100, int(percent)))


def direction_of_travel(
    latest: Decimal | None, previous: Decimal | None, *, higher_is_better: bool
) -> str:
    """Improving / worsening / no change between the last two readings."""
    if latest is None or previous is None:
        return ""
    if latest == previous:
        return NO_CHANGE
    went_up = latest > previous
    return IMPROVING if went_up == higher_is_better else WORSENING


def meets_target(value: Decimal, target: Decimal, *, higher_is_better: bool) -> bool:
    return value >= target if higher_is_better else value <= target


def progress_towards_target(
    value: Decimal, *, baseline: Decimal, target: Decimal
) -> Decimal | None:
    """Share of the distance from baseline to target covered (1 = target reached).

    Works for either direction because both differences carry the same sign
    when the value moves towards the target. None when baseline equals target.
    """
    if target == baseline:
        return None
    return (Decimal(value) - baseline) / (target - baseline)


def expected_progress(on: date, *, baseline_date: date, target_date: date) -> Decimal:
    """Share of the baseline→target period that has elapsed by ``on`` (0 to 1)."""
    total = (target_date - baseline_date).days
    if total <= 0:
        return Decimal(1)
    elapsed = (on - baseline_date).days
    return max(Decimal(0), min(Decimal(1), Decimal(elapsed) / Decimal(total)))


def assess(
    *,
    readings: list[tuple[date, Decimal]],
    higher_is_better: bool,
    baseline_value: Decimal | None = None,
    baseline_date: date | None = None,
    target_value: Decimal | None = None,
    target_date: date | None = None,
    today: date | None = None,
) -> Assessment:
    """Latest value, direction of travel, progress and RAG for one indicator.

    ``readings`` are (date, value) pairs in any order; only the latest two are
    used. The RAG follows ``RAG_RULE`` (shown on the indicator pages too).
    """
    ordered = sorted(readings, key=lambda pair: pair[0])
    latest_on, latest = ordered[-1] if ordered else (None, None)
    previous = ordered[-2][1] if len(ordered) >= 2 else None
    direction = direction_of_travel(latest, previous, higher_is_better=higher_is_better)

    progress = expected = None
    if latest is not None and target_value is not None and baseline_value is not None:
        progress = progress_towards_target(
            latest, baseline=baseline_value, target=target_value
        )
    if latest_on is not None and baseline_date and target_date:
        expected = expected_progress(
            latest_on, baseline_date=baseline_date, target_date=target_date
        )

    rag = _rag(
        latest=latest,
        target_value=target_value,
        target_date=target_date,
        higher_is_better=higher_is_better,
        progress=progress,
        expected=expected,
        direction=direction,
        today=today,
    )
    return Assessment(latest, latest_on, previous, direction, progress, expected, rag)


def _rag(
    *, latest, target_value, target_date, higher_is_better, progress, expected,
    direction, today,
) -> str:  # fmt: skip
    if latest is None or target_value is None:
        return GREY
    if meets_target(latest, target_value, higher_is_better=higher_is_better):
        return GREEN
    if target_date is not None and today is not None and today > target_date:
        return RED
    if progress is not None and expected is not None:
        if progress >= expected - GREEN_TOLERANCE:
            return GREEN
        if progress >= expected - AMBER_TOLERANCE and progress >= 0:
            return AMBER
        return RED
    if direction == "":
        return GREY
    return RED if direction == WORSENING else AMBER


def percent_trained(attended: int, headcount: int) -> Decimal | None:
    """Attendances as a % of the workforce, one decimal place, capped at 100.

    Counts attendances, not people: someone on two courses counts twice, so
    the cap stops a busy year reading as more than the whole workforce.
    """
    if headcount <= 0:
        return None
    return percent(min(attended, headcount), headcount)
