from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disproportionality.management.commands._summary import write_errors, write_summary
from disproportionality.models import ImportBatch, Stage
from disproportionality.services import figures_import


class Command(BaseCommand):
    help = (
        "Import CIN / CP / CLA figures by ethnicity: the local template (CSV/XLSX) "
        "or a DfE explore-education-statistics tidy CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--stage", choices=Stage.values, help="when the file does not say"
        )

    def handle(self, *args, file, stage=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        batch = figures_import(data=path.read_bytes(), file_name=path.name, stage=stage)
        write_summary(self, batch)
        if batch.status != ImportBatch.Status.SUCCEEDED:
            write_errors(self, batch)
            raise CommandError("The file was rejected.")
