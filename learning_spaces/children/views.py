"""The children's form (public) and the staff and board pages for its answers."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from arp.roles import role_required
from learning_spaces import protection
from learning_spaces.children import insights, selectors, services
from learning_spaces.children.forms import ChildFeedbackForm
from learning_spaces.models import LearningSession, Space
from learning_spaces.services import MIN_GROUP_SIZE, FeedbackClosed


def _closed(request, session):
    return render(
        request,
        "learning_spaces/feedback_closed.html",
        {"session": session},
        status=410,
    )


@never_cache
def child_feedback(request, session: LearningSession, token: str):
    """Called by the public feedback view once the form is known to be open."""
    expired = False
    if request.method == "POST":
        if protection.rate_limited(request, scope=token):
            return render(
                request,
                "learning_spaces/feedback_rate_limited.html",
                {"session": session},
                status=429,
            )
        form = ChildFeedbackForm(request.POST)
        if form.honeypot_filled():
            return redirect("learning_spaces:feedback_thanks", token=token)
        form_token = protection.read_form_token(
            token, request.POST.get("form_token", "")
        )
        expired = form_token is None
        if form.is_valid() and not expired:
            try:
                services.child_feedback_submit(
                    session=session, answers=form.answers(), form_token=form_token
                )
            except FeedbackClosed:
                return _closed(request, session)
            return redirect("learning_spaces:feedback_thanks", token=token)
        signed = (
            protection.issue_form_token(token)
            if expired
            else request.POST["form_token"]
        )
    else:
        form = ChildFeedbackForm()
        signed = protection.issue_form_token(token)
    return render(
        request,
        "learning_spaces/children/feedback_form.html",
        {"session": session, "form": form, "form_token": signed, "expired": expired},
    )


@role_required("learning_spaces.responses")
def session_child_responses(request, pk: int):
    session = get_object_or_404(
        LearningSession.objects.select_related("space"),
        pk=pk,
        space__audience=Space.Audience.PROUD_TO_BE_ME,
    )
    return render(
        request,
        "learning_spaces/children/session_responses.html",
        {
            "session": session,
            "responses": selectors.session_child_responses(session),
            "active": "sessions",
        },
    )


@role_required("learning_spaces.insights")
def proud_to_be_me_insights(request):
    rows = selectors.child_session_totals()
    return render(
        request,
        "learning_spaces/children/insights.html",
        {
            "overall": insights.summarise(
                "All sessions", rows, min_group=MIN_GROUP_SIZE
            ),
            "quarters": insights.by_quarter(rows, min_group=MIN_GROUP_SIZE),
            "min_group": MIN_GROUP_SIZE,
            "active": "insights",
        },
    )
