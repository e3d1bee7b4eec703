"""Logs that cannot re-link an anonymous answer to the phone that sent it.

Five phones answering a second apart were matched to their answers by the
access log's client address, time and browser string. So, for every request
(not only feedback, which a log line's path would give away anyway):

* ``AnonymousAccessLogger`` (gunicorn's ``logger_class``, set in
  ``gunicorn.conf.py``) blanks the client address, user agent, referrer,
  request headers and time of day, and hides the token in a feedback path;
* ``DropFeedbackRequests`` (a Django logging filter) drops ``django.request``
  records about feedback paths (a 410 or 429 logs a warning with the path).
"""

import logging
import re

from gunicorn.glogging import Logger

FEEDBACK_PATH = re.compile(r"(/learning-spaces/feedback/)[^/?\s]+")
BLANKED_ATOMS = ("h", "a", "f", "t", "u")


def hide_feedback_token(text: str) -> str:
    return FEEDBACK_PATH.sub(r"\1-", text)


class AnonymousAccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in BLANKED_ATOMS:
            atoms[key] = "-"
        for key in [k for k in atoms if k.startswith("{")]:
            atoms[key] = "-"  # request/response headers and environ variables
        atoms["r"] = hide_feedback_token(atoms["r"])
        atoms["U"] = hide_feedback_token(atoms["U"] or "")
        atoms["q"] = "-"
        return atoms


class DropFeedbackRequests(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", "") if request is not None else ""
        if path.startswith("/learning-spaces/feedback/"):
            return False
        return not FEEDBACK_PATH.search(str(record.getMessage()))
