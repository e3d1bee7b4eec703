"""Send the two-day reminders now (the same service Celery beat runs daily)."""

from django.core.management.base import BaseCommand

from learning_spaces import services


class Command(BaseCommand):
    help = "Email facilitators of sessions starting in the next two days (once each)."

    def handle(self, *args, **options):
        sent = services.session_reminders_send()
        self.stdout.write(f"Sent {sent} reminder(s).")
