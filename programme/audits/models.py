"""Audit question sets, audits and their answers.

An ``Audit`` never holds the case-system id: only ``reference``, a keyed hash
of it (see ``programme.audits.reference``), so re-audits of one case link up
while the id itself cannot be read back from the database.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from arp.roles import user_can
from disproportionality.taxonomy import CODE_LABELS

USER = settings.AUTH_USER_MODEL


class AuditQuestionSet(models.Model):
    """One version of the audit questions. Audits keep the version they used."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200, default="Racial lens practice audit")
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_audit_question_set",
            )
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"


class AuditQuestion(models.Model):
    question_set = models.ForeignKey(
        AuditQuestionSet, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField()
    # Stable across versions, so results line up when the wording changes.
    code = models.SlugField(max_length=60)
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    is_overall = models.BooleanField(
        default=False, help_text="The overall judgement that feeds aspiration 6."
    )

    class Meta:
        ordering = ["question_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "code"], name="audit_question_code_per_set"
            )
        ]

    def __str__(self):
        return self.text


class AuditQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Records: Programme admins see all, auditors their own, the Board none
        (it sees only the disclosure-controlled results)."""
        if user_can(user, "programme.manage"):
            return self
        if user_can(user, "programme.contribute"):
            return self.filter(auditor=user)
        return self.none()


class Audit(models.Model):
    class Stage(models.TextChoices):
        EARLY_HELP = "EH", "Early help"
        CIN = "CIN", "Child in Need"
        CP = "CP", "Child Protection"
        CLA = "CLA", "Child in Care"

    question_set = models.ForeignKey(
        AuditQuestionSet, on_delete=models.PROTECT, related_name="audits"
    )
    reference = models.CharField(
        max_length=64,
        db_index=True,
        help_text="Keyed hash of the case-system id; the id itself is not kept.",
    )
    team = models.CharField("team or quadrant", max_length=120)
    month = models.DateField(help_text="First day of the month audited.")
    ethnicity = models.CharField(
        "child's ethnicity (DfE code)", max_length=4, db_index=True
    )
    stage = models.CharField(max_length=3, choices=Stage.choices)
    learning = models.TextField(blank=True)
    auditor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="audits")
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False)
    lesson = models.ForeignKey(
        "programme.LessonLearnt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audits",
    )
    action = models.ForeignKey(
        "programme.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audits",
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-pk"]
        indexes = [models.Index(fields=["month", "team"])]

    def __str__(self):
        return f"Audit {self.short_reference}, {self.month:%b %Y}"

    def get_absolute_url(self):
        return reverse("programme:audit_detail", args=[self.pk])

    @property
    def ethnicity_label(self) -> str:
        return CODE_LABELS.get(self.ethnicity, self.ethnicity)

    @property
    def short_reference(self) -> str:
        """Enough of the hash to tell audits apart on a page; says nothing else."""
        return self.reference[:8].upper()


class AuditAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"
        NOT_APPLICABLE = "na", "Not applicable"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        AuditQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    answer = models.CharField(max_length=6, choices=Answer.choices)

    class Meta:
        ordering = ["audit", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "question"], name="one_answer_per_audit_question"
            )
        ]

    def __str__(self):
        return f"{self.question.code}: {self.answer}"
