from django.core.management.base import BaseCommand

from programme import services


class Command(BaseCommand):
    help = "Email Programme admins the achievements waiting to be published."

    def handle(self, *args, **options):
        sent = services.publication_queue_reminder_send()
        self.stdout.write(f"Sent {sent} publication queue email(s).")
