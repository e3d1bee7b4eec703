"""Every programme URL against every role (GET), plus the state-changing POSTs."""

import pytest

from arp import roles
from programme.audits.models import Audit
from programme.models import Achievement, Action, LessonLearnt, Meeting, Testimonial
from tests.access import LOGIN, assert_access, role_matrix
from tests.conftest import ANONYMOUS

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS


VIEW = {ANONYMOUS: LOGIN, ADMINS: 200, STEERING: 200, BOARD: 200, PRACTITIONERS: 403,
        LEADS: 403}  # fmt: skip
CONTRIBUTE = {**VIEW, BOARD: 403}
ADMIN_ONLY = {**CONTRIBUTE, STEERING: 403}
DRAFT = {**VIEW, BOARD: 404}
NO_FILE = {ANONYMOUS: LOGIN, ADMINS: 404, STEERING: 404, BOARD: 404,
           PRACTITIONERS: 403, LEADS: 403}  # fmt: skip
# POST-only URLs: a GET is 405 for those who may post, 403/login for the rest.
POST_ONLY_CONTRIBUTE = {**CONTRIBUTE, ADMINS: 405, STEERING: 405}
POST_ONLY_ADMIN = {**ADMIN_ONLY, ADMINS: 405}

CASES = [
    ("/programme/", VIEW),
    ("/programme/summary/", VIEW),
    ("/programme/summary/?start=2025-01-01&end=2025-12-31", VIEW),
    ("/programme/achievements/", VIEW),
    ("/programme/achievements/?reach=local&ordering=-title&page=2", VIEW),
    ("/programme/achievements.csv", VIEW),
    ("/programme/achievements.xlsx", VIEW),
    ("/programme/achievements/new/", CONTRIBUTE),
    ("/programme/achievements/snapshot/", VIEW),
    ("/programme/achievements/{published}/", VIEW),
    ("/programme/achievements/{draft}/", DRAFT),
    ("/programme/achievements/{submitted}/", DRAFT),
    ("/programme/achievements/{draft}/edit/", CONTRIBUTE),
    ("/programme/achievements/{submitted}/edit/", CONTRIBUTE),
    ("/programme/achievements/{others_draft}/edit/", ADMIN_ONLY),
    ("/programme/achievements/{published}/edit/", ADMIN_ONLY),
    ("/programme/achievements/{published}/evidence/", NO_FILE),
    ("/programme/achievements/{draft}/submit/", POST_ONLY_CONTRIBUTE),
    ("/programme/achievements/{submitted}/publish/", POST_ONLY_ADMIN),
    ("/programme/achievements/{submitted}/return/", POST_ONLY_ADMIN),
    ("/programme/actions/", VIEW),
    ("/programme/actions/?overdue=on&status=on_track", VIEW),
    ("/programme/actions/mine/", VIEW),
    ("/programme/actions.csv", VIEW),
    ("/programme/actions.xlsx", VIEW),
    ("/programme/actions/new/", CONTRIBUTE),
    ("/programme/actions/{action}/", VIEW),
    ("/programme/actions/{action}/edit/", CONTRIBUTE),
    ("/programme/actions/{action}/status/", CONTRIBUTE),
    ("/programme/actions/{others_action}/edit/", ADMIN_ONLY),
    ("/programme/actions/{others_action}/status/", ADMIN_ONLY),
    ("/programme/indicators/", VIEW),
    ("/programme/indicators/new/", ADMIN_ONLY),
    ("/programme/indicators/{indicator}/", VIEW),
    ("/programme/indicators/{indicator}/edit/", ADMIN_ONLY),
    ("/programme/indicators/{indicator}/readings/new/", CONTRIBUTE),
    ("/programme/meetings/", VIEW),
    ("/programme/meetings/new/", CONTRIBUTE),
    ("/programme/meetings/{meeting}/", VIEW),
    ("/programme/meetings/{meeting}/edit/", CONTRIBUTE),
    ("/programme/meetings/{meeting}/decisions/", POST_ONLY_CONTRIBUTE),
    ("/programme/meetings/{meeting}/actions/new/", CONTRIBUTE),
    ("/programme/meetings/{meeting}/pack.pdf", NO_FILE),
    ("/programme/lessons/", VIEW),
    ("/programme/lessons/new/", CONTRIBUTE),
    ("/programme/lessons/{lesson}/", VIEW),
    ("/programme/lessons/{lesson}/edit/", CONTRIBUTE),
    ("/programme/training/", VIEW),
    ("/programme/training/events/new/", CONTRIBUTE),
    ("/programme/training/headcount/new/", CONTRIBUTE),
    ("/programme/training/record/", POST_ONLY_ADMIN),
    ("/programme/testimonials/", VIEW),
    ("/programme/testimonials/new/", CONTRIBUTE),
    ("/programme/testimonials/{quote}/", VIEW),
    ("/programme/testimonials/{unpublished_quote}/", DRAFT),
    ("/programme/testimonials/{quote}/edit/", CONTRIBUTE),
    # Practice audits: the Board sees results only, never a record
    ("/programme/audits/", VIEW),
    ("/programme/audits/?date_from=2026-01&stage=CP", VIEW),
    ("/programme/audits/results.csv", VIEW),
    ("/programme/audits/new/", CONTRIBUTE),
    ("/programme/audits/records/", CONTRIBUTE),
    ("/programme/audits/import/", CONTRIBUTE),
    ("/programme/audits/template.csv", CONTRIBUTE),
    ("/programme/audits/template.xlsx", CONTRIBUTE),
    ("/programme/audits/questions/", CONTRIBUTE),
    ("/programme/audits/{audit}/", CONTRIBUTE),
    ("/programme/audits/{others_audit}/", {**CONTRIBUTE, STEERING: 404}),
    ("/programme/audits/{audit}/lesson/", POST_ONLY_CONTRIBUTE),
    ("/programme/audits/{audit}/action/", POST_ONLY_CONTRIBUTE),
    ("/programme/audits/{audit}/delete/", CONTRIBUTE),
    ("/programme/audits/{others_audit}/delete/", {**CONTRIBUTE, STEERING: 404}),
]


# --- Access helpers (issue 15): 404 for what a role may not see, 403 for a
# change it may not make, and nothing written either way ----------------------

MISSING = {ANONYMOUS: LOGIN, ADMINS: 404, STEERING: 404, BOARD: 404,
           PRACTITIONERS: 403, LEADS: 403}  # fmt: skip
MISSING_CONTRIBUTE = {**MISSING, BOARD: 403}


def _added_by(entry, peer):
    """A copy of ``entry`` that ``peer`` added."""
    copy = type(entry).objects.get(pk=entry.pk)
    copy.pk = None
    copy._state.adding = True
    copy.created_by = peer
    copy.save()
    return copy


@pytest.fixture
def others(world, other_steering_member):
    """The world, plus entries another Steering group member added."""
    return {
        **world,
        **{
            f"others_{name}": _added_by(world[key], other_steering_member)
            for name, key in [
                ("meeting", "meeting"),
                ("lesson", "lesson"),
                ("quote", "unpublished_quote"),
            ]
        },
        "missing": type("Missing", (), {"pk": 987654})(),
    }


HELPER_CASES = [
    ("/programme/meetings/{others_meeting}/edit/", ADMIN_ONLY),
    ("/programme/lessons/{others_lesson}/edit/", ADMIN_ONLY),
    ("/programme/testimonials/{others_quote}/edit/", ADMIN_ONLY),
    # an unpublished quote is not there for the Board, not even to be refused
    ("/programme/testimonials/{others_quote}/", DRAFT),
    ("/programme/achievements/{missing}/", MISSING),
    ("/programme/achievements/{missing}/edit/", MISSING_CONTRIBUTE),
    ("/programme/actions/{missing}/", MISSING),
    ("/programme/actions/{missing}/status/", MISSING_CONTRIBUTE),
    ("/programme/indicators/{missing}/", MISSING),
    ("/programme/indicators/{missing}/readings/new/", MISSING_CONTRIBUTE),
    ("/programme/meetings/{missing}/", MISSING),
    ("/programme/meetings/{missing}/pack.pdf", MISSING),
    ("/programme/lessons/{missing}/edit/", MISSING_CONTRIBUTE),
    ("/programme/audits/{missing}/", MISSING_CONTRIBUTE),
]


@pytest.mark.parametrize("url,role,expected", role_matrix(CASES + HELPER_CASES))
def test_access_matrix(client_for, others, url, role, expected):
    url = url.format(**{name: obj.pk for name, obj in others.items()})
    assert_access(client_for(role), url, expected)


def test_every_programme_url_is_in_the_matrix():
    """A new URL without a row in CASES fails here."""
    from programme.urls import urlpatterns
    from tests.programme.tools.test_tools_access import CASES as TOOL_CASES

    covered = {url.split("?")[0] for url, _ in CASES + TOOL_CASES}
    for pattern in urlpatterns:
        route = "/programme/" + str(pattern.pattern)
        for name in ("<int:pk>",):
            route = route.replace(name, "{")
        assert any(_matches(route, url) for url in covered), (
            f"{pattern.name} ({pattern.pattern}) has no row in the access matrix"
        )


def _matches(route: str, url: str) -> bool:
    import re

    regex = "^" + re.escape(route).replace(r"\{", r"\{\w+\}") + "$"
    return re.match(regex, url) is not None


@pytest.mark.parametrize(
    "role,expected_status,expected_state",
    [
        (ADMINS, 302, "published"),
        (STEERING, 403, "submitted"),
        (BOARD, 403, "submitted"),
        (PRACTITIONERS, 403, "submitted"),
        (ANONYMOUS, 302, "submitted"),
    ],
)
def test_publish_only_by_admins(
    client_for, world, role, expected_status, expected_state
):
    achievement = world["submitted"]
    response = client_for(role).post(
        f"/programme/achievements/{achievement.pk}/publish/"
    )
    assert response.status_code == expected_status
    achievement.refresh_from_db()
    assert achievement.status == expected_state


@pytest.mark.parametrize(
    "role,expected_status,expected_state",
    [
        (ADMINS, 302, "draft"),
        (STEERING, 403, "submitted"),
        (BOARD, 403, "submitted"),
        (PRACTITIONERS, 403, "submitted"),
    ],
)
def test_return_only_by_admins(
    client_for, world, role, expected_status, expected_state
):
    achievement = world["submitted"]
    response = client_for(role).post(
        f"/programme/achievements/{achievement.pk}/return/",
        {"comment": "Add the date of the event"},
    )
    assert response.status_code == expected_status
    achievement.refresh_from_db()
    assert achievement.status == expected_state


@pytest.mark.parametrize(
    "role,key,expected_status,expected_state",
    [
        (STEERING, "draft", 302, "submitted"),
        (STEERING, "others_draft", 403, "draft"),
        (ADMINS, "others_draft", 302, "submitted"),
        (BOARD, "draft", 403, "draft"),
        (PRACTITIONERS, "draft", 403, "draft"),
    ],
)
def test_submit_by_owner_or_admin(
    client_for, world, role, key, expected_status, expected_state
):
    achievement = world[key]
    response = client_for(role).post(
        f"/programme/achievements/{achievement.pk}/submit/"
    )
    assert response.status_code == expected_status
    assert Achievement.objects.get(pk=achievement.pk).status == expected_state


def _state(others) -> dict:
    return {
        "meeting": Meeting.objects.get(pk=others["others_meeting"].pk).held_on,
        "lesson": LessonLearnt.objects.get(pk=others["others_lesson"].pk).title,
        "quote": Testimonial.objects.get(pk=others["others_quote"].pk).quote,
        "action": Action.objects.get(pk=others["others_action"].pk).status,
        "audit": list(
            Audit.objects.filter(pk=others["others_audit"].pk).values_list(
                "lesson_id", "action_id"
            )
        ),
        "lessons": LessonLearnt.objects.count(),
    }


@pytest.mark.parametrize(
    "url,data,expected",
    [
        (
            "/programme/meetings/{others_meeting}/edit/",
            {"kind": "steering", "held_on": "2026-08-02"},
            403,
        ),
        (
            "/programme/lessons/{others_lesson}/edit/",
            {"kind": "went_well", "theme": "policy", "title": "Mine now",
             "description": "d", "recorded_on": "2026-01-01"},
            403,
        ),
        (
            "/programme/testimonials/{others_quote}/edit/",
            {"quote": "Changed", "source_type": "ofsted", "quoted_on": "2025-03-01"},
            403,
        ),
        (
            "/programme/actions/{others_action}/status/",
            {"to_status": "complete", "reason": "Done"},
            403,
        ),
        # another auditor's record is not there for the Steering member at all
        (
            "/programme/audits/{others_audit}/lesson/",
            {"title": "Mine", "kind": "went_well", "theme": "policy"},
            404,
        ),
        ("/programme/audits/{others_audit}/delete/", {}, 404),
    ],
)  # fmt: skip
def test_steering_member_cannot_change_a_peers_entries(
    client_for, others, url, data, expected
):
    url = url.format(**{name: obj.pk for name, obj in others.items()})
    before = _state(others)
    assert_access(client_for(STEERING), url, expected, method="post", data=data)
    assert _state(others) == before
    # the same post by a Programme admin goes through: the refusal is access
    assert_access(client_for(ADMINS), url, 302, method="post", data=data)
    assert _state(others) != before
