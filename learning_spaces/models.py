"""Learning spaces: a series (Space), its sessions, feedback and themes.

Feedback is anonymous by design: a ``FeedbackResponse`` holds no user, IP
address, user agent or time of day — only the date it arrived.
"""

import secrets
from datetime import time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from arp.roles import user_can

SCALE = [MinValueValidator(1), MaxValueValidator(5)]
FREE_TEXT_MAX = 2000


def new_feedback_token() -> str:
    """An unguessable token for a session's public feedback link."""
    return secrets.token_urlsafe(24)


# No 0/O or 1/I/L: staff read references aloud and copy them by hand.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8


def new_response_reference() -> str:
    """A random reference for a response: unlike an id, it tells no arrival order."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class Space(models.Model):
    class Audience(models.TextChoices):
        LEADERS = "leaders", "Leaders"
        PRACTITIONERS = "practitioners", "Practitioners"
        GLOBAL_MAJORITY = "global_majority", "Global Majority Network"
        WHITE_LEADERS = "white_leaders", "White leaders' reflective space"
        PROUD_TO_BE_ME = (
            "proud_to_be_me",
            "Proud to be Me — children and young people",
        )

    name = models.CharField(max_length=120, unique=True)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    description = models.TextField(blank=True)
    cadence_weeks = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="How often the space meets, in weeks.",
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_spaces"
    )
    default_venue = models.CharField(max_length=200, blank=True)
    default_online_link = models.URLField(blank=True)
    default_start_time = models.TimeField(
        default=time(10, 0), help_text="Used when scheduling the next sessions."
    )
    default_duration_minutes = models.PositiveSmallIntegerField(
        default=120, validators=[MinValueValidator(15), MaxValueValidator(8 * 60)]
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning_spaces:space_detail", args=[self.pk])


class LearningSessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.filter(
            ends_at__gte=now, status=LearningSession.Status.PLANNED
        ).order_by("starts_at")

    def past(self, now=None):
        now = now or timezone.now()
        return self.filter(
            Q(ends_at__lt=now) | ~Q(status=LearningSession.Status.PLANNED)
        ).order_by("-starts_at")

    def visible_to(self, user):
        """Managers see every session; practitioners the upcoming ones they are
        offered (the sessions list), for the calendar file; others none."""
        if user_can(user, "learning_spaces.manage"):
            return self
        if user_can(user, "learning_spaces.view_sessions"):
            return self.upcoming()
        return self.none()


class LearningSession(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    topic = models.CharField(max_length=200, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_sessions",
    )
    capacity = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    attendance = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many attended, recorded once held."
    )
    feedback_token = models.CharField(
        max_length=64, unique=True, default=new_feedback_token, editable=False
    )
    feedback_closes_after_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    feedback_link_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LearningSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "starts_at"], name="ls_session_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="ls_session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.space.name} – {local:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("learning_spaces:session_detail", args=[self.pk])

    @property
    def feedback_opens_at(self):
        return self.starts_at

    @property
    def feedback_closes_at(self):
        return self.starts_at + timedelta(days=self.feedback_closes_after_days)

    def feedback_state(self, now=None) -> str:
        """``"open"``, ``"not_yet_open"`` or ``"closed"``."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED or now > self.feedback_closes_at:
            return "closed"
        if now < self.feedback_opens_at:
            return "not_yet_open"
        return "open"

    def feedback_path(self) -> str:
        return reverse("learning_spaces:feedback", args=[self.feedback_token])

    def feedback_url(self) -> str:
        return f"{settings.SITE_URL}{self.feedback_path()}"

    def facilitator_emails(self) -> list[str]:
        people = list(self.space.facilitators.all())
        if self.facilitator:
            people.append(self.facilitator)
        return sorted({p.email for p in people if p.email and p.is_active})


class Theme(models.Model):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    keywords = models.TextField(
        blank=True,
        help_text="One keyword or phrase per line (or comma-separated); "
        "matching ignores case.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        raw = self.keywords.replace(",", "\n").splitlines()
        return [k.strip().lower() for k in raw if k.strip()]


class FeedbackResponseQuerySet(models.QuerySet):
    def in_reportable_sessions(self, min_group: int):
        """Only responses whose session has at least ``min_group`` of them.

        The small-group rule for lists: reading one by one the answers of a
        session with one or two responses is as good as knowing who wrote them.
        """
        big_enough = (
            FeedbackResponse.objects.values("session_id")
            .annotate(n=models.Count("pk"))
            .filter(n__gte=min_group)
            .values("session_id")
        )
        return self.filter(session_id__in=big_enough)

    def approved_quotes(self):
        return self.filter(
            consent_to_quote=True,
            quote_status=FeedbackResponse.QuoteStatus.APPROVED,
        ).exclude(quote_text="")

    def awaiting_review(self):
        return self.filter(
            consent_to_quote=True, quote_status=FeedbackResponse.QuoteStatus.PENDING
        )


class FeedbackResponse(models.Model):
    """One anonymous answer to a session's feedback form.

    Deliberately no user, IP address, user agent or time of day: the date is
    enough for reporting and a timestamp could be matched against who left
    the room when.
    """

    class Role(models.TextChoices):
        PRACTITIONER = "practitioner", "Practitioner"
        MANAGER = "manager", "Manager"
        SENIOR_LEADER = "senior_leader", "Senior leader"
        OTHER = "other", "Other"

    class QuoteStatus(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        APPROVED = "approved", "Approved (redacted)"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Not reviewed before the original was deleted"

    reference = models.CharField(
        max_length=12, unique=True, default=new_response_reference, editable=False
    )
    session = models.ForeignKey(
        LearningSession, on_delete=models.PROTECT, related_name="responses"
    )
    rating = models.PositiveSmallIntegerField(validators=SCALE)
    confidence_before = models.PositiveSmallIntegerField(validators=SCALE)
    confidence_now = models.PositiveSmallIntegerField(validators=SCALE)
    gained_most = models.TextField(max_length=FREE_TEXT_MAX)
    do_differently = models.TextField(max_length=FREE_TEXT_MAX, blank=True)
    could_be_better = models.TextField(max_length=FREE_TEXT_MAX, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    team = models.CharField("quadrant or team", max_length=100, blank=True)
    consent_to_quote = models.BooleanField(default=False)
    submitted_on = models.DateField(default=timezone.localdate)
    # The form's one-time token: a browser resubmit or double click carries
    # the same value, and the unique constraint keeps it to one row even when
    # two requests race.
    form_token = models.UUIDField(unique=True, editable=False)
    suggested_themes = models.ManyToManyField(
        Theme, blank=True, related_name="suggested_for"
    )
    themes = models.ManyToManyField(
        Theme,
        blank=True,
        related_name="responses",
        help_text="Suggested by keywords until staff review them.",
    )
    themes_reviewed_at = models.DateTimeField(null=True, blank=True)
    testimonial = models.ForeignKey(
        "programme.Testimonial",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The edited quote made from this response for the board.",
    )
    # Review of a consented answer before anyone beyond staff reads it: the
    # redacted text is the only version the Board, the pack and exports see.
    quote_status = models.CharField(
        max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.PENDING
    )
    quote_text = models.TextField("redacted quote", blank=True)
    quote_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the retention task deleted the original free text.
    text_purged_on = models.DateField(null=True, blank=True, editable=False)

    objects = FeedbackResponseQuerySet.as_manager()

    class Meta:
        # By date, then by the random reference: never in arrival order.
        ordering = ["-submitted_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5)
                & Q(confidence_before__gte=1, confidence_before__lte=5)
                & Q(confidence_now__gte=1, confidence_now__lte=5),
                name="ls_response_scales_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Response {self.reference} to {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("learning_spaces:response_detail", args=[self.reference])

    @property
    def confidence_shift(self) -> int:
        return self.confidence_now - self.confidence_before


# Self-evaluation and the children's form live in their own modules; imported
# here so Django finds them.
from learning_spaces.children.models import ChildFeedbackResponse  # noqa: E402, F401
from learning_spaces.self_evaluation.models import (  # noqa: E402, F401
    SelfEvaluation,
    SelfEvaluationAnswer,
    SelfEvaluationReminder,
)
