"""Write the quarterly aspiration 6 audit reading by hand (Celery beat does it too)."""

from django.core.management.base import BaseCommand

from arp.management.quarters import add_quarter_end_argument
from programme.audits import selectors, services


class Command(BaseCommand):
    help = (
        "Record the % of audited assessments reflecting ethnicity, race and "
        "culture for a quarter (default: the last complete quarter) against "
        "aspiration 6."
    )

    def add_arguments(self, parser):
        add_quarter_end_argument(parser, example="2026-09-30")

    def handle(self, *args, quarter_end=None, **options):
        reading = services.audit_indicator_record(quarter_end=quarter_end)
        if reading is None:
            self.stdout.write(
                f"Fewer than {selectors.disclosure_min_count()} audits with an "
                "overall judgement in the quarter; nothing recorded."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(f"Recorded {reading.value}% on {reading.taken_on}.")
        )
