"""The league and funnel for every authority against an independent computation."""

import csv
import io
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from scipy import special, stats

from arp import roles
from disproportionality import funnel, league, metrics, selectors, taxonomy
from disproportionality.models import (
    Area,
    EthnicityCount,
    Population,
    StatisticalNeighbour,
)

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
pytestmark = pytest.mark.django_db
API = "/disproportionality/api/league/"
ENGLAND = "E92000001"


def make_authorities(n: int, *, seed: int = 7, period: str = "2024") -> pd.DataFrame:
    """England, one region, ``n`` authorities with counts by the 20 codes and a
    0–17 population; some cells small (1–4), some suppressed at source."""
    rng = np.random.default_rng(seed)
    england = Area.objects.create(code=ENGLAND, name="England", level="national")
    region = Area.objects.create(
        code="E12000006", name="East of England", level="region", parent=england
    )
    records, pops, counts = [], [], []
    shares = rng.dirichlet(np.ones(len(taxonomy.CODES)) * 2)
    for i in range(n):
        code = f"E0600{i:04d}"
        Area.objects.create(
            code=code, name=f"Authority {i:03d}", level="local_authority", parent=region
        )
        size = int(rng.integers(8_000, 300_000))
        risk = rng.uniform(0.002, 0.012, len(taxonomy.CODES))
        for j, group in enumerate(taxonomy.CODES):
            pop = max(int(size * shares[j]), 1)
            count = int(rng.poisson(pop * risk[j]))
            marker = ""
            if rng.random() < 0.03:
                count, marker = None, "c"
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
            counts.append(
                EthnicityCount(
                    area_id=code,
                    period=period,
                    period_end=date(int(period), 3, 31),
                    stage="CLA",
                    group_id=group,
                    count=count,
                    suppressed=count is None,
                    marker=marker,
                )
            )
            records.append((code, group, count, pop))
    frame = pd.DataFrame(records, columns=["area", "code", "count", "pop"])
    # England: the sum of its authorities (as a national file would give)
    for group, part in frame.groupby("code"):
        counts.append(
            EthnicityCount(
                area_id=ENGLAND,
                period=period,
                period_end=date(int(period), 3, 31),
                stage="CLA",
                group_id=group,
                count=int(part["count"].sum()),
                suppressed=False,
            )
        )
        pops.append(
            Population(
                area_id=ENGLAND,
                year=2021,
                source="Census 2021",
                age_band="0-17",
                group_id=group,
                population=int(part["pop"].sum()),
            )
        )
    EthnicityCount.objects.bulk_create(counts)
    Population.objects.bulk_create(pops)
    return frame


def _poisson_limit(expected: float, p: float) -> float:
    """Spiegelhalter's interpolated limit, from the Poisson CDF (scipy.special)."""
    y = max(math.floor(expected - 12 * math.sqrt(expected) - 5), 0)
    while special.pdtr(y, expected) < p:
        y += 1
    f_y, f_below = (
        special.pdtr(y, expected),
        (special.pdtr(y - 1, expected) if y > 0 else 0.0),
    )
    return max(y - (f_y - p) / (f_y - f_below), 0.0)


def _expected_band(count, pop, theta):
    e = theta / 10_000 * pop
    low998, low95 = _poisson_limit(e, 0.001), _poisson_limit(e, 0.025)
    high95, high998 = _poisson_limit(e, 0.975), _poisson_limit(e, 0.999)
    if count > high998:
        return "outside_998_high"
    if count < low998:
        return "outside_998_low"
    if count > high95 or count < low95:
        return "between_95_998"
    return "within_95"


def _independent(frame: pd.DataFrame, group: str, reference: str) -> pd.DataFrame:
    """Per authority: published parts summed (pandas), Katz RRI (scipy's normal)."""
    level = "major" if taxonomy.is_major(group) else "minor"
    frame = frame.assign(g=frame["code"].map(lambda c: taxonomy.group_of(c, level)))
    known = frame[~frame["code"].isin(taxonomy.UNKNOWN_CODES)]
    by = (
        known.groupby(["area", "g"])
        .agg(count=("count", lambda s: s.sum(min_count=1)), pop=("pop", "sum"))
        .unstack("g")
    )
    out = pd.DataFrame(index=by.index)
    out["count"] = by["count"][group]
    out["pop"] = by["pop"][group]
    if reference == "OTHERS":
        out["ref_count"] = by["count"].sum(axis=1) - out["count"]
        out["ref_pop"] = by["pop"].sum(axis=1) - out["pop"]
    else:
        ref = (
            known[known["code"] == "WBRI"]
            if reference == "WBRI"
            else known[known["code"].map(taxonomy.CODE_MAJOR) == "WHITE"]
        )
        r = ref.groupby("area").agg(
            ref_count=("count", lambda s: s.sum(min_count=1)), ref_pop=("pop", "sum")
        )
        out = out.join(r)
    z = stats.norm.ppf(0.975)
    out["rate"] = out["count"] / out["pop"] * 10_000
    out["rri"] = (out["count"] / out["pop"]) / (out["ref_count"] / out["ref_pop"])
    se = np.sqrt(
        1 / out["count"] - 1 / out["pop"] + 1 / out["ref_count"] - 1 / out["ref_pop"]
    )
    out["rri_low"] = np.exp(np.log(out["rri"]) - z * se)
    out["rri_high"] = np.exp(np.log(out["rri"]) + z * se)
    return out


@pytest.mark.parametrize(
    "group,reference", [("BLACK", "WBRI"), ("MIXED", "WHITE"), ("AIND", "OTHERS")]
)
def test_league_and_funnel_match_an_independent_computation(group, reference):
    frame = make_authorities(30)
    result = league.league_table(
        period="2024", stage="CLA", group=group, reference=reference
    )
    expected = _independent(frame, group, reference)
    england = frame[
        frame["code"].map(lambda c: taxonomy.group_of(c, result.level)) == group
    ].agg({"count": "sum", "pop": "sum"})
    theta = england["count"] / england["pop"] * 10_000
    assert result.target_rate == pytest.approx(theta)
    assert len(result.rows) == 30
    shown = 0
    for row in result.rows:
        own = selectors.metrics_table(
            area_code=row.area_code,
            period="2024",
            stage="CLA",
            level=result.level,
            reference=reference,
        )
        mine = next(r for r in own.rows if r["group_code"] == group)
        # the league shows exactly what the authority's own table shows
        assert row.count == mine["count"]
        assert row.rate_per_10k == pytest.approx(mine["rate_per_10k"])
        assert row.rri == pytest.approx(mine["rri"])
        if row.suppressed:
            assert row.rate_per_10k is None and row.funnel is None and row.rri is None
            continue
        if isinstance(row.count, str):
            # some parts suppressed at source: a lower bound, nothing derived
            assert row.count == f"at least {int(expected.loc[row.area_code, 'count'])}"
            assert (row.rate_per_10k, row.rri, row.funnel) == (None, None, None)
            continue
        e = expected.loc[row.area_code]
        assert row.count == e["count"]
        assert row.population == e["pop"]
        assert row.rate_per_10k == pytest.approx(e["rate"], rel=1e-12)
        if row.rri is not None:
            assert row.rri == pytest.approx(e["rri"], rel=1e-12)
            assert row.rri_ci_low == pytest.approx(e["rri_low"], rel=1e-9)
            assert row.rri_ci_high == pytest.approx(e["rri_high"], rel=1e-9)
        assert row.funnel == _expected_band(row.count, row.population, theta)
        shown += 1
    assert shown >= 15
    # positions: 1 = highest RRI, no gaps
    ranked = sorted((r for r in result.rows if r.rri is not None), key=lambda r: -r.rri)
    assert [r.position for r in ranked] == list(range(1, len(ranked) + 1))


def test_suppressed_cells_are_not_shown_nor_anything_derived():
    make_authorities(12, seed=3)
    for row in league.league_table(
        period="2024", stage="CLA", group="CHNE", reference="WBRI"
    ).rows:
        counts = {
            c.group_id: metrics.Cell(c.count, c.marker)
            for c in EthnicityCount.objects.filter(area_id=row.area_code)
        }
        hidden_minor, _major = metrics.disclosure_control(counts)
        if "CHNE" in hidden_minor or counts["CHNE"].count is None:
            assert row.suppressed and row.count in ("<5", "suppressed")
            assert (row.rate_per_10k, row.rri, row.funnel) == (None, None, None)
        else:
            assert isinstance(row.count, int) and row.count == counts["CHNE"].count
        if "WBRI" in hidden_minor and not row.suppressed:
            assert row.rri is None


def test_funnel_limits_against_scipy():
    theta, pops = 35.0, np.array([500, 2_000, 10_000, 80_000, 400_000])
    got = funnel.limits(theta, pops)
    for i, n in enumerate(pops):
        e = theta / 10_000 * n
        for name, p in funnel.PROBABILITIES.items():
            assert got[name][i] == pytest.approx(_poisson_limit(e, p) / n * 10_000)
    # the limits narrow as the population grows and bracket the target
    width = got["high_998"] - got["low_998"]
    assert all(np.diff(width) < 0)
    assert all(got["low_95"] < theta) and all(got["high_95"] > theta)


@pytest.mark.parametrize("size", [5, 25])
def test_league_queries_are_fixed(django_assert_num_queries, size):
    make_authorities(size)
    StatisticalNeighbour.objects.create(
        area_id="E06000000", neighbour_id="E06000001", rank=1
    )
    # areas, counts, populations with mid-year estimates, the home's neighbours
    with django_assert_num_queries(4):
        result = league.league_table(
            period="2024", stage="CLA", group="BLACK", home="E06000000"
        )
    assert len(result.rows) == size
    assert result.home_row.is_home and result.rows[1].is_neighbour


def test_league_api_page_and_csv(client_for):
    make_authorities(8)
    client = client_for(BOARD)
    params = {"period": "2024", "stage": "CLA", "group": "BLACK", "reference": "WBRI",
              "area": "E06000002"}  # fmt: skip
    data = client.get(API, params).json()
    row = data["rows"][0]
    assert set(row) >= {
        "area_code", "area_name", "count", "population", "rate_per_10k", "rri",
        "rri_ci_low", "rri_ci_high", "funnel", "suppressed", "position",
    }  # fmt: skip
    assert {r["funnel"] for r in data["rows"]} <= {*funnel.BANDS, None}
    assert data["target"]["source"].startswith("England")
    page = client.get("/disproportionality/league/", params)
    assert page.status_code == 200
    assert b'id="chart-funnel"' in page.content and b"Spiegelhalter" in page.content
    assert b"Authority 002" in page.content and b"home</span>" in page.content
    text = client.get("/disproportionality/league.csv", params).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["area_code"] for r in rows] == [r["area_code"] for r in data["rows"]]
    for got, want in zip(rows, data["rows"], strict=True):
        rate = want["rate_per_10k"]
        assert got["rate_per_10k"] == ("" if rate is None else str(rate))
        assert got["count"] == str(want["count"])


def test_league_api_query_count_does_not_grow(client_for):
    client = client_for(BOARD)
    counts = []
    for size in (4, 20):
        Population.objects.all().delete()
        EthnicityCount.objects.all().delete()
        Area.objects.all().delete()
        make_authorities(size)
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(API, {"period": "2024", "group": "ASIAN"}).status_code == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "params,parameter",
    [
        ({"group": "XX"}, "group"),
        ({"stage": "NOPE"}, "stage"),
        ({"reference": "ZZ"}, "reference"),
        ({"period": "20x4"}, "period"),
        ({"group": "WBRI", "reference": "WBRI"}, "group"),
    ],
)
def test_bad_league_parameter_is_400(client_for, params, parameter):
    make_authorities(3)
    response = client_for(BOARD).get(API, {"period": "2024", **params})
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    page = client_for(BOARD).get("/disproportionality/league/", params)
    assert page.status_code == 400


def test_league_for_a_period_without_figures_is_404(client_for):
    make_authorities(3)
    response = client_for(BOARD).get(API, {"period": "2011"})
    assert response.status_code == 404


def test_counts_without_population_give_null_rates_not_404(client_for):
    make_authorities(4)
    Population.objects.all().delete()
    data = client_for(BOARD).get(API, {"period": "2024", "group": "BLACK"}).json()
    assert all(r["rate_per_10k"] is None and r["funnel"] is None for r in data["rows"])
    assert any(isinstance(r["count"], int) for r in data["rows"])
    assert data["notes"]
