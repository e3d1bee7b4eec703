"""CSV and XLSX exports parse back with the right rows and no formulas."""

import csv
import io

import pytest
from openpyxl import load_workbook

from arp import roles
from programme.exports import spreadsheet_safe
from tests.programme.conftest import make_achievement, make_action

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS


@pytest.fixture
def achievements(aspirations, steering_member):
    return [
        make_achievement(steering_member, status="published", title="=HYPERLINK(\"x\")",
                         reach="local"),
        make_achievement(steering_member, status="published", title="Regional strategy",
                         reach="regional"),
        make_achievement(steering_member, status="draft", title="Draft only",
                         reach="local"),
    ]  # fmt: skip


def _csv(response):
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_csv_same_filters_as_list_and_formula_guard(client_for, achievements):
    rows = _csv(client_for(STEERING).get("/programme/achievements.csv?reach=local"))
    assert rows[0][:2] == ["ID", "Title"]
    titles = sorted(row[1] for row in rows[1:])
    assert titles == sorted(['\'=HYPERLINK("x")', "Draft only"])
    first = next(row for row in rows[1:] if row[1].startswith("'="))
    assert first[3] == achievements[0].achieved_on.strftime("%d/%m/%Y")


def test_board_export_holds_published_only(client_for, achievements):
    rows = _csv(client_for(BOARD).get("/programme/achievements.csv"))
    assert {row[1] for row in rows[1:]} == {'\'=HYPERLINK("x")', "Regional strategy"}
    rows = _xlsx(client_for(BOARD).get("/programme/achievements.xlsx?status=draft"))
    assert "Draft only" not in {row[1] for row in rows[1:]}


def test_xlsx_parses_with_dates_and_no_formulas(client_for, achievements):
    response = client_for(ADMINS).get("/programme/achievements.xlsx?ordering=title")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx(response)
    assert rows[0][0] == "ID"
    assert [row[1] for row in rows[1:]] == [
        "'=HYPERLINK(\"x\")", "Draft only", "Regional strategy"
    ]  # fmt: skip
    workbook = load_workbook(io.BytesIO(response.content))
    assert all(
        cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row
    )
    assert rows[1][3].date() == achievements[0].achieved_on


def test_actions_export(client_for, aspirations, steering_member):
    make_action(steering_member, title="+SUM(A1)", status="off_track")
    make_action(steering_member, title="On track one", status="on_track")
    rows = _csv(client_for(BOARD).get("/programme/actions.csv?status=off_track"))
    assert [row[1] for row in rows[1:]] == ["'+SUM(A1)"]
    rows = _xlsx(client_for(BOARD).get("/programme/actions.xlsx"))
    assert len(rows) == 3 and rows[0][1] == "Title"


@pytest.mark.parametrize(
    "value,expected",
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM", "'@SUM"),
     ("\tx", "'\tx"), ("plain", "plain"), (-5, -5), (None, None)],
)  # fmt: skip
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected
