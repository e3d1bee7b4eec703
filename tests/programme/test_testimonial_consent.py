"""Consent is a rule of the data: the services and a database constraint."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from arp import roles
from programme import services
from programme.models import Testimonial

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS

pytestmark = pytest.mark.django_db


def _published(created_by) -> Testimonial:
    return services.testimonial_create(
        quote="It changed my practice.",
        source_type="practitioner_feedback",
        source_detail="Learning space",
        quoted_on=date(2026, 10, 1),
        consent_recorded=True,
        published=True,
        created_by=created_by,
    )


def test_database_refuses_a_published_quote_without_consent(programme_admin):
    quote = _published(programme_admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Testimonial.objects.filter(pk=quote.pk).update(consent_recorded=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Testimonial.objects.create(
            quote="x", source_type="partner", quoted_on=date(2026, 1, 1),
            published=True,
        )  # fmt: skip
    # a public source needs no consent
    Testimonial.objects.create(
        quote="Ofsted said so", source_type="ofsted", quoted_on=date(2026, 1, 1),
        published=True,
    )  # fmt: skip


def test_steering_edit_of_a_published_quote_sends_it_back(client_for, steering_member):
    quote = _published(steering_member)
    page = client_for(STEERING).post(
        f"/programme/testimonials/{quote.pk}/edit/",
        {"quote": "New wording naming Jane", "source_type": "practitioner_feedback",
         "source_detail": "Learning space", "quoted_on": "2026-10-01",
         "consent_recorded": "on"},
    )  # fmt: skip
    assert page.status_code == 302
    quote.refresh_from_db()
    assert quote.quote == "New wording naming Jane"
    assert quote.published is False
    assert not Testimonial.objects.filter(published=True).exists()
    # the Board no longer sees it
    board = client_for(BOARD).get("/programme/testimonials/")
    assert b"New wording naming Jane" not in board.content


def test_steering_cannot_untick_consent_on_a_published_quote(
    client_for, steering_member
):
    quote = _published(steering_member)
    page = client_for(STEERING).post(
        f"/programme/testimonials/{quote.pk}/edit/",
        {"quote": quote.quote, "source_type": "practitioner_feedback",
         "source_detail": "Learning space", "quoted_on": "2026-10-01"},
    )  # fmt: skip
    assert page.status_code == 302
    quote.refresh_from_db()
    assert quote.consent_recorded is False
    assert quote.published is False


def test_unchanged_save_by_steering_keeps_it_published(client_for, steering_member):
    quote = _published(steering_member)
    client_for(STEERING).post(
        f"/programme/testimonials/{quote.pk}/edit/",
        {"quote": quote.quote, "source_type": "practitioner_feedback",
         "source_detail": "Learning space", "quoted_on": "2026-10-01",
         "consent_recorded": "on"},
    )  # fmt: skip
    quote.refresh_from_db()
    assert quote.published is True


def test_admin_edit_keeps_publication_and_service_checks_consent(programme_admin):
    quote = _published(programme_admin)
    updated = services.testimonial_update(
        testimonial=quote, user=programme_admin, quote="Reworded"
    )
    assert updated.published is True and updated.quote == "Reworded"
    with pytest.raises(services.ProgrammeError):
        services.testimonial_update(
            testimonial=quote, user=programme_admin, consent_recorded=False
        )
    quote.refresh_from_db()
    assert quote.consent_recorded is True and quote.published is True
