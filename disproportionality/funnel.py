"""Funnel-plot control limits for a rate, and each area's band. No Django.

Method: Spiegelhalter DJ (2005), "Funnel plots for comparing institutional
performance", Statistics in Medicine 24:1185–1202, exact Poisson limits with
his interpolation (the method of the PHE/OHID Fingertips funnel-plot guidance
for counts). An area with child population ``n`` is expected to have
``E = θ·n`` children at the stage when its rate is the target rate ``θ``
(England's). For a probability ``p`` the limit on the count scale is

    y_p − α,   α = (F(y_p) − p) / (F(y_p) − F(y_p − 1)),

where ``y_p`` is the ``p`` quantile of Poisson(E) and ``F`` its distribution
function; divided by ``n`` it is the limit on the rate scale. The 95% limits
use p = 0.025 and 0.975, the 99.8% limits p = 0.001 and 0.999. An area is
within 95%, between 95% and 99.8%, or outside 99.8% (high or low).
"""

from dataclasses import dataclass

import numpy as np
from scipy.stats import poisson

PER = 10_000
WITHIN_95 = "within_95"
BETWEEN = "between_95_998"
HIGH = "outside_998_high"
LOW = "outside_998_low"
BANDS = (WITHIN_95, BETWEEN, HIGH, LOW)
BAND_LABELS = {
    WITHIN_95: "Within the 95% limits",
    BETWEEN: "Between the 95% and 99.8% limits",
    HIGH: "Above the 99.8% limit",
    LOW: "Below the 99.8% limit",
}
PROBABILITIES = {"low_998": 0.001, "low_95": 0.025, "high_95": 0.975, "high_998": 0.999}


def count_limit(expected, p: float):
    """Spiegelhalter's interpolated Poisson limit on the count scale (vectorised)."""
    expected = np.asarray(expected, dtype=float)
    y = poisson.ppf(p, expected)
    f_y = poisson.cdf(y, expected)
    f_below = poisson.cdf(y - 1, expected)
    step = f_y - f_below
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(step > 0, (f_y - p) / step, 0.0)
    return np.maximum(y - alpha, 0.0)


def limits(target_rate: float, populations) -> dict[str, np.ndarray]:
    """The four control limits, as rates per 10,000, at each population."""
    populations = np.asarray(populations, dtype=float)
    expected = target_rate / PER * populations
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            name: np.where(
                populations > 0, count_limit(expected, p) / populations * PER, np.nan
            )
            for name, p in PROBABILITIES.items()
        }


def bands(target_rate: float, counts, populations) -> list[str | None]:
    """Each area's band; None where the count or population is missing."""
    counts = np.asarray([np.nan if c is None else c for c in counts], dtype=float)
    populations = np.asarray(
        [np.nan if n is None else n for n in populations], dtype=float
    )
    ok = ~np.isnan(counts) & ~np.isnan(populations) & (populations > 0)
    safe_pop = np.where(ok, populations, 1.0)
    expected = target_rate / PER * safe_pop
    lim = {name: count_limit(expected, p) for name, p in PROBABILITIES.items()}
    out: list[str | None] = []
    for i, count in enumerate(counts):
        if not ok[i]:
            out.append(None)
        elif count > lim["high_998"][i]:
            out.append(HIGH)
        elif count < lim["low_998"][i]:
            out.append(LOW)
        elif count > lim["high_95"][i] or count < lim["low_95"][i]:
            out.append(BETWEEN)
        else:
            out.append(WITHIN_95)
    return out


@dataclass(frozen=True)
class LimitPoint:
    population: float
    low_998: float
    low_95: float
    high_95: float
    high_998: float


def limit_curve(target_rate: float, smallest: float, largest: float, points=60):
    """Limits along a log-spaced run of populations, for drawing the funnel."""
    if target_rate <= 0 or largest <= 0:
        return []
    low = max(smallest, 1.0) / 1.5
    grid = np.geomspace(low, largest * 1.5, points)
    lim = limits(target_rate, grid)
    return [
        LimitPoint(
            float(n),
            *(float(lim[k][i]) for k in ("low_998", "low_95", "high_95", "high_998")),
        )
        for i, n in enumerate(grid)
    ]
