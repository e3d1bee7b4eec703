"""The seven questions the programme's launch material asks every leader.

Plain data. ``rated`` questions take a 1–5 self-rating as well as a reflection;
"How would Black and Global Majority staff describe you?" is answered in words
only, because a number would put the leader's guess in place of what staff say.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LeaderQuestion:
    code: str
    text: str
    rated: bool
    scale_low: str = ""
    scale_high: str = ""


QUESTIONS: tuple[LeaderQuestion, ...] = (
    LeaderQuestion(
        "anti_racist_leader",
        "Would you be described as an anti-racist leader?",
        True,
        "Not yet",
        "Consistently",
    ),
    LeaderQuestion(
        "described_by_staff",
        "How would Black and Global Majority staff describe you?",
        False,
    ),
    LeaderQuestion(
        "tangible_difference",
        "What tangible difference have you made in relation to racial equity and "
        "inclusion?",
        True,
        "None yet",
        "A great deal",
    ),
    LeaderQuestion(
        "amplified_voices",
        "How have you amplified the voices of those who are racially oppressed?",
        True,
        "Not yet",
        "Often and visibly",
    ),
    LeaderQuestion(
        "practice_development",
        "How have you contributed to practice development?",
        True,
        "Not yet",
        "A great deal",
    ),
    LeaderQuestion(
        "governance",
        "What governance do you provide to the work of anti-racism?",
        True,
        "None",
        "Strong and regular",
    ),
    LeaderQuestion(
        "care",
        "How much do you care?",
        True,
        "Not much",
        "Deeply",
    ),
)
QUESTION_BY_CODE = {q.code: q for q in QUESTIONS}
RATED_CODES = tuple(q.code for q in QUESTIONS if q.rated)

# The micro, meso and macro prompts shown beside the questions.
PROMPTS: tuple[tuple[str, str], ...] = (
    ("Micro", "How does anti-racism show up in my thinking, beliefs and behaviour?"),
    ("Meso", "What does accountability look like in my team and in the network?"),
    ("Macro", "How do the systems and policies I lead change outcomes for "
     "ethnically diverse children, families and staff?"),
)  # fmt: skip
