"""Every URL of the app against every role."""

import pytest

from arp import roles
from disproportionality.models import ImportBatch, LabelMapping
from disproportionality.seed import seed_demo
from tests.access import LOGIN, assert_access, role_matrix
from tests.conftest import ANONYMOUS

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS

VIEWERS = {ANONYMOUS: LOGIN, ADMINS: 200, STEERING: 200, BOARD: 200, PRACTITIONERS: 403,
           LEADS: 403}  # fmt: skip
ADMIN_ONLY = {
    ANONYMOUS: LOGIN,
    ADMINS: 200,
    STEERING: 403,
    BOARD: 403,
    PRACTITIONERS: 403,
    LEADS: 403,
}
Q = "?area=E10000012&period=2024&stage=CLA"

CASES = [
    ("/disproportionality/", VIEWERS),
    ("/disproportionality/?level=minor&reference=OTHERS&comparator=region", VIEWERS),
    ("/disproportionality/methodology/", VIEWERS),
    (f"/disproportionality/download/rri.csv{Q}", VIEWERS),
    (f"/disproportionality/download/journey.csv{Q}", VIEWERS),
    (f"/disproportionality/download/trend.csv{Q}", VIEWERS),
    (f"/disproportionality/download/comparator.csv{Q}", VIEWERS),
    (f"/disproportionality/api/metrics/{Q}", VIEWERS),
    (f"/disproportionality/metrics.csv{Q}", VIEWERS),
    (f"/disproportionality/api/metrics/{Q}&comparator=neighbours", VIEWERS),
    (f"/disproportionality/api/metrics/{Q}&base=previous", VIEWERS),
    ("/disproportionality/league/?period=2024&stage=CLA&group=BLACK", VIEWERS),
    ("/disproportionality/league.csv?period=2024&stage=CLA&group=BLACK", VIEWERS),
    ("/disproportionality/api/league/?period=2024&stage=CLA&group=BLACK", VIEWERS),
    ("/disproportionality/unsuppressed/", ADMIN_ONLY),
    ("/disproportionality/imports/", ADMIN_ONLY),
    ("/disproportionality/imports/template.csv", ADMIN_ONLY),
    ("/disproportionality/imports/template.xlsx", ADMIN_ONLY),
    ("/disproportionality/imports/{batch}/", ADMIN_ONLY),
    ("/disproportionality/imports/{batch}/status/", ADMIN_ONLY),
    ("/disproportionality/imports/{batch}/retry/", {**ADMIN_ONLY, ADMINS: 405}),
    ("/disproportionality/mappings/", ADMIN_ONLY),
    ("/disproportionality/areas/", ADMIN_ONLY),
    # POST-only: the role is checked before the method
    ("/disproportionality/mappings/{mapping}/delete/", {**ADMIN_ONLY, ADMINS: 405}),
]


@pytest.fixture
def demo(db):
    seed_demo(stdout=open("/dev/null", "w"))  # noqa: SIM115
    from disproportionality.seed import DEMO_NAME

    return ImportBatch.objects.get(is_demo=True, file_name=DEMO_NAME)


@pytest.mark.parametrize("url,role,expected", role_matrix(CASES))
def test_access_matrix(client_for, demo, url, role, expected):
    url = url.replace("{batch}", str(demo.pk))
    url = url.replace("{mapping}", str(LabelMapping.objects.first().pk))
    assert_access(client_for(role), url, expected)


POSTS = [
    ("/disproportionality/imports/", {"kind": "figures"}),
    (
        "/disproportionality/mappings/",
        {"source": "local", "label": "X", "group": "WBRI"},
    ),
    ("/disproportionality/mappings/{mapping}/delete/", {}),
    (
        "/disproportionality/areas/",
        {"code": "E10000012-Z", "name": "Z", "parent": "E10000012"},
    ),
]


@pytest.mark.parametrize("url,data", POSTS)
@pytest.mark.parametrize("role", [STEERING, BOARD, PRACTITIONERS])
def test_non_admins_cannot_post(client_for, demo, url, data, role):
    mapping = LabelMapping.objects.first()
    before = LabelMapping.objects.count(), ImportBatch.objects.count()
    url = url.replace("{mapping}", str(mapping.pk)).replace("{batch}", str(demo.pk))
    assert_access(client_for(role), url, 403, method="post", data=data)
    assert (LabelMapping.objects.count(), ImportBatch.objects.count()) == before


def test_anonymous_post_goes_to_login(client_for, demo):
    url = "/disproportionality/mappings/"
    assert_access(client_for(ANONYMOUS), url, LOGIN, method="post", data={})


@pytest.mark.parametrize(
    "url,method",
    [
        ("/disproportionality/imports/{missing}/", "get"),
        ("/disproportionality/imports/{missing}/status/", "get"),
        ("/disproportionality/imports/{missing}/retry/", "post"),
        ("/disproportionality/mappings/{missing}/delete/", "post"),
    ],
)
def test_a_missing_batch_or_mapping_is_404_to_the_analyst(
    client_for, demo, url, method
):
    missing = 10**9  # no batch or mapping has this key
    before = LabelMapping.objects.count(), ImportBatch.objects.count()
    url = url.replace("{missing}", str(missing))
    assert_access(client_for(ADMINS), url, 404, method=method, data={})
    assert (LabelMapping.objects.count(), ImportBatch.objects.count()) == before


def test_the_analyst_removes_a_mapping_through_the_service(client_for, demo):
    mapping = LabelMapping.objects.first()
    response = client_for(ADMINS).post(
        f"/disproportionality/mappings/{mapping.pk}/delete/"
    )
    assert response.status_code == 302
    assert not LabelMapping.objects.filter(pk=mapping.pk).exists()
