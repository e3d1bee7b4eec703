"""Reviewing consented answers before anyone beyond staff reads them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from arp.roles import role_required
from arp.views import refusal_shown
from learning_spaces import redaction, selectors, services
from learning_spaces.forms import QuoteReviewForm


@role_required("learning_spaces.review")
def review_queue(request):
    page = Paginator(selectors.responses_awaiting_review(), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning_spaces/review_queue.html",
        {"page": page, "retention_days": services.retention_days()},
    )


@role_required("learning_spaces.review")
def response_review(request, reference: str):
    response = selectors.get_response_for_user(
        user=request.user, reference=reference, for_change=request.method == "POST"
    )
    original = services.quote_original(response)
    suggestions = redaction.suggest(original)
    initial = {
        "decision": "approve",
        "quote_text": response.quote_text or redaction.redact(original, suggestions),
    }
    form = QuoteReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, services.LearningSpacesError, form=form):
            services.response_review(
                response=response,
                approve=form.cleaned_data["decision"] == "approve",
                quote_text=form.cleaned_data["quote_text"],
                names_checked=form.cleaned_data["names_checked"],
            )
            messages.success(request, "Review saved.")
            return redirect("learning_spaces:review_queue")
    return render(
        request,
        "learning_spaces/response_review.html",
        {
            "response": response,
            "form": form,
            "original": original,
            "suggestions": suggestions,
        },
        status=400 if form.errors else 200,
    )
