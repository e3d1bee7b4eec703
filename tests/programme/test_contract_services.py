"""The services other apps call: indicator_ensure, indicator_record_reading,
testimonial_create."""

from datetime import date
from decimal import Decimal

import pytest

from programme import models, services
from programme.services import (
    ProgrammeError,
    indicator_ensure,
    indicator_record_reading,
)

pytestmark = pytest.mark.django_db


def _ensure(**overrides):
    kwargs = {
        "key": "ls-confidence",
        "aspiration_number": 3,
        "name": "% reporting more confidence",
        "unit": "percent",
        "higher_is_better": True,
        "data_source": "Learning space feedback",
    }
    return indicator_ensure(**{**kwargs, **overrides})


def test_indicator_ensure_creates_once_and_keeps_admin_edits():
    first = _ensure(target_value=75, target_date=date(2027, 3, 31))
    assert first.aspiration.number == 3
    assert first.target_value == Decimal("75")
    first.name = "Edited by an admin"
    first.save()

    again = _ensure(name="Something else")

    assert again.pk == first.pk
    assert models.Indicator.objects.filter(key="ls-confidence").count() == 1
    assert models.Indicator.objects.get().name == "Edited by an admin"


def test_indicator_ensure_creates_missing_aspiration_with_programme_wording():
    models.Aspiration.objects.all().delete()
    indicator = _ensure(aspiration_number=5)
    assert indicator.aspiration.title.startswith("Ethnically diverse families")
    assert models.Aspiration.objects.count() == 1


@pytest.mark.parametrize(
    "overrides", [{"unit": "percentage"}, {"aspiration_number": 7}]
)
def test_indicator_ensure_rejects_bad_unit_or_aspiration(overrides):
    with pytest.raises(ValueError):
        _ensure(**overrides)
    assert not models.Indicator.objects.exists()


def test_record_reading_upserts_per_day_and_keeps_history(steering_member):
    indicator = _ensure()
    day = date(2025, 6, 30)
    first = indicator_record_reading(indicator=indicator, value=61.5, taken_on=day)
    second = indicator_record_reading(
        indicator=indicator,
        value=Decimal("64.2"),
        taken_on=day,
        note="corrected",
        entered_by=steering_member,
    )
    indicator_record_reading(indicator=indicator, value=70, taken_on=date(2025, 9, 30))

    assert second.pk == first.pk
    reading = models.IndicatorReading.objects.get(indicator=indicator, taken_on=day)
    assert reading.value == Decimal("64.2")
    assert reading.note == "corrected"
    assert reading.entered_by == steering_member
    assert models.IndicatorReading.objects.filter(indicator=indicator).count() == 2
    history_values = sorted(reading.history.values_list("value", flat=True))
    assert history_values == [Decimal("61.5"), Decimal("64.2")]


def test_testimonial_create_stores_fields():
    testimonial = services.testimonial_create(
        quote="  The space let me talk about race at work.  ",
        source_type="practitioner_feedback",
        source_detail="Learning space, May 2025",
        quoted_on=date(2025, 5, 14),
        consent_recorded=True,
        published=True,
    )
    stored = models.Testimonial.objects.get(pk=testimonial.pk)
    assert stored.quote == "The space let me talk about race at work."
    assert stored.source_type == models.Testimonial.SourceType.PRACTITIONER_FEEDBACK
    assert stored.consent_recorded and stored.published


def test_testimonial_cannot_publish_a_person_without_consent():
    with pytest.raises(ProgrammeError):
        services.testimonial_create(
            quote="Quote",
            source_type="child_or_young_person",
            source_detail="",
            quoted_on=date(2025, 5, 14),
            consent_recorded=False,
            published=True,
        )
    assert not models.Testimonial.objects.exists()


def test_testimonial_unknown_source_type_rejected():
    with pytest.raises(ValueError):
        services.testimonial_create(
            quote="Quote",
            source_type="newspaper",
            source_detail="",
            quoted_on=date(2025, 5, 14),
            consent_recorded=True,
        )
    assert not models.Testimonial.objects.exists()
