"""Proud to be Me: the children's form, its protections and its figures."""

from datetime import timedelta

import pytest
from django.db import models

from learning_spaces import services
from learning_spaces.children import insights
from learning_spaces.children.models import ChildFeedbackResponse
from learning_spaces.models import FeedbackResponse, Space

from .conftest import form_token_from, make_response, make_session

CHILD_ANSWERS = {
    "enjoyed": "5",
    "proud": "3",
    "safe_to_talk": "2",
    "know_who_to_tell": "3",
    "my_identity": "I am Black British and Nigerian, and Muslim.",
    "racist_incident_support": "My teacher listened when I told her.",
    "make_it_better": "More games.",
}


@pytest.fixture
def ptbm_space(db, steering_member):
    space = Space.objects.create(
        name="Proud to be Me", audience=Space.Audience.PROUD_TO_BE_ME
    )
    space.facilitators.add(steering_member)
    return space


@pytest.fixture
def ptbm_session(ptbm_space):
    return make_session(ptbm_space, starts_in=-timedelta(hours=1))


def _fill(client, session, **overrides):
    page = client.get(session.feedback_path())
    assert page.status_code == 200
    return {**CHILD_ANSWERS, "form_token": form_token_from(page), **overrides}


@pytest.mark.django_db
def test_proud_to_be_me_gets_the_childrens_questions(
    client, ptbm_session, open_session
):
    child = client.get(ptbm_session.feedback_path()).content.decode()
    assert "How would I describe my racial and cultural identity?" in child
    assert "How am I supported with racist incidents?" in child
    assert "May we quote" not in child and "consent" not in child.lower()
    assert "Childline" in child
    adult = client.get(open_session.feedback_path()).content.decode()
    assert "What did you gain most from the workshop?" in adult


@pytest.mark.django_db
def test_a_child_sends_answers_anonymously(client, ptbm_session):
    response = client.post(ptbm_session.feedback_path(), _fill(client, ptbm_session))
    assert response.status_code == 302
    stored = ChildFeedbackResponse.objects.get()
    assert (stored.enjoyed, stored.proud, stored.safe_to_talk) == (5, 3, 2)
    assert stored.my_identity.startswith("I am Black British")
    assert not FeedbackResponse.objects.exists()
    thanks = client.get(response["Location"]).content.decode()
    assert "Childline" in thanks


def test_child_response_has_no_identifying_or_consent_fields():
    names = {f.name for f in ChildFeedbackResponse._meta.get_fields()}
    assert not names & {"user", "ip", "ip_address", "user_agent", "created_at",
                        "consent_to_quote", "testimonial", "name", "age"}  # fmt: skip
    date_fields = [
        f.name
        for f in ChildFeedbackResponse._meta.get_fields()
        if isinstance(f, models.DateTimeField)
    ]
    assert date_fields == []  # the date only, never the time of day


@pytest.mark.django_db
def test_missing_choice_stores_nothing(client, ptbm_session):
    data = _fill(client, ptbm_session)
    del data["proud"]
    response = client.post(ptbm_session.feedback_path(), data)
    assert response.status_code == 200
    assert "Pick the answer that fits best" in response.content.decode()
    assert not ChildFeedbackResponse.objects.exists()


@pytest.mark.django_db
def test_same_form_token_twice_stores_one(client, ptbm_session):
    data = _fill(client, ptbm_session)
    client.post(ptbm_session.feedback_path(), data)
    client.post(ptbm_session.feedback_path(), data)
    assert ChildFeedbackResponse.objects.count() == 1


@pytest.mark.django_db
def test_honeypot_and_forged_token_store_nothing(client, ptbm_session):
    data = _fill(client, ptbm_session, website="http://spam.example")
    assert client.post(ptbm_session.feedback_path(), data).status_code == 302
    forged = _fill(client, ptbm_session, form_token="forged")
    assert client.post(ptbm_session.feedback_path(), forged).status_code == 200
    assert not ChildFeedbackResponse.objects.exists()


@pytest.mark.django_db
def test_rate_limit_applies(client, ptbm_session, settings):
    settings.LEARNING_SPACES_FEEDBACK_RATE_LIMIT = 1
    client.post(ptbm_session.feedback_path(), _fill(client, ptbm_session))
    second = client.post(ptbm_session.feedback_path(), _fill(client, ptbm_session))
    assert second.status_code == 429
    assert ChildFeedbackResponse.objects.count() == 1


@pytest.mark.django_db
def test_closed_childrens_form_is_410(client, ptbm_space):
    session = make_session(ptbm_space, starts_in=-timedelta(days=30))
    assert client.get(session.feedback_path()).status_code == 410


@pytest.mark.django_db
def test_childrens_words_are_never_promotable(client, steering_member, ptbm_session):
    # Even an answer given on the adults' form before the children's form
    # existed, with consent ticked, cannot become a quote for the board.
    old = make_response(ptbm_session, consent_to_quote=True)
    with pytest.raises(services.PromotionNotAllowed, match="never go to the board"):
        services.response_promote(
            response=old, quote="x", source_detail="y", user=steering_member
        )
    client.force_login(steering_member)
    client.post(
        f"/learning-spaces/responses/{old.pk}/promote/",
        {"quote": "A quote", "source_detail": "Child"},
    )
    old.refresh_from_db()
    assert old.testimonial_id is None


@pytest.mark.django_db
def test_staff_read_childrens_answers_board_sees_figures_only(
    client, steering_member, board_member, ptbm_session
):
    for _ in range(3):
        client.post(ptbm_session.feedback_path(), _fill(client, ptbm_session))
    client.force_login(steering_member)
    page = client.get(f"/learning-spaces/sessions/{ptbm_session.pk}/children/")
    assert "My teacher listened" in page.content.decode()
    client.force_login(board_member)
    figures = client.get("/learning-spaces/proud-to-be-me/").content.decode()
    assert "My teacher listened" not in figures
    assert "100.0%" in figures  # all three proud
    assert client.get(
        f"/learning-spaces/sessions/{ptbm_session.pk}/children/"
    ).status_code == 403  # fmt: skip


def test_small_sessions_never_count():
    rows = [
        insights.ChildSessionTotals(1, None, 2, 10, 2, 2, 2),  # too small
        insights.ChildSessionTotals(2, None, 4, 12, 1, 2, 3),
    ]
    summary = insights.summarise("All", rows, min_group=3)
    assert summary.responses == 6 and summary.reported == 4
    assert summary.enjoyed_mean == 3.0
    assert (summary.pct_proud, summary.pct_safe, summary.pct_know_who_to_tell) == (
        25.0, 50.0, 75.0)  # fmt: skip
    alone = insights.summarise("Small", rows[:1], min_group=3)
    assert alone.enjoyed_mean is None and alone.pct_proud is None


@pytest.mark.django_db
def test_childrens_sessions_stay_out_of_the_adults_figures(
    client, ptbm_session, open_session
):
    from learning_spaces import selectors

    make_response(open_session)
    ptbm_session.status = "held"
    ptbm_session.attendance = 20
    ptbm_session.save()
    before = {row.session_id for row in selectors.session_totals()}
    assert before == {open_session.pk, ptbm_session.pk}  # held, so listed
    client.post(ptbm_session.feedback_path(), _fill(client, ptbm_session))
    after = {row.session_id for row in selectors.session_totals()}
    assert after == {open_session.pk}
