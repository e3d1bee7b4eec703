"""The starting theme taxonomy, drawn from practitioners' real answers.

Staff edit themes in the admin afterwards; this list only seeds a new database
(migration 0002) and the demo data.
"""

# name, description, keywords (matched case-insensitively as phrases)
DEFAULT_THEMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Assessments and risk analysis",
        "Thinking about race and ethnicity when assessing and analysing risk.",
        ("assessment", "assessing", "analysing risk", "analysis", "risk"),
    ),
    (
        "White privilege",
        "Understanding and awareness of white privilege.",
        ("white privilege", "privilege", "whiteness"),
    ),
    (
        "Power dynamics",
        "Power between professionals, families and children.",
        ("power", "hierarchy", "authority"),
    ),
    (
        "Listening to lived experience",
        "Hearing and acting on the lived experience of children, families and "
        "colleagues.",
        ("lived experience", "listening", "listen", "hearing", "voice", "stories"),
    ),
    (
        "Asking questions and curiosity",
        "Being curious and asking families about identity, culture and faith.",
        ("curious", "curiosity", "ask", "asking", "question"),
    ),
    (
        "Recording ethnicity and culture",
        "Recording ethnicity, culture, faith and language accurately.",
        ("recording", "record", "ethnicity", "culture", "cultural", "heritage"),
    ),
    (
        "Intent and impact of comments",
        "Pausing to consider the intent and impact of a comment or judgement.",
        ("intent", "impact", "comment", "judgement", "microaggression"),
    ),
    (
        "Confidence",
        "Confidence to talk about race and racism and to challenge.",
        ("confidence", "confident", "courage", "challenge", "speak up"),
    ),
)
