"""Reads for self-evaluation.

Only two kinds of read exist: a leader's own evaluations (always filtered on
that leader) and anonymous ratings for aggregates. Nothing here returns one
leader's answers to anyone else.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from arp.roles import CAPABILITIES
from learning_spaces.self_evaluation import summary
from learning_spaces.self_evaluation.models import SelfEvaluation, SelfEvaluationAnswer
from learning_spaces.self_evaluation.questions import QUESTIONS, LeaderQuestion
from learning_spaces.self_evaluation.rounds import Round, round_for

SELF_EVALUATE = "learning_spaces.self_evaluate"


def min_respondents() -> int:
    return int(getattr(settings, "SELF_EVALUATION_MIN_RESPONDENTS", 5))


def eligible_leaders() -> QuerySet:
    """Active staff whose role asks them to self-evaluate (not Practitioners)."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=CAPABILITIES[SELF_EVALUATE]) | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
    )


def own_evaluations(leader) -> list[SelfEvaluation]:
    return list(
        SelfEvaluation.objects.filter(leader=leader)
        .prefetch_related(
            Prefetch("answers", queryset=SelfEvaluationAnswer.objects.order_by("pk"))
        )
        .order_by("round_starts_on")
    )


def own_evaluation(leader, this_round: Round) -> SelfEvaluation | None:
    return (
        SelfEvaluation.objects.filter(
            leader=leader, round_starts_on=this_round.starts_on
        )
        .prefetch_related("answers")
        .first()
    )


@dataclass(frozen=True)
class HistoryCell:
    rating: int | None
    reflection: str
    change: int | None = None  # since the leader's previous answered round

    @property
    def change_label(self) -> str:
        if self.change is None:
            return ""
        return "no change" if self.change == 0 else f"{self.change:+d}"


@dataclass(frozen=True)
class HistoryRow:
    question: LeaderQuestion
    cells: tuple[HistoryCell | None, ...]  # one per round, None: not answered


def history(evaluations: list[SelfEvaluation]) -> tuple[list[Round], list[HistoryRow]]:
    """The leader's answers side by side: a column per round they answered."""
    rounds = [Round(e.round_starts_on) for e in evaluations]
    by_round = [{a.question: a for a in e.answers.all()} for e in evaluations]
    rows = []
    for question in QUESTIONS:
        cells: list[HistoryCell | None] = []
        last_rating: int | None = None
        for answers in by_round:
            answer = answers.get(question.code)
            if answer is None:
                cells.append(None)
                continue
            change: int | None = (
                answer.rating - last_rating
                if answer.rating is not None and last_rating is not None
                else None
            )
            cells.append(HistoryCell(answer.rating, answer.reflection, change))
            last_rating = answer.rating if answer.rating is not None else last_rating
        rows.append(HistoryRow(question=question, cells=tuple(cells)))
    return rounds, rows


def round_ratings(this_round: Round) -> summary.Ratings:
    """leader id -> question -> rating, for aggregates only (never shown as such)."""
    ratings: dict[int, dict[str, int]] = {}
    rows = SelfEvaluationAnswer.objects.filter(
        evaluation__round_starts_on=this_round.starts_on
    ).values_list("evaluation__leader_id", "question", "rating")
    for leader, question, rating in rows:
        entry = ratings.setdefault(leader, {})
        if rating is not None:
            entry[question] = rating
    return ratings


def round_summary(this_round: Round, *, today: date) -> summary.RoundFigures:
    return summary.round_figures(
        this_round,
        round_ratings(this_round),
        round_ratings(this_round.previous()),
        min_respondents=min_respondents(),
        today=today,
    )


def recent_summaries(*, today: date, count: int = 4) -> list[summary.RoundFigures]:
    """The current round and the ``count - 1`` before it, newest first."""
    rounds, current = [], round_for(today)
    for _ in range(count):
        rounds.append(current)
        current = current.previous()
    return [round_summary(r, today=today) for r in rounds]
