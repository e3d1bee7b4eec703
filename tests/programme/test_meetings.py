"""A meeting's decisions as items, actions raised from them, and the old
free-text decisions carried over by the migration."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from arp import roles
from programme.models import Action, Aspiration, Meeting, MeetingDecision

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS


@pytest.fixture
def meeting(db, steering_member):
    return Meeting.objects.create(
        kind="board", held_on=date(2026, 9, 17), created_by=steering_member
    )


@pytest.mark.parametrize(
    "role,status,created",
    [(STEERING, 302, 1), (ADMINS, 302, 1), (BOARD, 403, 0), (PRACTITIONERS, 403, 0),
     (LEADS, 403, 0)],
)  # fmt: skip
def test_record_a_decision(client_for, meeting, steering_member, role, status, created):
    response = client_for(role).post(
        f"/programme/meetings/{meeting.pk}/decisions/",
        {"text": "  Repeat the audit in 2027.  ", "owner": steering_member.pk},
    )
    assert response.status_code == status
    decisions = list(MeetingDecision.objects.filter(meeting=meeting))
    assert len(decisions) == created
    if created:
        assert decisions[0].text == "Repeat the audit in 2027."
        assert decisions[0].owner == steering_member
        page = client_for(BOARD).get(meeting.get_absolute_url()).content.decode()
        assert "Repeat the audit in 2027." in page and "Sam" in page


def test_blank_decision_saves_nothing_and_says_why(client_for, meeting):
    response = client_for(STEERING).post(
        f"/programme/meetings/{meeting.pk}/decisions/", {"text": "   "}, follow=True
    )
    assert response.status_code == 200
    assert "Write the decision." in response.content.decode()
    assert not MeetingDecision.objects.exists()


def test_raise_an_action_from_a_decision(client_for, meeting, steering_member):
    aspiration = Aspiration.objects.get_or_create(number=2, defaults={"title": "A2"})[0]
    decision = MeetingDecision.objects.create(meeting=meeting, text="Audit again")
    client = client_for(STEERING)
    form = client.get(
        f"/programme/meetings/{meeting.pk}/actions/new/?decision={decision.pk}"
    )
    assert form.status_code == 200
    assert form.context["form"].initial["decision"] == decision
    due = timezone.localdate() + timedelta(days=60)
    response = client.post(
        f"/programme/meetings/{meeting.pk}/actions/new/",
        {"title": "Book the auditors", "aspiration": aspiration.pk,
         "owner": steering_member.pk, "due_on": due.isoformat(),
         "decision": decision.pk},
    )  # fmt: skip
    assert response.status_code == 302
    action = Action.objects.get(title="Book the auditors")
    assert list(meeting.actions.all()) == [action]
    assert list(decision.actions.all()) == [action]
    assert action.created_by == steering_member
    assert action.history.first().history_change_reason == "Created"


def test_action_cannot_hang_on_another_meetings_decision(
    client_for, meeting, steering_member
):
    other = Meeting.objects.create(kind="board", held_on=date(2026, 6, 1))
    foreign = MeetingDecision.objects.create(meeting=other, text="Elsewhere")
    aspiration = Aspiration.objects.get_or_create(number=2, defaults={"title": "A2"})[0]
    response = client_for(STEERING).post(
        f"/programme/meetings/{meeting.pk}/actions/new/",
        {"title": "Sneaky", "aspiration": aspiration.pk, "owner": steering_member.pk,
         "due_on": "2027-01-01", "decision": foreign.pk},
    )  # fmt: skip
    assert response.status_code == 200  # the form, with its error
    assert "decision" in response.context["form"].errors
    assert not Action.objects.filter(title="Sneaky").exists()


def test_migration_splits_free_text_decisions(db):
    """The data migration's function, run on a meeting with three lines."""
    import importlib

    module = importlib.import_module(
        "programme.migrations.0004_board_decisions_and_packs"
    )
    from django.apps import apps

    meeting = Meeting.objects.create(
        kind="board", held_on=date(2025, 1, 1),
        decisions="Agreed A.\n\n  Agreed B.  \nAsked for C.",
    )  # fmt: skip
    module.split_decisions_text(apps, None)
    texts = list(
        MeetingDecision.objects.filter(meeting=meeting).values_list("text", flat=True)
    )
    assert texts == ["Agreed A.", "Agreed B.", "Asked for C."]


def test_board_pack_store_rules(
    meeting, steering_member, board_member, settings, tmp_path
):
    from programme import services
    from programme.models import BoardPack

    settings.MEDIA_ROOT = tmp_path
    period = {"period_start": date(2026, 6, 1), "period_end": date(2026, 9, 17)}
    with pytest.raises(services.ProgrammeError, match="Steering group"):
        services.board_pack_store(
            meeting=meeting, pdf=b"%PDF-1.7 x", user=board_member, **period
        )
    with pytest.raises(services.ProgrammeError, match="must be a PDF"):
        services.board_pack_store(
            meeting=meeting, pdf=b"<html>", user=steering_member, **period
        )
    steering = Meeting.objects.create(kind="steering", held_on=date(2026, 9, 1))
    with pytest.raises(services.ProgrammeError, match="governance board"):
        services.board_pack_store(
            meeting=steering, pdf=b"%PDF-1.7 x", user=steering_member, **period
        )
    assert not BoardPack.objects.exists()
    pack = services.board_pack_store(
        meeting=meeting, pdf=b"%PDF-1.7 x", user=steering_member, **period
    )
    import hashlib

    assert pack.sha256 == hashlib.sha256(b"%PDF-1.7 x").hexdigest()
    assert pack.pdf.read() == b"%PDF-1.7 x"
    with pytest.raises(services.ProgrammeError, match="already stored"):
        services.board_pack_store(
            meeting=meeting, pdf=b"%PDF-1.7 other", user=steering_member, **period
        )
    assert BoardPack.objects.get().sha256 == pack.sha256


def test_meeting_list_shows_decisions_and_pack(
    client_for, meeting, steering_member, settings, tmp_path, django_assert_num_queries
):
    from programme import services

    settings.MEDIA_ROOT = tmp_path
    MeetingDecision.objects.create(meeting=meeting, text="One")
    MeetingDecision.objects.create(meeting=meeting, text="Two")
    services.board_pack_store(
        meeting=meeting, pdf=b"%PDF-1.7 x", user=steering_member,
        period_start=date(2026, 6, 1), period_end=date(2026, 9, 17),
    )  # fmt: skip
    Meeting.objects.create(kind="board", held_on=date(2026, 12, 10))
    client = client_for(BOARD)
    with django_assert_num_queries(4):  # user, groups, count, meetings
        html = client.get("/programme/meetings/").content.decode()
    assert '<td class="text-end">2</td><td>Stored' in html
    assert "Not stored" in html


def test_a_tampered_stored_pack_is_not_served(
    client_for, meeting, steering_member, settings, tmp_path
):
    from programme import services

    settings.MEDIA_ROOT = tmp_path
    pack = services.board_pack_store(
        meeting=meeting, pdf=b"%PDF-1.7 original", user=steering_member,
        period_start=date(2026, 6, 1), period_end=date(2026, 9, 17),
    )  # fmt: skip
    url = f"/programme/meetings/{meeting.pk}/pack.pdf"
    client = client_for(BOARD)
    ok = client.get(url)
    assert ok.status_code == 200 and ok.content == b"%PDF-1.7 original"
    assert ok["Content-Type"] == "application/pdf"
    (tmp_path / pack.pdf.name).write_bytes(b"%PDF-1.7 altered")
    refused = client.get(url)
    assert refused.status_code == 409
    assert "no longer matches" in refused.content.decode()
