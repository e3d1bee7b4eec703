"""Beat entries name real tasks with time limits; tasks take ids."""

import pytest
from django.conf import settings

from arp.celery import app
from workforce import tasks


def test_beat_entries_name_registered_workforce_tasks():
    entries = {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"].startswith("workforce.")
    }
    assert {e["task"] for e in entries.values()} == {
        "workforce.tasks.send_report_reminders",
        "workforce.tasks.purge_closed_reports",
    }
    for entry in entries.values():
        assert entry["task"] in app.tasks


@pytest.mark.parametrize(
    "task",
    [
        tasks.notify_leads_of_report,
        tasks.notify_assigned_lead,
        tasks.notify_reporter,
        tasks.send_report_reminders,
        tasks.purge_closed_reports,
        tasks.record_resolution_indicator,
        tasks.record_workforce_indicators,
    ],
)
def test_every_task_has_a_time_limit(task):
    assert task.time_limit and task.soft_time_limit < task.time_limit


@pytest.mark.django_db(transaction=True)
def test_new_report_emails_leads_after_commit_without_the_text(
    make_report, support_lead, mailoutbox
):
    new = make_report()
    (mail,) = mailoutbox
    assert mail.to == [support_lead.email]
    assert new.report.reference in mail.subject
    assert new.report.what_happened not in mail.body
    assert f"/workforce/reports/{new.report.pk}/" in mail.body
