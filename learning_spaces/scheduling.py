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
