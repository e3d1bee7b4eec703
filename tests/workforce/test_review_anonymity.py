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
