"""Write the quarterly "% reporting increased confidence" reading by hand."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from learning_spaces import services


class Command(BaseCommand):
    help = (
        "Record the % of learning-space respondents reporting increased "
        "confidence for a quarter (default: the last complete quarter) against "
        "aspiration 3."
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
        reading = services.confidence_indicator_record(quarter_end=quarter_end)
        if reading is None:
            self.stdout.write(
                "No session in the quarter had "
                f"{services.MIN_GROUP_SIZE} or more responses; nothing recorded."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(f"Recorded {reading.value}% on {reading.taken_on}.")
        )
