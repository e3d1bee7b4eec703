"""Workforce figures against independent computations (statsmodels, scipy)."""

import math

import pytest
from scipy.stats import norm
from statsmodels.stats.contingency_tables import Table2x2

from workforce import codes, figures, selectors

APPOINTED_2025 = {  # (appointed, shortlisted)
    "WHITE": (52, 130), "MIXED": (4, 14), "ASIAN": (8, 25), "BLACK": (10, 36),
    "OTHER": (3, 12),
}  # fmt: skip
DISCIPLINARY = {
    "2024": {"WHITE": (12, 400), "WBRI": (10, 350), "MIXED": (2, 30),
             "ASIAN": (3, 60), "BLACK": (11, 90), "OTHER": (1, 20)},
    "2025": {"WHITE": (10, 410), "WBRI": (9, 352), "MIXED": (2, 34),
             "ASIAN": (4, 66), "BLACK": (14, 98), "OTHER": (1, 22)},
}  # fmt: skip


def _statsmodels_rr(a, n1, c, n0):
    """Risk ratio of group 1 to group 0 with statsmodels' (Katz) log interval."""
    table = Table2x2([[a, n1 - a], [c, n0 - c]])
    low, high = table.riskratio_confint(alpha=0.05)
    return table.riskratio, low, high


def _pool(cells):
    return (
        sum(cells[g][0] for g in codes.MINORITY_GROUPS),
        sum(cells[g][1] for g in codes.MINORITY_GROUPS),
    )


def test_favourable_measure_is_white_rate_over_minority_rate():
    rows = {
        r.group_code: r
        for r in figures.compute(codes.MEASURE_BY_CODE["appointed"], APPOINTED_2025)
    }
    a, n1 = APPOINTED_2025["WHITE"]
    c, n0 = _pool(APPOINTED_2025)
    expected = _statsmodels_rr(a, n1, c, n0)
    minority = rows["MINORITY"]
    assert (minority.count, minority.base) == (25, 87)
    assert minority.relative_likelihood == pytest.approx(expected[0], rel=1e-12)
    assert minority.ci_low == pytest.approx(expected[1], rel=1e-9)
    assert minority.ci_high == pytest.approx(expected[2], rel=1e-9)
    # each minority group's own rate and ratio beside it
    for group in codes.MINORITY_GROUPS:
        count, base = APPOINTED_2025[group]
        assert rows[group].rate == pytest.approx(count / base)
        assert rows[group].relative_likelihood == pytest.approx(
            _statsmodels_rr(a, n1, count, base)[0]
        )
    assert rows["WHITE"].relative_likelihood is None


def test_adverse_measure_is_minority_rate_over_white_rate():
    cells = DISCIPLINARY["2025"]
    rows = {
        r.group_code: r
        for r in figures.compute(codes.MEASURE_BY_CODE["disciplinary"], cells)
    }
    c, n0 = cells["WHITE"]
    a, n1 = _pool(cells)
    expected = _statsmodels_rr(a, n1, c, n0)
    minority = rows["MINORITY"]
    assert minority.relative_likelihood == pytest.approx(expected[0], rel=1e-12)
    assert (minority.ci_low, minority.ci_high) == (
        pytest.approx(expected[1], rel=1e-9),
        pytest.approx(expected[2], rel=1e-9),
    )


def test_trend_uses_the_honest_change_test():
    measure = codes.MEASURE_BY_CODE["disciplinary"]
    series, logs = [], []
    for period, cells in DISCIPLINARY.items():
        row = next(
            r for r in figures.compute(measure, cells) if r.group_code == "MINORITY"
        )
        series.append((period, row))
        a, n1 = _pool(cells)
        c, n0 = cells["WHITE"]
        logs.append((math.log((a / n1) / (c / n0)), 1 / a - 1 / n1 + 1 / c - 1 / n0))
    trend = figures.trend(series)
    z = (logs[1][0] - logs[0][0]) / math.sqrt(logs[0][1] + logs[1][1])
    assert trend.p_value == pytest.approx(2 * norm.sf(abs(z)), rel=1e-9)
    assert trend.ratio_of_ratios == pytest.approx(math.exp(logs[1][0] - logs[0][0]))
    assert trend.direction == "no_clear_change"  # p ≈ 0.2 on these counts


def test_representation_is_the_share_of_known_ethnicity():
    cells = {"WHITE": (400, None), "WBRI": (350, None), "BLACK": (90, None),
             "ASIAN": (60, None), "MIXED": (30, None), "OTHER": (20, None),
             "UNKNOWN": (15, None)}  # fmt: skip
    rows = {
        r.group_code: r for r in figures.compute(codes.MEASURE_BY_CODE["inpost"], cells)
    }
    assert rows["BLACK"].rate == pytest.approx(90 / 600)
    assert rows["MINORITY"].rate == pytest.approx(200 / 600)
    assert rows["UNKNOWN"].rate is None


def test_disclosure_hides_small_counts_and_what_they_would_reveal():
    measure = codes.MEASURE_BY_CODE["disciplinary"]
    cells = {"WHITE": (40, 400), "WBRI": (35, 350), "MIXED": (12, 30),
             "ASIAN": (3, 60), "BLACK": (25, 90), "OTHER": (11, 20)}  # fmt: skip
    rows = {
        r.group_code: r for r in figures.controlled(figures.compute(measure, cells), 10)
    }
    assert rows["ASIAN"].suppressed and rows["ASIAN"].count is None
    assert rows["ASIAN"].rate is None and rows["ASIAN"].relative_likelihood is None
    # MINORITY (51) minus the other three would give Asian: one more goes
    assert rows["OTHER"].suppressed  # the smallest shown part
    assert not rows["MINORITY"].suppressed and not rows["BLACK"].suppressed
    # other White (40 − 35 = 5) would be White − White British: WBRI goes
    assert rows["WBRI"].suppressed and not rows["WHITE"].suppressed


def test_small_white_count_hides_every_ratio():
    measure = codes.MEASURE_BY_CODE["disciplinary"]
    cells = {"WHITE": (4, 400), "BLACK": (25, 90), "ASIAN": (20, 60)}
    rows = figures.controlled(figures.compute(measure, cells), 10)
    assert all(r.relative_likelihood is None for r in rows)


def test_sentence_uses_ethnicity_facts_and_figures_wording():
    measure = codes.MEASURE_BY_CODE["disciplinary"]
    rows = figures.compute(measure, DISCIPLINARY["2025"])
    text = figures.sentence(measure, rows)
    assert text.startswith(
        "2.4% of White staff and 9.5% of staff from other ethnic groups entered "
        "the formal disciplinary process."
    )
    assert "times as likely as White staff" in text
    assert "discriminat" not in text.lower()


@pytest.mark.django_db
def test_api_rows_match_statsmodels_and_hide_small_cells(client, board_member, figures):
    client.force_login(board_member)
    response = client.get("/workforce/api/measures/?period=2025")
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert set(rows[0]) == {
        "measure", "group_code", "count", "base", "rate", "relative_likelihood",
        "ci_low", "ci_high", "suppressed",
    }  # fmt: skip
    by = {(r["measure"], r["group_code"]): r for r in rows}
    minority = by[("appointed", "MINORITY")]
    expected = _statsmodels_rr(52, 130, 25, 87)
    assert minority["relative_likelihood"] == pytest.approx(expected[0], abs=5e-4)
    assert minority["ci_low"] == pytest.approx(expected[1], abs=5e-4)
    assert minority["ci_high"] == pytest.approx(expected[2], abs=5e-4)
    # appointed MIXED is 4 of 14: below WORKFORCE_MIN_COUNT (10)
    mixed = by[("appointed", "MIXED")]
    assert mixed["suppressed"] is True
    assert mixed["count"] is None and mixed["rate"] is None
    # the Board never sees a count from 1 to 9
    assert all(r["count"] is None or r["count"] == 0 or r["count"] >= 10 for r in rows)


@pytest.mark.django_db
def test_min_count_is_a_setting(client, board_member, figures, settings):
    settings.WORKFORCE_MIN_COUNT = 3
    client.force_login(board_member)
    rows = client.get("/workforce/api/measures/?period=2025").json()["rows"]
    mixed = next(
        r for r in rows if (r["measure"], r["group_code"]) == ("appointed", "MIXED")
    )
    assert mixed["count"] == 4 and not mixed["suppressed"]


@pytest.mark.django_db
def test_api_unknown_period_is_a_400(client, board_member, figures):
    client.force_login(board_member)
    response = client.get("/workforce/api/measures/?period=1999")
    assert response.status_code == 400
    assert "1999" in response.json()["error"]


@pytest.mark.django_db
def test_csv_is_the_table_shown(client, board_member, figures):
    client.force_login(board_member)
    response = client.get("/workforce/measures.csv?period=2025&measure=appointed")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("measure,group_code,count,base,rate")
    assert any(line.startswith("appointed,MINORITY,25,87,") for line in lines)
    assert any(line.startswith("appointed,MIXED,,,") for line in lines)


@pytest.mark.django_db
def test_dashboard_shows_chart_table_sentence_and_suppression(
    client, board_member, figures
):
    client.force_login(board_member)
    response = client.get("/workforce/?period=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="fig-appointed"' in html and 'id="chart-appointed"' in html
    assert "times as likely" in html
    assert "suppressed" in html
    assert "discrimination" not in html.lower()
    assert "Since 2024 the relative likelihood" in html


@pytest.mark.django_db
def test_dashboard_query_count_is_fixed(
    client, board_member, figures, django_assert_max_num_queries
):
    client.force_login(board_member)
    client.get("/workforce/?period=2025")
    with django_assert_max_num_queries(14):
        client.get("/workforce/?period=2025")


@pytest.mark.django_db
def test_representation_against_residents_and_children(settings, figures):
    from datetime import date

    from disproportionality.models import Area, EthnicityCount, Population

    settings.HOME_AREA_CODE = "E10000012"
    area = Area.objects.create(code="E10000012", name="Essex", level="local_authority")
    for group, value in (("WBRI", 1000), ("AIND", 200), ("BAFR", 300), ("REFU", 50)):
        Population.objects.create(
            area=area, year=2021, age_band="all", group_id=group, population=value
        )
        Population.objects.create(
            area=area, year=2021, age_band="0-17", group_id=group, population=value
        )
    for group, value in (("WBRI", 60), ("AIND", 10), ("BAFR", 30)):
        EthnicityCount.objects.create(
            area=area, period="2024", period_end=date(2024, 3, 31), stage="CLA",
            group_id=group, count=value,
        )  # fmt: skip
    columns, rows, note = selectors.representation(period="2025")
    by = {r.group_code: r.shares for r in rows}
    assert "Census 2021 (2021), all ages" in note
    assert by["WHITE"]["Residents (all ages)"] == pytest.approx(1000 / 1500)
    assert by["BLACK"]["Residents (all ages)"] == pytest.approx(300 / 1500)
    assert by["BLACK"]["Children looked after"] == pytest.approx(30 / 100)
    assert by["BLACK"]["Staff in post"] == pytest.approx(98 / 630)
    assert columns[0] == "Staff in post"


def test_white_british_shown_when_other_white_is_not_small():
    measure = codes.MEASURE_BY_CODE["disciplinary"]
    cells = {"WHITE": (20, 410), "WBRI": (9, 352), "BLACK": (14, 98),
             "ASIAN": (12, 66)}  # fmt: skip
    rows = {
        r.group_code: r for r in figures.controlled(figures.compute(measure, cells), 10)
    }
    assert rows["WBRI"].suppressed  # 9 itself is small
    assert not rows["WHITE"].suppressed  # 20 − 9 = 11 reveals nothing small
    assert rows["MINORITY"].relative_likelihood is not None


def test_representation_sentence_describes_the_mix():
    measure = codes.MEASURE_BY_CODE["senior_managers"]
    cells = {"WHITE": (30, None), "BLACK": (6, None), "ASIAN": (4, None)}
    text = figures.sentence(measure, figures.compute(measure, cells))
    assert text == (
        "Senior managers: 75.0% are White and 25.0% are from other ethnic groups "
        "(of those whose ethnicity is known)."
    )
