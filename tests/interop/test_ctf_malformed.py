"""A CTF that cannot be read is refused whole, naming the element and its line; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed
from attendance_desk.interop.ctf_import import import_ctf
from attendance_desk.models import Pupil, User
from tests.interop.csvfiles import IMPORT_NOW, nothing_pending, snapshot
from tests.interop.ctffiles import write_ctf

School = tuple[User, list[Pupil]]

#: A good pupil first, so a refusal must undo more than the bad one.
GOOD = """\
<Pupil>
  <UPN>W330210514021</UPN><Surname>Bennett</Surname><Forename>Olivia</Forename>
  <DOB>2018-02-14</DOB><BasicDetails><NCyearActual>3</NCyearActual></BasicDetails>
</Pupil>
"""


def _hillside_marks(start: str, marks: str) -> str:
    return f"""\
<Pupil>
  <UPN>B330210516007</UPN><Surname>Okafor</Surname><Forename>Noah</Forename>
  <DOB>2016-11-03</DOB><BasicDetails><NCyearActual>4</NCyearActual></BasicDetails>
  <Attendance><YearData><Year>2025</Year><LEA>201</LEA><Estab>2000</Estab>
    <AttendStartDate>{start}</AttendStartDate>
    <AttendMarks>{marks}</AttendMarks>
  </YearData></Attendance>
</Pupil>
"""


CASES = {
    "broken XML": (
        GOOD + "<Pupil><UPN>B330210516007</UPN>\n<Surname>Okafor</Pupil>\n",
        "bad.xml:22: XML: not well-formed XML",
    ),
    "missing UPN": (
        GOOD + "<Pupil>\n  <Surname>Okafor</Surname><Forename>Noah</Forename>\n"
        "  <DOB>2016-11-03</DOB>\n</Pupil>\n",
        "bad.xml:21: UPN: required in <Pupil>, but missing",
    ),
    "bad date of birth": (
        GOOD + "<Pupil>\n  <UPN>B330210516007</UPN><Surname>Okafor</Surname>\n"
        "  <Forename>Noah</Forename>\n  <DOB>2016-02-30</DOB>\n</Pupil>\n",
        "bad.xml:24: DOB: impossible date 2016-02-30",
    ),
    "bad UPN check letter": (
        GOOD.replace("W330210514021", "A330210514021"),
        "bad.xml:18: UPN: bad UPN check letter in 'A330210514021'",
    ),
    "unknown mark": (
        GOOD + _hillside_marks("2025-09-03", "/\\/A"),
        "bad.xml:26: AttendMarks: 'A' for 2025-09-04 PM (place 4) is not an attendance code",
    ),
    "mark on a weekend": (
        GOOD + _hillside_marks("2025-09-06", "/\\"),
        "bad.xml:26: AttendMarks: 2025-09-06 AM: not a school day",
    ),
    "marks without a start date": (
        GOOD + _hillside_marks("", "/\\"),
        "bad.xml:26: AttendStartDate: required with AttendMarks, but missing",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_file_is_refused_with_element_and_line(
    session: Session, school: School, tmp_path: Path, case: str
) -> None:
    """Each case names file, line and element; the good pupil before it is not added either."""
    user, _ = school
    pupils, expected = CASES[case]
    path = write_ctf(tmp_path, "bad.xml", pupils)
    before = snapshot(session)
    with pytest.raises(ImportFailed) as failed:
        import_ctf(session, path, user=user, now=IMPORT_NOW)
    assert any(e.startswith(expected) for e in failed.value.errors), failed.value.errors
    assert nothing_pending(session)
    session.rollback()
    assert snapshot(session) == before


def test_a_file_that_is_not_a_ctf_is_refused(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Another XML document is named by its root element, on its line."""
    user, _ = school
    path = tmp_path / "pupils.xml"
    path.write_text('<?xml version="1.0"?>\n<Pupils><Pupil/></Pupils>\n', encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_ctf(session, path, user=user, now=IMPORT_NOW)
    assert failed.value.errors == [
        "pupils.xml:2: Pupils: the root element is <Pupils>, not <CTfile>: "
        "this is not a Common Transfer File"
    ]
