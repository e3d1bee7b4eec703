"""Insights: figures checked by hand, disclosure control, who sees what."""

from datetime import timedelta
from statistics import mean

import pytest
from django.utils import timezone

from learning_spaces.insights import SessionTotals, overall, summarise
from learning_spaces.models import LearningSession, Space

from .conftest import make_response, make_session

pytestmark = pytest.mark.django_db

# (rating, confidence before, confidence now) per session
SPACE_A_S1 = [(5, 2, 4), (4, 3, 3), (3, 1, 2), (2, 4, 3)]
SPACE_A_S2 = [(4, 2, 5), (5, 3, 4), (4, 2, 2)]
SPACE_B_S3 = [(1, 3, 3), (5, 1, 5)]  # only two: left out of every mean


def _held(space, days_ago, attendance):
    return make_session(
        space,
        starts_in=-timedelta(days=days_ago),
        status=LearningSession.Status.HELD,
        attendance=attendance,
    )


@pytest.fixture
def figures(space, themes):
    other = Space.objects.create(name="Proud to be Me", audience="proud_to_be_me")
    s1 = _held(space, 100, 10)
    s2 = _held(space, 50, 5)
    s3 = _held(other, 40, 8)
    for session, answers in ((s1, SPACE_A_S1), (s2, SPACE_A_S2), (s3, SPACE_B_S3)):
        for i, (rating, before, now) in enumerate(answers):
            r = make_response(
                session,
                rating=rating,
                confidence_before=before,
                confidence_now=now,
                consent_to_quote=i == 0,
                gained_most=f"Answer {session.pk}-{i} about white privilege"
                if i == 0
                else f"Private answer {session.pk}-{i} about risk",
            )
            r.themes.set(
                [
                    themes[
                        "White privilege" if i == 0 else "Assessments and risk analysis"
                    ]
                ]
            )
    return {"space_a": space, "space_b": other, "s1": s1, "s2": s2, "s3": s3}


def _expected(answers):
    return {
        "n": len(answers),
        "mean_rating": round(mean(a[0] for a in answers), 2),
        "mean_shift": round(mean(a[2] - a[1] for a in answers), 2),
        "pct_more": round(100 * sum(a[2] > a[1] for a in answers) / len(answers), 1),
    }


def _check(summary, answers, *, responses=None):
    """``answers`` are those in the means; ``responses`` counts every one."""
    expected = _expected(answers)
    assert summary.responses == (expected["n"] if responses is None else responses)
    assert summary.mean_rating == expected["mean_rating"]
    assert summary.mean_shift == expected["mean_shift"]
    assert summary.pct_more_confident == expected["pct_more"]


def test_insights_figures_match_a_hand_computation(client_for, figures):
    page = client_for("Steering group").get("/learning-spaces/insights/")
    assert page.status_code == 200
    ctx = page.context

    # S3 has two responses: counted, but never in a mean or percentage.
    reported = SPACE_A_S1 + SPACE_A_S2
    _check(ctx["total"], reported, responses=9)
    # 9 responses from 10 + 5 + 8 = 23 attendees
    assert ctx["total"].response_rate == round(100 * 9 / 23, 1)

    by_space = {s.label: s for s in ctx["spaces"]}
    _check(by_space["Anti-racist practice: practitioners"], SPACE_A_S1 + SPACE_A_S2)
    assert by_space["Anti-racist practice: practitioners"].response_rate == round(
        100 * 7 / 15, 1
    )
    proud = by_space["Proud to be Me"]
    assert proud.responses == 2
    assert proud.mean_rating is None and proud.mean_shift is None
    assert proud.pct_more_confident is None
    assert proud.response_rate == 25.0  # counts and rates are not identifying

    sessions = {s.extra["session_id"]: s for s in ctx["sessions"]}
    _check(sessions[figures["s1"].pk], SPACE_A_S1)
    _check(sessions[figures["s2"].pk], SPACE_A_S2)
    assert sessions[figures["s3"].pk].mean_rating is None

    assert dict(ctx["theme_counts"]) == {
        "White privilege": 2,
        "Assessments and risk analysis": 5,
    }
    html = page.content.decode()
    assert f'data-figure="mean-rating">{round(mean(a[0] for a in reported), 2)}' in html
    assert "chart-over-time" in html and "chart-by-space" in html
    assert "vendor/plotly/plotly.min.js" in html
    assert "cdn.plot.ly" not in html


def test_filter_by_space_and_dates(client_for, figures):
    client = client_for("Programme admins")
    page = client.get("/learning-spaces/insights/", {"space": figures["space_a"].pk})
    _check(page.context["total"], SPACE_A_S1 + SPACE_A_S2)
    since = (timezone.localdate() - timedelta(days=60)).isoformat()
    page = client.get("/learning-spaces/insights/", {"date_from": since})
    _check(page.context["total"], SPACE_A_S2, responses=5)


def test_filter_answers_by_theme(client_for, figures, themes):
    page = client_for("Steering group").get(
        "/learning-spaces/insights/", {"theme": themes["White privilege"].pk}
    )
    answers = list(page.context["page"])
    # three carry the theme; the one from the two-response session is not listed
    assert len(answers) == 2
    assert all("white privilege" in a.gained_most for a in answers)


def test_bad_filter_shows_message_not_500(client_for, figures):
    page = client_for("Steering group").get(
        "/learning-spaces/insights/",
        {"date_from": "2026-05-01", "date_to": "2026-01-01", "space": "abc"},
    )
    assert page.status_code == 200
    assert b"The end date must be on or after the start" in page.content


def test_small_selection_hides_averages_and_themes(client_for, figures):
    page = client_for("Board").get(
        "/learning-spaces/insights/", {"space": figures["space_b"].pk}
    )
    ctx = page.context
    assert ctx["total"].responses == 2
    assert ctx["total"].mean_rating is None
    assert ctx["theme_counts"] == []
    assert b"Theme counts are hidden" in page.content


def test_board_sees_only_reviewed_redacted_quotes(client_for, figures):
    from learning_spaces.models import FeedbackResponse

    before = client_for("Board").get("/learning-spaces/insights/")
    assert before.context["page"].paginator.count == 0
    assert "about white privilege" not in before.content.decode()

    consented = FeedbackResponse.objects.filter(consent_to_quote=True)
    consented.update(
        quote_status=FeedbackResponse.QuoteStatus.APPROVED,
        quote_text="Redacted: it changed how I see [name].",
    )
    page = client_for("Board").get("/learning-spaces/insights/")
    html = page.content.decode()
    # s1 and s2; s3 has two responses, too few to list anyone's words
    assert page.context["page"].paginator.count == 2
    assert html.count("Redacted: it changed how I see [name].") == 2
    assert "about white privilege" not in html  # never the original
    assert "Private answer" not in html
    assert "/learning-spaces/responses/" not in html
    assert "Export responses" not in html


def test_staff_see_all_free_text(client_for, figures):
    page = client_for("Steering group").get("/learning-spaces/insights/")
    # nine answers, less the two of the session with only two responses
    assert page.context["page"].paginator.count == 7
    assert b"Private answer" in page.content


def _grow(space, sessions, per_session):
    for d in range(sessions):
        session = _held(space, 10 + d * 42, 20)
        for _ in range(per_session):
            r = make_response(
                session,
                consent_to_quote=True,
                quote_status="approved",
                quote_text="An approved quote.",
            )
            r.themes.set(r.session.space.pk and [])


@pytest.mark.parametrize("role", ["Steering group", "Board"])
def test_insights_query_count_is_fixed(
    client_for, space, themes, role, django_assert_num_queries
):
    client = client_for(role)
    _grow(space, 1, 3)
    client.get("/learning-spaces/insights/")  # warm the session/user caches
    with django_assert_num_queries(9):
        client.get("/learning-spaces/insights/")
    other = Space.objects.create(
        name="Global Majority Network", audience="global_majority"
    )
    _grow(space, 8, 6)
    _grow(other, 5, 4)
    with django_assert_num_queries(9):
        page = client.get("/learning-spaces/insights/")
    assert page.context["total"].responses == 3 + 48 + 20


def test_index_query_count_is_fixed(client_for, space, django_assert_num_queries):
    client = client_for("Programme admins")
    make_session(space, starts_in=timedelta(days=3))
    _grow(space, 1, 2)
    client.get("/learning-spaces/")
    with django_assert_num_queries(5):
        client.get("/learning-spaces/")
    for d in range(5):
        make_session(space, starts_in=timedelta(days=20 + d))
    _grow(space, 6, 3)
    with django_assert_num_queries(5):
        client.get("/learning-spaces/")


def test_summarise_is_pure_and_adds_sums_not_means():
    rows = [
        SessionTotals(1, 1, "A", timezone.localdate(), 10, 4, 10, 2, 1),
        SessionTotals(2, 1, "A", timezone.localdate(), None, 3, 6, 0, 0),
    ]
    (group,) = summarise(
        rows, lambda r: r.space_id, lambda r: r.space_name, min_group=3
    )
    assert group.mean_rating == round(16 / 7, 2)  # not mean(2.5, 2) = 2.25
    assert group.response_rate == 40.0  # only the session with attendance
    assert overall(rows[1:], min_group=3).mean_rating == 2.0
