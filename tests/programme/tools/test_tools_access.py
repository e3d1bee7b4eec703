"""Every practice tools URL against every role, and the POSTs' effects by role."""

import pytest

from arp import roles
from programme.models import Achievement
from programme.tools.models import Tool, ToolVersion
from tests.access import LOGIN, assert_access, role_matrix
from tests.conftest import ANONYMOUS
from tests.programme.tools.builders import PDF_V2, pdf

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS

READ = {ANONYMOUS: LOGIN, ADMINS: 200, STEERING: 200, BOARD: 200,
        PRACTITIONERS: 200, LEADS: 200}  # fmt: skip
MANAGE = {**READ, BOARD: 403, PRACTITIONERS: 403, LEADS: 403}
DRAFT = {**READ, BOARD: 404, PRACTITIONERS: 404, LEADS: 404}
REDIRECT = dict.fromkeys(READ, 302) | {ANONYMOUS: LOGIN}
POST_ONLY_MANAGE = {**MANAGE, ADMINS: 405, STEERING: 405}

CASES = [
    ("/programme/tools/", READ),
    (
        "/programme/tools/?q=thinking+tool&kind=thinking_tool&audience=practitioners"
        "&aspiration={aspiration}",
        READ,
    ),  # fmt: skip
    ("/programme/tools/?kind=not-a-kind&aspiration=999999", READ),
    ("/programme/tools/?sort=popular&page=2", READ),
    ("/programme/tools/new/", MANAGE),
    ("/programme/tools/usage/", MANAGE),
    ("/programme/tools/{published}/", READ),
    ("/programme/tools/{draft}/", DRAFT),
    ("/programme/tools/{published}/edit/", MANAGE),
    ("/programme/tools/{published}/open/", READ),
    ("/programme/tools/{link_tool}/open/", REDIRECT),
    ("/programme/tools/{draft}/open/", DRAFT),
    ("/programme/tools/{published}/versions/new/", MANAGE),
    ("/programme/tools/{draft}/publish/", POST_ONLY_MANAGE),
    ("/programme/tools/{published}/withdraw/", POST_ONLY_MANAGE),
    ("/programme/tools/versions/{old_version}/download/", READ),
    ("/programme/tools/versions/{draft_version}/download/", DRAFT),
]


@pytest.mark.parametrize("url,role,expected", role_matrix(CASES))
def test_tools_access_matrix(client_for, tools_world, url, role, expected):
    url = url.format(**{name: obj.pk for name, obj in tools_world.items()})
    response = assert_access(client_for(role), url, expected)
    if expected == 200 and url.endswith(("/open/", "/download/")):
        assert response["Content-Disposition"].startswith("attachment")


def _new_tool_data(**overrides):
    data = {
        "title": "Cultural genogram exemplars",
        "description": "Worked examples of cultural genograms.",
        "kind": "exemplar",
        "audiences": ["practitioners", "managers"],
        "released_on": "2025-06-30",
        "change_note": "First version.",
        "link": "https://example.org/genograms",
        "draft": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    "role,expected_status,created",
    [
        (ADMINS, 302, True),
        (STEERING, 302, True),
        (BOARD, 403, False),
        (PRACTITIONERS, 403, False),
        (LEADS, 403, False),
        (ANONYMOUS, 302, False),
    ],
)
def test_only_editors_add_tools(client_for, media, role, expected_status, created):
    response = client_for(role).post("/programme/tools/new/", _new_tool_data())
    assert response.status_code == expected_status
    assert Tool.objects.filter(title="Cultural genogram exemplars").exists() is created


@pytest.mark.parametrize(
    "role,expected_status,published",
    [
        (ADMINS, 302, True),
        (STEERING, 302, True),
        (BOARD, 403, False),
        (PRACTITIONERS, 403, False),
        (LEADS, 403, False),
        (ANONYMOUS, 302, False),
    ],
)
def test_only_editors_publish(
    client_for, tools_world, role, expected_status, published
):
    draft = tools_world["draft"]
    response = client_for(role).post(f"/programme/tools/{draft.pk}/publish/")
    assert response.status_code == expected_status
    draft.refresh_from_db()
    assert draft.is_published is published
    assert not Achievement.objects.exists()


@pytest.mark.parametrize(
    "role,expected_status,versions",
    [
        (ADMINS, 302, 3),
        (STEERING, 302, 3),
        (BOARD, 403, 2),
        (PRACTITIONERS, 403, 2),
        (LEADS, 403, 2),
    ],
)
def test_only_editors_add_versions(
    client_for, tools_world, role, expected_status, versions
):
    tool = tools_world["published"]
    response = client_for(role).post(
        f"/programme/tools/{tool.pk}/versions/new/",
        {
            "file": pdf("v3.pdf", PDF_V2),
            "released_on": "2025-09-01",
            "change_note": "Third version.",
        },
    )
    assert response.status_code == expected_status
    assert ToolVersion.objects.filter(tool=tool).count() == versions


@pytest.mark.parametrize(
    "role,expected_status,still_published",
    [(ADMINS, 302, False), (STEERING, 302, False), (PRACTITIONERS, 403, True),
     (BOARD, 403, True)],
)  # fmt: skip
def test_only_editors_withdraw(
    client_for, tools_world, role, expected_status, still_published
):
    tool = tools_world["published"]
    response = client_for(role).post(f"/programme/tools/{tool.pk}/withdraw/")
    assert response.status_code == expected_status
    tool.refresh_from_db()
    assert tool.is_published is still_published
