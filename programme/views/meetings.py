"""A meeting's decisions, the actions raised at it, and its stored board pack."""

import hashlib
import logging

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from arp.roles import role_required
from arp.views import refusal_shown
from programme import selectors, services
from programme.forms import MeetingActionForm, MeetingDecisionForm
from programme.models import BoardPack

logger = logging.getLogger(__name__)


# Recording a decision or raising an action adds to a meeting without changing
# it: any contributor may (the role check), so the meeting is asked for to see.


@role_required("programme.contribute")
@require_POST
def decision_add(request, pk: int):
    meeting = selectors.get_meeting_for_user(user=request.user, pk=pk)
    form = MeetingDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for es in form.errors.values() for e in es))
        return redirect(meeting)
    with refusal_shown(request, services.ProgrammeError):
        services.meeting_decision_add(
            meeting=meeting,
            user=request.user,
            text=form.cleaned_data["text"],
            owner=form.cleaned_data["owner"],
        )
        messages.success(request, "Decision recorded.")
    return redirect(meeting)


@role_required("programme.contribute")
def action_raise(request, pk: int):
    meeting = selectors.get_meeting_for_user(user=request.user, pk=pk)
    form = MeetingActionForm(
        request.POST or None, meeting=meeting, initial=_initial(request, meeting)
    )
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, services.ProgrammeError):
            action = services.meeting_action_raise(
                meeting=meeting, user=request.user, **form.cleaned_data
            )
            messages.success(request, f"Action “{action.title}” raised.")
            return redirect(meeting)
    return render(
        request,
        "programme/simple_form.html",
        {
            "form": form,
            "title": f"Raise an action at the {meeting}",
            "back_url": meeting.get_absolute_url(),
        },
    )


def _initial(request, meeting) -> dict:
    decision = request.GET.get("decision")
    if decision and decision.isdigit():
        return {"decision": meeting.decision_items.filter(pk=decision).first()}
    return {}


@role_required("programme.view")
def pack_download(request, pk: int):
    """The pack the meeting was given, exactly as stored."""
    meeting = selectors.get_meeting_for_user(user=request.user, pk=pk)
    pack = BoardPack.objects.filter(meeting=meeting).first()
    if pack is None:
        raise Http404("No board pack is stored for this meeting.")
    with pack.pdf.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != pack.sha256:
        # a paper of record that no longer matches its fingerprint is not served
        logger.error("Board pack %s does not match its SHA-256", pack.pk)
        return HttpResponse(
            "This meeting's stored pack no longer matches the fingerprint recorded "
            "when it was stored. Ask a Programme admin to restore it from backup.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="board-pack-{meeting.held_on:%Y-%m-%d}.pdf"'
    )
    return response
