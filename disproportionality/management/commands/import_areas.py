from disproportionality.management.commands._summary import BatchImportCommand
from disproportionality.services import areas_import


class Command(BatchImportCommand):
    help = (
        "Learn the area hierarchy (authority → region → England, old codes) from "
        "a tidy DfE or ONS file such as the ONS mid-year 0–17 estimates."
    )

    def run_import(self, data, file_name, **options):
        return areas_import(data=data, file_name=file_name)
