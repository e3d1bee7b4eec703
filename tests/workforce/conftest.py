"""Workforce fixtures: reports made through the service, a small figures file."""

from datetime import date

import pytest

from workforce import services

ANSWERS = {
    "involvement": "experienced",
    "source": "child_family",
    "location": "North quadrant",
    "occurred_month": date(2026, 9, 1),
    "what_happened": "A parent refused to work with me because I am Black.",
    "impact": "I felt unsafe on the visit.",
    "resolution_sought": "My manager to back me and a co-worker on visits.",
    "wants_contact": True,
    "contact_details": "",
}

# period, measure, ethnicity, count, base — synthetic, in the template layout
FIGURES_CSV = """period,measure,ethnicity,count,base
2024,inpost,WHITE,400,
2024,inpost,WBRI,350,
2024,inpost,MIXED,30,
2024,inpost,ASIAN,60,
2024,inpost,BLACK,90,
2024,inpost,OTHER,20,
2024,shortlisted,WHITE,120,400
2024,shortlisted,MIXED,12,50
2024,shortlisted,ASIAN,20,90
2024,shortlisted,BLACK,30,150
2024,shortlisted,OTHER,11,40
2024,appointed,WHITE,48,
2024,appointed,MIXED,3,
2024,appointed,ASIAN,6,
2024,appointed,BLACK,9,
2024,appointed,OTHER,2,
2024,disciplinary,WHITE,12,400
2024,disciplinary,WBRI,10,350
2024,disciplinary,MIXED,2,30
2024,disciplinary,ASIAN,3,60
2024,disciplinary,BLACK,11,90
2024,disciplinary,OTHER,1,20
2025,inpost,WHITE,410,
2025,inpost,WBRI,352,
2025,inpost,MIXED,34,
2025,inpost,ASIAN,66,
2025,inpost,BLACK,98,
2025,inpost,OTHER,22,
2025,shortlisted,WHITE,130,420
2025,shortlisted,MIXED,14,55
2025,shortlisted,ASIAN,25,100
2025,shortlisted,BLACK,36,160
2025,shortlisted,OTHER,12,45
2025,appointed,WHITE,52,130
2025,appointed,MIXED,4,14
2025,appointed,ASIAN,8,25
2025,appointed,BLACK,10,36
2025,appointed,OTHER,3,12
2025,disciplinary,WHITE,10,410
2025,disciplinary,WBRI,9,352
2025,disciplinary,MIXED,2,34
2025,disciplinary,ASIAN,4,66
2025,disciplinary,BLACK,14,98
2025,disciplinary,OTHER,1,22
"""


@pytest.fixture
def make_report(db):
    def _make(**overrides):
        answers = {**ANSWERS, **overrides.pop("answers", {})}
        return services.report_submit(answers=answers, **overrides)

    return _make


@pytest.fixture
def report(make_report):
    return make_report().report


@pytest.fixture
def figures(db):
    return services.workforce_import(
        content=FIGURES_CSV.encode(), file_name="figures.csv"
    )
