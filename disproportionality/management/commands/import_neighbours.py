from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disproportionality.management.commands._summary import write_errors, write_summary
from disproportionality.models import ImportBatch
from disproportionality.services import neighbours_import


class Command(BaseCommand):
    help = (
        "Import the DfE children's services statistical neighbours "
        "(SN_1 … SN_10 by old authority code)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        batch = neighbours_import(data=path.read_bytes(), file_name=path.name)
        write_summary(self, batch)
        if batch.status != ImportBatch.Status.SUCCEEDED:
            write_errors(self, batch)
            raise CommandError("The file was rejected.")
