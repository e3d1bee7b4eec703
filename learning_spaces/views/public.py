"""The public, anonymous feedback form: no login, nothing that identifies anyone.

Status codes: wrong token → 404; closed or cancelled → 410 with a plain
"this form has closed" page; not open yet → 200 with the opening time; over
the rate limit → 429 with a friendly page.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from learning_spaces import protection, services
from learning_spaces.forms import FeedbackForm
from learning_spaces.models import LearningSession
from programme.tools import selectors as tool_selectors


def _session_for_token(token: str) -> LearningSession:
    return get_object_or_404(
        LearningSession.objects.select_related("space"), feedback_token=token
    )


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


def _closed(request, session):
    return render(
        request,
        "learning_spaces/feedback_closed.html",
        {"session": session},
        status=410,
    )


@never_cache
def feedback(request, token: str):
    session = _session_for_token(token)
    state = session.feedback_state()
    if state == "closed":
        return _closed(request, session)
    if state == "not_yet_open":
        return render(
            request, "learning_spaces/feedback_not_open.html", {"session": session}
        )

    expired = False
    if request.method == "POST":
        if protection.rate_limited(request, scope=token):
            return render(
                request,
                "learning_spaces/feedback_rate_limited.html",
                {"session": session},
                status=429,
            )
        form = FeedbackForm(request.POST)
        if form.honeypot_filled():
            return redirect("learning_spaces:feedback_thanks", token=token)
        form_token = protection.read_form_token(
            token, request.POST.get("form_token", "")
        )
        expired = form_token is None
        if form.is_valid() and not expired:
            try:
                services.feedback_submit(
                    session=session, answers=form.answers(), form_token=form_token
                )
            except services.FeedbackClosed:
                return _closed(request, session)
            return redirect("learning_spaces:feedback_thanks", token=token)
        signed = (
            protection.issue_form_token(token)
            if expired
            else request.POST["form_token"]
        )
    elif not request.user.is_authenticated:
        return _blank_form(request, session, token)
    else:  # staff trying the link: their name is in the page, so no sharing
        form = FeedbackForm()
        signed = protection.issue_form_token(token)
    return render(
        request,
        "learning_spaces/feedback_form.html",
        {"session": session, "form": form, "form_token": signed, "expired": expired},
    )


def feedback_thanks(request, token: str):
    session = _session_for_token(token)
    tools = tool_selectors.tools_for_session(session.pk)
    return render(
        request,
        "learning_spaces/feedback_thanks.html",
        {"session": session, "tools": tools},
    )
