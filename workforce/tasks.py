"""Celery tasks: take ids, load, call a service. Queued after commit."""

from celery import shared_task

from workforce import services

LIMITS = {"time_limit": 300, "soft_time_limit": 240}


@shared_task(**LIMITS)
def notify_leads_of_report(report_id: int) -> int:
    """A new report: tell the leads (reference and link only, never the text)."""
    return services.report_notify_leads(report_id=report_id)


@shared_task(**LIMITS)
def notify_assigned_lead(report_id: int) -> int:
    return services.report_notify_assigned(report_id=report_id)


@shared_task(**LIMITS)
def notify_reporter(report_id: int) -> int:
    """A named reporter: a lead wrote to them (the email says only that)."""
    return services.report_notify_reporter(report_id=report_id)


@shared_task(**LIMITS)
def send_report_reminders() -> int:
    """Daily: overdue acknowledgements and next steps, to the assigned lead."""
    return services.report_reminders_send()


@shared_task(**LIMITS)
def purge_closed_reports() -> int:
    """Daily: remove the free text of reports closed past the retention period."""
    return services.reports_purge()


@shared_task(**LIMITS)
def record_resolution_indicator() -> int | None:
    """After a report closes: the agreed-resolution indicator (aspiration 4)."""
    reading = services.resolution_indicator_record()
    return reading.pk if reading else None


@shared_task(**LIMITS)
def record_workforce_indicators(batch_id: int) -> int:
    """After an import (``batch_id`` for the log): the linked measures' readings."""
    return len(services.workforce_indicators_record())
