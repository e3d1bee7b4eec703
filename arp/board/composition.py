"""What the board page, the PDF and the XLSX show: one ``BoardPackContent``.

Each section comes from its app's public selectors (``programme.selectors``,
``learning_spaces.selectors``, ``disproportionality.selectors``); nothing here
reads a model. The page, the PDF and the spreadsheet render the same object,
so they cannot disagree. A fixed number of queries, whatever the data size.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from disproportionality import selectors as dp_selectors
from learning_spaces import selectors as ls_selectors
from programme import indicators as calc
from programme import selectors as programme_selectors
from programme.selectors import BoardPeriod

TITLE = "Anti-Racist Practice programme — board pack"

# Section headings, in the order of the page, the PDF and the XLSX sheets.
SECTIONS = (
    ("attention", "What needs the board's attention"),
    ("aspirations", "Aspirations at a glance"),
    ("headline", "Over-representation headline"),
    ("learning", "Learning spaces"),
    ("achievements", "Achievements published"),
    ("meeting", "Decisions and actions from the last meeting"),
)
SECTION_TITLES = dict(SECTIONS)


@dataclass(frozen=True)
class RisingDisproportionality:
    """A stage whose top group's relative rate index rose since the period
    before (a direction of travel: the intervals may overlap)."""

    stage: str
    group_label: str
    previous_period: str
    previous_rri: float
    period: str
    rri: float


def rising_disproportionality(
    headline: dp_selectors.BoardHeadline,
) -> list[RisingDisproportionality]:
    """Stages where the over-represented top group's RRI went up between the
    last two periods with a (disclosure-controlled) figure."""
    rising = []
    for stage in headline.stages:
        if stage.top is None or stage.top["flag"] != "over":
            continue
        points = [row for row in stage.trend if row["rri"] is not None]
        if len(points) < 2 or points[-1]["period"] != stage.period:
            continue
        before, latest = points[-2], points[-1]
        if latest["rri"] > before["rri"]:
            rising.append(
                RisingDisproportionality(
                    stage.stage,
                    stage.top["group_label"],
                    before["period"],
                    before["rri"],
                    latest["period"],
                    latest["rri"],
                )  # fmt: skip
            )
    return rising


@dataclass(frozen=True)
class BoardPackContent:
    title: str
    period: BoardPeriod
    produced: datetime
    attention: programme_selectors.BoardAttention
    aspirations: list[programme_selectors.AspirationGlance]
    headline: dp_selectors.BoardHeadline
    learning: ls_selectors.BoardLearningSummary
    quotes: list
    achievements: list  # (reach label, achievements, total in period)
    achievements_per_reach: int
    follow_up: programme_selectors.MeetingFollowUp | None
    rag_rule: str
    rising: list[RisingDisproportionality]
    sections: tuple = SECTIONS

    @property
    def meeting(self):
        return self.period.meeting

    @property
    def hidden_below(self) -> int:
        """Counts of children from 1 up to this number less one are hidden."""
        return settings.DISCLOSURE_MIN_COUNT

    @property
    def hidden_up_to(self) -> int:
        return settings.DISCLOSURE_MIN_COUNT - 1


def reviewed_quotes(*, period: BoardPeriod, limit: int = 3) -> list:
    """Up to three learning-space quotes from the period that the board may read.

    The one place the pack takes its quotes from: consented answers that a
    reviewer redacted and approved (``learning_spaces.selectors.reviewed_quotes``),
    their redacted text only. Unreviewed answers never reach the pack.
    """
    return ls_selectors.reviewed_quotes(start=period.start, end=period.end, limit=limit)


def compose(*, period: BoardPeriod, today=None) -> BoardPackContent:
    """Every section of the board pack for ``period``."""
    today = today or timezone.localdate()
    headline = dp_selectors.board_headline(area_code=settings.HOME_AREA_CODE)
    return BoardPackContent(
        title=TITLE,
        period=period,
        produced=timezone.localtime(),
        attention=programme_selectors.board_attention(today=today),
        aspirations=programme_selectors.board_aspirations(),
        headline=headline,
        learning=ls_selectors.board_summary(date_from=period.start, date_to=period.end),
        quotes=reviewed_quotes(period=period, limit=3),
        achievements=programme_selectors.board_achievements(
            start=period.start, end=period.end
        ),
        achievements_per_reach=programme_selectors.BOARD_ACHIEVEMENTS_PER_REACH,
        follow_up=programme_selectors.board_meeting_follow_up(period.last_meeting),
        rag_rule=calc.RAG_RULE,
        rising=rising_disproportionality(headline),
    )
