"""The workforce measures fed to programme indicators unless admins change them.

Constants frozen here: disciplinary → aspiration 4 (sharing experiences of
racism and seeking resolution), CPD → aspiration 2 (a skilled workforce).
"""

from django.db import migrations

LINKS = (("disciplinary", 4), ("cpd", 2))


def add_links(apps, schema_editor):
    IndicatorLink = apps.get_model("workforce", "IndicatorLink")
    for measure, aspiration in LINKS:
        IndicatorLink.objects.get_or_create(
            measure=measure, defaults={"aspiration_number": aspiration}
        )


def remove_links(apps, schema_editor):
    IndicatorLink = apps.get_model("workforce", "IndicatorLink")
    IndicatorLink.objects.filter(measure__in=[m for m, _a in LINKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_reports_and_figures")]
    operations = [migrations.RunPython(add_links, remove_links)]
