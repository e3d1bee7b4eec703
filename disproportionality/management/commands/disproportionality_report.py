import csv
import json

from django.core.management.base import BaseCommand, CommandError

from disproportionality import metrics, recording_selectors, selectors
from disproportionality.models import Stage


class Command(BaseCommand):
    help = (
        "Print the disclosure-controlled metrics table the API and CSV give "
        "(for an area, period and stage)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--stage", required=True, choices=Stage.values)
        parser.add_argument("--level", default="major", choices=metrics.LEVELS)
        parser.add_argument("--reference", default="WBRI", choices=metrics.REFERENCES)
        parser.add_argument("--format", default="csv", choices=("csv", "json"))
        parser.add_argument(
            "--population",
            default="census",
            choices=("census", "school"),
            help="Census 2021 aged 0-17 scaled to the year (default) or school census",
        )
        parser.add_argument("--uasc", default="include", choices=("include", "exclude"))

    def handle(self, *args, area, period, stage, level, reference, format, **opts):
        population, uasc = opts.get("population", "census"), opts.get("uasc", "include")
        try:
            table = selectors.metrics_table(
                area_code=area,
                period=period,
                stage=stage,
                level=level,
                reference=reference,
                population=population,
                uasc=uasc,
            )
        except selectors.NotFound as exc:
            raise CommandError(str(exc)) from exc
        data = table.as_dict()
        if format == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        # what the figures rest on, above the table (as the API's population)
        choice = table.population
        self.stderr.write(f"Population: {choice if choice else 'none for children'}")
        for note in table.notes:
            self.stderr.write(f"Note: {note}")
        columns, rows = recording_selectors.metrics_csv_table(
            data, selectors.API_FIELDS
        )
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in columns])
