"""Practice audits: the keyed reference, recording, results and disclosure
control, the aspiration 6 feed, learning into the programme, import."""

import csv
import io
from datetime import date, timedelta

import pandas as pd
import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from programme.audits import results
from programme.audits import services as audit_services
from programme.audits.models import Audit, AuditAnswer, AuditQuestionSet
from programme.audits.reference import audit_reference
from programme.models import Action, IndicatorReading, LessonLearnt

from .conftest import make_audit

CODES = [
    "ethnicity_recorded", "identity_explored", "child_voice_identity",
    "cultural_needs_in_plan", "racism_in_risk_analysis", "interpreter_used",
    "overall",
]  # fmt: skip


def _post_data(case="AB 12345", **overrides):
    data = {
        "case_reference": case,
        "team": "North",
        "month": "2026-08",
        "ethnicity": "BCRB",
        "stage": "CP",
        "learning": "Plan did not cover hair care.",
        **{f"q_{c}": "yes" for c in CODES},
    }
    data.update(overrides)
    return data


# --- the reference --------------------------------------------------------------


def test_reference_links_the_same_case_however_typed(settings):
    assert audit_reference("ab 12345") == audit_reference(" AB12345 ")
    assert audit_reference("AB12345") != audit_reference("AB12346")
    first = audit_reference("AB12345")
    settings.AUDIT_REFERENCE_KEY = "another key"
    assert audit_reference("AB12345") != first  # keyed: no key, no guessing


def test_bad_case_reference_is_refused():
    with pytest.raises(ValueError, match="letters, digits"):
        audit_reference("12;DROP")


@pytest.mark.django_db
def test_clear_case_id_is_stored_nowhere(client, steering_member):
    client.force_login(steering_member)
    case_id = "ZQ98765X"
    response = client.post("/programme/audits/new/", _post_data(case=case_id))
    assert response.status_code == 302
    audit = Audit.objects.get()
    assert audit.reference == audit_reference(case_id)
    client.get(response["Location"])  # the message is rendered and consumed
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" t WHERE upper(t::text) LIKE %s',  # noqa: S608
                [f"%{case_id}%"],
            )
            if cursor.fetchone()[0]:
                found.append(table)
    assert found == []


# --- recording -------------------------------------------------------------------


@pytest.mark.django_db
def test_steering_member_records_an_audit_and_a_reaudit_links(
    client, aspirations, steering_member
):
    client.force_login(steering_member)
    assert client.post("/programme/audits/new/", _post_data()).status_code == 302
    response = client.post(
        "/programme/audits/new/",
        _post_data(case="ab12345", month="2026-09", **{"q_overall": "no"}),
        follow=True,
    )
    assert "links to 1 earlier audit" in response.content.decode()
    first, second = Audit.objects.order_by("pk")
    assert first.reference == second.reference
    assert AuditAnswer.objects.filter(audit=second, question__code="overall").get(
    ).answer == "no"  # fmt: skip
    assert second.month == date(2026, 9, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"q_overall": ""}, "Answer Yes, Partly, No or Not applicable."),
        ({"ethnicity": "XXXX"}, "Select a valid choice"),
        ({"month": "2999-01"}, "cannot be in the future"),
        ({"case_reference": "a;b"}, "letters, digits"),
    ],
)
def test_bad_audit_saves_nothing(client, steering_member, overrides, message):
    client.force_login(steering_member)
    response = client.post("/programme/audits/new/", _post_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Audit.objects.exists()


@pytest.mark.django_db
def test_board_cannot_record_an_audit(client, board_member):
    client.force_login(board_member)
    assert client.post("/programme/audits/new/", _post_data()).status_code == 403
    assert not Audit.objects.exists()


# --- results: pure arithmetic and disclosure control -----------------------------


def _facts(spec):
    """spec: (team, group, month, overall answer, identity answer) per audit."""
    return [
        results.AuditFact(
            audit_id=i,
            team=team,
            group=group,
            month=month,
            answers={"overall": o, "identity": ident},
        )  # fmt: skip
        for i, (team, group, month, o, ident) in enumerate(spec)
    ]


QUESTIONS = [results.Question("overall", "Overall"), results.Question("identity", "I")]


def _by_group(facts, min_count=6):
    return results.breakdown(
        results.tally(facts), QUESTIONS, dimension="group", title="t",
        key=lambda f: f.group, labels={}, min_count=min_count,
    )  # fmt: skip


def test_percentages_match_pandas():
    spec = (
        [("N", "WHITE", date(2026, 1, 1), "yes", "no")] * 5
        + [("N", "WHITE", date(2026, 1, 1), "no", "na")] * 3
        + [("S", "BLACK", date(2026, 4, 1), "partly", "yes")] * 4
        + [("S", "BLACK", date(2026, 4, 1), "yes", "yes")] * 3
        + [("S", "ASIAN", date(2026, 4, 1), "na", "yes")] * 6
        + [("S", "ASIAN", date(2026, 4, 1), "yes", "no")] * 3
    )
    facts = _facts(spec)
    b = _by_group(facts, min_count=3)
    frame = pd.DataFrame(spec, columns=["team", "group", "month", "overall", "id"])
    judged = frame[frame.overall != "na"]
    expected = (judged.overall == "yes").groupby(judged.group).mean() * 100
    row = b.row("overall")
    for group, cell in zip(b.groups, row.cells, strict=True):
        assert cell.percent == round(expected[group.key], 1)
    assert row.total.percent == round((judged.overall == "yes").mean() * 100, 1)
    assert row.total.applicable == len(judged)


def test_small_group_and_one_more_are_suppressed():
    spec = (
        [("N", "WHITE", date(2026, 1, 1), "yes", "yes")] * 10
        + [("N", "BLACK", date(2026, 1, 1), "no", "yes")] * 7
        + [("N", "MIXED", date(2026, 1, 1), "no", "yes")] * 2
    )
    b = _by_group(_facts(spec))
    hidden = {g.key for g in b.groups if g.suppressed}
    # MIXED (2) is under 6; BLACK, the next smallest, goes too, or 19 − 10 = 9
    # audits would give MIXED's figures away.
    assert hidden == {"MIXED", "BLACK"}
    row = b.row("overall")
    assert [c.suppressed for c in row.cells] == [True, True, False][: len(row.cells)]
    assert row.total.percent == round(100 * 10 / 19, 1)


def test_standard_with_few_applicable_is_suppressed_with_a_partner():
    spec = (
        [("N", "WHITE", date(2026, 1, 1), "yes", "na")] * 4
        + [("N", "WHITE", date(2026, 1, 1), "yes", "yes")] * 3  # 3 applicable
        + [("N", "BLACK", date(2026, 1, 1), "no", "yes")] * 8
        + [("N", "ASIAN", date(2026, 1, 1), "no", "yes")] * 9
    )
    b = _by_group(_facts(spec))
    assert not any(g.suppressed for g in b.groups)
    identity = dict(zip([g.key for g in b.groups], b.row("identity").cells,
                        strict=True))  # fmt: skip
    assert identity["WHITE"].suppressed and identity["BLACK"].suppressed
    assert not identity["ASIAN"].suppressed
    assert not any(c.suppressed for c in b.row("overall").cells)


def test_under_the_minimum_overall_nothing_is_shown():
    b = _by_group(_facts([("N", "WHITE", date(2026, 1, 1), "yes", "yes")] * 5))
    assert b.total_audits is None
    assert all(r.total.suppressed for r in b.rows)
    assert "Fewer than 6 audits" in results.overall_sentence(b, overall_code="overall")


def test_sentence_names_the_weakest_group():
    spec = (
        [("N", "WHITE", date(2026, 1, 1), "yes", "yes")] * 9
        + [("N", "WHITE", date(2026, 1, 1), "no", "yes")] * 1
        + [("N", "BLACK", date(2026, 1, 1), "yes", "yes")] * 3
        + [("N", "BLACK", date(2026, 1, 1), "no", "yes")] * 3
    )
    sentence = results.overall_sentence(_by_group(_facts(spec)), overall_code="overall")
    assert "Across 16 audits, 75% of assessments met the overall standard" in sentence
    assert "from 50% (BLACK) to 90% (WHITE)" in sentence
    assert "Practice looks weaker for children in “BLACK”" in sentence


def test_quarter_bounds():
    assert results.quarter_bounds("2026 Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert results.quarter_bounds("2026 Q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert audit_services.last_complete_quarter(date(2027, 1, 5)) == (
        date(2026, 10, 1), date(2026, 12, 31))  # fmt: skip


# --- results pages ---------------------------------------------------------------


@pytest.mark.django_db
def test_board_sees_suppressed_results_and_csv(client, board_member, steering_member):
    for i in range(7):
        make_audit(steering_member, case=f"W{i}", ethnicity="WBRI",
                   answers={"overall": "yes" if i < 5 else "no"})  # fmt: skip
    for i in range(2):
        make_audit(steering_member, case=f"B{i}", ethnicity="BAFR")
    client.force_login(board_member)
    page = client.get("/programme/audits/").content.decode()
    # 9 audits, 7 met; White (7) alone would give Black's 2 away, so both hidden
    assert "Across 9 audits, 77.8% of assessments met the overall standard" in page
    assert "fig-audit-group" not in page  # no group left to chart
    response = client.get("/programme/audits/results.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    group_rows = [r for r in rows if r[0] == "By the child's ethnic group"]
    by_label = {r[1]: r for r in group_rows if r[3].startswith("Overall")}
    assert by_label["Black, African, Caribbean or Black British"][2] == "suppressed"
    assert by_label["White"][4] == "suppressed"
    assert by_label["All audits"][4:7] == ["7", "9", "77.8"]


@pytest.mark.django_db
def test_results_page_query_count(
    client, board_member, steering_member, django_assert_max_num_queries
):
    for i in range(12):
        make_audit(steering_member, case=f"Q{i}")
    client.force_login(board_member)
    with django_assert_max_num_queries(10):
        assert client.get("/programme/audits/").status_code == 200


# --- the aspiration 6 feed -------------------------------------------------------


@pytest.mark.django_db
def test_quarterly_feed_writes_the_overall_share(aspirations, steering_member):
    answers = ["yes", "yes", "yes", "yes", "no", "partly", "na"]
    for i, overall in enumerate(answers):
        make_audit(steering_member, case=f"F{i}", month=date(2026, 7 + i % 3, 1),
                   answers={"overall": overall})  # fmt: skip
    make_audit(steering_member, case="OUT", month=date(2026, 10, 1))
    reading = audit_services.audit_indicator_record(today=date(2026, 10, 1))
    assert reading.taken_on == date(2026, 9, 30)
    assert str(reading.value) == "66.7"  # 4 of 6 judged; Not applicable left out
    assert reading.indicator.key == audit_services.AUDIT_INDICATOR_KEY
    assert reading.indicator.aspiration.number == 6


@pytest.mark.django_db
def test_feed_skips_a_quarter_under_the_minimum(aspirations, steering_member, settings):
    for i in range(5):
        make_audit(steering_member, case=f"S{i}", month=date(2026, 8, 1))
    assert audit_services.audit_indicator_record(quarter_end=date(2026, 9, 30)) is None
    assert not IndicatorReading.objects.exists()
    settings.DISCLOSURE_MIN_COUNT = 5
    assert audit_services.audit_indicator_record(quarter_end=date(2026, 9, 30))


@pytest.mark.django_db
def test_management_command(aspirations, steering_member):
    from django.core.management import call_command

    for i in range(6):
        make_audit(steering_member, case=f"M{i}", month=date(2026, 8, 1))
    out = io.StringIO()
    call_command("record_audit_indicator", "--quarter-end", "2026-09-30", stdout=out)
    assert "Recorded 100.0% on 2026-09-30" in out.getvalue()


# --- learning into the programme ----------------------------------------------------


@pytest.mark.django_db
def test_learning_becomes_a_lesson_in_one_step(client, aspirations, steering_member):
    audit = make_audit(steering_member, case="L1")
    client.force_login(steering_member)
    response = client.post(
        f"/programme/audits/{audit.pk}/lesson/",
        {"title": "Hair and skin care", "kind": "could_be_better", "theme": "policy"},
    )
    lesson = LessonLearnt.objects.get()
    assert response["Location"] == lesson.get_absolute_url()
    assert "hair and skin care" in lesson.description
    audit.refresh_from_db()
    assert audit.lesson == lesson
    again = client.post(
        f"/programme/audits/{audit.pk}/lesson/",
        {"title": "Again", "kind": "went_well", "theme": "policy"},
        follow=True,
    )
    assert "already a lesson learnt" in again.content.decode()
    assert LessonLearnt.objects.count() == 1


@pytest.mark.django_db
def test_learning_becomes_an_action(client, aspirations, steering_member):
    audit = make_audit(steering_member, case="L2")
    client.force_login(steering_member)
    due = date.today() + timedelta(days=30)
    client.post(
        f"/programme/audits/{audit.pk}/action/",
        {"title": "Add hair care to plans", "owner": steering_member.pk,
         "due_on": due.isoformat()},
    )  # fmt: skip
    action = Action.objects.get()
    assert action.aspiration.number == 6 and action.owner == steering_member
    audit.refresh_from_db()
    assert audit.action == action


@pytest.mark.django_db
def test_others_cannot_turn_my_learning_into_a_lesson(
    client, aspirations, steering_member, other_steering_member
):
    audit = make_audit(steering_member, case="L3")
    client.force_login(other_steering_member)
    response = client.post(
        f"/programme/audits/{audit.pk}/lesson/",
        {"title": "x", "kind": "went_well", "theme": "policy"},
    )
    assert response.status_code == 404
    assert not LessonLearnt.objects.exists()


# --- question sets ------------------------------------------------------------------


@pytest.mark.django_db
def test_revising_a_used_set_makes_a_new_version(programme_admin, steering_member):
    audit = make_audit(steering_member, case="V1")
    specs = [
        audit_services.QuestionSpec("overall", "Overall?", "", True),
        audit_services.QuestionSpec("faith", "Faith explored?"),
    ]
    revised = audit_services.audit_question_set_revise(
        user=programme_admin, questions=specs
    )
    assert revised.version == 2 and revised.is_current
    assert audit.question_set.version == 1
    assert audit.question_set.questions.count() == 7  # untouched
    with pytest.raises(audit_services.AuditError):
        audit_services.audit_question_set_revise(user=steering_member, questions=specs)
    with pytest.raises(audit_services.AuditError, match="exactly one"):
        audit_services.audit_question_set_revise(
            user=programme_admin, questions=specs[1:]
        )


@pytest.mark.django_db
def test_admin_edits_questions_through_the_page(client, programme_admin):
    audit_services.audit_question_set_ensure()
    client.force_login(programme_admin)
    page = client.get("/programme/audits/questions/")
    formset = page.context["formset"]
    data = {"q-TOTAL_FORMS": "8", "q-INITIAL_FORMS": "7", "q-MIN_NUM_FORMS": "0",
            "q-MAX_NUM_FORMS": "30"}  # fmt: skip
    for i, form in enumerate(formset.forms[:7]):
        for name, value in form.initial.items():
            if name == "is_overall":
                if value:
                    data[f"q-{i}-{name}"] = "on"
            else:
                data[f"q-{i}-{name}"] = value
    data["q-7-code"] = "faith_explored"
    data["q-7-text"] = "Is the family's faith explored?"
    response = client.post("/programme/audits/questions/", data)
    assert response.status_code == 302
    current = AuditQuestionSet.objects.get(is_current=True)
    assert current.version == 1  # unused, so edited in place
    assert current.questions.count() == 8


# --- import ------------------------------------------------------------------------


def _csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["case_reference", "team", "month", "ethnicity", "stage",
                     *CODES, "learning"])  # fmt: skip
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _row(case, **kw):
    answers = kw.pop("answers", ["Yes"] * 7)
    fixed = [kw.get("team", "South"), kw.get("month", "2026-05"),
             kw.get("ethnicity", "APKN"), kw.get("stage", "CIN")]  # fmt: skip
    return [case, *fixed, *answers, ""]


@pytest.mark.django_db
def test_import_all_good_rows(client, steering_member):
    client.force_login(steering_member)
    upload = io.BytesIO(_csv([_row("C1"), _row("C2", answers=["n/a"] * 6 + ["No"])]))
    upload.name = "audits.csv"
    response = client.post("/programme/audits/import/", {"file": upload})
    assert response.status_code == 302
    assert Audit.objects.count() == 2
    assert AuditAnswer.objects.filter(answer="na").count() == 6


@pytest.mark.django_db
def test_import_is_all_or_nothing_with_row_numbers(client, steering_member):
    client.force_login(steering_member)
    upload = io.BytesIO(_csv([
        _row("C1"), _row("C2", ethnicity="ZZZZ"), _row("C3", month="May 2026"),
        _row("C1"),
    ]))  # fmt: skip
    upload.name = "audits.csv"
    response = client.post("/programme/audits/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in page
    assert "Row 3: &#x27;ZZZZ&#x27; is not a DfE ethnicity code" in page
    assert "Row 4: month must look like 2026-03" in page
    assert "Row 5: the same case and month as row 2" in page
    assert not Audit.objects.exists()


@pytest.mark.django_db
def test_import_from_the_xlsx_template(client, steering_member):
    client.force_login(steering_member)
    template = client.get("/programme/audits/template.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(template.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["case_reference", "team", "month", "ethnicity", "stage"]
    book = Workbook()
    book.active.append(header)
    book.active.append(["X1", "East", date(2026, 3, 1), "MWBC", "CLA",
                        *["Partly"] * 7, "Learning"])  # fmt: skip
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "audits.xlsx"
    assert client.post("/programme/audits/import/", {"file": upload}).status_code == 302
    audit = Audit.objects.get()
    assert (audit.month, audit.stage, audit.ethnicity) == (date(2026, 3, 1), "CLA",
                                                           "MWBC")  # fmt: skip


@pytest.mark.django_db
def test_import_rejects_a_file_of_the_wrong_type(client, steering_member):
    client.force_login(steering_member)
    upload = io.BytesIO(b"%PDF-1.4")
    upload.name = "audits.pdf"
    response = client.post("/programme/audits/import/", {"file": upload})
    assert "Upload the template as a .csv or .xlsx file." in response.content.decode()
    assert not Audit.objects.exists()


@pytest.mark.django_db
def test_board_gets_fixed_views_so_filters_cannot_be_differenced(
    client, board_member, steering_member
):
    for i in range(6):
        make_audit(steering_member, case=f"CP{i}", stage="CP")
    for i in range(6):
        make_audit(steering_member, case=f"CIN{i}", stage="CIN",
                   answers={"overall": "no"})  # fmt: skip
    client.force_login(steering_member)
    filtered = client.get("/programme/audits/?stage=CP").content.decode()
    assert "Across 6 audits, 100% of assessments" in filtered
    client.force_login(board_member)
    page = client.get("/programme/audits/?stage=CP").content.decode()
    assert "Across 12 audits, 50% of assessments" in page
    assert 'name="stage"' not in page
    csv_text = client.get("/programme/audits/results.csv?stage=CP").content.decode()
    assert "All audits,12," in csv_text


@pytest.mark.django_db
@pytest.mark.parametrize("who,status,left", [("own", 302, 0), ("other", 404, 1)])
def test_auditor_deletes_an_audit_recorded_in_error(
    client, steering_member, other_steering_member, who, status, left
):
    audit = make_audit(steering_member, case="D1")
    client.force_login(steering_member if who == "own" else other_steering_member)
    assert client.post(f"/programme/audits/{audit.pk}/delete/").status_code == status
    assert Audit.objects.count() == left
    assert AuditAnswer.objects.count() == 7 * left


def test_beat_schedule_names_registered_tasks(settings):
    from arp.celery import app

    app.loader.import_default_modules()
    for key in (
        "programme-audit-indicator",
        "learning-spaces-self-evaluation-indicators",
        "learning-spaces-self-evaluation-reminders",
    ):
        assert settings.CELERY_BEAT_SCHEDULE[key]["task"] in app.tasks


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["date_from=garbage", "date_from=2026-05&date_to=2026-01", "stage=XX"]
)
def test_bad_filters_say_so_and_show_everything(client, steering_member, query):
    for i in range(6):
        make_audit(steering_member, case=f"BF{i}")
    client.force_login(steering_member)
    response = client.get(f"/programme/audits/?{query}")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Across 6 audits" in response.content.decode()


@pytest.mark.django_db
def test_results_csv_escapes_a_team_named_like_a_formula(
    client, steering_member, board_member
):
    for i in range(6):
        make_audit(steering_member, case=f"T{i}", team="=cmd|'/c calc'!A0")
    client.force_login(board_member)
    text = client.get("/programme/audits/results.csv").content.decode("utf-8-sig")
    assert "By team or quadrant,'=cmd" in text
    assert "\n=cmd" not in text and ",=cmd" not in text


@pytest.mark.django_db
def test_question_page_refuses_two_overall_judgements(client, programme_admin):
    audit_services.audit_question_set_ensure()
    client.force_login(programme_admin)
    data = {"q-TOTAL_FORMS": "2", "q-INITIAL_FORMS": "0", "q-MIN_NUM_FORMS": "0",
            "q-MAX_NUM_FORMS": "30", "q-0-code": "a", "q-0-text": "A?",
            "q-0-is_overall": "on", "q-1-code": "b", "q-1-text": "B?",
            "q-1-is_overall": "on"}  # fmt: skip
    response = client.post("/programme/audits/questions/", data, follow=True)
    assert "Mark exactly one question as the overall judgement." in (
        response.content.decode()
    )
    assert AuditQuestionSet.objects.get(is_current=True).questions.count() == 7


@pytest.mark.django_db
def test_board_figures_stop_at_the_last_whole_quarter(
    client, board_member, steering_member
):
    today = timezone.localdate()
    _, end = audit_services.last_complete_quarter(today)
    for i in range(6):
        make_audit(steering_member, case=f"Q{i}", month=end.replace(day=1))
    make_audit(steering_member, case="NEW", month=today.replace(day=1),
               answers={"overall": "no"})  # fmt: skip
    client.force_login(board_member)
    page = client.get("/programme/audits/").content.decode()
    assert "Across 6 audits, 100% of assessments" in page
    client.force_login(steering_member)
    assert "Across 7 audits" in client.get("/programme/audits/").content.decode()
