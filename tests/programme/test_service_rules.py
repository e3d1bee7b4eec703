"""The rules a form used to hold alone, held by the services: a direct call
that breaks one raises and writes nothing."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programme import services
from programme.models import (
    Achievement,
    LessonLearnt,
    Meeting,
    TrainingEvent,
    WorkforceHeadcount,
)
from tests.programme.conftest import make_achievement, make_action

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + timedelta(days=1)


# --- Achievements ----------------------------------------------------------------


def test_create_refuses_a_future_date_and_writes_nothing(steering_member, aspirations):
    with pytest.raises(services.ProgrammeError, match="cannot be in the future"):
        services.achievement_create(
            user=steering_member, aspirations=aspirations[:1],
            title="Tomorrow's news", summary="s", achieved_on=TOMORROW, reach="local",
        )  # fmt: skip
    assert Achievement.objects.count() == 0
    assert Achievement.history.count() == 0


def test_update_refuses_a_future_date_and_writes_nothing(steering_member, aspirations):
    achievement = make_achievement(steering_member, title="As it was")
    versions = Achievement.history.filter(id=achievement.pk).count()
    with pytest.raises(services.ProgrammeError, match="cannot be in the future"):
        services.achievement_update(
            achievement=achievement, user=steering_member, aspirations=[],
            title="Changed", achieved_on=TOMORROW,
        )  # fmt: skip
    stored = Achievement.objects.get(pk=achievement.pk)
    assert stored.title == "As it was"
    assert stored.aspirations.count() == 1
    assert Achievement.history.filter(id=achievement.pk).count() == versions


def test_update_refuses_a_dishonest_evidence_file(steering_member, aspirations):
    achievement = make_achievement(steering_member)
    fake_pdf = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(services.ProgrammeError, match="does not match"):
        services.achievement_update(
            achievement=achievement, user=steering_member, aspirations=[],
            evidence_file=fake_pdf,
        )  # fmt: skip
    assert not Achievement.objects.get(pk=achievement.pk).evidence_file


@pytest.mark.parametrize(
    "status,after", [("draft", "submitted"), ("submitted", "submitted")]
)
def test_edit_with_submit_submits_a_draft_and_only_saves_the_rest(
    steering_member, aspirations, status, after
):
    achievement = make_achievement(steering_member, status=status)
    services.achievement_update(
        achievement=achievement, user=steering_member, aspirations=aspirations[:2],
        title="Edited", submit=True,
    )  # fmt: skip
    stored = Achievement.objects.get(pk=achievement.pk)
    assert (stored.title, stored.status) == ("Edited", after)
    assert stored.aspirations.count() == 2


def test_a_submit_that_fails_takes_the_edit_back(steering_member, monkeypatch):
    achievement = make_achievement(steering_member, title="Untouched")

    def refuse(**kwargs):
        raise services.ProgrammeError("refused")

    monkeypatch.setattr(services, "achievement_submit", refuse)
    with pytest.raises(services.ProgrammeError):
        services.achievement_update(
            achievement=achievement, user=steering_member, aspirations=[],
            title="Half saved?", submit=True,
        )  # fmt: skip
    stored = Achievement.objects.get(pk=achievement.pk)
    assert (stored.title, stored.status) == ("Untouched", "draft")
    assert stored.aspirations.count() == 1


# --- Plain registers ---------------------------------------------------------------


def test_register_entry_add_sets_author_and_links(steering_member, aspirations):
    action = make_action(steering_member)
    meeting = services.register_entry_save(
        entry=Meeting(), user=steering_member,
        kind=Meeting.Kind.STEERING, held_on=date(2026, 5, 1), title="May",
        attendees="", decisions="", actions=[action],
    )  # fmt: skip
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.created_by == steering_member
    assert list(stored.actions.all()) == [action]


def test_training_in_the_future_is_refused_and_not_written(steering_member):
    with pytest.raises(services.ProgrammeError, match="once it has taken place"):
        services.register_entry_save(
            entry=TrainingEvent(), user=steering_member,
            course="Anti-racist practice", held_on=TOMORROW, audience="", attended=12,
        )  # fmt: skip
    assert TrainingEvent.objects.count() == 0


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("author", True),
        ("programme_admin", True),
        ("other_steering_member", False),
        ("board_member", False),
    ],
)
def test_register_entry_edit_role_matrix(request, steering_member, who, allowed):
    lesson = LessonLearnt.objects.create(
        kind="went_well", theme="policy", title="As written", description="d",
        created_by=steering_member,
    )  # fmt: skip
    user = steering_member if who == "author" else request.getfixturevalue(who)
    if allowed:
        services.register_entry_save(entry=lesson, user=user, title="Edited")
        assert LessonLearnt.objects.get(pk=lesson.pk).title == "Edited"
        assert LessonLearnt.objects.get(pk=lesson.pk).created_by == steering_member
    else:
        with pytest.raises(services.ProgrammeError):
            services.register_entry_save(entry=lesson, user=user, title="Edited")
        assert LessonLearnt.objects.get(pk=lesson.pk).title == "As written"


def test_board_adds_nothing_to_a_register(board_member):
    with pytest.raises(services.ProgrammeError):
        services.register_entry_save(
            entry=WorkforceHeadcount(), user=board_member,
            team="North", headcount=40, as_of=date(2026, 4, 1),
        )  # fmt: skip
    assert WorkforceHeadcount.objects.count() == 0


def test_register_entry_save_takes_only_plain_registers(programme_admin):
    with pytest.raises(TypeError):
        services.register_entry_save(entry=Achievement(), user=programme_admin)
    with pytest.raises(TypeError, match="not_a_field"):
        services.register_entry_save(
            entry=Meeting(), user=programme_admin, not_a_field=1
        )
    assert Meeting.objects.count() == 0


# --- Indicators by hand ------------------------------------------------------------


def _indicator_fields(aspirations, **overrides):
    return {
        "aspiration": aspirations[0], "name": "Referrals", "key": "referrals",
        "unit": "count", "higher_is_better": False, "data_source": "",
        "baseline_value": 100, "baseline_date": date(2024, 4, 1),
        "target_value": 80, "target_date": date(2027, 3, 31), **overrides,
    }  # fmt: skip


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"target_date": date(2024, 4, 1)}, "after the baseline"),
        ({"target_date": None}, "both the value and the date"),
        ({"baseline_value": None}, "both the value and the date"),
        ({"key": ""}, "key"),
    ],
)
def test_indicator_save_refuses_broken_rules_and_writes_nothing(
    programme_admin, aspirations, overrides, message
):
    from programme.models import Indicator

    with pytest.raises(services.ProgrammeError, match=message):
        services.indicator_save(
            indicator=Indicator(), user=programme_admin,
            **_indicator_fields(aspirations, **overrides),
        )  # fmt: skip
    assert not Indicator.objects.filter(name="Referrals").exists()


def test_indicator_save_roles_and_key_clash(
    programme_admin, steering_member, aspirations
):
    from programme.models import Indicator

    saved = services.indicator_save(
        indicator=Indicator(), user=programme_admin, **_indicator_fields(aspirations)
    )
    assert Indicator.objects.get(pk=saved.pk).target_date == date(2027, 3, 31)
    with pytest.raises(services.ProgrammeError, match="Only Programme admins"):
        services.indicator_save(indicator=saved, user=steering_member, name="Other")
    with pytest.raises(services.ProgrammeError, match="already uses this key"):
        services.indicator_save(
            indicator=Indicator(), user=programme_admin,
            **_indicator_fields(aspirations, name="Copy"),
        )  # fmt: skip
    assert Indicator.objects.get(pk=saved.pk).name == "Referrals"
    assert not Indicator.objects.filter(name="Copy").exists()
