"""Logging, editing, submitting, publishing and returning achievements."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from arp import roles
from programme.models import Achievement, Aspiration
from tests.programme.conftest import make_achievement

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def form_data(**overrides):
    data = {
        "title": "Black History Month events in all quadrants",
        "summary": "Events in every quadrant, led by staff and young people.",
        "achieved_on": "2025-10-31",
        "reach": "countywide",
        "aspirations": [
            str(a.pk) for a in Aspiration.objects.filter(number__in=[3, 4])
        ],
        "evidence_url": "https://example.org/bhm",
    }
    return {**data, **overrides}


def test_steering_member_logs_a_draft(
    client_for, aspirations, workstream, steering_member
):
    client = client_for(STEERING)
    response = client.post(
        "/programme/achievements/new/", form_data(workstream=workstream.pk)
    )
    achievement = Achievement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/programme/achievements/{achievement.pk}/"
    assert achievement.status == "draft"
    assert achievement.created_by == steering_member
    assert achievement.workstream == workstream
    assert sorted(a.number for a in achievement.aspirations.all()) == [3, 4]
    assert achievement.history.count() == 1
    assert achievement.history.first().history_user == steering_member


def test_save_and_submit_in_one_go(client_for, aspirations):
    client_for(STEERING).post(
        "/programme/achievements/new/", {**form_data(), "submit": "1"}
    )
    achievement = Achievement.objects.get()
    assert achievement.status == "submitted"
    assert achievement.submitted_at is not None


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        (
            {"achieved_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "achieved_on",
            "cannot be in the future",
        ),
        ({"aspirations": ["999999"]}, "aspirations", "does not exist"),
        ({"aspirations": ["not-a-number"]}, "aspirations", "does not exist"),
        ({"aspirations": []}, "aspirations", "at least one aspiration"),
        ({"reach": "galactic"}, "reach", "Select a valid choice"),
        ({"title": ""}, "title", "required"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url", "valid URL"),
    ],
)
def test_bad_input_saves_nothing(client_for, aspirations, overrides, field, message):
    response = client_for(STEERING).post(
        "/programme/achievements/new/", form_data(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not Achievement.objects.exists()


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("report.exe", b"MZ\x90\x00" + b"\x00" * 100, "not accepted"),
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 100, "does not match"),
        ("photo.png", PDF_BYTES, "does not match"),
        ("notes.docx", b"PK\x03\x04" + b"\x00" * 40, "does not match"),
        ("report.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "limit is 10 MB"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_evidence_file_saves_nothing(
    client_for, aspirations, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client_for(STEERING).post(
        "/programme/achievements/new/", {**form_data(), "evidence_file": upload}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("evidence_file", []))
    assert message in errors or (message == "empty" and errors)
    assert not Achievement.objects.exists()


@pytest.mark.parametrize(
    "name,content",
    [("report.pdf", PDF_BYTES), ("notes.docx", _docx_bytes()),
     ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)],
)  # fmt: skip
def test_good_evidence_file_is_stored_and_served_to_viewers(
    client_for, aspirations, name, content
):
    client = client_for(STEERING)
    client.post(
        "/programme/achievements/new/",
        {**form_data(), "evidence_file": SimpleUploadedFile(name, content)},
    )
    achievement = Achievement.objects.get()
    assert achievement.evidence_file.name.endswith(name.rsplit(".", 1)[1])
    response = client.get(f"/programme/achievements/{achievement.pk}/evidence/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    # The Board cannot fetch a draft's evidence either.
    board = client_for(BOARD)
    assert (
        board.get(f"/programme/achievements/{achievement.pk}/evidence/").status_code
        == 404
    )


def test_owner_edits_own_draft_and_history_records_it(
    client_for, aspirations, steering_member
):
    achievement = make_achievement(steering_member, title="Old title")
    response = client_for(STEERING).post(
        f"/programme/achievements/{achievement.pk}/edit/", form_data(title="New title")
    )
    assert response.status_code == 302
    achievement.refresh_from_db()
    assert achievement.title == "New title"
    page = client_for(STEERING).get(f"/programme/achievements/{achievement.pk}/")
    assert b"Old title" in page.content and b"New title" in page.content


def test_editing_someone_elses_achievement_is_refused_and_changes_nothing(
    client_for, aspirations, other_steering_member
):
    achievement = make_achievement(other_steering_member, title="Theirs")
    history_before = achievement.history.count()
    response = client_for(STEERING).post(
        f"/programme/achievements/{achievement.pk}/edit/", form_data(title="Hijacked")
    )
    assert response.status_code == 403
    achievement.refresh_from_db()
    assert achievement.title == "Theirs"
    assert achievement.history.count() == history_before


def test_owner_cannot_edit_once_published(client_for, aspirations, steering_member):
    achievement = make_achievement(steering_member, status="published", title="Live")
    response = client_for(STEERING).post(
        f"/programme/achievements/{achievement.pk}/edit/", form_data(title="Changed")
    )
    assert response.status_code == 403
    assert Achievement.objects.get(pk=achievement.pk).title == "Live"


def test_board_gets_404_for_drafts_and_submitted(
    client_for, aspirations, steering_member
):
    draft = make_achievement(steering_member, status="draft")
    submitted = make_achievement(steering_member, status="submitted")
    board = client_for(BOARD)
    assert board.get(f"/programme/achievements/{draft.pk}/").status_code == 404
    assert board.get(f"/programme/achievements/{submitted.pk}/").status_code == 404


def test_board_list_shows_published_only(client_for, aspirations, steering_member):
    make_achievement(steering_member, status="draft", title="Secret draft")
    make_achievement(steering_member, status="published", title="Public win")
    content = client_for(BOARD).get("/programme/achievements/").content
    assert b"Public win" in content
    assert b"Secret draft" not in content
    # Even asking for drafts by filter shows nothing to the Board.
    content = client_for(BOARD).get("/programme/achievements/?status=draft").content
    assert b"Secret draft" not in content


def test_full_journey_submit_publish_return(client_for, aspirations, steering_member):
    achievement = make_achievement(steering_member)
    client_for(STEERING).post(f"/programme/achievements/{achievement.pk}/submit/")
    achievement.refresh_from_db()
    assert achievement.status == "submitted"

    admin = client_for(ADMINS)
    admin.post(f"/programme/achievements/{achievement.pk}/publish/")
    achievement.refresh_from_db()
    assert achievement.status == "published"
    assert achievement.published_at is not None

    response = admin.post(
        f"/programme/achievements/{achievement.pk}/return/",
        {"comment": "Please add the evidence link"},
    )
    assert response.status_code == 302
    achievement.refresh_from_db()
    assert achievement.status == "draft"
    assert achievement.return_comment == "Please add the evidence link"
    assert achievement.published_at is None
    reasons = list(achievement.history.values_list("history_change_reason", flat=True))
    assert "Published" in reasons
    assert "Returned: Please add the evidence link" in reasons


def test_return_needs_a_comment(client_for, aspirations, steering_member):
    achievement = make_achievement(steering_member, status="submitted")
    response = client_for(ADMINS).post(
        f"/programme/achievements/{achievement.pk}/return/", {"comment": "  "}
    )
    assert response.status_code == 200
    assert "comment" in response.context["return_form"].errors
    achievement.refresh_from_db()
    assert achievement.status == "submitted"


def test_publishing_a_draft_is_refused(client_for, aspirations, steering_member):
    achievement = make_achievement(steering_member, status="draft")
    client_for(ADMINS).post(f"/programme/achievements/{achievement.pk}/publish/")
    achievement.refresh_from_db()
    assert achievement.status == "draft"


def test_list_filters_sort_and_paginate(client_for, aspirations, steering_member):
    asp5 = Aspiration.objects.get(number=5)
    for day in range(30):
        make_achievement(
            steering_member,
            status="published",
            title=f"Local {day:02d}",
            reach="local",
            achieved_on=date(2025, 1, 1) + timedelta(days=day),
            aspirations=[asp5],
        )
    make_achievement(steering_member, status="published", title="National one",
                     reach="national")  # fmt: skip
    client = client_for(STEERING)
    page1 = client.get("/programme/achievements/?reach=local&ordering=title")
    titles = [a.title for a in page1.context["achievements"]]
    assert titles == [f"Local {n:02d}" for n in range(25)]
    page2 = client.get("/programme/achievements/?reach=local&ordering=title&page=2")
    assert [a.title for a in page2.context["achievements"]] == [
        f"Local {n:02d}" for n in range(25, 30)
    ]
    by_aspiration = client.get(f"/programme/achievements/?aspiration={asp5.pk}")
    assert by_aspiration.context["page"].paginator.count == 30
    dated = client.get(
        "/programme/achievements/?achieved_from=2025-01-10&achieved_to=2025-01-12"
    )
    assert {a.title for a in dated.context["achievements"]} == {
        "Local 09", "Local 10", "Local 11"
    }  # fmt: skip
    searched = client.get("/programme/achievements/?q=national")
    assert [a.title for a in searched.context["achievements"]] == ["National one"]


def _grow(user, n):
    aspirations = list(Aspiration.objects.all()[:2])
    for _ in range(n):
        make_achievement(user, status="published", aspirations=aspirations)


@pytest.mark.parametrize("extra", [0, 40])
def test_list_query_count_is_fixed(
    client_for,
    aspirations,
    workstream,
    steering_member,
    django_assert_num_queries,
    extra,
):
    _grow(steering_member, 3 + extra)
    client = client_for(BOARD)
    # user, groups (session from the cache), count, rows, aspirations prefetch,
    # aspiration + workstream choices in the filter form
    with django_assert_num_queries(7):
        response = client.get("/programme/achievements/?ordering=-achieved_on")
    assert response.status_code == 200
