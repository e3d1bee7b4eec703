"""The public reporting form and the reporter's follow-up: no sign-in needed.

The protections are the feedback form's, reused from ``learning_spaces.protection``
(cache-only HMAC rate limit, signed one-time form token) and ``arp.honeypot``.
Nothing about the reporter's connection or browser is stored. The follow-up
is held in a signed cookie, not the session: a signed-in member of staff's
session row holds their user id, and must not also name their report.
"""

from contextlib import contextmanager, nullcontext
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from learning_spaces import protection
from workforce import selectors, services
from workforce.forms import (
    FollowUpForm,
    ReporterReplyForm,
    ReporterResponseForm,
    ReportForm,
)
from workforce.models import Report

REPORT_SCOPE = "workforce.report"
FOLLOW_UP_SCOPE = "workforce.follow-up"
FOLLOW_UP_COOKIE = "workforce_follow_up"
FOLLOW_UP_SALT = "workforce.follow-up"
FOLLOW_UP_PATH = "/workforce/report/follow-up/"
FOLLOW_UP_SECONDS = 30 * 60


def _rate_limited(request, scope):
    if protection.rate_limited(request, scope=scope):
        return render(request, "workforce/rate_limited.html", status=429)
    return None


@never_cache
def report(request):
    signed_in = request.user.is_authenticated
    expired = False
    if request.method == "POST":
        if limited := _rate_limited(request, REPORT_SCOPE):
            return limited
        form = ReportForm(request.POST, signed_in=signed_in)
        if form.honeypot_filled():
            return render(request, "workforce/report_thanks.html", {"new": None})
        form_token = protection.read_form_token(
            REPORT_SCOPE, request.POST.get("form_token", "")
        )
        expired = form_token is None
        if form.is_valid() and not expired:
            named = signed_in and form.cleaned_data.get("named")
            reporter = request.user if named else None
            try:
                with nullcontext() if named else _as_the_reporter(request):
                    new = services.report_submit(
                        answers=form.answers(),
                        form_token=form_token,
                        reporter=reporter,
                    )
            except services.DuplicateSubmission:
                return render(request, "workforce/report_duplicate.html")
            # Rendered, not redirected: the passcode is shown this once only.
            return render(request, "workforce/report_thanks.html", {"new": new})
        signed = (
            protection.issue_form_token(REPORT_SCOPE)
            if expired
            else request.POST["form_token"]
        )
    else:
        form = ReportForm(signed_in=signed_in)
        signed = protection.issue_form_token(REPORT_SCOPE)
    return render(
        request,
        "workforce/report_form.html",
        {"form": form, "form_token": signed, "expired": expired},
        status=400 if request.method == "POST" else 200,
    )


def _session_report(request) -> Report | None:
    """The report this browser proved it may follow up (reference in the cookie)."""
    reference = request.get_signed_cookie(
        FOLLOW_UP_COOKIE, default=None, salt=FOLLOW_UP_SALT, max_age=FOLLOW_UP_SECONDS
    )
    if not reference:
        return None
    return Report.objects.filter(reference=reference, purged_on__isnull=True).first()


def _remember(response, report: Report):
    response.set_signed_cookie(
        FOLLOW_UP_COOKIE,
        report.reference,
        salt=FOLLOW_UP_SALT,
        max_age=FOLLOW_UP_SECONDS,
        path=FOLLOW_UP_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


@never_cache
def follow_up(request):
    """Reference and passcode in; the reporter's own view of their report out."""
    if request.method == "POST":
        if limited := _rate_limited(request, FOLLOW_UP_SCOPE):
            return limited
        form = FollowUpForm(request.POST)
        if form.is_valid():
            found = selectors.report_for_reporter(
                reference=form.cleaned_data["reference"],
                passcode=form.cleaned_data["passcode"],
            )
            if found is not None:
                return _remember(redirect("workforce:follow_up"), found)
            form.add_error(None, "That reference and passcode do not match a report.")
        return render(
            request, "workforce/follow_up_form.html", {"form": form}, status=400
        )
    report = _session_report(request)
    if report is None:
        return render(
            request, "workforce/follow_up_form.html", {"form": FollowUpForm()}
        )
    return _reporter_page(request, report)


def _reporter_page(request, report, *, reply=None, response=None, status=200):
    return render(
        request,
        "workforce/follow_up_report.html",
        {
            "report": report,
            "entries": selectors.report_timeline(report, shared_only=True),
            "reply_form": reply or ReporterReplyForm(),
            "response_form": response or ReporterResponseForm(),
        },
        status=status,
    )


@contextmanager
def _as_the_reporter(request):
    """The reporter acts without their account: whatever is written while they
    follow up (history rows, a task run in the request) must not say who is
    signed in to the tracker."""
    user = request.user
    request.user = AnonymousUser()
    try:
        yield
    finally:
        request.user = user


def _reporter_action(form_class, name: str):
    """A reporter's post on their follow-up page: the report this browser
    proved it may follow up, and a valid form, or back to the page."""

    def decorator(act):
        @require_POST
        @never_cache
        @wraps(act)
        def view(request):
            report = _session_report(request)
            if report is None:
                messages.error(request, "Enter your reference and passcode again.")
                return redirect("workforce:follow_up")
            form = form_class(request.POST)
            if not form.is_valid():
                return _reporter_page(request, report, status=400, **{name: form})
            with _as_the_reporter(request):
                act(request, report, **form.cleaned_data)
            return redirect("workforce:follow_up")

        return view

    return decorator


@_reporter_action(ReporterReplyForm, "reply")
def follow_up_reply(request, report, *, text):
    services.report_reporter_reply(report=report, text=text)
    messages.success(request, "Your reply was sent to the staff support leads.")


@_reporter_action(ReporterResponseForm, "response")
def follow_up_respond(request, report, *, agrees, comment):
    try:
        services.report_reporter_respond(report=report, agrees=agrees, comment=comment)
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Thank you. Your answer was recorded.")


@require_POST
def follow_up_leave(request):
    messages.info(request, "You have left your report. Keep your passcode safe.")
    response = redirect("workforce:follow_up")
    response.delete_cookie(FOLLOW_UP_COOKIE, path=FOLLOW_UP_PATH, samesite="Strict")
    return response
