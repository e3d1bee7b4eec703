"""Quotes to the board: only with consent and an approved review, through the
programme's service."""

import pytest

from learning_spaces import services
from learning_spaces.models import FeedbackResponse
from programme import models as programme_models

from .conftest import make_response

pytestmark = pytest.mark.django_db


def test_consented_response_becomes_an_edited_testimonial(
    client_for, open_session, steering_member
):
    response = make_response(
        open_session,
        consent_to_quote=True,
        gained_most="Sam in North team said...",
        quote_status=FeedbackResponse.QuoteStatus.APPROVED,
        quote_text="[name] in [name] team said...",
    )
    client = client_for("Steering group")
    form = client.get(f"/learning-spaces/responses/{response.reference}/promote/")
    assert form.status_code == 200
    assert b"[name] in [name] team said" in form.content  # the approved text
    assert b"Sam in North" not in form.content
    page = client.post(
        f"/learning-spaces/responses/{response.reference}/promote/",
        {"quote": "A colleague said...", "source_detail": "Learning space, Nov 2026"},
    )
    assert page.status_code == 302
    testimonial = programme_models.Testimonial.objects.get()
    assert testimonial.quote == "A colleague said..."
    assert testimonial.source_type == "practitioner_feedback"
    assert testimonial.consent_recorded is True
    assert testimonial.published is False
    assert testimonial.created_by == steering_member
    assert testimonial.quoted_on == response.submitted_on
    response.refresh_from_db()
    assert response.testimonial == testimonial
    # The original answer is kept as given.
    assert response.gained_most == "Sam in North team said..."


def test_promotion_impossible_without_consent(
    client_for, open_session, steering_member
):
    response = make_response(open_session, consent_to_quote=False)
    with pytest.raises(services.PromotionNotAllowed):
        services.response_promote(
            response=response, quote="x", source_detail="y", user=steering_member
        )
    client = client_for("Steering group")
    page = client.post(
        f"/learning-spaces/responses/{response.reference}/promote/",
        {"quote": "x", "source_detail": "y"},
        follow=True,
    )
    assert page.status_code == 200
    assert b"did not agree to be quoted" in page.content
    assert programme_models.Testimonial.objects.count() == 0
    assert FeedbackResponse.objects.get().testimonial is None


def test_unreviewed_answer_cannot_be_promoted(client_for, open_session):
    response = make_response(open_session, consent_to_quote=True)
    page = client_for("Programme admins").post(
        f"/learning-spaces/responses/{response.reference}/promote/",
        {"quote": "q", "source_detail": "s"},
        follow=True,
    )
    assert b"Only a reviewed and approved quote" in page.content
    assert programme_models.Testimonial.objects.count() == 0


def test_cannot_promote_twice(open_session, steering_member):
    response = make_response(
        open_session, consent_to_quote=True, quote_status="approved", quote_text="q"
    )
    services.response_promote(
        response=response, quote="q", source_detail="s", user=steering_member
    )
    with pytest.raises(services.PromotionNotAllowed):
        services.response_promote(
            response=response, quote="q", source_detail="s", user=steering_member
        )
    assert programme_models.Testimonial.objects.count() == 1


def test_empty_quote_is_a_field_error(client_for, open_session):
    response = make_response(
        open_session, consent_to_quote=True, quote_status="approved", quote_text="q"
    )
    page = client_for("Programme admins").post(
        f"/learning-spaces/responses/{response.reference}/promote/",
        {"quote": "", "source_detail": "s"},
    )
    assert page.status_code == 200
    assert page.context["form"].errors["quote"]
    assert programme_models.Testimonial.objects.count() == 0


def test_staff_confirm_or_change_themes(client_for, open_session, themes):
    response = make_response(open_session, gained_most="white privilege")
    response.suggested_themes.set([themes["White privilege"]])
    response.themes.set([themes["White privilege"]])
    page = client_for("Steering group").post(
        f"/learning-spaces/responses/{response.reference}/",
        {"themes": [themes["Power dynamics"].pk, themes["Confidence"].pk]},
    )
    assert page.status_code == 302
    response.refresh_from_db()
    assert {t.name for t in response.themes.all()} == {"Power dynamics", "Confidence"}
    assert [t.name for t in response.suggested_themes.all()] == ["White privilege"]
    assert response.themes_reviewed_at is not None
