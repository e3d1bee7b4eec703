"""The programme's six aspirations, in the steering group's own words.

Seeded by migration and by ``seed_demo``; Programme admins may edit them in the
admin afterwards. ``indicator_ensure`` uses these texts when another app feeds an
indicator before anyone has seeded the aspirations.
"""

ASPIRATIONS: dict[int, tuple[str, str]] = {
    1: (
        "Over-representation",
        "Address over-representation of ethnically diverse children in Children "
        "in Need, Child Protection and Children in Care figures.",
    ),
    2: (
        "Skilled, confident workforce",
        "A skilled, confident workforce who understand the importance of race and "
        "culture and its impact on the life experiences of ethnically diverse "
        "children and families.",
    ),
    3: (
        "Challenging conversations",
        "A workforce engaging in challenging and uncomfortable conversations about "
        "racism and supported to do so.",
    ),
    4: (
        "Sharing experiences of racism",
        "Ethnically diverse staff openly and honestly share experiences of racism "
        "in the workplace and from service users and seek resolution.",
    ),
    5: (
        "Early help from first contact",
        "Ethnically diverse families guided towards early help services from "
        "first contact.",
    ),
    6: (
        "Ethnicity in assessments and plans",
        "Ethnicity, race and culture reflected in assessments, intervention and "
        "care planning.",
    ),
}
