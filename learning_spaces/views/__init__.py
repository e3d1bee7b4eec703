"""Views for learning spaces, split by audience.

public: the anonymous feedback form. staff: spaces, sessions, responses.
insights: figures, charts and exports for staff and the board.
"""

from learning_spaces.views.insights import (
    insights,
    insights_export_csv,
    insights_export_xlsx,
)
from learning_spaces.views.public import feedback, feedback_thanks
from learning_spaces.views.review import response_review, review_queue
from learning_spaces.views.staff import (
    index,
    response_detail,
    response_promote,
    session_cancel,
    session_create,
    session_detail,
    session_edit,
    session_ics,
    session_mark_held,
    session_qr_png,
    session_qr_svg,
    session_responses_csv,
    session_responses_xlsx,
    space_create,
    space_detail,
    space_edit,
    space_list,
    space_schedule,
)

__all__ = [
    "feedback",
    "feedback_thanks",
    "index",
    "insights",
    "insights_export_csv",
    "insights_export_xlsx",
    "response_detail",
    "response_promote",
    "response_review",
    "review_queue",
    "session_cancel",
    "session_create",
    "session_detail",
    "session_edit",
    "session_ics",
    "session_mark_held",
    "session_qr_png",
    "session_qr_svg",
    "session_responses_csv",
    "session_responses_xlsx",
    "space_create",
    "space_detail",
    "space_edit",
    "space_list",
    "space_schedule",
]
