"""The Django admin pages for disproportionality load for a superuser."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/disproportionality/ethnicgroup/",
    "/admin/disproportionality/area/",
    "/admin/disproportionality/labelmapping/",
    "/admin/disproportionality/ethnicitycount/",
    "/admin/disproportionality/population/",
    "/admin/disproportionality/importbatch/",
]


@pytest.mark.parametrize("url", PAGES)
def test_admin_changelists_load(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200


def test_imported_figures_cannot_be_added_by_hand(admin_client):
    response = admin_client.get("/admin/disproportionality/ethnicitycount/add/")
    assert response.status_code == 403
