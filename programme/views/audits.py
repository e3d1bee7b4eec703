"""Practice audits: results for the board, recording, import, learning."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from arp.roles import role_required, user_can
from arp.views import refusal_shown
from programme.audits import charts, importing, selectors, services
from programme.audits.forms import (
    ActionFromAuditForm,
    AuditForm,
    ImportForm,
    LessonFromAuditForm,
    QuestionFormSet,
    ResultsFilterForm,
)
from programme.audits.results import overall_sentence
from programme.exports import XLSX_TYPE, csv_response


def _results_form(request) -> ResultsFilterForm | None:
    """Filters for auditors only.

    The Board sees the fixed views (all audits, by group, team and quarter):
    with free filters, a group hidden in one view could be worked out by
    taking one filtered view from another.
    """
    if not user_can(request.user, "programme.contribute"):
        return None
    return ResultsFilterForm(request.GET or None)


def _filters(form) -> dict:
    """Auditors' filters; for the Board, every audit up to the last whole quarter.

    Stopping at a quarter's end means the Board's figures change once a
    quarter, in step with the indicator, not with each audit saved.
    """
    if form is not None:
        return form.filters()
    _, end = services.last_complete_quarter(timezone.localdate())
    return {"date_to": end}


@role_required("programme.view")
def audit_results(request):
    form = _results_form(request)
    filters = _filters(form)
    breakdowns = selectors.audit_results(**filters)
    code = selectors.overall_code()
    return render(
        request,
        "programme/audits/results.html",
        {
            "form": form,
            "breakdowns": breakdowns,
            "tables": [breakdowns["group"], breakdowns["team"], breakdowns["quarter"]],
            "sentence": overall_sentence(breakdowns["group"], overall_code=code),
            "team_sentence": overall_sentence(
                breakdowns["team"], overall_code=code, what="team"
            ),
            "group_figure": charts.by_group(breakdowns["group"]),
            "trend_figure": charts.trend(breakdowns["quarter"]),
            "min_count": selectors.disclosure_min_count(),
            "query": request.GET.urlencode() if form is not None else "",
            "board_to": filters.get("date_to") if form is None else None,
        },
    )


@role_required("programme.view")
def audit_results_csv(request):
    breakdowns = selectors.audit_results(**_filters(_results_form(request)))
    header = ["Breakdown", "Group", "Audits", "Standard", "Met", "Applicable",
              "% meeting"]  # fmt: skip
    rows = []
    for b in breakdowns.values():
        for row in b.rows:
            for group, cell in [*zip(b.groups, row.cells, strict=True)]:
                rows.append(_csv_row(b.title, group.label, group.audits, row, cell))
            rows.append(_csv_row(b.title, "All audits", b.total_audits, row, row.total))
    return csv_response(header, rows, filename="audit-results")


def _csv_row(title, label, audits, row, cell):
    hidden = "suppressed"
    return [
        title,
        label,
        hidden if audits is None else audits,
        row.question.text,
        hidden if cell.suppressed else cell.met,
        hidden if cell.suppressed else cell.applicable,
        hidden if cell.percent is None else cell.percent,
    ]


@role_required("programme.contribute")
def audit_create(request):
    question_set = services.audit_question_set_ensure()
    form = AuditForm(request.POST or None, question_set=question_set)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_record(auditor=request.user, data=form.audit_input())
        except services.AuditError as exc:
            form.add_error(None, str(exc))
        else:
            linked = selectors.linked_audits(audit).count()
            messages.success(
                request,
                f"Audit {audit.short_reference} saved."
                + (f" It links to {linked} earlier audit(s) of this case."
                   if linked else ""),
            )  # fmt: skip
            if "another" in request.POST:
                return redirect("programme:audit_create")
            return redirect(audit)
    return render(
        request,
        "programme/audits/form.html",
        {"form": form, "question_set": question_set, "teams": selectors.audit_teams()},
    )


@role_required("programme.contribute")
def audit_list(request):
    audits = selectors.audits_visible_to(request.user)[:200]
    return render(request, "programme/audits/list.html", {"audits": audits})


@role_required("programme.contribute")
def audit_detail(request, pk: int):
    audit = selectors.get_audit_for_user(user=request.user, pk=pk)
    return render(
        request,
        "programme/audits/detail.html",
        {
            "audit": audit,
            "answers": selectors.audit_answers(audit),
            "linked": selectors.linked_audits(audit).filter(
                pk__in=selectors.audits_visible_to(request.user)
            ),
            "can_edit": selectors.audit_can_change(request.user, audit),
            "lesson_form": LessonFromAuditForm(),
            "action_form": ActionFromAuditForm(initial={"owner": request.user}),
        },
    )


def _learning_to(form_class, service, *, invalid: str, done: str):
    """A POST that turns an audit's learning into a lesson or an action."""

    @role_required("programme.contribute")
    @require_POST
    def view(request, pk: int):
        audit = selectors.get_audit_for_user(user=request.user, pk=pk, for_change=True)
        if not (form := form_class(request.POST)).is_valid():
            messages.error(request, invalid or _errors(form))
            return redirect(audit)
        with refusal_shown(request, services.AuditError):
            made = service(audit=audit, user=request.user, **form.cleaned_data)
            messages.success(request, done)
            return redirect(made)
        return redirect(audit)

    view.__name__ = f"audit_to_{service.__name__.rsplit('_', 1)[-1]}"
    return view


def _errors(form) -> str:
    return "; ".join(e for errors in form.errors.values() for e in errors)


audit_to_lesson = _learning_to(
    LessonFromAuditForm,
    services.audit_learning_to_lesson,
    invalid="Give the lesson a title, a type and a theme.",
    done="The learning is now a lesson learnt.",
)
audit_to_action = _learning_to(
    ActionFromAuditForm,
    services.audit_learning_to_action,
    invalid="",  # the form's own errors say what is missing
    done="The learning is now an action on the plan.",
)


@role_required("programme.contribute")
def audit_import(request):
    question_set = services.audit_question_set_ensure()
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = importing.parse(upload.name, upload.read())
            result = importing.validate(
                rows, question_set=question_set, today=timezone.localdate()
            )
        except importing.ImportProblem as exc:
            problems = [str(exc)]
        else:
            problems = result.problems
            if result.ok:
                audits = services.audits_import(auditor=request.user, rows=result.rows)
                messages.success(request, f"Imported {len(audits)} audits.")
                return redirect("programme:audit_list")
    return render(
        request,
        "programme/audits/import.html",
        {
            "form": form,
            "problems": problems[: importing.MAX_PROBLEMS_SHOWN],
            "more_problems": max(0, len(problems) - importing.MAX_PROBLEMS_SHOWN),
            "columns": importing.template_columns(question_set),
        },
    )


@role_required("programme.contribute")
def audit_template(request, fmt: str):
    question_set = services.audit_question_set_ensure()
    if fmt == "xlsx":
        response = HttpResponse(importing.template_xlsx(question_set),
                                content_type=XLSX_TYPE)  # fmt: skip
    else:
        response = HttpResponse(
            importing.template_csv(question_set), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="audit-template.{fmt}"'
    return response


@role_required("programme.contribute")
def audit_questions(request):
    question_set = services.audit_question_set_ensure()
    can_edit = user_can(request.user, "programme.manage")
    initial = [
        {"code": q.code, "text": q.text, "guidance": q.guidance,
         "is_overall": q.is_overall}
        for q in question_set.questions.all()
    ]  # fmt: skip
    formset = QuestionFormSet(
        request.POST if request.method == "POST" and can_edit else None,
        initial=initial,
        prefix="q",
    )
    if request.method == "POST" and can_edit and formset.is_valid():
        # A blank extra row has empty cleaned_data and is left out.
        specs = [
            f.spec()
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            revised = services.audit_question_set_revise(
                user=request.user, questions=specs
            )
        except services.AuditError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Saved as version {revised.version}.")
            return redirect("programme:audit_questions")
    elif request.method == "POST" and not can_edit:
        raise PermissionDenied
    return render(
        request,
        "programme/audits/questions.html",
        {
            "question_set": question_set,
            "formset": formset,
            "can_edit": can_edit,
            "versions": selectors.question_sets(),
        },
    )


@role_required("programme.contribute")
def audit_delete(request, pk: int):
    audit = selectors.get_audit_for_user(user=request.user, pk=pk, for_change=True)
    if request.method == "POST":
        try:
            services.audit_delete(audit=audit, user=request.user)
        except services.AuditError as exc:
            messages.error(request, str(exc))
            return redirect(audit)
        messages.success(request, "Audit deleted.")
        return redirect("programme:audit_list")
    return render(request, "programme/audits/delete.html", {"audit": audit})
