"""CSV and XLSX exports of achievements and actions.

Every text cell passes through ``spreadsheet_safe``: a value starting with
= + - @ (or a tab/carriage return) would run as a formula when the file is
opened in a spreadsheet, so it gets a leading apostrophe (OWASP "CSV injection").
"""

import csv
import io
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _uk_date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


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
    buffer = io.StringIO()
    # A BOM so Excel opens UTF-8 (e.g. names with accents) correctly.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [_uk_date(v) if isinstance(v, date) else spreadsheet_safe(v) for v in row]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_stamped(filename)}.csv"'
    return response


def xlsx_response(header, rows, *, filename: str, title: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([spreadsheet_safe(v) for v in row])
    for index, name in enumerate(header, start=1):
        column = get_column_letter(index)
        if name.endswith(("date", "Date achieved", "Completed on")):
            for cell in sheet[column][1:]:
                cell.number_format = "DD/MM/YYYY"
        sheet.column_dimensions[column].width = min(60, max(12, len(name) + 2))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_stamped(filename)}.xlsx"'
    )
    return response


def _stamped(filename: str) -> str:
    now: datetime = timezone.localtime()
    return f"{filename}-{now:%Y-%m-%d}"
