from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disproportionality.management.commands._summary import write_errors, write_summary
from disproportionality.models import ImportBatch
from disproportionality.services import population_import


class Command(BaseCommand):
    help = "Import an ONS Census 2021 population by ethnic group (20 categories)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--age-band", required=True, help="0-17, or all when the table is all ages"
        )
        parser.add_argument("--source", default="Census 2021")

    def handle(self, *args, file, year, age_band, source, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        batch = population_import(
            data=path.read_bytes(),
            file_name=path.name,
            year=year,
            age_band=age_band,
            source=source,
        )
        write_summary(self, batch)
        if batch.status != ImportBatch.Status.SUCCEEDED:
            write_errors(self, batch)
            raise CommandError("The file was rejected.")
