"""The national attendance and absence codes (DfE, from August 2024), held once as data.

Everything else in Attendance Desk asks this module what a code means, which category it
belongs to and whether it counts as a possible session; nothing else spells a code's meaning.
The figures follow the DfE code annex: a session counts as *possible* when the pupil is
present, attending an approved place other than the school, or absent (authorised or not).

A mark keeps the code it was recorded with, counted by the rules in force on its date: a
pre-2024 code (`H`, `F`, `J`, `Y`) on a day before the 2024 regulations came into force
stays as recorded, with its old meaning (`J`, an interview, was then an approved
educational activity, so it counts as attendance in that year's figures, where today's `J1`
is authorised absence). From that day the old codes are refused, or mapped on request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Category(StrEnum):
    """What a mark says about the pupil for that session."""

    PRESENT = "present"
    ATTENDING_ELSEWHERE = "attending_elsewhere"
    NOT_POSSIBLE_ELSEWHERE = "not_possible_elsewhere"
    AUTHORISED = "authorised"
    UNAVOIDABLE = "unavoidable"
    UNAUTHORISED = "unauthorised"
    ADMINISTRATIVE = "administrative"


CATEGORY_LABELS: dict[Category, str] = {
    Category.PRESENT: "Present",
    Category.ATTENDING_ELSEWHERE: "Attending a place other than the school",
    Category.NOT_POSSIBLE_ELSEWHERE: "Dual registered (not a possible session)",
    Category.AUTHORISED: "Authorised absence",
    Category.UNAVOIDABLE: "Unable to attend: unavoidable cause",
    Category.UNAUTHORISED: "Unauthorised absence",
    Category.ADMINISTRATIVE: "Administrative",
}


@dataclass(frozen=True, slots=True)
class AttendanceCode:
    """One national code and how it counts."""

    code: str
    meaning: str
    category: Category
    possible: bool
    needs_reason: bool = False

    @property
    def counts_as_attendance(self) -> bool:
        """True when the session counts towards the attendance percentage."""
        return self.category in (Category.PRESENT, Category.ATTENDING_ELSEWHERE)

    @property
    def is_absence(self) -> bool:
        """True for absence that counts against the pupil's figures."""
        return self.category in (Category.AUTHORISED, Category.UNAUTHORISED)


_P, _E, _D = Category.PRESENT, Category.ATTENDING_ELSEWHERE, Category.NOT_POSSIBLE_ELSEWHERE
_A, _Y, _U, _Z = (
    Category.AUTHORISED,
    Category.UNAVOIDABLE,
    Category.UNAUTHORISED,
    Category.ADMINISTRATIVE,
)

CODES: tuple[AttendanceCode, ...] = (
    AttendanceCode("/", "Present (AM)", _P, True),
    AttendanceCode("\\", "Present (PM)", _P, True),
    AttendanceCode("L", "Late arrival before the register closed", _P, True),
    AttendanceCode("K", "Attending education provision arranged by the local authority", _E, True),
    AttendanceCode("V", "Attending an educational visit or trip", _E, True),
    AttendanceCode("P", "Participating in a supervised sporting activity", _E, True),
    AttendanceCode("W", "Attending work experience", _E, True),
    AttendanceCode("B", "Attending any other approved educational activity", _E, True, True),
    AttendanceCode("D", "Dual registered: attending the other school", _D, False),
    AttendanceCode("C1", "Leave: regulated performance or employment abroad", _A, True),
    AttendanceCode("M", "Leave: medical or dental appointment", _A, True),
    AttendanceCode("J1", "Leave: interview", _A, True),
    AttendanceCode("S", "Leave: study leave", _A, True),
    AttendanceCode("X", "Not of compulsory school age, not required to attend", _Z, False),
    AttendanceCode("C2", "Leave: part-time timetable", _A, True),
    AttendanceCode("C", "Leave: exceptional circumstances", _A, True, True),
    AttendanceCode("T", "Parent travelling for occupational purposes", _A, True),
    AttendanceCode("R", "Religious observance", _A, True),
    AttendanceCode("I", "Illness (not medical or dental appointment)", _A, True),
    AttendanceCode("E", "Suspended or permanently excluded, no alternative provision", _A, True),
    AttendanceCode("Q", "Unable to attend: lack of access arrangements", _Y, False),
    AttendanceCode("Y1", "Unable to attend: transport normally provided not available", _Y, False),
    AttendanceCode("Y2", "Unable to attend: widespread disruption to travel", _Y, False),
    AttendanceCode("Y3", "Unable to attend: part of the school premises closed", _Y, False),
    AttendanceCode("Y4", "Unable to attend: whole school site unexpectedly closed", _Y, False),
    AttendanceCode("Y5", "Unable to attend: criminal justice detention", _Y, False),
    AttendanceCode("Y6", "Unable to attend: public health guidance or law", _Y, False),
    AttendanceCode("Y7", "Unable to attend: any other unavoidable cause", _Y, False, True),
    AttendanceCode("G", "Holiday not granted by the school", _U, True),
    AttendanceCode("N", "Reason for absence not yet provided", _U, True),
    AttendanceCode("O", "Absent in other or unknown circumstances", _U, True),
    AttendanceCode("U", "Arrived after the register closed", _U, True),
    AttendanceCode("Z", "Prospective pupil not on the admission register", _Z, False),
    AttendanceCode("#", "Planned whole or partial school closure", _Z, False),
)

BY_CODE: dict[str, AttendanceCode] = {c.code: c for c in CODES}

#: The day the School Attendance (Pupil Registration) (England) Regulations 2024, and with
#: them the 2024 code set, came into force. Marks before it keep the codes of their day.
CODE_SET_2024_FROM = date(2024, 8, 19)

#: The pre-2024 codes (docs/rules.md#legacy-codes) whose letter is not in the 2024 set, with the
#: meaning and category they had: valid on marks dated before `CODE_SET_2024_FROM`.
LEGACY_CODES: tuple[AttendanceCode, ...] = (
    AttendanceCode("H", "Holiday authorised by the school (pre-2024 code)", _A, True),
    AttendanceCode("F", "Agreed extended family holiday (pre-2024 code)", _A, True),
    AttendanceCode("J", "Interview: an approved educational activity (pre-2024 code)", _E, True),
    AttendanceCode("Y", "Unable to attend: exceptional circumstances (pre-2024 code)", _Y, False),
)
#: Every code a stored mark may hold: the 2024 set and, on older dates, the legacy codes.
STORED: dict[str, AttendanceCode] = {**BY_CODE, **{c.code: c for c in LEGACY_CODES}}

#: Codes from the pre-2024 set (docs/rules.md#legacy-codes, and older MIS exports) that changed.
#: Codes absent from this table kept their letter and meaning.
LEGACY_MAPPING: dict[str, str] = {
    "H": "C",  # authorised holiday -> leave of absence, exceptional circumstances
    "F": "C",  # agreed extended family holiday (withdrawn 2013) -> exceptional circumstances
    "J": "J1",  # interview
    "Y": "Y7",  # unable to attend due to exceptional circumstances -> other unavoidable cause
}

#: The plain present marks of the morning and the afternoon.
PRESENT_AM, PRESENT_PM = "/", "\\"
#: The late-arrival code within the present category.
LATE = "L"
#: The reason-not-yet-provided code that must be resolved within days.
REASON_NOT_PROVIDED = "N"
#: What an unresolved N becomes.
UNKNOWN_UNAUTHORISED = "O"
#: Arrival after the register closed.
LATE_AFTER_CLOSE = "U"


class UnknownCode(ValueError):
    """Raised for a mark that is not in the national code set (each writer of marks turns
    it into its own area's refusal)."""

    def __init__(self, code: str) -> None:
        valid = " ".join(c.code for c in CODES)
        super().__init__(f"'{code}' is not an attendance code; valid codes are: {valid}")
        self.code = code


def normalise(text: str) -> str:
    """Turn typed input into a code: trimmed and upper-case (`y7` -> `Y7`)."""
    return text.strip().upper()


def lookup(text: str, on: date | None = None) -> AttendanceCode:
    """The code for typed or imported text, or `UnknownCode` naming the valid ones. For a
    mark dated `on` before the 2024 code set, the pre-2024 codes are valid too."""
    code = BY_CODE.get(normalise(text))
    if code is None and on is not None and on < CODE_SET_2024_FROM:
        code = STORED.get(normalise(text))
    if code is None:
        raise UnknownCode(text.strip())
    return code


def entry(code: str) -> AttendanceCode:
    """What a stored mark's code means (a pre-2024 code with its old meaning)."""
    return STORED[code]


def present_code(session: str) -> str:
    """The plain present mark for a session: `/` in the morning, `\\` in the afternoon."""
    return PRESENT_AM if session == "AM" else PRESENT_PM


def for_session(code: str, session: str) -> str:
    """A plain present mark as the session's own (`/` in the morning, `\\` in the
    afternoon) whichever slash was typed or imported; any other code is unchanged."""
    if code in (PRESENT_AM, PRESENT_PM):
        return present_code(session)
    return code


def map_legacy(text: str, on: date | None = None) -> str:
    """A pre-2024 code translated to the current set (unchanged codes pass through); on a
    date `on` before the 2024 code set it is kept as recorded."""
    code = normalise(text)
    if on is not None and on < CODE_SET_2024_FROM:
        return code
    return LEGACY_MAPPING.get(code, code)


def codes_in(*categories: Category) -> tuple[str, ...]:
    """All codes a mark may hold whose category is one of those given, in table order (the
    pre-2024 codes last): what the figures count."""
    return tuple(c.code for c in STORED.values() if c.category in categories)


PRESENT_CODES = codes_in(Category.PRESENT)
ATTENDING_ELSEWHERE_CODES = codes_in(Category.ATTENDING_ELSEWHERE)
AUTHORISED_CODES = codes_in(Category.AUTHORISED)
UNAUTHORISED_CODES = codes_in(Category.UNAUTHORISED)
POSSIBLE_CODES = tuple(c.code for c in STORED.values() if c.possible)
