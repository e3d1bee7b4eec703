"""Benchmark: the audit results page and the self-evaluation summary at scale.

Builds 10,000 audits (70,000 answers) and 200 leaders' self-evaluations over
four rounds in a throwaway database (test_<name> of DATABASE_URL, default
arp_bench_audits, dropped at the end), then times each page with Django's
test Client and prints the median beside yardsticks measured in the same run:
/healthz (one SELECT) and one plain SQL GROUP BY giving the overall
judgement's % by ethnicity, the single sum the page's main sentence rests on.

    .venv/bin/python bench/audits_results.py [--repeat 15]

No speed target is set by issue 16; the ratios are for comparing runs.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arp.settings")
os.environ.setdefault("ARP_TESTING", "1")
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/arp_bench_audits"
)
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from arp import roles  # noqa: E402

AUDITS, LEADERS = 10_000, 200
CODES = ("WBRI", "WOTH", "MWBC", "AIND", "APKN", "BCRB", "BAFR", "OOTH", "NOBT")


def build(admin) -> None:
    from learning_spaces.self_evaluation.models import (
        SelfEvaluation,
        SelfEvaluationAnswer,
    )
    from learning_spaces.self_evaluation.questions import QUESTIONS
    from learning_spaces.self_evaluation.rounds import round_for
    from programme.audits import services
    from programme.audits.models import Audit, AuditAnswer
    from programme.audits.reference import audit_reference

    question_set = services.audit_question_set_ensure()
    questions = list(question_set.questions.all())
    today = timezone.localdate()
    audits = Audit.objects.bulk_create(
        [
            Audit(
                question_set=question_set,
                reference=audit_reference(f"B{i}"),
                team=f"Team {i % 12}",
                month=date(today.year - 2 + (i % 24) // 12, 1 + i % 12, 1),
                ethnicity=CODES[i % len(CODES)],
                stage=("CIN", "CP", "CLA", "EH")[i % 4],
                auditor=admin,
            )
            for i in range(AUDITS)
        ],
        batch_size=2000,
    )
    answers = ("yes", "yes", "partly", "no", "na")
    AuditAnswer.objects.bulk_create(
        [
            AuditAnswer(audit=a, question=q, answer=answers[(i + j) % 5])
            for i, a in enumerate(audits)
            for j, q in enumerate(questions)
        ],
        batch_size=5000,
    )
    User = get_user_model()
    board = Group.objects.get_or_create(name=roles.BOARD)[0]
    leaders = User.objects.bulk_create(
        [User(username=f"leader{i}") for i in range(LEADERS)]
    )
    board.user_set.add(*leaders)
    current = round_for(today)
    rounds = [current]
    for _ in range(3):
        rounds.append(rounds[-1].previous())
    evaluations = SelfEvaluation.objects.bulk_create(
        [
            SelfEvaluation(leader=leader, round_starts_on=r.starts_on)
            for leader in leaders
            for r in rounds
        ],
        batch_size=2000,
    )
    SelfEvaluationAnswer.objects.bulk_create(
        [
            SelfEvaluationAnswer(
                evaluation=e,
                question=q.code,
                rating=1 + (e.pk + n) % 5 if q.rated else None,
                reflection="A reflection. " * 10,
            )
            for e in evaluations
            for n, q in enumerate(QUESTIONS)
        ],
        batch_size=5000,
    )


def median_ms(fn, repeat: int) -> tuple[float, int]:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fn()
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup_test_environment()
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        User = get_user_model()
        admin = User.objects.create_user("bench-admin", password="x")  # noqa: S106
        admin.groups.add(Group.objects.get_or_create(name=roles.PROGRAMME_ADMINS)[0])
        started = time.perf_counter()
        build(admin)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
        print(f"Built {AUDITS:,} audits and {LEADERS} leaders x 4 rounds in "
              f"{time.perf_counter() - started:.1f} s.")  # fmt: skip
        client = Client()
        client.force_login(admin)

        def get(url):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return run

        def plain_sql():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT a.ethnicity, count(*) FILTER (WHERE x.answer = 'yes'),"
                    " count(*) FILTER (WHERE x.answer <> 'na')"
                    " FROM programme_audit a JOIN programme_auditanswer x"
                    " ON x.audit_id = a.id JOIN programme_auditquestion q"
                    " ON q.id = x.question_id WHERE q.code = 'overall'"
                    " GROUP BY a.ethnicity"
                )
                cursor.fetchall()

        yard_health, _ = median_ms(get("/healthz"), args.repeat)
        yard_sql, _ = median_ms(plain_sql, args.repeat)
        print(f"{'yardstick /healthz':<44} {yard_health:8.1f} ms")
        print(f"{'yardstick plain SQL % by ethnicity':<44} {yard_sql:8.1f} ms")
        for label, url in (
            ("/programme/audits/", "/programme/audits/"),
            ("/programme/audits/results.csv", "/programme/audits/results.csv"),
            ("/learning-spaces/self-evaluation/summary/",
             "/learning-spaces/self-evaluation/summary/"),
        ):  # fmt: skip
            ms, queries = median_ms(get(url), args.repeat)
            ratios = f"x{ms / yard_health:5.1f} /healthz  x{ms / yard_sql:5.1f} SQL"
            print(f"{label:<44} {ms:8.1f} ms  {queries:2d} queries  {ratios}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
