"""Create the programme's six aspirations so every installation has them.

The texts are frozen here, as they stood when this migration was written:
later edits to ``programme.aspirations`` must not change what it creates.
"""

from django.db import migrations

ASPIRATIONS = {
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
        "A workforce engaging in challenging and uncomfortable conversations "
        "about racism and supported to do so.",
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


def create_aspirations(apps, schema_editor):
    Aspiration = apps.get_model("programme", "Aspiration")
    for number, (short_title, title) in ASPIRATIONS.items():
        Aspiration.objects.get_or_create(
            number=number, defaults={"short_title": short_title, "title": title}
        )


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(create_aspirations, migrations.RunPython.noop)]
