"""The recent-activity feed reads as people write, groups system readings
and shows the Board only what the Board may see."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from arp import roles
from programme import services
from programme.activity import activity_feed
from programme.models import Meeting
from tests.programme.conftest import make_action

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS


def _indicator(key, source):
    return services.indicator_ensure(
        key=key, aspiration_number=1, name=f"Indicator {key}", unit="ratio",
        higher_is_better=False, data_source=source,
    )  # fmt: skip


def test_system_readings_are_one_line_per_source_and_day(
    aspirations, steering_member, board_member
):
    dp = [_indicator(f"rri-{i}", "Disproportionality dashboard") for i in range(3)]
    for indicator in dp:
        for year in range(2019, 2033):  # 14 readings each, as an import writes
            services.indicator_record_reading(
                indicator=indicator, value=Decimal("1.5"), taken_on=date(year, 3, 31)
            )
    manual = _indicator("manual", "Survey")
    services.indicator_record_reading(
        indicator=manual, value=Decimal("58.50"), taken_on=date(2026, 3, 31),
        entered_by=steering_member,
    )  # fmt: skip
    lines = [line.text for line in activity_feed(board_member)]
    today = timezone.localdate()
    stamp = f"{today.day} {today:%b %Y}"
    assert f"42 readings from the disproportionality import of {stamp}" in lines
    assert "Sam added a reading of Indicator manual: 58.5 on 31 Mar 2026" in lines
    assert not any(text.startswith("A reading of") for text in lines)


def test_people_and_changes_read_as_sentences(
    aspirations, steering_member, programme_admin, board_member
):
    action = make_action(steering_member, title="Book the auditors")
    services.action_change_status(
        action=action, user=steering_member, to_status="off_track",
        reason="Auditors moved", corrective_action="Borrow two from QA",
    )  # fmt: skip
    meeting = Meeting.objects.create(kind="board", held_on=date(2026, 9, 17))
    services.meeting_decision_add(
        meeting=meeting, user=programme_admin, text="Repeat the audit in 2027."
    )
    published = services.achievement_create(
        user=steering_member, aspirations=aspirations[:1], title="Network launched",
        summary="s", achieved_on=date(2026, 1, 1), reach="local", submit=True,
    )  # fmt: skip
    services.achievement_publish(achievement=published, user=programme_admin)
    services.achievement_create(
        user=steering_member, aspirations=aspirations[:1], title="Secret draft",
        summary="s", achieved_on=date(2026, 1, 1), reach="local",
    )  # fmt: skip
    board = [line.text for line in activity_feed(board_member)]
    steering = [line.text for line in activity_feed(steering_member)]
    assert "Sam moved “Book the auditors” from Not started to Off track: " \
        "Auditors moved" in board  # fmt: skip
    assert (
        "Alice recorded a decision of the governance board meeting of "
        "17 Sep 2026: “Repeat the audit in 2027.”"
    ) in board
    assert "Alice published the achievement “Network launched”" in board
    assert not any("Secret draft" in text for text in board)
    assert "Sam logged the achievement “Secret draft”" in steering
    # the Board never sees an achievement's life before it was published
    assert not any("submitted for publication" in text for text in board)


def test_feed_is_newest_first_and_limited(aspirations, steering_member):
    for i in range(20):
        make_action(steering_member, title=f"A{i}", due_on=date.today() + timedelta(i))
    lines = activity_feed(steering_member, limit=12)
    assert len(lines) == 12
    assert [line.when for line in lines] == sorted(
        (line.when for line in lines), reverse=True
    )
