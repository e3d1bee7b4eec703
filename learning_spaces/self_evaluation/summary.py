"""Aggregates of leaders' self-ratings (pure functions, no database).

A round's figures are shown only once the round has closed (so answers given
late cannot be worked out by comparing the figures before and after) and only
when at least ``min_respondents`` leaders answered. The change between rounds
is over the leaders who answered both, and needs ``min_respondents`` of them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from learning_spaces.self_evaluation.questions import QUESTIONS, RATED_CODES
from learning_spaces.self_evaluation.rounds import Round

SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class QuestionFigures:
    code: str
    text: str
    distribution: tuple[int, ...]  # how many rated 1, 2, 3, 4, 5
    mean: float
    change: float | None  # mean paired change since the previous round


@dataclass(frozen=True)
class RoundFigures:
    round: Round
    respondents: int
    shown: bool  # closed and enough respondents
    closed: bool
    paired: int  # leaders who answered this round and the one before
    questions: tuple[QuestionFigures, ...]
    mean_change: float | None  # mean over paired leaders of their mean change


Ratings = Mapping[int, Mapping[str, int]]  # leader id -> question code -> rating


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def leader_mean(ratings: Mapping[str, int]) -> float | None:
    values = [ratings[c] for c in RATED_CODES if ratings.get(c) is not None]
    return _mean(values) if values else None


def mean_change(before: Ratings, after: Ratings) -> tuple[int, float | None]:
    """(paired leaders, mean of each paired leader's change in mean rating)."""
    changes = []
    for leader, ratings in after.items():
        if leader not in before:
            continue
        now, then = leader_mean(ratings), leader_mean(before[leader])
        if now is not None and then is not None:
            changes.append(now - then)
    return len(changes), (round(_mean(changes), 2) if changes else None)


def round_figures(
    this_round: Round,
    ratings: Ratings,
    previous: Ratings,
    *,
    min_respondents: int,
    today,
) -> RoundFigures:
    closed = this_round.is_closed(today)
    shown = closed and len(ratings) >= min_respondents
    paired, change = mean_change(previous, ratings)
    paired_shown = shown and paired >= min_respondents
    questions = []
    if shown:
        for question in QUESTIONS:
            if not question.rated:
                continue
            values = [r[question.code] for r in ratings.values() if question.code in r]
            if not values:
                continue
            pairs = [
                r[question.code] - previous[leader][question.code]
                for leader, r in ratings.items()
                if leader in previous
                and question.code in r
                and question.code in previous[leader]
            ]
            questions.append(
                QuestionFigures(
                    code=question.code,
                    text=question.text,
                    distribution=tuple(values.count(n) for n in SCALE),
                    mean=round(_mean(values), 2),
                    change=round(_mean(pairs), 2) if paired_shown and pairs else None,
                )
            )
    return RoundFigures(
        round=this_round,
        respondents=len(ratings),
        shown=shown,
        closed=closed,
        paired=paired,
        questions=tuple(questions),
        mean_change=change if paired_shown else None,
    )
