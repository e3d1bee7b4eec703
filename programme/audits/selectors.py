"""Reads for practice audits: records, facts for results, the question set."""

from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from arp.access import get_for_user
from arp.roles import user_can
from disproportionality.taxonomy import CODE_MAJOR, MAJOR_GROUPS
from programme.audits import results
from programme.audits.defaults import OVERALL_CODE
from programme.audits.models import Audit, AuditAnswer, AuditQuestion, AuditQuestionSet

# Ethnic groups are shown at the DfE major level: detailed groups would be
# too small to show in one council's audit sample.
GROUP_ORDER = tuple(code for code, _ in MAJOR_GROUPS)
GROUP_LABELS = dict(MAJOR_GROUPS)


def disclosure_min_count() -> int:
    return int(getattr(settings, "DISCLOSURE_MIN_COUNT", 6))


def current_question_set() -> AuditQuestionSet | None:
    return (
        AuditQuestionSet.objects.filter(is_current=True)
        .prefetch_related("questions")
        .first()
    )


def question_sets() -> QuerySet[AuditQuestionSet]:
    return AuditQuestionSet.objects.prefetch_related("questions")


def audits_visible_to(user) -> QuerySet[Audit]:
    """Individual audit records: Programme admins see all, auditors their own.

    The Board never sees a record, only the disclosure-controlled results.
    """
    return Audit.objects.visible_to(user).select_related(
        "auditor", "question_set", "lesson", "action"
    )


def audit_can_change(user, audit: Audit) -> bool:
    """Its auditor or a Programme admin: delete it, turn its learning into a
    lesson or an action."""
    return user_can(user, "programme.manage") or (
        user_can(user, "programme.contribute") and audit.auditor_id == user.pk
    )


def get_audit_for_user(*, user, pk: int, for_change: bool = False) -> Audit:
    """404 for anyone else's record (arp.access)."""
    return get_for_user(
        audits_visible_to(user), audit_can_change, user, for_change, pk=pk
    )


def linked_audits(audit: Audit) -> QuerySet[Audit]:
    """Other audits of the same case (same keyed reference), newest first."""
    return (
        Audit.objects.filter(reference=audit.reference)
        .exclude(pk=audit.pk)
        .order_by("-month", "-pk")
    )


def audit_answers(audit: Audit) -> QuerySet[AuditAnswer]:
    return audit.answers.select_related("question").order_by("question__order")


def audit_teams() -> list[str]:
    return list(
        Audit.objects.order_by("team").values_list("team", flat=True).distinct()
    )


def _filtered(qs, prefix: str, *, date_from, date_to, stage, team):
    if date_from:
        qs = qs.filter(**{f"{prefix}month__gte": date_from.replace(day=1)})
    if date_to:
        qs = qs.filter(**{f"{prefix}month__lte": date_to})
    if stage:
        qs = qs.filter(**{f"{prefix}stage": stage})
    if team:
        qs = qs.filter(**{f"{prefix}team": team})
    return qs


def audit_facts(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    stage: str = "",
    team: str = "",
) -> list[results.AuditTally]:
    """Audits in the month range, summed by team, ethnicity and month (2 queries).

    The database adds up the answers, so the rows coming back grow with the
    number of teams, groups and months, not with the number of audits.
    """
    filters = {"date_from": date_from, "date_to": date_to, "stage": stage,
               "team": team}  # fmt: skip
    audits = _filtered(Audit.objects.all(), "", **filters)
    counts = audits.values_list("team", "ethnicity", "month").annotate(n=Count("pk"))
    answers = (
        _filtered(AuditAnswer.objects.all(), "audit__", **filters)
        .values_list(
            "audit__team", "audit__ethnicity", "audit__month", "question__code"
        )  # fmt: skip
        .annotate(
            met=Count("pk", filter=Q(answer=AuditAnswer.Answer.YES)),
            applicable=Count("pk", filter=~Q(answer=AuditAnswer.Answer.NOT_APPLICABLE)),
        )
    )
    met: dict[tuple, dict[str, int]] = {}
    applicable: dict[tuple, dict[str, int]] = {}
    for team_name, ethnicity, month, code, n_met, n_applicable in answers:
        key = (team_name, ethnicity, month)
        met.setdefault(key, {})[code] = n_met
        applicable.setdefault(key, {})[code] = n_applicable
    return [
        results.AuditTally(
            team=team_name,
            group=CODE_MAJOR.get(ethnicity, "UNKNOWN"),
            month=month,
            audits=n,
            met=met.get((team_name, ethnicity, month), {}),
            applicable=applicable.get((team_name, ethnicity, month), {}),
        )
        for team_name, ethnicity, month, n in counts.order_by()
    ]


def result_questions() -> list[results.Question]:
    """The current set's questions, overall judgement first."""
    question_set = current_question_set()
    if question_set is None:
        return []
    questions = sorted(
        question_set.questions.all(), key=lambda q: (not q.is_overall, q.order)
    )
    return [results.Question(code=q.code, text=q.text) for q in questions]


def audit_results(**filters) -> dict[str, results.Breakdown]:
    """The three breakdowns the results page, its CSV and the sentence share."""
    facts = audit_facts(**filters)
    questions = result_questions()
    min_count = disclosure_min_count()
    return {
        "group": results.breakdown(
            facts,
            questions,
            dimension="group",
            title="By the child's ethnic group",
            key=lambda f: f.group,
            labels=GROUP_LABELS,
            order=GROUP_ORDER,
            min_count=min_count,
        ),
        "team": results.breakdown(
            facts,
            questions,
            dimension="team",
            title="By team or quadrant",
            key=lambda f: f.team,
            labels=lambda k: k,
            min_count=min_count,
        ),
        "quarter": results.breakdown(
            facts,
            questions,
            dimension="quarter",
            title="By quarter",
            key=lambda f: results.quarter_of(f.month),
            labels=lambda k: k,
            min_count=min_count,
        ),
    }


def overall_code() -> str:
    question = (
        AuditQuestion.objects.filter(question_set__is_current=True, is_overall=True)
        .values_list("code", flat=True)
        .first()
    )
    return question or OVERALL_CODE
