"""Scheduling the next sessions across England and Wales bank holidays."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from learning_spaces.models import LearningSession
from learning_spaces.scheduling import england_bank_holidays, next_working_day
from learning_spaces.services import session_schedule_next

HOLIDAYS = england_bank_holidays(range(2026, 2028))


@pytest.mark.parametrize(
    "day,expected",
    [
        (date(2026, 12, 25), date(2026, 12, 29)),  # Christmas Fri, Boxing Day Mon 28th
        (date(2026, 8, 31), date(2026, 9, 1)),  # Summer bank holiday
        (date(2026, 11, 21), date(2026, 11, 23)),  # Saturday
        (date(2026, 11, 24), date(2026, 11, 24)),  # an ordinary Tuesday
        (date(2027, 3, 26), date(2027, 3, 30)),  # Good Friday, then Easter Monday
    ],
)
def test_next_working_day(day, expected):
    assert next_working_day(day, HOLIDAYS) == expected


@pytest.mark.django_db
def test_cadence_does_not_drift_after_a_holiday(space):
    first = timezone.make_aware(datetime(2026, 11, 13, 10, 0))
    LearningSession.objects.create(
        space=space, starts_at=first, ends_at=first + timezone.timedelta(hours=2)
    )
    session_schedule_next(space=space, count=3, today=date(2026, 11, 14))
    dates = sorted(_local(s).date() for s in space.sessions.all())
    # Christmas moves the first to the 29th; the next follow the nominal dates
    assert dates[1:] == [date(2026, 12, 29), date(2027, 2, 5), date(2027, 3, 19)]


def _local(session):
    return timezone.localtime(session.starts_at)


@pytest.mark.django_db
def test_schedule_moves_christmas_and_never_duplicates(space):
    space.default_start_time = time(10, 0)
    space.save()
    first = timezone.make_aware(datetime(2026, 11, 13, 10, 0))
    LearningSession.objects.create(
        space=space, starts_at=first, ends_at=first + timezone.timedelta(hours=2)
    )

    result = session_schedule_next(space=space, count=3, today=date(2026, 11, 22))

    assert [_local(s).date() for s in result.created] == [
        date(2026, 12, 29),
        date(2027, 2, 5),
        date(2027, 3, 19),
    ]
    assert all(_local(s).time() == time(10, 0) for s in result.created)
    assert all(s.venue == space.default_venue for s in result.created)
    assert space.sessions.count() == 4

    again = session_schedule_next(space=space, count=3, today=date(2026, 11, 22))
    assert again.created == []
    assert again.already_scheduled == 3
    assert space.sessions.count() == 4

    # Asking for one more adds only the fourth.
    more = session_schedule_next(space=space, count=4, today=date(2026, 11, 22))
    assert [_local(s).date() for s in more.created] == [date(2027, 4, 30)]
    assert space.sessions.count() == 5


@pytest.mark.django_db
def test_schedule_moves_august_bank_holiday(space):
    first = timezone.make_aware(datetime(2026, 7, 20, 10, 0))
    LearningSession.objects.create(
        space=space, starts_at=first, ends_at=first + timezone.timedelta(hours=2)
    )
    result = session_schedule_next(space=space, count=1, today=date(2026, 7, 21))
    assert [_local(s).date() for s in result.created] == [date(2026, 9, 1)]


@pytest.mark.django_db
def test_a_session_moved_by_hand_counts_as_scheduled(space):
    for day in (date(2026, 11, 13), date(2026, 12, 30)):  # 30 Dec: moved by hand
        start = timezone.make_aware(datetime.combine(day, time(10)))
        LearningSession.objects.create(
            space=space, starts_at=start, ends_at=start + timezone.timedelta(hours=2)
        )
    result = session_schedule_next(space=space, count=2, today=date(2026, 11, 22))
    assert [_local(s).date() for s in result.created] == [date(2027, 2, 5)]
    assert result.already_scheduled == 1


@pytest.mark.django_db
def test_schedule_view_reports_and_is_idempotent(client_for, space, open_session):
    client = client_for("Steering group")
    url = f"/learning-spaces/spaces/{space.pk}/schedule/"
    first = client.post(url, {"count": 2}, follow=True)
    assert first.status_code == 200
    assert b"Scheduled 2 session(s)" in first.content
    assert space.sessions.count() == 3
    client.post(url, {"count": 2})
    assert space.sessions.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("count", ["0", "13", "many", ""])
def test_schedule_view_rejects_bad_counts(client_for, space, count):
    response = client_for("Programme admins").post(
        f"/learning-spaces/spaces/{space.pk}/schedule/", {"count": count}, follow=True
    )
    assert response.status_code == 200
    assert b"Enter a number of sessions from 1 to 12" in response.content
    assert space.sessions.count() == 0
