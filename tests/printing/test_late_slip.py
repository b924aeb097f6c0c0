"""The late slip: who arrived, when, how late, and who signed them in."""

from __future__ import annotations

from datetime import datetime

import pytest

from attendance_desk.catalogues import codes
from attendance_desk.printing.late_slip import LateSlip, LateSlipData, mark_line
from tests.printing.pdftext import page_sizes_mm, pages

PRINTED = datetime(2025, 9, 8, 9, 18)


def slip(**changes: object) -> LateSlipData:
    values: dict[str, object] = {
        "school_name": "Hillside Primary",
        "pupil_name": "Amy Smith",
        "group": "3A",
        "arrived_at": datetime(2025, 9, 8, 9, 2),
        "code": "L",
        "minutes_late": 12,
        "reason": "dentist",
        "signed_in_by": "Mrs P. Okafor",
    }
    values.update(changes)
    return LateSlipData(**values)  # type: ignore[arg-type]


def test_slip_has_name_time_minutes_and_who() -> None:
    """One small page with the pupil, group, date, arrival time, mark, reason and signer."""
    pdf = LateSlip(printed_at=PRINTED).render(slip())
    (page,) = pages(pdf)
    for expected in (
        "Hillside Primary",
        "Amy Smith",
        "3A · Monday 8 September 2025",
        "09:02",
        "L — 12 minutes late",
        "dentist",
        "Mrs P. Okafor",
    ):
        assert expected in page
    assert "Page 1 of" not in page
    assert page_sizes_mm(pdf) == [(148, 105)]


def test_slip_without_reason_has_no_reason_line() -> None:
    """No reason given: the slip does not print an empty "Reason" row."""
    (page,) = pages(LateSlip(printed_at=PRINTED).render(slip(reason=None)))
    assert "Reason" not in page


@pytest.mark.parametrize(
    ("code", "minutes", "line"),
    [
        ("L", 12, "L — 12 minutes late"),
        ("L", 1, "L — 1 minute late"),
        ("U", 35, f"U — {codes.BY_CODE['U'].meaning.lower()} (35 minutes)"),
    ],
)
def test_mark_line(code: str, minutes: int, line: str) -> None:
    """L reads as minutes late; U reads as the code's meaning from codes.py with the minutes."""
    assert mark_line(code, minutes) == line


def test_names_beyond_latin_1_print() -> None:
    """Łukasz Dvořák's name prints as written (the embedded font covers it), not as boxes."""
    from datetime import datetime

    from attendance_desk.printing.late_slip import LateSlip, LateSlipData
    from tests.printing.pdftext import pages

    data = LateSlipData(
        "Hillside Primary",
        "Łukasz Dvořák",
        "3A",
        datetime(2025, 9, 8, 9, 1),
        "L",
        11,
        None,
        "School office",
    )
    assert "Łukasz Dvořák" in pages(LateSlip(printed_at=datetime(2025, 9, 8, 9, 1)).render(data))[0]
