"""Writes for the practice tools library.

Keyword-only, typed, in ``transaction.atomic``; a ``ToolError`` (a
``ProgrammeError``) carries the message the view shows. Learning spaces call
``session_tools_set`` (the cross-app contract); nothing else here is public to
other apps.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from arp.roles import user_can
from programme import services as programme_services
from programme.history import save_with_history
from programme.models import Achievement, Workstream
from programme.services import ProgrammeError
from programme.tools.models import (
    SessionTool,
    Tool,
    ToolAudience,
    ToolDownloadMonth,
    ToolVersion,
)

PRACTICE_TOOLS_WORKSTREAM = "Practice tools"


class ToolError(ProgrammeError):
    """A change to a tool the library's rules do not allow."""


def tool_default_reach(audiences: Iterable[str]) -> str:
    """The reach an achievement for publishing a tool gets from the tool's audience.

    The programme's slides count reach by how far a thing lands. A tool for
    practitioners is offered to the whole children's workforce across the
    county, so it is Countywide; a tool only for a particular group
    (managers, leaders, foster carers or young people) is Local. The person
    publishing can choose another reach in the same step.
    """
    if Tool.Audience.PRACTITIONERS in set(audiences):
        return Achievement.Reach.COUNTYWIDE
    return Achievement.Reach.LOCAL


def _check_audiences(audiences: Iterable[str]) -> list[str]:
    values = sorted(set(audiences))
    if not values:
        raise ToolError("Choose who the tool is for.")
    unknown = set(values) - set(Tool.Audience.values)
    if unknown:
        raise ToolError(f"Unknown audience {sorted(unknown)[0]!r}.")
    return values


def _set_audiences(tool: Tool, audiences: list[str]) -> None:
    tool.audience_rows.exclude(audience__in=audiences).delete()
    existing = set(tool.audience_rows.values_list("audience", flat=True))
    ToolAudience.objects.bulk_create(
        ToolAudience(tool=tool, audience=value)
        for value in audiences
        if value not in existing
    )


def _check_details(*, title: str, description: str, kind: str) -> None:
    if not title.strip():
        raise ToolError("Give the tool a title.")
    if not description.strip():
        raise ToolError("Describe the tool in a sentence or two.")
    if kind not in Tool.Kind.values:
        raise ToolError(f"Unknown kind of tool {kind!r}.")


@transaction.atomic
def tool_create(
    *,
    user,
    title: str,
    description: str,
    kind: str,
    audiences: Iterable[str],
    aspirations: Iterable,
    authored_by: str = "",
    file: UploadedFile | None = None,
    link: str = "",
    released_on: date,
    change_note: str = "First version.",
) -> Tool:
    """Add a tool (unpublished) with its first version, a file or a link."""
    _check_details(title=title, description=description, kind=kind)
    audiences = _check_audiences(audiences)
    tool = Tool(
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        authored_by=authored_by.strip(),
        created_by=user,
        created_at=timezone.now(),
    )
    save_with_history(tool, user=user)
    tool.aspirations.set(aspirations)
    _set_audiences(tool, audiences)
    tool_version_add(
        tool=tool,
        user=user,
        file=file,
        link=link,
        released_on=released_on,
        change_note=change_note,
    )
    return tool


@transaction.atomic
def tool_update(
    *,
    tool: Tool,
    user,
    title: str,
    description: str,
    kind: str,
    audiences: Iterable[str],
    aspirations: Iterable,
    authored_by: str = "",
) -> Tool:
    """Change a tool's details; its versions are untouched."""
    _check_details(title=title, description=description, kind=kind)
    audiences = _check_audiences(audiences)
    tool.title = title.strip()
    tool.description = description.strip()
    tool.kind = kind
    tool.authored_by = authored_by.strip()
    save_with_history(tool, user=user)
    tool.aspirations.set(aspirations)
    _set_audiences(tool, audiences)
    return tool


@transaction.atomic
def tool_version_add(
    *,
    tool: Tool,
    user,
    file: UploadedFile | None = None,
    link: str = "",
    released_on: date,
    change_note: str,
) -> ToolVersion:
    """Add a version (a file or a link) that becomes the current one.

    Earlier versions are kept unchanged. A version with a file ignores an
    empty link; a file and a link together are refused, as are neither.
    The file must already have passed ``programme.evidence.check_evidence_file``
    (the tools form does that).
    """
    link = (link or "").strip()
    if file and link:
        raise ToolError(
            "Give a file or a link, not both: a version is one or the other."
        )
    if not file and not link:
        raise ToolError("Upload a file or give a link for this version.")
    if released_on > timezone.localdate():
        raise ToolError("The version date cannot be in the future.")
    if not change_note.strip():
        raise ToolError("Say what changed in this version.")
    # Lock the tool so two people adding a version at once get 2 and 3, not 2 twice.
    Tool.objects.select_for_update().filter(pk=tool.pk).first()
    latest = tool.versions.aggregate(latest=Max("number"))["latest"] or 0
    return ToolVersion.objects.create(
        tool=tool,
        number=latest + 1,
        file=file or "",
        link=link,
        released_on=released_on,
        change_note=change_note.strip(),
        created_by=user,
        created_at=timezone.now(),
    )


@dataclass(frozen=True)
class PublishResult:
    tool: Tool
    achievement: Achievement | None


def _achievement_for(tool: Tool, *, user, reach: str) -> Achievement:
    audiences = ", ".join(tool.audience_labels()).lower()
    summary = (
        f"{tool.description}\n\nA {tool.get_kind_display().lower()} for "
        f"{audiences}, published in the practice tools library."
    )
    if tool.authored_by:
        summary += f" Authored or co-produced by {tool.authored_by}."
    achievement = programme_services.achievement_create(
        user=user,
        aspirations=list(tool.aspirations.all()),
        submit=True,
        title=f"{tool.title} published"[:200],
        summary=summary,
        achieved_on=timezone.localdate(),
        reach=reach,
        workstream=Workstream.objects.filter(name=PRACTICE_TOOLS_WORKSTREAM).first(),
        evidence_url=f"{settings.SITE_URL}{tool.get_absolute_url()}",
    )
    if user_can(user, "programme.publish"):
        programme_services.achievement_publish(achievement=achievement, user=user)
    return achievement


@transaction.atomic
def tool_publish(
    *, tool: Tool, user, record_achievement: bool = False, reach: str | None = None
) -> PublishResult:
    """Publish a tool to everyone signed in; optionally record an achievement.

    The achievement goes through the achievement services: reach from the
    audience (``tool_default_reach``) unless given, the tool's aspirations, the
    publication date. A Programme admin's achievement is published at once;
    a Steering group member's is submitted for a Programme admin to publish.
    """
    if not user_can(user, "programme.tools_manage"):
        raise ToolError("Only Programme admins and the Steering group publish tools.")
    # Lock the row, then read it afresh: two editors publishing at once record
    # one achievement, not two.
    Tool.objects.select_for_update().filter(pk=tool.pk).first()
    tool.refresh_from_db()
    if tool.is_published:
        raise ToolError("This tool is already published.")
    if not tool.versions.exists():
        raise ToolError("Add a version before publishing the tool.")
    achievement = None
    if record_achievement:
        if not tool.aspirations.exists():
            raise ToolError(
                "Choose the aspirations the tool supports before recording an "
                "achievement for it."
            )
        reach = reach or tool_default_reach(tool.audience_values())
        if reach not in Achievement.Reach.values:
            raise ToolError(f"Unknown reach {reach!r}.")
        achievement = _achievement_for(tool, user=user, reach=reach)
        tool.achievement = achievement
    tool.published_at = timezone.now()
    tool.published_by = user
    save_with_history(tool, user=user)
    return PublishResult(tool=tool, achievement=achievement)


@transaction.atomic
def tool_withdraw(*, tool: Tool, user) -> Tool:
    """Take a tool out of the library (back to a draft); versions and counts stay."""
    if not user_can(user, "programme.tools_manage"):
        raise ToolError("Only Programme admins and the Steering group withdraw tools.")
    if not tool.is_published:
        raise ToolError("This tool is not published.")
    tool.published_at = None
    tool.published_by = None
    save_with_history(tool, user=user)
    return tool


# --- Use, counted anonymously -------------------------------------------------


def tool_download_record(*, tool: Tool, on: date | None = None) -> None:
    """Count one download of ``tool`` in ``on``'s month; nothing about who.

    An atomic ``downloads + 1`` in the database, so simultaneous downloads
    are all counted.
    """
    month = (on or timezone.localdate()).replace(day=1)
    with transaction.atomic():
        updated = ToolDownloadMonth.objects.filter(tool=tool, month=month).update(
            downloads=F("downloads") + 1
        )
        if updated:
            return
        try:
            with transaction.atomic():
                ToolDownloadMonth.objects.create(tool=tool, month=month, downloads=1)
        except IntegrityError:  # someone else created the month's row first
            ToolDownloadMonth.objects.filter(tool=tool, month=month).update(
                downloads=F("downloads") + 1
            )


# --- Learning-space sessions (cross-app contract) ------------------------------


@transaction.atomic
def session_tools_set(*, session_id: int, tool_ids: Iterable[int]) -> list[int]:
    """Say which tools a learning-space session used (replaces earlier links).

    Only published tools can be linked; returns the linked tool ids.
    """
    wanted = set(
        Tool.objects.filter(
            pk__in=set(tool_ids), published_at__isnull=False
        ).values_list("pk", flat=True)
    )
    SessionTool.objects.filter(session_id=session_id).exclude(
        tool_id__in=wanted
    ).delete()
    existing = set(
        SessionTool.objects.filter(session_id=session_id).values_list(
            "tool_id", flat=True
        )
    )
    SessionTool.objects.bulk_create(
        SessionTool(session_id=session_id, tool_id=pk) for pk in wanted - existing
    )
    return sorted(wanted)
