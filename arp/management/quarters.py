"""The ``--quarter-end`` option every quarterly indicator command shares, and the
base of the commands that record one quarterly reading."""

import argparse
from datetime import date, timedelta

from django.core.management.base import BaseCommand

QUARTER_ENDS = "31 Mar, 30 Jun, 30 Sep or 31 Dec"


def quarter_end(value: str) -> date:
    """An ISO date that is the last day of a calendar quarter (argparse type)."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date like 2026-09-30."
        ) from None
    if day.month % 3 or (day + timedelta(days=1)).day != 1:
        raise argparse.ArgumentTypeError(f"--quarter-end must be {QUARTER_ENDS}.")
    return day


def add_quarter_end_argument(parser, *, example: str = "2026-09-30") -> None:
    parser.add_argument(
        "--quarter-end",
        type=quarter_end,
        help=f"Last day of the quarter, e.g. {example}.",
    )


class QuarterReadingCommand(BaseCommand):
    """Records one indicator reading for ``--quarter-end`` (default: the last
    complete quarter) with ``record(quarter_end)``; None means too few answers
    to report, and ``nothing_recorded()`` says why."""

    def add_arguments(self, parser):
        add_quarter_end_argument(parser)

    def record(self, quarter_end: date | None):
        raise NotImplementedError

    def nothing_recorded(self) -> str:
        raise NotImplementedError

    def handle(self, *args, quarter_end=None, **options):
        reading = self.record(quarter_end)
        if reading is None:
            self.stdout.write(f"{self.nothing_recorded()}; nothing recorded.")
            return
        self.stdout.write(
            self.style.SUCCESS(f"Recorded {reading.value}% on {reading.taken_on}.")
        )
