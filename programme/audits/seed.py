"""Demo practice audits (marked ``is_demo``), called by ``seed_demo``.

Seven quarters of audits across four quadrants, with some re-audits of the
same cases. Practice is drawn a little weaker for Black and Mixed heritage
children so the results page has a difference to show, and improves over
time; the quarterly feed then writes the aspiration 6 readings from them.
"""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from programme.audits import results, services
from programme.audits.models import Audit

TEAMS = ("North quadrant", "South quadrant", "East quadrant", "West quadrant")
ETHNICITIES = (
    ("WBRI", 40), ("WOTH", 6), ("MWBC", 8), ("MWBA", 3), ("MOTH", 4),
    ("AIND", 4), ("APKN", 7), ("ABAN", 2), ("BCRB", 6), ("BAFR", 9),
    ("OOTH", 3), ("NOBT", 2),
)  # fmt: skip
WEAKER = {"MWBC", "MWBA", "MOTH", "BCRB", "BAFR"}
LEARNING = (
    "The plan named the child's faith but no one asked what it means day to day.",
    "Hair and skin care were missing from the care plan.",
    "A family member interpreted at the first visit; book a professional.",
    "The child's own words about identity were recorded well; share as practice.",
    "The analysis of risk did not weigh the family's experience of racism.",
    "",
    "",
)
QUARTERS = 7
PER_QUARTER = 16


def _months(today: date) -> list[date]:
    """The first months of the last ``QUARTERS`` complete quarters, oldest first."""
    _, end = services.last_complete_quarter(today)
    starts = []
    for _ in range(QUARTERS):
        start, _ = results.quarter_bounds(results.quarter_of(end))
        starts.append(start)
        end = date.fromordinal(start.toordinal() - 1)
    return starts[::-1]


def seed_demo(*, stdout) -> None:
    if Audit.objects.filter(is_demo=True).exists():
        stdout.write("Audits: demo data already present.")
        return
    rng = random.Random(20240601)
    users = get_user_model().objects
    auditors = list(users.filter(username__in=["steering", "admin"]))
    if not auditors:
        return
    question_set = services.audit_question_set_ensure()
    codes = [q.code for q in question_set.questions.all()]
    codes_weights = [w for _, w in ETHNICITIES]
    cases: list[tuple[str, str, str]] = []
    made = 0
    today = timezone.localdate()
    for q, quarter_start in enumerate(_months(today)):
        for n in range(PER_QUARTER):
            if cases and rng.random() < 0.15:  # a re-audit of an earlier case
                case, team, ethnicity = rng.choice(cases)
            else:
                case = f"DEMO{q:02d}{n:03d}"
                team = rng.choice(TEAMS)
                ethnicity = rng.choices([c for c, _ in ETHNICITIES], codes_weights)[0]
                cases.append((case, team, ethnicity))
            quality = 0.55 + 0.05 * q - (0.15 if ethnicity in WEAKER else 0)
            answers = {}
            for code in codes:
                roll = rng.random()
                if code == "interpreter_used" and rng.random() < 0.6:
                    answers[code] = "na"
                elif roll < quality:
                    answers[code] = "yes"
                elif roll < quality + 0.2:
                    answers[code] = "partly"
                else:
                    answers[code] = "no"
            month = date(quarter_start.year, quarter_start.month + rng.randrange(3), 1)
            services.audit_record(
                auditor=rng.choice(auditors),
                data=services.AuditInput(
                    case_reference=case,
                    team=team,
                    month=month,
                    ethnicity=ethnicity,
                    stage=rng.choice(("CIN", "CIN", "CP", "CP", "CLA", "EH")),
                    answers=answers,
                    learning=rng.choice(LEARNING),
                ),
                is_demo=True,
                today=today,
            )
            made += 1
    readings = 0
    for quarter_start in _months(today):
        _, end = results.quarter_bounds(results.quarter_of(quarter_start))
        readings += services.audit_indicator_record(quarter_end=end) is not None
    stdout.write(
        f"Audits: {made} demo audits; {readings} quarterly aspiration 6 readings."
    )
