"""Issue 13: labelled date and time inputs, facilitator pickers, the default
venue of sessions added by hand, the confidence indicator's target, and the
insights page's charts and tables for keyboard and screen-reader users."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from arp import roles
from learning_spaces import services
from learning_spaces.forms import SessionForm, SpaceForm
from learning_spaces.models import LearningSession

from .conftest import make_response

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
pytestmark = pytest.mark.django_db

NEW_SESSION = {
    "starts_at": "2027-01-12T10:00",
    "ends_at": "2027-01-12T12:00",
    "topic": "Power",
    "venue": "",
    "online_link": "",
    "capacity": "",
    "feedback_closes_after_days": "14",
}


def test_session_form_has_one_labelled_datetime_box_per_moment(client_for):
    html = client_for(STEERING).get("/learning-spaces/sessions/new/").content.decode()
    for name, label in (("starts_at", "Starts"), ("ends_at", "Ends")):
        box = re.search(rf'<input type="datetime-local" name="{name}"[^>]*>', html)
        assert box, name
        assert f'id="id_{name}"' in box.group(0)
        assert re.search(rf'<label\s+for="id_{name}"[^>]*>\s*{label}', html), name
    # no unlabelled split boxes left
    assert 'name="starts_at_0"' not in html and 'name="starts_at_1"' not in html


def test_a_bad_date_time_is_refused_with_a_message(client_for, space):
    response = client_for(STEERING).post(
        "/learning-spaces/sessions/new/",
        {**NEW_SESSION, "space": space.pk, "starts_at": "12th Jan"},
    )
    assert response.status_code == 200
    assert "Enter a date and time, e.g. 12/01/2027 10:00" in response.content.decode()
    assert not LearningSession.objects.exists()


def test_facilitator_pickers_offer_only_staff_who_can_facilitate(
    space, programme_admin, steering_member, board_member, practitioner, support_lead
):
    offered = set(SessionForm().fields["facilitator"].queryset)
    assert offered == {programme_admin, steering_member}
    assert set(SpaceForm().fields["facilitators"].queryset) == offered
    labels = [label for _v, label in SessionForm().fields["facilitator"].choices]
    assert steering_member.get_full_name() in labels


def test_a_board_member_cannot_be_made_facilitator(client_for, space, board_member):
    response = client_for(STEERING).post(
        "/learning-spaces/sessions/new/",
        {**NEW_SESSION, "space": space.pk, "facilitator": board_member.pk},
    )
    assert response.status_code == 200
    assert "facilitator" in response.context["form"].errors
    assert not LearningSession.objects.exists()


def test_editing_keeps_a_facilitator_who_has_since_lost_the_role(
    space, steering_member
):
    session = LearningSession.objects.create(
        space=space,
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=1),
        facilitator=steering_member,
    )
    steering_member.groups.clear()
    form = SessionForm(instance=session)
    assert steering_member in form.fields["facilitator"].queryset


def test_a_session_added_by_hand_gets_its_spaces_venue(client_for, space):
    space.default_online_link = ""
    space.save()
    client = client_for(STEERING)
    response = client.post(
        "/learning-spaces/sessions/new/", {**NEW_SESSION, "space": space.pk}
    )
    assert response.status_code == 302
    session = LearningSession.objects.get()
    assert session.venue == "County Hall"
    ics = client.get(f"/learning-spaces/sessions/{session.pk}/session.ics")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "County Hall"
    # a venue typed in wins, and an edit that empties the venue is respected
    client.post(
        f"/learning-spaces/sessions/{session.pk}/edit/",
        {**NEW_SESSION, "space": space.pk, "venue": "Room 4"},
    )
    session.refresh_from_db()
    assert session.venue == "Room 4"
    client.post(
        f"/learning-spaces/sessions/{session.pk}/edit/",
        {**NEW_SESSION, "space": space.pk, "venue": ""},
    )
    session.refresh_from_db()
    assert session.venue == ""


def test_confidence_indicator_has_a_target_so_it_gets_a_rating(space):
    from programme.models import Indicator
    from programme.selectors import assess_indicator

    starts = timezone.make_aware(datetime.combine(date(2026, 8, 3), time(10)))
    session = LearningSession.objects.create(
        space=space, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    for before, now in ((2, 4), (3, 4), (1, 2), (4, 3)):
        make_response(session, confidence_before=before, confidence_now=now)
    reading = services.confidence_indicator_record(quarter_end=date(2026, 9, 30))
    indicator = Indicator.objects.get(key=services.CONFIDENCE_INDICATOR_KEY)
    assert indicator.target_value == services.CONFIDENCE_INDICATOR_TARGET == 75
    assert indicator.target_date == date(2027, 3, 31)
    assessment = assess_indicator(
        indicator, [(reading.taken_on, reading.value)], today=date(2026, 10, 1)
    )
    assert float(reading.value) == 75.0  # 3 of 4 more confident
    assert assessment.rag == "green"  # was "grey" (No rating): no target


def test_an_indicator_made_before_it_had_a_target_gets_one(space):
    from programme.models import Indicator
    from programme.services import indicator_ensure

    old = indicator_ensure(
        key=services.CONFIDENCE_INDICATOR_KEY,
        aspiration_number=3,
        name="Old name",
        unit="percent",
        higher_is_better=True,
        data_source="",
    )
    assert old.target_value is None
    make_response(
        LearningSession.objects.create(
            space=space,
            starts_at=timezone.now() - timedelta(days=100),
            ends_at=timezone.now() - timedelta(days=100) + timedelta(hours=1),
        )
    )
    again = indicator_ensure(
        key=services.CONFIDENCE_INDICATOR_KEY,
        aspiration_number=3,
        name="New name",
        unit="percent",
        higher_is_better=True,
        data_source="",
        target_value=75,
        target_date=date(2027, 3, 31),
    )
    again.refresh_from_db()
    assert (again.name, again.target_value) == ("Old name", 75)
    # a target an admin set is never replaced
    Indicator.objects.filter(pk=again.pk).update(target_value=60)
    indicator_ensure(
        key=services.CONFIDENCE_INDICATOR_KEY,
        aspiration_number=3,
        name="x",
        unit="percent",
        higher_is_better=True,
        data_source="",
        target_value=75,
    )
    assert Indicator.objects.get(pk=again.pk).target_value == 60


def test_insights_charts_hide_nothing_focusable_and_tables_take_focus(
    client_for, space
):
    session = LearningSession.objects.create(
        space=space,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    for _ in range(3):
        make_response(session)
    response = client_for(BOARD).get("/learning-spaces/insights/")
    html = response.content.decode()
    # legends above the plot, no plotly title: neither can sit on an axis title
    charted = [
        response.context[name]
        for name in ("chart_over_time", "chart_by_space", "chart_themes")
        if response.context[name]
    ]
    assert len(charted) >= 2
    for name, figure in enumerate(charted):
        layout = figure["layout"]
        assert layout["legend"]["y"] >= 1, name
        assert layout["legend"]["yanchor"] == "bottom", name
        assert not layout.get("title", {}).get("text"), name
        assert layout["yaxis"]["automargin"] and layout["xaxis"]["automargin"]
    # the charts are empty boxes plotly draws into, hidden from screen readers
    # (the tables say the same); nothing focusable inside them
    for chart in ("over-time", "by-space"):
        box = f'<div id="chart-{chart}" class="ls-chart" aria-hidden="true"></div>'
        assert box in html
        assert f'id="fig-{chart}"' in html
    assert '<div class="card card-body" aria-hidden="true">' not in html
    regions = re.findall(r'<div class="table-responsive"[^>]*>', html)
    assert len(regions) >= 3
    for region in regions:
        assert 'tabindex="0"' in region and 'role="region"' in region
        assert 'aria-label="Table: ' in region
    # the filter is styled like every other form
    assert 'class="form-select" id="id_space"' in html
    assert re.search(r'<input type="date" name="date_from" class="form-control"', html)
