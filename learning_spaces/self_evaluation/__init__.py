"""Leaders' self-evaluation: seven questions, answered privately every six months.

Private by construction: every read filters on the signed-in leader, no URL
takes an evaluation's id, and the models are not in the Django admin. Others
see only aggregates of closed rounds with enough respondents
(``SELF_EVALUATION_MIN_RESPONDENTS``). See docs/ARCHITECTURE.md.
"""
