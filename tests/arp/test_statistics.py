"""The shared statistics against independent references (statsmodels, scipy)."""

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from arp import statistics


@pytest.mark.parametrize(
    "successes,trials", [(0, 10), (1, 10), (7, 143), (323, 11_007), (50, 50)]
)
def test_wilson_matches_statsmodels(successes, trials):
    low, high = statistics.wilson_ci(successes, trials)
    ref_low, ref_high = proportion_confint(successes, trials, method="wilson")
    assert low == pytest.approx(ref_low, abs=1e-12)
    assert high == pytest.approx(ref_high, abs=1e-12)


@pytest.mark.parametrize("bad", [(1, 0), (-1, 10), (11, 10)])
def test_wilson_refuses_impossible_input(bad):
    with pytest.raises(ValueError):
        statistics.wilson_ci(*bad)


def test_rate_ratio_interval_matches_statsmodels():
    from statsmodels.stats.contingency_tables import Table2x2

    a, n1, c, n0 = 120, 9_000, 300, 60_000
    ratio, low, high = statistics.katz_rate_ratio(a, n1, c, n0)
    table = Table2x2(np.array([[a, n1 - a], [c, n0 - c]]))
    assert ratio == pytest.approx(table.riskratio)
    ref_low, ref_high = table.riskratio_confint(method="normal")
    assert (low, high) == (pytest.approx(ref_low), pytest.approx(ref_high))


def test_ratio_change_worked_example():
    # RRI 2.0 (SE of log 0.10) to 1.5 (SE 0.12): z = ln(0.75)/√(0.01+0.0144)
    change = statistics.ratio_change(2.0, 0.10, 1.5, 0.12)
    z = math.log(0.75) / math.sqrt(0.0244)
    assert change.ratio_of_ratios == pytest.approx(0.75)
    assert change.p_value == pytest.approx(2 * stats.norm.sf(abs(z)))
    assert change.ci_high == pytest.approx(0.75 * math.exp(1.959964 * 0.156205), 1e-5)
    # p = 0.066: the interval includes 1, so this is not a clear fall
    assert change.direction == statistics.NO_CLEAR_CHANGE
    assert statistics.ratio_change(2.0, 0.05, 1.5, 0.05).direction == "fallen"


def test_small_change_is_no_clear_change():
    change = statistics.ratio_change(2.0, 0.20, 2.2, 0.20)
    assert change.direction == statistics.NO_CLEAR_CHANGE
    assert change.ci_low < 1 < change.ci_high


def test_rise_beyond_chance():
    assert statistics.ratio_change(1.2, 0.05, 1.6, 0.05).direction == statistics.RISEN


def test_rate_per_base():
    value, low, high = statistics.rate(15, 300, per=100)
    ref_low = stats.chi2.ppf(0.025, 30) / 2
    assert value == pytest.approx(5.0)
    assert low == pytest.approx(statistics.byar_ci(15)[0] * 100 / 300)
    assert low == pytest.approx(ref_low * 100 / 300, rel=0.02)
    assert high > value
    assert statistics.rate(None, 10, per=100) == (None, None, None)


def test_percent_to_one_place_halves_up():
    from decimal import Decimal

    from arp.statistics import percent

    # 1/16 = 6.25 %: half up gives 6.3 (banker's rounding would give 6.2)
    assert percent(1, 16) == Decimal("6.3")
    assert str(percent(2, 3)) == "66.7"
    assert str(percent(5, 5)) == "100.0"
    assert str(percent(0, 7)) == "0.0"
