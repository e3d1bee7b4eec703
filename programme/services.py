"""Writes for the programme.

Every service takes keyword-only arguments, runs in a transaction and raises a
``ProgrammeError`` subclass that views turn into a message. Other apps call
``indicator_ensure``, ``indicator_record_reading`` and ``testimonial_create``
(the cross-app contract); nothing else here is public to them.
"""

import hashlib
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from arp.roles import user_can
from programme import evidence, selectors
from programme.aspirations import ASPIRATIONS
from programme.history import save_with_history
from programme.models import (
    Achievement,
    Action,
    ActionStatusChange,
    Aspiration,
    BoardPack,
    Indicator,
    IndicatorReading,
    LessonLearnt,
    Meeting,
    MeetingDecision,
    Testimonial,
    TrainingEvent,
    WorkforceHeadcount,
)


class ProgrammeError(Exception):
    """A request the programme's rules do not allow."""


class InvalidTransition(ProgrammeError):
    pass


# --- Aspirations ------------------------------------------------------------


@transaction.atomic
def aspirations_ensure() -> list[Aspiration]:
    """Create any of the six aspirations that do not exist yet (never overwrites)."""
    result = []
    for number, (short_title, title) in ASPIRATIONS.items():
        aspiration, _ = Aspiration.objects.get_or_create(
            number=number, defaults={"short_title": short_title, "title": title}
        )
        result.append(aspiration)
    return result


def _aspiration_for_number(number: int) -> Aspiration:
    if number not in ASPIRATIONS:
        raise ValueError(f"aspiration_number must be 1 to 6, not {number!r}")
    short_title, title = ASPIRATIONS[number]
    aspiration, _ = Aspiration.objects.get_or_create(
        number=number, defaults={"short_title": short_title, "title": title}
    )
    return aspiration


# --- Indicators (cross-app contract) -----------------------------------------


@transaction.atomic
def indicator_ensure(
    *,
    key: str,
    aspiration_number: int,
    name: str,
    unit: str,
    higher_is_better: bool,
    data_source: str,
    target_value=None,
    target_date: date | None = None,
) -> Indicator:
    """Get the indicator with slug ``key``, creating it with these details if new.

    An existing indicator is returned unchanged: Programme admins may have
    edited its name, target or aspiration since, and their edits win. The one
    exception: an indicator created before its feed had a target, which has
    neither target value nor date, gets this target (without one its RAG is
    always grey). The aspiration is created from the programme's own wording
    if it is missing.
    """
    if unit not in Indicator.Unit.values:
        raise ValueError(f"unit must be one of {Indicator.Unit.values}, not {unit!r}")
    existing = Indicator.objects.filter(key=key).first()
    if existing is not None:
        never_had_target = existing.target_value is None and not existing.target_date
        if never_had_target and target_value is not None:
            existing.target_value = _decimal(target_value)
            existing.target_date = target_date
            existing.save(update_fields=["target_value", "target_date"])
        return existing
    indicator = Indicator(
        key=key,
        aspiration=_aspiration_for_number(aspiration_number),
        name=name,
        unit=unit,
        higher_is_better=higher_is_better,
        data_source=data_source,
        target_value=_decimal(target_value) if target_value is not None else None,
        target_date=target_date,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


INDICATOR_FIELDS = (
    "aspiration",
    "name",
    "key",
    "unit",
    "higher_is_better",
    "data_source",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
)


@transaction.atomic
def indicator_save(*, indicator: Indicator, user, **fields) -> Indicator:
    """Add (``indicator`` unsaved) or edit an indicator by hand (Programme admins).

    A baseline and a target each need both a value and a date, or neither,
    and the target comes after the baseline: the RAG rating measures the
    distance from one to the other. Nothing is written otherwise.
    """
    if not user_can(user, "programme.manage"):
        raise ProgrammeError("Only Programme admins change indicators.")
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Not an indicator field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(indicator, name, value)
    for value, day in (
        (indicator.baseline_value, indicator.baseline_date),
        (indicator.target_value, indicator.target_date),
    ):
        if (value is None) != (day is None):
            raise ProgrammeError("Give both the value and the date, or neither.")
    if (
        indicator.baseline_date
        and indicator.target_date
        and indicator.target_date <= indicator.baseline_date
    ):
        raise ProgrammeError("The target date must be after the baseline date.")
    if not indicator.key:
        raise ProgrammeError("Give the indicator a key.")
    if Indicator.objects.filter(key=indicator.key).exclude(pk=indicator.pk).exists():
        raise ProgrammeError("Another indicator already uses this key.")
    save_with_history(indicator, user=user)
    return indicator


def _decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        # str() first so that 0.1 becomes Decimal("0.1"), not its binary expansion
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{value!r} is not a number") from exc


@transaction.atomic
def indicator_record_reading(
    *,
    indicator: Indicator,
    value: Decimal | float,
    taken_on: date,
    note: str = "",
    entered_by=None,
) -> IndicatorReading:
    """Record ``value`` for ``indicator`` on ``taken_on``; replaces that day's value.

    One reading per indicator per day: a second call for the same day updates
    the reading in place, and django-simple-history keeps the earlier value.
    """
    value = _decimal(value)
    reading = (
        IndicatorReading.objects.select_for_update()
        .filter(indicator=indicator, taken_on=taken_on)
        .first()
    )
    if reading is None:
        reading = IndicatorReading(indicator=indicator, taken_on=taken_on)
    reading.value = value
    reading.note = note
    reading.entered_by = entered_by
    reading.save()
    return reading


# --- Testimonials (cross-app contract) ---------------------------------------


PUBLIC_SOURCES = frozenset(
    {Testimonial.SourceType.OFSTED, Testimonial.SourceType.EXTERNAL_EVALUATION}
)


def testimonial_may_publish(*, source_type: str, consent_recorded: bool) -> bool:
    return consent_recorded or source_type in PUBLIC_SOURCES


@transaction.atomic
def testimonial_create(
    *,
    quote: str,
    source_type: str,
    source_detail: str,
    quoted_on: date,
    consent_recorded: bool,
    created_by=None,
    published: bool = False,
) -> Testimonial:
    """Add a quote to the testimonials register.

    Publishing a person's words needs their consent; quotes from published
    reports (Ofsted, the external evaluation) are public already.
    """
    if source_type not in Testimonial.SourceType.values:
        raise ValueError(f"Unknown testimonial source type {source_type!r}")
    if not quote.strip():
        raise ValueError("A testimonial needs a quote")
    if published and not testimonial_may_publish(
        source_type=source_type, consent_recorded=consent_recorded
    ):
        raise ProgrammeError("A quote can only be published when consent is recorded.")
    return Testimonial.objects.create(
        quote=quote.strip(),
        source_type=source_type,
        source_detail=source_detail,
        quoted_on=quoted_on,
        consent_recorded=consent_recorded,
        published=published,
        created_by=created_by,
        created_at=timezone.now(),
    )


TESTIMONIAL_FIELDS = (
    "quote",
    "source_type",
    "source_detail",
    "quoted_on",
    "consent_recorded",
    "published",
)


def testimonial_update(*, testimonial: Testimonial, user, **fields) -> Testimonial:
    """Change a quote in the register.

    Only someone who may publish can publish or keep publishing: any change a
    non-admin makes to a published quote sends it back to review, unpublished,
    so new wording (or consent taken away) never reaches the board unchecked.
    A published quote needs consent or a public source; the database enforces
    the same rule (``programme_testimonial_published_needs_consent``).
    """
    unknown = set(fields) - set(TESTIMONIAL_FIELDS)
    if unknown:
        raise ValueError(f"Unknown testimonial fields {sorted(unknown)}")
    may_publish = user_can(user, "programme.publish")
    with transaction.atomic():
        locked = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
        if not may_publish:
            fields.pop("published", None)
        if "quote" in fields:
            fields["quote"] = fields["quote"].strip()
            if not fields["quote"]:
                raise ProgrammeError("A testimonial needs a quote.")
        changed = [k for k, v in fields.items() if getattr(locked, k) != v]
        for name in changed:
            setattr(locked, name, fields[name])
        if changed and locked.published and not may_publish:
            locked.published = False
            changed.append("published")
        if locked.published and not testimonial_may_publish(
            source_type=locked.source_type, consent_recorded=locked.consent_recorded
        ):
            raise ProgrammeError(
                "Record the person's consent before publishing their words."
            )
        if changed:
            locked.save(update_fields=sorted(set(changed)))
    return locked


# --- Achievements --------------------------------------------------------------

ACHIEVEMENT_FIELDS = (
    "title",
    "summary",
    "achieved_on",
    "reach",
    "workstream",
    "evidence_url",
    "evidence_file",
)


def _check_achievement(fields: dict) -> None:
    """The rules on what an achievement records, whichever page or task sends it."""
    achieved_on = fields.get("achieved_on")
    if achieved_on and achieved_on > timezone.localdate():
        raise ProgrammeError("The date achieved cannot be in the future.")
    upload = fields.get("evidence_file")
    if isinstance(upload, UploadedFile):
        try:
            evidence.check_evidence_file(upload)
        except evidence.EvidenceError as exc:
            raise ProgrammeError(str(exc)) from exc


@transaction.atomic
def achievement_create(
    *, user, aspirations, submit: bool = False, **fields
) -> Achievement:
    """Log a new achievement as the user's draft (or submitted straight away)."""
    _check_achievement(fields)
    achievement = Achievement(created_by=user, created_at=timezone.now())
    for name in ACHIEVEMENT_FIELDS:
        if name in fields:
            setattr(achievement, name, fields[name])
    if submit:
        achievement.status = Achievement.Status.SUBMITTED
        achievement.submitted_at = timezone.now()
    save_with_history(achievement, user=user, reason="Created")
    achievement.aspirations.set(aspirations)
    return achievement


@transaction.atomic
def achievement_update(
    *, achievement: Achievement, user, aspirations, submit: bool = False, **fields
) -> Achievement:
    """Save an edit; with ``submit``, a draft is also sent for publication, in
    the same transaction (a submitted or published one is only saved)."""
    if not selectors.achievement_can_change(user, achievement):
        raise ProgrammeError("You cannot edit this achievement.")
    _check_achievement(fields)
    for name in ACHIEVEMENT_FIELDS:
        if name in fields:
            setattr(achievement, name, fields[name])
    save_with_history(achievement, user=user, reason="Edited")
    achievement.aspirations.set(aspirations)
    if submit and achievement.status == Achievement.Status.DRAFT:
        achievement_submit(achievement=achievement, user=user)
    return achievement


@transaction.atomic
def achievement_submit(*, achievement: Achievement, user) -> Achievement:
    """Send a draft to the Programme admins for publication."""
    if not selectors.achievement_can_change(user, achievement):
        raise ProgrammeError("You cannot submit this achievement.")
    if achievement.status != Achievement.Status.DRAFT:
        raise InvalidTransition("Only a draft can be submitted.")
    achievement.status = Achievement.Status.SUBMITTED
    achievement.submitted_at = timezone.now()
    save_with_history(achievement, user=user, reason="Submitted for publication")
    return achievement


@transaction.atomic
def achievement_publish(*, achievement: Achievement, user) -> Achievement:
    """Publish a submitted achievement so the Board sees it."""
    if not user_can(user, "programme.publish"):
        raise ProgrammeError("Only Programme admins publish achievements.")
    if achievement.status != Achievement.Status.SUBMITTED:
        raise InvalidTransition("Only a submitted achievement can be published.")
    achievement.status = Achievement.Status.PUBLISHED
    achievement.published_at = timezone.now()
    achievement.published_by = user
    achievement.return_comment = ""
    save_with_history(achievement, user=user, reason="Published")
    return achievement


@transaction.atomic
def achievement_return(*, achievement: Achievement, user, comment: str) -> Achievement:
    """Send a submitted (or published) achievement back to its author as a draft."""
    if not user_can(user, "programme.publish"):
        raise ProgrammeError("Only Programme admins return achievements.")
    if achievement.status == Achievement.Status.DRAFT:
        raise InvalidTransition("This achievement is already a draft.")
    comment = comment.strip()
    if not comment:
        raise ProgrammeError("Say what needs to change before returning it.")
    achievement.status = Achievement.Status.DRAFT
    achievement.return_comment = comment
    achievement.published_at = None
    achievement.published_by = None
    save_with_history(achievement, user=user, reason=f"Returned: {comment}"[:100])
    return achievement


# --- Actions ---------------------------------------------------------------------

ACTION_FIELDS = (
    "title",
    "description",
    "aspiration",
    "owner",
    "due_on",
    "next_review_on",
)


@transaction.atomic
def action_create(*, user, **fields) -> Action:
    action = Action(created_by=user, created_at=timezone.now())
    for name in ACTION_FIELDS:
        if name in fields:
            setattr(action, name, fields[name])
    save_with_history(action, user=user, reason="Created")
    return action


@transaction.atomic
def action_update(*, action: Action, user, **fields) -> Action:
    if not selectors.action_can_change(user, action):
        raise ProgrammeError(
            "Only the action's owner or a Programme admin can edit it."
        )
    for name in ACTION_FIELDS:
        if name in fields:
            setattr(action, name, fields[name])
    save_with_history(action, user=user, reason="Edited")
    return action


@transaction.atomic
def action_change_status(
    *,
    action: Action,
    user,
    to_status: str,
    reason: str,
    corrective_action: str = "",
    completed_on: date | None = None,
) -> ActionStatusChange:
    """Move an action to a new status, recording who, when, from, to and why.

    Every change needs a reason; ``Off track`` needs a corrective action;
    ``Complete`` records the completion date (today unless given, never in
    the future). Leaving ``Complete`` clears the completion date.
    """
    if not selectors.action_can_change(user, action):
        raise ProgrammeError(
            "Only the action's owner or a Programme admin can do that."
        )
    if to_status not in Action.Status.values:
        raise ProgrammeError(f"Unknown status {to_status!r}.")
    reason = reason.strip()
    corrective_action = corrective_action.strip()
    if not reason:
        raise ProgrammeError("Give a reason for the change of status.")
    if to_status == action.status:
        raise InvalidTransition("The action already has that status.")
    if to_status == Action.Status.OFF_TRACK and not corrective_action:
        raise ProgrammeError("An action that is off track needs a corrective action.")
    today = timezone.localdate()
    if to_status == Action.Status.COMPLETE:
        completed_on = completed_on or today
        if completed_on > today:
            raise ProgrammeError("The completion date cannot be in the future.")
    else:
        completed_on = None
    change = ActionStatusChange.objects.create(
        action=action,
        from_status=action.status,
        to_status=to_status,
        reason=reason,
        corrective_action=corrective_action,
        changed_by=user,
        changed_at=timezone.now(),
    )
    action.status = to_status
    action.completed_on = completed_on
    if corrective_action:
        action.corrective_action = corrective_action
    save_with_history(action, user=user, reason=reason[:100])
    return change


# --- Plain registers: meetings, lessons learnt, training, headcounts -------------

RegisterEntry = Meeting | LessonLearnt | TrainingEvent | WorkforceHeadcount
REGISTER_MODELS = (Meeting, LessonLearnt, TrainingEvent, WorkforceHeadcount)


@transaction.atomic
def register_entry_save(*, entry: RegisterEntry, user, **fields) -> RegisterEntry:
    """Add (``entry`` unsaved) or edit a plain register entry.

    ``fields`` are the entry's own fields and its many-to-many links (a
    meeting's or lesson's ``actions``). Only the Steering group and Programme
    admins add; only the entry's author or a Programme admin edits; training
    is recorded once it has taken place. Nothing is written otherwise.
    """
    if not isinstance(entry, REGISTER_MODELS):
        raise TypeError(f"{type(entry).__name__} is not a plain register.")
    if not user_can(user, "programme.contribute"):
        raise ProgrammeError("Only the Steering group and Programme admins do that.")
    if entry.pk and not selectors.register_entry_can_change(user, entry):
        raise ProgrammeError("Only whoever added this, or a Programme admin, edits it.")
    links = {f.name for f in entry._meta.many_to_many}
    own = {f.name for f in entry._meta.concrete_fields} - {"id", "created_by"}
    unknown = set(fields) - links - own
    if unknown:
        raise TypeError(f"Not a field of {type(entry).__name__}: {sorted(unknown)}")
    for name in own & set(fields):
        setattr(entry, name, fields[name])
    if isinstance(entry, TrainingEvent) and entry.held_on > timezone.localdate():
        raise ProgrammeError("Record training once it has taken place.")
    if entry.pk is None and hasattr(entry, "created_by_id"):
        entry.created_by = user
    entry.save()
    for name in links & set(fields):
        getattr(entry, name).set(fields[name])
    return entry


# --- Meetings: decisions, actions raised, the pack of record ---------------------


@transaction.atomic
def meeting_decision_add(
    *, meeting: Meeting, user, text: str, owner=None
) -> MeetingDecision:
    """Record one decision of ``meeting`` (text and an optional owner)."""
    if not user_can(user, "programme.contribute"):
        raise ProgrammeError("Only the Steering group and Programme admins do that.")
    text = text.strip()
    if not text:
        raise ProgrammeError("Write the decision.")
    decision = MeetingDecision(meeting=meeting, text=text, owner=owner, created_by=user)
    save_with_history(decision, user=user, reason="Decision recorded")
    return decision


@transaction.atomic
def meeting_action_raise(
    *, meeting: Meeting, user, decision: MeetingDecision | None = None, **fields
) -> Action:
    """Raise an action at ``meeting`` (optionally from one of its decisions).

    The action is made by ``action_create``, like any other, then linked to the
    meeting as an action arising and to the decision it came from.
    """
    if not user_can(user, "programme.contribute"):
        raise ProgrammeError("Only the Steering group and Programme admins do that.")
    if decision is not None and decision.meeting_id != meeting.pk:
        raise ProgrammeError("That decision belongs to another meeting.")
    action = action_create(user=user, **fields)
    meeting.actions.add(action)
    if decision is not None:
        decision.actions.add(action)
    return action


@transaction.atomic
def board_pack_store(
    *, meeting: Meeting, pdf: bytes, period_start: date, period_end: date, user
) -> BoardPack:
    """Store ``pdf`` as the pack ``meeting`` was given, with its SHA-256.

    A meeting has one pack of record: asking again once it is stored raises
    ``ProgrammeError`` and the stored file stays as it was.
    """
    if not user_can(user, "programme.contribute"):
        raise ProgrammeError("Only the Steering group and Programme admins do that.")
    if meeting.kind != Meeting.Kind.BOARD:
        raise ProgrammeError("Only a governance board meeting has a board pack.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if BoardPack.objects.filter(meeting=meeting).exists():
        raise ProgrammeError(
            "This meeting's pack is already stored; papers of record do not change."
        )
    if not pdf.startswith(b"%PDF-"):
        raise ProgrammeError("The board pack must be a PDF.")
    pack = BoardPack(
        meeting=meeting,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        period_start=period_start,
        period_end=period_end,
        produced_by=user,
        produced_at=timezone.now(),
    )
    name = f"board-pack-{meeting.held_on:%Y-%m-%d}-meeting-{meeting.pk}.pdf"
    pack.pdf.save(name, ContentFile(pdf), save=False)
    pack.save()
    return pack


# --- Training coverage --------------------------------------------------------

TRAINED_INDICATOR_KEY = "workforce-trained-percent"


@transaction.atomic
def training_coverage_record(*, as_of: date, user=None) -> IndicatorReading:
    """Write % of workforce trained on ``as_of`` as a reading of aspiration 2.

    Raises ``ProgrammeError`` when no headcount is recorded on or before then.
    """
    from programme.selectors import training_coverage

    coverage = training_coverage(as_of=as_of)
    if coverage.percent is None:
        raise ProgrammeError(
            "Record the workforce headcount before working out % trained."
        )
    indicator = indicator_ensure(
        key=TRAINED_INDICATOR_KEY,
        aspiration_number=2,
        name="% of workforce trained in anti-racist practice",
        unit="percent",
        higher_is_better=True,
        data_source="Training events register and workforce headcount",
    )
    return indicator_record_reading(
        indicator=indicator,
        value=coverage.percent,
        taken_on=as_of,
        note=(
            f"{coverage.attended} attendances against a workforce of "
            f"{coverage.headcount}."
        ),
        entered_by=user,
    )


# --- Reminders ------------------------------------------------------------------

REMINDER_WINDOW_DAYS = 14


def action_reminders_send(*, today: date | None = None) -> int:
    """Email each owner their open actions due within 14 days or overdue.

    One email per owner with an address; returns how many were sent.
    """
    from programme.selectors import actions_needing_reminder

    today = today or timezone.localdate()
    sent = 0
    for owner, actions in actions_needing_reminder(
        today=today, window_days=REMINDER_WINDOW_DAYS
    ):
        if not owner.email:
            continue
        body = render_to_string(
            "programme/email/action_reminder.txt",
            {"owner": owner, "actions": actions, "today": today, "site": _site()},
        )
        send_mail(
            subject=f"ARP actions: {len(actions)} due soon or overdue",
            message=body,
            from_email=None,
            recipient_list=[owner.email],
        )
        sent += 1
    return sent


def publication_queue_reminder_send() -> int:
    """Email Programme admins the achievements waiting to be published.

    Sends nothing when the queue is empty; returns how many emails were sent.
    """
    from programme.selectors import programme_admin_emails

    waiting = list(
        Achievement.objects.filter(status=Achievement.Status.SUBMITTED)
        .select_related("created_by")
        .order_by("submitted_at", "pk")
    )
    if not waiting:
        return 0
    recipients = programme_admin_emails()
    body = render_to_string(
        "programme/email/publication_queue.txt",
        {"achievements": waiting, "site": _site()},
    )
    for address in recipients:
        send_mail(
            subject=f"ARP: {len(waiting)} achievement(s) waiting to be published",
            message=body,
            from_email=None,
            recipient_list=[address],
        )
    return len(recipients)


def _site() -> str:
    return settings.SITE_URL
