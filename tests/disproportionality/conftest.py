from pathlib import Path

import pytest

from disproportionality.models import Area

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def essex(db):
    england = Area.objects.create(code="E92000001", name="England", level="national")
    region = Area.objects.create(
        code="E12000006", name="East of England", level="region", parent=england
    )
    essex = Area.objects.create(
        code="E10000012", name="Essex", level="local_authority", parent=region
    )
    Area.objects.create(
        code="E10000012-N", name="Essex North", level="local", parent=essex
    )
    return essex


@pytest.fixture(autouse=True)
def _empty_cache():
    """The dashboard and API cache by data version; start every test empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
