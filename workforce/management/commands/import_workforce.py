from django.core.management.base import CommandError

from arp.management.file_import import FileImportCommand
from workforce import importer, services


class Command(FileImportCommand):
    help = (
        "Import aggregate workforce race equality figures (CSV or XLSX with "
        "columns period, measure, ethnicity, count, base). All rows or none."
    )

    def import_file(self, data, file_name, **options):
        try:
            batch = services.workforce_import(content=data, file_name=file_name)
        except importer.ImportProblem as problem:
            raise CommandError(
                "Nothing imported.\n" + "\n".join(problem.errors[: importer.MAX_ERRORS])
            ) from problem
        self.stdout.write(f"Imported {batch.rows} row(s) from {file_name}.")
