"""The --quarter-end option the quarterly indicator commands share."""

import argparse
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from arp.management.quarters import quarter_end


@pytest.mark.parametrize(
    "value,expected",
    [("2026-03-31", date(2026, 3, 31)), ("2026-12-31", date(2026, 12, 31))],
)
def test_quarter_ends_are_accepted(value, expected):
    assert quarter_end(value) == expected


@pytest.mark.parametrize("value", ["2026-09-29", "2026-08-31", "30/09/2026", ""])
def test_other_days_are_refused(value):
    with pytest.raises(argparse.ArgumentTypeError):
        quarter_end(value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    [
        "record_confidence_indicator",
        "record_audit_indicator",
        "record_self_evaluation_indicators",
    ],
)
def test_every_indicator_command_refuses_a_day_that_ends_no_quarter(command):
    with pytest.raises(CommandError, match="31 Mar, 30 Jun, 30 Sep or 31 Dec"):
        call_command(command, "--quarter-end", "2026-09-29")
