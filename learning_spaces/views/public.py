"""The public, anonymous feedback form: no login, nothing that identifies anyone.

Status codes: wrong token → 404; closed or cancelled → 410 with a plain
"this form has closed" page; not open yet → 200 with the opening time; over
the rate limit → 429 with a friendly page.

After an answer is stored, a cookie (``answered``, holding the session's id
and nothing else, scoped to this form's path) makes the form page say "you
have already answered — answer again?" instead of showing a fresh form, so
Back then Send cannot store a second copy; "answer again" is still possible
for a shared phone.
"""

import hashlib
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from learning_spaces import protection, selectors, services
from learning_spaces.forms import FeedbackForm
from learning_spaces.models import Space
from programme.tools import selectors as tool_selectors

# The blank form is the same for every anonymous visitor but for two tokens.
BLANK_FORM_SECONDS = 60
_CSRF_SLOT = "__csrf-token-slot__"
_FORM_TOKEN_SLOT = "__form-token-slot__"  # noqa: S105 - a placeholder, not a secret


def _blank_form(request, session, token: str) -> HttpResponse:
    """The unbound form, rendered once a minute per session; tokens filled per visit.

    At the end of a workshop a whole room scans the QR code at once. The page
    differs between visitors only in the CSRF token and the one-time form
    token, so it is rendered once and those two are put in for each request.
    The key includes everything about the session the page shows, so a
    facilitator's edit shows at once.
    """
    shown = (session.pk, session.space.name, session.starts_at, session.topic)
    key = "ls:blank-form:" + hashlib.sha256(repr(shown).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "learning_spaces/feedback_form.html",
            {
                "session": session,
                "form": FeedbackForm(),
                "form_token": _FORM_TOKEN_SLOT,
                "expired": False,
                "csrf_token": _CSRF_SLOT,
            },
            request=request,
        )
        cache.set(key, html, BLANK_FORM_SECONDS)
    html = html.replace(_CSRF_SLOT, get_token(request)).replace(
        _FORM_TOKEN_SLOT, protection.issue_form_token(token)
    )
    return HttpResponse(html)


ANSWERED_COOKIE = "answered"


def _has_answered(request, session) -> bool:
    return request.COOKIES.get(ANSWERED_COOKIE) == str(session.pk)


def _remember_answered(response, session) -> None:
    response.set_cookie(
        ANSWERED_COOKIE,
        str(session.pk),
        max_age=session.feedback_closes_after_days * 24 * 60 * 60,
        path=session.feedback_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _closed(request, session):
    return render(
        request,
        "learning_spaces/feedback_closed.html",
        {"session": session},
        status=410,
    )


class Posted(NamedTuple):
    """A posted form to show again: its errors, or a fresh token if it expired."""

    form: Any
    form_token: str
    expired: bool


def take_feedback(
    request, session, token: str, form_class, submit, *, remember: bool = False
) -> HttpResponse | Posted:
    """The POST half of both feedback forms, the adults' and Proud to be Me's.

    Rate limit (429), honeypot (a quiet thank-you), the one-time form token,
    then ``submit(session=, answers=, form_token=)``. A stored answer goes to
    the thank-you page, remembered in a cookie when ``remember`` (the adults'
    form: see ``ANSWERED_COOKIE``).
    """
    if protection.rate_limited(request, scope=token):
        return render(
            request,
            "learning_spaces/feedback_rate_limited.html",
            {"session": session},
            status=429,
        )
    form = form_class(request.POST)
    if form.honeypot_filled():
        return redirect("learning_spaces:feedback_thanks", token=token)
    form_token = protection.read_form_token(token, request.POST.get("form_token", ""))
    expired = form_token is None
    if form.is_valid() and not expired:
        try:
            submit(session=session, answers=form.answers(), form_token=form_token)
        except services.FeedbackClosed:
            return _closed(request, session)
        thanks = redirect("learning_spaces:feedback_thanks", token=token)
        if remember:
            _remember_answered(thanks, session)
        return thanks
    signed = (
        protection.issue_form_token(token) if expired else request.POST["form_token"]
    )
    return Posted(form, signed, expired)


@never_cache
def feedback(request, token: str):
    session = selectors.session_for_feedback_token(token)
    state = session.feedback_state()
    if state == "closed":
        return _closed(request, session)
    if state == "not_yet_open":
        return render(
            request, "learning_spaces/feedback_not_open.html", {"session": session}
        )
    if session.space.audience == Space.Audience.PROUD_TO_BE_ME:
        from learning_spaces.children.views import child_feedback

        return child_feedback(request, session, token)

    again = request.GET.get("again") == "1" or request.POST.get("again") == "1"
    if _has_answered(request, session) and not again:
        if request.method == "POST":  # Back, then Send: nothing new to store
            return redirect("learning_spaces:feedback_thanks", token=token)
        return render(
            request, "learning_spaces/feedback_answered.html", {"session": session}
        )

    expired = False
    if request.method == "POST":
        posted = take_feedback(
            request,
            session,
            token,
            FeedbackForm,
            services.feedback_submit,
            remember=True,
        )
        if isinstance(posted, HttpResponse):
            return posted
        form, signed, expired = posted
    elif not request.user.is_authenticated and not again:
        return _blank_form(request, session, token)
    else:  # staff trying the link: their name is in the page, so no sharing
        form = FeedbackForm()
        signed = protection.issue_form_token(token)
    return render(
        request,
        "learning_spaces/feedback_form.html",
        {
            "session": session,
            "form": form,
            "form_token": signed,
            "expired": expired,
            "again": again,
        },
    )


def feedback_thanks(request, token: str):
    session = selectors.session_for_feedback_token(token)
    tools = tool_selectors.tools_for_session(session.pk)
    return render(
        request,
        "learning_spaces/feedback_thanks.html",
        {"session": session, "tools": tools},
    )
