"""Write the quarterly "% reporting increased confidence" reading by hand."""

from arp.management.quarters import QuarterReadingCommand
from learning_spaces import services


class Command(QuarterReadingCommand):
    help = (
        "Record the % of learning-space respondents reporting increased "
        "confidence for a quarter (default: the last complete quarter) against "
        "aspiration 3."
    )

    def record(self, quarter_end):
        return services.confidence_indicator_record(quarter_end=quarter_end)

    def nothing_recorded(self) -> str:
        return (
            f"No session in the quarter had {services.MIN_GROUP_SIZE} or more responses"
        )
