"""Seed the theme taxonomy drawn from practitioners' answers (see taxonomy.py)."""

from django.db import migrations


def seed_themes(apps, schema_editor):
    from learning_spaces.taxonomy import DEFAULT_THEMES

    Theme = apps.get_model("learning_spaces", "Theme")
    for name, description, keywords in DEFAULT_THEMES:
        Theme.objects.get_or_create(
            name=name,
            defaults={"description": description, "keywords": "\n".join(keywords)},
        )


class Migration(migrations.Migration):
    dependencies = [("learning_spaces", "0001_spaces_sessions_feedback")]

    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
