from disproportionality.management.commands._summary import BatchImportCommand
from disproportionality.services import neighbours_import


class Command(BatchImportCommand):
    help = (
        "Import the DfE children's services statistical neighbours "
        "(SN_1 … SN_10 by old authority code)."
    )

    def run_import(self, data, file_name, **options):
        return neighbours_import(data=data, file_name=file_name)
