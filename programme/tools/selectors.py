"""Reads for the practice tools library, each a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet, Sum

from arp.access import get_for_user
from arp.roles import user_can
from programme.tools.models import SessionTool, Tool, ToolDownloadMonth, ToolVersion


def _with_versions(queryset: QuerySet[Tool]) -> QuerySet[Tool]:
    """Each tool with ``versions_newest_first`` and its audiences and aspirations."""
    return queryset.prefetch_related(
        Prefetch(
            "versions",
            queryset=ToolVersion.objects.order_by("-number"),
            to_attr="versions_newest_first",
        ),
        "audience_rows",
        "aspirations",
    )


def tool_list(user) -> QuerySet[Tool]:
    """The library as this user may see it (four queries however many tools)."""
    return _with_versions(Tool.objects.visible_to(user))


def tool_can_change(user, tool: Tool) -> bool:
    """Tool editors (Programme admins, the Steering group) change any tool."""
    return user_can(user, "programme.tools_manage")


def get_tool_for_user(*, user, pk: int, for_change: bool = False) -> Tool:
    """404 when this user may not see it (a draft, for readers)."""
    visible = _with_versions(Tool.objects.visible_to(user)).select_related(
        "achievement"
    )
    return get_for_user(visible, tool_can_change, user, for_change, pk=pk)


def current_version(tool: Tool) -> ToolVersion | None:
    """The newest version (highest number); uses the prefetch when present."""
    versions = getattr(tool, "versions_newest_first", None)
    if versions is not None:
        return versions[0] if versions else None
    return tool.versions.order_by("-number").first()


def version_can_change(user, version: ToolVersion) -> bool:
    """Versions are only ever added, never changed; adding one changes its tool."""
    return False


def get_version_for_user(*, user, pk: int, for_change: bool = False) -> ToolVersion:
    """A version of a tool this user may see, or 404."""
    visible = ToolVersion.objects.visible_to(user).select_related("tool")
    return get_for_user(visible, version_can_change, user, for_change, pk=pk)


# --- Use -----------------------------------------------------------------------


@dataclass(frozen=True)
class ToolUsage:
    tool: Tool
    by_month: tuple[int, ...]  # downloads in each of ``months``, oldest first
    total: int


def months_ending(last: date, count: int) -> list[date]:
    """The first days of ``count`` calendar months ending with ``last``'s month."""
    year, month = last.year, last.month
    result = []
    for _ in range(count):
        result.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return result[::-1]


def tool_usage(*, months: list[date]) -> list[ToolUsage]:
    """Downloads of every tool in each of ``months``, most used first (2 queries)."""
    counts = {
        (row["tool_id"], row["month"]): row["total"]
        for row in ToolDownloadMonth.objects.filter(month__in=months)
        .values("tool_id", "month")
        .annotate(total=Sum("downloads"))
    }
    rows = []
    for tool in Tool.objects.order_by("title", "pk"):
        by_month = tuple(counts.get((tool.pk, m), 0) for m in months)
        rows.append(ToolUsage(tool=tool, by_month=by_month, total=sum(by_month)))
    return sorted(rows, key=lambda row: -row.total)


def tool_downloads_total(tool: Tool) -> int:
    return tool.download_months.aggregate(total=Sum("downloads"))["total"] or 0


# --- Learning-space sessions (cross-app contract) -------------------------------


def tools_for_linking() -> QuerySet[Tool]:
    """Published tools a session can say it used (for the session form)."""
    return Tool.objects.filter(published_at__isnull=False).order_by("title", "pk")


def tool_ids_for_session(session_id: int) -> list[int]:
    return list(
        SessionTool.objects.filter(session_id=session_id)
        .order_by("tool_id")
        .values_list("tool_id", flat=True)
    )


def tools_for_session(session_id: int) -> list[Tool]:
    """Published tools a session used, to offer on its pages (one query)."""
    return list(
        Tool.objects.filter(
            session_links__session_id=session_id, published_at__isnull=False
        ).order_by("title", "pk")
    )
