"""The DfE's ethnicity codes, their major groups and the labels outside files use.

Plain data, no Django: the models' data migration, the importers and the pure
metrics all read from here so the wording lives in one place.

Sources: DfE, "Children looked after in England including adoptions" and
"Characteristics of children in need" (ethnicity breakdowns, 20 child-level
codes); ONS, Census 2021 "Ethnic group (20 categories)" (TS021).
"""

import re

# major code, DfE wording, display order
MAJOR_GROUPS: tuple[tuple[str, str], ...] = (
    ("WHITE", "White"),
    ("MIXED", "Mixed or Multiple ethnic groups"),
    ("ASIAN", "Asian or Asian British"),
    ("BLACK", "Black, African, Caribbean or Black British"),
    ("OTHER", "Other ethnic group"),
    ("UNKNOWN", "Refused or information not yet obtained"),
)
MAJOR_LABELS = dict(MAJOR_GROUPS)
UNKNOWN_MAJOR = "UNKNOWN"

# code, DfE wording, major group — in DfE publication order
ETHNIC_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("WBRI", "White British", "WHITE"),
    ("WIRI", "White Irish", "WHITE"),
    ("WIRT", "Traveller of Irish heritage", "WHITE"),
    ("WROM", "Gypsy/Roma", "WHITE"),
    ("WOTH", "Any other White background", "WHITE"),
    ("MWBC", "White and Black Caribbean", "MIXED"),
    ("MWBA", "White and Black African", "MIXED"),
    ("MWAS", "White and Asian", "MIXED"),
    ("MOTH", "Any other Mixed background", "MIXED"),
    ("AIND", "Indian", "ASIAN"),
    ("APKN", "Pakistani", "ASIAN"),
    ("ABAN", "Bangladeshi", "ASIAN"),
    ("CHNE", "Chinese", "ASIAN"),
    ("AOTH", "Any other Asian background", "ASIAN"),
    ("BCRB", "Caribbean", "BLACK"),
    ("BAFR", "African", "BLACK"),
    ("BOTH", "Any other Black background", "BLACK"),
    ("OOTH", "Any other ethnic group", "OTHER"),
    ("REFU", "Refused", "UNKNOWN"),
    ("NOBT", "Information not yet obtained", "UNKNOWN"),
)
CODES = tuple(code for code, _label, _major in ETHNIC_GROUPS)
CODE_LABELS = {code: label for code, label, _major in ETHNIC_GROUPS}
CODE_MAJOR = {code: major for code, _label, major in ETHNIC_GROUPS}
UNKNOWN_CODES = frozenset(c for c, m in CODE_MAJOR.items() if m == UNKNOWN_MAJOR)

# Minor level: DfE's "Traveller of Irish heritage" and "Gypsy/Roma" do not line
# up with ONS's "Gypsy or Irish Traveller" and "Roma", so they are compared only
# as one combined group.
GRT_CODE = "GRT"
GRT_LABEL = "Gypsy, Roma and Irish Traveller"
MINOR_COMBINED = {"WIRT": GRT_CODE, "WROM": GRT_CODE}


def minor_code(code: str) -> str:
    """The minor-level comparison group of a DfE code (WIRT/WROM → GRT)."""
    return MINOR_COMBINED.get(code, code)


def level_groups(level: str) -> list[tuple[str, str, str]]:
    """(group code, label, major code) in display order for "major" or "minor"."""
    if level == "major":
        return [(code, label, code) for code, label in MAJOR_GROUPS]
    groups: list[tuple[str, str, str]] = []
    for code, label, major in ETHNIC_GROUPS:
        target = minor_code(code)
        if target == GRT_CODE:
            if not any(g[0] == GRT_CODE for g in groups):
                groups.append((GRT_CODE, GRT_LABEL, major))
            continue
        groups.append((code, label, major))
    return groups


def group_of(code: str, level: str) -> str:
    """The level's group code a DfE code belongs to."""
    return CODE_MAJOR[code] if level == "major" else minor_code(code)


# Labels in published files. DfE labels carry a numbering prefix ("1a. ").
DFE_LABELS: dict[str, str] = {
    "1a. White British": "WBRI",
    "1b. White Irish": "WIRI",
    "1c. Traveller of Irish Heritage": "WIRT",
    "1d. Gypsy Roma": "WROM",
    "1d. Gypsy/Roma": "WROM",
    "1e. Any other White background": "WOTH",
    "2a. White and Black Caribbean": "MWBC",
    "2b. White and Black African": "MWBA",
    "2c. White and Asian": "MWAS",
    "2d. Any other Mixed background": "MOTH",
    "3a. Indian": "AIND",
    "3b. Pakistani": "APKN",
    "3c. Bangladeshi": "ABAN",
    "3d. Chinese": "CHNE",
    "3e. Any other Asian background": "AOTH",
    "4a. Caribbean": "BCRB",
    "4b. African": "BAFR",
    "4c. Any other Black background": "BOTH",
    "5a. Any other ethnic group": "OOTH",
    "6a. Refused": "REFU",
    "6b. Information not yet obtained": "NOBT",
    # the same without numbering, as in some tables and older releases
    **{label: code for code, label, _major in ETHNIC_GROUPS},
    "Traveller of Irish Heritage": "WIRT",
    "Gypsy Roma": "WROM",
    "Information not yet available": "NOBT",
}

ONS_LABELS: dict[str, str] = {
    "White: English, Welsh, Scottish, Northern Irish or British": "WBRI",
    "White: Irish": "WIRI",
    "White: Gypsy or Irish Traveller": "WIRT",
    "White: Roma": "WROM",
    "White: Other White": "WOTH",
    "Mixed or Multiple ethnic groups: White and Black Caribbean": "MWBC",
    "Mixed or Multiple ethnic groups: White and Black African": "MWBA",
    "Mixed or Multiple ethnic groups: White and Asian": "MWAS",
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups": "MOTH",
    "Asian, Asian British or Asian Welsh: Indian": "AIND",
    "Asian, Asian British or Asian Welsh: Pakistani": "APKN",
    "Asian, Asian British or Asian Welsh: Bangladeshi": "ABAN",
    "Asian, Asian British or Asian Welsh: Chinese": "CHNE",
    "Asian, Asian British or Asian Welsh: Other Asian": "AOTH",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean": "BCRB",
    "Black, Black British, Black Welsh, Caribbean or African: African": "BAFR",
    "Black, Black British, Black Welsh, Caribbean or African: Other Black": "BOTH",
    # ONS "Arab" belongs to the DfE's "Any other ethnic group".
    "Other ethnic group: Arab": "OOTH",
    "Other ethnic group: Any other ethnic group": "OOTH",
}

# Examples of a case-management system's (Mosaic) ethnicity picklist.
MOSAIC_LABELS: dict[str, str] = {
    "White - British": "WBRI",
    "White - Irish": "WIRI",
    "White - Traveller of Irish Heritage": "WIRT",
    "White - Gypsy/Roma": "WROM",
    "White - Any other White background": "WOTH",
    "Mixed - White and Black Caribbean": "MWBC",
    "Mixed - White and Black African": "MWBA",
    "Mixed - White and Asian": "MWAS",
    "Mixed - Any other mixed background": "MOTH",
    "Asian or Asian British - Indian": "AIND",
    "Asian or Asian British - Pakistani": "APKN",
    "Asian or Asian British - Bangladeshi": "ABAN",
    "Asian or Asian British - Any other Asian background": "AOTH",
    "Chinese": "CHNE",
    "Black or Black British - Caribbean": "BCRB",
    "Black or Black British - African": "BAFR",
    "Black or Black British - Any other Black background": "BOTH",
    "Any other ethnic group": "OOTH",
    "Declined/Refused": "REFU",
    "Not yet obtained": "NOBT",
    "Not stated": "NOBT",
}

_PREFIX = re.compile(r"^\s*\d+[a-z]?\.\s*", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def normalise_label(label: str) -> str:
    """Case, spacing and curly quotes do not matter when matching labels."""
    label = label.replace("\u2019", "'").replace("\u00a0", " ")
    return _SPACE.sub(" ", label).strip().casefold()


def strip_numbering(label: str) -> str:
    return _PREFIX.sub("", label)


# DfE "Total …" rows: "1. Total White" … "6. Total refused …", "Total children".
_DFE_TOTAL = re.compile(r"^\s*(\d)\.\s*total\b", re.IGNORECASE)
DFE_TOTAL_DIGITS = {"1": "WHITE", "2": "MIXED", "3": "ASIAN", "4": "BLACK"}
DFE_TOTAL_DIGITS.update({"5": "OTHER", "6": "UNKNOWN"})
ALL_CHILDREN = "ALL"


def dfe_total_of(label: str) -> str | None:
    """The major code a DfE total row sums (ALL for "Total children"), else None."""
    if normalise_label(label) in {"total children", "total", "all children"}:
        return ALL_CHILDREN
    match = _DFE_TOTAL.match(label)
    if match:
        return DFE_TOTAL_DIGITS.get(match.group(1))
    return None


# Major groups as files name them when they give only the group's total: the
# local template's short words, DfE's wording, and the older wide files' columns.
MAJOR_WORDS: dict[str, str] = {
    "white": "WHITE",
    "mixed": "MIXED",
    "mixed or multiple ethnic groups": "MIXED",
    "asian": "ASIAN",
    "asian or asian british": "ASIAN",
    "black": "BLACK",
    "black, african, caribbean or black british": "BLACK",
    "black or black british": "BLACK",
    "other": "OTHER",
    "other ethnic group": "OTHER",
    "other ethnic groups": "OTHER",
    "unknown": "UNKNOWN",
    "refused or information not yet obtained": "UNKNOWN",
    "refused or information not yet available": "UNKNOWN",
    **{code.casefold(): code for code in MAJOR_LABELS},
}


def major_of_label(label: str) -> str | None:
    """The major code a label names as a whole group ("White", "ASIAN"), else None."""
    return MAJOR_WORDS.get(normalise_label(strip_numbering(label)))


def is_major(code: str) -> bool:
    """A major code (WHITE … UNKNOWN) rather than one of the 20 DfE codes."""
    return code in MAJOR_LABELS


def major_members(major: str) -> tuple[str, ...]:
    return tuple(c for c in CODES if CODE_MAJOR[c] == major)
