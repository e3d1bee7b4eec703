"""Writes for self-evaluation: answering, reminders, the aspiration 2 feed."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from arp.roles import user_can
from arp.statistics import percent
from learning_spaces.self_evaluation import selectors
from learning_spaces.self_evaluation.models import (
    REFLECTION_MAX,
    SelfEvaluation,
    SelfEvaluationAnswer,
    SelfEvaluationReminder,
)
from learning_spaces.self_evaluation.questions import QUESTIONS
from learning_spaces.self_evaluation.rounds import Round, round_for

COMPLETION_INDICATOR_KEY = "leaders-self-evaluation-completed-percent"
CHANGE_INDICATOR_KEY = "leaders-self-rating-mean-change"
ASPIRATION = 2


class SelfEvaluationError(Exception):
    """An answer the rules do not allow; the message says why."""


@dataclass(frozen=True)
class Answer:
    rating: int | None
    reflection: str


@transaction.atomic
def self_evaluation_save(
    *,
    leader,
    answers: Mapping[str, Answer],
    today: date | None = None,
    is_demo: bool = False,
) -> SelfEvaluation:
    """Save the leader's answers for the round ``today`` falls in.

    A second save in the same round replaces the first (the leader may come
    back to it until the round closes); earlier rounds are never changed.
    """
    if not user_can(leader, selectors.SELF_EVALUATE):
        raise SelfEvaluationError("Self-evaluation is for leaders, not your role.")
    today = today or timezone.localdate()
    problems = []
    for question in QUESTIONS:
        answer = answers.get(question.code)
        if answer is None:
            problems.append(f"Answer “{question.text}”")
            continue
        if question.rated and answer.rating not in (1, 2, 3, 4, 5):
            problems.append(f"Give a rating from 1 to 5 for “{question.text}”")
        if not question.rated and answer.rating is not None:
            problems.append(f"“{question.text}” takes no rating")
        if len(answer.reflection) > REFLECTION_MAX:
            problems.append(
                f"Reflections must be {REFLECTION_MAX:,} characters or fewer"
            )
    if problems:
        raise SelfEvaluationError(". ".join(problems) + ".")
    this_round = round_for(today)
    now = timezone.now()
    try:
        with transaction.atomic():
            evaluation, created = (
                SelfEvaluation.objects.select_for_update().get_or_create(
                    leader=leader,
                    round_starts_on=this_round.starts_on,
                    defaults={
                        "submitted_at": now,
                        "updated_at": now,
                        "is_demo": is_demo,
                    },
                )
            )
    except IntegrityError:  # two tabs saving at once: the other one won the insert
        evaluation = SelfEvaluation.objects.select_for_update().get(
            leader=leader, round_starts_on=this_round.starts_on
        )
        created = False
    if not created:
        evaluation.updated_at = now
        evaluation.save(update_fields=["updated_at"])
        evaluation.answers.all().delete()
    SelfEvaluationAnswer.objects.bulk_create(
        SelfEvaluationAnswer(
            evaluation=evaluation,
            question=q.code,
            rating=answers[q.code].rating,
            reflection=answers[q.code].reflection.strip(),
        )
        for q in QUESTIONS
    )
    return evaluation


# --- Reminders ------------------------------------------------------------------


def _reminder_kind(this_round: Round, today: date) -> str | None:
    if today.month == this_round.starts_on.month:
        return SelfEvaluationReminder.Kind.OPENING
    if today.month == this_round.ends_on.month:
        return SelfEvaluationReminder.Kind.CLOSING
    return None


def self_evaluation_reminders_send(*, today: date | None = None) -> int:
    """Remind leaders who have not answered this round, once when it opens and
    once in its last month. Each reminder is recorded before it is sent, so two
    runs never send it twice. Returns how many were sent."""
    today = today or timezone.localdate()
    this_round = round_for(today)
    kind = _reminder_kind(this_round, today)
    if kind is None:
        return 0
    answered = SelfEvaluation.objects.filter(
        round_starts_on=this_round.starts_on
    ).values("leader_id")
    leaders = selectors.eligible_leaders().exclude(pk__in=answered).exclude(email="")
    link = f"{settings.SITE_URL}{reverse('learning_spaces:self_evaluation_new')}"
    sent = 0
    for leader in leaders:
        try:
            with transaction.atomic():
                SelfEvaluationReminder.objects.create(
                    leader=leader, round_starts_on=this_round.starts_on, kind=kind
                )
        except IntegrityError:
            continue
        closing = kind == SelfEvaluationReminder.Kind.CLOSING
        send_mail(
            subject=(
                f"Your leader's self-evaluation closes on {this_round.ends_on:%-d %B}"
                if closing
                else f"Time for your leader's self-evaluation ({this_round.label})"
            ),
            message=(
                f"The {this_round.label} round of the anti-racist leadership "
                "self-evaluation is open until "
                f"{this_round.ends_on:%-d %B %Y}.\n\n"
                "Seven questions, answered privately: no one else reads your "
                "answers, and the board sees only figures for all leaders "
                "together.\n\n"
                f"{link}\n"
            ),
            from_email=None,
            recipient_list=[leader.email],
        )
        sent += 1
    return sent


# --- Feeding aspiration 2 ----------------------------------------------------------


def _quarter_end(day: date) -> date:
    month = 3 * ((day.month - 1) // 3 + 1)
    after = date(day.year + 1, 1, 1) if month == 12 else date(day.year, month + 1, 1)
    return date.fromordinal(after.toordinal() - 1)


def _last_quarter_end(today: date) -> date:
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return date.fromordinal(first_of_quarter.toordinal() - 1)


def self_evaluation_indicators_record(
    *, quarter_end: date | None = None, today: date | None = None
) -> dict:
    """Write aspiration 2's self-evaluation readings for a quarter's end.

    * "% of leaders who have completed a self-evaluation this round": leaders
      who answered the round the quarter ends in, over the active leaders now
      eligible, dated the quarter's last day (mid-round and end of round).
    * "Mean change in leaders' self-rating": only at a round's end, over the
      leaders who answered this round and the one before, and only when there
      are at least ``SELF_EVALUATION_MIN_RESPONDENTS`` of them.

    Returns {"completion": reading or None, "change": reading or None}.
    """
    from programme.services import indicator_ensure, indicator_record_reading

    end = quarter_end or _last_quarter_end(today or timezone.localdate())
    end = _quarter_end(end)
    this_round = round_for(end)
    result: dict[str, object | None] = {"completion": None, "change": None}
    eligible = selectors.eligible_leaders().count()
    answered = SelfEvaluation.objects.filter(
        round_starts_on=this_round.starts_on, leader__in=selectors.eligible_leaders()
    ).count()
    with transaction.atomic():
        if eligible:
            indicator = indicator_ensure(
                key=COMPLETION_INDICATOR_KEY,
                aspiration_number=ASPIRATION,
                name="% of leaders who have completed a self-evaluation this round",
                unit="percent",
                higher_is_better=True,
                data_source="Leaders' self-evaluation (six-monthly rounds)",
            )
            value = percent(answered, eligible)
            result["completion"] = indicator_record_reading(
                indicator=indicator,
                value=value,
                taken_on=end,
                note=f"{answered} of {eligible} leaders, {this_round.label} round.",
            )
        if end == this_round.ends_on:
            figures = selectors.round_summary(this_round, today=end + timedelta(days=1))
            if figures.mean_change is not None:
                indicator = indicator_ensure(
                    key=CHANGE_INDICATOR_KEY,
                    aspiration_number=ASPIRATION,
                    name="Mean change in leaders' self-rating since the last round "
                    "(1–5 scale)",
                    unit="ratio",
                    higher_is_better=True,
                    data_source="Leaders' self-evaluation (leaders who answered "
                    "both rounds)",
                )
                result["change"] = indicator_record_reading(
                    indicator=indicator,
                    value=Decimal(str(figures.mean_change)),
                    taken_on=end,
                    note=(
                        f"{figures.paired} leaders answered both the "
                        f"{this_round.previous().label} and {this_round.label} "
                        "rounds."
                    ),
                )
    return result
