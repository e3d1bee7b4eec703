"""Files made from a session: QR codes for its feedback link, a calendar entry."""

import io
from datetime import UTC, datetime
from urllib.parse import urlsplit

import segno
from django.conf import settings
from icalendar import Calendar, Event

from learning_spaces.models import LearningSession


def _qr(session: LearningSession) -> segno.QRCode:
    return segno.make(session.feedback_url(), error="m")


def qr_svg(session: LearningSession) -> str:
    """Inline SVG of the feedback link, titled for screen readers."""
    return _qr(session).svg_inline(
        scale=5, title=f"QR code for the feedback form: {session.feedback_url()}"
    )


def qr_svg_file(session: LearningSession) -> bytes:
    buffer = io.BytesIO()
    _qr(session).save(buffer, kind="svg", scale=10)
    return buffer.getvalue()


def qr_png(session: LearningSession) -> bytes:
    buffer = io.BytesIO()
    _qr(session).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def session_ics(session: LearningSession) -> bytes:
    """An iCalendar (.ics) file with one event for the session."""
    calendar = Calendar()
    calendar.add("prodid", "-//ARP tracker//Learning spaces//EN")
    calendar.add("version", "2.0")
    event = Event()
    host = urlsplit(settings.SITE_URL).hostname or "arp-tracker"
    event.add("uid", f"learning-session-{session.pk}@{host}")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    summary = f"Learning space: {session.space.name}"
    if session.topic:
        summary += f" – {session.topic}"
    event.add("summary", summary)
    location = session.venue or session.online_link
    if location:
        event.add("location", location)
    if session.online_link:
        event.add("url", session.online_link)
    event.add(
        "description",
        f"{session.space.get_audience_display()}. "
        f"{settings.SITE_URL}{session.get_absolute_url()}",
    )
    event.add(
        "status",
        "CANCELLED"
        if session.status == LearningSession.Status.CANCELLED
        else "CONFIRMED",
    )
    calendar.add_component(event)
    return calendar.to_ical()
