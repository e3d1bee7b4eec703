"""Demo content for the programme, drawn from its real story. Safe to run twice.

Everything is looked up by a natural key (number, key, title, name) first and
only created when missing, so a second run adds nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from arp import roles
from programme import services
from programme.models import (
    Achievement,
    Action,
    Aspiration,
    Indicator,
    IndicatorReading,
    LessonLearnt,
    Meeting,
    MeetingDecision,
    Testimonial,
    TrainingEvent,
    WorkforceHeadcount,
    Workstream,
)

WORKSTREAMS = (
    ("Workforce development", "Training, learning spaces and supervision."),
    ("Practice tools", "Tools and prompts that bring race and culture into practice."),
    ("Data and systems", "Recording ethnicity well and understanding the data."),
    ("Children's voice", "Spaces where ethnically diverse children are heard."),
    ("Staff networks", "Support for Global Majority staff."),
    ("Governance", "Board, strategy and partnerships."),
)

# key, aspiration, name, unit, higher is better, source,
# (baseline value, date), (target value, date), quarterly readings from Q1 2023.
# Aspiration 1's indicators are not made up here: the disproportionality app
# feeds them from the (demonstration) figures it holds.
INDICATORS = (
    (
        "workforce-trained-percent", 2,
        "% of workforce trained in anti-racist practice", "percent", True,
        "Training events register and workforce headcount",
        ("0", date(2023, 1, 1)), ("90", date(2026, 12, 31)),
        ["6", "12", "19", "25", "31", "38", "44", "50", "55", "61", "66", "70",
         "74", "77", "80"],
    ),
    (
        "managers-confident-percent", 2,
        "% of managers confident discussing race in supervision", "percent", True,
        "Annual workforce survey",
        ("38", date(2023, 3, 31)), ("80", date(2027, 3, 31)),
        ["38", "", "", "", "47", "", "", "", "55", "", "", "", "58", "", ""],
    ),
    (
        "learning-space-attendances", 3,
        "Learning space attendances per quarter", "count", True,
        "Learning space registers",
        ("0", date(2023, 3, 31)), ("120", date(2026, 12, 31)),
        ["0", "34", "41", "52", "60", "58", "71", "76", "80", "84", "90", "88",
         "95", "101", "104"],
    ),
    (
        "gmn-members", 4,
        "Global Majority Network members", "count", True,
        "Network membership list",
        ("25", date(2023, 3, 31)), ("150", date(2026, 12, 31)),
        ["25", "31", "40", "48", "57", "66", "74", "83", "92", "98", "105", "111",
         "118", "122", "126"],
    ),
    (
        "racism-concerns-resolved-percent", 4,
        "% of reported experiences of racism with an agreed resolution", "percent",
        True, "Staff network and HR casework log",
        ("40", date(2024, 3, 31)), ("85", date(2026, 12, 31)),
        ["", "", "", "", "40", "44", "47", "52", "55", "59", "63", "65", "68",
         "70", "72"],
    ),
    (
        "early-help-share-global-majority", 5,
        "% of early help referrals for ethnically diverse families", "percent", True,
        "Front door contacts (Mosaic)",
        ("18", date(2023, 3, 31)), ("27", date(2027, 3, 31)),
        ["18", "18", "19", "19", "20", "20", "21", "21", "22", "22", "22", "23",
         "23", "23", "24"],
    ),
    (
        "assessments-reflect-ethnicity-percent", 6,
        "% of audited assessments reflecting ethnicity, race and culture",
        "percent", True, "Quarterly practice audit",
        ("45", date(2023, 3, 31)), ("90", date(2026, 12, 31)),
        ["45", "48", "52", "55", "60", "63", "67", "70", "72", "74", "77", "79",
         "80", "82", "83"],
    ),
)  # fmt: skip

# title, summary, date, reach, aspirations, workstream, status
ACHIEVEMENTS = (
    (
        "Directors trained in anti-racist practice",
        "Directors across children's and adults' social care and education "
        "completed anti-racist practice training together, setting the tone from "
        "the top.",
        date(2023, 3, 15), "countywide", [2], "Workforce development", "published",
    ),
    (
        "Learning spaces every 6 weeks since spring 2023",
        "Reflective learning spaces on race and racism have run every six weeks "
        "since spring 2023, open to every practitioner.",
        date(2023, 4, 20), "countywide", [2, 3], "Workforce development",
        "published",
    ),
    (
        "Mosaic ethnicity labels amended",
        "Ethnicity labels in Mosaic now follow the ONS categories, so children's "
        "ethnicity is recorded in the words families use.",
        date(2023, 9, 12), "countywide", [1, 6], "Data and systems", "published",
    ),
    (
        "Race, Ethnicity, Culture and Religion thinking tool",
        "A thinking tool that helps practitioners explore race, ethnicity, culture "
        "and religion with families in assessments.",
        date(2024, 1, 18), "countywide", [6], "Practice tools", "published",
    ),
    (
        "Culture and Ethnicity prompt sheet",
        "A one-page prompt sheet for front door and early help workers to ask "
        "about culture and ethnicity from first contact.",
        date(2024, 3, 5), "local", [5, 6], "Practice tools", "published",
    ),
    (
        "Global Majority Network spaces with director drop-ins",
        "Regular Global Majority Network spaces, with directors dropping in to "
        "listen to staff's experiences of racism and act on them.",
        date(2024, 5, 22), "countywide", [4], "Staff networks", "published",
    ),
    (
        "“Proud to be Me” space for ethnically diverse children in care",
        "A space where ethnically diverse children in care meet, celebrate their "
        "identities and tell us what matters to them.",
        date(2024, 7, 10), "local", [1, 6], "Children's voice", "published",
    ),
    (
        "Black History Month events in all quadrants",
        "Events in every quadrant for Black History Month, led by staff and "
        "young people.",
        date(2024, 10, 31), "countywide", [3, 4], "Staff networks", "published",
    ),
    (
        "Regional anti-racist strategy adopted",
        "The regional children's services partnership adopted an anti-racist "
        "strategy built on our programme's aspirations.",
        date(2024, 11, 20), "regional", [2, 3], "Governance", "published",
    ),
    (
        "Contribution to a national anti-racist practice panel",
        "Our principal social worker shared the programme's learning on a "
        "national anti-racist practice panel.",
        date(2025, 2, 12), "national", [2], "Governance", "published",
    ),
    (
        "Disproportionality thematic audit",
        "A thematic audit of Child Protection plans for ethnically diverse "
        "children, with findings taken to the board.",
        date(2025, 4, 8), "countywide", [1, 6], "Data and systems", "published",
    ),
    (
        "Race and identity in supervision policy",
        "The supervision policy now asks supervisors to discuss race and identity "
        "in every case discussion.",
        date(2025, 6, 30), "countywide", [3, 6], "Practice tools", "published",
    ),
    (
        "Regional learning network presentation",
        "We presented our learning spaces model to the regional learning network.",
        date(2025, 11, 5), "regional", [2, 3], "Workforce development",
        "published",
    ),
    (
        "“Proud to be Me” summer celebration",
        "Children in care from the “Proud to be Me” space planned and led a "
        "summer celebration of their heritage for carers and social workers.",
        date(2026, 7, 25), "local", [1, 6], "Children's voice", "published",
    ),
    (
        "Regional practice week workshop on adultification",
        "Our practice leads ran a regional workshop on the adultification of "
        "Black children and how it shapes risk assessments.",
        date(2026, 8, 20), "regional", [2, 6], "Workforce development",
        "published",
    ),
    (
        "Learning spaces model shared nationally",
        "The programme's learning spaces model was presented to a national "
        "network of directors of children's services as an example of practice.",
        date(2026, 9, 18), "national", [2, 3], "Governance", "published",
    ),
    (
        "Black History Month 2026 in all quadrants",
        "Every quadrant held Black History Month events in October 2026, "
        "co-produced with the Global Majority Network and young people.",
        date(2026, 10, 30), "countywide", [3, 4], "Staff networks", "published",
    ),
    (
        "Early help front door ethnicity prompts",
        "Front door screening now prompts workers to consider whether early help "
        "has been offered to ethnically diverse families.",
        date(2026, 6, 15), "local", [5], "Data and systems", "submitted",
    ),
    (
        "Foster carer anti-racist practice sessions",
        "Pilot sessions for foster carers on caring for ethnically diverse "
        "children.",
        date(2026, 10, 2), "local", [2, 6], "Workforce development", "draft",
    ),
)  # fmt: skip

# title, aspiration, owner, due in days from today, statuses to pass through
ACTIONS = (
    ("Refresh the anti-racist practice training offer", 2, "steering", 60, []),
    ("Publish learning space themes to the workforce", 3, "steering", 10,
     [("on_track", "Themes drafted with the network", "")]),
    ("Agree the early help pathway for first contacts", 5, "admin", -12,
     [("on_track", "Pathway workshop held", ""),
      ("at_risk", "Waiting for front door capacity", "")]),
    ("Repeat the disproportionality audit", 1, "admin", 30,
     [("on_track", "Audit scheduled", ""),
      ("off_track", "Auditors moved to inspection preparation",
       "Borrow two auditors from quality assurance in January")]),
    ("Embed the thinking tool in assessment templates", 6, "steering", -40,
     [("on_track", "Template change requested", ""),
      ("complete", "Template live in Mosaic", "")]),
    ("Set up a resolution route for racism reported by staff", 4, "steering", -5,
     [("on_track", "HR and network agreed a draft route", "")]),
)  # fmt: skip


def _user(username: str, group: str):
    """The demo user (seed_demo makes them first); created if run on its own."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username)
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def _quarter_ends(count: int) -> list[date]:
    ends = []
    year, quarter = 2023, 1
    for _ in range(count):
        month = quarter * 3
        next_first = date(year + (month == 12), month % 12 + 1, 1)
        ends.append(next_first - timedelta(days=1))
        quarter += 1
        if quarter == 5:
            year, quarter = year + 1, 1
    return ends


def seed_demo(*, stdout) -> None:
    admin = _user("admin", roles.PROGRAMME_ADMINS)
    steering = _user("steering", roles.STEERING_GROUP)
    services.aspirations_ensure()
    workstreams = {}
    for name, description in WORKSTREAMS:
        workstreams[name], _ = Workstream.objects.get_or_create(
            name=name, defaults={"description": description, "lead": steering}
        )
    _seed_indicators(admin)
    new_achievements = _seed_achievements(admin, steering, workstreams)
    actions = _seed_actions(admin, steering)
    _seed_governance(admin, actions)
    stdout.write(
        f"Programme: {Aspiration.objects.count()} aspirations, "
        f"{Indicator.objects.count()} indicators, "
        f"{Achievement.objects.count()} achievements ({new_achievements} new), "
        f"{Action.objects.count()} actions."
    )


def _seed_indicators(admin) -> None:
    today = timezone.localdate()
    for key, number, name, unit, higher, source, base, target, values in INDICATORS:
        indicator = services.indicator_ensure(
            key=key,
            aspiration_number=number,
            name=name,
            unit=unit,
            higher_is_better=higher,
            data_source=source,
            target_value=Decimal(target[0]),
            target_date=target[1],
        )
        if indicator.baseline_value is None:
            indicator.baseline_value = Decimal(base[0])
            indicator.baseline_date = base[1]
            indicator.save()
        if IndicatorReading.objects.filter(indicator=indicator).exists():
            continue
        for taken_on, value in zip(_quarter_ends(len(values)), values, strict=True):
            if value and taken_on <= today:
                services.indicator_record_reading(
                    indicator=indicator,
                    value=Decimal(value),
                    taken_on=taken_on,
                    entered_by=admin,
                )


def _seed_achievements(admin, steering, workstreams) -> int:
    created = 0
    for title, summary, on, reach, numbers, stream, status in ACHIEVEMENTS:
        if Achievement.objects.filter(title=title).exists():
            continue
        achievement = services.achievement_create(
            user=steering,
            aspirations=list(Aspiration.objects.filter(number__in=numbers)),
            submit=status != "draft",
            title=title,
            summary=summary,
            achieved_on=on,
            reach=reach,
            workstream=workstreams[stream],
        )
        if status == "published":
            services.achievement_publish(achievement=achievement, user=admin)
        created += 1
    return created


def _seed_actions(admin, steering) -> list[Action]:
    today = timezone.localdate()
    owners = {"admin": admin, "steering": steering}
    actions = []
    for title, number, owner, due_in, steps in ACTIONS:
        action = Action.objects.filter(title=title).first()
        if action is None:
            action = services.action_create(
                user=admin,
                title=title,
                aspiration=Aspiration.objects.get(number=number),
                owner=owners[owner],
                due_on=today + timedelta(days=due_in),
                next_review_on=today + timedelta(days=min(due_in, 28) + 14),
            )
            for to_status, reason, corrective in steps:
                services.action_change_status(
                    action=action,
                    user=owners[owner],
                    to_status=to_status,
                    reason=reason,
                    corrective_action=corrective,
                )
        actions.append(action)
    return actions


def _seed_governance(admin, actions) -> None:
    meeting, created = Meeting.objects.get_or_create(
        kind=Meeting.Kind.BOARD,
        held_on=date(2026, 9, 17),
        defaults={
            "title": "Quarterly governance board",
            "attendees": "Director of Children's Services (chair); Principal Social "
            "Worker; Heads of Service for each quadrant; Global Majority Network "
            "co-chairs; Head of Early Help",
            "created_by": admin,
        },
    )
    if created:
        meeting.actions.set(actions[2:])
        for text, owner, raised in (
            ("Agreed to repeat the disproportionality audit in 2027.", admin,
             [a for a in actions if "audit" in a.title.lower()]),
            ("Agreed a resolution route for racism reported by staff.", admin,
             [a for a in actions if "racism" in a.title.lower()]),
            ("Asked for quarterly early help figures by ethnicity.", None, []),
        ):  # fmt: skip
            decision = MeetingDecision.objects.create(
                meeting=meeting, text=text, owner=owner, created_by=admin
            )
            decision.actions.set(raised)
    # the next board meeting, which the demo pack is for
    Meeting.objects.get_or_create(
        kind=Meeting.Kind.BOARD,
        title="Quarterly governance board (next)",
        defaults={
            "held_on": timezone.localdate() + timedelta(days=14),
            "created_by": admin,
        },
    )
    lessons = (
        ("went_well", "organisational_buy_in", "Directors went first",
         "Training directors before the workforce showed the programme mattered "
         "and unlocked time for staff to attend."),
        ("could_be_better", "emotional_cost", "Support for Global Majority staff",
         "Sharing experiences of racism took an emotional toll; we should have "
         "offered supervision and wellbeing support from the start."),
        ("could_be_better", "governance_route", "A clear route to the board",
         "Early on it was unclear which board owned the programme, which slowed "
         "decisions."),
        ("went_well", "benefits_realisation", "Data changes stuck",
         "Changing Mosaic's ethnicity labels made a lasting difference to the "
         "quality of the data."),
        ("could_be_better", "resourcing", "Protected time for leads",
         "Workstream leads did the work alongside full caseloads; protected time "
         "would have kept momentum."),
    )  # fmt: skip
    for kind, theme, title, description in lessons:
        LessonLearnt.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "theme": theme,
                "description": description,
                "recorded_on": date(2026, 7, 1),
                "created_by": admin,
            },
        )
    quotes = (
        ("ofsted", "ILACS inspection report",
         "Leaders have prioritised anti-racist practice, and social workers "
         "increasingly reflect children's identity in their work.",
         date(2025, 3, 14), True, True),
        ("external_evaluation", "Independent evaluation, year two",
         "Staff describe the learning spaces as the first place they felt able to "
         "talk about race at work.",
         date(2025, 9, 30), True, True),
        ("practitioner_feedback", "Learning space, October 2026",
         "I now ask every family how they describe their heritage.",
         date(2026, 10, 8), True, False),
    )  # fmt: skip
    for source, detail, quote, on, consent, published in quotes:
        if not Testimonial.objects.filter(quote=quote).exists():
            services.testimonial_create(
                quote=quote,
                source_type=source,
                source_detail=detail,
                quoted_on=on,
                consent_recorded=consent,
                published=published,
                created_by=admin,
            )
    for team, quadrant, headcount in (
        ("North quadrant social work", "North", 120),
        ("South quadrant social work", "South", 110),
        ("East quadrant social work", "East", 95),
        ("West quadrant social work", "West", 105),
        ("Early help", "Countywide", 140),
    ):
        WorkforceHeadcount.objects.get_or_create(
            team=team,
            as_of=date(2026, 4, 1),
            defaults={"quadrant": quadrant, "headcount": headcount},
        )
    for course, held_on, audience, attended in (
        ("Anti-racist practice for leaders", date(2023, 3, 15), "Directors", 24),
        ("Anti-racist practice foundations", date(2023, 10, 5), "Social workers", 140),
        ("Anti-racist practice foundations", date(2024, 6, 12), "Early help", 120),
        ("Using the RECR thinking tool", date(2025, 5, 20), "Social workers", 90),
    ):
        TrainingEvent.objects.get_or_create(
            course=course,
            held_on=held_on,
            defaults={"audience": audience, "attended": attended, "created_by": admin},
        )
