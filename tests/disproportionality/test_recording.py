"""Ethnicity recording quality: shares against statsmodels, the caveat, bounds
against a brute-force allocation of the unknowns, the API, CSV, dashboard and
the aspiration-6 indicator fed after an import."""

import csv
import io
import itertools

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from arp import roles
from disproportionality import metrics, recording, recording_selectors
from disproportionality.metrics import Cell
from disproportionality.models import EthnicGroup, LabelMapping, Population
from disproportionality.recording_services import recording_indicator_key
from disproportionality.services import figures_import
from programme.models import Indicator, IndicatorReading
from tests.disproportionality.conftest import fixture_bytes

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
API = "/disproportionality/api/metrics/"
ESSEX = "E10000012"

# the fixture's Essex CIN 2024 table (local template)
CIN_2024 = {
    "WBRI": 800, "WIRI": 20, "MWBC": 40, "AIND": 30, "BCRB": 60, "BAFR": 50,
    "OOTH": 20, "REFU": 30, "NOBT": 41,
}  # fmt: skip
POPULATION = {
    "WBRI": 200_000, "WIRI": 3_000, "WIRT": 500, "WROM": 700, "WOTH": 9_000,
    "MWBC": 4_000, "MWBA": 1_500, "MWAS": 3_000, "MOTH": 2_500, "AIND": 5_000,
    "APKN": 2_000, "ABAN": 1_200, "CHNE": 900, "AOTH": 2_000, "BCRB": 1_800,
    "BAFR": 4_200, "BOTH": 700, "OOTH": 2_400,
}  # fmt: skip


def _cells(values):
    return {k: Cell(v) for k, v in values.items()}


# --- pure ---------------------------------------------------------------------


def test_share_and_wilson_interval_match_statsmodels():
    found = recording.measure(_cells(CIN_2024), stage="CIN", period="2024")
    unknown, children = 30 + 41, sum(CIN_2024.values())
    low, high = proportion_confint(unknown, children, alpha=0.05, method="wilson")
    assert (found.refused, found.not_obtained, found.unknown) == (30, 41, 71)
    assert found.children == children == 1091
    assert found.unknown_share == pytest.approx(unknown / children, rel=1e-12)
    assert found.ci_low == pytest.approx(low, abs=1e-12)
    assert found.ci_high == pytest.approx(high, abs=1e-12)


@pytest.mark.parametrize(
    "threshold,expected",
    [(0.05, True), (0.065, True), (0.066, False), (0.10, False)],
)
def test_caveat_appears_above_the_threshold_only(threshold, expected):
    # 71 of 1,091 = 6.508%
    found = recording.measure(
        _cells(CIN_2024), stage="CIN", period="2024", threshold=threshold
    )
    if expected:
        assert found.caveat == (
            "Ethnicity was not recorded for 6.5% of children in need; rates for "
            "every group may be understated by up to that share."
        )
    else:
        assert found.caveat is None


def test_small_parts_hidden_but_their_sum_shown():
    counts = _cells({**CIN_2024, "REFU": 3, "NOBT": 4})
    hidden = metrics.disclosure_control(counts)
    assert {"REFU", "NOBT"} <= hidden[0] and "UNKNOWN" not in hidden[1]
    found = recording.measure(counts, stage="CIN", period="2024", hidden=hidden)
    assert found.refused is None and found.not_obtained is None
    assert found.unknown == 7
    assert found.unknown_share == pytest.approx(7 / (1091 - 71 + 7))


def test_a_small_unknown_total_hides_the_share():
    counts = _cells({**CIN_2024, "REFU": 2, "NOBT": 2})
    hidden = metrics.disclosure_control(counts)
    found = recording.measure(counts, stage="CIN", period="2024", hidden=hidden)
    assert found.unknown is None and found.unknown_share is None
    assert found.ci_low is None and found.caveat is None
    assert found.reported


def test_major_only_unknown_and_no_unknown_row():
    # DfE's older wide files give one "refused or not obtained" total
    counts = {"WHITE": Cell(500), "BLACK": Cell(60), "UNKNOWN": Cell(40)}
    found = recording.measure(counts, stage="CLA", period="2016")
    assert found.unknown == 40 and found.refused is None
    assert found.unknown_share == pytest.approx(40 / 600)
    without = recording.measure(
        _cells({"WBRI": 10, "BCRB": 10}), stage="CLA", period="2024"
    )
    assert not without.reported and without.unknown_share is None


def _brute_force_bounds(counts, populations, reference_codes):
    """Every way of giving all the unknowns to one group (the extremes of any
    sharing-out), group by group, with pandas: the min and max of each
    major group's rate and RRI against White British."""
    unknown = counts["REFU"] + counts["NOBT"]
    known = {k: v for k, v in counts.items() if k not in ("REFU", "NOBT")}
    majors = {c: metrics.taxonomy.CODE_MAJOR[c] for c in populations}
    results = []
    for receiver in [None, *populations]:
        alloc = dict(known)
        if receiver is not None:
            alloc[receiver] = alloc.get(receiver, 0) + unknown
        frame = pd.DataFrame(
            {
                "code": list(populations),
                "count": [alloc.get(c, 0) for c in populations],
                "population": list(populations.values()),
            }
        )
        frame["major"] = frame["code"].map(majors)
        ref = frame[frame["code"].isin(reference_codes)]
        ref_rate = ref["count"].sum() / ref["population"].sum()
        by = frame.groupby("major")[["count", "population"]].sum()
        by["rate"] = by["count"] / by["population"] * 10_000
        by["rri"] = (by["count"] / by["population"]) / ref_rate
        results.append(by)
    stacked = pd.concat(results)
    return stacked.groupby(level=0).agg(
        rate_min=("rate", "min"),
        rate_max=("rate", "max"),
        rri_min=("rri", "min"),
        rri_max=("rri", "max"),
    )


def test_bounds_reproduce_a_brute_force_allocation():
    counts = _cells(CIN_2024)
    rows = metrics.compute_table(
        counts=counts, populations=POPULATION, level="major", reference="WBRI"
    )
    base = recording.measure(counts, stage="CIN", period="2024")
    found = recording.with_bounds(
        base, rows, counts=counts, populations=POPULATION, level="major",
        reference="WBRI",
    )  # fmt: skip
    expected = _brute_force_bounds(CIN_2024, POPULATION, ["WBRI"])
    by_group = {b.group_code: b for b in found.bounds}
    for group in ("MIXED", "ASIAN", "BLACK", "OTHER"):
        b, e = by_group[group], expected.loc[group]
        assert b.rate_per_10k == pytest.approx(e["rate_min"])
        assert b.rate_if_all_unknown == pytest.approx(e["rate_max"])
        assert b.rri_if_all_to_reference == pytest.approx(e["rri_min"])
        assert b.rri_if_all_to_group == pytest.approx(e["rri_max"])
    # the reference group's own worst and best cases
    assert found.reference_rate_if_none == pytest.approx(800 / 200_000 * 10_000)
    assert found.reference_rate_if_all == pytest.approx(871 / 200_000 * 10_000)
    # Black: RRI 7.1 (over); at worst (every unknown White British) 6.5: holds
    black = by_group["BLACK"]
    assert black.flag == "over" and black.direction_holds is True
    assert black.rri_if_all_to_reference > 1
    # WHITE contains the reference: no ratio, so no RRI bounds
    assert "WHITE" not in by_group or by_group["WHITE"].rri_if_all_to_group is None


def test_direction_that_could_flip_is_said():
    # a modest over-representation that unknowns could explain away
    values = {"WBRI": 400, "BCRB": 10, "BAFR": 12, "REFU": 40, "NOBT": 30}
    counts = _cells(values)
    pops = {"WBRI": 200_000, "BCRB": 3_000, "BAFR": 4_000}
    rows = metrics.compute_table(
        counts=counts, populations=pops, level="major", reference="WBRI"
    )
    found = recording.with_bounds(
        recording.measure(counts, stage="CIN", period="2024"),
        rows, counts=counts, populations=pops, level="major", reference="WBRI",
    )  # fmt: skip
    black = next(b for b in found.bounds if b.group_code == "BLACK")
    assert black.flag == "over"
    # independent: (22/7000) / ((400+70)/200000) = 1.337 > 1, so it holds…
    assert black.rri_if_all_to_reference == pytest.approx(
        (22 / 7_000) / (470 / 200_000)
    )
    # …and with 700 unknowns it would not
    values["NOBT"] = 700
    counts = _cells(values)
    rows = metrics.compute_table(
        counts=counts, populations=pops, level="major", reference="WBRI"
    )
    found = recording.with_bounds(
        recording.measure(counts, stage="CIN", period="2024"),
        rows, counts=counts, populations=pops, level="major", reference="WBRI",
    )  # fmt: skip
    black = next(b for b in found.bounds if b.group_code == "BLACK")
    assert black.direction_holds is False
    assert "could cross 1 for Black" in recording.bounds_sentence(
        found, "White British children"
    )


def test_others_reference_bounds():
    counts = _cells(CIN_2024)
    rows = metrics.compute_table(
        counts=counts, populations=POPULATION, level="major", reference="OTHERS"
    )
    found = recording.with_bounds(
        recording.measure(counts, stage="CIN", period="2024"),
        rows, counts=counts, populations=POPULATION, level="major",
        reference="OTHERS",
    )  # fmt: skip
    black = next(b for b in found.bounds if b.group_code == "BLACK")
    known = 1091 - 71
    pop_total = sum(POPULATION.values())
    black_pop = 1_800 + 4_200 + 700
    assert black.rri_if_all_to_reference == pytest.approx(
        (110 / black_pop) / ((known - 110 + 71) / (pop_total - black_pop))
    )
    assert black.rri_if_all_to_group == pytest.approx(
        (181 / black_pop) / ((known - 110) / (pop_total - black_pop))
    )


# --- through the database -----------------------------------------------------


@pytest.fixture
def recorded(essex, settings):
    settings.HOME_AREA_CODE = ESSEX
    groups = {g.code: g for g in EthnicGroup.objects.all()}
    Population.objects.bulk_create(
        Population(
            area=essex, year=2021, source="Census 2021", age_band="0-17",
            group=groups[code], population=value,
        )
        for code, value in POPULATION.items()
    )  # fmt: skip
    batch = figures_import(
        data=fixture_bytes("local_template_recording.csv"), file_name="rec.csv"
    )
    assert batch.status == "succeeded", batch.errors
    return batch


@pytest.mark.django_db
def test_api_recording_matches_statsmodels(client_for, recorded):
    data = (
        client_for(BOARD)
        .get(API, {"area": ESSEX, "period": "2024", "stage": "CIN"})
        .json()
    )
    found = data["recording"]
    low, high = proportion_confint(71, 1091, alpha=0.05, method="wilson")
    assert found["refused"] == 30 and found["not_obtained"] == 41
    assert found["unknown_share"] == pytest.approx(71 / 1091, abs=5e-5)
    assert found["ci_low"] == pytest.approx(low, abs=5e-5)
    assert found["ci_high"] == pytest.approx(high, abs=5e-5)
    assert found["caveat"].startswith("Ethnicity was not recorded for 6.5% of")
    black = next(b for b in found["bounds"] if b["group_code"] == "BLACK")
    assert black["rri_high"] == pytest.approx((181 / 6_700) / (800 / 200_000), abs=5e-4)
    assert black["direction_holds"] is True


@pytest.mark.django_db
def test_api_caveat_and_hidden_counts_below_threshold(client_for, recorded):
    client = client_for(BOARD)
    cp = client.get(API, {"area": ESSEX, "period": "2024", "stage": "CP"}).json()
    rec = cp["recording"]
    # refused 3 and not obtained 4 are hidden; their sum, 7, is shown
    assert rec["refused"] is None and rec["not_obtained"] is None
    assert rec["unknown_share"] == pytest.approx(7 / 403, abs=5e-5)
    assert rec["caveat"] is None  # 1.7% is below 5%


@pytest.mark.django_db
def test_the_threshold_is_a_setting(client_for, recorded, settings):
    settings.ETHNICITY_UNKNOWN_CAVEAT_PERCENT = 7
    data = (
        client_for(BOARD)
        .get(API, {"area": ESSEX, "period": "2024", "stage": "CIN"})
        .json()
    )
    assert data["recording"]["caveat"] is None
    assert data["recording"]["threshold"] == 0.07


@pytest.mark.django_db
def test_metrics_csv_carries_recording_and_bounds(client_for, recorded):
    response = client_for(STEERING).get(
        "/disproportionality/metrics.csv",
        {"area": ESSEX, "period": "2024", "stage": "CIN"},
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["recording_refused"] for r in rows} == {"30"}
    assert {r["recording_caveat"][:30] for r in rows} == {
        "Ethnicity was not recorded for"
    }
    black = next(r for r in rows if r["group_code"] == "BLACK")
    assert float(black["rri_low_if_unknown"]) == pytest.approx(
        (110 / 6_700) / (871 / 200_000), abs=5e-4
    )


@pytest.mark.django_db
def test_dashboard_shows_recording_panel_and_caveats(client_for, recorded):
    response = client_for(BOARD).get(
        "/disproportionality/", {"area": ESSEX, "period": "2024", "stage": "CIN"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    caveat = "Ethnicity was not recorded for 6.5% of children in need"
    assert 'data-testid="recording-CIN"' in page
    assert 'data-testid="caveat-CIN"' in page
    assert 'data-testid="caveat-CP"' not in page  # 1.7%: below the threshold
    # the sentences and the RRI table caption carry it
    sentence = page[page.index('data-testid="sentence-rri"') :]
    assert caveat in sentence[: sentence.index("</p>")]
    # England, for comparison, and the trend over 2023 and 2024
    panel = page[page.index('data-testid="recording-CIN"') :]
    assert "England" in panel[: panel.index("</table>")]
    assert "1.6%" in panel[: panel.index("</table>")]  # England: 4,000 of 250,000
    assert 'data-testid="recording-trend-CIN"' in page


@pytest.mark.django_db
def test_indicator_fed_after_an_import(recorded):
    indicator = Indicator.objects.get(key=recording_indicator_key("CIN"))
    assert indicator.aspiration.number == 6
    assert indicator.unit == "percent" and indicator.higher_is_better
    readings = {
        r.taken_on.year: float(r.value)
        for r in IndicatorReading.objects.filter(indicator=indicator)
    }
    assert readings == {
        2023: round(100 * (1 - 22 / 1015), 1),
        2024: round(100 * (1 - 71 / 1091), 1),
    }
    cp = Indicator.objects.get(key=recording_indicator_key("CP"))
    assert float(cp.readings.get().value) == round(100 * (1 - 7 / 403), 1)


@pytest.mark.django_db
def test_caveats_selector_for_the_board_pack(recorded):
    caveats = recording_selectors.recording_caveats(area_code=ESSEX, period="2024")
    assert caveats["CIN"].startswith("Ethnicity was not recorded for 6.5%")
    assert caveats["CP"] is None and caveats["CLA"] is None


def test_bounds_are_extremes_of_every_split():
    # any sharing-out of the unknowns between the group and the reference lies
    # between the two extremes the module reports
    count, pop, ref, ref_pop, unknown = 110, 6_700, 800, 200_000, 71
    low, high = recording.rri_bounds(count, pop, ref, ref_pop, unknown)
    for to_group, to_ref in itertools.product(range(0, 72, 7), repeat=2):
        if to_group + to_ref > unknown:
            continue
        rri = ((count + to_group) / pop) / ((ref + to_ref) / ref_pop)
        assert low - 1e-12 <= rri <= high + 1e-12


@pytest.mark.django_db
def test_mapping_page_counts_rows_per_outside_label(client_for, essex):
    LabelMapping.objects.create(
        source="local", label="Mosaic - awaiting info", group_id="NOBT"
    )
    LabelMapping.objects.create(
        source="local", label="Mosaic - declined to say", group_id="REFU"
    )
    data = (
        b"area_code,area_name,period,stage,ethnicity,count\n"
        b"E10000012,Essex,2024,CIN,WBRI,500\n"
        b"E10000012,Essex,2024,CIN,Mosaic - awaiting info,20\n"
        b"E10000012,Essex,2024,CP,Mosaic - awaiting info,7\n"
        b"E10000012,Essex,2024,CLA,Mosaic - awaiting info,9\n"
        b"E10000012,Essex,2024,CIN,Mosaic - declined to say,11\n"
        b"E10000012,Essex,2024,CIN,Black or Black British - African,40\n"
    )
    batch = figures_import(data=data, file_name="mosaic.csv", feed_indicator=False)
    assert batch.status == "succeeded", batch.errors
    batch.refresh_from_db()
    assert batch.label_rows == {
        "Mosaic - awaiting info": ["NOBT", 3, 36],
        "Mosaic - declined to say": ["REFU", 1, 11],
        "Black or Black British - African": ["BAFR", 1, 40],
    }
    response = client_for(ADMINS).get("/disproportionality/mappings/")
    assert response.status_code == 200
    table = response.content.decode()
    table = table[table.index('data-testid="label-use"') :]
    table = table[: table.index("</table>")]
    # most rows first; "not obtained" labels marked
    assert table.index("Mosaic - awaiting info") < table.index(
        "Mosaic - declined to say"
    )
    assert "NOBT <span" in table and ">3</td>" in table and ">36</td>" in table


@pytest.mark.django_db
def test_chart_csv_and_methodology_carry_the_caveat(client_for, recorded, settings):
    client = client_for(BOARD)
    params = {"area": ESSEX, "period": "2024"}
    text = client.get("/disproportionality/download/rri.csv", params).content
    rows = list(csv.DictReader(io.StringIO(text.decode())))
    by_stage = {r["stage"]: r["recording_caveat"] for r in rows}
    assert by_stage["CIN"].startswith("Ethnicity was not recorded for 6.5% of")
    assert by_stage["CP"] == ""
    settings.ETHNICITY_UNKNOWN_CAVEAT_PERCENT = 2.5
    page = client.get("/disproportionality/methodology/").content.decode()
    assert 'id="recording"' in page and "more than 2.5% of children" in page


def test_recording_from_shown_rows_uses_shown_counts_only():
    # the pooled neighbours' table as shown: one group suppressed
    rows = [
        {"group_code": "WHITE", "count": 900},
        {"group_code": "MIXED", "count": "suppressed"},
        {"group_code": "BLACK", "count": 80},
        {"group_code": "UNKNOWN", "count": 60},
    ]
    found = recording.from_rows(rows, stage="CLA", period="2024")
    low, high = proportion_confint(60, 1040, alpha=0.05, method="wilson")
    assert found.unknown_share == pytest.approx(60 / 1040)
    assert (found.ci_low, found.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert found.children_lower_bound and found.caveat.endswith("up to that share.")
    rows[-1] = {"group_code": "UNKNOWN", "count": "suppressed"}
    hidden = recording.from_rows(rows, stage="CLA", period="2024")
    assert hidden.unknown_share is None and hidden.caveat is None
