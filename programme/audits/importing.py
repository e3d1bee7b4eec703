"""Importing audits done in a spreadsheet: parse → validate → write.

All or nothing: one problem anywhere and nothing is written; every problem is
listed with its row number (the header is row 1). The uploaded file holds case
ids in clear, so it is read in memory and never saved.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook, load_workbook

from arp.imports import decode_text
from disproportionality.taxonomy import CODE_LABELS, CODES
from programme.audits.models import Audit, AuditQuestionSet
from programme.audits.services import AuditInput, audit_validate
from programme.exports import XLSX_TYPE, spreadsheet_safe

FIXED_COLUMNS = ("case_reference", "team", "month", "ethnicity", "stage")
LEARNING_COLUMN = "learning"
MAX_ROWS = 5000
MAX_PROBLEMS_SHOWN = 50

ANSWER_WORDS = {
    "yes": "yes",
    "y": "yes",
    "partly": "partly",
    "partially": "partly",
    "no": "no",
    "n": "no",
    "na": "na",
    "n/a": "na",
    "not applicable": "na",
}
STAGE_WORDS = {
    **{v.lower(): v for v in Audit.Stage.values},
    **{label.lower(): value for value, label in Audit.Stage.choices},
    "early help": "EH",
    "child in need": "CIN",
    "child protection": "CP",
    "child looked after": "CLA",
    "children in care": "CLA",
}
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$")
_UK_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")


class ImportProblem(Exception):
    """The file cannot be read at all (wrong type, no header, empty)."""


@dataclass(frozen=True)
class ImportResult:
    rows: list[AuditInput]
    problems: list[str]  # "Row 4: ..." in row order

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def template_columns(question_set: AuditQuestionSet) -> list[str]:
    codes = [q.code for q in question_set.questions.all()]
    return [*FIXED_COLUMNS, *codes, LEARNING_COLUMN]


# --- parse -----------------------------------------------------------------------


def parse(upload_name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for each non-blank row of a CSV or XLSX."""
    name = upload_name.lower()
    if name.endswith(".xlsx"):
        table = _xlsx_rows(content)
    elif name.endswith(".csv"):
        table = _csv_rows(content)
    else:
        raise ImportProblem("Upload the template as a .csv or .xlsx file.")
    if not table:
        raise ImportProblem("The file is empty.")
    header = [_header(cell) for cell in table[0]]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {h: _text(c) for h, c in zip(header, cells, strict=False) if h}
        if any(values.values()):
            rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise ImportProblem(f"Import at most {MAX_ROWS:,} audits at a time.")
    return [(n, {**dict.fromkeys(header, ""), **v}) for n, v in rows]


def _header(cell) -> str:
    return _text(cell).lower().replace(" ", "_")


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text, _encoding = decode_text(content)
    except UnicodeDecodeError:  # pragma: no cover - cp1252 decodes nearly anything
        raise ImportProblem("The CSV is not UTF-8 or Windows-1252 text.") from None
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(content: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a bad file
        raise ImportProblem("The file is not an Excel workbook (.xlsx).") from exc
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- validate --------------------------------------------------------------------


def _month(text: str) -> date | None:
    match = _MONTH.match(text)
    if match:
        year, month = int(match[1]), int(match[2])
    else:
        match = _UK_MONTH.match(text)
        if not match:
            return None
        month, year = int(match[1]), int(match[2])
    try:
        return date(year, month, 1)
    except ValueError:
        return None


def validate(
    rows: list[tuple[int, dict[str, str]]],
    *,
    question_set: AuditQuestionSet,
    today: date,
) -> ImportResult:
    columns = template_columns(question_set)
    present = set(rows[0][1]) if rows else set()
    missing = [c for c in columns if c != LEARNING_COLUMN and c not in present]
    if not rows:
        return ImportResult([], ["The file has a header but no audits."])
    if missing:
        return ImportResult(
            [], [f"Row 1: missing column{'s' if len(missing) > 1 else ''} "
                 f"{', '.join(missing)}. Download the template."]
        )  # fmt: skip
    codes = [q.code for q in question_set.questions.all()]
    problems, inputs, seen = [], [], {}
    for number, values in rows:
        row_problems = []
        month = _month(values["month"])
        if month is None:
            row_problems.append("month must look like 2026-03 or 03/2026.")
        ethnicity = values["ethnicity"].upper()
        stage = STAGE_WORDS.get(values["stage"].lower(), values["stage"])
        answers = {c: ANSWER_WORDS.get(values[c].lower(), values[c]) for c in codes}
        data = AuditInput(
            case_reference=values["case_reference"],
            team=values["team"],
            month=month or today,
            ethnicity=ethnicity,
            stage=stage,
            answers=answers,
            learning=values.get(LEARNING_COLUMN, ""),
        )
        row_problems += audit_validate(data, question_set=question_set, today=today)
        key = (data.case_reference.replace(" ", "").upper(), month)
        if not row_problems and key in seen:
            row_problems.append(
                f"the same case and month as row {seen[key]}; audit a case once "
                "a month."
            )
        seen.setdefault(key, number)
        if row_problems:
            problems.append(f"Row {number}: {' '.join(row_problems)}")
        else:
            inputs.append(data)
    return ImportResult(inputs if not problems else [], problems)


# --- the template ------------------------------------------------------------------


def template_csv(question_set: AuditQuestionSet) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(template_columns(question_set))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(question_set: AuditQuestionSet) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Audits"
    sheet.append(template_columns(question_set))
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Guidance")
    guide.append(["Column", "What to enter"])
    guide.append(["case_reference", "The case-system id. It is hashed on import "
                  "and never stored; delete this file once imported."])  # fmt: skip
    guide.append(["team", "Team or quadrant"])
    guide.append(["month", "Month audited, e.g. 2026-03"])
    guide.append(["ethnicity", "DfE ethnicity code (list below)"])
    guide.append(["stage", "EH, CIN, CP or CLA"])
    for question in question_set.questions.all():
        guide.append([question.code, spreadsheet_safe(
            f"{question.text} Yes, Partly, No or Not applicable.")])  # fmt: skip
    guide.append(["learning", "Optional: what the audit taught us (no names)"])
    guide.append([])
    guide.append(["DfE code", "Ethnicity"])
    for code in CODES:
        guide.append([code, CODE_LABELS[code]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = ["XLSX_TYPE", "ImportProblem", "ImportResult", "parse", "validate"]
