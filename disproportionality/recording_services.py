"""Writes: the programme's aspiration-6 indicators of ethnicity recording.

"Improving the gathering and recording of information on ethnicity … on the
database" is a focus of aspiration 6 (ethnicity reflected in assessments and
plans). After every figures import, the home authority's share of children with
a recorded ethnicity, per stage and period, is fed to the programme through
``programme.services`` only, as the aspiration-1 feed does.
"""

import logging
from datetime import date

from django.conf import settings
from django.db import transaction

from disproportionality import recording
from disproportionality.models import ImportBatch, Stage

logger = logging.getLogger(__name__)

RECORDING_STAGES = ("CIN", "CP", "CLA")


def recording_indicator_key(stage: str) -> str:
    return f"disproportionality-ethnicity-recorded-{stage.lower()}"


def recording_indicator_refresh(*, batch: ImportBatch | None = None) -> int:
    """Feed "% of children with ethnicity recorded" for each stage and period
    of the home authority (as the Board sees it: a share hidden by disclosure
    control is not fed). Returns the number of readings; a failure is recorded
    on the batch and never undoes the import."""
    try:
        with transaction.atomic():
            return _record_recording()
    except Exception as exc:  # noqa: BLE001 - the import itself has succeeded
        logger.exception("Could not update the aspiration 6 recording indicators")
        if batch is not None:
            batch.warnings = [
                *batch.warnings,
                {
                    "row": None,
                    "message": f"Ethnicity recording indicators not updated: {exc}",
                },
            ]
            batch.save(update_fields=["warnings"])
        return 0


def _record_recording() -> int:
    from disproportionality.recording_selectors import (
        caveat_threshold,
        recording_series,
    )
    from disproportionality.selectors import (
        families_of,
        family_area_query,
        load_figures,
    )
    from programme.services import indicator_ensure, indicator_record_reading

    home = settings.HOME_AREA_CODE
    figures = load_figures(
        [home],
        stages=list(RECORDING_STAGES),
        with_population=False,
        families=families_of([home], family_area_query(home)),
    )
    target = round(100 * (1 - caveat_threshold()), 1)
    readings = 0
    for stage in RECORDING_STAGES:
        series = recording_series(figures, home, stage)
        series = [r for r in series if r.unknown_share is not None]
        if not series:
            continue
        indicator = indicator_ensure(
            key=recording_indicator_key(stage),
            aspiration_number=6,
            name=f"% of {recording.stage_noun(stage)} with ethnicity recorded",
            unit="percent",
            higher_is_better=True,
            data_source="Disproportionality dashboard: children whose ethnicity is "
            "neither refused nor not yet obtained (DfE / local figures)",
            target_value=target,
        )
        for found in series:
            period_end = figures.period_ends[found.period]
            share = found.recorded_share
            if share is None:  # unknown_share is given (filtered above)
                continue
            indicator_record_reading(
                indicator=indicator,
                value=round(share * 100, 1),
                taken_on=period_end if isinstance(period_end, date) else period_end,
                note=f"{Stage(stage).label}, {found.period}: "
                f"{found.unknown:,} of {found.children:,} not recorded.",
            )
            readings += 1
    return readings
