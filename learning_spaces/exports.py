"""Responses as CSV and XLSX, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook

from learning_spaces.models import FeedbackResponse

COLUMNS = (
    ("response_id", "Response"),
    ("session_date", "Session date"),
    ("space", "Space"),
    ("topic", "Topic"),
    ("submitted_on", "Submitted on"),
    ("rating", "Rating (1–5)"),
    ("confidence_before", "Confidence before (1–5)"),
    ("confidence_now", "Confidence now (1–5)"),
    ("confidence_shift", "Confidence shift"),
    ("gained_most", "What did you gain most?"),
    ("do_differently", "What will you do differently?"),
    ("could_be_better", "What could have been better?"),
    ("role", "Role"),
    ("team", "Quadrant or team"),
    ("consent_to_quote", "Consent to quote"),
    ("themes", "Themes"),
    ("themes_status", "Themes status"),
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Stop a spreadsheet from running text as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def response_rows(responses: Iterable[FeedbackResponse]) -> list[list]:
    """Rows for ``responses`` (select_related session__space, prefetched themes)."""
    rows = []
    for r in responses:
        rows.append(
            [
                r.pk,
                timezone.localtime(r.session.starts_at).date(),
                r.session.space.name,
                r.session.topic,
                r.submitted_on,
                r.rating,
                r.confidence_before,
                r.confidence_now,
                r.confidence_shift,
                r.gained_most,
                r.do_differently,
                r.could_be_better,
                r.get_role_display() if r.role else "",
                r.team,
                "Yes" if r.consent_to_quote else "No",
                "; ".join(t.name for t in r.themes.all()),
                "confirmed" if r.themes_reviewed_at else "suggested",
            ]
        )
    return rows


def to_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for _, title in COLUMNS])
    for row in rows:
        writer.writerow(
            [safe_cell(v.isoformat() if hasattr(v, "isoformat") else v) for v in row]
        )
    # BOM so Excel reads the UTF-8 (en dashes, accents) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Responses"
    sheet.append([title for _, title in COLUMNS])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for cell in sheet["B"][1:] + sheet["E"][1:]:
        cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
