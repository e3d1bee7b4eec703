"""The ``--quarter-end`` option every quarterly indicator command shares."""

import argparse
from datetime import date, timedelta

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
