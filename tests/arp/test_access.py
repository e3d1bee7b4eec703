import pytest

from arp import roles
from tests.access import LOGIN, assert_access, role_matrix
from tests.conftest import ANONYMOUS

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS

CASES = [
    (
        "/",
        {
            ANONYMOUS: LOGIN,
            ADMINS: 302,
            STEERING: 302,
            BOARD: 302,
            PRACTITIONERS: 302,
            LEADS: 302,  # to the workforce reports list
        },  # fmt: skip
    ),
    (
        "/accounts/password_change/",
        {
            ANONYMOUS: LOGIN,
            ADMINS: 200,
            STEERING: 200,
            BOARD: 200,
            PRACTITIONERS: 200,
            LEADS: 200,
        },  # fmt: skip
    ),
    (
        "/healthz",
        dict.fromkeys((ANONYMOUS, *roles.GROUPS), 200),
    ),
    # rate-limited wrapper of Django's view (arp.accounts)
    (
        "/accounts/password_reset/",
        dict.fromkeys((ANONYMOUS, *roles.GROUPS), 200),
    ),
]


@pytest.mark.parametrize("url,role,expected", role_matrix(CASES))
def test_access_matrix(client_for, url, role, expected):
    assert_access(client_for(role), url, expected)


@pytest.mark.parametrize(
    "role,destination",
    [
        (ADMINS, "/programme/"),
        (STEERING, "/programme/"),
        (BOARD, "/board/"),
        (PRACTITIONERS, "/learning-spaces/"),
        (LEADS, "/workforce/reports/"),
    ],
)
def test_home_sends_each_role_to_its_main_page(client_for, role, destination):
    response = client_for(role).get("/")
    assert response.status_code == 302
    assert response["Location"] == destination


def test_user_without_role_sees_explanation(client, django_user_model):
    user = django_user_model.objects.create_user("norole", password="x")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert b"no role yet" in response.content


def test_forbidden_page_is_styled_403(client_for):
    response = client_for(PRACTITIONERS).get("/programme/")
    assert response.status_code == 403
    assert b"You do not have access to this page" in response.content


def test_unknown_page_is_styled_404(client_for):
    response = client_for(BOARD).get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
