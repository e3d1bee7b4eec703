"""The overview's recent-activity feed, in sentences a person would write.

Readings recorded by the system (an import or a scheduled task: no person
entered them) are grouped into one line per source per day, e.g. "42 readings
from the disproportionality import of 2 Dec 2026", so they do not drown what
people did. The Board's feed leaves out anything the Board may not see (draft
and submitted achievements). A fixed number of queries: one per kind of event.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from arp.roles import user_can
from programme.models import (
    Achievement,
    Action,
    ActionStatusChange,
    IndicatorReading,
    LessonLearnt,
    MeetingDecision,
)

# How each system source of readings is named in the feed, by the start of the
# indicator's data source (set by the app that feeds it).
SYSTEM_SOURCES = (
    ("Disproportionality", "the disproportionality import"),
    ("Learning space", "the learning-spaces confidence update"),
    ("Training events", "the training coverage update"),
)

ACHIEVEMENT_VERBS = {
    "Created": "logged the achievement",
    "Edited": "edited the achievement",
    "Submitted for publication": "submitted for publication the achievement",
    "Published": "published the achievement",
}


@dataclass(frozen=True)
class ActivityLine:
    when: datetime
    text: str
    url: str


def person(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def _day(value) -> str:
    return f"{value.day} {value:%b %Y}"


def _number(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def system_source(data_source: str) -> str:
    for prefix, name in SYSTEM_SOURCES:
        if data_source.startswith(prefix):
            return name
    return f"automatic updates ({data_source})" if data_source else "automatic updates"


def _achievements(user, limit):
    rows = Achievement.history.select_related("history_user")
    if not user_can(user, "programme.contribute"):
        rows = rows.filter(status=Achievement.Status.PUBLISHED)
    for row in rows.order_by("-history_date")[:limit]:
        reason = row.history_change_reason or ""
        verb = ACHIEVEMENT_VERBS.get(reason)
        if verb is None and reason.startswith("Returned"):
            verb = "returned to its author the achievement"
        verb = verb or "changed the achievement"
        yield ActivityLine(
            row.history_date,
            f"{person(row.history_user)} {verb} “{row.title}”",
            f"/programme/achievements/{row.id}/",
        )


def _actions(limit):
    created = (
        Action.history.filter(history_type="+")
        .select_related("history_user", "owner")
        .order_by("-history_date")[:limit]
    )
    for row in created:
        yield ActivityLine(
            row.history_date,
            f"{person(row.history_user)} added the action “{row.title}” for "
            f"{person(row.owner)}, due {_day(row.due_on)}",
            f"/programme/actions/{row.id}/",
        )
    changes = ActionStatusChange.objects.select_related(
        "action", "changed_by"
    ).order_by("-changed_at", "-pk")[:limit]
    for change in changes:
        old = Action.Status(change.from_status).label
        new = Action.Status(change.to_status).label
        yield ActivityLine(
            change.changed_at,
            f"{person(change.changed_by)} moved “{change.action.title}” from "
            f"{old} to {new}: {change.reason}",
            change.action.get_absolute_url(),
        )


def _decisions(limit):
    decisions = MeetingDecision.objects.select_related(
        "meeting", "created_by"
    ).order_by("-created_at", "-pk")[:limit]
    for decision in decisions:
        meeting = decision.meeting
        yield ActivityLine(
            decision.created_at,
            f"{person(decision.created_by)} recorded a decision of the "
            f"{meeting.get_kind_display().lower()} meeting of "
            f"{_day(meeting.held_on)}: “{decision.text}”",
            meeting.get_absolute_url(),
        )


def _lessons(limit):
    lessons = LessonLearnt.objects.select_related("created_by").order_by(
        "-recorded_on", "-pk"
    )[:limit]
    for lesson in lessons:
        when = timezone.make_aware(datetime.combine(lesson.recorded_on, time(12)))
        yield ActivityLine(
            when,
            f"{person(lesson.created_by)} recorded a lesson learnt "
            f"({lesson.get_kind_display().lower()}): “{lesson.title}”",
            lesson.get_absolute_url(),
        )


def _readings(limit):
    manual = (
        IndicatorReading.history.filter(entered_by__isnull=False)
        .select_related("entered_by", "indicator")
        .order_by("-history_date")[:limit]
    )
    for row in manual:
        verb = "added" if row.history_type == "+" else "changed"
        yield ActivityLine(
            row.history_date,
            f"{person(row.entered_by)} {verb} a reading of "
            f"{row.indicator.name}: {_number(row.value)} on {_day(row.taken_on)}",
            f"/programme/indicators/{row.indicator_id}/",
        )
    grouped = (
        IndicatorReading.history.filter(entered_by__isnull=True)
        .annotate(day=TruncDate("history_date"))
        .values("day", "indicator__data_source")
        .annotate(n=Count("pk"), last=Max("history_date"))
        .order_by("-last")[:limit]
    )
    for group in grouped:
        n = group["n"]
        yield ActivityLine(
            group["last"],
            f"{n} reading{'s' if n != 1 else ''} from "
            f"{system_source(group['indicator__data_source'] or '')} of "
            f"{_day(group['day'])}",
            "/programme/indicators/",
        )


def activity_feed(user, *, limit: int = 12) -> list[ActivityLine]:
    """The latest ``limit`` events, newest first. Seven queries."""
    lines = [
        *_achievements(user, limit),
        *_actions(limit),
        *_decisions(limit),
        *_lessons(limit),
        *_readings(limit),
    ]
    lines.sort(key=lambda line: line.when, reverse=True)
    return lines[:limit]
