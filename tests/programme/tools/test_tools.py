"""The practice tools library: adding, versioning, finding, opening, counting."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from arp import roles
from programme.models import Achievement, Aspiration, Workstream
from programme.tools import selectors, services
from programme.tools.models import Tool, ToolDownloadMonth, ToolVersion
from tests.programme.tools.builders import PDF_V1, PDF_V2, make_tool, ooxml_bytes, pdf

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS


def form_data(**overrides):
    data = {
        "title": "Culture and Ethnicity Prompt Sheet",
        "description": "A one-page prompt sheet for the front door.",
        "kind": "prompt_sheet",
        "audiences": ["practitioners"],
        "aspirations": [
            str(a.pk) for a in Aspiration.objects.filter(number__in=[5, 6])
        ],
        "authored_by": "Front door practitioners",
        "released_on": "2024-03-05",
        "change_note": "First version.",
        "link": "",
    }
    return {**data, **overrides}


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Adding a tool --------------------------------------------------------------------


def test_editor_adds_a_draft_with_a_file_and_an_empty_link(
    client_for, media, aspirations, steering_member
):
    response = client_for(STEERING).post(
        "/programme/tools/new/",
        {**form_data(), "file": pdf("prompt-sheet.pdf"), "draft": ""},
    )
    assert response.status_code == 302
    tool = Tool.objects.get()
    assert response["Location"] == f"/programme/tools/{tool.pk}/"
    assert not tool.is_published
    assert tool.audience_values() == ["practitioners"]
    assert sorted(a.number for a in tool.aspirations.all()) == [5, 6]
    version = tool.versions.get()
    assert (version.number, version.link, version.created_by) == (
        1,
        "",
        steering_member,
    )
    assert version.released_on == date(2024, 3, 5)
    with version.file.open("rb") as handle:
        assert handle.read() == PDF_V1
    # Files live outside any URL the web server exposes.
    assert (media / version.file.name).exists()


def test_a_draft_is_hidden_from_readers(client_for, tools_world):
    draft = tools_world["draft"]
    assert (
        client_for(PRACTITIONERS).get(f"/programme/tools/{draft.pk}/").status_code
        == 404
    )
    listing = client_for(PRACTITIONERS).get("/programme/tools/")
    assert "Draft exemplar" not in listing.content.decode()
    assert (
        "Draft exemplar"
        in client_for(STEERING).get("/programme/tools/").content.decode()
    )


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("tool.exe", b"MZ\x90\x00", "not accepted for tools"),
        (
            "tool.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 32,
            "not accepted for tools",
        ),
        ("tool.xlsx", ooxml_bytes("xl/workbook.xml"), "not accepted for tools"),
        ("tool.pdf", ooxml_bytes(), "does not match"),
        ("tool.docx", PDF_V1, "does not match"),
        ("tool.pptx", b"PK\x03\x04 not really a zip", "does not match"),
        ("tool.pdf", b"", "empty"),
        ("tool.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "limit is 10 MB"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(
    client_for, media, aspirations, name, content, message
):
    response = client_for(ADMINS).post(
        "/programme/tools/new/",
        {**form_data(), "file": SimpleUploadedFile(name, content), "publish": ""},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Nothing has been saved" in response.content.decode()
    assert not Tool.objects.exists()
    assert not ToolVersion.objects.exists()
    assert not any(media.rglob("*.*"))


@pytest.mark.parametrize(
    "name,content",
    [("tool.docx", ooxml_bytes()), ("tool.pptx", ooxml_bytes("ppt/presentation.xml"))],
)
def test_word_and_powerpoint_files_are_accepted(
    client_for, media, aspirations, name, content
):
    response = client_for(ADMINS).post(
        "/programme/tools/new/",
        {**form_data(), "file": SimpleUploadedFile(name, content), "draft": ""},
    )
    assert response.status_code == 302
    assert ToolVersion.objects.get().file.name.endswith(name.rsplit(".", 1)[1])


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({}, "Upload a file or give a link for this version."),
        (
            {"link": "https://example.org/a", "file": "PDF"},
            "Give a file or a link, not both",
        ),
        ({"link": "not a link at all"}, "Enter a valid URL."),
        (
            {"link": "https://example.org/a", "released_on": "2099-01-01"},
            "cannot be in the future",
        ),
        ({"link": "https://example.org/a", "change_note": "   "}, "Say what changed"),
        (
            {"link": "https://example.org/a", "audiences": []},
            "Choose who the tool is for.",
        ),
        (
            {"link": "https://example.org/a", "audiences": ["aliens"]},
            "Select a valid choice",
        ),
        ({"link": "https://example.org/a", "kind": "poster"}, "Select a valid choice"),
        (
            {
                "link": "https://example.org/a",
                "aspirations": [],
                "record_achievement": "on",
            },
            "Choose the aspirations the tool supports to record an achievement.",
        ),
    ],
)
def test_bad_versions_and_details_change_nothing(
    client_for, media, aspirations, overrides, message
):
    if overrides.get("file") == "PDF":
        overrides = {**overrides, "file": pdf()}
    response = client_for(ADMINS).post(
        "/programme/tools/new/", {**form_data(**overrides), "publish": ""}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Tool.objects.exists()
    assert not Achievement.objects.exists()


# --- Publishing, with an achievement in the same step ---------------------------------


def test_admin_publishes_and_records_a_published_achievement(
    client_for, media, aspirations, workstream, programme_admin
):
    response = client_for(ADMINS).post(
        "/programme/tools/new/",
        {
            **form_data(link="https://example.org/p"),
            "record_achievement": "on",
            "publish": "",
        },
    )
    assert response.status_code == 302
    tool = Tool.objects.get()
    assert tool.is_published and tool.published_by == programme_admin
    achievement = tool.achievement
    assert achievement.status == Achievement.Status.PUBLISHED
    assert achievement.reach == Achievement.Reach.COUNTYWIDE  # for practitioners
    assert sorted(a.number for a in achievement.aspirations.all()) == [5, 6]
    assert achievement.achieved_on == timezone.localdate()
    assert achievement.workstream == workstream  # "Practice tools"
    assert achievement.created_by == programme_admin
    assert achievement.evidence_url.endswith(f"/programme/tools/{tool.pk}/")
    assert "Front door practitioners" in achievement.summary


def test_steering_member_publishes_and_the_achievement_waits_for_an_admin(
    client_for, tools_world, steering_member
):
    draft = tools_world["draft"]
    response = client_for(STEERING).post(
        f"/programme/tools/{draft.pk}/publish/", {"record_achievement": "on"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.achievement.status == Achievement.Status.SUBMITTED
    assert draft.achievement.created_by == steering_member


@pytest.mark.parametrize(
    "audiences,reach,expected",
    [
        (["managers", "leaders"], "", "local"),
        (["young_people"], "", "local"),
        (["foster_carers", "practitioners"], "", "countywide"),
        (["managers"], "regional", "regional"),
    ],
)
def test_achievement_reach_comes_from_the_audience_unless_chosen(
    client_for, tools_world, programme_admin, audiences, reach, expected
):
    tool = make_tool(
        programme_admin, title="For some", audiences=audiences, published=False
    )
    client_for(ADMINS).post(
        f"/programme/tools/{tool.pk}/publish/",
        {"record_achievement": "on", "reach": reach},
    )
    tool.refresh_from_db()
    assert tool.achievement.reach == expected


def test_publishing_without_aspirations_cannot_record_an_achievement(
    client_for, tools_world, programme_admin
):
    tool = make_tool(
        programme_admin, title="No aims", aspiration_numbers=(), published=False
    )
    response = client_for(ADMINS).post(
        f"/programme/tools/{tool.pk}/publish/",
        {"record_achievement": "on"},
        follow=True,
    )
    assert "Choose the aspirations the tool supports" in response.content.decode()
    tool.refresh_from_db()
    assert not tool.is_published
    assert not Achievement.objects.exists()


def test_publishing_twice_is_refused(client_for, tools_world):
    tool = tools_world["published"]
    before = tool.published_at
    response = client_for(ADMINS).post(
        f"/programme/tools/{tool.pk}/publish/", follow=True
    )
    assert "already published" in response.content.decode()
    tool.refresh_from_db()
    assert tool.published_at == before


def test_bad_reach_is_a_message_not_a_500(client_for, tools_world):
    draft = tools_world["draft"]
    response = client_for(ADMINS).post(
        f"/programme/tools/{draft.pk}/publish/",
        {"record_achievement": "on", "reach": "global"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published


# --- Versions are kept ----------------------------------------------------------------


def test_a_new_version_becomes_current_and_earlier_ones_are_kept(
    client_for, tools_world, steering_member
):
    tool = tools_world["published"]
    response = client_for(STEERING).post(
        f"/programme/tools/{tool.pk}/versions/new/",
        {
            "link": "https://example.org/v3",
            "released_on": "2025-09-01",
            "change_note": "Online.",
        },
    )
    assert response.status_code == 302
    numbers = list(tool.versions.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    first, second, third = tool.versions.order_by("number")
    with first.file.open("rb") as handle:
        assert handle.read() == PDF_V1  # untouched
    with second.file.open("rb") as handle:
        assert handle.read() == PDF_V2
    assert third.link == "https://example.org/v3" and not third.file
    assert selectors.current_version(tool) == third
    page = (
        client_for(PRACTITIONERS).get(f"/programme/tools/{tool.pk}/").content.decode()
    )
    assert "Version 3, 1 Sep 2025: Online." in page
    assert "Earlier versions (2)" in page
    opened = client_for(PRACTITIONERS).get(f"/programme/tools/{tool.pk}/open/")
    assert (opened.status_code, opened["Location"]) == (302, "https://example.org/v3")


def test_open_serves_the_current_file_and_old_versions_stay_downloadable(
    client_for, tools_world
):
    tool, old = tools_world["published"], tools_world["old_version"]
    client = client_for(PRACTITIONERS)
    current = client.get(f"/programme/tools/{tool.pk}/open/")
    assert current.status_code == 200
    assert _body(current) == PDF_V2
    assert current["Content-Disposition"] == (
        "attachment; "
        'filename="race-ethnicity-culture-and-religion-thinking-tool-v2.pdf"'
    )
    earlier = client.get(f"/programme/tools/versions/{old.pk}/download/")
    assert _body(earlier) == PDF_V1


def test_pages_never_link_to_the_media_folder(client_for, tools_world, settings):
    tool = tools_world["published"]
    for role in (PRACTITIONERS, ADMINS):
        page = client_for(role).get(f"/programme/tools/{tool.pk}/").content.decode()
        assert settings.MEDIA_URL not in page
        assert tools_world["current_version"].file.name not in page
        assert f'href="/programme/tools/{tool.pk}/open/"' in page


def test_a_missing_file_is_404_and_not_counted(client_for, tools_world):
    tool = tools_world["published"]
    tools_world["current_version"].file.storage.delete(
        tools_world["current_version"].file.name
    )
    assert (
        client_for(PRACTITIONERS).get(f"/programme/tools/{tool.pk}/open/").status_code
        == 404
    )
    assert not ToolDownloadMonth.objects.exists()


def test_versions_cannot_hold_both_a_file_and_a_link(tools_world, programme_admin):
    with pytest.raises(services.ToolError, match="not both"):
        services.tool_version_add(
            tool=tools_world["published"],
            user=programme_admin,
            file=pdf(),
            link="https://example.org",
            released_on=date(2025, 1, 1),
            change_note="x",
        )
    assert tools_world["published"].versions.count() == 2


# --- Downloads, counted anonymously ---------------------------------------------------


def test_download_counts_store_no_user(client_for, tools_world, django_user_model):
    columns = {field.name for field in ToolDownloadMonth._meta.get_fields()}
    assert columns == {"id", "tool", "month", "downloads"}
    for field in ToolDownloadMonth._meta.get_fields():
        assert getattr(field, "related_model", None) in (None, Tool)
    tool = tools_world["published"]
    for role in (PRACTITIONERS, PRACTITIONERS, BOARD):
        client_for(role).get(f"/programme/tools/{tool.pk}/open/")
    client_for(LEADS).get(
        f"/programme/tools/versions/{tools_world['old_version'].pk}/download/"
    )
    client_for(PRACTITIONERS).get(
        f"/programme/tools/{tools_world['link_tool'].pk}/open/"
    )
    rows = list(ToolDownloadMonth.objects.values_list("tool_id", "month", "downloads"))
    month = timezone.localdate().replace(day=1)
    assert sorted(rows) == sorted(
        [(tool.pk, month, 4), (tools_world["link_tool"].pk, month, 1)]
    )


def test_downloads_are_counted_per_calendar_month(tools_world):
    tool = tools_world["published"]
    for day in (date(2025, 1, 1), date(2025, 1, 31), date(2025, 2, 1)):
        services.tool_download_record(tool=tool, on=day)
    assert dict(ToolDownloadMonth.objects.values_list("month", "downloads")) == {
        date(2025, 1, 1): 2,
        date(2025, 2, 1): 1,
    }
    months = [date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]
    usage = {row.tool.title: row for row in selectors.tool_usage(months=months)}
    assert usage[tool.title].by_month == (0, 2, 1)
    assert usage[tool.title].total == 3
    assert usage["Adultification Podcast"].total == 0


def test_usage_page_lists_the_last_twelve_months(client_for, tools_world):
    tool = tools_world["published"]
    services.tool_download_record(tool=tool)
    services.tool_download_record(
        tool=tool, on=timezone.localdate() - timedelta(days=400)
    )
    page = client_for(STEERING).get("/programme/tools/usage/")
    rows = {row.tool.pk: row for row in page.context["rows"]}
    assert len(page.context["months"]) == 12
    assert rows[tool.pk].total == 1  # the download 400 days ago is outside the window
    assert page.context["rows"][0].tool == tool  # most used first


def test_months_ending_crosses_the_year():
    assert selectors.months_ending(date(2025, 2, 14), 3) == [
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


# --- Finding a tool -------------------------------------------------------------------


@pytest.fixture
def library(media, aspirations, programme_admin):
    make_tool(programme_admin)  # thinking tool, practitioners, aspiration 6
    make_tool(
        programme_admin,
        title="Culture and Ethnicity Prompt Sheet",
        kind=Tool.Kind.PROMPT_SHEET,
        aspiration_numbers=(5,),
        description="Ask families how they describe their ethnicity.",
    )
    make_tool(
        programme_admin,
        title="Thinking tool developed by young people",
        audiences=(Tool.Audience.FOSTER_CARERS,),
        aspiration_numbers=(3,),
        authored_by="Young people in care",
    )
    make_tool(
        programme_admin,
        title="Adultification Podcast",
        kind=Tool.Kind.PODCAST,
        link="https://example.org/pod",
        audiences=(Tool.Audience.MANAGERS, Tool.Audience.LEADERS),
        aspiration_numbers=(3, 6),
    )


RECR = "Race, Ethnicity, Culture and Religion Thinking Tool"
YOUNG = "Thinking tool developed by young people"
PROMPT = "Culture and Ethnicity Prompt Sheet"
PODCAST = "Adultification Podcast"


def _titles(client, query: str) -> list[str]:
    response = client.get(f"/programme/tools/{query}")
    assert response.status_code == 200
    return [tool.title for tool in response.context["tools"]]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("?q=thinking+tool", [RECR, YOUNG]),
        ("?q=culture+prompt", [PROMPT]),
        ("?q=DESCRIBE+ethnicity", [PROMPT]),
        ("?q=in+care", [YOUNG]),
        ("?q=genogram", []),
        ("?q=carers", [YOUNG]),  # audience: foster carers
        ("?q=podcast+leaders", [PODCAST]),  # kind and audience
        ("?q=prompt+sheet", [PROMPT]),
        ("?kind=podcast", [PODCAST]),
        ("?audience=practitioners", [PROMPT, RECR]),
        ("?audience=leaders&kind=podcast", [PODCAST]),
        ("?q=thinking&audience=foster_carers", [YOUNG]),
        ("?kind=nonsense", [PODCAST, PROMPT, RECR, YOUNG]),
    ],
)  # fmt: skip
def test_search_and_filters(client_for, library, query, expected):
    assert _titles(client_for(PRACTITIONERS), query) == expected


def test_filter_by_aspiration_lists_each_tool_once(client_for, library):
    three = Aspiration.objects.get(number=3)
    six = Aspiration.objects.get(number=6)
    client = client_for(PRACTITIONERS)
    assert _titles(client, f"?aspiration={three.pk}") == [
        "Adultification Podcast",
        "Thinking tool developed by young people",
    ]
    assert len(_titles(client, f"?aspiration={six.pk}&audience=managers")) == 1


def test_a_bad_filter_value_says_so(client_for, library):
    page = client_for(PRACTITIONERS).get("/programme/tools/?kind=nonsense")
    assert "Select a valid choice" in page.content.decode()


def test_list_queries_do_not_grow_with_the_library(
    client_for, library, programme_admin, django_assert_num_queries
):
    client = client_for(PRACTITIONERS)
    client.get("/programme/tools/")  # warm the session and groups
    # user, groups, count, the filter's aspirations, tools, their versions,
    # audiences and aspirations
    with django_assert_num_queries(8) as small:
        client.get("/programme/tools/")
    for n in range(6):
        make_tool(programme_admin, title=f"Extra {n}")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/programme/tools/")


# --- Editing and withdrawing ----------------------------------------------------------


def test_edit_changes_details_but_not_versions(client_for, tools_world):
    tool = tools_world["published"]
    response = client_for(STEERING).post(
        f"/programme/tools/{tool.pk}/edit/",
        form_data(title="RECR Thinking Tool", audiences=["managers", "leaders"]),
    )
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.title == "RECR Thinking Tool"
    assert tool.audience_values() == ["leaders", "managers"]
    assert tool.versions.count() == 2


def test_withdrawn_tools_leave_the_library_but_keep_versions_and_counts(
    client_for, tools_world
):
    tool = tools_world["published"]
    services.tool_download_record(tool=tool)
    client_for(ADMINS).post(f"/programme/tools/{tool.pk}/withdraw/")
    assert (
        client_for(PRACTITIONERS).get(f"/programme/tools/{tool.pk}/").status_code == 404
    )
    assert tool.versions.count() == 2
    assert ToolDownloadMonth.objects.get(tool=tool).downloads == 1


# --- Navigation and the demo ----------------------------------------------------------


def test_practitioners_get_the_library_next_to_their_sessions(client_for, tools_world):
    page = client_for(PRACTITIONERS).get("/learning-spaces/").content.decode()
    nav = page.split('aria-label="Main"')[1].split("</ul>")[0]
    links = [chunk.split('"')[0] for chunk in nav.split('href="')[1:]]
    assert links[:3] == ["/", "/learning-spaces/", "/programme/tools/"]
    assert "/programme/" not in links  # no programme pages for practitioners


def test_seed_is_idempotent_and_has_the_launch_tools(settings, media, aspirations):
    from io import StringIO

    from programme.tools.seed import seed_demo

    Workstream.objects.get_or_create(name="Practice tools")
    seed_demo(stdout=StringIO())
    seed_demo(stdout=StringIO())
    assert Tool.objects.count() == 5
    assert all(tool.is_published for tool in Tool.objects.all())
    thinking = Tool.objects.get(
        title="Race, Ethnicity, Culture and Religion Thinking Tool"
    )
    assert thinking.versions.count() == 2
    podcast = Tool.objects.get(kind=Tool.Kind.PODCAST)
    assert podcast.versions.get().link.startswith("https://")
    with thinking.versions.get(number=2).file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-1.4")


def test_edit_form_starts_from_the_tool_and_history_records_who(
    client_for, tools_world, programme_admin, steering_member
):
    tool = tools_world["published"]
    form = client_for(STEERING).get(f"/programme/tools/{tool.pk}/edit/").context["form"]
    assert form.initial["title"] == tool.title
    assert form.initial["audiences"] == ["practitioners"]
    assert [a.number for a in form.initial["aspirations"]] == [6]
    client_for(STEERING).post(
        f"/programme/tools/{tool.pk}/edit/", form_data(title="RECR Thinking Tool")
    )
    latest, first = tool.history.order_by("-history_id")[:2]
    assert (latest.title, latest.history_user) == (
        "RECR Thinking Tool",
        steering_member,
    )
    assert first.history_user == programme_admin


def test_order_by_newest_version_or_most_used(client_for, library):
    prompt = Tool.objects.get(title=PROMPT)
    podcast = Tool.objects.get(title=PODCAST)
    services.tool_version_add(
        tool=prompt,
        user=None,
        link="https://example.org/prompt-v2",
        released_on=date(2025, 5, 1),
        change_note="Online version.",
    )
    for _ in range(3):
        services.tool_download_record(tool=podcast)
    services.tool_download_record(tool=prompt)
    # a year and more ago: not "most used" now
    for _ in range(5):
        services.tool_download_record(
            tool=Tool.objects.get(title=YOUNG),
            on=timezone.localdate() - timedelta(days=400),
        )
    client = client_for(PRACTITIONERS)
    assert _titles(client, "?sort=recent")[0] == PROMPT
    assert _titles(client, "?sort=popular")[:2] == [PODCAST, PROMPT]
    assert _titles(client, "?sort=popular&q=thinking") == [RECR, YOUNG]
    assert _titles(client, "?sort=sideways") == sorted([PODCAST, PROMPT, RECR, YOUNG])
