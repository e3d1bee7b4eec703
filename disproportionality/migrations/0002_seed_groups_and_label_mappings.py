"""The DfE's 20 ethnicity codes and the labels DfE, ONS and Mosaic files use."""

from django.db import migrations

# Frozen copies, so later edits to taxonomy.py do not rewrite history.
GROUPS = [
    ("WBRI", "White British", "WHITE"),
    ("WIRI", "White Irish", "WHITE"),
    ("WIRT", "Traveller of Irish heritage", "WHITE"),
    ("WROM", "Gypsy/Roma", "WHITE"),
    ("WOTH", "Any other White background", "WHITE"),
    ("MWBC", "White and Black Caribbean", "MIXED"),
    ("MWBA", "White and Black African", "MIXED"),
    ("MWAS", "White and Asian", "MIXED"),
    ("MOTH", "Any other Mixed background", "MIXED"),
    ("AIND", "Indian", "ASIAN"),
    ("APKN", "Pakistani", "ASIAN"),
    ("ABAN", "Bangladeshi", "ASIAN"),
    ("CHNE", "Chinese", "ASIAN"),
    ("AOTH", "Any other Asian background", "ASIAN"),
    ("BCRB", "Caribbean", "BLACK"),
    ("BAFR", "African", "BLACK"),
    ("BOTH", "Any other Black background", "BLACK"),
    ("OOTH", "Any other ethnic group", "OTHER"),
    ("REFU", "Refused", "UNKNOWN"),
    ("NOBT", "Information not yet obtained", "UNKNOWN"),
]


def seed(apps, schema_editor):
    from disproportionality import taxonomy

    EthnicGroup = apps.get_model("disproportionality", "EthnicGroup")
    LabelMapping = apps.get_model("disproportionality", "LabelMapping")
    for order, (code, label, major) in enumerate(GROUPS):
        EthnicGroup.objects.update_or_create(
            code=code, defaults={"label": label, "major_code": major, "order": order}
        )
    for source, labels in (
        ("dfe", taxonomy.DFE_LABELS),
        ("ons", taxonomy.ONS_LABELS),
        ("local", taxonomy.MOSAIC_LABELS),
    ):
        seen = set()
        for label, code in labels.items():
            normalised = taxonomy.normalise_label(label)
            if normalised in seen:
                continue
            seen.add(normalised)
            LabelMapping.objects.update_or_create(
                source=source,
                normalised=normalised,
                defaults={"label": label, "group_id": code},
            )


def unseed(apps, schema_editor):
    apps.get_model("disproportionality", "LabelMapping").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disproportionality", "0001_groups_areas_counts_populations")]

    operations = [migrations.RunPython(seed, unseed)]
