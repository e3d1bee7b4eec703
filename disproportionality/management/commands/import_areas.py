from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disproportionality.management.commands._summary import write_errors, write_summary
from disproportionality.models import ImportBatch
from disproportionality.services import areas_import


class Command(BaseCommand):
    help = (
        "Learn the area hierarchy (authority → region → England, old codes) from "
        "a tidy DfE or ONS file such as the ONS mid-year 0–17 estimates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        batch = areas_import(data=path.read_bytes(), file_name=path.name)
        write_summary(self, batch)
        if batch.status != ImportBatch.Status.SUCCEEDED:
            write_errors(self, batch)
            raise CommandError("The file was rejected.")
