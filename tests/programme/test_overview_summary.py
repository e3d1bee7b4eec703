"""Overview and board summary: content by role and fixed query counts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from arp import roles
from programme import services
from programme.models import Aspiration, IndicatorReading, LessonLearnt, Testimonial
from tests.programme.conftest import make_achievement, make_action, make_indicator

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS


def _grow(user, n):
    today = timezone.localdate()
    aspirations = list(Aspiration.objects.all())
    for i in range(n):
        achievement = services.achievement_create(
            user=user,
            aspirations=aspirations[:2],
            submit=True,
            title=f"Grown {i}",
            summary="s",
            achieved_on=today - timedelta(days=i),
            reach=["national", "regional", "countywide", "local"][i % 4],
        )
        services.achievement_publish(achievement=achievement, user=user)
        make_action(user, status="off_track", due_on=today - timedelta(days=i + 1))
        indicator = make_indicator(aspiration=aspirations[i % 6])
        for months in range(3):
            IndicatorReading.objects.create(
                indicator=indicator,
                value=10 + months + i,
                taken_on=date(2025, 1, 1) + timedelta(days=31 * months),
            )
        LessonLearnt.objects.create(
            kind="went_well", theme="policy", title=f"L{i}", description="d",
            recorded_on=today,
        )  # fmt: skip
        Testimonial.objects.create(
            quote=f"Q{i}", source_type="ofsted", quoted_on=today, published=True
        )


@pytest.mark.parametrize("size", [2, 25])
def test_overview_query_count_is_fixed(
    client_for, aspirations, programme_admin, django_assert_num_queries, size
):
    _grow(programme_admin, size)
    client = client_for(BOARD)
    # user, groups (session from the cache), aspirations, indicators,
    # latest readings, 2 counts,
    # the activity feed: achievements, actions added, status changes,
    # decisions, lessons, readings entered by people, system readings grouped
    with django_assert_num_queries(14):
        response = client.get("/programme/")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 25])
def test_summary_query_count_is_fixed(
    client_for, aspirations, programme_admin, django_assert_num_queries, size
):
    _grow(programme_admin, size)
    client = client_for(BOARD)
    # user, groups (session from the cache), aspirations, indicators,
    # latest readings,
    # reach counts, achievements, their aspirations, actions, lessons, quotes
    with django_assert_num_queries(11):
        response = client.get("/programme/summary/")
    assert response.status_code == 200


def test_summary_tells_the_story_for_the_period(
    client_for, aspirations, steering_member
):
    today = timezone.localdate()
    make_achievement(
        steering_member,
        status="published",
        title="National panel",
        reach="national",
        achieved_on=today - timedelta(days=10),
    )
    make_achievement(
        steering_member,
        status="published",
        title="Old news",
        reach="local",
        achieved_on=today - timedelta(days=400),
    )
    make_achievement(
        steering_member,
        status="submitted",
        title="Not yet public",
        reach="local",
        achieved_on=today - timedelta(days=5),
    )
    make_action(
        steering_member, title="Overdue audit", due_on=today - timedelta(days=3)
    )
    make_action(steering_member, title="Future plan")
    Testimonial.objects.create(
        quote="Published words", source_type="ofsted", quoted_on=today, published=True
    )
    Testimonial.objects.create(
        quote="Unpublished words", source_type="partner", quoted_on=today
    )
    LessonLearnt.objects.create(kind="could_be_better", theme="resourcing",
                                title="Protected time", description="d")  # fmt: skip
    indicator = make_indicator(name="CP rate ratio")
    IndicatorReading.objects.create(indicator=indicator, value=30, taken_on=today)

    html = client_for(BOARD).get("/programme/summary/").content.decode()
    assert "National panel" in html
    assert "Old news" not in html
    assert "Not yet public" not in html
    assert "Overdue audit" in html and "Future plan" not in html
    assert "Published words" in html and "Unpublished words" not in html
    assert "Protected time" in html
    assert "CP rate ratio" in html and "rag-" in html
    assert 'href="/static/css/print.css" media="print"' in html

    longer = client_for(BOARD).get(
        f"/programme/summary/?start={(today - timedelta(days=500)).isoformat()}"
        f"&end={today.isoformat()}"
    )
    assert "Old news" in longer.content.decode()


def test_bad_period_falls_back_with_message(client_for, aspirations):
    response = client_for(BOARD).get(
        "/programme/summary/?start=2026-05-01&end=2025-01-01"
    )
    assert response.status_code == 400  # the message, on the default period
    assert "end" in response.context["form"].errors


def test_snapshot_groups_published_by_reach(client_for, aspirations, steering_member):
    today = timezone.localdate()
    make_achievement(
        steering_member,
        status="published",
        title="Regional win",
        reach="regional",
        achieved_on=today,
    )
    make_achievement(steering_member, status="draft", title="Draft win",
                     reach="regional", achieved_on=today)  # fmt: skip
    response = client_for(BOARD).get("/programme/achievements/snapshot/")
    groups = {
        label: [a.title for a in items]
        for label, items, _ in response.context["groups"]
    }
    assert list(groups) == ["National", "Regional", "Countywide", "Local"]
    assert groups["Regional"] == ["Regional win"]


def test_activity_feed_hides_drafts_from_the_board(
    client_for, aspirations, steering_member, programme_admin
):
    draft = services.achievement_create(
        user=steering_member, aspirations=aspirations[:1], title="Draft idea",
        summary="s", achieved_on=date(2025, 1, 1), reach="local",
    )  # fmt: skip
    published = services.achievement_create(
        user=steering_member, aspirations=aspirations[:1], title="Public thing",
        summary="s", achieved_on=date(2025, 1, 1), reach="local", submit=True,
    )  # fmt: skip
    services.achievement_publish(achievement=published, user=programme_admin)
    board_html = client_for(BOARD).get("/programme/").content.decode()
    steering_html = client_for(STEERING).get("/programme/").content.decode()
    assert "Public thing" in board_html and "Draft idea" not in board_html
    assert "Draft idea" in steering_html
    assert draft.pk
