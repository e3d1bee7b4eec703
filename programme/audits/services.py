"""Writes for practice audits.

Keyword-only, typed, each in a transaction; ``AuditError`` (a
``ProgrammeError``) carries a message for the page. The case-system id passes
through ``audit_record`` only as far as ``audit_reference``: it is never saved,
logged or put in a message.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from arp.roles import user_can
from arp.statistics import percent
from disproportionality.taxonomy import CODES
from programme import services as programme_services
from programme.audits import results, selectors
from programme.audits.defaults import DEFAULT_QUESTIONS
from programme.audits.models import Audit, AuditAnswer, AuditQuestion, AuditQuestionSet
from programme.audits.reference import audit_reference
from programme.models import Action, LessonLearnt

AUDIT_INDICATOR_KEY = "assessments-reflect-ethnicity-percent"
AUDIT_INDICATOR_ASPIRATION = 6


class AuditError(programme_services.ProgrammeError):
    """An audit the rules do not allow; the message says why."""


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    text: str
    guidance: str = ""
    is_overall: bool = False


# --- Question sets ----------------------------------------------------------


@transaction.atomic
def audit_question_set_ensure() -> AuditQuestionSet:
    """The current question set, creating version 1 from the defaults if none."""
    current = AuditQuestionSet.objects.filter(is_current=True).first()
    if current is not None:
        return current
    return _new_set([QuestionSpec(*row) for row in DEFAULT_QUESTIONS], user=None)


def _new_set(specs: Sequence[QuestionSpec], *, user) -> AuditQuestionSet:
    latest = AuditQuestionSet.objects.aggregate(v=Max("version"))["v"] or 0
    AuditQuestionSet.objects.filter(is_current=True).update(is_current=False)
    question_set = AuditQuestionSet.objects.create(
        version=latest + 1, is_current=True, created_by=user
    )
    _questions_create(question_set, specs)
    return question_set


def _questions_create(
    question_set: AuditQuestionSet, specs: Sequence[QuestionSpec]
) -> None:
    """The set's questions, numbered in the order given."""
    AuditQuestion.objects.bulk_create(
        AuditQuestion(
            question_set=question_set,
            order=i,
            code=spec.code,
            text=spec.text,
            guidance=spec.guidance,
            is_overall=spec.is_overall,
        )
        for i, spec in enumerate(specs, start=1)
    )


def _check_specs(specs: Sequence[QuestionSpec]) -> None:
    if not specs:
        raise AuditError("A question set needs at least one question.")
    codes = [s.code for s in specs]
    if len(set(codes)) != len(codes):
        raise AuditError("Each question needs its own short code.")
    if sum(s.is_overall for s in specs) != 1:
        raise AuditError("Mark exactly one question as the overall judgement.")


@transaction.atomic
def audit_question_set_revise(
    *, user, questions: Sequence[QuestionSpec]
) -> AuditQuestionSet:
    """Save new wording as the current set.

    A set that audits have used is never changed: the revision becomes a new
    version and earlier audits keep the questions they answered. A set no audit
    has used yet is edited in place.
    """
    if not user_can(user, "programme.manage"):
        raise AuditError("Only Programme admins change the audit questions.")
    _check_specs(questions)
    current = (
        AuditQuestionSet.objects.select_for_update().filter(is_current=True).first()
    )
    if current is None or current.audits.exists():
        return _new_set(questions, user=user)
    current.questions.all().delete()
    _questions_create(current, questions)
    return current


# --- Audits -------------------------------------------------------------------


@dataclass(frozen=True)
class AuditInput:
    """One audit as typed in or imported (the case id is still in clear here)."""

    case_reference: str
    team: str
    month: date
    ethnicity: str
    stage: str
    answers: Mapping[str, str]
    learning: str = ""


def audit_validate(
    data: AuditInput, *, question_set: AuditQuestionSet, today: date
) -> list[str]:
    """Every problem with one audit, in words for the auditor (empty: fine)."""
    problems = []
    try:
        audit_reference(data.case_reference)
    except ValueError as exc:
        problems.append(str(exc))
    if not data.team.strip():
        problems.append("Enter the team or quadrant.")
    if data.month > today:
        problems.append("The month audited cannot be in the future.")
    if data.ethnicity not in CODES:
        problems.append(
            f"{data.ethnicity!r} is not a DfE ethnicity code (for example WBRI, "
            "BAFR, MWBC)."
        )
    if data.stage not in Audit.Stage.values:
        problems.append(f"Stage must be one of {', '.join(Audit.Stage.values)}.")
    for question in question_set.questions.all():
        answer = data.answers.get(question.code, "")
        if answer not in AuditAnswer.Answer.values:
            problems.append(
                f"Answer '{question.code}' with Yes, Partly, No or Not applicable."
            )
    return problems


def _write(data: AuditInput, *, question_set, auditor, is_demo: bool) -> Audit:
    audit = Audit.objects.create(
        question_set=question_set,
        reference=audit_reference(data.case_reference),
        team=data.team.strip(),
        month=data.month.replace(day=1),
        ethnicity=data.ethnicity,
        stage=data.stage,
        learning=data.learning.strip(),
        auditor=auditor,
        created_at=timezone.now(),
        is_demo=is_demo,
    )
    AuditAnswer.objects.bulk_create(
        AuditAnswer(audit=audit, question=q, answer=data.answers[q.code])
        for q in question_set.questions.all()
    )
    return audit


@transaction.atomic
def audit_record(
    *, auditor, data: AuditInput, is_demo: bool = False, today: date | None = None
) -> Audit:
    """Record one audit against the current question set."""
    if not user_can(auditor, "programme.contribute"):
        raise AuditError("Only the Steering group and Programme admins audit.")
    question_set = audit_question_set_ensure()
    problems = audit_validate(
        data, question_set=question_set, today=today or timezone.localdate()
    )
    if problems:
        raise AuditError(" ".join(problems))
    return _write(data, question_set=question_set, auditor=auditor, is_demo=is_demo)


@transaction.atomic
def audits_import(*, auditor, rows: Sequence[AuditInput]) -> list[Audit]:
    """Write already-validated rows (see ``programme.audits.importing``)."""
    if not user_can(auditor, "programme.contribute"):
        raise AuditError("Only the Steering group and Programme admins audit.")
    question_set = audit_question_set_ensure()
    return [
        _write(row, question_set=question_set, auditor=auditor, is_demo=False)
        for row in rows
    ]


@transaction.atomic
def audit_delete(*, audit: Audit, user) -> None:
    """Remove an audit recorded in error (its auditor or a Programme admin).

    A lesson or action already made from its learning stays on the programme.
    """
    if not selectors.audit_can_change(user, audit):
        raise AuditError("Only the auditor or a Programme admin can delete it.")
    audit.delete()


# --- Learning into the programme ---------------------------------------------


@transaction.atomic
def audit_learning_to_lesson(
    *, audit: Audit, user, title: str, kind: str, theme: str
) -> LessonLearnt:
    """Turn an audit's learning into a lesson learnt, in one step."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if not selectors.audit_can_change(user, audit):
        raise AuditError("Only the auditor or a Programme admin can do that.")
    if not audit.learning.strip():
        raise AuditError("This audit has no learning written down yet.")
    if audit.lesson_id:
        raise AuditError("This learning is already a lesson learnt.")
    if kind not in LessonLearnt.Kind.values or theme not in LessonLearnt.Theme.values:
        raise AuditError("Choose what kind of lesson it is and its theme.")
    if not title.strip():
        raise AuditError("Give the lesson a title.")
    lesson = LessonLearnt.objects.create(
        kind=kind,
        theme=theme,
        title=title.strip()[:200],
        description=(
            f"{audit.learning}\n\nFrom a practice audit ({audit.month:%B %Y}, "
            f"{audit.team})."
        ),
        recorded_on=timezone.localdate(),
        created_by=user,
    )
    audit.lesson = lesson
    audit.save(update_fields=["lesson"])
    return lesson


@transaction.atomic
def audit_learning_to_action(
    *, audit: Audit, user, title: str, owner, due_on: date
) -> Action:
    """Turn an audit's learning into an aspiration 6 action, in one step."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if not selectors.audit_can_change(user, audit):
        raise AuditError("Only the auditor or a Programme admin can do that.")
    if not audit.learning.strip():
        raise AuditError("This audit has no learning written down yet.")
    if audit.action_id:
        raise AuditError("This learning is already an action.")
    if not title.strip():
        raise AuditError("Give the action a title.")
    if due_on < timezone.localdate():
        raise AuditError("The due date cannot be in the past.")
    action = programme_services.action_create(
        user=user,
        title=title.strip()[:200],
        description=f"{audit.learning}\n\nFrom a practice audit ({audit.month:%B %Y}).",
        aspiration=programme_services._aspiration_for_number(
            AUDIT_INDICATOR_ASPIRATION
        ),
        owner=owner,
        due_on=due_on,
    )
    audit.action = action
    audit.save(update_fields=["action"])
    return action


# --- Feeding aspiration 6 -------------------------------------------------------


def last_complete_quarter(today: date) -> tuple[date, date]:
    """First and last day of the calendar quarter before the one ``today`` is in."""
    first_of_this, _ = results.quarter_bounds(results.quarter_of(today))
    return results.quarter_bounds(results.quarter_of(first_of_this - timedelta(days=1)))


def audit_indicator_record(
    *, quarter_end: date | None = None, today: date | None = None
):
    """Write the quarter's "% of audited assessments reflecting ethnicity, race
    and culture" to aspiration 6, dated the quarter's last day.

    The figure is the share of audits of months in the quarter whose overall
    judgement is Yes (Not applicable left out). Quarters with fewer than
    ``DISCLOSURE_MIN_COUNT`` judged audits are skipped (returns None): the
    Board sees the indicator, so it follows the same disclosure rule as the
    results page.
    """
    if quarter_end is None:
        start, end = last_complete_quarter(today or timezone.localdate())
    else:
        start, end = results.quarter_bounds(results.quarter_of(quarter_end))
    facts = selectors.audit_facts(date_from=start, date_to=end)
    tally = results.indicator_value(
        facts,
        overall_code=selectors.overall_code(),
        min_count=selectors.disclosure_min_count(),
    )
    if tally is None:
        return None
    met, judged = tally
    value = percent(met, judged)
    with transaction.atomic():
        indicator = programme_services.indicator_ensure(
            key=AUDIT_INDICATOR_KEY,
            aspiration_number=AUDIT_INDICATOR_ASPIRATION,
            name="% of audited assessments reflecting ethnicity, race and culture",
            unit="percent",
            higher_is_better=True,
            data_source="Practice audits through a racial lens (overall judgement)",
        )
        return programme_services.indicator_record_reading(
            indicator=indicator,
            value=value,
            taken_on=end,
            note=(
                f"{met} of {judged} audits of {start:%b} to {end:%b %Y} met the "
                "overall standard."
            ),
        )
