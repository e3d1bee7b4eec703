"""Region, statistical neighbours and England: the figures of the areas named."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from arp import roles
from disproportionality import comparators, taxonomy
from disproportionality.models import (
    Area,
    EthnicityCount,
    Population,
    StatisticalNeighbour,
)

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
pytestmark = pytest.mark.django_db
API = "/disproportionality/api/metrics/"
HOME = "E10000012"
NEIGHBOURS = ["E10000015", "E06000033", "E09000002", "E10000016"]


def _area_figures(code, rng, period_end, small=False):
    counts, pops, rows = [], [], []
    for group in taxonomy.CODES:
        pop = int(rng.integers(2_000, 60_000))
        count = int(rng.integers(10, 400))
        if small and group == "BCRB":
            count = 3
        counts.append(
            EthnicityCount(
                area_id=code,
                period="2024",
                period_end=period_end,
                stage="CLA",
                group_id=group,
                count=count,
                suppressed=False,
            )
        )
        pops.append(
            Population(
                area_id=code,
                year=2021,
                source="Census 2021",
                age_band="0-17",
                group_id=group,
                population=pop,
            )
        )
        rows.append((code, group, count, pop))
    return counts, pops, rows


@pytest.fixture
def figures(db):
    rng = np.random.default_rng(11)
    end = date(2024, 3, 31)
    england = Area.objects.create(code="E92000001", name="England", level="national")
    east = Area.objects.create(
        code="E12000006", name="East of England", level="region", parent=england
    )
    london = Area.objects.create(
        code="E12000007", name="London", level="region", parent=england
    )
    outer = Area.objects.create(
        code="E13000002", name="Outer London", level="subregion", parent=london
    )
    for code, parent in [
        (HOME, east),
        ("E10000015", east),
        ("E06000033", east),
        ("E09000002", london),
        ("E10000016", east),
    ]:
        Area.objects.create(
            code=code, name=code, level="local_authority", parent=parent
        )
    Area.objects.create(
        code="E10000012-N", name="Essex North", level="local", parent_id=HOME
    )
    counts, pops, rows = [], [], []
    for code in [HOME, "E92000001", "E12000006", "E12000007", *NEIGHBOURS[:3]]:
        c, p, r = _area_figures(code, rng, end, small=code == "E06000033")
        counts += c
        pops += p
        rows += r
    EthnicityCount.objects.bulk_create(counts)
    Population.objects.bulk_create(pops)
    for rank, code in enumerate(NEIGHBOURS, start=1):
        StatisticalNeighbour.objects.create(
            area_id=HOME, neighbour_id=code, rank=rank, closeness="Close"
        )
    del outer
    return pd.DataFrame(rows, columns=["area", "code", "count", "pop"])


def _expected(frame, level="major", reference="WHITE"):
    """Rates and Katz ratios by group for one (possibly pooled) table, pandas."""
    frame = frame[~frame["code"].isin(taxonomy.UNKNOWN_CODES)]
    g = frame.assign(g=frame["code"].map(lambda c: taxonomy.group_of(c, level)))
    by = g.groupby("g")[["count", "pop"]].sum()
    white = frame[frame["code"].map(taxonomy.CODE_MAJOR) == "WHITE"]
    ref = white if reference == "WHITE" else frame[frame["code"] == "WBRI"]
    rc, rp = ref["count"].sum(), ref["pop"].sum()
    z = stats.norm.ppf(0.975)
    by["rri"] = (by["count"] / by["pop"]) / (rc / rp)
    se = np.sqrt(1 / by["count"] - 1 / by["pop"] + 1 / rc - 1 / rp)
    by["rri_low"] = np.exp(np.log(by["rri"]) - z * se)
    return by


def _check(rows, expected, skip=()):
    checked = 0
    for row in rows:
        code = row["group_code"]
        if code in skip or code == "UNKNOWN" or row["count"] in ("<5", "suppressed"):
            continue
        e = expected.loc[code]
        assert row["count"] == e["count"], code
        assert row["population"] == e["pop"], code
        if code != "WHITE":
            assert row["rri"] == pytest.approx(e["rri"], abs=5e-4), code
            assert row["rri_ci_low"] == pytest.approx(e["rri_low"], abs=5e-4), code
        checked += 1
    return checked


@pytest.mark.parametrize(
    "choice,code", [("region", "E12000006"), ("england", "E92000001")]
)
def test_region_and_england_are_their_own_figures(client_for, figures, choice, code):
    data = (
        client_for(BOARD)
        .get(
            API,
            {
                "area": HOME,
                "period": "2024",
                "stage": "CLA",
                "level": "major",
                "reference": "WHITE",
                "comparator": choice,
            },
        )
        .json()
    )
    comparator = data["comparator"]
    assert comparator["area_codes"] == [code]
    assert comparator["choice"] == choice
    expected = _expected(figures[figures["area"] == code])
    assert _check(comparator["rows"], expected) == 5


def test_region_of_a_london_borough_and_of_a_local_area(figures):
    borough = Area.objects.get(code="E09000002")
    got = comparators.comparator_for(
        area=borough,
        choice="region",
        period="2024",
        stage="CLA",
        level="major",
        reference="WHITE",
    )
    assert got.area_codes == ("E12000007",)
    local = Area.objects.get(code="E10000012-N")
    got = comparators.comparator_for(
        area=local,
        choice="region",
        period="2024",
        stage="CLA",
        level="major",
        reference="WHITE",
    )
    assert got.area_codes == ("E12000006",)


def test_no_region_is_said_not_silently_england(figures):
    Area.objects.filter(code=HOME).update(parent=None)
    got = comparators.comparator_for(
        area=Area.objects.get(code=HOME),
        choice="region",
        period="2024",
        stage="CLA",
        level="major",
        reference="WHITE",
    )
    assert got.area_codes == () and got.rows == ()
    assert "No region is known" in got.message


def test_neighbours_pool_counts_and_populations(client_for, figures):
    data = (
        client_for(BOARD)
        .get(
            API,
            {
                "area": HOME,
                "period": "2024",
                "stage": "CLA",
                "level": "major",
                "reference": "WHITE",
                "comparator": "neighbours",
            },
        )
        .json()
    )
    comparator = data["comparator"]
    assert comparator["neighbours_total"] == 4
    assert comparator["neighbours_with_data"] == 3  # E10000016 has none
    assert [n["has_data"] for n in comparator["neighbours"]] == [True] * 3 + [False]
    pooled = figures[figures["area"].isin(NEIGHBOURS[:3])]
    # Southend's Caribbean count is 3: hidden on its own table, so Black (its
    # major group) cannot be pooled; every other group is the plain sum
    expected = _expected(pooled)
    by = {r["group_code"]: r for r in comparator["rows"]}
    assert by["BLACK"]["count"] == "suppressed" and by["BLACK"]["rri"] is None
    assert _check(comparator["rows"], expected, skip={"BLACK"}) == 4
    # each neighbour's own ratio beside the pool
    herts = comparator["neighbours"][0]
    own = _expected(figures[figures["area"] == "E10000015"])
    mixed = next(r for r in herts["rows"] if r["group_code"] == "MIXED")
    assert mixed["rri"] == pytest.approx(own.loc["MIXED", "rri"], abs=5e-4)


def test_no_neighbours_says_how_to_get_them(figures):
    StatisticalNeighbour.objects.all().delete()
    got = comparators.comparator_for(
        area=Area.objects.get(code=HOME),
        choice="neighbours",
        period="2024",
        stage="CLA",
        level="major",
        reference="WHITE",
    )
    assert "import_neighbours" in got.message and got.neighbours_with_data == 0


def test_bad_comparator_is_400(client_for, figures):
    response = client_for(BOARD).get(API, {"area": HOME, "comparator": "no such!"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "comparator"
