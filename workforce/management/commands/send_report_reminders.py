from django.core.management.base import BaseCommand

from workforce import services


class Command(BaseCommand):
    help = "Email leads about reports whose acknowledgement or next step is overdue."

    def handle(self, *args, **options):
        sent = services.report_reminders_send()
        self.stdout.write(f"Sent {sent} report reminder email(s).")
