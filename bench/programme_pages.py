"""Benchmark: server time of the achievements list, overview and board summary.

Builds 5,000 achievements, 1,000 actions and 10,000 indicator readings in a
throwaway database (test_<name> of DATABASE_URL, default arp_bench_prog, dropped
at the end), then times each page many times with Django's test Client and
prints the median against a yardstick measured in the same run: /healthz (a
request that runs one SELECT) and a bare SELECT of the 25 rows the list shows.

    .venv/bin/python bench/programme_pages.py [--repeat 40]

Target (issue 3): under 150 ms per page on the 2-core machine.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arp.settings")
os.environ.setdefault("ARP_TESTING", "1")
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/arp_bench_prog"
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
from simple_history.utils import bulk_create_with_history  # noqa: E402

from arp import roles  # noqa: E402

TARGET_MS = 150.0
ACHIEVEMENTS, ACTIONS, READINGS, INDICATORS = 5_000, 1_000, 10_000, 20


def build(admin) -> None:
    from programme import services
    from programme.models import (
        Achievement,
        Action,
        Indicator,
        IndicatorReading,
        LessonLearnt,
        Testimonial,
        Workstream,
    )

    aspirations = services.aspirations_ensure()
    streams = [Workstream.objects.create(name=f"Workstream {i}") for i in range(6)]
    today = timezone.localdate()
    reaches = [choice for choice, _ in Achievement.Reach.choices]
    statuses = ["published"] * 8 + ["submitted", "draft"]
    achievements = [
        Achievement(
            title=f"Achievement {i}",
            summary="What happened, who it reached and why it matters. " * 3,
            achieved_on=today - timedelta(days=i % 1800),
            reach=reaches[i % 4],
            workstream=streams[i % 6],
            status=statuses[i % 10],
            created_by=admin,
        )
        for i in range(ACHIEVEMENTS)
    ]
    achievements = bulk_create_with_history(
        achievements, Achievement, batch_size=1000, default_user=admin
    )
    through = Achievement.aspirations.through
    through.objects.bulk_create(
        [
            through(achievement_id=a.pk, aspiration_id=aspirations[j % 6].pk)
            for i, a in enumerate(achievements)
            for j in (i, i + 1)
        ],
        batch_size=2000,
    )
    action_statuses = [choice for choice, _ in Action.Status.choices]
    bulk_create_with_history(
        [
            Action(
                title=f"Action {i}",
                aspiration=aspirations[i % 6],
                owner=admin,
                due_on=today + timedelta(days=(i % 200) - 100),
                status=action_statuses[i % 5],
            )
            for i in range(ACTIONS)
        ],
        Action,
        batch_size=1000,
        default_user=admin,
    )
    indicators = [
        Indicator.objects.create(
            key=f"bench-{i}",
            aspiration=aspirations[i % 6],
            name=f"Indicator {i}",
            unit="percent",
            baseline_value=10,
            baseline_date=date(2020, 1, 1),
            target_value=90,
            target_date=date(2030, 1, 1),
        )
        for i in range(INDICATORS)
    ]
    per = READINGS // INDICATORS
    bulk_create_with_history(
        [
            IndicatorReading(
                indicator=indicator,
                value=10 + (n % 80),
                taken_on=today - timedelta(days=n * 3),
            )
            for indicator in indicators
            for n in range(per)
        ],
        IndicatorReading,
        batch_size=2000,
        default_user=admin,
    )
    LessonLearnt.objects.bulk_create(
        LessonLearnt(kind="went_well", theme="policy", title=f"L{i}", description="d")
        for i in range(50)
    )
    Testimonial.objects.bulk_create(
        Testimonial(
            quote=f"Q{i}", source_type="ofsted", quoted_on=today, published=True
        )
        for i in range(20)
    )


def median_ms(fn, repeat: int) -> tuple[float, int]:
    fn()  # warm caches and templates
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
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()

    setup_test_environment()
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        User = get_user_model()
        admin = User.objects.create_user("bench-admin", password="x")  # noqa: S106
        admin.groups.add(Group.objects.get_or_create(name=roles.PROGRAMME_ADMINS)[0])
        board = User.objects.create_user("bench-board", password="x")  # noqa: S106
        board.groups.add(Group.objects.get_or_create(name=roles.BOARD)[0])
        started = time.perf_counter()
        build(admin)
        print(f"Built data in {time.perf_counter() - started:.1f} s "
              f"({connection.settings_dict['NAME']}).")  # fmt: skip

        from programme.models import Achievement

        clients = {}
        for name, user in (("admin", admin), ("board", board)):
            clients[name] = Client()
            clients[name].force_login(user)

        def get(client, url):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return run

        def bare_select():
            list(
                Achievement.objects.filter(status="published")
                .order_by("-achieved_on", "-pk")
                .values_list("pk", "title", "achieved_on", "reach")[:25]
            )

        healthz_get = get(Client(), "/healthz")
        yardsticks = [
            ("GET /healthz (yardstick)", median_ms(healthz_get, args.repeat)),
            ("SELECT 25 rows (yardstick)", median_ms(bare_select, args.repeat)),
        ]
        pages = []
        for role in ("board", "admin"):
            for url in (
                "/programme/achievements/",
                "/programme/",
                "/programme/summary/",
            ):
                pages.append(
                    (f"GET {url} as {role}",
                     median_ms(get(clients[role], url), args.repeat))
                )  # fmt: skip
        healthz = yardsticks[0][1][0]
        print()
        print(f"{'Measurement':<42} {'median ms':>10} {'queries':>8} "
              f"{'x healthz':>10} {'target':>8}")  # fmt: skip
        print("-" * 82)
        for label, (ms, queries) in yardsticks:
            print(f"{label:<42} {ms:>10.1f} {queries:>8} {ms / healthz:>10.1f}")
        for label, (ms, queries) in pages:
            verdict = "ok" if ms < TARGET_MS else "SLOW"
            print(f"{label:<42} {ms:>10.1f} {queries:>8} {ms / healthz:>10.1f} "
                  f"{verdict:>8}")  # fmt: skip
        print(f"\n{ACHIEVEMENTS:,} achievements, {ACTIONS:,} actions, "
              f"{READINGS:,} readings; {args.repeat} repetitions each; "
              f"target < {TARGET_MS:.0f} ms per page.")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
