"""Weekly reminders: Celery tasks and management commands, checked in mail.outbox."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from programme import tasks
from tests.programme.conftest import make_achievement, make_action


@pytest.fixture
def actions(aspirations, steering_member, other_steering_member):
    today = timezone.localdate()
    return {
        "overdue": make_action(steering_member, title="Overdue one",
                               due_on=today - timedelta(days=3)),
        "soon": make_action(steering_member, title="Due soon",
                            due_on=today + timedelta(days=14)),
        "later": make_action(steering_member, title="Due later",
                             due_on=today + timedelta(days=15)),
        "done": make_action(steering_member, title="Finished", status="complete",
                            due_on=today - timedelta(days=1)),
        "other": make_action(other_steering_member, title="Sasha's",
                             due_on=today + timedelta(days=2)),
    }  # fmt: skip


def test_action_reminders_one_email_per_owner(actions):
    sent = tasks.send_action_reminders.delay().get()
    assert sent == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"sam@example.org", "sasha@example.org"}
    body = by_recipient["sam@example.org"].body
    assert "Overdue one" in body and "OVERDUE" in body
    assert "Due soon" in body
    assert "Due later" not in body and "Finished" not in body
    assert "/programme/actions/" in body


def test_owner_without_email_is_skipped(actions, steering_member):
    steering_member.email = ""
    steering_member.save()
    call_command("send_action_reminders")
    assert [m.to for m in mail.outbox] == [["sasha@example.org"]]


def test_publication_queue_to_programme_admins(
    aspirations, steering_member, programme_admin, board_member
):
    make_achievement(steering_member, status="submitted", title="Waiting one")
    make_achievement(steering_member, status="draft", title="Still a draft")
    sent = tasks.send_publication_queue_reminder.delay().get()
    assert sent == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "Waiting one" in mail.outbox[0].body
    assert "Still a draft" not in mail.outbox[0].body


def test_publication_queue_silent_when_empty(aspirations, programme_admin, capsys):
    call_command("send_publication_queue_reminder")
    assert mail.outbox == []
    assert "Sent 0" in capsys.readouterr().out
