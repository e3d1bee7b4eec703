"""Write the quarterly "% reporting increased confidence" reading by hand."""

from django.core.management.base import BaseCommand

from arp.management.quarters import add_quarter_end_argument
from learning_spaces import services


class Command(BaseCommand):
    help = (
        "Record the % of learning-space respondents reporting increased "
        "confidence for a quarter (default: the last complete quarter) against "
        "aspiration 3."
    )

    def add_arguments(self, parser):
        add_quarter_end_argument(parser, example="2026-09-30")

    def handle(self, *args, quarter_end=None, **options):
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
