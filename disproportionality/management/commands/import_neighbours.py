from django.core.management.base import BaseCommand

from disproportionality.management.commands._summary import (
    read_import_file,
    report_batch,
)
from disproportionality.services import neighbours_import


class Command(BaseCommand):
    help = (
        "Import the DfE children's services statistical neighbours "
        "(SN_1 … SN_10 by old authority code)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        data, file_name = read_import_file(file)
        batch = neighbours_import(data=data, file_name=file_name)
        report_batch(self, batch)
