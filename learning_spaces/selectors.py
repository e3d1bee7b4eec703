"""Reads for learning spaces pages, insights and exports."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from learning_spaces.insights import SessionTotals
from learning_spaces.models import FeedbackResponse, LearningSession, Space, Theme


def sessions_upcoming() -> QuerySet[LearningSession]:
    return LearningSession.objects.upcoming().select_related("space", "facilitator")


def sessions_past() -> QuerySet[LearningSession]:
    return (
        LearningSession.objects.past()
        .filter(starts_at__lte=timezone.now())
        .select_related("space", "facilitator")
        .annotate(response_count=Count("responses"))
    )


def spaces_with_counts() -> QuerySet[Space]:
    now = timezone.now()
    return Space.objects.annotate(
        session_count=Count("sessions", distinct=True),
        upcoming_count=Count(
            "sessions",
            filter=Q(
                sessions__ends_at__gte=now,
                sessions__status=LearningSession.Status.PLANNED,
            ),
            distinct=True,
        ),
    ).order_by("-active", "name")


# Same rule as the aggregates (services.MIN_GROUP_SIZE; kept here to avoid an
# import cycle): no one-by-one list of a session with fewer responses.
MIN_GROUP_SIZE = 3


def session_responses(session: LearningSession) -> QuerySet[FeedbackResponse]:
    """A session's responses one by one: none while it has fewer than three."""
    return (
        session.responses.in_reportable_sessions(MIN_GROUP_SIZE)
        .prefetch_related("themes")
        .order_by("reference")
    )


def responses_awaiting_review() -> QuerySet[FeedbackResponse]:
    return (
        FeedbackResponse.objects.awaiting_review()
        .filter(text_purged_on__isnull=True)
        .in_reportable_sessions(MIN_GROUP_SIZE)
        .select_related("session__space")
        .order_by("session__starts_at", "reference")
    )


@dataclass(frozen=True)
class ReviewedQuote:
    """An approved, redacted quote: the only form of someone's words the Board,
    the board pack and exports beyond staff may show."""

    reference: str
    text: str
    space_name: str
    month: date  # first of the month the session was held in


def reviewed_quotes(
    *, start: date | None = None, end: date | None = None, limit: int | None = None
) -> list[ReviewedQuote]:
    """Approved redacted quotes from sessions held between the dates, newest first.

    Only consented answers a reviewer approved, only their redacted text, and
    only from sessions with enough responses for the small-group rule.
    """
    qs = (
        FeedbackResponse.objects.approved_quotes()
        .in_reportable_sessions(MIN_GROUP_SIZE)
        .select_related("session__space")
        .order_by("-session__starts_at", "reference")
    )
    if start:
        qs = qs.filter(session__starts_at__date__gte=start)
    if end:
        qs = qs.filter(session__starts_at__date__lte=end)
    if limit is not None:
        qs = qs[:limit]
    quotes = []
    for r in qs:
        day = timezone.localtime(r.session.starts_at).date()
        quotes.append(
            ReviewedQuote(
                reference=r.reference,
                text=r.quote_text,
                space_name=r.session.space.name,
                month=day.replace(day=1),
            )
        )
    return quotes


def filtered_responses(
    *,
    space: Space | None = None,
    theme: Theme | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    consented_only: bool = False,
    approved_only: bool = False,
) -> QuerySet[FeedbackResponse]:
    """Responses to sessions of ``space`` held between the dates.

    ``approved_only`` keeps only reviewed, approved quotes: what anyone beyond
    staff may read (and then only their ``quote_text``).
    """
    qs = FeedbackResponse.objects.in_reportable_sessions(MIN_GROUP_SIZE)
    if space:
        qs = qs.filter(session__space=space)
    if date_from:
        qs = qs.filter(session__starts_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(session__starts_at__date__lte=date_to)
    if theme:
        qs = qs.filter(themes=theme)
    if consented_only:
        qs = qs.filter(consent_to_quote=True)
    if approved_only:
        qs = qs.approved_quotes()
    return qs


def responses_for_reading(**filters) -> QuerySet[FeedbackResponse]:
    return (
        filtered_responses(**filters)
        .select_related("session__space")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("-session__starts_at", "reference")
    )


def session_totals(
    *,
    space: Space | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[SessionTotals]:
    """One row of sums per session that has started and was not cancelled.

    The dates are the session's own date, so a date range always takes whole
    sessions: it can never split one session's responses.

    One query, whatever the number of sessions or responses.
    """
    qs = LearningSession.objects.filter(starts_at__lte=timezone.now()).exclude(
        status=LearningSession.Status.CANCELLED
    )
    if space:
        qs = qs.filter(space=space)
    if date_from:
        qs = qs.filter(starts_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(starts_at__date__lte=date_to)
    qs = (
        qs.annotate(
            n=Count("responses"),
            rating_sum=Sum("responses__rating"),
            shift_sum=Sum(
                F("responses__confidence_now") - F("responses__confidence_before")
            ),
            more=Count(
                "responses",
                filter=Q(
                    responses__confidence_now__gt=F("responses__confidence_before")
                ),
            ),
        )
        .order_by("starts_at", "pk")
        .values(
            "pk",
            "space_id",
            "space__name",
            "starts_at",
            "attendance",
            "topic",
            "status",
            "n",
            "rating_sum",
            "shift_sum",
            "more",
        )
    )
    return [
        SessionTotals(
            session_id=row["pk"],
            space_id=row["space_id"],
            space_name=row["space__name"],
            day=timezone.localtime(row["starts_at"]).date(),
            attendance=row["attendance"],
            responses=row["n"],
            rating_sum=row["rating_sum"] or 0,
            shift_sum=row["shift_sum"] or 0,
            more_confident=row["more"],
            topic=row["topic"],
        )
        for row in qs
        if row["n"] or row["status"] == LearningSession.Status.HELD
    ]


def theme_counts(*, session_ids: list[int]) -> list[tuple[str, int]]:
    """How many responses to these sessions carry each theme (one query).

    Pass only sessions with enough responses to report (see
    ``insights.is_reportable``), so a theme count never includes the answers
    of a session too small to show.
    """
    through = FeedbackResponse.themes.through
    rows = (
        through.objects.filter(feedbackresponse__session_id__in=session_ids)
        .values("theme__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "theme__name")
    )
    return [(row["theme__name"], row["n"]) for row in rows]
