"""The one writer for every CSV and XLSX download in the tracker.

Every cell passes through ``safe_cell`` here, and nowhere else:

* control characters that XML 1.0 cannot hold (U+0000–U+0008, U+000B, U+000C,
  U+000E–U+001F), the non-characters U+FFFE and U+FFFF, lone surrogates and
  the C1 controls are removed. openpyxl refuses some of them outright (an
  anonymous answer with U+000B broke every export) and writes others into a
  file Excel will not open;
* text a spreadsheet would run as a formula (= + - @, or a leading tab or
  carriage return) gets a leading apostrophe (OWASP "CSV injection").

Responses carry ``Cache-Control: no-store`` so no browser or proxy keeps a
copy of an export.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Tab, line feed and carriage return stay: they are legal and people use them.
_UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]"
)


def clean_text(value: str) -> str:
    """``value`` without the characters a spreadsheet file cannot hold."""
    return _UNSAFE_CHARACTERS.sub("", value)


def safe_cell(value):
    """A value ready for a CSV or XLSX cell (see the module docstring)."""
    if isinstance(value, str):
        value = clean_text(value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def _csv_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    return safe_cell(value)


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence], *, bom: bool = True
) -> bytes:
    """UTF-8 CSV; the BOM makes Excel read accents and en dashes correctly
    (machine-read files such as the metrics API go without)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(
    header: Sequence[str], rows: Iterable[Sequence], *, title: str = "Data"
) -> bytes:
    """One sheet, header frozen, dates shown as DD/MM/YYYY."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one worksheet
    sheet.title = clean_text(title)[:31] or "Data"
    sheet.append([safe_cell(h) for h in header])
    date_columns = set()
    for row in rows:
        values = []
        for index, value in enumerate(row, start=1):
            if isinstance(value, datetime):
                value = timezone.localtime(value).replace(tzinfo=None)
            if isinstance(value, date):
                date_columns.add(index)
            values.append(safe_cell(value))
        sheet.append(values)
    for index, name in enumerate(header, start=1):
        column = get_column_letter(index)
        if index in date_columns:
            for cell in sheet[column][1:]:
                cell.number_format = "DD/MM/YYYY"
        sheet.column_dimensions[column].width = min(60, max(12, len(str(name)) + 2))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attachment(content: bytes, *, kind: str, filename: str) -> HttpResponse:
    """A download of ``content`` ("csv" or "xlsx") that nothing may cache."""
    content_type = CSV_TYPE if kind == "csv" else XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response


def download(
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    kind: str,
    filename: str,
    title: str = "Data",
    bom: bool = True,
) -> HttpResponse:
    """The whole download: rows written by the one writer, sent uncacheable."""
    if kind == "csv":
        content = csv_bytes(header, rows, bom=bom)
    elif kind == "xlsx":
        content = xlsx_bytes(header, rows, title=title)
    else:
        raise ValueError(f"Unknown export kind {kind!r}")
    return attachment(content, kind=kind, filename=filename)
