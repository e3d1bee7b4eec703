"""The programme: aspirations, indicators, achievements, actions and governance."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from arp.roles import user_can

USER = settings.AUTH_USER_MODEL


class Aspiration(models.Model):
    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    short_title = models.CharField(max_length=80, blank=True)
    title = models.CharField(max_length=400)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.short_title or self.title}"


class Workstream(models.Model):
    """An area of focus, e.g. Workforce development or Children's voice."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    lead = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        PERCENT = "percent", "Percentage"
        RATIO = "ratio", "Ratio"
        RATE_PER_10K = "rate_per_10k", "Rate per 10,000"

    key = models.SlugField(max_length=80, unique=True)
    aspiration = models.ForeignKey(
        Aspiration, on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    higher_is_better = models.BooleanField(default=True)
    data_source = models.CharField(max_length=200, blank=True)
    baseline_value = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(null=True, blank=True)
    target_value = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    target_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["aspiration__number", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programme:indicator_detail", args=[self.pk])


class IndicatorReading(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="readings"
    )
    value = models.DecimalField(max_digits=14, decimal_places=4)
    taken_on = models.DateField()
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "taken_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "taken_on"], name="one_reading_per_indicator_day"
            )
        ]
        indexes = [models.Index(fields=["indicator", "-taken_on"])]

    def __str__(self):
        return f"{self.indicator}: {self.value} on {self.taken_on:%d %b %Y}"


class TestimonialQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Contributors see every quote; the Board sees published ones only."""
        if user_can(user, "programme.contribute"):
            return self
        return self.filter(published=True)


class Testimonial(models.Model):
    __test__ = False  # tell pytest this is not a test class, despite its name

    class SourceType(models.TextChoices):
        OFSTED = "ofsted", "Ofsted"
        EXTERNAL_EVALUATION = "external_evaluation", "External evaluation"
        PRACTITIONER_FEEDBACK = "practitioner_feedback", "Practitioner feedback"
        CHILD_OR_YOUNG_PERSON = "child_or_young_person", "Child or young person"
        PARTNER = "partner", "Partner"

    quote = models.TextField()
    source_type = models.CharField(max_length=30, choices=SourceType.choices)
    source_detail = models.CharField(max_length=200, blank=True)
    quoted_on = models.DateField()
    consent_recorded = models.BooleanField(default=False)
    published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["-quoted_on", "-pk"]
        constraints = [
            # A person's words are published only with their consent; quotes
            # from published reports are public already.
            models.CheckConstraint(
                condition=Q(published=False)
                | Q(consent_recorded=True)
                | Q(source_type__in=["ofsted", "external_evaluation"]),
                name="programme_testimonial_published_needs_consent",
                violation_error_message="Record the person's consent before "
                "publishing their words.",
            )
        ]

    def __str__(self):
        return f"{self.get_source_type_display()}: {self.quote[:60]}"

    def get_absolute_url(self):
        return reverse("programme:testimonial_detail", args=[self.pk])


class AchievementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Contributors see every achievement; the Board sees published ones only."""
        if user_can(user, "programme.contribute"):
            return self
        return self.filter(status=Achievement.Status.PUBLISHED)


class Achievement(models.Model):
    class Reach(models.TextChoices):
        NATIONAL = "national", "National"
        REGIONAL = "regional", "Regional"
        COUNTYWIDE = "countywide", "Countywide"
        LOCAL = "local", "Local"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    summary = models.TextField()
    achieved_on = models.DateField()
    reach = models.CharField(max_length=20, choices=Reach.choices)
    aspirations = models.ManyToManyField(Aspiration, related_name="achievements")
    workstream = models.ForeignKey(
        Workstream,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="achievements",
    )
    evidence_url = models.URLField(max_length=500, blank=True)
    evidence_file = models.FileField(
        upload_to="programme/evidence/%Y/%m/", max_length=255, blank=True
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    return_comment = models.TextField(blank=True)
    created_by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="achievements"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = AchievementQuerySet.as_manager()

    class Meta:
        ordering = ["-achieved_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "-achieved_on"]),
            models.Index(fields=["reach", "-achieved_on"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programme:achievement_detail", args=[self.pk])


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        COMPLETE = "complete", "Complete"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    aspiration = models.ForeignKey(
        Aspiration, on_delete=models.PROTECT, related_name="actions"
    )
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField()
    next_review_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    corrective_action = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programme:action_detail", args=[self.pk])

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status != self.Status.COMPLETE and self.due_on < today


class ActionStatusChange(models.Model):
    """One status change on an action: who, when, from, to and why."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=Action.Status.choices)
    to_status = models.CharField(max_length=20, choices=Action.Status.choices)
    reason = models.TextField()
    corrective_action = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", "Governance board"
        STEERING = "steering", "Steering group"
        WORKING_GROUP = "working_group", "Working group"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    attendees = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    actions = models.ManyToManyField(Action, blank=True, related_name="meetings")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.held_on:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("programme:meeting_detail", args=[self.pk])


class LessonLearnt(models.Model):
    class Kind(models.TextChoices):
        WENT_WELL = "went_well", "What went well"
        COULD_BE_BETTER = "could_be_better", "What could have gone better"

    class Theme(models.TextChoices):
        ORGANISATIONAL_BUY_IN = "organisational_buy_in", "Organisational buy-in"
        POLICY = "policy", "Policy"
        GOVERNANCE_ROUTE = "governance_route", "Governance route"
        BENEFITS_REALISATION = "benefits_realisation", "Benefits realisation"
        EMOTIONAL_COST = "emotional_cost", "Emotional cost"
        RESOURCING = "resourcing", "Resourcing"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    theme = models.CharField(max_length=30, choices=Theme.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    recorded_on = models.DateField(default=timezone.localdate)
    actions = models.ManyToManyField(Action, blank=True, related_name="lessons")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name_plural = "lessons learnt"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programme:lesson_detail", args=[self.pk])


class TrainingEvent(models.Model):
    course = models.CharField(max_length=200)
    held_on = models.DateField()
    audience = models.CharField(max_length=200, blank=True)
    attended = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.course}, {self.held_on:%d %b %Y}"


class WorkforceHeadcount(models.Model):
    """How many staff a team had on a date (the denominator for % trained)."""

    team = models.CharField(max_length=120)
    quadrant = models.CharField(max_length=60, blank=True)
    headcount = models.PositiveIntegerField()
    as_of = models.DateField()

    class Meta:
        ordering = ["-as_of", "team"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "as_of"], name="one_headcount_per_team_day"
            )
        ]

    def __str__(self):
        return f"{self.team}: {self.headcount} on {self.as_of:%d %b %Y}"


class MeetingDecision(models.Model):
    """One decision of a meeting: what was decided, who owns it, what it raised."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decision_items"
    )
    text = models.TextField()
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actions = models.ManyToManyField(Action, blank=True, related_name="decisions")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.text[:80]


class BoardPackImmutable(Exception):
    """A stored board pack is a paper of record: it is never changed."""


class BoardPack(models.Model):
    """The pack a board meeting was given, stored once and never changed.

    The PDF's SHA-256 is kept beside it so anyone can check the file is the
    one the board read.
    """

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="board_pack"
    )
    pdf = models.FileField(upload_to="programme/board-packs/%Y/", max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    produced_at = models.DateTimeField(default=timezone.now)
    produced_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-produced_at"]

    def __str__(self):
        return f"Board pack for {self.meeting}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise BoardPackImmutable("A stored board pack cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise BoardPackImmutable("A stored board pack cannot be deleted.")


# Practice audits and the practice tools library live in their own modules
# inside this app; imported here so Django finds their models.
from programme.audits.models import (  # noqa: E402, F401
    Audit,
    AuditAnswer,
    AuditQuestion,
    AuditQuestionSet,
)
from programme.tools.models import (  # noqa: E402, F401
    SessionTool,
    Tool,
    ToolAudience,
    ToolDownloadMonth,
    ToolVersion,
)
