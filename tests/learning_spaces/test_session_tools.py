"""Sessions say which practice tools they used; the thank-you page offers them."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learning_spaces.models import LearningSession
from programme.models import Aspiration
from programme.services import aspirations_ensure
from programme.tools import selectors as tool_selectors
from programme.tools import services as tool_services
from programme.tools.models import SessionTool

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def tools(db, settings, tmp_path, programme_admin):
    settings.MEDIA_ROOT = tmp_path
    aspirations_ensure()
    made = {}
    for title, published in [
        ("Race, Ethnicity, Culture and Religion Thinking Tool", True),
        ("Culture and Ethnicity Prompt Sheet", True),
        ("Unpublished genogram exemplars", False),
    ]:
        tool = tool_services.tool_create(
            user=programme_admin,
            title=title,
            description="For practice.",
            kind="thinking_tool",
            audiences=["practitioners"],
            aspirations=Aspiration.objects.filter(number=6),
            file=SimpleUploadedFile("t.pdf", PDF),
            released_on=date(2025, 1, 1),
        )
        if published:
            tool_services.tool_publish(tool=tool, user=programme_admin)
        made[title] = tool
    return made


def _session_data(space, **overrides):
    return {
        "space": space.pk,
        "starts_at": "2027-01-12T10:00",
        "ends_at": "2027-01-12T12:00",
        "topic": "Adultification",
        "venue": "Hall",
        "online_link": "",
        "capacity": "20",
        "feedback_closes_after_days": "14",
        **overrides,
    }


def test_session_form_links_published_tools(client_for, space, tools):
    thinking = tools["Race, Ethnicity, Culture and Religion Thinking Tool"]
    prompt = tools["Culture and Ethnicity Prompt Sheet"]
    client = client_for("Steering group")
    page = client.get("/learning-spaces/sessions/new/").content.decode()
    assert "Culture and Ethnicity Prompt Sheet" in page
    assert "Unpublished genogram exemplars" not in page

    response = client.post(
        "/learning-spaces/sessions/new/",
        _session_data(space, tools=[thinking.pk, prompt.pk]),
    )
    assert response.status_code == 302
    session = LearningSession.objects.get()
    assert tool_selectors.tool_ids_for_session(session.pk) == sorted(
        [thinking.pk, prompt.pk]
    )

    # Editing keeps what is ticked and drops what is not.
    edit = client.get(f"/learning-spaces/sessions/{session.pk}/edit/")
    assert sorted(edit.context["form"].initial["tools"]) == sorted(
        [thinking.pk, prompt.pk]
    )
    client.post(
        f"/learning-spaces/sessions/{session.pk}/edit/",
        _session_data(space, tools=[prompt.pk]),
    )
    assert tool_selectors.tool_ids_for_session(session.pk) == [prompt.pk]
    detail = client.get(session.get_absolute_url()).content.decode()
    assert "Culture and Ethnicity Prompt Sheet" in detail


def test_an_unpublished_tool_cannot_be_linked(client_for, space, tools):
    draft = tools["Unpublished genogram exemplars"]
    response = client_for("Steering group").post(
        "/learning-spaces/sessions/new/", _session_data(space, tools=[draft.pk])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not LearningSession.objects.exists()
    assert not SessionTool.objects.exists()
    # and the service refuses it even when called directly
    assert tool_services.session_tools_set(session_id=1, tool_ids=[draft.pk]) == []


def test_thank_you_page_offers_the_session_tools(client, open_session, tools):
    thinking = tools["Race, Ethnicity, Culture and Religion Thinking Tool"]
    tool_services.session_tools_set(session_id=open_session.pk, tool_ids=[thinking.pk])
    page = client.get(
        f"/learning-spaces/feedback/{open_session.feedback_token}/thanks/"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tools from this session" in html
    assert f'href="/programme/tools/{thinking.pk}/"' in html
    assert "Culture and Ethnicity Prompt Sheet" not in html


def test_thank_you_page_without_tools_says_nothing_about_them(client, open_session):
    page = client.get(
        f"/learning-spaces/feedback/{open_session.feedback_token}/thanks/"
    )
    assert "Tools from this session" not in page.content.decode()


def test_a_withdrawn_tool_is_no_longer_offered(
    client, open_session, tools, programme_admin
):
    thinking = tools["Race, Ethnicity, Culture and Religion Thinking Tool"]
    tool_services.session_tools_set(session_id=open_session.pk, tool_ids=[thinking.pk])
    tool_services.tool_withdraw(tool=thinking, user=programme_admin)
    assert tool_selectors.tools_for_session(open_session.pk) == []
    # the link row stays (re-publishing offers it again); only published tools show
    assert SessionTool.objects.filter(session_id=open_session.pk).count() == 1
