"""A leader's own self-evaluations, and the aggregates for the board.

Every view reads the signed-in user's own evaluations only; there is no URL
with an evaluation's id in it, so there is nothing of anyone else's to ask for.
"""

import csv
import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from arp.roles import role_required
from arp.views import refusal_shown
from learning_spaces.self_evaluation import selectors, services
from learning_spaces.self_evaluation.forms import SelfEvaluationForm
from learning_spaces.self_evaluation.questions import PROMPTS, QUESTION_BY_CODE
from learning_spaces.self_evaluation.rounds import round_for
from programme.exports import spreadsheet_safe


@role_required("learning_spaces.self_evaluate")
def self_evaluation_index(request):
    today = timezone.localdate()
    evaluations = selectors.own_evaluations(request.user)
    rounds, rows = selectors.history(evaluations)
    current = round_for(today)
    return render(
        request,
        "learning_spaces/self_evaluation/index.html",
        {
            "rounds": rounds,
            "rows": rows,
            "current": current,
            "answered_current": any(r == current for r in rounds),
        },
    )


@role_required("learning_spaces.self_evaluate")
def self_evaluation_answer(request):
    current = round_for(timezone.localdate())
    existing = selectors.own_evaluation(request.user, current)
    initial = SelfEvaluationForm.initial_from(existing) if existing else None
    form = SelfEvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, services.SelfEvaluationError, form=form):
            services.self_evaluation_save(leader=request.user, answers=form.answers())
            messages.success(
                request,
                f"Saved your self-evaluation for {current.label}. Only you can "
                "read it.",
            )
            return redirect("learning_spaces:self_evaluation")
    return render(
        request,
        "learning_spaces/self_evaluation/form.html",
        {"form": form, "current": current, "existing": existing, "prompts": PROMPTS},
    )


@role_required("learning_spaces.self_evaluate")
def self_evaluation_export(request):
    """The leader's own answers, every round, as CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Round", "Question", "Rating (1–5)", "Reflection", "Last saved"])
    for evaluation in selectors.own_evaluations(request.user):
        label = round_for(evaluation.round_starts_on).label
        for answer in evaluation.answers.all():
            question = QUESTION_BY_CODE.get(answer.question)
            writer.writerow(
                [
                    label,
                    question.text if question else answer.question,
                    "" if answer.rating is None else answer.rating,
                    spreadsheet_safe(answer.reflection),
                    timezone.localtime(evaluation.updated_at).strftime("%d/%m/%Y"),
                ]
            )
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-self-evaluations.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required("learning_spaces.self_evaluation_summary")
def self_evaluation_summary(request):
    today = timezone.localdate()
    return render(
        request,
        "learning_spaces/self_evaluation/summary.html",
        {
            "summaries": selectors.recent_summaries(today=today),
            "min_respondents": selectors.min_respondents(),
            "eligible": selectors.eligible_leaders().count(),
            "scale": (1, 2, 3, 4, 5),
        },
    )
