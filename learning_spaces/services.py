"""Writes for learning spaces: feedback, scheduling, themes, quotes, indicators.

Every service takes keyword-only arguments, runs in a transaction and raises a
``LearningSpacesError`` subclass that views turn into a message.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from arp.celery import enqueue_on_commit
from arp.statistics import percent
from learning_spaces import downloads, redaction, selectors
from learning_spaces.insights import overall
from learning_spaces.models import FeedbackResponse, LearningSession, Space, Theme
from learning_spaces.scheduling import england_bank_holidays, next_working_day
from learning_spaces.taxonomy import DEFAULT_THEMES
from learning_spaces.themes import matching_theme_ids

# Below this many responses we show no averages, percentages or theme counts:
# with one or two people in a room, an average is somebody's answer.
MIN_GROUP_SIZE = selectors.MIN_GROUP_SIZE

CONFIDENCE_INDICATOR_KEY = "learning-spaces-increased-confidence"
CONFIDENCE_INDICATOR_ASPIRATION = 3
# Without a target the indicator's RAG is always grey ("No rating"). Three in
# four respondents more confident by the end of the programme's current plan.
CONFIDENCE_INDICATOR_TARGET = Decimal("75")
CONFIDENCE_INDICATOR_TARGET_DATE = date(2027, 3, 31)


class LearningSpacesError(Exception):
    """A request the learning spaces rules do not allow."""


class FeedbackClosed(LearningSpacesError):
    pass


class SessionStateError(LearningSpacesError):
    pass


class PromotionNotAllowed(LearningSpacesError):
    pass


class ReviewError(LearningSpacesError):
    pass


# --- Feedback ---------------------------------------------------------------


THEME_KEYWORDS_CACHE_KEY = "learning_spaces:theme-keywords"


def _theme_keywords() -> list[tuple[int, list[str]]]:
    """Active themes' keywords, cached (cleared whenever a theme is saved)."""
    themes = cache.get(THEME_KEYWORDS_CACHE_KEY)
    if themes is None:
        themes = [
            (theme.pk, theme.keyword_list())
            for theme in Theme.objects.filter(active=True)
        ]
        cache.set(THEME_KEYWORDS_CACHE_KEY, themes, timeout=300)
    return themes


def themes_suggest(*, text: str) -> list[int]:
    """Ids of active themes whose keywords appear in ``text``."""
    return matching_theme_ids(text, _theme_keywords())


@transaction.atomic
def themes_seed() -> int:
    """Create the default taxonomy's missing themes; returns how many were new."""
    created = 0
    for name, description, keywords in DEFAULT_THEMES:
        _, was_created = Theme.objects.get_or_create(
            name=name,
            defaults={"description": description, "keywords": "\n".join(keywords)},
        )
        created += was_created
    return created


def feedback_submit(
    *,
    session: LearningSession,
    answers: dict,
    form_token: uuid.UUID,
    today: date | None = None,
) -> FeedbackResponse | None:
    """Store one anonymous response with suggested themes.

    Returns None, storing nothing, when this form token was already used (a
    double click or a browser resubmit). Raises ``FeedbackClosed`` when the
    form is not open.
    """
    if session.feedback_state() != "open":
        raise FeedbackClosed("This feedback form is not open.")
    text = "\n".join(
        [answers.get("gained_most", ""), answers.get("do_differently", "")]
    )
    theme_ids = themes_suggest(text=text)
    try:
        with transaction.atomic():
            response = FeedbackResponse.objects.create(
                session=session,
                form_token=form_token,
                submitted_on=today or timezone.localdate(),
                **answers,
            )
            if theme_ids:
                # Straight inserts: the response is new, so set() would only
                # add a query per relation to look for existing links.
                suggested = FeedbackResponse.suggested_themes.through
                suggested.objects.bulk_create(
                    suggested(feedbackresponse=response, theme_id=pk)
                    for pk in theme_ids
                )
                chosen = FeedbackResponse.themes.through
                chosen.objects.bulk_create(
                    chosen(feedbackresponse=response, theme_id=pk) for pk in theme_ids
                )
    except IntegrityError:
        if FeedbackResponse.objects.filter(form_token=form_token).exists():
            return None
        raise
    return response


@transaction.atomic
def response_set_themes(*, response: FeedbackResponse, themes) -> FeedbackResponse:
    """Staff confirm or change a response's themes."""
    response.themes.set(themes)
    response.themes_reviewed_at = timezone.now()
    response.save(update_fields=["themes_reviewed_at"])
    return response


def response_promote(
    *, response: FeedbackResponse, quote: str, source_detail: str, user
):
    """Make a consented response into a programme Testimonial for the board.

    Raises ``PromotionNotAllowed`` without the author's consent or when it has
    already been promoted.
    """
    from programme.services import testimonial_create

    if response.session.space.audience == Space.Audience.PROUD_TO_BE_ME:
        # No review step exists for children's words, so none is ever quoted.
        raise PromotionNotAllowed(
            "Children's answers to Proud to be Me never go to the board as quotes."
        )
    with transaction.atomic():
        locked = FeedbackResponse.objects.select_for_update().get(pk=response.pk)
        if not locked.consent_to_quote:
            raise PromotionNotAllowed(
                "This person did not agree to be quoted, so their answer cannot "
                "go to the board."
            )
        if locked.quote_status != FeedbackResponse.QuoteStatus.APPROVED:
            raise PromotionNotAllowed(
                "Review the answer first: only an approved, redacted quote can "
                "become a testimonial."
            )
        if locked.testimonial_id:
            raise PromotionNotAllowed("This response is already a testimonial.")
        if not quote.strip():
            raise PromotionNotAllowed("The quote is empty.")
        testimonial = testimonial_create(
            quote=quote.strip(),
            source_type="practitioner_feedback",
            source_detail=source_detail,
            quoted_on=locked.submitted_on,
            consent_recorded=True,
            created_by=user,
            published=False,
        )
        locked.testimonial = testimonial
        locked.save(update_fields=["testimonial"])
    response.testimonial = testimonial
    return testimonial


# --- Quote review and retention ---------------------------------------------


def quote_original(response: FeedbackResponse) -> str:
    """The words a consented quote is made from, before redaction."""
    parts = [response.gained_most.strip(), response.do_differently.strip()]
    return "\n\n".join(p for p in parts if p)


def response_review(
    *,
    response: FeedbackResponse,
    approve: bool,
    quote_text: str = "",
    names_checked: bool = False,
) -> FeedbackResponse:
    """Approve a redacted version of a consented answer, or reject it.

    Until this runs nobody beyond staff reads the answer. Approving needs the
    person's consent and a non-empty redacted text; when the automatic name
    suggestions still find something in that text the reviewer must say they
    checked it (``names_checked``), so a name is never passed on by a slip.
    The reviewer is not stored on the response: nothing that points at a
    person is kept with an anonymous answer.
    """
    with transaction.atomic():
        locked = FeedbackResponse.objects.select_for_update().get(pk=response.pk)
        if not locked.consent_to_quote:
            raise ReviewError(
                "This person did not agree to be quoted, so there is nothing to review."
            )
        if locked.text_purged_on:
            raise ReviewError("The original answer has been deleted (retention).")
        if approve:
            text = quote_text.strip()
            if not text:
                raise ReviewError("Enter the redacted quote to approve.")
            left = redaction.suggest(text)
            if left and not names_checked:
                raise ReviewError(
                    "These may still be names: "
                    + ", ".join(f"“{s.text}”" for s in left)
                    + ". Redact them, or tick that you have checked they are not "
                    "names."
                )
            locked.quote_status = FeedbackResponse.QuoteStatus.APPROVED
            locked.quote_text = text
        else:
            locked.quote_status = FeedbackResponse.QuoteStatus.REJECTED
            locked.quote_text = ""
        locked.quote_reviewed_at = timezone.now()
        locked.save(
            update_fields=[
                "quote_status",
                "quote_text",
                "quote_reviewed_at",
            ]
        )
    return locked


def retention_days() -> int:
    return int(getattr(settings, "LEARNING_SPACES_TEXT_RETENTION_DAYS", 90))


def responses_purge_text(*, today: date | None = None) -> int:
    """Delete the original free text of responses older than the retention period.

    Ratings, themes and an approved redacted quote stay; the words people
    typed go. A consented answer not reviewed by then can no longer be, so
    its quote is marked expired. Returns how many responses were purged.
    """
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=retention_days())
    due = FeedbackResponse.objects.filter(
        submitted_on__lt=cutoff, text_purged_on__isnull=True
    )
    with transaction.atomic():
        due.filter(quote_status=FeedbackResponse.QuoteStatus.PENDING).update(
            quote_status=FeedbackResponse.QuoteStatus.EXPIRED
        )
        return due.update(
            gained_most="",
            do_differently="",
            could_be_better="",
            team="",
            text_purged_on=today,
        )


# --- Sessions ---------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleResult:
    created: list[LearningSession]
    already_scheduled: int


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def session_schedule_next(
    *, space: Space, count: int, today: date | None = None
) -> ScheduleResult:
    """Make sure the space's next ``count`` sessions are in the calendar.

    Dates follow the cadence from the space's first session (or from today
    when it has none), moved off weekends and England and Wales bank
    holidays to the next working day. A slot that already has a session
    within half a cadence of it counts as scheduled, so running this twice
    creates nothing new.
    """
    if count < 1:
        raise LearningSpacesError("Schedule at least one session.")
    today = today or timezone.localdate()
    with transaction.atomic():
        Space.objects.select_for_update().get(pk=space.pk)  # one scheduler at a time
        existing = sorted(
            _local_date(s) for s in space.sessions.values_list("starts_at", flat=True)
        )
        anchor = existing[0] if existing else today
        cadence = timedelta(weeks=space.cadence_weeks)
        tolerance = cadence / 2
        bank_holidays = england_bank_holidays(range(today.year - 1, today.year + 3))
        created: list[LearningSession] = []
        already = 0
        step = 1
        while len(created) + already < count:
            nominal = anchor + step * cadence
            step += 1
            day = next_working_day(nominal, bank_holidays)
            if day <= today:
                continue
            if any(abs(day - other) < tolerance for other in existing):
                already += 1
                continue
            starts_at = timezone.make_aware(
                datetime.combine(day, space.default_start_time)
            )
            session = LearningSession.objects.create(
                space=space,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=space.default_duration_minutes),
                venue=space.default_venue,
                online_link=space.default_online_link,
            )
            created.append(session)
            existing.append(day)
    return ScheduleResult(created=created, already_scheduled=already)


def session_mark_held(*, session: LearningSession, attendance: int) -> LearningSession:
    """Record that the session happened; facilitators get the feedback link."""
    if session.status == LearningSession.Status.CANCELLED:
        raise SessionStateError("A cancelled session cannot be marked as held.")
    if session.starts_at > timezone.now():
        raise SessionStateError("A session cannot be marked as held before it starts.")
    if attendance < 0:
        raise SessionStateError("Attendance cannot be negative.")
    with transaction.atomic():
        session.status = LearningSession.Status.HELD
        session.attendance = attendance
        session.save(update_fields=["status", "attendance"])
        if session.feedback_link_sent_at is None:
            # "To send" is the held session with no feedback_link_sent_at: if
            # the broker is down now, resend_feedback_links sends it later.
            enqueue_on_commit("learning_spaces.tasks.send_feedback_link", session.pk)
    return session


@transaction.atomic
def session_save(*, session: LearningSession) -> LearningSession:
    """Save a session added or edited by hand.

    A new session with neither venue nor online link takes its space's
    defaults, as scheduled sessions do, so its calendar file has a location.
    """
    if session.pk is None and not session.venue and not session.online_link:
        session.venue = session.space.default_venue
        session.online_link = session.space.default_online_link
    session.save()
    return session


@transaction.atomic
def session_cancel(*, session: LearningSession) -> LearningSession:
    if session.status == LearningSession.Status.HELD:
        raise SessionStateError("A session that has been held cannot be cancelled.")
    session.status = LearningSession.Status.CANCELLED
    session.save(update_fields=["status"])
    return session


# --- Emails -----------------------------------------------------------------


def _send_claimed(session: LearningSession, field: str, message: EmailMessage) -> bool:
    """Send once, and record it only after the email is handed over.

    The session row is locked while sending, so two runs never both send;
    if sending fails (EMAIL_TIMEOUT bounds it) nothing is recorded and the
    next run tries again.
    """
    if not message.to:
        return False
    with transaction.atomic():
        claimed = (
            LearningSession.objects.select_for_update(skip_locked=True)
            .filter(pk=session.pk, **{f"{field}__isnull": True})
            .exclude(status=LearningSession.Status.CANCELLED)
            .exists()
        )
        if not claimed:
            return False
        message.send()
        LearningSession.objects.filter(pk=session.pk).update(**{field: timezone.now()})
    return True


def feedback_links_resend(*, now: datetime | None = None) -> int:
    """Send the feedback link of every held session still "to send".

    Catches the sessions whose queued email never went (broker down when
    marked held, worker killed while sending). Only while the form is open.
    """
    now = now or timezone.now()
    due = LearningSession.objects.filter(
        status=LearningSession.Status.HELD, feedback_link_sent_at__isnull=True
    ).values_list("pk", "starts_at", "feedback_closes_after_days")
    sent = 0
    for pk, starts_at, days in due:
        if starts_at + timedelta(days=days) > now:
            sent += session_feedback_link_send(session_id=pk)
    return sent


def session_reminders_send(*, now: datetime | None = None) -> int:
    """Email facilitators of planned sessions starting in the next two days.

    Each session's reminder is sent once (``reminder_sent_at``).
    """
    now = now or timezone.now()
    due = (
        LearningSession.objects.filter(
            status=LearningSession.Status.PLANNED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=2),
        )
        .select_related("space", "facilitator")
        .prefetch_related("space__facilitators")
    )
    sent = 0
    for session in due:
        start = timezone.localtime(session.starts_at)
        body = (
            f"A reminder that {session.space.name} meets on "
            f"{start:%A %-d %B %Y at %H:%M}"
            f"{' at ' + session.venue if session.venue else ''}.\n\n"
            f"Topic: {session.topic or 'not set yet'}\n"
            f"Online link: {session.online_link or 'none'}\n\n"
            "Put this feedback link (or the QR code from the session page) on "
            f"your last slide:\n{session.feedback_url()}\n"
        )
        message = EmailMessage(
            subject=f"Reminder: {session.space.name} on {start:%-d %b %Y}",
            body=body,
            to=session.facilitator_emails(),
        )
        sent += _send_claimed(session, "reminder_sent_at", message)
    return sent


def session_feedback_link_send(*, session_id: int) -> bool:
    """Email facilitators the feedback link and QR code once a session is held."""
    session = (
        LearningSession.objects.select_related("space", "facilitator")
        .prefetch_related("space__facilitators")
        .get(pk=session_id)
    )
    closes = timezone.localtime(session.feedback_closes_at)
    message = EmailMessage(
        subject=f"Feedback link for {session}",
        body=(
            f"Thank you for running {session}.\n\n"
            f"Share this link with everyone who attended:\n{session.feedback_url()}\n\n"
            f"The form closes on {closes:%-d %B %Y}. The QR code is attached.\n"
        ),
        to=session.facilitator_emails(),
    )
    message.attach(
        f"feedback-qr-session-{session.pk}.png", downloads.qr_png(session), "image/png"
    )
    return _send_claimed(session, "feedback_link_sent_at", message)


# --- Feeding the programme ----------------------------------------------------


def last_complete_quarter(today: date) -> tuple[date, date]:
    """First and last day of the calendar quarter before the one ``today`` is in."""
    first_of_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_this - timedelta(days=1)
    start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return start, end


def confidence_indicator_record(
    *, quarter_end: date | None = None, today: date | None = None
):
    """Write the quarter's "% of respondents reporting increased confidence".

    Respondents are the responses to sessions held (not cancelled) in the
    quarter, by the session's date, so the figure matches that quarter's row
    on the insights page. "Increased" means confidence now is higher than
    before. The same small-group rule as the insights page applies: only
    sessions with at least ``MIN_GROUP_SIZE`` responses count; smaller
    sessions are left out entirely, so the reading cannot be compared with
    other figures to work out anyone's answers. Goes to aspiration 3's
    indicator, dated the quarter's last day. Returns the reading, or None
    when no session in the quarter had enough responses (too few to report).
    """
    from programme.services import indicator_ensure, indicator_record_reading

    if quarter_end is None:
        start, end = last_complete_quarter(today or timezone.localdate())
    else:
        end = quarter_end
        start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    summary = overall(
        selectors.session_totals(date_from=start, date_to=end),
        min_group=MIN_GROUP_SIZE,
    )
    if summary.suppressed:
        return None
    increased, total = summary.more_confident, summary.reported_responses
    value = percent(increased, total)
    note = (
        f"{increased} of {total} respondents to sessions held "
        f"{start:%-d %b %Y} to {end:%-d %b %Y}."
    )
    if summary.small_sessions:
        note += (
            f" {summary.small_sessions} session"
            f"{'s' if summary.small_sessions != 1 else ''} with fewer than "
            f"{MIN_GROUP_SIZE} responses left out."
        )
    with transaction.atomic():
        indicator = indicator_ensure(
            key=CONFIDENCE_INDICATOR_KEY,
            aspiration_number=CONFIDENCE_INDICATOR_ASPIRATION,
            name="% of learning-space respondents reporting increased confidence",
            unit="percent",
            higher_is_better=True,
            data_source="Learning space feedback forms (anonymous)",
            target_value=CONFIDENCE_INDICATOR_TARGET,
            target_date=CONFIDENCE_INDICATOR_TARGET_DATE,
        )
        return indicator_record_reading(
            indicator=indicator,
            value=value,
            taken_on=end,
            note=note,
        )
