"""Rules the handling forms hold, held by the services too: a direct call that
breaks one raises and writes nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from workforce import services
from workforce.models import Report, ReportEntry

pytestmark = pytest.mark.django_db


def test_acknowledging_with_a_next_step_due_in_the_past_writes_nothing(
    make_report, support_lead
):
    report = make_report(today=date(2026, 1, 5)).report
    entries = ReportEntry.objects.filter(report=report).count()
    with pytest.raises(services.ReportError, match="in the past"):
        services.report_acknowledge(
            report=report, user=support_lead, message="Thank you.",
            next_step="Meet", next_step_due=date(2026, 1, 5), today=date(2026, 1, 6),
        )  # fmt: skip
    stored = Report.objects.get(pk=report.pk)
    assert stored.acknowledged_on is None
    assert stored.status == Report.Status.NEW
    assert ReportEntry.objects.filter(report=report).count() == entries


@pytest.mark.parametrize(
    "next_step,due,message",
    [
        ("Call the reporter", None, "Give the date"),
        ("Call the reporter", timezone.localdate() - timedelta(days=1), "in the past"),
    ],
)
def test_a_note_with_a_broken_next_step_writes_nothing(
    make_report, support_lead, next_step, due, message
):
    report = make_report().report
    entries = ReportEntry.objects.filter(report=report).count()
    with pytest.raises(services.ReportError, match=message):
        services.report_add_note(
            report=report, user=support_lead, text="Spoke to HR", shared=False,
            next_step=next_step, next_step_due=due,
        )  # fmt: skip
    stored = Report.objects.get(pk=report.pk)
    assert (stored.next_step, stored.next_step_due) == ("", None)
    assert ReportEntry.objects.filter(report=report).count() == entries


def test_a_note_with_a_next_step_due_today_is_kept(make_report, support_lead):
    report = make_report().report
    today = timezone.localdate()
    services.report_add_note(
        report=report, user=support_lead, text="Spoke to HR", shared=False,
        next_step="Call the reporter", next_step_due=today,
    )  # fmt: skip
    stored = Report.objects.get(pk=report.pk)
    assert (stored.next_step, stored.next_step_due) == ("Call the reporter", today)
