"""Write the quarterly aspiration 6 audit reading by hand (Celery beat does it too)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from programme.audits import selectors, services


class Command(BaseCommand):
    help = (
        "Record the % of audited assessments reflecting ethnicity, race and "
        "culture for a quarter (default: the last complete quarter) against "
        "aspiration 6."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quarter-end",
            type=date.fromisoformat,
            help="Last day of the quarter, e.g. 2026-09-30.",
        )

    def handle(self, *args, quarter_end=None, **options):
        if quarter_end and (
            quarter_end.month % 3
            or (date.fromordinal(quarter_end.toordinal() + 1).day != 1)
        ):
            raise CommandError(
                "--quarter-end must be 31 Mar, 30 Jun, 30 Sep or 31 Dec."
            )
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
