"""Reads for children's answers: per session for staff, totals for figures."""

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from learning_spaces.children.insights import ChildSessionTotals
from learning_spaces.children.models import ChildFeedbackResponse
from learning_spaces.models import LearningSession, Space

YES = ChildFeedbackResponse.Three.YES


def session_child_responses(session: LearningSession) -> QuerySet:
    return session.child_responses.order_by("-submitted_on", "pk")


def child_session_totals() -> list[ChildSessionTotals]:
    """One row per Proud to be Me session that has children's answers (1 query)."""
    rows = (
        LearningSession.objects.filter(space__audience=Space.Audience.PROUD_TO_BE_ME)
        .exclude(status=LearningSession.Status.CANCELLED)
        .annotate(
            n=Count("child_responses"),
            enjoyed=Sum("child_responses__enjoyed"),
            proud=Count("child_responses", filter=Q(child_responses__proud=YES)),
            safe=Count("child_responses", filter=Q(child_responses__safe_to_talk=YES)),
            know=Count(
                "child_responses", filter=Q(child_responses__know_who_to_tell=YES)
            ),
        )
        .filter(n__gt=0)
        .order_by("starts_at")
        .values("pk", "starts_at", "n", "enjoyed", "proud", "safe", "know")
    )
    return [
        ChildSessionTotals(
            session_id=r["pk"],
            day=timezone.localtime(r["starts_at"]).date(),
            responses=r["n"],
            enjoyed_sum=r["enjoyed"] or 0,
            proud_yes=r["proud"],
            safe_yes=r["safe"],
            know_yes=r["know"],
        )
        for r in rows
    ]
