import io
import shutil
import subprocess

import pytest

from disproportionality.seed import seed_demo as seed_disproportionality
from learning_spaces.seed import seed_demo as seed_learning_spaces
from programme.seed import seed_demo as seed_programme


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db):
    """Every app's demonstration data, as `make run` seeds it."""
    out = io.StringIO()
    seed_programme(stdout=out)
    seed_learning_spaces(stdout=out)
    seed_disproportionality(stdout=out)


def pdf_text(pdf: bytes, *, page: int | None = None) -> str:
    """Text of a PDF (or of one page) as poppler's pdftotext reads it."""
    args = ["pdftotext", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    done = subprocess.run(
        [*args, "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    done = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    for line in done.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


def pdf_info(pdf: bytes) -> dict[str, str]:
    done = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    info = {}
    for line in done.stdout.decode().splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"
)


def pdf_objects_text(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (object streams too), so
    entries such as the catalogue's /Lang can be looked for."""
    import re
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
