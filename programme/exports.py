"""CSV and XLSX exports of achievements and actions.

The files are written by ``arp.exports``, the one writer that escapes formulas
and control characters for every download.
"""

from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone

from arp import exports as shared

XLSX_TYPE = shared.XLSX_TYPE
# The one shared writer escapes formulas and control characters.
spreadsheet_safe = shared.safe_cell


def achievement_rows(achievements, *, site: str):
    header = [
        "ID",
        "Title",
        "Summary",
        "Date achieved",
        "Reach",
        "Aspirations",
        "Workstream",
        "Status",
        "Evidence link",
        "Logged by",
        "Link",
    ]
    rows = []
    for a in achievements:
        rows.append(
            [
                a.pk,
                a.title,
                a.summary,
                a.achieved_on,
                a.get_reach_display(),
                "; ".join(str(asp.number) for asp in a.aspirations.all()),
                a.workstream.name if a.workstream else "",
                a.get_status_display(),
                a.evidence_url,
                (a.created_by.get_full_name() or a.created_by.get_username())
                if a.created_by
                else "",
                f"{site}{a.get_absolute_url()}",
            ]
        )
    return header, rows


def action_rows(actions, *, site: str):
    header = [
        "ID",
        "Title",
        "Aspiration",
        "Owner",
        "Due date",
        "Next review date",
        "Status",
        "Corrective action",
        "Completed on",
        "Link",
    ]
    rows = [
        [
            a.pk,
            a.title,
            a.aspiration.number,
            a.owner.get_full_name() or a.owner.get_username(),
            a.due_on,
            a.next_review_on,
            a.get_status_display(),
            a.corrective_action,
            a.completed_on,
            f"{site}{a.get_absolute_url()}",
        ]
        for a in actions
    ]
    return header, rows


def csv_response(header, rows, *, filename: str) -> HttpResponse:
    return shared.download(header, rows, kind="csv", filename=_stamped(filename))


def xlsx_response(header, rows, *, filename: str, title: str) -> HttpResponse:
    return shared.download(
        header, rows, kind="xlsx", filename=_stamped(filename), title=title
    )


def _stamped(filename: str) -> str:
    now: datetime = timezone.localtime()
    return f"{filename}-{now:%Y-%m-%d}"
