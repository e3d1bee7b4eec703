"""Reports of racism experienced by staff, and aggregate workforce figures.

A report never holds an IP address, a user agent or a time of day: only dates.
An anonymous reporter is known by a random reference and a passcode, stored as a
hash with Django's password hashers. Workforce figures are aggregates only
(count and base per period, measure and ethnic group): no member of staff's row.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from workforce import codes

USER = settings.AUTH_USER_MODEL


class Report(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "Received, not yet acknowledged"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ESCALATED = "escalated", "Escalated"
        AWAITING_REPORTER = "awaiting_reporter", "Resolution proposed, awaiting reply"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        RESOLVED_AGREED = "resolved_agreed", "Resolved and agreed by the reporter"
        RESOLVED_NOT_AGREED = "resolved_not_agreed", "Resolved but not agreed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REFERRED = "referred", "Referred on"

    class Agreement(models.TextChoices):
        NONE = "", "Not asked yet"
        AGREED = "agreed", "Agrees it is resolved"
        DISAGREED = "disagreed", "Does not agree it is resolved"

    OPEN_STATUSES = (
        Status.NEW,
        Status.ACKNOWLEDGED,
        Status.ESCALATED,
        Status.AWAITING_REPORTER,
    )

    reference = models.CharField(max_length=12, unique=True)
    passcode_hash = models.CharField(max_length=200)
    # One-time form token: a resubmitted form stores nothing.
    form_token = models.UUIDField(unique=True, null=True, blank=True)
    # Only when a signed-in reporter chose to put their name to it.
    reporter = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    involvement = models.CharField(max_length=12, choices=codes.INVOLVEMENT)
    source = models.CharField(max_length=20, choices=codes.SOURCES)
    location = models.CharField("Team or quadrant", max_length=100, blank=True)
    occurred_month = models.DateField(help_text="First day of the month it happened.")
    what_happened = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    resolution_sought = models.TextField(blank=True)
    wants_contact = models.BooleanField(default=False)
    contact_details = models.CharField(max_length=200, blank=True)
    received_on = models.DateField()
    acknowledge_by = models.DateField()
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW)
    acknowledged_on = models.DateField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_step = models.CharField(max_length=200, blank=True)
    next_step_due = models.DateField(null=True, blank=True)
    escalated_to = models.CharField(max_length=100, blank=True)
    reporter_agreement = models.CharField(
        max_length=10, choices=Agreement, blank=True, default=Agreement.NONE
    )
    outcome = models.CharField(max_length=20, choices=Outcome, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    purged_on = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["status", "acknowledge_by"])]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("workforce:report_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def days_to(self, day) -> int | None:
        return (day - self.received_on).days if day else None


class ReportEntry(models.Model):
    """One line of a report's timeline: a note, a reply or a change of state."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ASSIGNED = "assigned", "Assigned"
        NOTE = "note", "Note"
        REPLY = "reply", "Reply from the reporter"
        ESCALATED = "escalated", "Escalated"
        RESOLUTION_PROPOSED = "resolution_proposed", "Resolution proposed"
        REPORTER_AGREED = "reporter_agreed", "Reporter agrees it is resolved"
        REPORTER_DISAGREED = "reporter_disagreed", "Reporter does not agree"
        CLOSED = "closed", "Closed"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind)
    # The lead who wrote it; empty for the reporter and for the system.
    author = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared = models.BooleanField(
        default=False, help_text="Shown to the reporter on their follow-up page."
    )
    text = models.TextField(blank=True)
    written_on = models.DateField()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "report entries"

    def __str__(self):
        return f"{self.report} {self.get_kind_display()}"


class ReportView(models.Model):
    """Every time a lead opens a report: who and when."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-viewed_at"]

    def __str__(self):
        return (
            f"{self.report} viewed by {self.viewer} at {self.viewed_at:%Y-%m-%d %H:%M}"
        )


class WorkforceBatch(models.Model):
    file_name = models.CharField(max_length=200)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.PositiveIntegerField(default=0)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name_plural = "workforce batches"

    def __str__(self):
        return f"{self.file_name} ({self.rows} rows)"


class WorkforceFigure(models.Model):
    """One aggregate cell: how many of a group, out of what base, in a period."""

    period = models.CharField(max_length=10)
    period_end = models.DateField()
    measure = models.CharField(max_length=60)
    ethnicity = models.CharField(max_length=10)
    count = models.PositiveIntegerField()
    base = models.PositiveIntegerField(null=True, blank=True)
    batch = models.ForeignKey(
        WorkforceBatch, on_delete=models.CASCADE, related_name="figures"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "measure", "ethnicity"],
                name="wf_figure_unique_cell",
            )
        ]
        ordering = ["period_end", "measure", "ethnicity"]

    def __str__(self):
        return (
            f"{self.period} {self.measure} {self.ethnicity}: {self.count}/{self.base}"
        )


class IndicatorLink(models.Model):
    """A workforce measure the programme chose to feed to one of its indicators.

    After every import the minority-vs-White relative likelihood for the latest
    period is recorded on the aspiration's indicator (when not suppressed).
    """

    measure = models.CharField(max_length=60, unique=True)
    aspiration_number = models.PositiveSmallIntegerField(
        choices=[(2, "2 Skilled, confident workforce"), (4, "4 Sharing experiences")]
    )
    enabled = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.measure} → aspiration {self.aspiration_number}"

    def clean(self):
        from django.core.exceptions import ValidationError

        measure = codes.measure_for(self.measure)
        if measure is None or measure.kind == codes.REPRESENTATION:
            raise ValidationError(
                {"measure": "Choose a measure with a relative likelihood, e.g. cpd."}
            )

    @property
    def indicator_key(self) -> str:
        return f"workforce-{self.measure.replace('_', '-')}-relative-likelihood"
