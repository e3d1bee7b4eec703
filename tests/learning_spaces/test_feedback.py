"""The public feedback form: good answers, bad answers, and abuse."""

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from learning_spaces import services
from learning_spaces.models import FeedbackResponse, LearningSession

from .conftest import VALID_ANSWERS, form_token_from, make_session

pytestmark = pytest.mark.django_db


def test_form_is_accessible_markup(client, open_session):
    page = client.get(open_session.feedback_path())
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<fieldset") >= 6  # rating, confidence (outer + 2), role, consent
    assert "<legend" in html and "Overall, how would you rate the session?" in html
    assert 'for="id_gained_most"' in html
    assert "There is a problem" not in html
    assert 'name="website"' in html and 'aria-hidden="true"' in html
    assert "csrfmiddlewaretoken" in html
    assert page["Cache-Control"].startswith("max-age=0")


def test_valid_answers_store_one_anonymous_response_with_themes(
    client, open_session, themes, fresh_form
):
    data = fresh_form(open_session)
    page = client.post(
        open_session.feedback_path(),
        data,
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 SecretBrowser",
    )
    assert page.status_code == 302
    assert (
        page["Location"]
        == f"/learning-spaces/feedback/{open_session.feedback_token}/thanks/"
    )
    response = FeedbackResponse.objects.get()
    assert response.session == open_session
    assert (response.rating, response.confidence_before, response.confidence_now) == (
        4,
        2,
        4,
    )
    assert response.consent_to_quote is True
    assert response.submitted_on == timezone.localdate()
    assert [t.name for t in response.suggested_themes.all()] == [
        "Assessments and risk analysis",  # "risk" in do_differently
        "White privilege",
    ]
    assert set(response.themes.all()) == set(response.suggested_themes.all())
    # Nothing about the person's address or browser was stored anywhere on it.
    for field in response._meta.concrete_fields:
        value = str(getattr(response, field.attname))
        assert "203.0.113.7" not in value and "SecretBrowser" not in value
    thanks = client.get(page["Location"])
    assert thanks.status_code == 200
    assert b"Thank you for your feedback" in thanks.content


def test_response_model_has_no_identifying_fields():
    names = {f.name for f in FeedbackResponse._meta.get_fields()}
    for forbidden in ("user", "author", "ip", "ip_address", "user_agent", "created_by"):
        assert forbidden not in names
    assert not any(n.split("_")[0] == "ip" or "agent" in n for n in names)
    submitted = FeedbackResponse._meta.get_field("submitted_on")
    assert submitted.get_internal_type() == "DateField"  # no time of day
    user_fks = [
        f
        for f in FeedbackResponse._meta.get_fields()
        if f.is_relation
        and f.related_model
        and f.related_model._meta.label == "auth.User"
    ]
    assert user_fks == []


def test_consent_defaults_to_no(client, open_session, fresh_form):
    data = fresh_form(open_session)
    del data["consent_to_quote"]
    client.post(open_session.feedback_path(), data)
    assert FeedbackResponse.objects.get().consent_to_quote is False


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"gained_most": ""}, "Enter what you gained most from the workshop"),
        ({"gained_most": "   "}, "Enter what you gained most from the workshop"),
        ({"rating": ""}, "Select a rating (1 to 5)"),
        ({"rating": "0"}, "Select a rating (1 to 5)"),
        ({"rating": "6"}, "Select a rating (1 to 5)"),
        ({"rating": "four"}, "Select a rating (1 to 5)"),
        ({"rating": "4.5"}, "Select a rating (1 to 5)"),
        ({"confidence_before": "-1"}, "Select how confident you were before (1 to 5)"),
        ({"confidence_now": ""}, "Select how confident you are now (1 to 5)"),
        ({"gained_most": "x" * 2001}, "What you gained most must be 2,000 characters"),
        ({"do_differently": "y" * 2001}, "What you will do differently must be 2,000"),
        ({"role": "chief"}, "Select a role from the list"),
        ({"consent_to_quote": "maybe"}, "Select yes or no"),
        ({"team": "t" * 101}, "Quadrant or team must be 100 characters or fewer"),
    ],
)
def test_bad_answers_show_field_error_and_store_nothing(
    client, open_session, fresh_form, changes, message
):
    data = fresh_form(open_session, **changes)
    page = client.post(open_session.feedback_path(), data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert 'href="#id_' in html  # the summary links to the field
    assert FeedbackResponse.objects.count() == 0
    # The answers given are kept so the person only fixes the mistake.
    assert "Pause before writing up risk." in html or "do_differently" in changes


def test_2000_characters_is_accepted(client, open_session, fresh_form):
    data = fresh_form(open_session, gained_most="z" * 2000)
    assert client.post(open_session.feedback_path(), data).status_code == 302
    assert len(FeedbackResponse.objects.get().gained_most) == 2000


def test_crafted_extra_fields_are_ignored(
    client, open_session, closed_session, fresh_form
):
    data = fresh_form(open_session)
    data.update(
        session=closed_session.pk,
        session_id=closed_session.pk,
        submitted_on="2020-01-01",
        themes_reviewed_at="2020-01-01T00:00",
        testimonial=1,
        id=999,
        form_token_extra="x",
    )
    assert client.post(open_session.feedback_path(), data).status_code == 302
    response = FeedbackResponse.objects.get()
    assert response.session_id == open_session.pk
    assert response.pk != 999
    assert response.submitted_on == timezone.localdate()
    assert response.themes_reviewed_at is None
    assert response.testimonial_id is None


def test_wrong_token_is_404_for_get_and_post(client, open_session):
    assert client.get("/learning-spaces/feedback/guess/").status_code == 404
    post = client.post("/learning-spaces/feedback/guess/", VALID_ANSWERS)
    assert post.status_code == 404
    assert FeedbackResponse.objects.count() == 0


def test_tokens_are_unguessable_and_unique(space):
    sessions = [make_session(space, starts_in=timedelta(days=i)) for i in range(1, 4)]
    tokens = {s.feedback_token for s in sessions}
    assert len(tokens) == 3
    assert all(len(t) >= 32 for t in tokens)


def test_closed_form_says_so_and_stores_nothing(client, closed_session, fresh_form):
    page = client.get(closed_session.feedback_path())
    assert page.status_code == 410
    assert b"This form has closed" in page.content
    post = client.post(
        closed_session.feedback_path(), {**VALID_ANSWERS, "form_token": "x"}
    )
    assert post.status_code == 410
    assert FeedbackResponse.objects.count() == 0


def test_form_closes_after_the_set_number_of_days(client, space):
    session = make_session(
        space, starts_in=-timedelta(days=3), feedback_closes_after_days=2
    )
    assert client.get(session.feedback_path()).status_code == 410
    session.feedback_closes_after_days = 4
    session.save()
    assert client.get(session.feedback_path()).status_code == 200


def test_form_submitted_after_it_closed_stores_nothing(
    client, open_session, fresh_form
):
    data = fresh_form(open_session)
    LearningSession.objects.filter(pk=open_session.pk).update(
        status=LearningSession.Status.CANCELLED
    )
    page = client.post(open_session.feedback_path(), data)
    assert page.status_code == 410
    assert b"The session was cancelled" in page.content
    assert FeedbackResponse.objects.count() == 0


def test_form_not_open_before_the_session_starts(client, upcoming_session):
    page = client.get(upcoming_session.feedback_path())
    assert page.status_code == 200
    assert b"not open yet" in page.content
    client.post(upcoming_session.feedback_path(), {**VALID_ANSWERS, "form_token": "x"})
    assert FeedbackResponse.objects.count() == 0


def test_honeypot_pretends_success_and_stores_nothing(client, open_session, fresh_form):
    data = fresh_form(open_session, website="http://spam.example")
    page = client.post(open_session.feedback_path(), data)
    assert page.status_code == 302
    assert page["Location"].endswith("/thanks/")
    assert FeedbackResponse.objects.count() == 0


def test_same_form_token_twice_stores_one_response(client, open_session, fresh_form):
    data = fresh_form(open_session)
    first = client.post(open_session.feedback_path(), data)
    second = client.post(open_session.feedback_path(), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"].endswith("/thanks/")
    assert FeedbackResponse.objects.count() == 1


def test_two_forms_store_two_responses(client, open_session, fresh_form):
    client.post(open_session.feedback_path(), fresh_form(open_session))
    client.post(open_session.feedback_path(), fresh_form(open_session))
    assert FeedbackResponse.objects.count() == 2


def test_service_refuses_a_used_token_even_when_racing(open_session):
    token = uuid.uuid4()
    answers = {
        "rating": 5,
        "confidence_before": 1,
        "confidence_now": 3,
        "gained_most": "Power dynamics",
        "do_differently": "",
        "could_be_better": "",
        "role": "",
        "team": "",
        "consent_to_quote": False,
    }
    first = services.feedback_submit(
        session=open_session, answers=answers, form_token=token
    )
    second = services.feedback_submit(
        session=open_session, answers=answers, form_token=token
    )
    assert first is not None and second is None
    assert FeedbackResponse.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    ["", "not-signed", "0b6f2d4e-8f6a-4c1e-9d55-3a7c2b9e1f00:forged"],
    ids=["empty", "unsigned", "forged"],
)
def test_missing_or_forged_form_token_stores_nothing(client, open_session, token):
    page = client.post(
        open_session.feedback_path(), {**VALID_ANSWERS, "form_token": token}
    )
    assert page.status_code == 200
    assert b"This page timed out" in page.content
    assert FeedbackResponse.objects.count() == 0
    # A fresh token is issued so the person can simply send again.
    retry = {**VALID_ANSWERS, "form_token": form_token_from(page)}
    assert client.post(open_session.feedback_path(), retry).status_code == 302
    assert FeedbackResponse.objects.count() == 1


def test_token_from_another_sessions_form_is_refused(
    client, open_session, space, fresh_form
):
    other = make_session(space, starts_in=-timedelta(hours=3))
    data = fresh_form(other)
    page = client.post(open_session.feedback_path(), data)
    assert b"This page timed out" in page.content
    assert FeedbackResponse.objects.count() == 0


def test_csrf_is_enforced(open_session):
    strict = Client(enforce_csrf_checks=True)
    page = strict.post(
        open_session.feedback_path(), {**VALID_ANSWERS, "form_token": "x"}
    )
    assert page.status_code == 403
    assert FeedbackResponse.objects.count() == 0


def test_rate_limit_returns_429_and_stores_nothing_more(
    client, open_session, fresh_form, settings
):
    settings.LEARNING_SPACES_FEEDBACK_RATE_LIMIT = 2
    for _ in range(2):
        assert (
            client.post(
                open_session.feedback_path(), fresh_form(open_session)
            ).status_code
            == 302
        )
    page = client.post(open_session.feedback_path(), fresh_form(open_session))
    assert page.status_code == 429
    assert b"Please wait a few minutes" in page.content
    assert FeedbackResponse.objects.count() == 2
    # Another address is not affected.
    other = client.post(
        open_session.feedback_path(),
        fresh_form(open_session),
        REMOTE_ADDR="198.51.100.9",
    )
    assert other.status_code == 302
    assert FeedbackResponse.objects.count() == 3


def test_rate_limit_key_holds_no_address(rf, settings):
    from learning_spaces import protection

    request = rf.post("/", REMOTE_ADDR="203.0.113.50")
    key = protection._client_key(request, "scope")
    assert "203.0.113.50" not in key
    settings.SECRET_KEY = "another-secret"
    assert protection._client_key(request, "scope") != key


def test_forwarded_for_only_trusted_behind_a_configured_proxy(rf, settings):
    from learning_spaces import protection

    request = rf.post(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9"
    )
    assert protection.client_address(request) == "10.0.0.1"
    settings.LEARNING_SPACES_TRUSTED_PROXY_COUNT = 1
    settings.LEARNING_SPACES_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert protection.client_address(request) == "203.0.113.9"


def test_answers_are_rendered_escaped(client_for, open_session):
    from .conftest import make_response

    for _ in range(3):  # enough for the session's answers to be listed
        make_response(
            open_session,
            gained_most="<script>alert('x')</script> power",
            do_differently='<img src=x onerror="alert(1)">',
            consent_to_quote=True,
            quote_status="approved",
            quote_text="<script>alert('x')</script> [name]",
        )
    for role, url in [
        ("Steering group", "/learning-spaces/insights/"),
        ("Board", "/learning-spaces/insights/"),
        ("Steering group", open_session.get_absolute_url()),
    ]:
        html = client_for(role).get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html
        assert "<img src=x" not in html


def _csrf_from(page) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, "the form has no CSRF field"
    return match.group(1)


def test_blank_form_rendered_once_still_gives_each_visitor_own_tokens(open_session):
    """The page is cached per session, but every visitor's tokens are new and work."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(open_session.feedback_path())
    page_two = second.get(open_session.feedback_path())

    assert form_token_from(page_one) != form_token_from(page_two)
    assert "slot__" not in page_one.text + page_two.text
    for client, page in ((first, page_one), (second, page_two)):
        response = client.post(
            open_session.feedback_path(),
            {
                **VALID_ANSWERS,
                "form_token": form_token_from(page),
                "csrfmiddlewaretoken": _csrf_from(page),
            },
        )
        assert response.status_code == 302
    assert FeedbackResponse.objects.filter(session=open_session).count() == 2


def test_staff_name_never_reaches_an_anonymous_visitors_page(
    client, open_session, steering_member
):
    client.force_login(steering_member)
    staff_page = client.get(open_session.feedback_path())
    assert steering_member.get_full_name() in staff_page.text
    client.logout()

    anonymous_page = Client().get(open_session.feedback_path())

    assert steering_member.get_full_name() not in anonymous_page.text
    assert steering_member.username not in anonymous_page.text


def test_facilitators_edit_shows_on_the_form_at_once(client, open_session):
    assert "White privilege" in client.get(open_session.feedback_path()).text
    open_session.topic = "Power dynamics in supervision"
    open_session.save()

    page = client.get(open_session.feedback_path())

    assert "Power dynamics in supervision" in page.text
