"""One child's anonymous answers to a Proud to be Me session's form."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

CHILD_TEXT_MAX = 1000


class ChildFeedbackResponse(models.Model):
    """Anonymous: no user, address, browser or time of day; only the date.

    There is deliberately no consent-to-quote field: a child's words are read
    by staff running the group and never become a quote for the board.
    """

    class Three(models.IntegerChoices):
        NO = 1, "No"
        SOMETIMES = 2, "Sometimes or not sure"
        YES = 3, "Yes"

    session = models.ForeignKey(
        "learning_spaces.LearningSession",
        on_delete=models.PROTECT,
        related_name="child_responses",
    )
    enjoyed = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    proud = models.PositiveSmallIntegerField(choices=Three.choices)
    safe_to_talk = models.PositiveSmallIntegerField(choices=Three.choices)
    know_who_to_tell = models.PositiveSmallIntegerField(choices=Three.choices)
    my_identity = models.TextField(max_length=CHILD_TEXT_MAX, blank=True)
    racist_incident_support = models.TextField(max_length=CHILD_TEXT_MAX, blank=True)
    make_it_better = models.TextField(max_length=CHILD_TEXT_MAX, blank=True)
    submitted_on = models.DateField(default=timezone.localdate)
    form_token = models.UUIDField(unique=True, editable=False)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enjoyed__gte=1, enjoyed__lte=5)
                & models.Q(proud__gte=1, proud__lte=3)
                & models.Q(safe_to_talk__gte=1, safe_to_talk__lte=3)
                & models.Q(know_who_to_tell__gte=1, know_who_to_tell__lte=3),
                name="ls_child_response_scales",
            )
        ]

    def __str__(self):
        return f"Child response {self.pk}"
