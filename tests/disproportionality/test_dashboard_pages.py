"""Issue 13: the dashboard's empty state, default period, chart layout, the
suppressed-reference explanation and the import template's example rows."""

import csv
import io

import pytest
from openpyxl import load_workbook

from arp import roles
from disproportionality import charts, dashboard, metrics
from disproportionality.metrics import Cell
from disproportionality.models import Area, EthnicityCount, ImportBatch
from disproportionality.seed import seed_demo
from disproportionality.services import figures_import
from tests.disproportionality.conftest import fixture_bytes

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    seed_demo(stdout=io.StringIO())


# --- the empty state -----------------------------------------------------------


def test_first_visit_with_only_england_imported_is_a_helpful_page(client_for):
    batch = figures_import(
        data=fixture_bytes("dfe_cla_2024_layout.csv"), file_name="cla.csv"
    )
    assert batch.status == "succeeded", batch.errors
    assert not Area.objects.filter(code="E10000012").exists()
    response = client_for(BOARD).get("/disproportionality/")
    html = response.content.decode()
    assert response.status_code == 200  # was 400 "No area with code E10000012"
    assert 'data-testid="dashboard-empty"' in html
    assert "no figures for the home authority (E10000012) yet" in html
    assert "England</a>: 2 periods, the latest 2024" in html
    assert "ONS Census 2021 population" in html
    assert 'href="/disproportionality/?area=E92000001"' in html
    assert "Import figures" not in html  # the Board cannot import
    assert "A Programme admin imports the files." in html
    admin = client_for(ADMINS).get("/disproportionality/").content.decode()
    assert 'href="/disproportionality/imports/"' in admin
    england = client_for(BOARD).get("/disproportionality/", {"area": "E92000001"})
    assert england.status_code == 200
    assert EthnicityCount.objects.count() == 40  # looking changed nothing


def test_empty_database_is_a_helpful_page_too(client_for):
    response = client_for(STEERING).get("/disproportionality/")
    assert response.status_code == 200
    assert b"No figures have been imported yet." in response.content
    assert b"See England" not in response.content


def test_an_unknown_area_asked_for_is_still_a_400(client_for, demo):
    response = client_for(BOARD).get("/disproportionality/", {"area": "E99999999"})
    assert response.status_code == 400


# --- the default period ----------------------------------------------------------


def test_default_period_is_the_latest_with_figures_for_the_stage(client_for, demo):
    rows = "".join(
        f"E10000012,Essex,2026,CP,{code},{n}\n"
        for code, n in (("WBRI", 300), ("BCRB", 20), ("AIND", 12))
    )
    text = "area_code,area_name,period,stage,ethnicity,count\n" + rows
    batch = figures_import(data=text.encode(), file_name="cp-2026.csv")
    assert batch.status == "succeeded", batch.errors
    client = client_for(BOARD)
    cla = client.get("/disproportionality/").context["board"]
    assert "2026" in cla.periods
    assert cla.params.period == "2025"  # not 2026, which has only CP figures
    assert "CLA" in cla.tables
    cp = client.get("/disproportionality/", {"stage": "CP"}).context["board"]
    assert cp.params.period == "2026"


# --- chart layout ------------------------------------------------------------


def _figures(client, **params):
    board = client.get("/disproportionality/", params).context["board"]
    import json

    return {k: json.loads(v) for k, v in board.figures.items()}


def _axes(layout, letter):
    return {k: v for k, v in layout.items() if k.startswith(f"{letter}axis")}


def test_ratio_axes_tick_at_powers_of_two_with_one_in_bold(client_for, demo):
    figures = _figures(client_for(BOARD), level="minor", stage="CP")
    ratio_axes = [
        *_axes(figures["rri"]["layout"], "x").values(),
        figures["trend"]["layout"]["yaxis2"],
        figures["comparator"]["layout"]["xaxis"],
    ]
    assert len(ratio_axes) >= 4
    for axis in ratio_axes:
        assert axis["type"] == "log"
        assert axis["tickmode"] == "array"
        ticks = axis["tickvals"]
        assert {0.25, 0.5, 1, 2, 4} <= set(ticks)
        assert all(b == 2 * a for a, b in zip(ticks, ticks[1:], strict=False))
        assert axis["ticktext"][ticks.index(1)] == "<b>1</b>"
        assert axis["ticktext"][ticks.index(0.25)] == "0.25"


def test_ratio_axis_grows_to_take_in_every_interval():
    axis = charts.log_ratio_axis([0.9, 0.07, 11.2, None], "RRI")
    assert axis["tickvals"][0] <= 0.07 and axis["tickvals"][-1] >= 11.2
    low, high = axis["range"]
    assert 10**low < 0.07 and 10**high > 11.2
    plain = charts.log_ratio_axis([1.1, 1.3], "RRI")
    assert plain["tickvals"] == [0.25, 0.5, 1, 2, 4]


def test_legends_sit_above_the_plot_and_axes_make_room_for_labels(client_for, demo):
    for name, figure in _figures(client_for(BOARD)).items():
        layout = figure["layout"]
        legend = layout["legend"]
        # above the plot area: cannot overlap an axis title, which sits below
        assert legend["y"] >= 1 and legend["yanchor"] == "bottom", name
        assert "title" not in layout or not layout["title"].get("text"), name
        for key, axis in {**_axes(layout, "x"), **_axes(layout, "y")}.items():
            assert axis.get("automargin") is True, (name, key)


def test_a_stage_without_ratios_gets_no_empty_panel():
    row = {
        "unknown": False,
        "rri": 1.5,
        "rri_ci_low": 1.1,
        "rri_ci_high": 2.0,
        "flag": "over",
        "group_label": "Black",
    }
    empty = {**row, "rri": None, "rri_ci_low": None, "rri_ci_high": None}
    figure = charts.rri_by_stage({"CIN": [row], "CP": [empty]}, "White British")
    layout = figure["layout"]
    assert "xaxis2" not in layout  # only CIN has a panel
    assert {t["xaxis"] for t in figure["data"]} == {"x"}
    assert layout["xaxis"]["title"]["text"].startswith("<b>CIN</b>")


# --- a suppressed reference group ------------------------------------------------


def test_a_group_is_not_called_too_few_when_the_reference_is_hidden():
    counts = {code: Cell(0) for code in metrics.taxonomy.CODES}
    # Black is not nested in the White British reference (White is, and gets
    # no ratio at all: issue 9), so it shows the "reference too small" reading
    counts.update(
        WBRI=Cell(3), WOTH=Cell(40), BCRB=Cell(1180), AIND=Cell(2), REFU=Cell(0)
    )
    populations = dict.fromkeys(metrics.taxonomy.CODES, 1000)
    populations.update(WBRI=5000, WOTH=2000, BCRB=40000)
    rows = metrics.compute_table(counts=counts, populations=populations)
    safe = metrics.apply_disclosure_control(rows, counts, "major", "WBRI")
    black = next(r for r in safe if r["group_code"] == "BLACK")
    assert black["count"] == 1180 and black["flag"] == "insufficient"
    marked = {r["group_code"]: r for r in dashboard.explain_reference(safe)}
    assert marked["BLACK"].get("reference_too_small") is True
    from django.template.loader import render_to_string

    finding = render_to_string(
        "disproportionality/_finding.html", {"r": marked["BLACK"]}
    )
    assert "the reference group is too small in this area to compare against" in (
        finding
    )
    # a group that really is small keeps "Too few to tell"
    for code, row in marked.items():
        if row["count"] in ("<5", "suppressed", 0):
            assert not row.get("reference_too_small"), code


# --- the chart containers ----------------------------------------------------------


def test_chart_containers_have_no_img_role_around_plotly(client_for, demo):
    html = client_for(BOARD).get("/disproportionality/").content.decode()
    # plotly draws interactive elements; inside role="img" they are nested
    # interactive content (axe: nested-interactive)
    assert 'role="img"' not in html
    for chart in ("rri", "journey", "trend", "comparator"):
        assert f'<div id="chart-{chart}" class="dp-chart" aria-hidden="true">' in html


# --- the import template ----------------------------------------------------------


def _home_cell():
    return EthnicityCount.objects.get(
        area_id="E10000012", period="2024", stage="CLA", group_id="WBRI"
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_uploading_the_template_unchanged_changes_no_figures(client_for, demo, fmt):
    before = _home_cell().count
    assert before != 412
    total = EthnicityCount.objects.count()
    response = client_for(ADMINS).get(f"/disproportionality/imports/template.{fmt}")
    assert response.status_code == 200
    batch = figures_import(data=response.content, file_name=f"template.{fmt}")
    assert batch.status != "succeeded" or batch.rows_created + batch.rows_updated == 0
    assert _home_cell().count == before  # was overwritten with 412
    assert EthnicityCount.objects.count() == total
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


def test_template_examples_use_a_code_that_cannot_be_an_area(client_for, demo):
    client = client_for(ADMINS)
    text = client.get("/disproportionality/imports/template.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["area_code"] for r in rows} == {"EXAMPLE"}
    workbook = load_workbook(
        io.BytesIO(client.get("/disproportionality/imports/template.xlsx").content)
    )
    assert workbook.sheetnames == ["Figures", "Example"]
    assert workbook["Figures"].max_row == 1  # the header only
    assert workbook["Example"]["A2"].value == "EXAMPLE"
    refused = client.post(
        "/disproportionality/areas/",
        {"code": "example", "name": "Example", "parent": "E10000012"},
    )
    assert refused.status_code == 400
    assert not Area.objects.filter(code__iexact="example").exists()
