"""Remind leaders who have not answered this round (first and last month)."""

from django.core.management.base import BaseCommand

from learning_spaces.self_evaluation import services


class Command(BaseCommand):
    help = (
        "Email leaders who have not answered this round's self-evaluation; "
        "only in a round's first and last month, once each."
    )

    def handle(self, *args, **options):
        sent = services.self_evaluation_reminders_send()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder(s)."))
