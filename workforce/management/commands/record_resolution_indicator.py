from django.core.management.base import BaseCommand

from workforce import services


class Command(BaseCommand):
    help = 'Record "% of reported experiences of racism with an agreed resolution".'

    def handle(self, *args, **options):
        reading = services.resolution_indicator_record()
        if reading is None:
            self.stdout.write("Fewer than 5 closed reports: no reading recorded.")
        else:
            self.stdout.write(f"Recorded {reading.value}% on {reading.taken_on}.")
