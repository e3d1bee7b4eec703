"""Reads for learning spaces pages, insights and exports."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from arp.access import get_for_user, visible_with
from arp.roles import CAPABILITIES, user_can
from learning_spaces.insights import SessionTotals, is_reportable, overall
from learning_spaces.models import FeedbackResponse, LearningSession, Space, Theme


def facilitator_candidates(*, keep=()) -> QuerySet:
    """Active staff who may facilitate (``learning_spaces.facilitate``), by name.

    ``keep``: users already chosen, listed even if they have since lost the
    role, so editing a space or session does not fail on them.
    """
    groups = CAPABILITIES["learning_spaces.facilitate"]
    can = Q(is_active=True) & (Q(groups__name__in=groups) | Q(is_superuser=True))
    keep_ids = [u.pk for u in keep if u is not None]
    return (
        get_user_model()
        .objects.filter(can | Q(pk__in=keep_ids))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- Access to one object (arp.access) ----------------------------------------


def space_can_change(user, space: Space) -> bool:
    return user_can(user, "learning_spaces.manage")


def get_space_for_user(*, user, pk: int, for_change: bool = False) -> Space:
    visible = visible_with(
        "learning_spaces.manage", Space.objects.prefetch_related("facilitators"), user
    )
    return get_for_user(visible, space_can_change, user, for_change, pk=pk)


def session_can_change(user, session: LearningSession) -> bool:
    return user_can(user, "learning_spaces.manage")


def get_session_for_user(*, user, pk: int, for_change: bool = False) -> LearningSession:
    """404 for a session this user is not offered (practitioners: past ones)."""
    visible = LearningSession.objects.visible_to(user).select_related(
        "space", "facilitator"
    )
    return get_for_user(visible, session_can_change, user, for_change, pk=pk)


def _reads_responses(user) -> bool:
    return user_can(user, "learning_spaces.responses") or user_can(
        user, "learning_spaces.review"
    )


def response_can_change(user, response: FeedbackResponse) -> bool:
    """Confirm its themes, review its quote, promote it: staff who read answers."""
    return _reads_responses(user)


def get_response_for_user(
    *, user, reference: str, for_change: bool = False
) -> FeedbackResponse:
    """By its random reference: ids would tell the order answers arrived in."""
    responses = FeedbackResponse.objects.select_related("session__space", "testimonial")
    visible = responses if _reads_responses(user) else responses.none()
    return get_for_user(
        visible, response_can_change, user, for_change, reference=reference
    )


def session_for_feedback_token(token: str) -> LearningSession:
    """The public form's session: the unguessable token in its link is the
    permission (no sign-in), so a wrong token is a 404."""
    return get_object_or_404(
        LearningSession.objects.select_related("space"), feedback_token=token
    )


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
    qs = (
        LearningSession.objects.filter(starts_at__lte=timezone.now())
        .exclude(status=LearningSession.Status.CANCELLED)
        # Sessions answered on the children's form are reported on their own
        # page; here their attendance would only dilute the response rate.
        .exclude(child_responses__isnull=False)
    )
    if space:
        qs = qs.filter(space=space)
    if date_from:
        qs = qs.filter(starts_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(starts_at__date__lte=date_to)
    rows = (
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
        for row in rows
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


# --- The governance board's pack (composed in arp/board/) -----------------------


@dataclass(frozen=True)
class BoardLearningSummary:
    """Learning spaces in a period, as the Board may see them.

    The same small-group rule as the insights page: a session's answers count
    towards the means, the percentage and the theme counts only when it has at
    least ``min_group`` responses.
    """

    date_from: date
    date_to: date
    sessions: int
    responses: int
    mean_rating: float | None
    pct_more_confident: float | None
    top_themes: list[tuple[str, int]]
    min_group: int
    small_sessions: int


def board_summary(
    *, date_from: date, date_to: date, theme_limit: int = 5
) -> BoardLearningSummary:
    """Sessions held, responses, mean rating, % more confident and the top
    themes for sessions between the dates. Two queries."""
    from learning_spaces.services import MIN_GROUP_SIZE

    rows = session_totals(date_from=date_from, date_to=date_to)
    total = overall(rows, min_group=MIN_GROUP_SIZE)
    themes: list[tuple[str, int]] = []
    if not total.suppressed:
        themes = theme_counts(
            session_ids=[r.session_id for r in rows if is_reportable(r, MIN_GROUP_SIZE)]
        )[:theme_limit]
    return BoardLearningSummary(
        date_from=date_from,
        date_to=date_to,
        sessions=total.sessions,
        responses=total.responses,
        mean_rating=total.mean_rating,
        pct_more_confident=total.pct_more_confident,
        top_themes=themes,
        min_group=MIN_GROUP_SIZE,
        small_sessions=total.small_sessions,
    )
