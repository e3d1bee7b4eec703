"""The children's form (public) and the staff and board pages for its answers."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from arp.roles import role_required
from learning_spaces import protection
from learning_spaces import selectors as ls_selectors
from learning_spaces.children import insights, selectors, services
from learning_spaces.children.forms import ChildFeedbackForm
from learning_spaces.models import LearningSession, Space
from learning_spaces.services import MIN_GROUP_SIZE
from learning_spaces.views.public import take_feedback


@never_cache
def child_feedback(request, session: LearningSession, token: str):
    """Called by the public feedback view once the form is known to be open."""
    if request.method == "POST":
        posted = take_feedback(
            request, session, token, ChildFeedbackForm, services.child_feedback_submit
        )
        if isinstance(posted, HttpResponse):
            return posted
        form, signed, expired = posted
    else:
        form, signed, expired = (
            ChildFeedbackForm(),
            protection.issue_form_token(token),
            False,
        )
    return render(
        request,
        "learning_spaces/children/feedback_form.html",
        {"session": session, "form": form, "form_token": signed, "expired": expired},
    )


@role_required("learning_spaces.responses")
def session_child_responses(request, pk: int):
    session = ls_selectors.get_session_for_user(user=request.user, pk=pk)
    if session.space.audience != Space.Audience.PROUD_TO_BE_ME:
        raise Http404("Only Proud to be Me sessions have children's answers.")
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
