"""The coded fields of a report and the SC-WRES measure and group codes.

Plain data, no Django: models, forms, the importer and the pure figures read
the wording from here. Measures follow the Social Care Workforce Race Equality
Standard (SC-WRES) and NHS WRES technical guidance; group wording follows
Ethnicity Facts and Figures (ONS 2021 major groups).
"""

from dataclasses import dataclass

# --- reports --------------------------------------------------------------------

INVOLVEMENT = (("experienced", "I experienced it"), ("witnessed", "I witnessed it"))
SOURCES = (
    ("colleague", "A colleague"),
    ("manager", "A manager"),
    ("child_family", "A child or family"),
    ("partner", "A partner agency"),
    ("other", "Other"),
)
SOURCE_LABELS = dict(SOURCES)

# --- workforce groups -----------------------------------------------------------

WHITE, WBRI, MINORITY = "WHITE", "WBRI", "MINORITY"
MINORITY_GROUPS = ("MIXED", "ASIAN", "BLACK", "OTHER")
GROUP_LABELS = {
    "WHITE": "White",
    "WBRI": "White British",
    "MIXED": "Mixed or Multiple ethnic groups",
    "ASIAN": "Asian or Asian British",
    "BLACK": "Black, African, Caribbean or Black British",
    "OTHER": "Other ethnic group",
    "UNKNOWN": "Not known",
    "REFUSED": "Prefer not to say",
    "MINORITY": "All ethnic minority groups (excluding White minorities)",
}
IMPORT_GROUPS = ("WHITE", "WBRI", *MINORITY_GROUPS, "UNKNOWN", "REFUSED")
DISPLAY_ORDER = ("WHITE", "WBRI", "MINORITY", *MINORITY_GROUPS, "UNKNOWN", "REFUSED")
KNOWN_MAJOR = ("WHITE", *MINORITY_GROUPS)

# --- measures -------------------------------------------------------------------

FAVOURABLE, ADVERSE, REPRESENTATION = "favourable", "adverse", "representation"


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    kind: str  # FAVOURABLE, ADVERSE or REPRESENTATION
    action: str  # completes "x% of White staff ..."
    who: str = "staff"  # "applicants", "survey respondents"
    base_from: str | None = None  # a blank base is taken from this measure


MEASURES: tuple[Measure, ...] = (
    Measure("inpost", "Staff in post", REPRESENTATION, "are in post"),
    Measure(
        "shortlisted",
        "Shortlisted from applications",
        FAVOURABLE,
        "were shortlisted",
        "applicants",
    ),
    Measure(
        "appointed",
        "Appointed from shortlisting",
        FAVOURABLE,
        "were appointed from shortlisting",
        "shortlisted applicants",
        base_from="shortlisted",
    ),
    Measure(
        "disciplinary",
        "Entered a formal disciplinary process",
        ADVERSE,
        "entered the formal disciplinary process",
        base_from="inpost",
    ),
    Measure(
        "fitness_to_practise",
        "Referred for fitness to practise",
        ADVERSE,
        "were referred for fitness to practise",
        base_from="inpost",
    ),
    Measure(
        "cpd",
        "Took part in non-mandatory training or CPD",
        FAVOURABLE,
        "took part in non-mandatory training or CPD",
        base_from="inpost",
    ),
    Measure("leavers", "Left the organisation", ADVERSE, "left", base_from="inpost"),
    Measure(
        "harassment_service_users",
        "Harassment or abuse from people using services",
        ADVERSE,
        "experienced harassment or abuse from people using services",
        "survey respondents",
    ),
    Measure(
        "harassment_colleagues",
        "Harassment or abuse from colleagues",
        ADVERSE,
        "experienced harassment or abuse from colleagues",
        "survey respondents",
    ),
    Measure(
        "senior_managers", "Senior managers", REPRESENTATION, "are senior managers"
    ),
)
MEASURE_BY_CODE = {m.code: m for m in MEASURES}
BAND_PREFIX = "inpost_band_"


def measure_for(code: str) -> Measure | None:
    """The measure for a code; ``inpost_band_<name>`` is in post in that band."""
    if code in MEASURE_BY_CODE:
        return MEASURE_BY_CODE[code]
    if code.startswith(BAND_PREFIX) and len(code) > len(BAND_PREFIX):
        band = code[len(BAND_PREFIX) :]
        if band.replace("_", "").isalnum():
            return Measure(
                code,
                f"In post, pay band {band.replace('_', ' ')}",
                REPRESENTATION,
                f"are in post in pay band {band.replace('_', ' ')}",
            )
    return None


def measure_sort_key(code: str) -> tuple[int, str]:
    order = [m.code for m in MEASURES]
    if code in order:
        return (order.index(code) if code == "inpost" else order.index(code) + 1, code)
    return (1, code)  # pay bands straight after "in post"


# "White applicants are 1.6 times as likely <this>" (SC-WRES wording)
LIKELY = {
    "shortlisted": "to be shortlisted from applications",
    "appointed": "to be appointed from shortlisting",
    "disciplinary": "to enter the formal disciplinary process",
    "fitness_to_practise": "to be referred for fitness to practise",
    "cpd": "to take part in non-mandatory training or CPD",
    "leavers": "to leave the organisation",
    "harassment_service_users": (
        "to experience harassment or abuse from people using services"
    ),
    "harassment_colleagues": "to experience harassment or abuse from colleagues",
}
