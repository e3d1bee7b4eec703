"""Writes: reports and their handling, purges, workforce imports, indicator feeds."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from arp.celery import enqueue_on_commit
from arp.statistics import percent
from workforce import importer, selectors
from workforce.models import (
    IndicatorLink,
    Report,
    ReportEntry,
    ReportView,
    WorkforceBatch,
    WorkforceFigure,
)
from workforce.working_days import add_working_days

if TYPE_CHECKING:
    from programme.models import IndicatorReading

Kind = ReportEntry.Kind
Status = Report.Status
Outcome = Report.Outcome

# No 0/O or 1/I/L: read aloud or copied from a phone without mistakes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RESOLUTION_INDICATOR_KEY = "racism-concerns-resolved-percent"
RESOLUTION_INDICATOR_MIN = 5  # fewer closed reports than this: no reading


class ReportError(Exception):
    """A handling step that does not fit the report's state."""


class DuplicateSubmission(ReportError):
    """The one-time form token was used already."""


def acknowledge_days() -> int:
    return int(getattr(settings, "WORKFORCE_ACKNOWLEDGE_WORKING_DAYS", 5))


def escalation_path() -> list[str]:
    return list(getattr(settings, "WORKFORCE_ESCALATION_PATH", []))


def _code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_passcode(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _entry(report, kind, *, author=None, shared=False, text="", on=None):
    if shared and author is not None and report.reporter_id:
        # a named reporter hears that there is news (never the news itself)
        enqueue_on_commit("workforce.tasks.notify_reporter", report.pk)
    return ReportEntry.objects.create(
        report=report,
        kind=kind,
        author=author,
        shared=shared,
        text=text,
        written_on=on or timezone.localdate(),
    )


@dataclass(frozen=True)
class NewReport:
    report: Report
    passcode: str  # shown once, never stored


def report_submit(
    *,
    answers: dict,
    form_token: uuid.UUID | None = None,
    reporter=None,
    today: date | None = None,
    is_demo: bool = False,
) -> NewReport:
    """Store a report with a fresh reference and passcode (hashed).

    Only the date is kept, never a time, an address or a browser. A form token
    already used raises DuplicateSubmission and stores nothing.
    """
    today = today or timezone.localdate()
    passcode = _code(16)
    for _attempt in range(5):
        reference = "R" + _code(7)
        if not Report.objects.filter(reference=reference).exists():
            break
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reference=reference,
                passcode_hash=make_password(passcode),
                form_token=form_token,
                reporter=reporter,
                received_on=today,
                acknowledge_by=add_working_days(today, acknowledge_days()),
                is_demo=is_demo,
                **answers,
            )
            _entry(report, Kind.RECEIVED, on=today)
    except IntegrityError as exc:
        if form_token and Report.objects.filter(form_token=form_token).exists():
            raise DuplicateSubmission from exc
        raise
    if not is_demo:
        enqueue_on_commit("workforce.tasks.notify_leads_of_report", report.pk)
    return NewReport(report, "-".join(passcode[i : i + 4] for i in range(0, 16, 4)))


def report_record_view(*, report: Report, viewer) -> ReportView:
    return ReportView.objects.create(report=report, viewer=viewer)


def _check_next_step(next_step: str, due: date | None, *, today: date) -> None:
    """A next step has a due date, and it is not in the past."""
    if next_step and not due:
        raise ReportError("Give the date the next step is due.")
    if due and due < today:
        raise ReportError("The next step cannot be due in the past.")


def _require_open(report: Report):
    if not report.is_open:
        raise ReportError("This report is closed.")


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def report_acknowledge(
    *,
    report: Report,
    user,
    message: str,
    next_step: str,
    next_step_due: date,
    today: date | None = None,
) -> Report:
    """Acknowledge to the reporter (a shared note) and set the next step."""
    report = _locked(report)
    _require_open(report)
    if report.acknowledged_on:
        raise ReportError("This report was acknowledged already.")
    today = today or timezone.localdate()
    _check_next_step(next_step, next_step_due, today=today)
    report.acknowledged_on = today
    report.status = Status.ACKNOWLEDGED
    report.next_step, report.next_step_due = next_step, next_step_due
    if report.assigned_to is None:
        report.assigned_to = user
    report.save()
    _entry(report, Kind.ACKNOWLEDGED, author=user, shared=True, text=message, on=today)
    return report


@transaction.atomic
def report_assign(*, report: Report, user, lead) -> Report:
    from arp import roles

    report = _locked(report)
    _require_open(report)
    if not lead.groups.filter(name=roles.STAFF_SUPPORT_LEADS).exists():
        raise ReportError("Only a staff support lead can be assigned a report.")
    report.assigned_to = lead
    report.save(update_fields=["assigned_to"])
    name = lead.get_full_name() or lead.get_username()
    _entry(report, Kind.ASSIGNED, author=user, text=f"Assigned to {name}.")
    if lead != user:
        enqueue_on_commit("workforce.tasks.notify_assigned_lead", report.pk)
    return report


@transaction.atomic
def report_add_note(
    *,
    report: Report,
    user,
    text: str,
    shared: bool,
    next_step: str = "",
    next_step_due: date | None = None,
) -> ReportEntry:
    report = _locked(report)
    if report.purged_on:
        raise ReportError("This report's text was removed after its retention period.")
    _check_next_step(next_step, next_step_due, today=timezone.localdate())
    if next_step_due:
        report.next_step, report.next_step_due = next_step, next_step_due
        report.save(update_fields=["next_step", "next_step_due"])
    return _entry(report, Kind.NOTE, author=user, shared=shared, text=text)


@transaction.atomic
def report_escalate(*, report: Report, user, step: str, reason: str) -> Report:
    report = _locked(report)
    _require_open(report)
    if step not in escalation_path():
        raise ReportError(f"{step!r} is not on the escalation path.")
    report.status = Status.ESCALATED
    report.escalated_to = step
    report.save(update_fields=["status", "escalated_to"])
    _entry(report, Kind.ESCALATED, author=user, text=f"{step}: {reason}")
    return report


@transaction.atomic
def report_propose_resolution(*, report: Report, user, summary: str) -> Report:
    """Tell the reporter what was done and ask whether they agree it is resolved."""
    report = _locked(report)
    _require_open(report)
    report.status = Status.AWAITING_REPORTER
    report.reporter_agreement = Report.Agreement.NONE
    report.save(update_fields=["status", "reporter_agreement"])
    _entry(report, Kind.RESOLUTION_PROPOSED, author=user, shared=True, text=summary)
    return report


@transaction.atomic
def report_close(
    *, report: Report, user, outcome: str, summary: str, today: date | None = None
) -> Report:
    """Close with an outcome. "Resolved and agreed" comes only from the reporter."""
    report = _locked(report)
    _require_open(report)
    if outcome == Outcome.RESOLVED_AGREED or outcome not in Outcome.values:
        raise ReportError(
            "Only the reporter can agree that a report is resolved; "
            "choose another outcome."
        )
    _close(report, outcome, today or timezone.localdate())
    _entry(report, Kind.CLOSED, author=user, shared=True, text=summary)
    return report


def _close(report: Report, outcome: str, today: date) -> None:
    report.status = Status.CLOSED
    report.outcome = outcome
    report.closed_on = today
    report.next_step_due = None
    report.save()
    enqueue_on_commit("workforce.tasks.record_resolution_indicator")


@transaction.atomic
def report_reporter_reply(*, report: Report, text: str) -> ReportEntry:
    report = _locked(report)
    if report.purged_on:
        raise ReportError("This report is closed and its text was removed.")
    entry = _entry(report, Kind.REPLY, shared=True, text=text)
    enqueue_on_commit("workforce.tasks.notify_assigned_lead", report.pk)
    return entry


@transaction.atomic
def report_reporter_respond(
    *, report: Report, agrees: bool, comment: str = "", today: date | None = None
) -> Report:
    """The reporter's answer to a proposed resolution.

    Agreeing closes the report as "resolved and agreed"; disagreeing sends it
    back to the lead, still open, with the reporter's comment.
    """
    report = _locked(report)
    if report.status != Status.AWAITING_REPORTER:
        raise ReportError("There is no resolution waiting for your answer.")
    today = today or timezone.localdate()
    if agrees:
        report.reporter_agreement = Report.Agreement.AGREED
        _entry(report, Kind.REPORTER_AGREED, shared=True, text=comment, on=today)
        _close(report, Outcome.RESOLVED_AGREED, today)
    else:
        report.reporter_agreement = Report.Agreement.DISAGREED
        report.status = Status.ACKNOWLEDGED
        report.next_step = "Reply to the reporter, who does not agree it is resolved"
        report.next_step_due = add_working_days(today, acknowledge_days())
        report.save()
        _entry(report, Kind.REPORTER_DISAGREED, shared=True, text=comment, on=today)
    enqueue_on_commit("workforce.tasks.notify_assigned_lead", report.pk)
    return report


# --- reminders and retention --------------------------------------------------


def _site() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000")


def _email_leads(report: Report, subject: str, body: str) -> int:
    """To the assigned lead, or to every lead when nobody is assigned yet.

    Emails carry the reference and a link, never what happened."""
    recipients = (
        [report.assigned_to.email]
        if report.assigned_to and report.assigned_to.email
        else selectors.lead_emails()
    )
    if not recipients:
        return 0
    link = _site() + reverse("workforce:report_detail", args=[report.pk])
    send_mail(subject, f"{body}\n\n{link}\n", settings.DEFAULT_FROM_EMAIL, recipients)
    return 1


def report_notify_leads(*, report_id: int) -> int:
    report = Report.objects.select_related("assigned_to").get(pk=report_id)
    return _email_leads(
        report,
        f"New staff report {report.reference}",
        f"A new report of racism ({report.reference}) was received on "
        f"{report.received_on:%-d %B %Y}. Please acknowledge it by "
        f"{report.acknowledge_by:%-d %B %Y}.",
    )


def report_notify_assigned(*, report_id: int) -> int:
    report = Report.objects.select_related("assigned_to").get(pk=report_id)
    return _email_leads(
        report,
        f"Staff report {report.reference} needs you",
        f"Report {report.reference} was assigned to you or has a new reply.",
    )


def report_notify_reporter(*, report_id: int) -> int:
    """Tell a reporter who put their name to a report that a lead wrote to them."""
    report = Report.objects.select_related("reporter").get(pk=report_id)
    if report.reporter is None or not report.reporter.email:
        return 0
    link = _site() + reverse("workforce:follow_up")
    send_mail(
        f"An update on your report {report.reference}",
        f"A staff support lead has written to you about your report "
        f"{report.reference}. Read it with your reference and passcode at\n\n"
        f"{link}\n",
        settings.DEFAULT_FROM_EMAIL,
        [report.reporter.email],
    )
    return 1


def report_reminders_send(*, today: date | None = None) -> int:
    """Remind the assigned lead (or all leads) of overdue acknowledgements and
    next steps. Returns the number of emails sent."""
    today = today or timezone.localdate()
    sent = 0
    for report in selectors.reports_overdue(today=today):
        if not report.acknowledged_on:
            what = f"acknowledgement was due on {report.acknowledge_by:%-d %B %Y}"
        else:
            what = (
                f"the next step ({report.next_step or 'not named'}) was due on "
                f"{report.next_step_due:%-d %B %Y}"
            )
        sent += _email_leads(
            report,
            f"Overdue: staff report {report.reference}",
            f"Report {report.reference}: {what}.",
        )
    return sent


def retention_days() -> int:
    return int(getattr(settings, "WORKFORCE_REPORT_RETENTION_DAYS", 365))


@transaction.atomic
def reports_purge(*, today: date | None = None) -> int:
    """Remove the free text of reports closed more than the retention period ago.

    The coded fields stay for the statistics; so do the dates and outcome.
    The passcode stops working, and the reporter's link to an account goes.
    """
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=retention_days())
    due = Report.objects.filter(
        status=Status.CLOSED, closed_on__lte=cutoff, purged_on__isnull=True
    )
    ids = list(due.values_list("pk", flat=True))
    ReportEntry.objects.filter(report_id__in=ids).update(text="")
    ReportEntry.objects.filter(report_id__in=ids, kind=Kind.REPLY).delete()
    Report.objects.filter(pk__in=ids).update(
        what_happened="",
        impact="",
        resolution_sought="",
        contact_details="",
        location="",
        next_step="",
        passcode_hash="!",
        reporter=None,
        purged_on=today,
    )
    return len(ids)


# --- indicators ---------------------------------------------------------------


def resolution_indicator_record(*, today: date | None = None):
    """ "% of reported experiences of racism with an agreed resolution".

    Of the reports closed in the 12 months to ``today``, other than withdrawn
    ones, the share the reporter agreed were resolved. Written to aspiration
    4's indicator dated ``today``; nothing when fewer than 5 reports closed,
    or when those who agreed or those who did not number 1 to 4 (the share
    would give that small count away).
    """
    from programme.services import indicator_ensure, indicator_record_reading

    today = today or timezone.localdate()
    agreed, total = selectors.agreed_resolution_counts(
        start=today - timedelta(days=365), end=today
    )
    if total < RESOLUTION_INDICATOR_MIN or any(
        0 < part < RESOLUTION_INDICATOR_MIN for part in (agreed, total - agreed)
    ):
        # e.g. 80% of 5 would say that 1 reporter did not agree
        return None
    value = percent(agreed, total)
    with transaction.atomic():
        indicator = indicator_ensure(
            key=RESOLUTION_INDICATOR_KEY,
            aspiration_number=4,
            name="% of reported experiences of racism with an agreed resolution",
            unit="percent",
            higher_is_better=True,
            data_source="Staff experience reports (workforce app)",
        )
        return indicator_record_reading(
            indicator=indicator,
            value=value,
            taken_on=today,
            # no counts in the note: the Board reads it, and they may be small
            note="Of the reports closed in the 12 months to "
            f"{today:%-d %b %Y}, withdrawn ones left out; at least "
            f"{RESOLUTION_INDICATOR_MIN} agreed and not agreed (or none) are needed "
            "for a reading.",
        )


def workforce_indicators_record() -> list["IndicatorReading"]:
    """Feed each linked measure's minority-vs-White relative likelihood for the
    latest period to its aspiration's indicator (skipped when suppressed)."""
    from programme.services import indicator_ensure, indicator_record_reading
    from workforce import codes

    readings: list[IndicatorReading] = []
    period = selectors.latest_period()
    if period is None:
        return readings
    tables = {t.measure.code: t for t in selectors.measure_tables(period=period)}
    for link in IndicatorLink.objects.filter(enabled=True):
        table = tables.get(link.measure)
        measure = codes.measure_for(link.measure)
        if table is None or measure is None or table.minority is None:
            continue
        ratio = table.minority.relative_likelihood
        if ratio is None:
            continue
        with transaction.atomic():
            indicator = indicator_ensure(
                key=link.indicator_key,
                aspiration_number=link.aspiration_number,
                name=f"Relative likelihood: {measure.label.lower()} "
                "(SC-WRES, White and ethnic minority staff)",
                unit="ratio",
                higher_is_better=False,
                data_source="Workforce race equality import (workforce app)",
                target_value=1,
            )
            readings.append(
                indicator_record_reading(
                    indicator=indicator,
                    value=Decimal(str(round(ratio, 3))),
                    taken_on=table.period_end,
                    note=f"Period {period}. 1 means no difference.",
                )
            )
    return readings


# --- imports ------------------------------------------------------------------


def workforce_import(
    *, content: bytes, file_name: str, user=None, is_demo: bool = False
) -> WorkforceBatch:
    """Parse, validate, then write every row or none (ImportProblem lists why).

    A re-imported cell (same period, measure and group) takes the new values."""
    rows = importer.validate(importer.read(content, file_name))
    with transaction.atomic():
        batch = WorkforceBatch.objects.create(
            file_name=file_name[:200], imported_by=user, rows=len(rows), is_demo=is_demo
        )
        for row in rows:
            WorkforceFigure.objects.update_or_create(
                period=row.period,
                measure=row.measure,
                ethnicity=row.ethnicity,
                defaults={
                    "period_end": row.period_end,
                    "count": row.count,
                    "base": row.base,
                    "batch": batch,
                },
            )
        enqueue_on_commit("workforce.tasks.record_workforce_indicators", batch.pk)
    return batch
