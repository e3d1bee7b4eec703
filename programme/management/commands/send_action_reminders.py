from django.core.management.base import BaseCommand

from programme import services


class Command(BaseCommand):
    help = "Email each action owner their actions due within 14 days or overdue."

    def handle(self, *args, **options):
        sent = services.action_reminders_send()
        self.stdout.write(f"Sent {sent} action reminder email(s).")
