"""Write the quarterly aspiration 6 audit reading by hand (Celery beat does it too)."""

from arp.management.quarters import QuarterReadingCommand
from programme.audits import selectors, services


class Command(QuarterReadingCommand):
    help = (
        "Record the % of audited assessments reflecting ethnicity, race and "
        "culture for a quarter (default: the last complete quarter) against "
        "aspiration 6."
    )

    def record(self, quarter_end):
        return services.audit_indicator_record(quarter_end=quarter_end)

    def nothing_recorded(self) -> str:
        return (
            f"Fewer than {selectors.disclosure_min_count()} audits with an "
            "overall judgement in the quarter"
        )
