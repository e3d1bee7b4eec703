"""Suggesting what to redact in a quote: names of people, families, places, teams.

A small rule set, not a language model: the named-entity libraries on PyPI
(spaCy, Presidio, flair) need model files fetched at run time, which the
council's servers cannot do, and a reviewer confirms every suggestion anyway.
The rules favour catching too much over too little — a reviewer can keep a
word that was flagged, but cannot un-send a family's name to the board.

Rules, in order (pure functions, no database):

* contact details: email addresses and UK phone numbers;
* a title and a name: "Mrs Okoro", "Dr A. Shah";
* families and households: "the Okoro family", "Jane's family";
* teams, schools and places named with a capital: "Northfield team",
  "St Mary's School", "Oakwood Children's Centre";
* any other run of capitalised words that is not at the start of a sentence
  and is not an ordinary word of the programme ("Global Majority", "Ofsted",
  month names, ethnicity categories...).
"""

import re
from dataclasses import dataclass

REDACTED = "[name]"

# Capitalised words that are not names in this programme's feedback. Lower
# case; compared word by word.
_ORDINARY = """
    i i'm i've i'd i'll a an the and but or so if as at by for from in into of on
    onto to with this that these those it its we our us you your they their them
    he she his her my me what when where which who why how there here then
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november
    december
    black white asian mixed chinese indian pakistani bangladeshi african caribbean
    arab gypsy roma irish traveller british english scottish welsh european
    muslim christian jewish hindu sikh
    global majority anti racist anti-racist racism racist practice learning space
    spaces session sessions reflective proud to be me network
    children's services social care children family families child young people
    household households kids siblings case cases
    council county ofsted dfe ons sen send ehcp cin cp lac cla
    team teams school schools centre service services quadrant
    thank thanks yes no not really very more most also just
    manager managers leader leaders practitioner practitioners facilitator
    ok okay
"""
ORDINARY_WORDS = frozenset(_ORDINARY.split())

# Words that follow a name and make the whole phrase identifying.
FAMILY_WORDS = r"(?:family|families|household|children|kids|siblings|case)"
PLACE_WORDS = (
    r"(?:team|school|academy|college|centre|center|nursery|hospital|surgery|"
    r"estate|road|street|avenue|close|ward|unit|office|house|court|park)"
)
TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Cllr)"

_CAP = r"[A-Z][a-zA-Z'’\-]+"
_NAME_RUN = rf"{_CAP}(?:\s+(?:{_CAP}|[A-Z]\.))*"

RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("phone", re.compile(r"(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\d\b")),
    ("title", re.compile(rf"\b{TITLES}\.?\s+(?:[A-Z]\.\s*)*{_CAP}(?:\s+{_CAP})?")),
    (
        "family",
        re.compile(rf"\b(?:the\s+)?{_NAME_RUN}(?:['’]s)?\s+{FAMILY_WORDS}\b"),
    ),
    (
        "place",
        re.compile(rf"\b{_NAME_RUN}\s+{PLACE_WORDS}\b", re.IGNORECASE),
    ),
    ("capitalised", re.compile(rf"\b{_NAME_RUN}")),
)


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    text: str
    rule: str


def _is_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:;\n"


def _words(phrase: str) -> list[str]:
    return [w.strip(".'’").lower() for w in re.split(r"\s+", phrase) if w]


def _trim_ordinary(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop ordinary words at either end of a capitalised run ("The", "Ofsted")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    kept = [
        w
        for w in words
        if w.group().strip(".'’,").lower().removesuffix("'s").removesuffix("’s")
        not in ORDINARY_WORDS
    ]
    if not kept:
        return None
    return start + kept[0].start(), start + kept[-1].end()


# After a lone capitalised word at the start of a sentence, these make it
# likely a person: "Jane said", "Priya and I", "Tom's manager".
_PERSON_NEXT = re.compile(
    r"(?:['’]s\b|\s+(?:said|says|told|tells|asked|shared|explained|"
    r"and\s+I|and\s+me)\b)"
)


def _capitalised(text: str, match: re.Match) -> tuple[int, int] | None:
    start, end = match.span()
    span = _trim_ordinary(text, start, end)
    if span is None or not _is_sentence_start(text, start) or span[0] > start:
        return span
    # The run starts a sentence, where every word has a capital anyway.
    if len(match.group().split()) > 1:
        return span  # "Jane Smith said ..."
    word = match.group()
    base = re.sub(r"['’]s$", "", word)
    if base != word or _PERSON_NEXT.match(text, end):
        return span  # "Tom's view", "Jane said"
    # Capitalised somewhere that is not a sentence start: a name.
    for other in re.finditer(rf"\b{re.escape(base)}\b", text):
        if other.start() != start and not _is_sentence_start(text, other.start()):
            return span
    return None


def suggest(text: str) -> list[Suggestion]:
    """Spans of ``text`` that look like names, in order, never overlapping."""
    found: list[Suggestion] = []

    def overlaps(start: int, end: int) -> bool:
        return any(start < s.end and s.start < end for s in found)

    for rule, pattern in RULES:
        for match in pattern.finditer(text):
            if rule == "capitalised":
                span = _capitalised(text, match)
            elif rule in {"family", "place"}:
                span = _trim_ordinary(text, *match.span())
                # "the case" or "our team" name nobody: need a capital inside.
                if span and not re.search(r"[A-Z]", text[span[0] : span[1]]):
                    span = None
            else:
                span = match.span()
            if span is None or overlaps(*span):
                continue
            found.append(Suggestion(span[0], span[1], text[span[0] : span[1]], rule))
    return sorted(found, key=lambda s: s.start)


def redact(text: str, suggestions: list[Suggestion] | None = None) -> str:
    """``text`` with every suggestion replaced by ``[name]``."""
    if suggestions is None:
        suggestions = suggest(text)
    out, cursor = [], 0
    for s in sorted(suggestions, key=lambda s: s.start):
        out.append(text[cursor : s.start])
        out.append(REDACTED)
        cursor = s.end
    out.append(text[cursor:])
    return "".join(out)
