"""Children against children: the populations in, the one a figure uses, and
the figures against an independent pandas / scipy computation.

Fixtures are small synthetic files in the published layouts (ONS Census 2021
ethnic group by age; DfE school census spc_pupils_ethnicity_and_language.csv;
ONS mid-year estimates of children aged 0 to 17; DfE CLA by characteristics
and its UASC file; DfE "number and rate per 10,000"), never the real files.
England's mid-year estimates and DfE's published rates are the public figures
quoted in the issue (e.g. 2025: 81,770 ÷ 12,183,016 × 10,000 = 67).
"""

import io
import math
import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from scipy import stats

from arp import roles
from disproportionality import populations
from disproportionality.models import (
    EthnicityCount,
    ImportBatch,
    MidYearEstimate,
    Population,
)
from disproportionality.services import figures_import, population_import
from tests.disproportionality.conftest import FIXTURES, fixture_bytes

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
pytestmark = pytest.mark.django_db
API = "/disproportionality/api/metrics/"
ENGLAND, ESSEX = "E92000001", "E10000012"
Z = stats.norm.ppf(0.975)


def _import_population(name, **kwargs):
    batch = population_import(data=fixture_bytes(name), file_name=name, **kwargs)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    return batch


@pytest.fixture
def national(db):
    """England CLA 2020-2024, its UASC cohort, the Census 0-17 by age, the
    school census and the mid-year estimates."""
    for name, cohort in (
        ("dfe_cla_national_2020_2024_layout.csv", "all"),
        ("dfe_cla_national_uasc_2020_2024_layout.csv", "uasc"),
    ):
        batch = figures_import(
            data=fixture_bytes(name), file_name=name, stage="CLA", cohort=cohort
        )
        assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    _import_population("ons_mid_year_0_17_layout.csv")
    _import_population("ons_census2021_ethnic_group_by_age_layout.csv")
    _import_population("spc_pupils_ethnicity_and_language.csv")


# --- An independent reading of the fixtures (pandas), the formulas (scipy) ----

ONS_TO_DFE = {
    "Bangladeshi": "ABAN", "Chinese": "CHNE", "Indian": "AIND", "Pakistani": "APKN",
    "Other Asian": "AOTH", "African": "BAFR", "Caribbean": "BCRB",
    "Other Black": "BOTH", "White and Asian": "MWAS", "White and Black African": "MWBA",
    "White and Black Caribbean": "MWBC",
    "Other Mixed or Multiple ethnic groups": "MOTH",
    "English, Welsh, Scottish, Northern Irish or British": "WBRI", "Irish": "WIRI",
    "Gypsy or Irish Traveller": "WIRT", "Roma": "WROM", "Other White": "WOTH",
    "Arab": "OOTH", "Any other ethnic group": "OOTH",
}  # fmt: skip
MAJOR = {
    **dict.fromkeys(["WBRI", "WIRI", "WIRT", "WROM", "WOTH"], "WHITE"),
    **dict.fromkeys(["MWBC", "MWBA", "MWAS", "MOTH"], "MIXED"),
    **dict.fromkeys(["AIND", "APKN", "ABAN", "CHNE", "AOTH"], "ASIAN"),
    **dict.fromkeys(["BCRB", "BAFR", "BOTH"], "BLACK"),
    "OOTH": "OTHER",
}
SPC_TO_DFE = {
    "White - White British": "WBRI", "White - Irish": "WIRI",
    "White - Traveller of Irish heritage": "WIRT", "White - Gypsy/Roma": "WROM",
    "White - Any other White background": "WOTH",
    "Mixed - White and Black Caribbean": "MWBC",
    "Mixed - White and Black African": "MWBA", "Mixed - White and Asian": "MWAS",
    "Mixed - Any other Mixed background": "MOTH", "Asian - Indian": "AIND",
    "Asian - Pakistani": "APKN", "Asian - Bangladeshi": "ABAN",
    "Asian - Chinese": "CHNE", "Asian - Any other Asian background": "AOTH",
    "Black - Black Caribbean": "BCRB", "Black - Black African": "BAFR",
    "Black - Any other Black background": "BOTH", "Any other ethnic group": "OOTH",
}  # fmt: skip


def _last_age(label: str) -> int:
    numbers = [int(n) for n in re.findall(r"\d+", label)]
    return max(numbers) if "over" not in label else 200


def reference_census_0_17(area: str) -> pd.Series:
    frame = pd.read_csv(FIXTURES / "ons_census2021_ethnic_group_by_age_layout.csv")
    frame = frame[frame["Upper tier local authorities Code"] == area]
    frame = frame[frame["Ethnic group (20 categories) Code"] != -8]
    frame = frame[frame["Age (23 categories)"].map(_last_age) <= 17]
    label = frame["Ethnic group (20 categories)"].str.split(": ", n=1).str[1]
    frame = frame.assign(code=label.map(ONS_TO_DFE))
    return frame.groupby("code")["Observation"].sum()


def reference_mid_year(area: str) -> dict[int, int]:
    frame = pd.read_csv(FIXTURES / "ons_mid_year_0_17_layout.csv", dtype=str)
    code = frame["country_code"].where(
        frame["geographic_level"] == "National", frame["new_la_code"]
    )
    frame = frame[(code == area) & (frame["population_estimate"] != "x")]
    return {
        int(y): int(v)
        for y, v in zip(frame.time_period, frame.population_estimate, strict=True)
    }


def reference_pupils(year: int) -> pd.Series:
    frame = pd.read_csv(FIXTURES / "spc_pupils_ethnicity_and_language.csv")
    frame = frame[
        (frame.geographic_level == "National")
        & (frame.phase_type_grouping == "Total")
        & (frame.time_period == int(f"{year - 1}{year % 100:02d}"))
        & frame.ethnicity.isin(SPC_TO_DFE)
    ]
    return (
        frame.assign(code=frame.ethnicity.map(SPC_TO_DFE))
        .groupby("code")["headcount"]
        .sum()
    )


def reference_counts(name: str, year: int) -> pd.Series:
    frame = pd.read_csv(FIXTURES / name, encoding="utf-8-sig", dtype=str)
    frame = frame[(frame.cla_group == "Ethnicity") & (frame.time_period == str(year))]
    labels = frame.characteristic.str.replace(r"^\d[a-z]?\. ", "", regex=True)
    dfe = {
        "White British": "WBRI", "White Irish": "WIRI",
        "Traveller of Irish Heritage": "WIRT", "Gypsy Roma": "WROM",
        "Any other White background": "WOTH",
        "White and Black Caribbean": "MWBC", "White and Black African": "MWBA",
        "White and Asian": "MWAS", "Any other Mixed background": "MOTH",
        "Indian": "AIND", "Pakistani": "APKN", "Bangladeshi": "ABAN",
        "Chinese": "CHNE", "Any other Asian background": "AOTH",
        "Caribbean": "BCRB", "African": "BAFR", "Any other Black background": "BOTH",
        "Total other ethnic group": "OOTH",
    }  # fmt: skip
    frame = frame.assign(code=labels.map(dfe)).dropna(subset=["code"])
    return pd.to_numeric(frame.set_index("code")["number"], errors="coerce")


def reference_table(counts: pd.Series, population: pd.Series) -> pd.DataFrame:
    """Major groups against White British: rate, exact Poisson interval
    (chi-square), Katz interval of the ratio — numpy and scipy only."""
    frame = pd.DataFrame({"count": counts, "population": population}).dropna()
    major = frame.groupby(frame.index.map(MAJOR)).sum()
    ref = frame.loc["WBRI"]
    out = pd.DataFrame(index=major.index)
    out["rate"] = major["count"] / major["population"] * 10_000
    out["rate_low"] = (
        stats.chi2.ppf(0.025, 2 * major["count"]) / 2 / major["population"] * 10_000
    )
    out["rate_high"] = (
        stats.chi2.ppf(0.975, 2 * major["count"] + 2) / 2 / major["population"] * 1e4
    )
    ref_rate = ref["count"] / ref["population"]
    out["rri"] = (major["count"] / major["population"]) / ref_rate
    se = np.sqrt(
        1 / major["count"] - 1 / major["population"]
        + 1 / ref["count"] - 1 / ref["population"]
    )  # fmt: skip
    out["rri_low"] = np.exp(np.log(out["rri"]) - Z * se)
    out["rri_high"] = np.exp(np.log(out["rri"]) + Z * se)
    out["population"] = major["population"]
    return out


def _api(client, **params):
    response = client.get(API, {"area": ENGLAND, "stage": "CLA", **params})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("population", ["census", "school"])
def test_england_cla_2020_2024_reproduce_an_independent_computation(
    client_for, national, population
):
    client = client_for(BOARD)
    census = reference_census_0_17(ENGLAND)
    estimates = reference_mid_year(ENGLAND)
    checked = 0
    for year in range(2020, 2025):
        if population == "census":
            mid_year = max(y for y in estimates if date(y, 6, 30) <= date(year, 3, 31))
            assert mid_year == year - 1  # as at 31 March Y: mid-(Y-1)
            base = census * estimates[mid_year] / census.sum()
        else:
            base = reference_pupils(year)  # the January census of the same year
        expected = reference_table(
            reference_counts("dfe_cla_national_2020_2024_layout.csv", year), base
        )
        data = _api(client, period=str(year), population=population)
        scaled_to = (year - 1) if population == "census" else None
        assert data["population"]["scaled_to"] == scaled_to
        assert data["population"]["age_band"] == (
            "0-17" if population == "census" else "pupils"
        )
        rows = {r["group_code"]: r for r in data["rows"]}
        for code in ("MIXED", "ASIAN", "BLACK", "OTHER"):
            row, ref = rows[code], expected.loc[code]
            for ours, theirs in (
                ("rate_per_10k", "rate"), ("rate_ci_low", "rate_low"),
                ("rate_ci_high", "rate_high"), ("rri", "rri"),
                ("rri_ci_low", "rri_low"), ("rri_ci_high", "rri_high"),
                ("population", "population"),
            ):  # fmt: skip
                assert row[ours] == pytest.approx(ref[theirs], rel=0.005), (
                    year, code, ours
                )  # fmt: skip
                checked += 1
        # the White row holds White British: no ratio against its own subset
        white = rows["WHITE"]
        assert white["rri"] is None and white["rri_ci_low"] is None
        assert white["flag"] is None
        assert white["note"] == "includes the reference group"
        assert white["rate_per_10k"] is not None
        assert any("rounded to the nearest 10" in n for n in data["notes"])
    assert checked == 5 * 4 * 7


def test_the_all_children_rate_matches_dfe_published_rates(client_for, db):
    """DfE: count ÷ the mid-(Y−1) estimate of children aged 0–17 × 10,000."""
    from disproportionality.models import Area

    Area.objects.create(code=ENGLAND, name="England", level="national")
    Area.objects.create(code=ESSEX, name="Essex", level="local_authority")
    _import_population("ons_mid_year_0_17_layout.csv")
    _import_population("ons_census2021_ethnic_group_by_age_layout.csv")
    batch = figures_import(
        data=fixture_bytes("local_template_cla_totals.csv"), file_name="t.csv"
    )
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    published = pd.read_csv(
        FIXTURES / "dfe_cla_number_and_rate_per_10k_layout.csv", encoding="utf-8-sig"
    )
    # 81,770 / 12,183,016 x 10,000 = 67.12, published as 67 (by hand)
    assert pytest.approx(67.118, abs=1e-3) == 81_770 / 12_183_016 * 10_000
    client = client_for(BOARD)
    for row in published.itertuples():
        area = ENGLAND if row.geographic_level == "National" else row.new_la_code
        data = _api(client, area=area, period=str(row.time_period))
        ours = data["all_children"]
        assert ours["count"] == row.children_count
        assert ours["population"] == row.population_estimate  # the same estimate
        assert round(ours["rate_per_10k"]) == row.rate_per_10000
        assert abs(ours["rate_per_10k"] - row.rate_per_10000) <= 0.5


def test_a_period_uses_the_estimate_for_its_own_year():
    census = populations.PopulationChoice("Census 2021", 2021, "0-17")
    options = {census: {"WBRI": 600, "BAFR": 400}}
    estimates = {2022: 1100, 2023: 1200, 2024: 1300}
    choice, values = populations.choose(options, estimates, date(2024, 3, 31))
    assert choice.scaled_to == 2023
    assert values == {"WBRI": 720.0, "BAFR": 480.0}  # 60% / 40% of 1,200
    choice, _ = populations.choose(options, estimates, date(2024, 9, 30))
    assert choice.scaled_to == 2024  # 2024-Q3 ends after 30 June 2024
    choice, values = populations.choose(options, estimates, date(2020, 3, 31))
    assert choice.scaled_to is None and values == {"WBRI": 600, "BAFR": 400}
    pupils = populations.PopulationChoice("School census", 2024, "pupils")
    choice, _ = populations.choose(
        {pupils: {"WBRI": 5}}, estimates, date(2023, 3, 31), "school"
    )
    assert choice is None  # January 2024 is after 31 March 2023
    everyone = populations.PopulationChoice("Census 2021", 2021, "all")
    assert populations.choose({everyone: {"WBRI": 5}}, {}, date(2024, 3, 31)) == (
        None,
        {},
    )


# --- The importers --------------------------------------------------------------


def test_ons_age_layout_keeps_the_bands_within_0_17(db):
    batch = _import_population("ons_census2021_ethnic_group_by_age_layout.csv")
    assert batch.format_detected == "ons_census_age"
    assert (batch.age_band, batch.population_year) == ("0-17", 2021)
    assert batch.rows_outside_england == 19 * 9  # Wales: every group and band
    stored = dict(
        Population.objects.filter(area_id=ENGLAND, age_band="0-17").values_list(
            "group_id", "population"
        )
    )
    expected = reference_census_0_17(ENGLAND)
    assert stored == {code: int(value) for code, value in expected.items()}
    assert not Population.objects.exclude(age_band="0-17").exists()


def test_a_band_straddling_17_and_18_is_refused_by_name(db):
    path = FIXTURES / "ons_census2021_age_straddling_layout.csv"
    err = io.StringIO()
    with pytest.raises(Exception, match="rejected"):
        call_command("import_population", str(path), stdout=io.StringIO(), stderr=err)
    assert "Row 4: age band 'Aged 15 to 19 years' straddles 17 and 18" in err.getvalue()
    assert not Population.objects.exists()


def test_school_census_total_phase_language_rows_and_unclassified(db):
    _import_population("spc_pupils_ethnicity_and_language.csv")
    years = set(Population.objects.values_list("year", flat=True))
    assert years == {2020, 2021, 2022, 2023, 2024}
    assert set(Population.objects.values_list("source", "age_band")) == {
        ("School census", "pupils")
    }
    for year in (2021, 2024):  # 2021: no Total language row, the breakdown summed
        stored = dict(
            Population.objects.filter(area_id=ENGLAND, year=year).values_list(
                "group_id", "population"
            )
        )
        expected = reference_pupils(year)
        assert stored.pop("NOBT") > 0  # "Unclassified" is an unknown ethnicity
        assert stored == {c: int(v) for c, v in expected.items()}
    essex = Population.objects.filter(area_id=ESSEX)
    assert set(essex.values_list("year", flat=True)) == {2024}


def test_mid_year_estimates_skip_x_and_the_parts_of_london(db):
    batch = _import_population("ons_mid_year_0_17_layout.csv")
    assert batch.format_detected == "ons_mid_year"
    assert batch.suppressed_cells == 1 and batch.rows_ignored == 1
    england = dict(
        MidYearEstimate.objects.filter(area_id=ENGLAND).values_list(
            "year", "population"
        )
    )
    assert england[2024] == 12_183_016 and england[2023] == 12_059_476
    assert MidYearEstimate.objects.get(area_id="E06000023").area.name == (
        "Bristol, City of"
    )


def test_an_all_ages_table_passed_off_as_children_is_refused(db):
    _import_population("ons_mid_year_0_17_layout.csv")
    data = fixture_bytes("ons_census_countries.csv")  # all ages, no age column
    batch = population_import(data=data, file_name="all.csv", age_band="0-17")
    assert batch.status == ImportBatch.Status.REJECTED
    assert "Is it an all-ages table?" in batch.errors[0]["message"]
    assert "E92000001" in batch.errors[0]["message"]
    assert not Population.objects.exists()
    batch = population_import(data=data, file_name="p.csv")
    assert batch.status == ImportBatch.Status.REJECTED  # no age column, no band
    assert "age band 0-17 or all" in batch.errors[0]["message"]
    batch = population_import(data=data, file_name="all.csv", age_band="all")
    assert batch.status == ImportBatch.Status.SUCCEEDED  # kept, for workforce
    assert set(Population.objects.values_list("age_band", flat=True)) == {"all"}


def test_no_childrens_figure_on_an_all_ages_table(client_for, db):
    from disproportionality.models import Area

    Area.objects.create(code=ENGLAND, name="England", level="national")
    Area.objects.create(code=ESSEX, name="Essex", level="local_authority")
    batch = figures_import(
        data=fixture_bytes("local_template_cla_totals.csv"), file_name="t"
    )
    assert batch.status == ImportBatch.Status.SUCCEEDED
    population_import(
        data=fixture_bytes("ons_census_countries.csv"), file_name="a", age_band="all"
    )
    EthnicityCount.objects.exclude(area_id=ESSEX).delete()
    Population.objects.update(area_id=ESSEX)  # an all-ages table for Essex only
    data = _api(client_for(BOARD), area=ESSEX, period="2025")
    assert data["population"] is None
    for row in data["rows"]:
        for field in ("rate_per_10k", "representation_index", "rri", "rri_ci_low"):
            assert row[field] is None
        assert row["population"] is None
    assert any("all-ages" in note for note in data["notes"])
    page = client_for(BOARD).get(
        "/disproportionality/", {"area": ESSEX, "period": "2025"}
    )
    assert page.status_code == 200
    assert b"Only an all-ages population is loaded" in page.content
    assert b'href="/disproportionality/imports/"' in page.content


def test_uasc_excluded_group_by_group_and_never_guessed(client_for, national):
    client = client_for(BOARD)
    rows = {
        r["group_code"]: r for r in _api(client, period="2024", uasc="include")["rows"]
    }
    assert rows["BLACK"]["count"] == 6_230
    excluded = _api(client, period="2024", uasc="exclude")
    assert excluded["uasc"] == "exclude"
    rows = {r["group_code"]: r for r in excluded["rows"]}
    assert rows["BLACK"]["count"] == 4_340  # 6,230 less 1,890 UASC
    # White British UASC is suppressed ("c"): not available, not guessed, and
    # with the reference gone no ratio is shown
    minor = {
        r["group_code"]: r
        for r in _api(client, period="2024", uasc="exclude", level="minor")["rows"]
    }
    assert minor["WBRI"]["count"] == "not available"
    assert minor["WBRI"]["rate_per_10k"] is None
    assert rows["BLACK"]["rri"] is None
    assert rows["WHITE"]["count"].startswith("at least ")
    uasc = _api(client, period="2024", stage="CLA_UASC", level="minor")["rows"]
    assert {r["group_code"]: r["count"] for r in uasc}["BAFR"] == 1_630


def test_import_figures_cohort_uasc_is_for_children_looked_after(db):
    path = FIXTURES / "dfe_cla_national_uasc_2020_2024_layout.csv"
    with pytest.raises(Exception, match="children looked after"):
        call_command("import_figures", str(path), "--stage", "CP", "--cohort", "uasc")
    call_command(
        "import_figures", str(path), "--stage", "CLA", "--cohort", "uasc",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert set(EthnicityCount.objects.values_list("stage", flat=True)) == {"CLA_UASC"}


def test_local_template_cohort_column(essex):
    data = (
        b"area_code,period,stage,ethnicity,count,cohort\n"
        b"E10000012,2024,CLA,WBRI,40,uasc\n"
        b"E10000012,2024,CLA,WBRI,400,all\n"
        b"E10000012,2024,CIN,WBRI,40,uasc\n"
    )
    batch = figures_import(data=data, file_name="t.csv")
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.errors == [
        {"row": 4, "message": "only children looked after (CLA) have a UASC cohort"}
    ]
    batch = figures_import(data=data.rsplit(b"E10000012,2024,CIN", 1)[0], file_name="t")
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert dict(EthnicityCount.objects.values_list("stage", "count")) == {
        "CLA_UASC": 40,
        "CLA": 400,
    }


def test_the_switch_between_census_and_school_names_what_it_used(client_for, national):
    client = client_for(BOARD)
    page = client.get(
        "/disproportionality/", {"area": ENGLAND, "period": "2024", "stage": "CLA"}
    )
    text = page.content.decode()
    assert "scaled to the ONS mid-2023 estimate of children" in text
    assert "On the Census 2021 children (scaled) and on the school census" in text
    school = client.get(
        "/disproportionality/",
        {"area": ENGLAND, "period": "2024", "stage": "CLA", "population": "school"},
    )
    assert "School census (2024), pupils in January" in school.content.decode()
    bad = client.get(API, {"area": ENGLAND, "population": "all-ages"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "population"


def test_trend_sentence_needs_more_than_chance(client_for, national):
    from disproportionality import dashboard

    params = dashboard.parse_params(
        {"area": ENGLAND, "stage": "CLA", "group": "BLACK", "period": "2024"}
    )
    board = dashboard.build(params)
    sentence = board.sentences["trend"]
    first = next(r for r in board.trend_rows if r["period"] == "2020")
    last = next(r for r in board.trend_rows if r["period"] == "2024")
    # the change test by hand: log ratio over the root of the summed variances
    z = math.log(last["rri"] / first["rri"]) / math.hypot(
        first["rri_log_se"], last["rri_log_se"]
    )
    if abs(z) < Z:
        assert "no clear change" in sentence
    else:
        assert ("has risen" if z > 0 else "has fallen") in sentence
    assert "ratio of the two" in sentence


def test_the_aspiration_feed_uses_child_populations_only(db, national):
    from disproportionality.services import aspiration_indicator_refresh
    from programme.models import IndicatorReading

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.HOME_AREA_CODE", ENGLAND)
        assert aspiration_indicator_refresh() > 0
        notes = set(IndicatorReading.objects.values_list("note", flat=True))
        assert all("aged 0-17" in n and "scaled to" in n for n in notes)
        Population.objects.filter(age_band="0-17").update(age_band="all")
        MidYearEstimate.objects.all().delete()
        IndicatorReading.objects.all().delete()
        assert aspiration_indicator_refresh() == 0  # all ages: never a reading
        assert not IndicatorReading.objects.exists()


def test_the_downloaded_template_has_the_cohort_column_and_imports(essex, client_for):
    response = client_for(ADMINS).get("/disproportionality/imports/template.csv")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.splitlines()[0].endswith(",cohort")
    # uploaded unchanged, the example rows change nothing (issue 13)
    batch = figures_import(data=text.encode(), file_name="template.csv")
    assert batch.status == ImportBatch.Status.REJECTED
    assert not EthnicityCount.objects.exists()
    # filled in with a real area, the same rows import, the UASC one as its cohort
    filled = text.replace("EXAMPLE", "E10000012")
    batch = figures_import(data=filled.encode(), file_name="template.csv")
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    assert EthnicityCount.objects.get(stage="CLA_UASC").count == 23


def test_the_methodology_page_names_each_choice(client_for, db):
    text = client_for(BOARD).get("/disproportionality/methodology/").content.decode()
    for phrase in (
        "mid-2023 estimate",
        "school census",
        "log scale",
        "conservative",
        "includes the reference group",
        "Poisson (chance) variation",
        "rounding",
        "Counts of 1 to 5 are hidden",
        "never guessed",
        "no children's figure is ever worked out on it",
    ):
        assert phrase in text, phrase


def test_the_report_command_takes_population_and_uasc(national):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "disproportionality_report", "--area", ENGLAND, "--period", "2024",
        "--stage", "CLA", "--population", "school", "--uasc", "exclude",
        "--format", "json", stdout=out, stderr=err,
    )  # fmt: skip
    import json

    data = json.loads(out.getvalue())
    assert data["population"]["source"] == "School census"
    assert data["uasc"] == "exclude"
    assert {r["group_code"]: r["count"] for r in data["rows"]}["BLACK"] == 4_340
