"""CSV and XLSX exports parse back, carry themes and cannot run formulas."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from learning_spaces.exports import COLUMNS, safe_cell

from .conftest import make_response, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(open_session, themes):
    r1 = make_response(
        open_session,
        rating=5,
        gained_most='=HYPERLINK("http://evil")',
        do_differently="+SUM(A1)",
        could_be_better="@cmd",
        team="-North",
        consent_to_quote=True,
    )
    r1.themes.set([themes["White privilege"], themes["Power dynamics"]])
    r2 = make_response(open_session, rating=3, gained_most="Curiosity — asking é")
    # a third answer: sessions with fewer are never listed one by one
    make_response(open_session, rating=4)
    return r1, r2


def _csv_rows(content: bytes):
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_session_csv_parses_back_with_themes_and_no_formulas(
    client_for, open_session, exported
):
    r1, r2 = exported
    page = client_for("Steering group").get(
        f"/learning-spaces/sessions/{open_session.pk}/responses.csv"
    )
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/csv")
    assert "attachment" in page["Content-Disposition"]
    rows = {r["Response"]: r for r in _csv_rows(page.content)}
    assert len(rows) == 3
    assert {r1.reference, r2.reference} <= set(rows)
    first = rows[r1.reference]
    assert first["What did you gain most?"] == '\'=HYPERLINK("http://evil")'
    assert first["What will you do differently?"] == "'+SUM(A1)"
    assert first["What could have been better?"] == "'@cmd"
    assert first["Quadrant or team"] == "'-North"
    assert first["Themes"] == "Power dynamics; White privilege"
    assert first["Rating (1–5)"] == "5"
    assert first["Consent to quote"] == "Yes"
    assert rows[r2.reference]["What did you gain most?"] == "Curiosity — asking é"


def test_session_xlsx_parses_back(client_for, open_session, exported):
    r1, _ = exported
    page = client_for("Programme admins").get(
        f"/learning-spaces/sessions/{open_session.pk}/responses.xlsx"
    )
    assert page.status_code == 200
    sheet = load_workbook(io.BytesIO(page.content)).active
    header = [c.value for c in sheet[1]]
    assert header == [title for _, title in COLUMNS]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 3
    row = rows[r1.reference]
    assert row[header.index("What did you gain most?")] == '\'=HYPERLINK("http://evil")'
    assert row[header.index("Rating (1–5)")] == 5
    assert row[header.index("Themes")] == "Power dynamics; White privilege"
    # No cell is stored as a formula.
    for cells in sheet.iter_rows(min_row=2):
        assert all(c.data_type != "f" for c in cells)


def test_insights_export_filters_by_space_and_dates(client_for, space, themes):
    from learning_spaces.models import Space

    other = Space.objects.create(name="Other space", audience="leaders")
    recent = make_session(space, starts_in=-timedelta(days=2))
    old = make_session(space, starts_in=-timedelta(days=400))
    elsewhere = make_session(other, starts_in=-timedelta(days=2))
    keep = [make_response(recent) for _ in range(3)]
    for _ in range(3):
        make_response(old)
        make_response(elsewhere)
    since = (recent.starts_at - timedelta(days=30)).date().isoformat()
    page = client_for("Steering group").get(
        "/learning-spaces/insights/responses.csv",
        {"space": space.pk, "date_from": since},
    )
    rows = _csv_rows(page.content)
    assert sorted(r["Response"] for r in rows) == sorted(k.reference for k in keep)

    xlsx = client_for("Steering group").get(
        "/learning-spaces/insights/responses.xlsx", {"space": other.pk}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 4  # header and the three answers elsewhere


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("ok", "ok"),
        (-1, -1),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
