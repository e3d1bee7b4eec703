"""One helper for every app's access matrix.

Each app lists its URLs with the status each role should get::

    CASES = [
        ("/programme/", {ANONYMOUS: LOGIN, ADMINS: 200, ..., PRACTITIONERS: 403}),
    ]

    @pytest.mark.parametrize("url,role,expected", role_matrix(CASES))
    def test_access(client_for, url, role, expected):
        assert_access(client_for(role), url, expected)

``LOGIN`` means "redirected to the login page with ?next= pointing back".
"""

from urllib.parse import quote

import pytest

from tests.conftest import ALL_ROLES

LOGIN = "login"


def role_matrix(cases):
    params = []
    for url, expectations in cases:
        missing = set(ALL_ROLES) - set(expectations)
        if missing:
            raise ValueError(f"{url}: no expectation for {sorted(missing)}")
        for role in ALL_ROLES:
            params.append(
                pytest.param(url, role, expectations[role], id=f"{url} as {role}")
            )
    return params


def assert_access(client, url, expected, method="get", data=None):
    response = getattr(client, method)(url, data=data or {})
    if expected == LOGIN:
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response["Location"] == f"/accounts/login/?next={quote(url, safe='/')}"
    else:
        assert response.status_code == expected, (
            f"{method.upper()} {url}: expected {expected}, got {response.status_code}"
        )
    return response
