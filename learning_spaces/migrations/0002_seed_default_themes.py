"""Seed the theme taxonomy drawn from practitioners' answers.

Frozen as it stood when this migration was written; ``learning_spaces.taxonomy``
may change later without changing what this migration creates.
"""

from django.db import migrations

DEFAULT_THEMES = (
    (
        "Assessments and risk analysis",
        "Thinking about race and ethnicity when assessing and analysing risk.",
        ("assessment", "assessing", "analysing risk", "analysis", "risk"),
    ),
    (
        "White privilege",
        "Understanding and awareness of white privilege.",
        ("white privilege", "privilege", "whiteness"),
    ),
    (
        "Power dynamics",
        "Power between professionals, families and children.",
        ("power", "hierarchy", "authority"),
    ),
    (
        "Listening to lived experience",
        "Hearing and acting on the lived experience of children, families and "
        "colleagues.",
        ("lived experience", "listening", "listen", "hearing", "voice", "stories"),
    ),
    (
        "Asking questions and curiosity",
        "Being curious and asking families about identity, culture and faith.",
        ("curious", "curiosity", "ask", "asking", "question"),
    ),
    (
        "Recording ethnicity and culture",
        "Recording ethnicity, culture, faith and language accurately.",
        ("recording", "record", "ethnicity", "culture", "cultural", "heritage"),
    ),
    (
        "Intent and impact of comments",
        "Pausing to consider the intent and impact of a comment or judgement.",
        ("intent", "impact", "comment", "judgement", "microaggression"),
    ),
    (
        "Confidence",
        "Confidence to talk about race and racism and to challenge.",
        ("confidence", "confident", "courage", "challenge", "speak up"),
    ),
)


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("learning_spaces", "Theme")
    for name, description, keywords in DEFAULT_THEMES:
        Theme.objects.get_or_create(
            name=name,
            defaults={"description": description, "keywords": "\n".join(keywords)},
        )


class Migration(migrations.Migration):
    dependencies = [("learning_spaces", "0001_spaces_sessions_feedback")]

    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
