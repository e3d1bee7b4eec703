"""The workforce template: read (CSV or XLSX), validate, then the service writes.

Columns ``period, measure, ethnicity, count, base``; one row per group, never a
row for a member of staff. Every problem is reported with its row number (the
header is row 1) and nothing is written unless the whole file is clean.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook, load_workbook

from arp.imports import decode_text
from workforce import codes

COLUMNS = ("period", "measure", "ethnicity", "count", "base")
MAX_ERRORS = 50
MAX_ROWS = 20_000  # an aggregate extract has a few thousand; a bomb has millions
MAX_COLUMNS = 50
MAX_WHOLE = 2_147_483_647  # PostgreSQL integer: larger would fail at the write
MAX_MEASURE_CHARS = 60  # WorkforceFigure.measure
_YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

TEMPLATE_ROWS = [
    ("2025", "inpost", "WHITE", 412, ""),
    ("2025", "inpost", "WBRI", 355, ""),
    ("2025", "inpost", "BLACK", 96, ""),
    ("2025", "shortlisted", "WHITE", 80, 240),
    ("2025", "appointed", "WHITE", 30, 80),
    ("2025", "disciplinary", "BLACK", 6, 96),
]


class ImportProblem(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_ERRORS]
        more = len(errors) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more problem(s)" if more else "")
        super().__init__(text)


@dataclass(frozen=True)
class FigureRow:
    row: int
    period: str
    period_end: date
    measure: str
    ethnicity: str
    count: int
    base: int | None


def read(content: bytes, file_name: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every non-blank row of a CSV or XLSX."""
    if file_name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a bad file
            raise ImportProblem([f"Could not read the Excel file: {exc}"]) from exc
        if sheet is None:
            raise ImportProblem(["Could not read the Excel file: it has no sheet."])
        table = []
        try:
            for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                table.append(["" if v is None else str(v).strip() for v in row])
                if len(table) > MAX_ROWS + 1:
                    break
        except Exception as exc:  # a broken sheet inside a readable zip
            raise ImportProblem([f"Could not read the Excel file: {exc}"]) from exc
    else:
        try:
            text, _encoding = decode_text(content)
        except UnicodeDecodeError:
            raise ImportProblem(
                ["Could not read the file: save it as CSV (UTF-8) or XLSX."]
            ) from None
        table = []
        try:
            for record in csv.reader(io.StringIO(text)):
                table.append([c.strip() for c in record[:MAX_COLUMNS]])
                if len(table) > MAX_ROWS + 1:
                    break
        except csv.Error as exc:
            raise ImportProblem([f"Could not read the CSV file: {exc}."]) from exc
    if not table:
        raise ImportProblem(["The file is empty."])
    if len(table) > MAX_ROWS + 1:
        raise ImportProblem(
            [f"The file has more than {MAX_ROWS:,} rows: is it the aggregate extract?"]
        )
    header = [h.strip().lower() for h in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportProblem([f"Row 1: missing column(s) {', '.join(missing)}."])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        cells = [*cells, *[""] * (len(header) - len(cells))]
        rows.append((number, dict(zip(header, cells, strict=False))))
    return rows


def _period(text: str) -> tuple[str, date]:
    if _YEAR.match(text):
        return text, date(int(text), 3, 31)
    match = _DATE.match(text)
    if match:
        return text, date(*map(int, match.groups()))
    raise ValueError


def _whole(text: str) -> int:
    value = float(text) if "." in text else int(text)
    if not 0 <= value <= MAX_WHOLE or value != int(value):  # also inf and nan
        raise ValueError
    return int(value)


def validate(rows: list[tuple[int, dict[str, str]]]) -> list[FigureRow]:
    """Typed rows, or ImportProblem listing every problem with its row number."""
    errors: list[str] = []
    out: list[FigureRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, cells in rows:
        problems = []
        period_end: date | None
        try:
            period, period_end = _period(cells["period"])
        except ValueError:
            problems.append(f"period {cells['period']!r} is not a year or a date")
            period, period_end = "", None
        measure = cells["measure"].lower()
        if len(measure) > MAX_MEASURE_CHARS or codes.measure_for(measure) is None:
            problems.append(f"measure {cells['measure']!r} is not an SC-WRES measure")
        ethnicity = cells["ethnicity"].upper()
        if ethnicity not in codes.IMPORT_GROUPS:
            problems.append(
                f"ethnicity {cells['ethnicity']!r} is not one of "
                + ", ".join(codes.IMPORT_GROUPS)
            )
        count: int | None = None
        base: int | None = None
        try:
            count = _whole(cells["count"])
        except ValueError:
            problems.append(f"count {cells['count']!r} is not a whole number")
        if cells["base"]:
            try:
                base = _whole(cells["base"])
            except ValueError:
                problems.append(f"base {cells['base']!r} is not a whole number")
        if count is not None and base is not None and count > base:
            problems.append(f"count {count} is more than its base {base}")
        key = (period, measure, ethnicity)
        if not problems and key in seen:
            problems.append(f"repeats row {seen[key]}")
        seen.setdefault(key, number)
        if problems:
            errors.append(f"Row {number}: " + "; ".join(problems) + ".")
            continue
        # no problem: the period and the count both parsed
        assert period_end is not None and count is not None
        out.append(
            FigureRow(number, period, period_end, measure, ethnicity, count, base)
        )
    errors.extend(_check_parts(out))
    if not rows and not errors:
        errors.append("The file has a header but no rows.")
    if errors:
        raise ImportProblem(errors)
    return out


def _check_parts(rows: list[FigureRow]) -> list[str]:
    """White British is part of White: it cannot be larger. A blank base is
    the base measure's count (disciplinary ← in post): the count cannot be
    larger than that either."""
    white = {(r.period, r.measure): r for r in rows if r.ethnicity == codes.WHITE}
    cells = {(r.period, r.measure, r.ethnicity): r for r in rows}
    errors = []
    for r in rows:
        w = white.get((r.period, r.measure))
        if r.ethnicity == codes.WBRI and w is not None and r.count > w.count:
            errors.append(
                f"Row {r.row}: White British ({r.count}) is more than White "
                f"({w.count}, row {w.row})."
            )
        measure = codes.measure_for(r.measure)  # never None: validate checked it
        source = measure.base_from if measure is not None else None
        base = cells.get((r.period, source, r.ethnicity)) if source else None
        if r.base is None and base is not None and r.count > base.count:
            errors.append(
                f"Row {r.row}: count {r.count} is more than its base {base.count} "
                f"({source}, row {base.row})."
            )
    return errors


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return ("\ufeff" + buffer.getvalue()).encode()


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet, active
    sheet.title = "Workforce"
    sheet.append(COLUMNS)
    for row in TEMPLATE_ROWS:
        sheet.append([v if v != "" else None for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
