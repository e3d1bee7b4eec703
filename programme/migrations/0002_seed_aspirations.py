"""Create the programme's six aspirations so every installation has them."""

from django.db import migrations

from programme.aspirations import ASPIRATIONS


def create_aspirations(apps, schema_editor):
    Aspiration = apps.get_model("programme", "Aspiration")
    for number, (short_title, title) in ASPIRATIONS.items():
        Aspiration.objects.get_or_create(
            number=number, defaults={"short_title": short_title, "title": title}
        )


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(create_aspirations, migrations.RunPython.noop)]
