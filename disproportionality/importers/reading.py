"""Step 1 of every import: turn the uploaded bytes into a header and rows.

CSV in UTF-8 (with or without a byte-order mark) or Windows-1252, or an XLSX
workbook (first sheet). Anything else is refused with a message, never a 500.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from arp.imports import decode_text

MAX_ERRORS_SHOWN = 50
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Problem:
    row: int | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "message": self.message}

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}" if self.row else self.message


class ImportRejected(Exception):
    """The file cannot be imported; nothing has been written."""

    def __init__(self, problems: list[Problem], format_detected: str = ""):
        self.problems = problems
        self.format_detected = format_detected
        super().__init__("; ".join(str(p) for p in problems[:3]))


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # data rows; file row number = index + 2
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class ParsedFile:
    """Step 2's result, whatever the layout: what the pipeline needs to decide
    (``problems``, ``is_empty``) and to report on the batch (the counters)."""

    format_detected: str = ""
    rows_read: int = 0
    rows_ignored: int = 0
    rows_outside_england: int = 0
    suppressed_cells: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing to write (each layout says what it holds)."""
        raise NotImplementedError


def data_rows(
    table: Table, parsed: ParsedFile, *, strip: bool = True
) -> Iterator[tuple[int, list[str]]]:
    """(file row number, cells padded to the header's width) for each row that
    is not blank, counted in ``parsed.rows_read``. ``strip=False`` leaves the
    cells as they are, for a parser that strips only the cells it reads."""
    width = len(table.headers)
    for offset, raw in enumerate(table.rows):
        if not any(c.strip() for c in raw):
            continue
        parsed.rows_read += 1
        if strip:
            raw = [c.strip() for c in raw]
        if len(raw) < width:
            raw = raw + [""] * (width - len(raw))
        yield offset + 2, raw


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (BOM optional), else Windows-1252; ImportRejected if neither."""
    try:
        return decode_text(data)
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "The file's text encoding could not be read (byte "
                    f"{exc.start}). Save it as CSV UTF-8 and try again.",
                )
            ]
        ) from exc


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# XLSX caps, checked before and while reading, never after: a 5-million-row
# workbook ran past a minute and left its batch "running".
XLSX_MAX_ROWS = 200_000
XLSX_MAX_CELLS = 4_000_000
XLSX_MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024


def _xlsx_caps():
    from django.conf import settings

    return (
        getattr(settings, "IMPORT_XLSX_MAX_ROWS", XLSX_MAX_ROWS),
        getattr(settings, "IMPORT_XLSX_MAX_CELLS", XLSX_MAX_CELLS),
    )


def _too_big(message: str) -> ImportRejected:
    return ImportRejected([Problem(None, message + " Split it, or save it as CSV.")])


def _check_xlsx_archive(data: bytes) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(m.file_size for m in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return  # openpyxl reports a corrupt file below
    if total > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise _too_big(
            f"The Excel file unpacks to {total / 1024 / 1024:,.0f} MB, more than "
            f"the {XLSX_MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB we accept."
        )


def _capped_rows(sheet) -> list[list[str]]:
    max_rows, max_cells = _xlsx_caps()
    declared_rows, declared_cols = sheet.max_row or 0, sheet.max_column or 0
    if declared_rows > max_rows + 1 or declared_rows * declared_cols > max_cells:
        raise _too_big(
            f"The sheet has {declared_rows:,} rows × {declared_cols:,} columns; "
            f"the limit is {max_rows:,} rows and {max_cells:,} cells."
        )
    values: list[list[str]] = []
    cells = 0
    # The declared size can lie: count while reading as well.
    for row in sheet.iter_rows(values_only=True):
        cells += len(row)
        if len(values) > max_rows or cells > max_cells:
            raise _too_big(
                f"The sheet has more than {max_rows:,} rows or {max_cells:,} cells."
            )
        values.append([_clean(v) for v in row])
    return values


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    _check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            values = _capped_rows(workbook.worksheets[0])
        finally:
            workbook.close()
    except ImportRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure means a corrupt workbook
        raise ImportRejected(
            [
                Problem(
                    None,
                    f"The Excel file could not be opened ({exc.__class__.__name__}).",
                )
            ]
        ) from exc
    values = [row for row in values if any(row)]
    if not values:
        raise ImportRejected([Problem(None, "The file is empty.")])
    return Table(headers=values[0], rows=values[1:], kind="xlsx")


def read_table(data: bytes) -> Table:
    if not data or not data.strip():
        raise ImportRejected([Problem(None, "The file is empty.")])
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data)
    text, encoding = decode(data)
    if "\x00" in text:
        raise ImportRejected(
            [Problem(None, "This is not a CSV or XLSX file (binary content).")]
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        # cells are stripped where they are used: stripping 1M cells here is slow
        rows = list(reader)
    except csv.Error as exc:
        raise ImportRejected(
            [Problem(None, f"The CSV could not be read: {exc}")]
        ) from exc
    # keep row numbers true to the file: blank lines stay as empty rows
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows or not any(rows[0]):
        raise ImportRejected([Problem(None, "The file is empty or has no header row.")])
    headers = [h.strip() for h in rows[0]]
    return Table(headers=headers, rows=rows[1:], kind="csv", encoding=encoding)


# The Area model's column sizes: longer values failed at write time ("failed
# unexpectedly", or a 500 with inline tasks) instead of naming the row.
AREA_CODE_MAX = 20
AREA_NAME_MAX = 120


def area_problem(code: str, name: str, parent: str | None = None) -> str | None:
    """Why an area from a file cannot be stored, or None."""
    for label, value in (("area code", code), ("parent area code", parent or "")):
        if len(value) > AREA_CODE_MAX:
            return f"{label} {value[:30]!r}… is longer than {AREA_CODE_MAX} characters"
    if len(name) > AREA_NAME_MAX:
        return f"area name {name[:30]!r}… is longer than {AREA_NAME_MAX} characters"
    return None


def normalise_header(header: str) -> str:
    return header.strip().lstrip("\ufeff").strip().casefold()


# Markers for a figure that is suppressed or not available (DfE / ONS / GSS).
MARKERS = frozenset({"c", "x", "z", "k", "u", "low", ":", "..", ".", ""})


# the database stores counts as 32-bit integers
MAX_COUNT = 2_147_483_647
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_FRACTION = re.compile(r"[0-9]*\.[0-9]+", re.ASCII)


def parse_count(raw: str) -> tuple[int | None, str, str | None]:
    """(count, marker, error). A marker gives count None; never 0.

    ASCII digits only (thousands separators allowed; "²" or "١٢" are not
    counts, nor are "1e3" or "12.0" in a CSV), at most MAX_COUNT. A numeric
    XLSX cell holding a whole number arrives here as digits (``_clean``).
    """
    value = raw.strip()
    if value.casefold() in MARKERS:
        return None, value.casefold(), None
    digits = value.replace(",", "")
    if digits.startswith("-"):
        return None, "", f"count {value!r} is negative"
    if not _DIGITS.fullmatch(digits):
        if _FRACTION.fullmatch(digits):
            return None, "", f"count {value!r} is not a whole number"
        return None, "", f"count {value!r} is not a number or a known marker"
    if len(digits.lstrip("0")) > 10 or int(digits) > MAX_COUNT:
        return None, "", f"count {value!r} is too large (at most {MAX_COUNT:,})"
    return int(digits), "", None
