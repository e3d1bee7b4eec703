"""Small groups: no figure can be differenced to recover one person's answers.

A session's answers count towards means and percentages only when that session
has at least 3 responses; smaller sessions add to response counts only. This
follows a review that recovered a lone respondent's rating and confidence shift
from the space/quarter/total means minus the other session's mean.
"""

import json
import re
from datetime import timedelta
from statistics import mean

import pytest
from django.utils import timezone

from learning_spaces.insights import SessionTotals, overall, quarter_label, summarise
from learning_spaces.models import LearningSession, Space, Theme

from .conftest import make_response, make_session

# (rating, confidence before, confidence now)
BIG = [(3, 2, 3), (4, 2, 3)] * 5  # ten answers: mean 3.5, shift 1.0, 100% more
LONE = (1, 5, 2)  # one answer: rating 1, confidence fell by 3


def _totals(session_id, answers, *, day, attendance=None):
    return SessionTotals(
        session_id=session_id,
        space_id=1,
        space_name="Reflective practice",
        day=day,
        attendance=attendance,
        responses=len(answers),
        rating_sum=sum(a[0] for a in answers),
        shift_sum=sum(a[2] - a[1] for a in answers),
        more_confident=sum(a[2] > a[1] for a in answers),
    )


def test_sessions_under_the_threshold_count_only_as_responses():
    day = timezone.localdate().replace(day=1)
    rows = [
        _totals(1, BIG, day=day, attendance=20),
        _totals(2, [LONE], day=day, attendance=4),
    ]
    by_session = summarise(rows, lambda r: r.session_id, str, min_group=3)
    parents = [
        overall(rows, min_group=3),
        *summarise(rows, lambda r: r.space_id, lambda r: r.space_name, min_group=3),
        *summarise(
            rows,
            lambda r: quarter_label(r.day),
            lambda r: quarter_label(r.day),
            min_group=3,
        ),
    ]
    assert len(parents) == 3
    for parent in parents:
        # Every response is counted, and the response rate uses them all ...
        assert parent.responses == 11
        assert parent.response_rate == round(100 * 11 / 24, 1)
        # ... but the figures are exactly those of the big session, so taking
        # it away leaves nothing to learn about the lone respondent.
        assert parent.reported_responses == 10
        assert parent.small_sessions == 1
        assert parent.mean_rating == by_session[0].mean_rating == 3.5
        assert parent.mean_shift == by_session[0].mean_shift == 1.0
        assert parent.pct_more_confident == by_session[0].pct_more_confident == 100
    lone = by_session[1]
    assert lone.responses == 1 and lone.response_rate == 25.0
    assert (lone.mean_rating, lone.mean_shift, lone.pct_more_confident) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize("size", [2, 3])
def test_threshold_is_per_session_not_per_group(size):
    """Two sessions of two make four responses, but neither is shown."""
    day = timezone.localdate()
    answers = [(5, 1, 2), (1, 4, 4), (4, 2, 2)][:size]
    rows = [_totals(1, answers, day=day), _totals(2, answers, day=day)]
    total = overall(rows, min_group=3)
    assert total.responses == 2 * size
    if size < 3:
        assert total.suppressed and total.mean_rating is None
        assert total.small_sessions == 2
    else:
        assert total.mean_rating == round(mean(a[0] for a in answers), 2)
        assert total.small_sessions == 0


def _held(space, days_ago):
    return make_session(
        space, starts_in=-timedelta(days=days_ago), status=LearningSession.Status.HELD
    )


@pytest.fixture
def lone_respondent(db, themes):
    """The reviewer's case: one space, 10 answers to one session, 1 to another."""
    space = Space.objects.create(name="Reflective practice", audience="leaders")
    big, small = _held(space, 40), _held(space, 5)
    for rating, before, now in BIG:
        r = make_response(
            big, rating=rating, confidence_before=before, confidence_now=now
        )
        r.themes.set([themes["White privilege"]])
    rating, before, now = LONE
    r = make_response(
        small,
        rating=rating,
        confidence_before=before,
        confidence_now=now,
        submitted_on=timezone.localdate(),
    )
    only_theirs = Theme.objects.create(name="Something only one person said")
    r.themes.set([only_theirs, themes["White privilege"]])
    return {"space": space, "big": big, "small": small, "theme": only_theirs}


def _text(page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


@pytest.mark.parametrize("role", ["Board", "Steering group"])
def test_lone_respondent_cannot_be_worked_out_from_the_page(
    client_for, lone_respondent, role
):
    page = client_for(role).get("/learning-spaces/insights/")
    assert page.status_code == 200
    ctx = page.context
    big = 3.5, 1.0, 100.0  # the ten answers to the big session, by hand

    (space,) = ctx["spaces"]
    (quarter,) = [q for q in ctx["quarters"] if q.responses]
    sessions = {s.extra["session_id"]: s for s in ctx["sessions"]}
    for summary in (ctx["total"], space, quarter):
        assert summary.responses == 11
        figures = summary.mean_rating, summary.mean_shift, summary.pct_more_confident
        assert figures == big
        # The reviewer's sum: 11 × mean − 35 gave back the lone rating of 1.
        assert summary.mean_rating * 11 - 35 != LONE[0]
    assert sessions[lone_respondent["big"].pk].mean_rating == 3.5
    small = sessions[lone_respondent["small"].pk]
    assert small.responses == 1 and small.mean_rating is None

    # Theme counts leave out the small session too.
    assert dict(ctx["theme_counts"]) == {"White privilege": 10}

    # The rendered page, its chart data and "at a glance" agree.
    html = page.content.decode()
    for name, shown in (
        ("mean-rating", "3.5"),
        ("mean-shift", "1.0"),
        ("more-confident", "100.0%"),
    ):
        assert re.search(rf'data-figure="{name}">\s*{re.escape(shown)}\s*<', html)
    text = _text(page)
    charts = json.dumps(
        [ctx["chart_over_time"], ctx["chart_by_space"], ctx["chart_themes"]]
    )
    for leaked in ("3.27", "0.64", "90.9"):  # the reviewer's figures
        assert leaked not in text and leaked not in charts
    assert "Something only one person said" not in charts
    assert (
        "leave out sessions with fewer than 3 responses, everywhere on this page"
        in text
    )
    assert "1 session with fewer than 3 responses is left out" in text


def test_a_date_window_around_the_small_session_shows_no_figures(
    client_for, lone_respondent
):
    since = (timezone.localdate() - timedelta(days=6)).isoformat()
    page = client_for("Board").get("/learning-spaces/insights/", {"date_from": since})
    total = page.context["total"]
    assert total.responses == 1
    assert (total.mean_rating, total.mean_shift, total.pct_more_confident) == (
        None,
        None,
        None,
    )
    assert all(s.mean_rating is None for s in page.context["spaces"])
    assert page.context["theme_counts"] == []
    assert "Theme counts are hidden" in _text(page)


def test_date_filters_take_whole_sessions(client_for, lone_respondent):
    """Answers sent on different days stay with their session's date."""
    big = lone_respondent["big"]
    day = timezone.localdate(big.starts_at)
    late = make_response(big, rating=1, confidence_before=3, confidence_now=3)
    late.submitted_on = day + timedelta(days=10)
    late.save()
    client = client_for("Board")
    page = client.get("/learning-spaces/insights/", {"date_from": day, "date_to": day})
    total = page.context["total"]
    assert total.responses == 11
    assert total.mean_rating == round((35 + 1) / 11, 2)
    page = client.get(
        "/learning-spaces/insights/",
        {"date_from": day + timedelta(days=1), "date_to": day + timedelta(days=20)},
    )
    assert page.context["total"].responses == 0
