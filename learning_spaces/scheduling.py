"""Dates for the next sessions of a space (pure functions, no database).

A session that would fall on an England and Wales bank holiday or a weekend
moves to the next working day.
"""

from collections.abc import Container
from datetime import date, timedelta

import holidays


def england_bank_holidays(years: range) -> holidays.HolidayBase:
    """England and Wales bank holidays (the `holidays` package, subdivision ENG)."""
    return holidays.country_holidays("GB", subdiv="ENG", years=years)


def next_working_day(day: date, bank_holidays: Container[date]) -> date:
    """``day`` itself if it is a working day, else the next one."""
    while day.weekday() >= 5 or day in bank_holidays:
        day += timedelta(days=1)
    return day


def cadence_dates(
    *,
    after: date,
    cadence_weeks: int,
    count: int,
    bank_holidays: Container[date],
) -> list[date]:
    """The next ``count`` dates every ``cadence_weeks`` from ``after``.

    The cadence runs from the nominal date, so a holiday shift does not drift
    the rest of the series.
    """
    dates = []
    nominal = after
    for _ in range(count):
        nominal = nominal + timedelta(weeks=cadence_weeks)
        dates.append(next_working_day(nominal, bank_holidays))
    return dates
