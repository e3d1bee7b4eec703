"""Staff pages: spaces, sessions, responses, downloads."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from arp import exports as shared_exports
from arp.roles import role_required, user_can
from arp.views import refusal_shown
from learning_spaces import downloads, exports, selectors, services
from learning_spaces.forms import (
    MarkHeldForm,
    PromoteForm,
    ScheduleForm,
    SessionForm,
    SpaceChoiceForm,
    SpaceForm,
    ThemeReviewForm,
)
from learning_spaces.models import FeedbackResponse
from programme.tools import selectors as tool_selectors
from programme.tools import services as tool_services

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
    space = selectors.get_space_for_user(user=request.user, pk=pk)
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
    return _space_form(
        request, selectors.get_space_for_user(user=request.user, pk=pk, for_change=True)
    )


@role_required("learning_spaces.manage")
@require_POST
def space_schedule(request, pk: int):
    space = selectors.get_space_for_user(user=request.user, pk=pk, for_change=True)
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
    session = selectors.get_session_for_user(user=request.user, pk=pk)
    responses = selectors.session_responses(session)
    return render(
        request,
        "learning_spaces/session_detail.html",
        {
            "session": session,
            "responses": responses,
            "qr_svg": downloads.qr_svg(session),
            "held_form": MarkHeldForm(initial={"attendance": session.attendance}),
            "min_group": services.MIN_GROUP_SIZE,
            "feedback_state": session.feedback_state(),
            "tools": tool_selectors.tools_for_session(session.pk),
        },
    )


def _session_form(request, session=None):
    initial, status = {}, 200
    if session is None and "space" in request.GET:
        choice = SpaceChoiceForm(request.GET)
        space = choice.cleaned_data["space"] if choice.is_valid() else None
        if not choice.is_valid():
            messages.error(request, "That space does not exist; choose one below.")
            status = 400
        if space:
            initial = {
                "space": space,
                "venue": space.default_venue,
                "online_link": space.default_online_link,
            }
    form = SessionForm(request.POST or None, instance=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            session = services.session_save(session=form.save(commit=False))
            tool_services.session_tools_set(
                session_id=session.pk, tool_ids=form.tool_ids()
            )
        messages.success(request, f"Saved {session}.")
        return redirect(session)
    return render(
        request,
        "learning_spaces/session_form.html",
        {"form": form, "session": session},
        status=status,
    )


@role_required("learning_spaces.manage")
def session_create(request):
    return _session_form(request)


@role_required("learning_spaces.manage")
def session_edit(request, pk: int):
    return _session_form(
        request,
        selectors.get_session_for_user(user=request.user, pk=pk, for_change=True),
    )


@role_required("learning_spaces.manage")
@require_POST
def session_mark_held(request, pk: int):
    session = selectors.get_session_for_user(user=request.user, pk=pk, for_change=True)
    form = MarkHeldForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("attendance", []):
            messages.error(request, error)
        return redirect(session)
    with refusal_shown(request, services.LearningSpacesError):
        services.session_mark_held(
            session=session, attendance=form.cleaned_data["attendance"]
        )
        messages.success(
            request,
            "Marked as held. Facilitators will get the feedback link by email.",
        )
    return redirect(session)


@role_required("learning_spaces.manage")
@require_POST
def session_cancel(request, pk: int):
    session = selectors.get_session_for_user(user=request.user, pk=pk, for_change=True)
    with refusal_shown(request, services.LearningSpacesError):
        services.session_cancel(session=session)
        messages.success(request, "Session cancelled; its feedback form is closed.")
    return redirect(session)


# A session's files: how each is made, its type and its name.
SESSION_FILES = {
    "ics": (downloads.session_ics, "text/calendar", "learning-session-{}.ics"),
    "svg": (downloads.qr_svg_file, "image/svg+xml", "feedback-qr-session-{}.svg"),
    "png": (downloads.qr_png, "image/png", "feedback-qr-session-{}.png"),
}


def _session_file(session, kind: str) -> HttpResponse:
    make, content_type, filename = SESSION_FILES[kind]
    response = HttpResponse(make(session), content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{filename.format(session.pk)}"'
    )
    return response


def _export(rows, kind: str, filename: str) -> HttpResponse:
    content = exports.to_csv(rows) if kind == "csv" else exports.to_xlsx(rows)
    return shared_exports.attachment(content, kind=kind, filename=filename)


def _responses_export(session, kind: str) -> HttpResponse:
    rows = exports.response_rows(
        selectors.responses_for_reading().filter(session=session)
    )
    return _export(rows, kind, f"learning-session-{session.pk}-responses")


def _session_download(name: str, capability: str, kind: str):
    """A download about one session (``kind``), for those with ``capability``."""

    @role_required(capability)
    def view(request, pk: int):
        session = selectors.get_session_for_user(user=request.user, pk=pk)
        if kind in ("csv", "xlsx"):
            return _responses_export(session, kind)
        return _session_file(session, kind)

    view.__name__ = name
    return view


# Practitioners may download the calendar file of an upcoming session only:
# the access helper gives them 404 for any other.
session_ics = _session_download("session_ics", "learning_spaces.view_sessions", "ics")
session_qr_svg = _session_download("session_qr_svg", "learning_spaces.manage", "svg")
session_qr_png = _session_download("session_qr_png", "learning_spaces.manage", "png")
session_responses_csv = _session_download(
    "session_responses_csv", "learning_spaces.responses", "csv"
)
session_responses_xlsx = _session_download(
    "session_responses_xlsx", "learning_spaces.responses", "xlsx"
)


# --- Responses -----------------------------------------------------------------


@role_required("learning_spaces.responses")
def response_detail(request, reference: str):
    """Read one response; confirm or change its themes."""
    response = selectors.get_response_for_user(
        user=request.user, reference=reference, for_change=request.method == "POST"
    )
    form = ThemeReviewForm(
        request.POST or None, initial={"themes": list(response.themes.all())}
    )
    if request.method == "POST" and form.is_valid():
        services.response_set_themes(
            response=response, themes=form.cleaned_data["themes"]
        )
        messages.success(request, "Themes confirmed.")
        return redirect(response)
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
def response_promote(request, reference: str):
    """Make an approved, redacted quote a programme testimonial."""
    response = selectors.get_response_for_user(
        user=request.user, reference=reference, for_change=True
    )
    if response.quote_status != FeedbackResponse.QuoteStatus.APPROVED:
        messages.error(
            request,
            "Only a reviewed and approved quote can go to the board."
            if response.consent_to_quote
            else "This person did not agree to be quoted, so their answer cannot "
            "go to the board.",
        )
        return redirect(response)
    month = timezone.localtime(response.session.starts_at)
    form = PromoteForm(
        request.POST or None,
        initial={
            "quote": response.quote_text,
            "source_detail": f"Learning space feedback: {response.session.space.name},"
            f" {month:%B %Y}",
        },
    )
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, services.LearningSpacesError):
            services.response_promote(
                response=response,
                quote=form.cleaned_data["quote"],
                source_detail=form.cleaned_data["source_detail"],
                user=request.user,
            )
            messages.success(
                request,
                "Saved as a testimonial (not yet published). The programme team "
                "publishes it to the board.",
            )
        return redirect(response)
    return render(
        request,
        "learning_spaces/response_promote.html",
        {"response": response, "form": form},
    )
