"""Staff pages: spaces, sessions, responses, downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from arp.roles import role_required, user_can
from learning_spaces import downloads, exports, selectors, services
from learning_spaces.forms import (
    MarkHeldForm,
    PromoteForm,
    ScheduleForm,
    SessionForm,
    SpaceForm,
    ThemeReviewForm,
)
from learning_spaces.models import FeedbackResponse, LearningSession, Space
from programme.tools import selectors as tool_selectors
from programme.tools import services as tool_services


def get_session_for_user(request, pk: int) -> LearningSession:
    """A session a manager may see (others are stopped by the decorators)."""
    return get_object_or_404(
        LearningSession.objects.select_related("space", "facilitator"), pk=pk
    )


def get_response_for_user(request, pk: int) -> FeedbackResponse:
    return get_object_or_404(
        FeedbackResponse.objects.select_related("session__space", "testimonial"),
        pk=pk,
    )


# --- Sessions list -----------------------------------------------------------


@role_required("learning_spaces.view_sessions")
def index(request):
    """Upcoming sessions for everyone who may see them; past ones for managers."""
    context = {"upcoming": selectors.sessions_upcoming()}
    if user_can(request.user, "learning_spaces.manage"):
        paginator = Paginator(selectors.sessions_past(), 25)
        context["past_page"] = paginator.get_page(request.GET.get("page"))
    return render(request, "learning_spaces/index.html", context)


# --- Spaces ------------------------------------------------------------------


@role_required("learning_spaces.manage")
def space_list(request):
    return render(
        request,
        "learning_spaces/space_list.html",
        {"spaces": selectors.spaces_with_counts()},
    )


@role_required("learning_spaces.manage")
def space_detail(request, pk: int):
    space = get_object_or_404(Space.objects.prefetch_related("facilitators"), pk=pk)
    sessions = (
        space.sessions.select_related("facilitator")
        .annotate(response_count=Count("responses"))
        .order_by("-starts_at")
    )
    return render(
        request,
        "learning_spaces/space_detail.html",
        {"space": space, "sessions": sessions, "schedule_form": ScheduleForm()},
    )


def _space_form(request, space=None):
    form = SpaceForm(request.POST or None, instance=space)
    if request.method == "POST" and form.is_valid():
        space = form.save()
        messages.success(request, f"Saved {space.name}.")
        return redirect(space)
    return render(
        request, "learning_spaces/space_form.html", {"form": form, "space": space}
    )


@role_required("learning_spaces.manage")
def space_create(request):
    return _space_form(request)


@role_required("learning_spaces.manage")
def space_edit(request, pk: int):
    return _space_form(request, get_object_or_404(Space, pk=pk))


@role_required("learning_spaces.manage")
@require_POST
def space_schedule(request, pk: int):
    space = get_object_or_404(Space, pk=pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a number of sessions from 1 to 12.")
        return redirect(space)
    result = services.session_schedule_next(
        space=space, count=form.cleaned_data["count"]
    )
    dates = ", ".join(
        f"{timezone.localtime(s.starts_at):%-d %b %Y}" for s in result.created
    )
    if result.created:
        messages.success(
            request, f"Scheduled {len(result.created)} session(s): {dates}."
        )
    if result.already_scheduled:
        messages.info(
            request, f"{result.already_scheduled} session(s) were already scheduled."
        )
    return redirect(space)


# --- Sessions ------------------------------------------------------------------


@role_required("learning_spaces.manage")
def session_detail(request, pk: int):
    session = get_session_for_user(request, pk)
    responses = selectors.session_responses(session)
    return render(
        request,
        "learning_spaces/session_detail.html",
        {
            "session": session,
            "responses": responses,
            "qr_svg": downloads.qr_svg(session),
            "held_form": MarkHeldForm(initial={"attendance": session.attendance}),
            "feedback_state": session.feedback_state(),
            "tools": tool_selectors.tools_for_session(session.pk),
        },
    )


def _session_form(request, session=None):
    initial = {}
    if session is None and request.GET.get("space", "").isdigit():
        space = Space.objects.filter(pk=request.GET["space"]).first()
        if space:
            initial = {
                "space": space,
                "venue": space.default_venue,
                "online_link": space.default_online_link,
            }
    form = SessionForm(request.POST or None, instance=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            session = form.save()
            tool_services.session_tools_set(
                session_id=session.pk, tool_ids=form.tool_ids()
            )
        messages.success(request, f"Saved {session}.")
        return redirect(session)
    return render(
        request,
        "learning_spaces/session_form.html",
        {"form": form, "session": session},
    )


@role_required("learning_spaces.manage")
def session_create(request):
    return _session_form(request)


@role_required("learning_spaces.manage")
def session_edit(request, pk: int):
    return _session_form(request, get_session_for_user(request, pk))


@role_required("learning_spaces.manage")
@require_POST
def session_mark_held(request, pk: int):
    session = get_session_for_user(request, pk)
    form = MarkHeldForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("attendance", []):
            messages.error(request, error)
        return redirect(session)
    try:
        services.session_mark_held(
            session=session, attendance=form.cleaned_data["attendance"]
        )
    except services.LearningSpacesError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Marked as held. Facilitators will get the feedback link by email.",
        )
    return redirect(session)


@role_required("learning_spaces.manage")
@require_POST
def session_cancel(request, pk: int):
    session = get_session_for_user(request, pk)
    try:
        services.session_cancel(session=session)
    except services.LearningSpacesError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Session cancelled; its feedback form is closed.")
    return redirect(session)


@role_required("learning_spaces.view_sessions")
def session_ics(request, pk: int):
    """Calendar file. Practitioners may download upcoming sessions only."""
    session = get_session_for_user(request, pk)
    may_manage = user_can(request.user, "learning_spaces.manage")
    upcoming = selectors.sessions_upcoming().filter(pk=session.pk).exists()
    if not may_manage and not upcoming:
        raise PermissionDenied
    response = HttpResponse(downloads.session_ics(session), "text/calendar")
    response["Content-Disposition"] = (
        f'attachment; filename="learning-session-{session.pk}.ics"'
    )
    return response


@role_required("learning_spaces.manage")
def session_qr_svg(request, pk: int):
    session = get_session_for_user(request, pk)
    response = HttpResponse(downloads.qr_svg_file(session), "image/svg+xml")
    response["Content-Disposition"] = (
        f'attachment; filename="feedback-qr-session-{session.pk}.svg"'
    )
    return response


@role_required("learning_spaces.manage")
def session_qr_png(request, pk: int):
    session = get_session_for_user(request, pk)
    response = HttpResponse(downloads.qr_png(session), "image/png")
    response["Content-Disposition"] = (
        f'attachment; filename="feedback-qr-session-{session.pk}.png"'
    )
    return response


def _export(rows, kind: str, filename: str) -> HttpResponse:
    if kind == "csv":
        response = HttpResponse(exports.to_csv(rows), "text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(rows),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response


@role_required("learning_spaces.responses")
def session_responses_csv(request, pk: int):
    session = get_session_for_user(request, pk)
    rows = exports.response_rows(
        selectors.responses_for_reading().filter(session=session)
    )
    return _export(rows, "csv", f"learning-session-{session.pk}-responses")


@role_required("learning_spaces.responses")
def session_responses_xlsx(request, pk: int):
    session = get_session_for_user(request, pk)
    rows = exports.response_rows(
        selectors.responses_for_reading().filter(session=session)
    )
    return _export(rows, "xlsx", f"learning-session-{session.pk}-responses")


# --- Responses -----------------------------------------------------------------


@role_required("learning_spaces.responses")
def response_detail(request, pk: int):
    """Read one response; confirm or change its themes."""
    response = get_response_for_user(request, pk)
    form = ThemeReviewForm(
        request.POST or None, initial={"themes": list(response.themes.all())}
    )
    if request.method == "POST" and form.is_valid():
        services.response_set_themes(
            response=response, themes=form.cleaned_data["themes"]
        )
        messages.success(request, "Themes confirmed.")
        return redirect("learning_spaces:response_detail", pk=response.pk)
    return render(
        request,
        "learning_spaces/response_detail.html",
        {
            "response": response,
            "form": form,
            "suggested": list(response.suggested_themes.all()),
        },
    )


@role_required("learning_spaces.responses")
def response_promote(request, pk: int):
    """Edit a consented answer into a quote and make it a programme testimonial."""
    response = get_response_for_user(request, pk)
    if not response.consent_to_quote:
        messages.error(
            request,
            "This person did not agree to be quoted, so their answer cannot go to "
            "the board.",
        )
        return redirect("learning_spaces:response_detail", pk=response.pk)
    month = timezone.localtime(response.session.starts_at)
    form = PromoteForm(
        request.POST or None,
        initial={
            "quote": response.gained_most,
            "source_detail": f"Learning space feedback: {response.session.space.name},"
            f" {month:%B %Y}",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_promote(
                response=response,
                quote=form.cleaned_data["quote"],
                source_detail=form.cleaned_data["source_detail"],
                user=request.user,
            )
        except services.LearningSpacesError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                "Saved as a testimonial (not yet published). The programme team "
                "publishes it to the board.",
            )
        return redirect("learning_spaces:response_detail", pk=response.pk)
    return render(
        request,
        "learning_spaces/response_promote.html",
        {"response": response, "form": form},
    )
