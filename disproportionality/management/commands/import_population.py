from disproportionality.importers.child_population import AGE_BANDS
from disproportionality.management.commands._summary import BatchImportCommand
from disproportionality.services import population_import


class Command(BatchImportCommand):
    help = (
        "Import a population: an ONS Census 2021 ethnic group table (with or "
        "without an age column), the DfE school census (pupils by ethnicity) or "
        "the ONS mid-year estimates of children aged 0 to 17. The layout is "
        "detected."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--year", type=int, help="only where the file does not say (or to pick one)"
        )
        parser.add_argument(
            "--age-band",
            choices=AGE_BANDS,
            help="the ages of a file without an age column (0-17 or all)",
        )
        parser.add_argument("--source", help="e.g. Census 2021 (the default)")

    def run_import(
        self, data, file_name, *, year=None, age_band=None, source=None, **options
    ):
        return population_import(
            data=data,
            file_name=file_name,
            year=year,
            age_band=age_band or "",
            source=source or "",
        )
