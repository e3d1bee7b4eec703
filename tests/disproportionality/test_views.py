"""API, CSV and report agree; disclosure control; query counts; uploads; admin pages."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from arp import roles
from disproportionality import metrics, recording_selectors, selectors
from disproportionality.models import (
    Area,
    EthnicityCount,
    ImportBatch,
    LabelMapping,
    Population,
)
from disproportionality.seed import seed_demo
from programme.models import Indicator, IndicatorReading
from tests.disproportionality.conftest import fixture_bytes

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
pytestmark = pytest.mark.django_db

API = "/disproportionality/api/metrics/"
PARAMS = {"area": "E10000012-N", "period": "2024", "stage": "CP", "level": "minor"}


@pytest.fixture
def demo(db):
    seed_demo(stdout=io.StringIO())


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _as_text(value):
    return "" if value is None else str(value)


def test_api_shape(client_for, demo):
    response = client_for(BOARD).get(API, {**PARAMS, "level": "major"})
    assert response.status_code == 200
    data = response.json()
    assert {"area", "period", "stage", "level", "reference", "population"} <= set(data)
    assert {"rows", "uasc", "all_children", "notes"} <= set(data)
    assert {
        "refused", "not_obtained", "unknown_share", "ci_low", "ci_high", "caveat",
    } <= set(data["recording"])  # fmt: skip
    # a local area has no mid-year estimate: the Census 0-17 is used unscaled
    assert data["base"] == {"kind": "population", "stage": None}
    assert data["population"] == {
        "source": "Demonstration data",
        "year": 2021,
        "age_band": "0-17",
        "scaled_to": None,
    }
    authority = client_for(BOARD).get(API, {**PARAMS, "area": "E10000012"}).json()
    assert authority["population"]["scaled_to"] == 2023  # 31 March 2024: mid-2023
    assert [r["group_code"] for r in data["rows"]] == [
        "WHITE", "MIXED", "ASIAN", "BLACK", "OTHER", "UNKNOWN",
    ]  # fmt: skip
    assert set(data["rows"][0]) == set(selectors.API_FIELDS)


def test_api_csv_and_command_agree(client_for, demo, capsys):
    client = client_for(STEERING)
    api_rows = client.get(API, PARAMS).json()["rows"]
    csv_rows = _csv_rows(
        client.get("/disproportionality/metrics.csv", PARAMS).content.decode()
    )
    call_command(
        "disproportionality_report",
        "--area", "E10000012-N", "--period", "2024",
        "--stage", "CP", "--level", "minor",
    )  # fmt: skip
    cmd_rows = _csv_rows(capsys.readouterr().out)
    call_command(
        "disproportionality_report",
        "--area", "E10000012-N", "--period", "2024", "--stage", "CP",
        "--level", "minor", "--format", "json",
    )  # fmt: skip
    json_rows = json.loads(capsys.readouterr().out)["rows"]
    assert json_rows == api_rows
    assert len(api_rows) == len(csv_rows) == len(cmd_rows) == 19
    assert csv_rows == cmd_rows
    for api, from_csv in zip(api_rows, csv_rows, strict=True):
        as_text = {k: _as_text(v) for k, v in api.items()}
        assert as_text == {k: from_csv[k] for k in api}
        # each row also carries its table's recording quality
        assert set(from_csv) - set(api) == {
            *recording_selectors.RECORDING_CSV_FIELDS,
            *recording_selectors.BOUNDS_CSV_FIELDS,
        }


def test_disclosure_control_in_api_and_csv(client_for, demo):
    client = client_for(BOARD)
    for stage in ("CIN", "CP", "CLA"):
        for level in ("major", "minor"):
            params = {**PARAMS, "stage": stage, "level": level}
            rows = client.get(API, params).json()["rows"]
            for row in rows:
                assert not (isinstance(row["count"], int) and 1 <= row["count"] <= 5)
                if row["count"] == "suppressed":
                    assert row["suppressed"] is True
                    assert row["rate_per_10k"] is None and row["rri"] is None
                    assert row["share"] is None
            text = client.get(
                "/disproportionality/metrics.csv", params
            ).content.decode()
            for row in _csv_rows(text):
                assert row["count"] not in {"1", "2", "3", "4"}


def test_secondary_suppression_reaches_the_api(client_for, demo):
    # make one Black cell small in an otherwise large set: another must hide too
    cells = EthnicityCount.objects.filter(
        area_id="E10000012", period="2024", stage="CLA"
    )
    cells.filter(group__major_code="BLACK").update(count=40)
    cells.filter(group_id="BOTH").update(count=3)
    rows = {
        r["group_code"]: r
        for r in client_for(BOARD)
        .get(
            API,
            {"area": "E10000012", "period": "2024", "stage": "CLA", "level": "minor"},
        )
        .json()["rows"]
    }
    # one label for the small count and the one hidden to protect it
    assert rows["BOTH"]["count"] == "suppressed"
    hidden = [c for c in ("BCRB", "BAFR") if rows[c]["count"] == "suppressed"]
    assert len(hidden) == 1
    # the unsuppressed view (admins only) still shows the 3
    page = client_for(ADMINS).get(
        "/disproportionality/unsuppressed/",
        {"area": "E10000012", "period": "2024", "level": "minor"},
    )
    assert page.status_code == 200
    unsuppressed = {r["group_code"]: r for r in page.context["board"].tables["CLA"]}
    assert unsuppressed["BOTH"]["count"] == 3


def test_api_values_match_metrics_module(client_for, demo):
    data = (
        client_for(BOARD)
        .get(API, {"area": "E10000012", "period": "2024", "stage": "CLA"})
        .json()
    )
    black = next(r for r in data["rows"] if r["group_code"] == "BLACK")
    cells = dict(
        EthnicityCount.objects.filter(
            area_id="E10000012", period="2024", stage="CLA"
        ).values_list("group_id", "count")
    )
    pops = dict(
        Population.objects.filter(area_id="E10000012").values_list(
            "group_id", "population"
        )
    )
    black_count = cells["BCRB"] + cells["BAFR"] + cells["BOTH"]
    black_pop = pops["BCRB"] + pops["BAFR"] + pops["BOTH"]
    assert black["count"] == black_count
    rri, low, high = metrics.katz_rri(
        black_count, black_pop, cells["WBRI"], pops["WBRI"]
    )
    assert black["rri"] == round(rri, 3)
    assert black["rri_ci_low"] == round(low, 3)
    # the Census 0-17 is scaled to the mid-2023 estimate for 31 March 2024
    from disproportionality.models import MidYearEstimate

    estimate = MidYearEstimate.objects.get(area_id="E10000012", year=2023).population
    scaled = black_pop * estimate / sum(pops.values())
    assert data["population"]["scaled_to"] == 2023
    assert black["population"] == round(scaled)
    assert black["rate_per_10k"] == round(black_count / scaled * 10_000, 2)


@pytest.mark.parametrize(
    "params,parameter",
    [
        ({"level": "regional"}, "level"),
        ({"reference": "ASIAN"}, "reference"),
        ({"stage": "XYZ"}, "stage"),
    ],
)
def test_bad_parameter_is_400_naming_it(client_for, demo, params, parameter):
    response = client_for(BOARD).get(API, {**PARAMS, **params})
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert parameter in response.json()["error"]


def test_missing_figures_404_missing_population_null_rates(client_for, demo):
    client = client_for(BOARD)
    response = client.get(API, {**PARAMS, "period": "2010"})
    assert response.status_code == 404
    assert "No CP figures" in response.json()["error"]
    Population.objects.filter(area_id="E10000012-N").delete()
    # counts but no population: counts and shares stand, the rates are null
    response = client.get(API, PARAMS)
    assert response.status_code == 200
    data = response.json()
    assert data["population"] is None
    shown = [r for r in data["rows"] if isinstance(r["count"], int)]
    assert shown and all(r["rate_per_10k"] is None for r in data["rows"])
    assert all(r["rri"] is None for r in data["rows"])
    known = [r for r in shown if r["group_code"] != "UNKNOWN"]
    assert all(r["share"] is not None for r in known)
    response = client.get("/disproportionality/metrics.csv", {**PARAMS, "area": "E99"})
    assert response.status_code == 404


def test_population_rule():
    choice = selectors.PopulationChoice
    options = [
        choice("Census 2011", 2011, "0-17"),
        choice("Census 2021", 2021, "0-17"),
        choice("Census 2021", 2021, "all"),
    ]
    assert selectors.choose_population(options, date(2024, 3, 31)) == options[1]
    assert selectors.choose_population(options, date(2019, 3, 31)) == options[0]
    assert selectors.choose_population(options[1:], date(2019, 3, 31)) == options[1]
    # an all-ages population is never a children's denominator
    assert selectors.choose_population([options[2]], date(2024, 3, 31)) is None
    assert selectors.choose_population([], date(2024, 3, 31)) is None


def _add_authorities(n: int) -> None:
    """More areas and years: the query count must not move."""
    Area.objects.bulk_create(
        [
            Area(code=f"E0600{i:04d}", name=f"LA {i}", level="local_authority")
            for i in range(n)
        ]
    )
    EthnicityCount.objects.bulk_create(
        [
            EthnicityCount(
                area_id=f"E0600{i:04d}", period=str(y), period_end=date(y, 3, 31),
                stage="CLA", group_id="WBRI", count=50,
            )
            for i in range(n)
            for y in range(2015, 2019)
        ]
    )  # fmt: skip
    extra = EthnicityCount.objects.filter(area_id="E10000012", period="2019")
    EthnicityCount.objects.bulk_create(
        [
            EthnicityCount(
                area_id="E10000012", period="2018", period_end=date(2018, 3, 31),
                stage=c.stage, group_id=c.group_id, count=c.count,
            )
            for c in extra
        ]
    )  # fmt: skip


def _main(response) -> bytes:
    """The page's main content (the header carries a per-request CSRF token)."""
    content = response.content
    return content[content.index(b"<main") : content.index(b"</main>")]


@pytest.mark.parametrize("grow", [False, True])
def test_dashboard_and_api_query_counts_are_fixed(
    client_for, demo, django_assert_num_queries, grow
):
    if grow:
        _add_authorities(40)
    client = client_for(BOARD)
    dashboard = ("/disproportionality/", {"level": "minor", "comparator": "region"})
    api = (API, {"area": "E10000012", "period": "2024"})
    # cold: user, groups, data version + areas, counts, populations (the
    # session itself is read through the cache)
    with django_assert_num_queries(6):
        response = client.get(*dashboard)
    assert response.status_code == 200
    with django_assert_num_queries(6):
        assert client.get(*api).status_code == 200
    # warm: user, groups, data version; the rest comes from the cache
    with django_assert_num_queries(3):
        warm = client.get(*dashboard)
    assert warm.status_code == 200
    assert _main(warm) == _main(response)
    assert b'data-testid="table-rri-CLA"' in _main(warm)
    with django_assert_num_queries(3):
        assert client.get(*api).status_code == 200


def test_dashboard_content_changes_with_stage(client_for, demo):
    client = client_for(BOARD)
    cp = client.get("/disproportionality/", {"stage": "CP"})
    cla = client.get("/disproportionality/", {"stage": "CLA"})
    assert cp.status_code == cla.status_code == 200
    assert b"Demonstration data" in cp.content
    assert b"vendor/plotly/plotly.min.js" in cp.content
    assert b"cdn" not in cp.content.lower()
    assert cp.context["board"].trend_rows != cla.context["board"].trend_rows
    assert b'<th scope="row">' in cp.content and b"<caption>" in cp.content
    for chart in ("rri", "journey", "trend", "comparator"):
        assert f'id="fig-{chart}"'.encode() in cp.content


def test_dashboard_bad_area_is_400_not_500(client_for, demo):
    response = client_for(BOARD).get("/disproportionality/", {"area": "E99999999"})
    assert response.status_code == 400
    assert b"No area with code" in response.content


def test_chart_csv_is_what_the_table_shows(client_for, demo):
    client = client_for(BOARD)
    board = client.get("/disproportionality/", {"area": "E10000012-S"}).context["board"]
    text = client.get(
        "/disproportionality/download/rri.csv", {"area": "E10000012-S"}
    ).content.decode()
    rows = _csv_rows(text)
    shown = [r for rows_ in board.tables.values() for r in rows_]
    assert [r["count"] for r in rows] == [_as_text(r["count"]) for r in shown]
    assert all(r["count"] not in {"1", "2", "3", "4"} for r in rows)


def test_upload_runs_the_task_and_shows_the_result(
    client_for, essex, django_capture_on_commit_callbacks
):
    client = client_for(ADMINS)
    upload = SimpleUploadedFile("figures.csv", fixture_bytes("local_template.csv"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            "/disproportionality/imports/",
            {"kind": "figures", "file": upload, "stage": ""},
        )
    assert response.status_code == 302
    assert len(callbacks) == 1  # enqueued after the commit
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/disproportionality/imports/{batch.pk}/"
    assert batch.status == "succeeded"
    assert batch.uploaded_by.username == "alice"
    assert EthnicityCount.objects.filter(area_id="E10000012-N").count() == 5
    status = client.get(f"/disproportionality/imports/{batch.pk}/status/").json()
    assert status == {
        "status": "succeeded",
        "status_display": "Imported",
        "progress": 100,
        "finished": True,
        "url": f"/disproportionality/imports/{batch.pk}/",
    }
    page = client.get(response["Location"])
    assert (
        b"Cells created" in page.content and b'http-equiv="refresh"' not in page.content
    )


def test_rejected_upload_lists_rows(
    client_for, essex, django_capture_on_commit_callbacks
):
    client = client_for(ADMINS)
    bad = b"area_code,area_name,period,stage,ethnicity,count\nE1,x,2024,CLA,WBRI,4\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/disproportionality/imports/",
            {"kind": "figures", "file": SimpleUploadedFile("bad.csv", bad)},
        )
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected"
    page = client.get(f"/disproportionality/imports/{batch.pk}/")
    assert b"unknown area code" in page.content
    assert EthnicityCount.objects.count() == 0


def test_population_upload_detects_the_layout_and_checks_the_band(client_for, essex):
    response = client_for(ADMINS).post(
        "/disproportionality/imports/",
        {
            "kind": "population",
            "age_band": "teenagers",
            "file": SimpleUploadedFile("p.csv", b"a,b\n1,2\n"),
        },
    )
    assert response.status_code == 400
    assert "age_band" in response.context["form"].errors
    assert ImportBatch.objects.count() == 0
    response = client_for(ADMINS).post(
        "/disproportionality/imports/",
        {"kind": "population", "file": SimpleUploadedFile("p.csv", b"a,b\n1,2\n")},
    )
    assert response.status_code == 302  # no year or band needed: detected
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.age_band, batch.population_year) == (
        "population",
        "",
        None,
    )
    assert not Population.objects.exists()


def test_pending_import_page_refreshes_itself(client_for, essex):
    batch = ImportBatch.objects.create(kind="figures", file_name="x.csv")
    page = client_for(ADMINS).get(f"/disproportionality/imports/{batch.pk}/")
    assert b'http-equiv="refresh"' in page.content


def test_admin_adds_mapping_and_local_area(client_for, essex):
    client = client_for(ADMINS)
    response = client.post(
        "/disproportionality/mappings/",
        {"source": "local", "label": "Black - Somali", "group": "BAFR"},
    )
    assert response.status_code == 302
    assert LabelMapping.objects.get(label="Black - Somali").group_id == "BAFR"
    duplicate = client.post(
        "/disproportionality/mappings/",
        {"source": "local", "label": "black -  somali", "group": "BOTH"},
    )
    assert duplicate.status_code == 400
    response = client.post(
        "/disproportionality/areas/",
        {"code": "E10000012-Q", "name": "Quarter", "parent": "E10000012"},
    )
    assert response.status_code == 302
    assert Area.objects.get(code="E10000012-Q").level == "local"
    mapping = LabelMapping.objects.get(label="Black - Somali")
    client.post(f"/disproportionality/mappings/{mapping.pk}/delete/")
    assert not LabelMapping.objects.filter(pk=mapping.pk).exists()


def test_seed_is_idempotent_and_feeds_aspiration_one(settings):
    seed_demo(stdout=io.StringIO())
    counts = (
        EthnicityCount.objects.count(),
        Population.objects.count(),
        Area.objects.count(),
    )
    out = io.StringIO()
    seed_demo(stdout=out)
    assert (
        EthnicityCount.objects.count(),
        Population.objects.count(),
        Area.objects.count(),
    ) == counts
    assert "0 cells created" in out.getvalue()
    assert counts[0] == 7 * 3 * 7 * 20
    # after an import, the headline ratios reach the programme's indicators
    figures_file = fixture_bytes("local_template.csv")
    from disproportionality.services import figures_import

    figures_import(data=figures_file, file_name="x.csv")
    indicator = Indicator.objects.get(key="disproportionality-rri-black-cla")
    assert indicator.aspiration.number == 1
    readings = IndicatorReading.objects.filter(indicator=indicator)
    assert readings.count() == 7
    latest = readings.get(taken_on=date(2025, 3, 31))
    board_rri = selectors.metrics_table(
        area_code=settings.HOME_AREA_CODE, period="2025", stage="CLA"
    ).as_dict()["rows"][3]["rri"]
    assert float(latest.value) == pytest.approx(board_rri, abs=0.006)


@pytest.mark.parametrize(
    "params,parameter",
    [
        ({"area": "E1000\x000012"}, "area"),
        ({"area": "\x00"}, "area"),
        ({"area": "' OR 1=1--"}, "area"),
        ({"period": "20\x0024"}, "period"),
        ({"period": "\x00"}, "period"),
        ({"period": "2024' --"}, "period"),
        ({"period": "2024-Q9"}, "period"),
    ],
)
@pytest.mark.parametrize(
    "url",
    [API, "/disproportionality/metrics.csv", "/disproportionality/download/rri.csv"],
)
def test_nul_or_malformed_area_and_period_are_400_naming_them(
    client_for, demo, url, params, parameter
):
    response = client_for(BOARD).get(url, {**PARAMS, **params})
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert parameter in response.json()["error"]


@pytest.mark.parametrize("params", [{"area": "E10\x00"}, {"period": "\x00"}])
def test_dashboard_answers_400_for_a_nul_in_area_or_period(client_for, demo, params):
    for url in ("/disproportionality/", "/disproportionality/unsuppressed/"):
        response = client_for(ADMINS).get(url, params)
        assert response.status_code == 400
        assert next(iter(params)) in response.content.decode()
