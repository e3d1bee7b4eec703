"""England working days (weekends and England and Wales bank holidays off)."""

from datetime import date, timedelta

from learning_spaces.scheduling import england_bank_holidays


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    bank_holidays = england_bank_holidays(range(start.year, start.year + 2))
    day = start
    added = 0
    while added < days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in bank_holidays:
            added += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end ≤ start)."""
    bank_holidays = england_bank_holidays(range(start.year, end.year + 1))
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in bank_holidays:
            count += 1
    return count
