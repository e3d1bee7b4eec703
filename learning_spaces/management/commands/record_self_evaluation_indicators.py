"""Write the aspiration 2 self-evaluation readings by hand (Celery beat does too)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from learning_spaces.self_evaluation import services


class Command(BaseCommand):
    help = (
        "Record '% of leaders who have completed a self-evaluation this round' "
        "for a quarter's end (default: the last complete quarter) and, at a "
        "round's end, the mean change in self-rating, against aspiration 2."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quarter-end",
            type=date.fromisoformat,
            help="Last day of the quarter, e.g. 2026-12-31.",
        )

    def handle(self, *args, quarter_end=None, **options):
        if quarter_end and (
            quarter_end.month % 3
            or (date.fromordinal(quarter_end.toordinal() + 1).day != 1)
        ):
            raise CommandError(
                "--quarter-end must be 31 Mar, 30 Jun, 30 Sep or 31 Dec."
            )
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
