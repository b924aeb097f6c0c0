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
    "a right-to-left override in a name": (
        GOOD.replace("<Surname>Bennett", "<Surname>Ben&#x202E;nett"),
        "bad.xml:18: Surname: holds a text-direction control (U+202E)",
    ),
    "a line break inside a name": (
        GOOD.replace("<Forename>Olivia", "<Forename>Oli\nvia"),
        "bad.xml:18: Forename: holds a line break",
    ),
    "a control character in a contact's name": (
        GOOD.replace(
            "</Pupil>",
            "<Contacts><Contact><Order>1</Order><Surname>Ben&#x9B;nett</Surname>"
            "<Relationship>PAM</Relationship><Responsibility>true</Responsibility>"
            "</Contact></Contacts></Pupil>",
        ),
        "bad.xml:20: Surname: holds a control character (U+009B)",
    ),
    "a formula in a contact's phone": (
        GOOD.replace(
            "</Pupil>",
            "<Contacts><Contact><Order>1</Order><Surname>Bennett</Surname>"
            "<Relationship>PAM</Relationship><Responsibility>true</Responsibility>"
            "<Phones><Phone><TelephoneType>M</TelephoneType>"
            '<PhoneNo>=HYPERLINK("x.example","07700")</PhoneNo>'
            "</Phone></Phones></Contact></Contacts></Pupil>",
        ),
        'bad.xml:20: PhoneNo: \'=HYPERLINK("x.example","07700")\' looks like a',
    ),
    "a surname given twice": (
        GOOD.replace(
            "<Surname>Bennett</Surname>", "<Surname>Bennett</Surname><Surname>Cole</Surname>"
        ),
        "bad.xml:18: Surname: given 2 times in <Pupil>, which has one",
    ),
    "a 5,000-character date": (
        GOOD.replace("2018-02-14", "9" * 5000),
        "bad.xml:19: DOB: '9999999999999999999999999999999999999999…' (5,000 characters) is not",
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


def test_a_file_with_a_document_type_or_entities_is_refused(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Entities declared in a DOCTYPE could put other text into a name: refused at once."""
    user, _ = school
    path = write_ctf(tmp_path, "entities.xml", GOOD.replace("Bennett", "&who;"))
    text = path.read_text().replace(
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE CTfile [<!ENTITY who "Smith">]>\n',
    )
    path.write_text(text, encoding="utf-8")
    before = snapshot(session)
    with pytest.raises(ImportFailed) as failed:
        import_ctf(session, path, user=user, now=IMPORT_NOW)
    assert failed.value.errors == [
        "entities.xml:1: DOCTYPE: the file declares a document type; a CTF has none, and its "
        "entities could hide or change what is read"
    ]
    assert snapshot(session) == before


def test_every_problem_line_stays_short(session: Session, school: School, tmp_path: Path) -> None:
    """A 100,000-character value is cut in the message, which stays readable."""
    user, _ = school
    path = write_ctf(tmp_path, "huge.xml", GOOD.replace("2018-02-14", "2018-02-14" + "x" * 100_000))
    with pytest.raises(ImportFailed) as failed:
        import_ctf(session, path, user=user, now=IMPORT_NOW)
    assert all(len(error) < 300 for error in failed.value.errors), failed.value.errors
