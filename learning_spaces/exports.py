"""Responses as CSV and XLSX rows; ``arp.exports`` writes the files."""

from collections.abc import Iterable

from django.utils import timezone

from arp import exports as shared
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

# The one shared writer (formula and control-character escaping lives there).
safe_cell = shared.safe_cell


def response_rows(responses: Iterable[FeedbackResponse]) -> list[list]:
    """Rows for ``responses`` (select_related session__space, prefetched themes)."""
    rows = []
    for r in responses:
        rows.append(
            [
                r.reference,
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
    return shared.csv_bytes([title for _, title in COLUMNS], rows)


def to_xlsx(rows: list[list]) -> bytes:
    return shared.xlsx_bytes([title for _, title in COLUMNS], rows, title="Responses")
