"""Demo content: reports in every state and two years of workforce figures.

Everything is marked demo (``Report.is_demo``, ``WorkforceBatch.is_demo``) and
the dashboard says so. Idempotent: does nothing when demo content exists.
"""

import csv
import io
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from arp import roles
from workforce import services
from workforce.models import Report, WorkforceBatch

# (days ago received, source, involvement, state): the newest still in
# progress, one in each state, then a year of closed reports, mostly from
# children and families (as in Social Work England's 2021 survey)
_RECENT = (
    (2, "child_family", "experienced", "new"),
    (12, "colleague", "witnessed", "new"),  # acknowledgement overdue
    (20, "manager", "experienced", "acknowledged"),
    (35, "partner", "experienced", "escalated"),
    (40, "child_family", "experienced", "awaiting"),
)
_SOURCES = ("child_family", "child_family", "colleague", "child_family", "manager",
            "partner", "child_family", "colleague", "other")  # fmt: skip
_CLOSED = ("agreed", "agreed", "not_agreed", "agreed", "withdrawn", "agreed",
           "referred", "agreed")  # fmt: skip
DEMO_REPORTS = _RECENT + tuple(
    (50 + 9 * i, _SOURCES[i % len(_SOURCES)],
     "witnessed" if i % 5 == 0 else "experienced", _CLOSED[i % len(_CLOSED)])
    for i in range(34)
)  # fmt: skip
DEMO_TEXT = (
    "A parent made remarks about my accent during a home visit and asked for a "
    "'British' social worker. (Demonstration text.)"
)

# group → (in post, share of each measure's base that is "in" it), per year
GROUPS = {
    "WHITE": 824,
    "WBRI": 710,
    "MIXED": 56,
    "ASIAN": 128,
    "BLACK": 192,
    "OTHER": 28,
    "UNKNOWN": 18,
    "REFUSED": 12,
}
RATES = {  # (White rate, minority rate) for each measure with a base
    "shortlisted": (0.34, 0.22),
    "appointed": (0.38, 0.24),
    "disciplinary": (0.012, 0.045),
    "cpd": (0.52, 0.41),
    "leavers": (0.11, 0.15),
    "harassment_service_users": (0.09, 0.31),
    "harassment_colleagues": (0.06, 0.17),
}


def _lead():
    User = get_user_model()
    return User.objects.filter(groups__name=roles.STAFF_SUPPORT_LEADS).first()


def _report(days_ago, source, involvement, state, lead, today):
    received = today - timedelta(days=days_ago)
    new = services.report_submit(
        answers={
            "involvement": involvement,
            "source": source,
            "location": "North quadrant" if days_ago % 2 else "",
            "occurred_month": received.replace(day=1),
            "what_happened": DEMO_TEXT,
            "impact": "I felt undermined in front of the family.",
            "resolution_sought": "For my manager to back me and to reallocate.",
            "wants_contact": bool(days_ago % 3),
            "contact_details": "",
        },
        today=received,
        is_demo=True,
    )
    report = new.report
    if state == "new" or lead is None:
        return report
    ack = received + timedelta(days=3)
    report = services.report_acknowledge(
        report=report,
        user=lead,
        message="Thank you for telling us. I will call you this week.",
        next_step="Meet the reporter",
        next_step_due=ack + timedelta(days=7),
        today=ack,
    )
    if state == "acknowledged":
        return report
    if state == "escalated":
        return services.report_escalate(
            report=report,
            user=lead,
            step=services.escalation_path()[0],
            reason="Not resolved through discussion with the team manager.",
        )
    done = received + timedelta(days=min(days_ago - 1, 30))
    if state in ("awaiting", "agreed"):
        report = services.report_propose_resolution(
            report=report,
            user=lead,
            summary="The case was reallocated and the family told what we expect.",
        )
        if state == "agreed":
            report = services.report_reporter_respond(
                report=report, agrees=True, today=done
            )
        return report
    outcome = {
        "not_agreed": Report.Outcome.RESOLVED_NOT_AGREED,
        "withdrawn": Report.Outcome.WITHDRAWN,
        "referred": Report.Outcome.REFERRED,
    }[state]
    return services.report_close(
        report=report,
        user=lead,
        outcome=outcome,
        summary="Closed after a conversation with the reporter.",
        today=done,
    )


def _figures_csv(rng: random.Random) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["period", "measure", "ethnicity", "count", "base"])
    for year, growth in ((2024, 0.96), (2025, 1.0)):
        inpost = {g: round(n * growth) for g, n in GROUPS.items()}
        for group, n in inpost.items():
            writer.writerow([year, "inpost", group, n, ""])
            senior = max(0, round(n * (0.08 if group in ("WHITE", "WBRI") else 0.03)))
            writer.writerow([year, "senior_managers", group, senior, ""])
        for measure, (white_rate, minority_rate) in RATES.items():
            white_jitter = 1 + rng.uniform(-0.15, 0.15) * (year - 2023)
            for group, n in inpost.items():
                base = n
                if measure == "shortlisted":
                    base = n * 2  # applicants
                elif measure == "appointed":  # base: those shortlisted
                    short_rate = RATES["shortlisted"][
                        0 if group in ("WHITE", "WBRI") else 1
                    ]
                    base = round(n * 2 * short_rate)
                rate = white_rate if group in ("WHITE", "WBRI") else minority_rate
                if group in ("UNKNOWN", "REFUSED"):
                    rate = (white_rate + minority_rate) / 2
                jitter = (
                    white_jitter
                    if group in ("WHITE", "WBRI")
                    else 1 + rng.uniform(-0.15, 0.15) * (year - 2023)
                )
                count = min(base, round(base * rate * jitter))
                writer.writerow([year, measure, group, count, base])
    return buffer.getvalue().encode()


def seed_demo(*, stdout) -> None:
    if Report.objects.filter(is_demo=True).exists():
        stdout.write("Workforce: demo content already present.")
        return
    today = timezone.localdate()
    lead = _lead()
    for spec in DEMO_REPORTS:
        _report(*spec, lead, today)
    if not WorkforceBatch.objects.filter(is_demo=True).exists():
        services.workforce_import(
            content=_figures_csv(random.Random(14)),
            file_name="demo-workforce.csv",
            is_demo=True,
        )
    services.resolution_indicator_record(today=today)
    stdout.write(
        f"Workforce: {len(DEMO_REPORTS)} demo reports and two years of figures."
    )
