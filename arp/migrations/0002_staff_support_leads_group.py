from django.db import migrations

# Frozen here: the migration must not follow later renames in arp.roles.
GROUP = "Staff support leads"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("arp", "0001_create_role_groups")]
    operations = [migrations.RunPython(create_group, remove_group)]
