"""Demo self-evaluations (marked ``is_demo``), called by ``seed_demo``.

Six demo leaders (Board group, no usable password) plus the demo steering
and board users answer the last two closed rounds, so the summary has
figures to show; a few have answered the current round. The demo steering
user's own page shows their answers side by side.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from arp import roles
from learning_spaces.self_evaluation import services
from learning_spaces.self_evaluation.models import SelfEvaluation
from learning_spaces.self_evaluation.questions import QUESTIONS
from learning_spaces.self_evaluation.rounds import round_for

REFLECTIONS = (
    "I name racism in supervision more often than a year ago, but not always.",
    "Staff in the Global Majority Network told me I listen but act slowly.",
    "I sponsored the audit of Child Protection plans through a racial lens.",
    "I gave my slot at the leadership meeting to the network's chair.",
    "I co-wrote the culture and ethnicity prompt sheet with practitioners.",
    "I chair the steering group and report to the board each quarter.",
    "Deeply; I need to show it in what I change, not what I say.",
)


def _demo_leaders() -> list:
    User = get_user_model()
    board = Group.objects.get(name=roles.BOARD)
    leaders = []
    for i in range(1, 7):
        user, created = User.objects.get_or_create(
            username=f"demo-leader-{i}",
            defaults={"first_name": "Demo", "last_name": f"Leader {i}"},
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(board)
        leaders.append(user)
    return leaders


def seed_demo(*, stdout) -> None:
    if SelfEvaluation.objects.filter(is_demo=True).exists():
        stdout.write("Self-evaluation: demo data already present.")
        return
    rng = random.Random(7)
    leaders = _demo_leaders() + list(
        get_user_model().objects.filter(username__in=["steering", "board"])
    )
    today = timezone.localdate()
    current = round_for(today)
    rounds = [current.previous().previous(), current.previous()]
    saved = 0
    for leader in leaders:
        base = rng.choice((2, 2, 3, 3, 4))
        for step, this_round in enumerate(rounds):
            answers = {
                q.code: services.Answer(
                    min(5, base + step + rng.choice((-1, 0, 0, 1)))
                    if q.rated
                    else None,
                    REFLECTIONS[i],
                )
                for i, q in enumerate(QUESTIONS)
            }
            services.self_evaluation_save(
                leader=leader,
                answers=answers,
                today=this_round.starts_on + timedelta(days=40),
                is_demo=True,
            )
            saved += 1
        if rng.random() < 0.4:
            services.self_evaluation_save(
                leader=leader,
                answers={
                    q.code: services.Answer(
                        min(5, base + 2) if q.rated else None, REFLECTIONS[i]
                    )  # fmt: skip
                    for i, q in enumerate(QUESTIONS)
                },
                today=today,
                is_demo=True,
            )
            saved += 1
    readings = 0
    for this_round in rounds:
        for quarter_end in (
            this_round.starts_on + timedelta(days=89),
            this_round.ends_on,
        ):
            result = services.self_evaluation_indicators_record(quarter_end=quarter_end)
            readings += sum(r is not None for r in result.values())
    stdout.write(
        f"Self-evaluation: {saved} demo self-evaluations from {len(leaders)} "
        f"leaders; {readings} aspiration 2 readings."
    )
