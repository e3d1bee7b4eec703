"""History pages show names and readable values, not ids or raw timestamps."""

from datetime import date
from decimal import Decimal

from arp import roles
from programme import services
from tests.programme.conftest import make_action

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS


def test_action_history_names_people_and_writes_dates(
    client_for, aspirations, steering_member, other_steering_member, programme_admin
):
    action = make_action(steering_member, title="Audit")
    services.action_update(
        action=action, user=programme_admin, owner=other_steering_member,
        due_on=date(2027, 1, 15),
    )  # fmt: skip
    page = client_for(BOARD).get(f"/programme/actions/{action.pk}/")
    assert page.status_code == 200
    history = page.context["history"]
    changes = {c.field: (c.old, c.new) for c in history[0].changes}
    assert changes["Owner"] == ("Sam", "Sasha")
    assert changes["Due on"][1] == "15 Jan 2027"
    html = page.content.decode()
    assert "Owner: Sam → Sasha" in html
    assert f"Owner: {steering_member.pk} →" not in html


def test_achievement_publication_time_to_the_minute(
    client_for, aspirations, steering_member, programme_admin
):
    achievement = services.achievement_create(
        user=steering_member, aspirations=aspirations[:1], title="Network",
        summary="s", achieved_on=date(2026, 1, 1), reach="local", submit=True,
    )  # fmt: skip
    services.achievement_publish(achievement=achievement, user=programme_admin)
    page = client_for(STEERING).get(f"/programme/achievements/{achievement.pk}/")
    changes = {c.field: c.new for c in page.context["history"][0].changes}
    assert changes["Published by"] == "Alice"
    published = changes["Published at"]
    assert "." not in published and "+" not in published  # no microseconds or offset
    assert published.count(":") == 1


def test_readable_numbers_and_flags():
    from programme.history import readable
    from programme.models import Indicator, Testimonial

    value = Indicator._meta.get_field("target_value")
    assert readable(value, Decimal("80.0000")) == "80"
    assert readable(value, Decimal("1.2500")) == "1.25"
    assert readable(Testimonial._meta.get_field("published"), True) == "Yes"
    assert readable(value, None) == "—"
