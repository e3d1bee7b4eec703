from django.core.management.base import BaseCommand

from workforce import services


class Command(BaseCommand):
    help = (
        "Remove the free text of reports closed longer ago than the retention period."
    )

    def handle(self, *args, **options):
        purged = services.reports_purge()
        self.stdout.write(f"Removed the free text of {purged} closed report(s).")
