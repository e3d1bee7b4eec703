"""Random response references (no arrival order) and the quote review fields."""

import secrets

from django.db import migrations, models

import learning_spaces.models

# Frozen here: the migration must not change if the model's alphabet does.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def fill_references(apps, schema_editor):
    FeedbackResponse = apps.get_model("learning_spaces", "FeedbackResponse")
    used = set()
    for response in FeedbackResponse.objects.only("pk").iterator():
        reference = ""
        while not reference or reference in used:
            reference = "".join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(reference)
        FeedbackResponse.objects.filter(pk=response.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [
        ("learning_spaces", "0005_proud_to_be_me_children_form"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedbackresponse",
            name="reference",
            field=models.CharField(max_length=12, null=True, editable=False),
        ),
        migrations.RunPython(fill_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="feedbackresponse",
            name="reference",
            field=models.CharField(
                default=learning_spaces.models.new_response_reference,
                editable=False,
                max_length=12,
                unique=True,
            ),
        ),
        migrations.AlterModelOptions(
            name="feedbackresponse",
            options={"ordering": ["-submitted_on", "reference"]},
        ),
        migrations.AddField(
            model_name="feedbackresponse",
            name="quote_status",
            field=models.CharField(
                choices=[
                    ("pending", "Awaiting review"),
                    ("approved", "Approved (redacted)"),
                    ("rejected", "Rejected"),
                    ("expired", "Not reviewed before the original was deleted"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="feedbackresponse",
            name="quote_text",
            field=models.TextField(blank=True, verbose_name="redacted quote"),
        ),
        migrations.AddField(
            model_name="feedbackresponse",
            name="quote_reviewed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="feedbackresponse",
            name="text_purged_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
    ]
