"""The dashboard and API cache: keyed by the data version, so never stale."""

import io

import pytest

from arp import roles
from disproportionality.models import Area, EthnicityCount
from disproportionality.seed import seed_demo
from disproportionality.services import figures_import

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
pytestmark = pytest.mark.django_db

API = "/disproportionality/api/metrics/"
AREA = "E10000012-N"
PARAMS = {"area": AREA, "period": "2024", "stage": "CP", "level": "minor"}


@pytest.fixture
def demo(db):
    seed_demo(stdout=io.StringIO())


def _wbri(client) -> int:
    rows = client.get(API, PARAMS).json()["rows"]
    return next(r for r in rows if r["group_code"] == "WBRI")["count"]


def test_a_new_import_reaches_cached_api_and_dashboard(client_for, demo):
    client = client_for(BOARD)
    before = _wbri(client)
    assert _wbri(client) == before  # now served from the cache
    page = client.get("/disproportionality/", PARAMS).content.decode()
    stored = EthnicityCount.objects.get(
        area_id=AREA, period="2024", stage="CP", group_id="WBRI"
    )
    assert stored.count == before
    new = before + 1234
    csv = (
        "area_code,area_name,period,stage,ethnicity,count\n"
        f"{AREA},Essex North,2024,CP,WBRI,{new}\n"
    ).encode()
    batch = figures_import(data=csv, file_name="fix.csv", feed_indicator=False)
    assert batch.status == "succeeded", batch.errors

    assert _wbri(client) == new
    after = client.get("/disproportionality/", PARAMS).content.decode()
    assert f"{new:,}" in after and f"{new:,}" not in page


def test_a_renamed_area_reaches_the_cached_dashboard(client_for, demo):
    client = client_for(BOARD)
    assert "Essex North" in client.get("/disproportionality/", PARAMS).content.decode()
    area = Area.objects.get(code=AREA)
    area.name = "North Essex quadrant"
    area.save()  # as the admin does
    page = client.get("/disproportionality/", PARAMS).content.decode()
    assert "North Essex quadrant" in page


def test_the_admin_only_link_is_not_shared_through_the_cache(client_for, demo):
    link = b"Unsuppressed view (admins)"
    assert link in client_for(ADMINS).get("/disproportionality/", PARAMS).content
    assert link not in client_for(BOARD).get("/disproportionality/", PARAMS).content
    assert link in client_for(ADMINS).get("/disproportionality/", PARAMS).content
