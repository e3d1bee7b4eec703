"""Practice audits through a racial lens (aspiration 6).

A slice inside the programme app: question sets, audit records, results with
disclosure control, the quarterly aspiration-6 feed and the spreadsheet
import. See docs/ARCHITECTURE.md ("Practice audits") for why it lives here.
"""
