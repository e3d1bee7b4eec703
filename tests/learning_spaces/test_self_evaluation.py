"""Leaders' self-evaluation: privacy, rounds, aggregates and thresholds, the
aspiration 2 feed, reminders, export."""

import csv
import io
from datetime import date

import pytest
from django.contrib import admin
from django.core import mail

from arp import roles
from learning_spaces.self_evaluation import selectors, services, summary
from learning_spaces.self_evaluation.models import SelfEvaluation, SelfEvaluationAnswer
from learning_spaces.self_evaluation.questions import QUESTIONS, RATED_CODES
from learning_spaces.self_evaluation.rounds import Round, round_for
from programme.models import IndicatorReading
from tests.conftest import ALL_ROLES, make_user

SECRET = "I still avoid naming racism in supervision"
H1_2026, H2_2026 = Round(date(2026, 1, 1)), Round(date(2026, 7, 1))


def answers(rating=3, reflection="Reflecting."):
    return {
        q.code: services.Answer(rating if q.rated else None, reflection)
        for q in QUESTIONS
    }


def post_data(rating=4, reflection="Thinking about it"):
    data = {}
    for q in QUESTIONS:
        if q.rated:
            data[f"{q.code}_rating"] = str(rating)
        data[f"{q.code}_reflection"] = reflection
    return data


def leaders(django_user_model, n, group=roles.STEERING_GROUP, prefix="leader"):
    return [make_user(django_user_model, f"{prefix}{i}", group) for i in range(n)]


# --- rounds -------------------------------------------------------------------


def test_rounds_are_half_years():
    assert round_for(date(2026, 6, 30)) == H1_2026
    assert round_for(date(2026, 7, 1)) == H2_2026
    assert H2_2026.ends_on == date(2026, 12, 31)
    assert H2_2026.next() == Round(date(2027, 1, 1))
    assert H1_2026.previous() == Round(date(2025, 7, 1))
    assert H1_2026.label == "January to June 2026"


# --- privacy ------------------------------------------------------------------


@pytest.fixture
def secret_answer(db, steering_member):
    services.self_evaluation_save(
        leader=steering_member, answers=answers(reflection=SECRET)
    )
    return steering_member


URLS = [
    "/learning-spaces/self-evaluation/",
    "/learning-spaces/self-evaluation/new/",
    "/learning-spaces/self-evaluation/export.csv",
    "/learning-spaces/self-evaluation/summary/",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != roles.STEERING_GROUP])
def test_no_other_role_reaches_a_leaders_answers(client_for, secret_answer, url, role):
    response = client_for(role).get(url)
    assert SECRET not in response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("url", URLS)
def test_not_even_a_superuser_or_another_steering_member(
    client, django_user_model, secret_answer, other_steering_member, url
):
    superuser = make_user(django_user_model, "root", is_superuser=True, is_staff=True)
    for user in (superuser, other_steering_member):
        client.force_login(user)
        assert SECRET not in client.get(url).content.decode("utf-8", "replace")


@pytest.mark.django_db
def test_the_leader_reads_their_own(client, secret_answer):
    client.force_login(secret_answer)
    assert SECRET in client.get(URLS[0]).content.decode()
    assert SECRET in client.get(URLS[1]).content.decode()  # the form, prefilled
    assert SECRET in client.get(URLS[2]).content.decode("utf-8-sig")


def test_self_evaluations_are_not_in_the_django_admin():
    registered = {m._meta.model_name for m in admin.site._registry}
    assert not registered & {"selfevaluation", "selfevaluationanswer"}


@pytest.mark.django_db
def test_practitioners_cannot_self_evaluate(client, practitioner):
    client.force_login(practitioner)
    response = client.post("/learning-spaces/self-evaluation/new/", post_data())
    assert response.status_code == 403
    assert not SelfEvaluation.objects.exists()


# --- answering ----------------------------------------------------------------


@pytest.mark.django_db
def test_answer_and_change_within_the_round(client, board_member):
    client.force_login(board_member)
    response = client.post("/learning-spaces/self-evaluation/new/", post_data(4))
    assert response.status_code == 302
    client.post("/learning-spaces/self-evaluation/new/", post_data(2, "Second go"))
    evaluation = SelfEvaluation.objects.get()
    assert evaluation.leader == board_member
    ratings = {a.question: a.rating for a in evaluation.answers.all()}
    assert ratings["care"] == 2 and ratings["described_by_staff"] is None
    assert set(evaluation.answers.values_list("reflection", flat=True)) == {"Second go"}


@pytest.mark.django_db
def test_missing_rating_or_reflection_saves_nothing(client, support_lead):
    client.force_login(support_lead)
    data = post_data()
    del data["care_rating"]
    data["described_by_staff_reflection"] = ""
    response = client.post("/learning-spaces/self-evaluation/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a rating from 1 to 5." in page
    assert "this question has no rating" in page
    assert not SelfEvaluation.objects.exists()


@pytest.mark.django_db
def test_history_side_by_side_and_export(client, steering_member):
    services.self_evaluation_save(
        leader=steering_member, answers=answers(2, "Before"), today=date(2025, 9, 1)
    )
    services.self_evaluation_save(
        leader=steering_member, answers=answers(4, "After"), today=date(2026, 3, 1)
    )
    client.force_login(steering_member)
    page = client.get("/learning-spaces/self-evaluation/").content.decode()
    assert page.index("July to December 2025") < page.index("January to June 2026")
    assert "2/5" in page and '4/5</span> <span class="small text-muted">(+2)' in page
    export = client.get("/learning-spaces/self-evaluation/export.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["Round", "Question", "Rating (1–5)", "Reflection", "Last saved"]
    assert len(rows) == 1 + 2 * len(QUESTIONS)
    assert {r[3] for r in rows[1:]} == {"Before", "After"}


# --- aggregates ---------------------------------------------------------------


def test_round_figures_against_a_worked_example():
    before = {1: dict.fromkeys(RATED_CODES, 2), 2: dict.fromkeys(RATED_CODES, 3)}
    after = {
        1: dict.fromkeys(RATED_CODES, 4),  # +2
        2: dict.fromkeys(RATED_CODES, 3),  # 0
        3: dict.fromkeys(RATED_CODES, 5),  # new: not paired
    }
    figures = summary.round_figures(
        H1_2026, after, before, min_respondents=2, today=date(2026, 7, 1)
    )
    assert figures.shown and figures.paired == 2
    assert figures.mean_change == 1.0
    care = next(q for q in figures.questions if q.code == "care")
    assert care.distribution == (0, 0, 1, 1, 1)
    assert care.mean == 4.0 and care.change == 1.0


def test_round_figures_hidden_below_threshold_and_while_open():
    ratings = {i: dict.fromkeys(RATED_CODES, 3) for i in range(4)}
    closed = summary.round_figures(
        H1_2026, ratings, {}, min_respondents=5, today=date(2026, 7, 1)
    )
    assert not closed.shown and closed.questions == () and closed.respondents == 4
    ratings[4] = dict.fromkeys(RATED_CODES, 3)
    still_open = summary.round_figures(
        H1_2026, ratings, {}, min_respondents=5, today=date(2026, 6, 30)
    )
    assert not still_open.shown
    shown = summary.round_figures(
        H1_2026, ratings, {}, min_respondents=5, today=date(2026, 7, 1)
    )
    assert shown.shown and shown.mean_change is None  # no one paired


@pytest.mark.django_db
def test_summary_page_shows_a_closed_round_with_enough_leaders(
    client, django_user_model, board_member, settings
):
    team = leaders(django_user_model, 5)
    for i, leader in enumerate(team):
        services.self_evaluation_save(
            leader=leader, answers=answers(1 + i), today=date(2025, 8, 1)
        )
    client.force_login(board_member)
    page = client.get("/learning-spaces/self-evaluation/summary/").content.decode()
    assert "5 leaders answered." in page
    assert "<td>3.00</td>" in page  # mean of 1..5
    settings.SELF_EVALUATION_MIN_RESPONDENTS = 6
    page = client.get("/learning-spaces/self-evaluation/summary/").content.decode()
    assert "Fewer than 6 leaders answered" in page
    assert "<td>3.00</td>" not in page


# --- feeding aspiration 2 -----------------------------------------------------


@pytest.mark.django_db
def test_indicators_for_aspiration_2(django_user_model, settings):
    settings.SELF_EVALUATION_MIN_RESPONDENTS = 3
    team = leaders(django_user_model, 4)  # 4 eligible leaders
    leaders(django_user_model, 2, group=roles.PRACTITIONERS, prefix="prac")
    for leader in team[:3]:
        services.self_evaluation_save(
            leader=leader, answers=answers(2), today=date(2026, 2, 1)
        )
        services.self_evaluation_save(
            leader=leader, answers=answers(3), today=date(2026, 8, 1)
        )
    mid = services.self_evaluation_indicators_record(quarter_end=date(2026, 9, 30))
    assert str(mid["completion"].value) == "75.0"  # 3 of 4
    assert mid["change"] is None  # the round has not ended
    end = services.self_evaluation_indicators_record(quarter_end=date(2026, 12, 31))
    assert end["completion"].indicator.aspiration.number == 2
    assert end["change"].value == 1  # everyone went from 2 to 3
    assert IndicatorReading.objects.filter(taken_on=date(2026, 12, 31)).count() == 2


@pytest.mark.django_db
def test_change_not_recorded_below_threshold(django_user_model):
    team = leaders(django_user_model, 4)  # default threshold 5
    for leader in team:
        services.self_evaluation_save(
            leader=leader, answers=answers(2), today=date(2026, 2, 1)
        )
        services.self_evaluation_save(
            leader=leader, answers=answers(4), today=date(2026, 8, 1)
        )
    result = services.self_evaluation_indicators_record(quarter_end=date(2026, 12, 31))
    assert result["change"] is None
    assert str(result["completion"].value) == "100.0"


# --- reminders ----------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_go_once_to_those_who_have_not_answered(
    django_user_model, practitioner
):
    done, waiting = leaders(django_user_model, 2)
    services.self_evaluation_save(
        leader=done, answers=answers(), today=date(2026, 7, 3)
    )
    assert services.self_evaluation_reminders_send(today=date(2026, 7, 1)) == 1
    assert services.self_evaluation_reminders_send(today=date(2026, 7, 2)) == 0
    assert mail.outbox[0].to == [waiting.email]
    assert "/learning-spaces/self-evaluation/new/" in mail.outbox[0].body
    assert services.self_evaluation_reminders_send(today=date(2026, 9, 1)) == 0
    assert services.self_evaluation_reminders_send(today=date(2026, 12, 1)) == 1
    assert "closes on 31 December" in mail.outbox[1].subject


@pytest.mark.django_db
def test_round_ratings_feed_only_aggregates(steering_member):
    services.self_evaluation_save(leader=steering_member, answers=answers(5))
    ratings = selectors.round_ratings(round_for(date.today()))
    assert list(ratings) == [steering_member.pk]
    assert SelfEvaluationAnswer.objects.count() == len(QUESTIONS)


@pytest.mark.django_db
def test_summary_page_query_count(
    client, board_member, django_user_model, django_assert_max_num_queries
):
    for i, leader in enumerate(leaders(django_user_model, 6)):
        services.self_evaluation_save(
            leader=leader, answers=answers(1 + i % 5), today=date(2025, 8, 1)
        )
    client.force_login(board_member)
    with django_assert_max_num_queries(14):
        assert client.get(URLS[3]).status_code == 200


@pytest.mark.django_db
def test_management_commands(django_user_model):
    from django.core.management import CommandError, call_command

    team = leaders(django_user_model, 2)
    services.self_evaluation_save(
        leader=team[0], answers=answers(), today=date(2026, 8, 1)
    )
    out = io.StringIO()
    call_command(
        "record_self_evaluation_indicators", "--quarter-end", "2026-09-30", stdout=out
    )
    assert "Recorded 50.0% completed on 2026-09-30." in out.getvalue()
    with pytest.raises(CommandError, match="31 Mar"):
        call_command("record_self_evaluation_indicators", "--quarter-end", "2026-09-29")
    out = io.StringIO()
    call_command("send_self_evaluation_reminders", stdout=out)
    assert "reminder(s)" in out.getvalue()


@pytest.mark.django_db
def test_export_escapes_formulas(client, steering_member):
    services.self_evaluation_save(
        leader=steering_member, answers=answers(reflection='=HYPERLINK("x")')
    )
    client.force_login(steering_member)
    export = client.get("/learning-spaces/self-evaluation/export.csv")
    assert "no-store" in export["Cache-Control"]
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert {r[3] for r in rows[1:]} == {'\'=HYPERLINK("x")'}
