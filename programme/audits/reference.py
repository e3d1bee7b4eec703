"""The audit reference: a keyed hash of the case-system id.

HMAC-SHA256 (``django.utils.crypto.salted_hmac``) keyed by
``AUDIT_REFERENCE_KEY`` (falling back to ``SECRET_KEY``). The same case
always gives the same reference, so a re-audit links to the earlier ones; the
id cannot be worked back from the reference, and because the hash is keyed,
nobody holding only a copy of the database can try every possible case number
either. Rotating the key breaks the links to older audits, which is why it
has its own setting.
"""

import re

from django.conf import settings
from django.utils.crypto import salted_hmac

_SALT = "programme.audits.reference"
_SPACES = re.compile(r"\s+")
CASE_ID_PATTERN = re.compile(r"^[A-Z0-9/_-]{1,40}$")


def normalise_case_id(case_id: str) -> str:
    """Case ids are compared without spaces and case: " ab 123" is "AB123"."""
    return _SPACES.sub("", case_id or "").upper()


def audit_reference(case_id: str) -> str:
    normalised = normalise_case_id(case_id)
    if not CASE_ID_PATTERN.match(normalised):
        raise ValueError(
            "A case reference is 1 to 40 letters, digits, slashes, hyphens or "
            "underscores."
        )
    key = getattr(settings, "AUDIT_REFERENCE_KEY", "") or settings.SECRET_KEY
    return salted_hmac(_SALT, normalised, secret=key, algorithm="sha256").hexdigest()
