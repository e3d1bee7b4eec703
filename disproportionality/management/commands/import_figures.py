from django.core.management.base import CommandError

from disproportionality.management.commands._summary import BatchImportCommand
from disproportionality.models import Stage
from disproportionality.services import figures_import


class Command(BatchImportCommand):
    help = (
        "Import figures by ethnicity: the local template (CSV/XLSX), a DfE "
        "explore-education-statistics tidy CSV (national, regional or authority), "
        "or a DfE wide authority file (e.g. the 2016 and 2019 LA tables)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--stage",
            choices=Stage.values,
            help="when the file does not say; CLA_START for a starters' file",
        )
        parser.add_argument(
            "--period",
            help="the year of a wide file (default: the latest year in its column "
            "names), or the one year to take from a tidy file",
        )
        parser.add_argument(
            "--cohort",
            choices=("all", "uasc"),
            default="all",
            help="uasc: a file of unaccompanied asylum-seeking children looked after "
            "(e.g. DfE's UASC by characteristics), kept apart from all children",
        )

    def run_import(
        self, data, file_name, *, stage=None, period=None, cohort="all", **options
    ):
        if cohort == "uasc" and stage not in (None, "CLA"):
            raise CommandError(
                "--cohort uasc is for children looked after (--stage CLA)"
            )
        return figures_import(
            data=data,
            file_name=file_name,
            stage=stage,
            period=period,
            cohort=cohort,
        )
