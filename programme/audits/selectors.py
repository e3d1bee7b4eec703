"""Reads for practice audits: records, facts for results, the question set."""

from datetime import date

from django.conf import settings
from django.db.models import QuerySet

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
    qs = Audit.objects.select_related("auditor", "question_set", "lesson", "action")
    if user_can(user, "programme.manage"):
        return qs
    if user_can(user, "programme.contribute"):
        return qs.filter(auditor=user)
    return qs.none()


def get_audit_for_user(user, pk: int) -> Audit:
    return audits_visible_to(user).get(pk=pk)


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


def audit_facts(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    stage: str = "",
    team: str = "",
) -> list[results.AuditFact]:
    """Audits in the month range, with answers keyed by question code (2 queries)."""
    audits = Audit.objects.all()
    if date_from:
        audits = audits.filter(month__gte=date_from.replace(day=1))
    if date_to:
        audits = audits.filter(month__lte=date_to)
    if stage:
        audits = audits.filter(stage=stage)
    if team:
        audits = audits.filter(team=team)
    rows = list(audits.values_list("pk", "team", "ethnicity", "month"))
    answers: dict[int, dict[str, str]] = {pk: {} for pk, *_ in rows}
    for audit_id, code, answer in AuditAnswer.objects.filter(
        audit__in=audits
    ).values_list("audit_id", "question__code", "answer"):
        answers[audit_id][code] = answer
    return [
        results.AuditFact(
            audit_id=pk,
            team=team_name,
            group=CODE_MAJOR.get(ethnicity, "UNKNOWN"),
            month=month,
            answers=answers[pk],
        )
        for pk, team_name, ethnicity, month in rows
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
