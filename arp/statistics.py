"""Statistics shared by every app that compares groups: plain functions, no Django.

The children's figures (``disproportionality``) and the workforce race equality
figures (``workforce``) use these same functions, so a rate, a ratio and its
interval mean the same thing on every page. Sources:

* Poisson intervals for a count: exact (Garwood 1936) below 10 events, Byar's
  approximation from 10 up — the Public Health England (OHID) Fingertips
  technical guide, "Confidence intervals for rates".
* Ratio of two rates with Katz's log interval (Katz et al. 1978, Biometrics
  34:469; statsmodels ``Table2x2.riskratio_confint``):
  SE(ln R) = √(1/a − 1/n₁ + 1/c − 1/n₀).
* Change in a ratio between two periods: the difference of the two log ratios
  divided by the square root of the sum of their Katz variances, a z test
  (Altman & Bland 2003, "Interaction revisited", BMJ 326:219). It treats the
  periods as independent samples; counts taken on a date in consecutive years
  are largely the same people, so the test is conservative.
* Proportion with a Wilson score interval (Wilson 1927; Newcombe 1998, method 3;
  statsmodels ``proportion_confint(method="wilson")``).
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import NormalDist

SMALL_COUNT = 10  # below this: exact Poisson interval

RISEN = "risen"
FALLEN = "fallen"
NO_CLEAR_CHANGE = "no_clear_change"


def z_value(confidence: float = 0.95) -> float:
    """Two-sided standard normal quantile (1.959964 for 95%)."""
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


# --- Poisson intervals for a count -------------------------------------------


def _poisson_cdf(k: int, mu: float) -> float:
    """P(X ≤ k) for X ~ Poisson(mu), summed in log space for stability."""
    if mu <= 0:
        return 1.0
    total = 0.0
    term = -mu  # log P(X=0)
    for i in range(k + 1):
        if i:
            term += math.log(mu) - math.log(i)
        total += math.exp(term)
    return min(total, 1.0)


def _solve_decreasing(func, target: float, high: float) -> float:
    """Root of a decreasing function by bisection on [0, high]."""
    low = 0.0
    while func(high) > target:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        if func(mid) > target:
            low = mid
        else:
            high = mid
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def exact_poisson_ci(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count.

    Lower = χ²(α/2; 2k)/2 and upper = χ²(1−α/2; 2k+2)/2, equivalently the
    means at which P(X ≥ k) = α/2 and P(X ≤ k) = α/2. Solved here from the
    Poisson distribution function so the app needs no scipy at run time.
    """
    if count < 0:
        raise ValueError("count must be 0 or more")
    alpha = 1 - confidence
    if count == 0:
        lower = 0.0
    else:
        # P(X >= k | L) = alpha/2  <=>  P(X <= k-1 | L) = 1 - alpha/2
        lower = _solve_decreasing(
            lambda mu: _poisson_cdf(count - 1, mu), 1 - alpha / 2, count + 10.0
        )
    upper = _solve_decreasing(
        lambda mu: _poisson_cdf(count, mu), alpha / 2, count + 10.0
    )
    return lower, upper


def byar_ci(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson interval (Fingertips guide).

    lower = O·(1 − 1/(9O) − z/(3√O))³,  upper = (O+1)·(1 − 1/(9(O+1)) + z/(3√(O+1)))³
    """
    if count <= 0:
        raise ValueError("Byar's method needs a count of 1 or more")
    z = z_value(confidence)
    o = float(count)
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    o1 = o + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return lower, upper


def count_ci(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact below 10 events, Byar from 10 up."""
    if count < SMALL_COUNT:
        return exact_poisson_ci(count, confidence)
    return byar_ci(count, confidence)


def percent(part: int, whole: int) -> Decimal:
    """``part`` as a percentage of ``whole`` (above 0), to one decimal place,
    halves rounded up: the form every indicator reading is recorded in."""
    return (Decimal(100) * part / whole).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def rate(
    count: int | None, base: int | None, per: int, confidence: float = 0.95
) -> tuple[float | None, float | None, float | None]:
    """(rate, CI low, CI high) per ``per`` of the base; None without either."""
    if count is None or not base:
        return None, None, None
    low, high = count_ci(count, confidence)
    scale = per / base
    return count * scale, low * scale, high * scale


# --- Ratio of two rates ---------------------------------------------------------


def katz_log_se(count: int, base: int, ref_count: int, ref_base: int) -> float:
    """SE of ln(rate ratio) by Katz: √(1/a − 1/n₁ + 1/c − 1/n₀). Counts must be > 0."""
    return math.sqrt(1 / count - 1 / base + 1 / ref_count - 1 / ref_base)


def katz_rate_ratio(
    count: int | None,
    base: int | None,
    ref_count: int | None,
    ref_base: int | None,
    confidence: float = 0.95,
) -> tuple[float | None, float | None, float | None]:
    """Ratio of two rates, (a/n₁) ÷ (c/n₀), with Katz's log interval.

    The ratio is None when either rate is missing or the reference rate is 0;
    the interval is None when either count is 0.
    """
    if count is None or not base or not ref_count or not ref_base:
        return None, None, None
    ratio = (count / base) / (ref_count / ref_base)
    if count == 0:
        return ratio, None, None
    se = katz_log_se(count, base, ref_count, ref_base)
    z = z_value(confidence)
    log_ratio = math.log(ratio)
    return ratio, math.exp(log_ratio - z * se), math.exp(log_ratio + z * se)


@dataclass(frozen=True)
class RatioChange:
    """How a rate ratio moved between two periods, and whether that is chance."""

    ratio_of_ratios: float  # later ÷ earlier
    ci_low: float
    ci_high: float
    p_value: float
    direction: str  # RISEN, FALLEN or NO_CLEAR_CHANGE


def ratio_change(
    earlier: float,
    earlier_log_se: float,
    later: float,
    later_log_se: float,
    confidence: float = 0.95,
) -> RatioChange:
    """Test the change in a rate ratio between two periods on the log scale.

    z = (ln R₂ − ln R₁) / √(SE₁² + SE₂²); the change is "risen" or "fallen" only
    when the interval of R₂ ÷ R₁ excludes 1, otherwise "no clear change".
    """
    if earlier <= 0 or later <= 0:
        raise ValueError("both ratios must be positive")
    diff = math.log(later) - math.log(earlier)
    se = math.sqrt(earlier_log_se**2 + later_log_se**2)
    z = z_value(confidence)
    low, high = math.exp(diff - z * se), math.exp(diff + z * se)
    p_value = 2 * (1 - NormalDist().cdf(abs(diff) / se)) if se else 0.0
    if low > 1:
        direction = RISEN
    elif high < 1:
        direction = FALLEN
    else:
        direction = NO_CLEAR_CHANGE
    return RatioChange(math.exp(diff), low, high, p_value, direction)


# --- Proportions ------------------------------------------------------------------


def wilson_ci(
    successes: int, trials: int, confidence: float = 0.95
) -> tuple[float, float]:
    """Wilson score interval for a proportion (0 to 1)."""
    if trials <= 0:
        raise ValueError("trials must be 1 or more")
    if not 0 <= successes <= trials:
        raise ValueError("successes must be between 0 and trials")
    z = z_value(confidence)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = (z / denominator) * math.sqrt(
        p * (1 - p) / trials + z * z / (4 * trials * trials)
    )
    return max(0.0, centre - half), min(1.0, centre + half)
