"""Demo data: five spaces meeting every six weeks since spring 2023.

Idempotent (a space that already exists is left alone) and quick: sessions,
responses and theme links go in with bulk_create.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from learning_spaces import redaction
from learning_spaces.models import FeedbackResponse, LearningSession, Space, Theme
from learning_spaces.scheduling import england_bank_holidays, next_working_day
from learning_spaces.services import (
    confidence_indicator_record,
    last_complete_quarter,
    themes_seed,
)
from learning_spaces.themes import matching_theme_ids

FIRST_SESSION = date(2023, 4, 17)
CADENCE_WEEKS = 6
UPCOMING = 3

# name, audience, days after FIRST_SESSION, start time, minutes, venue, size range
SPACES = (
    (
        "Anti-racist practice: leaders",
        Space.Audience.LEADERS,
        0,
        time(10, 0),
        120,
        "County Hall, Committee Room 2",
        (10, 22),
    ),
    (
        "Anti-racist practice: practitioners",
        Space.Audience.PRACTITIONERS,
        8,
        time(13, 30),
        120,
        "Riverside Centre, Training Room 1",
        (15, 35),
    ),
    (
        "Global Majority Network",
        Space.Audience.GLOBAL_MAJORITY,
        16,
        time(12, 0),
        90,
        "",
        (8, 20),
    ),
    (
        "White leaders' reflective space",
        Space.Audience.WHITE_LEADERS,
        24,
        time(9, 30),
        90,
        "County Hall, Room 4.12",
        (6, 14),
    ),
    (
        "Proud to be Me",
        Space.Audience.PROUD_TO_BE_ME,
        32,
        time(16, 30),
        90,
        "The Youth Hub",
        (4, 10),
    ),
)

TOPICS = (
    "Race, ethnicity and risk in assessments",
    "Understanding white privilege",
    "Power in the room: families and professionals",
    "Hearing lived experience",
    "Curiosity: asking about identity, culture and faith",
    "Recording ethnicity well",
    "Intent and impact: microaggressions at work",
    "Building the courage to challenge",
)

GAINED = (
    "Made me sit back and think that race and ethnicity needs to be properly "
    "thought about when carrying out assessments and analysing risk.",
    "Better understanding and awareness around white privilege.",
    "To stop, pause and consider the intent of a comment or judgement made when "
    "reviewing a referral.",
    "Hearing colleagues' lived experience of racism at work was powerful.",
    "Thinking about the power dynamics between me and the families I work with.",
    "The importance of being curious and asking families about their culture "
    "rather than assuming.",
    "How much recording ethnicity accurately matters for the child's plan.",
    "More confidence to challenge a comment in a team meeting.",
    "Space to reflect honestly without being judged.",
    "That listening to the child's voice includes their identity and heritage.",
    "Realising the impact of a comment matters more than the intent behind it.",
    "Practical ways to ask questions about faith and identity in a visit.",
)
DIFFERENTLY = (
    "Ask every family how they describe their ethnicity and record it properly.",
    "Pause before writing up risk and check my assumptions.",
    "Challenge comments I would once have let go.",
    "Bring race and identity into supervision discussions.",
    "Listen more and check what the family has told me is reflected in the plan.",
    "",
    "",
)
BETTER = (
    "More time for small-group discussion.",
    "The room was too small for the numbers.",
    "Would like case examples from our own service.",
    "",
    "",
    "",
)
CHILD_GAINED = (
    "Meeting other young people who understand what it is like.",
    "I felt proud of my culture and where my family is from.",
    "Being listened to by the adults about what happens in my placement.",
    "Learning about my heritage and having the confidence to talk about it.",
)
CHILD_DIFFERENTLY = (
    "Tell my social worker what matters to me about my culture.",
    "Speak up if someone says something racist at school.",
    "",
)


def _sessions_for(space: Space, spec, today: date, rng: random.Random, holidays):
    _, _, offset, start_time, minutes, venue, (low, high) = spec
    now = timezone.now()
    nominal = FIRST_SESSION + timedelta(days=offset)
    sessions, upcoming = [], 0
    while upcoming < UPCOMING:
        day = next_working_day(nominal, holidays)
        nominal += timedelta(weeks=CADENCE_WEEKS)
        starts = timezone.make_aware(datetime.combine(day, start_time))
        ends = starts + timedelta(minutes=minutes)
        session = LearningSession(
            space=space,
            starts_at=starts,
            ends_at=ends,
            venue=venue,
            online_link="" if venue else "https://meet.example.org/arp-gmn",
            topic=rng.choice(TOPICS),
            capacity=high + 5,
        )
        if ends < now:
            if rng.random() < 0.04:
                session.status = LearningSession.Status.CANCELLED
            else:
                session.status = LearningSession.Status.HELD
                session.attendance = rng.randint(low, high)
        elif starts < now:
            session.status = LearningSession.Status.PLANNED
        else:
            upcoming += 1
        sessions.append(session)
    return sessions


def _response(session, rng: random.Random, today: date) -> FeedbackResponse:
    child = session.space.audience == Space.Audience.PROUD_TO_BE_ME
    before = rng.choice((1, 2, 2, 3, 3, 3, 4))
    now = min(5, before + rng.choice((0, 0, 1, 1, 1, 2)))
    submitted = min(
        today,
        timezone.localtime(session.starts_at).date()
        + timedelta(days=rng.choice((0, 0, 0, 1, 2, 5, 9))),
    )
    response = FeedbackResponse(
        session=session,
        rating=rng.choice((3, 4, 4, 4, 5, 5, 5, 2)),
        confidence_before=before,
        confidence_now=now,
        gained_most=rng.choice(CHILD_GAINED if child else GAINED),
        do_differently=rng.choice(CHILD_DIFFERENTLY if child else DIFFERENTLY),
        could_be_better=rng.choice(BETTER),
        role=""
        if child
        else rng.choice(
            ("practitioner", "practitioner", "manager", "senior_leader", "")
        ),
        team=""
        if child or rng.random() < 0.6
        else rng.choice(("North", "South", "East", "West")),
        consent_to_quote=rng.random() < 0.35,
        submitted_on=submitted,
        form_token=uuid.UUID(int=rng.getrandbits(128), version=4),
    )
    # Half the consented answers already reviewed, so the Board's demo has
    # quotes; the rest wait in "Quotes to review". (Decided from the token,
    # not ``rng``, so the rest of the demo data stays as it was.)
    if response.consent_to_quote and response.form_token.int % 2:
        response.quote_status = FeedbackResponse.QuoteStatus.APPROVED
        response.quote_text = redaction.redact(response.gained_most)
    return response


def seed_demo(*, stdout) -> None:
    rng = random.Random(20230417)
    today = timezone.localdate()
    themes_seed()
    holidays = england_bank_holidays(range(FIRST_SESSION.year, today.year + 2))
    facilitators = list(
        get_user_model().objects.filter(username__in=["steering", "admin"])
    )
    new_sessions = []
    for spec in SPACES:
        name, audience, _, start_time, minutes, venue, _ = spec
        if Space.objects.filter(name=name).exists():
            continue
        space = Space.objects.create(
            name=name,
            audience=audience,
            default_venue=venue,
            default_online_link="" if venue else "https://meet.example.org/arp-gmn",
            default_start_time=start_time,
            default_duration_minutes=minutes,
        )
        space.facilitators.set(facilitators)
        new_sessions += _sessions_for(space, spec, today, rng, holidays)
    if not new_sessions:
        stdout.write("Learning spaces: demo data already present.")
        return
    LearningSession.objects.bulk_create(new_sessions)

    responses = []
    for session in new_sessions:
        if session.starts_at > timezone.now() or session.status == "cancelled":
            continue
        people = session.attendance or 12
        count = rng.randint(max(1, people // 6), max(2, people // 3))
        responses += [_response(session, rng, today) for _ in range(count)]
    FeedbackResponse.objects.bulk_create(responses, batch_size=500)

    theme_keywords = [
        (t.pk, t.keyword_list()) for t in Theme.objects.filter(active=True)
    ]
    themed, suggested = [], []
    Themed = FeedbackResponse.themes.through
    Suggested = FeedbackResponse.suggested_themes.through
    for r in responses:
        text = f"{r.gained_most}\n{r.do_differently}"
        for theme_id in matching_theme_ids(text, theme_keywords):
            themed.append(Themed(feedbackresponse_id=r.pk, theme_id=theme_id))
            suggested.append(Suggested(feedbackresponse_id=r.pk, theme_id=theme_id))
    Themed.objects.bulk_create(themed, batch_size=1000)
    Suggested.objects.bulk_create(suggested, batch_size=1000)
    readings = _feed_confidence_indicator(today)
    stdout.write(
        f"Learning spaces: {len(new_sessions)} sessions, {len(responses)} responses, "
        f"{readings} quarterly confidence readings for aspiration 3."
    )


def _feed_confidence_indicator(today) -> int:
    """Run the quarterly feed for every complete quarter of the demo history."""
    readings = 0
    _, quarter_end = last_complete_quarter(today)
    while quarter_end >= FIRST_SESSION:
        if confidence_indicator_record(quarter_end=quarter_end):
            readings += 1
        quarter_end = last_complete_quarter(quarter_end)[1]
    return readings
