"""Serve single files shipped inside installed packages as static files.

plotly ships ``plotly.min.js`` in its package data next to several MB of data
sets we do not want collected; this finder exposes only the named files.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


class PackageFileFinder(BaseFinder):
    def _files(self) -> dict[str, Path]:
        return getattr(settings, "PACKAGE_STATIC_FILES", {})

    def check(self, **kwargs):
        return [
            Error(f"Static file {name} not found at {path}", id="arp.E001")
            for name, path in self._files().items()
            if not Path(path).is_file()
        ]

    def find(self, path, find_all=False, **kwargs):
        source = self._files().get(path)
        if source is None:
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns):
        for name, source in self._files().items():
            storage = FileSystemStorage(location=str(Path(source).parent))
            storage.prefix = str(Path(name).parent)
            # collectstatic joins prefix and the path relative to the storage
            yield Path(source).name, storage
