"""Six-monthly rounds: January to June and July to December (pure functions)."""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, order=True)
class Round:
    starts_on: date

    @property
    def ends_on(self) -> date:
        return self.next().starts_on - timedelta(days=1)

    @property
    def label(self) -> str:
        half = "January to June" if self.starts_on.month == 1 else "July to December"
        return f"{half} {self.starts_on.year}"

    @property
    def short_label(self) -> str:
        return f"{self.starts_on.year} H{1 if self.starts_on.month == 1 else 2}"

    def next(self) -> "Round":
        if self.starts_on.month == 1:
            return Round(date(self.starts_on.year, 7, 1))
        return Round(date(self.starts_on.year + 1, 1, 1))

    def previous(self) -> "Round":
        if self.starts_on.month == 7:
            return Round(date(self.starts_on.year, 1, 1))
        return Round(date(self.starts_on.year - 1, 7, 1))

    def is_closed(self, today: date) -> bool:
        return today > self.ends_on


def round_for(day: date) -> Round:
    return Round(date(day.year, 1 if day.month <= 6 else 7, 1))
