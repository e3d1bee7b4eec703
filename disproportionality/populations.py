"""Which population a children's figure divides by: plain functions, no Django.

Two choices, each for the period's own year:

* ``census`` (the default): the Census 2021 population aged 0–17 by ethnic
  group, scaled to the ONS mid-year estimate of children for the period:
  population(group) = Census₀₋₁₇(group) × MYE(y) ÷ Σ Census₀₋₁₇, where y is
  the latest mid-year (30 June) on or before the period's end — for "as at 31
  March Y" that is mid-(Y−1), the estimate DfE's own rates per 10,000 use.
  Without an estimate, the Census figure is used unscaled (``scaled_to`` None).
* ``school``: the DfE school census (pupils, January): the latest census on
  or before the period's end, unscaled.

An all-ages population is never a children's denominator: with only one of
those, there is no choice and every rate and ratio is absent.
"""

from dataclasses import dataclass
from datetime import date

CENSUS = "census"
SCHOOL = "school"
CHOICES = (CENSUS, SCHOOL)
CHILDREN = "0-17"
PUPILS = "pupils"
ALL_AGES = "all"
SCHOOL_SOURCE = "School census"


@dataclass(frozen=True)
class PopulationChoice:
    source: str
    year: int
    age_band: str
    scaled_to: int | None = None  # the mid-year estimate's year, if scaled

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "year": self.year,
            "age_band": self.age_band,
            "scaled_to": self.scaled_to,
        }

    @property
    def stored(self) -> "PopulationChoice":
        """The stored population this one comes from (without the scaling)."""
        return PopulationChoice(self.source, self.year, self.age_band)

    def __str__(self) -> str:
        if self.age_band == ALL_AGES:
            band = "all ages"
        elif self.age_band == PUPILS:
            band = "pupils in January"
        else:
            band = f"aged {self.age_band}"
        text = f"{self.source} ({self.year}), {band}"
        if self.scaled_to is not None:
            text += f", scaled to the ONS mid-{self.scaled_to} estimate of children"
        elif self.age_band == CHILDREN:
            text += ", not scaled (no mid-year estimate for the period)"
        return text


def mid_year_for(estimates: dict[int, int], period_end: date) -> int | None:
    """The latest mid-year (30 June) estimate on or before the period's end."""
    years = [y for y in estimates if date(y, 6, 30) <= period_end]
    return max(years) if years else None


def choose(
    options: dict[PopulationChoice, dict[str, int]],
    estimates: dict[int, int],
    period_end: date,
    kind: str = CENSUS,
) -> tuple[PopulationChoice | None, dict[str, float]]:
    """(what was used, population by DfE code) for a period; (None, {}) when no
    children's population fits. ``options`` are the stored populations of one
    area, ``estimates`` its mid-year estimates of children by year."""
    if kind == SCHOOL:
        pupils = [o for o in options if o.age_band == PUPILS]
        before = [o for o in pupils if date(o.year, 1, 1) <= period_end]
        if not before:
            return None, {}
        choice = max(before, key=lambda o: (o.year, o.source))
        return choice, dict(options[choice])
    children = [
        o for o in options if o.age_band == CHILDREN and o.source != SCHOOL_SOURCE
    ]
    if not children:
        return None, {}
    before = [o for o in children if o.year <= period_end.year]
    stored = (
        max(before, key=lambda o: (o.year, o.source))
        if before
        else min(children, key=lambda o: (o.year, o.source))
    )
    values = options[stored]
    year = mid_year_for(estimates, period_end)
    total = sum(values.values())
    if year is None or not total:
        return stored, dict(values)
    factor = estimates[year] / total
    scaled = {code: value * factor for code, value in values.items()}
    return PopulationChoice(stored.source, stored.year, stored.age_band, year), scaled


def only_all_ages(options) -> bool:
    """The area has populations, but none of children: rates must be absent."""
    return bool(options) and all(o.age_band == ALL_AGES for o in options)
