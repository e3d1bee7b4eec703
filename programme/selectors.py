"""Reads for the programme pages, each a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import groupby

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from arp import roles
from arp.access import get_for_user, visible_with
from arp.roles import user_can
from programme import indicators as calc
from programme.models import (
    Achievement,
    Action,
    Aspiration,
    Indicator,
    IndicatorReading,
    LessonLearnt,
    Meeting,
    MeetingDecision,
    Testimonial,
    TrainingEvent,
    WorkforceHeadcount,
)

# --- Access to one object -------------------------------------------------------
# One helper per object type, ``get_<object>_for_user(*, user, pk,
# for_change=False)`` (see ``arp.access``): 404 for what the user may not see,
# 403 when ``for_change`` and ``<object>_can_change(user, obj)`` says no.


def achievement_can_change(user, achievement: Achievement) -> bool:
    """Owners edit their drafts and submitted achievements; admins edit any."""
    if user_can(user, "programme.publish"):
        return True
    return (
        user_can(user, "programme.contribute")
        and achievement.created_by_id == user.pk
        and achievement.status != Achievement.Status.PUBLISHED
    )


def get_achievement_for_user(*, user, pk: int, for_change: bool = False) -> Achievement:
    """404 when this user may not see it (the Board: anything unpublished)."""
    visible = Achievement.objects.visible_to(user).select_related(
        "workstream", "created_by", "published_by"
    )
    return get_for_user(visible, achievement_can_change, user, for_change, pk=pk)


def action_can_change(user, action: Action) -> bool:
    """Owners update their own actions; Programme admins update any."""
    if user_can(user, "programme.manage"):
        return True
    return user_can(user, "programme.contribute") and action.owner_id == user.pk


def get_action_for_user(*, user, pk: int, for_change: bool = False) -> Action:
    """The whole plan is open to everyone who reads the programme."""
    visible = visible_with(
        "programme.view", Action.objects.select_related("owner", "aspiration"), user
    )
    return get_for_user(visible, action_can_change, user, for_change, pk=pk)


def indicator_can_change(user, indicator: Indicator) -> bool:
    """An indicator's definition (target, baseline) is the Programme admins'.

    Recording a reading adds to the indicator without changing it: the view's
    role check (``programme.contribute``) decides who may.
    """
    return user_can(user, "programme.manage")


def get_indicator_for_user(*, user, pk: int, for_change: bool = False) -> Indicator:
    visible = visible_with(
        "programme.view", Indicator.objects.select_related("aspiration"), user
    )
    return get_for_user(visible, indicator_can_change, user, for_change, pk=pk)


def register_entry_can_change(user, entry) -> bool:
    """Register entries (meetings, lessons, training, quotes) are edited by
    whoever added them or by a Programme admin."""
    if user_can(user, "programme.manage"):
        return True
    created_by_id = getattr(entry, "created_by_id", None)
    return user_can(user, "programme.contribute") and created_by_id == user.pk


def meeting_can_change(user, meeting: Meeting) -> bool:
    """Edit the meeting itself. Recording a decision, raising an action or
    storing its pack adds to a meeting: any contributor may (the views' role
    check)."""
    return register_entry_can_change(user, meeting)


def get_meeting_for_user(*, user, pk: int, for_change: bool = False) -> Meeting:
    visible = visible_with("programme.view", Meeting.objects.all(), user)
    return get_for_user(visible, meeting_can_change, user, for_change, pk=pk)


def lesson_can_change(user, lesson: LessonLearnt) -> bool:
    return register_entry_can_change(user, lesson)


def get_lesson_for_user(*, user, pk: int, for_change: bool = False) -> LessonLearnt:
    visible = visible_with("programme.view", LessonLearnt.objects.all(), user)
    return get_for_user(visible, lesson_can_change, user, for_change, pk=pk)


def testimonial_can_change(user, testimonial: Testimonial) -> bool:
    return register_entry_can_change(user, testimonial)


def get_testimonial_for_user(*, user, pk: int, for_change: bool = False) -> Testimonial:
    """404 for an unpublished quote to anyone but contributors."""
    visible = Testimonial.objects.visible_to(user)
    return get_for_user(visible, testimonial_can_change, user, for_change, pk=pk)


# --- Achievements ----------------------------------------------------------------


def achievement_list(user):
    return (
        Achievement.objects.visible_to(user)
        .select_related("workstream", "created_by")
        .prefetch_related("aspirations")
    )


def published_by_reach(*, start: date, end: date, limit_per_reach: int | None = None):
    """Published achievements in [start, end], grouped in the slides' reach order.

    Returns a list of (reach label, achievements, total in period). Two queries
    (counts, rows) plus one to prefetch aspirations.
    """
    in_period = Achievement.objects.filter(
        status=Achievement.Status.PUBLISHED, achieved_on__range=(start, end)
    )
    totals = _reach_counts(in_period)
    rows = in_period.select_related("workstream").prefetch_related("aspirations")
    if limit_per_reach is not None:
        rows = rows.annotate(
            reach_rank=Window(
                RowNumber(),
                partition_by=[F("reach")],
                order_by=[F("achieved_on").desc(), F("pk").desc()],
            )
        ).filter(reach_rank__lte=limit_per_reach)
    by_reach = defaultdict(list)
    for achievement in rows.order_by("-achieved_on", "-pk"):
        by_reach[achievement.reach].append(achievement)
    return [
        (label, by_reach.get(value, []), totals.get(value, 0))
        for value, label in Achievement.Reach.choices
    ]


def _reach_counts(queryset) -> dict[str, int]:
    rows = queryset.order_by().values("reach").annotate(n=Count("pk"))
    return {row["reach"]: row["n"] for row in rows}


# --- Indicators ---------------------------------------------------------------


@dataclass
class IndicatorView:
    indicator: Indicator
    assessment: calc.Assessment


def latest_readings(indicator_ids, *, per_indicator: int = 2) -> dict[int, list]:
    """The newest ``per_indicator`` readings of each indicator, in one query."""
    ranked = (
        IndicatorReading.objects.filter(indicator_id__in=indicator_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("indicator_id")],
                order_by=[F("taken_on").desc()],
            )
        )
        .filter(rank__lte=per_indicator)
        .values_list("indicator_id", "taken_on", "value")
    )
    result: dict[int, list] = defaultdict(list)
    for indicator_id, taken_on, value in ranked:
        result[indicator_id].append((taken_on, value))
    return result


def assess_indicator(indicator: Indicator, readings, today: date | None = None):
    return calc.assess(
        readings=readings,
        higher_is_better=indicator.higher_is_better,
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        today=today or timezone.localdate(),
    )


def indicator_views(indicator_list) -> list[IndicatorView]:
    readings = latest_readings([indicator.pk for indicator in indicator_list])
    today = timezone.localdate()
    return [
        IndicatorView(
            indicator, assess_indicator(indicator, readings[indicator.pk], today)
        )
        for indicator in indicator_list
    ]


@dataclass
class AspirationView:
    aspiration: Aspiration
    indicators: list[IndicatorView] = field(default_factory=list)

    @property
    def rag_counts(self) -> dict[str, int]:
        counts = dict.fromkeys((calc.GREEN, calc.AMBER, calc.RED, calc.GREY), 0)
        for item in self.indicators:
            counts[item.assessment.rag] += 1
        return counts


def aspirations_with_indicators() -> list[AspirationView]:
    """Each aspiration with its indicators assessed: three queries."""
    aspirations = list(
        Aspiration.objects.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("name"))
        )
    )
    all_indicators = [i for a in aspirations for i in a.indicators.all()]
    views = {item.indicator.pk: item for item in indicator_views(all_indicators)}
    return [
        AspirationView(a, [views[i.pk] for i in a.indicators.all()])
        for a in aspirations
    ]


# --- Actions -------------------------------------------------------------------


def actions_off_track_or_overdue(today: date | None = None):
    today = today or timezone.localdate()
    return (
        Action.objects.exclude(status=Action.Status.COMPLETE)
        .filter(Q(status=Action.Status.OFF_TRACK) | Q(due_on__lt=today))
        .select_related("owner", "aspiration")
        .order_by("due_on", "pk")
    )


def actions_needing_reminder(*, today: date, window_days: int):
    """(owner, [open actions due by today + window or overdue]) per owner."""
    actions = (
        Action.objects.exclude(status=Action.Status.COMPLETE)
        .filter(due_on__lte=today + timedelta(days=window_days), owner__is_active=True)
        .select_related("owner", "aspiration")
        .order_by("owner_id", "due_on", "pk")
    )
    return [
        (owner_actions[0].owner, owner_actions)
        for owner_actions in (
            list(group) for _, group in groupby(actions, key=lambda a: a.owner_id)
        )
    ]


def programme_admin_emails() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(
            Q(groups__name=roles.PROGRAMME_ADMINS) | Q(is_superuser=True),
            is_active=True,
        )
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def contributors():
    """Users who may own actions: Programme admins and the Steering group."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=[roles.PROGRAMME_ADMINS, roles.STEERING_GROUP])
            | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- Training -------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingCoverage:
    as_of: date
    attended: int
    headcount: int
    percent: Decimal | None


def training_coverage(*, as_of: date) -> TrainingCoverage:
    """Attendances up to ``as_of`` against each team's latest headcount by then."""
    attended = (
        TrainingEvent.objects.filter(held_on__lte=as_of).aggregate(n=Sum("attended"))[
            "n"
        ]
        or 0
    )
    latest_per_team = (
        WorkforceHeadcount.objects.filter(as_of__lte=as_of)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("team")], order_by=[F("as_of").desc()]
            )
        )
        .filter(rank=1)
        .values_list("headcount", flat=True)
    )
    headcount = sum(latest_per_team)
    return TrainingCoverage(
        as_of, attended, headcount, calc.percent_trained(attended, headcount)
    )


# --- Overview and summary -----------------------------------------------------------


def overview_counts() -> dict[str, int]:
    """Headline counts in one query per model group."""
    achievement_counts = Achievement.objects.aggregate(
        published=Count("pk", filter=Q(status=Achievement.Status.PUBLISHED)),
        submitted=Count("pk", filter=Q(status=Achievement.Status.SUBMITTED)),
        draft=Count("pk", filter=Q(status=Achievement.Status.DRAFT)),
    )
    today = timezone.localdate()
    action_counts = Action.objects.aggregate(
        open=Count("pk", filter=~Q(status=Action.Status.COMPLETE)),
        off_track=Count("pk", filter=Q(status=Action.Status.OFF_TRACK)),
        overdue=Count(
            "pk", filter=~Q(status=Action.Status.COMPLETE) & Q(due_on__lt=today)
        ),
        complete=Count("pk", filter=Q(status=Action.Status.COMPLETE)),
    )
    return {
        **{f"achievements_{k}": v for k, v in achievement_counts.items()},
        **{f"actions_{k}": v for k, v in action_counts.items()},
    }


def lessons_in_period(*, start: date, end: date, limit: int = 8):
    return LessonLearnt.objects.filter(recorded_on__range=(start, end))[:limit]


def published_quotes(*, limit: int = 4):
    return Testimonial.objects.filter(published=True)[:limit]


# --- The governance board's pack (composed in arp/board/) -----------------------


def board_meetings():
    """Governance board meetings, newest first (for choosing a pack's meeting)."""
    return Meeting.objects.filter(kind=Meeting.Kind.BOARD).order_by("-held_on", "-pk")


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    # the same day of the month, or the month's last day when it is shorter
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class BoardPeriod:
    """What a board pack covers, worked out from the meeting dates.

    ``meeting`` is the meeting the pack is for (None when none is recorded);
    ``last_meeting`` is the board meeting before it, whose decisions and
    actions the pack follows up; the period runs from ``last_meeting``'s date
    (or three months back when there is none) to the meeting's date.
    """

    start: date
    end: date
    meeting: object = None
    last_meeting: object = None


DEFAULT_BOARD_MONTHS = 3


def board_period(
    *,
    meeting=None,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> BoardPeriod:
    """The pack's period: for a meeting, since the board meeting before it; with
    dates, those dates; otherwise since the last board meeting up to today.
    Two queries at most."""
    today = today or timezone.localdate()
    meetings = board_meetings()
    if meeting is not None:
        last = (
            meetings.filter(held_on__lt=meeting.held_on).exclude(pk=meeting.pk).first()
        )
        begin = last.held_on if last else _months_before(meeting.held_on, 3)
        return BoardPeriod(begin, meeting.held_on, meeting, last)
    if start is not None or end is not None:
        end = end or today
        start = start or _months_before(end, DEFAULT_BOARD_MONTHS)
        last = meetings.filter(held_on__lte=end).first()
        upcoming = meetings.filter(held_on__gt=end).order_by("held_on", "pk").first()
        return BoardPeriod(start, end, upcoming, last)
    last = meetings.filter(held_on__lte=today).first()
    upcoming = meetings.filter(held_on__gt=today).order_by("held_on", "pk").first()
    begin = last.held_on if last else _months_before(today, DEFAULT_BOARD_MONTHS)
    return BoardPeriod(begin, today, upcoming, last)


@dataclass(frozen=True)
class BoardAttention:
    red_indicators: list[IndicatorView]
    worsening_indicators: list[IndicatorView]
    actions: list[Action]  # off track or overdue, with owner and corrective action

    @property
    def is_empty(self) -> bool:
        return not (self.red_indicators or self.worsening_indicators or self.actions)


def board_attention(*, today: date | None = None, action_limit: int = 30):
    """What needs the board's attention: red indicators, indicators getting
    worse, and actions off track or overdue. Four queries."""
    today = today or timezone.localdate()
    indicators = [i for a in aspirations_with_indicators() for i in a.indicators]
    return BoardAttention(
        red_indicators=[i for i in indicators if i.assessment.rag == calc.RED],
        worsening_indicators=[
            i
            for i in indicators
            if i.assessment.direction == calc.WORSENING and i.assessment.rag != calc.RED
        ],
        actions=list(actions_off_track_or_overdue(today)[:action_limit]),
    )


@dataclass(frozen=True)
class AspirationGlance:
    aspiration: Aspiration
    indicators: list[IndicatorView]
    rag_counts: dict[str, int]
    direction_counts: dict[str, int]


def board_aspirations() -> list[AspirationGlance]:
    """Each aspiration with its indicators' RAG and direction counts (3 queries)."""
    result = []
    for item in aspirations_with_indicators():
        directions = dict.fromkeys(
            (calc.IMPROVING, calc.NO_CHANGE, calc.WORSENING, ""), 0
        )
        for indicator in item.indicators:
            directions[indicator.assessment.direction] += 1
        result.append(
            AspirationGlance(
                item.aspiration, item.indicators, item.rag_counts, directions
            )
        )
    return result


BOARD_ACHIEVEMENTS_PER_REACH = 10


def board_achievements(*, start: date, end: date):
    """Published achievements in the period by reach: (label, rows, total)."""
    return published_by_reach(
        start=start, end=end, limit_per_reach=BOARD_ACHIEVEMENTS_PER_REACH
    )


@dataclass(frozen=True)
class MeetingFollowUp:
    meeting: object
    decisions: list  # MeetingDecision with owner and actions (status now)
    actions: list[Action]  # every action arising, status now


def board_meeting_follow_up(meeting) -> MeetingFollowUp | None:
    """A meeting's decisions and actions arising, with their status today.
    Two queries (decisions with owners and actions; actions arising)."""
    if meeting is None:
        return None
    decisions = list(
        MeetingDecision.objects.filter(meeting=meeting)
        .select_related("owner")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner"))
        )
    )
    actions = list(
        meeting.actions.select_related("owner", "aspiration").order_by("due_on", "pk")
    )
    return MeetingFollowUp(meeting, decisions, actions)
