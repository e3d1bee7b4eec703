"""The default audit question set, from the programme's Race, Ethnicity, Culture
and Religion Thinking Tool and the Culture and Ethnicity Prompt sheet.

Frozen data: the migration that seeds version 1 copies these values, and
``audit_question_set_ensure`` uses them when no set exists yet.
"""

# code, question, guidance, is the overall judgement
DEFAULT_QUESTIONS: tuple[tuple[str, str, str, bool], ...] = (
    (
        "ethnicity_recorded",
        "Is the child's ethnicity recorded, and does it match the family's own "
        "description?",
        "Check the recorded DfE ethnicity against how the child and family "
        "describe themselves in the assessment. 'Refused' or 'not yet obtained' "
        "with no attempt to ask is a No.",
        False,
    ),
    (
        "identity_explored",
        "Are identity, culture, religion and language explored in the assessment?",
        "Use the Culture and Ethnicity Prompt sheet: is there more than a label? "
        "Does the worker show what these mean for this family's daily life?",
        False,
    ),
    (
        "child_voice_identity",
        "Is the child's voice on their own identity heard?",
        "The child's own words about who they are, where they come from and what "
        "matters to them. Not applicable only for a pre-verbal child, and then "
        "look for observation of identity in care and routines.",
        False,
    ),
    (
        "cultural_needs_in_plan",
        "Are the child's cultural needs reflected in the plan?",
        "Plan actions for identity, culture, religion, diet, hair and skin care, "
        "language and community links, with someone responsible for each. "
        "A Cultural Genogram can evidence this.",
        False,
    ),
    (
        "racism_in_risk_analysis",
        "Are racism and discrimination considered in the analysis of risk?",
        "Does the analysis weigh the family's experience of racism, and the risk "
        "of professional bias, alongside other risks and strengths?",
        False,
    ),
    (
        "interpreter_used",
        "Was an interpreter used where needed?",
        "A professional interpreter, not a family member, for key meetings and "
        "direct work. Not applicable when everyone shares a first language.",
        False,
    ),
    (
        "overall",
        "Overall, does the assessment and plan reflect the child's ethnicity, "
        "race and culture?",
        "Your overall judgement as the auditor, taking the answers above "
        "together. This answer feeds the aspiration 6 indicator.",
        True,
    ),
)

OVERALL_CODE = "overall"
