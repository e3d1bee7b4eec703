"""The base of every command that imports one file (``manage.py import_… FILE``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class FileImportCommand(BaseCommand):
    """Takes the file's path and hands its bytes and name to ``import_file``;
    a path that is not a file is one clear line, never a traceback."""

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        self.import_file(path.read_bytes(), path.name, **options)

    def import_file(self, data: bytes, file_name: str, **options) -> None:
        raise NotImplementedError
