"""A leader's self-evaluation for one round, and the reminders sent.

No history tables, no admin registration: the answers are the leader's own.
Deleting the leader's account deletes their reflections.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

REFLECTION_MAX = 4000


class SelfEvaluation(models.Model):
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    round_starts_on = models.DateField()
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["leader", "round_starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "round_starts_on"], name="one_self_evaluation_a_round"
            )
        ]

    def __str__(self):
        return f"Self-evaluation {self.pk}"  # never the leader's name


class SelfEvaluationAnswer(models.Model):
    evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.CharField(max_length=40)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reflection = models.TextField(max_length=REFLECTION_MAX, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "question"], name="one_answer_a_leader_question"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True)
                | models.Q(rating__gte=1, rating__lte=5),
                name="self_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return f"Answer {self.pk}"


class SelfEvaluationReminder(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", "Round opened"
        CLOSING = "closing", "Round closing"

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    round_starts_on = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "round_starts_on", "kind"],
                name="one_self_evaluation_reminder",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder, {self.round_starts_on:%b %Y}"
