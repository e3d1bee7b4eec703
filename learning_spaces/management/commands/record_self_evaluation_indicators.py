"""Write the aspiration 2 self-evaluation readings by hand (Celery beat does too)."""

from django.core.management.base import BaseCommand

from arp.management.quarters import add_quarter_end_argument
from learning_spaces.self_evaluation import services


class Command(BaseCommand):
    help = (
        "Record '% of leaders who have completed a self-evaluation this round' "
        "for a quarter's end (default: the last complete quarter) and, at a "
        "round's end, the mean change in self-rating, against aspiration 2."
    )

    def add_arguments(self, parser):
        add_quarter_end_argument(parser, example="2026-12-31")

    def handle(self, *args, quarter_end=None, **options):
        readings = services.self_evaluation_indicators_record(quarter_end=quarter_end)
        completion, change = readings["completion"], readings["change"]
        if completion is None:
            self.stdout.write("No leaders to ask; nothing recorded.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Recorded {completion.value}% completed on {completion.taken_on}."
            )
        )
        if change is not None:
            self.stdout.write(
                self.style.SUCCESS(f"Recorded a mean change of {change.value}.")
            )
        else:
            self.stdout.write(
                "No mean change recorded (not a round's end, or too few leaders "
                "answered both rounds)."
            )
