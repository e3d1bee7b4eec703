from django.core.management.base import BaseCommand

from disproportionality.management.commands._summary import (
    read_import_file,
    report_batch,
)
from disproportionality.services import areas_import


class Command(BaseCommand):
    help = (
        "Learn the area hierarchy (authority → region → England, old codes) from "
        "a tidy DfE or ONS file such as the ONS mid-year 0–17 estimates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        data, file_name = read_import_file(file)
        batch = areas_import(data=data, file_name=file_name)
        report_batch(self, batch)
