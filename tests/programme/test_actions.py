"""The action plan: status changes with reasons, overdue, My actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from arp import roles
from programme.models import Action, ActionStatusChange
from tests.programme.conftest import make_action

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS


@pytest.fixture
def action(aspirations, steering_member):
    return make_action(steering_member, title="Refresh training offer")


def _status(client, action, **data):
    return client.post(f"/programme/actions/{action.pk}/status/", data)


def test_owner_changes_status_with_reason_and_history_is_kept(
    client_for, action, steering_member
):
    response = _status(
        client_for(STEERING), action, to_status="on_track", reason="Workshop booked"
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "on_track"
    change = ActionStatusChange.objects.get(action=action)
    assert (change.from_status, change.to_status) == ("not_started", "on_track")
    assert change.reason == "Workshop booked"
    assert change.changed_by == steering_member
    page = client_for(BOARD).get(f"/programme/actions/{action.pk}/")
    assert b"Workshop booked" in page.content


@pytest.mark.parametrize(
    "data,field",
    [
        ({"to_status": "on_track", "reason": ""}, "reason"),
        ({"to_status": "on_track", "reason": "   "}, "reason"),
        ({"to_status": "off_track", "reason": "Slipped"}, "corrective_action"),
        ({"to_status": "not_started", "reason": "Same"}, "to_status"),
        ({"to_status": "done", "reason": "x"}, "to_status"),
        (
            {
                "to_status": "complete",
                "reason": "Done",
                "completed_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            },
            "completed_on",
        ),
    ],
)
def test_bad_status_change_saves_nothing(client_for, action, data, field):
    response = _status(client_for(STEERING), action, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    action.refresh_from_db()
    assert action.status == "not_started"
    assert not ActionStatusChange.objects.exists()


def test_off_track_records_corrective_action(client_for, action):
    _status(
        client_for(STEERING),
        action,
        to_status="off_track",
        reason="Trainer unavailable",
        corrective_action="Use the regional trainer pool",
    )
    action.refresh_from_db()
    assert action.status == "off_track"
    assert action.corrective_action == "Use the regional trainer pool"


def test_complete_records_completion_date(client_for, action):
    _status(client_for(STEERING), action, to_status="complete", reason="Delivered")
    action.refresh_from_db()
    assert action.status == "complete"
    assert action.completed_on == timezone.localdate()
    # Reopening clears it.
    _status(client_for(STEERING), action, to_status="on_track", reason="Reopened")
    action.refresh_from_db()
    assert action.completed_on is None


def test_non_owner_cannot_change_status(client_for, aspirations, other_steering_member):
    theirs = make_action(other_steering_member)
    response = _status(client_for(STEERING), theirs, to_status="on_track", reason="x")
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "not_started"
    # ...but a Programme admin can.
    _status(client_for(ADMINS), theirs, to_status="on_track", reason="Admin update")
    theirs.refresh_from_db()
    assert theirs.status == "on_track"


def test_create_and_edit_action(client_for, aspirations, steering_member):
    client = client_for(STEERING)
    data = {
        "title": "Publish learning space themes",
        "aspiration": aspirations[2].pk,
        "owner": steering_member.pk,
        "due_on": "2027-01-31",
        "next_review_on": "2026-12-15",
    }
    response = client.post("/programme/actions/new/", data)
    action = Action.objects.get()
    assert response.status_code == 302
    assert action.owner == steering_member and action.aspiration.number == 3
    client.post(f"/programme/actions/{action.pk}/edit/", {**data, "title": "Renamed"})
    action.refresh_from_db()
    assert action.title == "Renamed"


def test_action_owner_must_be_a_contributor(client_for, aspirations, board_member):
    response = client_for(STEERING).post(
        "/programme/actions/new/",
        {"title": "x", "aspiration": aspirations[0].pk, "owner": board_member.pk,
         "due_on": "2027-01-31"},
    )  # fmt: skip
    assert "owner" in response.context["form"].errors
    assert not Action.objects.exists()


def test_overdue_actions_stand_out_and_my_actions_filters(
    client_for, aspirations, steering_member, other_steering_member
):
    today = timezone.localdate()
    late = make_action(
        steering_member, title="Late one", due_on=today - timedelta(days=2)
    )
    make_action(steering_member, title="Done late", status="complete",
                due_on=today - timedelta(days=5))  # fmt: skip
    make_action(other_steering_member, title="Someone else's")
    client = client_for(STEERING)
    listing = client.get("/programme/actions/")
    html = listing.content.decode()
    row = html[html.index("Late one") : html.index("Late one") + 600]
    assert "Overdue" in row
    done_row = html[html.index("Done late") : html.index("Done late") + 600]
    assert "Overdue" not in done_row.split("</tr>")[0]
    overdue = client.get("/programme/actions/?overdue=on")
    assert [a.pk for a in overdue.context["actions"]] == [late.pk]
    mine = client.get("/programme/actions/mine/")
    assert {a.title for a in mine.context["actions"]} == {"Late one", "Done late"}


def test_my_actions_is_empty_for_someone_who_owns_none(
    client_for, aspirations, other_steering_member
):
    # regression: an empty queryset is falsy, and "queryset or all" listed
    # every action to a user who owned none
    make_action(other_steering_member, title="Someone else's")
    response = client_for(STEERING).get("/programme/actions/mine/")
    assert response.status_code == 200
    assert list(response.context["actions"]) == []
    assert "Someone else&#x27;s" not in response.content.decode()
    assert Action.objects.count() == 1
