from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workforce import importer, services


class Command(BaseCommand):
    help = (
        "Import aggregate workforce race equality figures (CSV or XLSX with "
        "columns period, measure, ethnicity, count, base). All rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            batch = services.workforce_import(
                content=path.read_bytes(), file_name=path.name
            )
        except importer.ImportProblem as problem:
            raise CommandError(
                "Nothing imported.\n" + "\n".join(problem.errors[: importer.MAX_ERRORS])
            ) from problem
        self.stdout.write(f"Imported {batch.rows} row(s) from {path.name}.")
