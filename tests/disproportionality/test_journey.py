"""The journey through care: decision-point ratios, local stages and starts."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from arp import roles
from disproportionality import taxonomy
from disproportionality.services import figures_import
from tests.disproportionality.conftest import FIXTURES, fixture_bytes

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
pytestmark = pytest.mark.django_db
API = "/disproportionality/api/metrics/"
FILE = "local_template_journey.csv"


@pytest.fixture
def journey(essex):
    batch = figures_import(data=fixture_bytes(FILE), file_name=FILE)
    assert batch.status == "succeeded", batch.errors
    frame = pd.read_csv(FIXTURES / FILE)
    frame["major"] = frame["ethnicity"].map(taxonomy.CODE_MAJOR)
    return frame


def _expected(frame, stage, previous, reference="WBRI"):
    known = frame[frame["major"] != "UNKNOWN"]
    at = known[known["stage"] == stage].groupby("major")["count"].sum()
    base = known[known["stage"] == previous].groupby("major")["count"].sum()
    ref = known[known["ethnicity"] == "WBRI"].set_index("stage")["count"]
    if reference == "WHITE":
        ref = known[known["major"] == "WHITE"].groupby("stage")["count"].sum()
    a, n1, c, n0 = at, base, ref[stage], ref[previous]
    ratio = (a / n1) / (c / n0)
    out = pd.DataFrame({"count": a, "base": n1, "rate": a / n1 * 10_000, "rri": ratio})
    nested = (a > n1) | (c > n0)
    se2 = (1 / a - 1 / n1 + 1 / c - 1 / n0).where(~nested, 0.0)
    z = stats.norm.ppf(0.975)
    out["low"] = np.where(nested, np.nan, np.exp(np.log(ratio) - z * np.sqrt(se2)))
    out["high"] = np.where(nested, np.nan, np.exp(np.log(ratio) + z * np.sqrt(se2)))
    return out


@pytest.mark.parametrize(
    "stage,previous",
    [("REFERRAL", "CONTACT"), ("EH", "CONTACT"), ("ASSESS", "REFERRAL"),
     ("CIN", "ASSESS"), ("CP", "CIN"), ("CLA", "CP")],
)  # fmt: skip
def test_decision_point_ratios(client_for, journey, stage, previous):
    params = {"area": "E10000012", "period": "2024", "stage": stage,
              "level": "major", "base": "previous"}  # fmt: skip
    data = client_for(BOARD).get(API, params).json()
    assert data["base"]["kind"] == "previous" and data["base"]["stage"] == previous
    expected = _expected(journey, stage, previous)
    checked = 0
    for row in data["rows"]:
        code = row["group_code"]
        if code not in expected.index or code == "UNKNOWN":
            continue
        e = expected.loc[code]
        assert row["count"] == e["count"]
        assert row["population"] == e["base"]  # the previous stage's count
        assert row["rate_per_10k"] == pytest.approx(e["rate"], abs=0.006)
        if code != "WHITE":
            assert row["rri"] == pytest.approx(e["rri"], abs=5e-4)
            if np.isnan(e["low"]):
                assert row["rri_ci_low"] is None  # not a subset: no Katz interval
            else:
                assert row["rri_ci_low"] == pytest.approx(e["low"], abs=5e-4)
                assert row["rri_ci_high"] == pytest.approx(e["high"], abs=5e-4)
        checked += 1
    assert checked == 5


def test_cla_above_cp_has_a_ratio_but_no_interval(client_for, journey):
    params = {"area": "E10000012", "period": "2024", "stage": "CLA", "level": "minor",
              "base": "previous"}  # fmt: skip
    rows = {
        r["group_code"]: r for r in client_for(BOARD).get(API, params).json()["rows"]
    }
    assert rows["OOTH"]["count"] == 60 and rows["OOTH"]["population"] == 40
    assert rows["OOTH"]["rri"] is not None and rows["OOTH"]["rri_ci_low"] is None


def test_starts_are_a_stage_of_their_own(client_for, journey):
    client = client_for(BOARD)
    data = client.get(
        API,
        {"area": "E10000012", "period": "2024", "stage": "CLA_START", "level": "minor"},
    ).json()
    counts = {r["group_code"]: r["count"] for r in data["rows"]}
    expected = journey[journey["stage"] == "CLA_START"].set_index("ethnicity")["count"]
    assert counts["WBRI"] == expected["WBRI"] and counts["BAFR"] == expected["BAFR"]
    # the 31 March count is untouched by the starts
    cla = client.get(
        API, {"area": "E10000012", "period": "2024", "stage": "CLA", "level": "minor"}
    ).json()
    cla_counts = {r["group_code"]: r["count"] for r in cla["rows"]}
    assert (
        cla_counts["WBRI"]
        == journey.query("stage == 'CLA' and ethnicity == 'WBRI'")["count"].item()
    )
    response = client.get(
        API,
        {
            "area": "E10000012",
            "period": "2024",
            "stage": "CLA_START",
            "base": "previous",
        },
    )
    assert response.status_code == 404


def test_counts_without_population_have_null_rates(client_for, journey):
    data = (
        client_for(BOARD)
        .get(
            API,
            {"area": "E10000012", "period": "2024", "stage": "EH", "level": "major"},
        )
        .json()
    )
    assert data["population"] is None
    assert all(r["rate_per_10k"] is None for r in data["rows"])
    assert sum(r["share"] or 0 for r in data["rows"]) == pytest.approx(1.0, abs=1e-3)


def test_previous_without_the_earlier_stage_is_404(client_for, essex):
    data = b"area_code,period,stage,ethnicity,count\nE10000012,2024,CP,WBRI,50\n"
    figures_import(data=data, file_name="cp.csv")
    response = client_for(BOARD).get(
        API, {"area": "E10000012", "period": "2024", "stage": "CP", "base": "previous"}
    )
    assert response.status_code == 404
    assert "CIN" in response.json()["error"]
    bad = client_for(BOARD).get(API, {"area": "E10000012", "base": "sideways"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "base"


def test_dashboard_journey_shows_only_stages_with_data(client_for, journey):
    response = client_for(BOARD).get(
        "/disproportionality/", {"area": "E10000012", "period": "2024"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('data-testid="table-journey"') :]
    table = table[: table.index("</table>")]
    for stage in ("CONTACT", "REFERRAL", "EH", "ASSESS", "CIN", "CP", "CLA"):
        assert f">{stage}</th>" in table
    assert "CLA_START" not in table
    assert 'data-testid="table-decision-EH"' in html
    csv_text = (
        client_for(BOARD)
        .get(
            "/disproportionality/download/journey.csv",
            {"area": "E10000012", "period": "2024"},
        )
        .content.decode()
    )
    assert csv_text.splitlines()[0] == (
        "group_code,group_label,population_share,CONTACT,REFERRAL,EH,ASSESS,CIN,CP,CLA"
    )
