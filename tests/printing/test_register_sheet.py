"""Blank paper registers: one page per group, pupils in grid order, the code key from codes.py."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.printing.register_sheet import (
    ENTRY_NOTE,
    KEY_CODES,
    BlankRegisterSheet,
    PaperRegisterData,
    paper_register_data,
)
from tests.helpers.builders import add_pupil, build_school, make_upn
from tests.printing.pdftext import pages

MONDAY = date(2025, 9, 8)
PRINTED = datetime(2025, 9, 5, 16, 0)


def sample(class_size: int = 30) -> PaperRegisterData:
    return PaperRegisterData(
        school_name="Hillside Primary",
        day=MONDAY,
        groups=[
            ("3A", [(f"Surname{i:02d}, Amy", make_upn(i)) for i in range(class_size)]),
            ("4B", [("Adams, Zed", make_upn(90)), ("Baker, Yan", make_upn(91))]),
        ],
    )


def render(data: PaperRegisterData) -> list[str]:
    return pages(BlankRegisterSheet(printed_at=PRINTED).render(data))


def flat(text: str) -> str:
    """Page text on one line: a long meaning may wrap inside its key cell."""
    return " ".join(text.split())


def test_one_page_per_group_with_every_pupil_in_order() -> None:
    """A class of 32 still fits one page; the names print in the data's (grid) order."""
    texts = render(sample(class_size=32))
    assert len(texts) == 2
    first, second = texts
    assert "3A — register" in first and "Monday 8 September 2025 · 32 pupils" in first
    positions = [first.index(f"Surname{i:02d}, Amy") for i in range(32)]
    assert positions == sorted(positions)
    assert make_upn(0) in first
    assert "4B — register" in second
    assert second.index("Adams, Zed") < second.index("Baker, Yan")
    assert "Surname00" not in second


def test_code_key_meanings_come_from_codes() -> None:
    """Every page has the common codes with their meanings as codes.py spells them."""
    for text in render(sample()):
        for code in KEY_CODES:
            assert flat(codes.BY_CODE[code].meaning) in flat(text)


def test_taken_by_line_and_entry_note() -> None:
    """Each page has somewhere to sign for both sessions and the typing-in instruction."""
    for text in render(sample()):
        assert "AM taken by" in text and "PM taken by" in text
        assert flat(ENTRY_NOTE) in flat(text)
        for heading in ("AM", "PM", "Code", "Mins late", "Notes"):
            assert heading in flat(text)


def test_paper_register_data_lists_pupils_on_roll_that_day(session: Session) -> None:
    """Groups in year order, rows surname-first in grid order, only pupils on roll that day."""
    build_school(session)
    add_pupil(session, 1, surname="Smith", forename="Amy")
    add_pupil(session, 2, surname="Adams", forename="Ben")
    add_pupil(session, 3, surname="Jones", forename="Cal", on_roll_from=date(2025, 9, 15))
    left = add_pupil(session, 4, surname="Brown", forename="Dee")
    left.on_roll_to = date(2025, 9, 5)
    add_pupil(session, 5, surname="Evans", forename="Eve", year="4", group="4B")
    session.commit()

    data = paper_register_data(session, MONDAY, "Hillside Primary")

    assert (data.school_name, data.day) == ("Hillside Primary", MONDAY)
    assert [(name, [row[0] for row in rows]) for name, rows in data.groups] == [
        ("3A", ["Adams, Ben", "Smith, Amy"]),
        ("4B", ["Evans, Eve"]),
    ]
    assert data.groups[0][1][0][1] == make_upn(2)
    assert len(render(data)) == 2


def test_no_groups_prints_a_page_saying_so() -> None:
    """A school with nobody on roll that day gets one page that says so, not a broken PDF."""
    (text,) = render(PaperRegisterData("Hillside Primary", MONDAY, []))
    assert "No registration group has pupils on roll on Monday 8 September 2025." in flat(text)
