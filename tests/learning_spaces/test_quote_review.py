"""Quotes are reviewed (redacted, approved) before anyone beyond staff reads them;
originals are deleted after the retention period."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from learning_spaces import redaction, selectors, services
from learning_spaces.models import FeedbackResponse
from programme.models import Testimonial

from .conftest import make_response

pytestmark = pytest.mark.django_db

NAMING = (
    "Jane Smith helped me rethink the Okoro family case; I will challenge "
    "adultification in our quadrant."
)


# --- The rule set, on realistic answers ----------------------------------------

REALISTIC = [
    (
        "Jane Smith helped me see the Okoro family case differently.",
        {"Jane Smith", "Okoro"},
    ),
    (
        "Talking to my manager Priya about the Okoro family helped. The "
        "Northfield team were great.",
        {"Priya", "Okoro", "Northfield"},
    ),
    (
        "Mrs Begum at St Mary's School said it; email jo.bloggs@council.gov.uk "
        "or ring 07700 900123.",
        {"Mrs Begum", "St Mary's", "jo.bloggs@council.gov.uk", "07700 900123"},
    ),
    ("Working in Harlow with Tom was hard. Tom's view changed.", {"Harlow", "Tom"}),
    ("Jane said the session was useful.", {"Jane"}),
    ("I spoke to the Adeyemi household about it.", {"Adeyemi"}),
]

NOTHING_TO_REDACT = [
    "Better understanding and awareness around white privilege.",
    "Great session. I will challenge adultification in the Global Majority network.",
    "We talked about Black Caribbean boys in Ofsted reports and Children's "
    "Services thresholds in March.",
    "Listening helped. Reflecting is hard but I will keep doing it.",
]


@pytest.mark.parametrize("text,names", REALISTIC)
def test_names_are_suggested(text, names):
    found = [s.text for s in redaction.suggest(text)]
    for name in names:
        assert any(name in f for f in found), (name, found)
    redacted = redaction.redact(text)
    for name in names:
        assert name not in redacted


@pytest.mark.parametrize("text", NOTHING_TO_REDACT)
def test_ordinary_programme_words_are_not_flagged(text):
    assert redaction.suggest(text) == []
    assert redaction.redact(text) == text


# --- Nobody beyond staff reads it until approved ---------------------------------


def _board_urls():
    """Every parameter-free GET URL in the project."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and "<" not in str(p.pattern):
                yield "/" + prefix + str(p.pattern)

    return sorted({u for u in walk(get_resolver().url_patterns) if "admin" not in u})


def _post_answer(client, session, fresh_form, **overrides):
    data = fresh_form(session, gained_most=NAMING, **overrides)
    client.cookies.clear()  # each answer from its own phone
    assert client.post(session.feedback_path(), data).status_code == 302


def test_named_person_and_family_never_reach_the_board_unreviewed(
    client, client_for, open_session, fresh_form, steering_member
):
    for _ in range(3):
        _post_answer(client, open_session, fresh_form)
    assert FeedbackResponse.objects.filter(consent_to_quote=True).count() == 3

    def board_sees() -> str:
        board = client_for("Board")
        pages = []
        for url in [*_board_urls(), "/learning-spaces/insights/?space="]:
            page = board.get(url)
            assert page.status_code in (200, 302, 400, 403, 404, 405), url
            pages.append(page.content.decode("utf-8", "replace"))
        for quote in Testimonial.objects.filter(published=True):
            pages.append(board.get(quote.get_absolute_url()).content.decode())
        pages.extend(q.text for q in selectors.reviewed_quotes(limit=None))
        return "\n".join(pages)

    seen = board_sees()
    assert "Jane Smith" not in seen and "Okoro" not in seen

    # A reviewer takes the suggestions as offered and approves.
    staff = client_for("Steering group")
    response = FeedbackResponse.objects.first()
    form = staff.get(f"/learning-spaces/responses/{response.reference}/review/")
    assert form.status_code == 200
    offered = form.context["form"].initial["quote_text"]
    assert "Jane Smith" not in offered and "Okoro" not in offered
    saved = staff.post(
        f"/learning-spaces/responses/{response.reference}/review/",
        {"decision": "approve", "quote_text": offered},
    )
    assert saved.status_code == 302
    response.refresh_from_db()
    assert response.quote_status == FeedbackResponse.QuoteStatus.APPROVED

    seen = board_sees()
    assert "Jane Smith" not in seen and "Okoro" not in seen
    assert "[name] helped me rethink the [name] family case" in seen
    # the original is still there for staff, until the retention period ends
    assert response.gained_most == NAMING


def test_approving_with_a_name_left_needs_a_check(client_for, open_session):
    response = make_response(open_session, consent_to_quote=True, gained_most=NAMING)
    url = f"/learning-spaces/responses/{response.reference}/review/"
    page = client_for("Programme admins").post(
        url, {"decision": "approve", "quote_text": NAMING}
    )
    assert page.status_code == 400
    assert "Jane Smith" in page.content.decode()  # named in the message
    response.refresh_from_db()
    assert response.quote_status == FeedbackResponse.QuoteStatus.PENDING
    assert response.quote_text == ""

    page = client_for("Programme admins").post(
        url,
        {"decision": "approve", "quote_text": "Kept: Harlow.", "names_checked": "on"},
    )
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.quote_text == "Kept: Harlow."
    assert response.quote_reviewed_at is not None


def test_reject_and_unconsented(client_for, open_session):
    consented = make_response(open_session, consent_to_quote=True)
    page = client_for("Steering group").post(
        f"/learning-spaces/responses/{consented.reference}/review/",
        {"decision": "reject", "quote_text": "ignored"},
    )
    assert page.status_code == 302
    consented.refresh_from_db()
    assert consented.quote_status == FeedbackResponse.QuoteStatus.REJECTED
    assert consented.quote_text == ""

    private = make_response(open_session, consent_to_quote=False)
    page = client_for("Steering group").post(
        f"/learning-spaces/responses/{private.reference}/review/",
        {"decision": "approve", "quote_text": "x"},
    )
    assert page.status_code == 400
    private.refresh_from_db()
    assert private.quote_status == FeedbackResponse.QuoteStatus.PENDING


def test_reviewed_quotes_selector_for_the_board_pack(open_session, space):
    from .conftest import make_session

    approved = [
        make_response(
            open_session,
            consent_to_quote=True,
            quote_status="approved",
            quote_text=f"Quote {i}",
            gained_most=f"Original {i}",
        )
        for i in range(2)
    ]
    make_response(open_session, consent_to_quote=True)  # pending
    small = make_session(space, starts_in=-timedelta(days=3))
    make_response(small, consent_to_quote=True, quote_status="approved", quote_text="S")
    quotes = selectors.reviewed_quotes(
        start=timezone.localdate() - timedelta(days=1), end=None, limit=10
    )
    assert sorted(q.text for q in quotes) == ["Quote 0", "Quote 1"]
    assert {q.reference for q in quotes} == {r.reference for r in approved}
    assert all(q.month.day == 1 for q in quotes)
    assert len(selectors.reviewed_quotes(start=None, end=None, limit=1)) == 1
    # the small session's quote is left out by the small-group rule
    assert (
        selectors.reviewed_quotes(
            start=None, end=timezone.localdate() - timedelta(days=2), limit=None
        )
        == []
    )


# --- Retention ---------------------------------------------------------------------


def test_originals_are_purged_after_the_retention_period(open_session, settings):
    settings.LEARNING_SPACES_TEXT_RETENTION_DAYS = 90
    today = timezone.localdate()
    old = today - timedelta(days=91)
    kept = make_response(open_session, gained_most="recent words", submitted_on=today)
    approved = make_response(
        open_session,
        gained_most="Jane Smith",
        team="North",
        consent_to_quote=True,
        quote_status="approved",
        quote_text="[name]",
        submitted_on=old,
    )
    pending = make_response(
        open_session, gained_most="never reviewed", consent_to_quote=True,
        submitted_on=old,
    )  # fmt: skip
    assert services.responses_purge_text(today=today) == 2
    for r in (kept, approved, pending):
        r.refresh_from_db()
    assert kept.gained_most == "recent words" and kept.text_purged_on is None
    assert approved.gained_most == "" and approved.team == ""
    assert approved.quote_text == "[name]"  # the redacted quote stays
    assert approved.quote_status == FeedbackResponse.QuoteStatus.APPROVED
    assert approved.text_purged_on == today
    assert pending.gained_most == ""
    assert pending.quote_status == FeedbackResponse.QuoteStatus.EXPIRED
    assert services.responses_purge_text(today=today) == 0  # idempotent


def test_purge_task_is_scheduled_daily(settings):
    from learning_spaces import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["learning-spaces-purge-feedback-text"]
    assert entry["task"] == tasks.purge_feedback_text.name


# --- References ----------------------------------------------------------------------


def test_responses_carry_random_references_not_ids(client_for, open_session):
    responses = [make_response(open_session) for _ in range(5)]
    refs = [r.reference for r in responses]
    assert len(set(refs)) == 5
    assert all(len(r) == 8 and r.isalnum() for r in refs)
    page = client_for("Steering group").get(open_session.get_absolute_url())
    html = page.content.decode()
    listed = [r.reference for r in page.context["responses"]]
    assert listed == sorted(refs)  # by reference, not by arrival
    for r in responses:
        assert f"Response {r.pk} " not in html
        assert f"/responses/{r.pk}/" not in html
