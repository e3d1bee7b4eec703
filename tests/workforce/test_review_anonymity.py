"""Review: following up an anonymous report leaves nothing server-side that ties
it to the member of staff's login (the session table holds their user id)."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _stored_sessions() -> list[dict]:
    return [s.get_decoded() for s in Session.objects.all()]


@pytest.mark.django_db
def test_signed_in_follow_up_does_not_link_the_login_to_the_report(
    client, practitioner, make_report
):
    new = make_report()  # anonymous: no reporter stored
    client.force_login(practitioner)
    response = client.post(
        "/workforce/report/follow-up/",
        {"reference": new.report.reference, "passcode": new.passcode},
    )
    assert response.status_code == 302
    page = client.get("/workforce/report/follow-up/").content.decode()
    assert new.report.what_happened in page  # the reporter's own view works
    sessions = _stored_sessions()
    assert any(s.get("_auth_user_id") == str(practitioner.pk) for s in sessions)
    for data in sessions:
        values = {str(v) for v in data.values()}
        assert str(new.report.pk) not in values - {data.get("_auth_user_id")}
        assert new.report.reference not in values
        assert not [k for k in data if k.startswith("workforce")]
    # a reply still works, and leaving ends access
    reply = client.post("/workforce/report/follow-up/reply/", {"text": "Again."})
    assert reply.status_code == 302
    assert new.report.entries.filter(kind="reply", text="Again.").exists()
    client.post("/workforce/report/follow-up/leave/")
    page = client.get("/workforce/report/follow-up/").content.decode()
    assert new.report.what_happened not in page
    # the login itself is untouched by the follow-up
    assert client.get("/programme/tools/").status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("agreed", "not_agreed", "expected"),
    [(4, 1, None), (1, 5, None), (5, 4, None), (5, 5, 50), (6, 0, 100)],
)
def test_agreed_resolution_indicator_never_implies_a_count_of_1_to_4(
    make_report, support_lead, agreed, not_agreed, expected
):
    """The Board reads the indicator: 80% of 5 closed says 1 did not agree."""
    from programme.models import IndicatorReading
    from workforce import services
    from workforce.models import Report

    for agree in [True] * agreed + [False] * not_agreed:
        report = make_report().report
        services.report_propose_resolution(
            report=report, user=support_lead, summary="."
        )
        if agree:
            services.report_reporter_respond(report=report, agrees=True)
        else:
            services.report_close(
                report=report, user=support_lead,
                outcome=Report.Outcome.RESOLVED_NOT_AGREED, summary=".",
            )  # fmt: skip
    services.resolution_indicator_record()
    readings = IndicatorReading.objects.filter(
        indicator__key=services.RESOLUTION_INDICATOR_KEY
    )
    if expected is None:
        # earlier closures may have had a safe reading; never this share
        share = round(100 * agreed / (agreed + not_agreed), 1)
        assert not [r for r in readings if float(r.value) == share]
    else:
        assert float(readings.get().value) == expected


@pytest.mark.django_db(transaction=True)
def test_agreeing_while_signed_in_does_not_sign_the_indicator_history(
    client, practitioner, support_lead, make_report
):
    """With no broker the indicator task runs inside the reporter's request;
    the history middleware must not record their account against it."""
    from programme.models import Indicator, IndicatorReading
    from workforce import services

    def proposed():
        report = make_report().report
        services.report_propose_resolution(
            report=report, user=support_lead, summary="."
        )
        return report

    for _ in range(4):
        services.report_reporter_respond(report=proposed(), agrees=True)
    mine = proposed()
    # follow it up with its passcode while signed in to the tracker
    from django.contrib.auth.hashers import make_password

    mine.passcode_hash = make_password("ABCDEFGHJKMNPQRS")
    mine.save(update_fields=["passcode_hash"])
    client.force_login(practitioner)
    client.post(
        "/workforce/report/follow-up/",
        {"reference": mine.reference, "passcode": "ABCD-EFGH-JKMN-PQRS"},
    )
    response = client.post("/workforce/report/follow-up/respond/", {"agrees": "yes"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.outcome == "resolved_agreed"
    reading = IndicatorReading.objects.get(
        indicator__key=services.RESOLUTION_INDICATOR_KEY
    )
    assert float(reading.value) == 100
    signed = [
        h.history_user_id
        for model in (IndicatorReading, Indicator)
        for h in model.history.all()
    ]
    assert practitioner.pk not in signed
