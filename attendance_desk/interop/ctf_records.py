"""What a Common Transfer File holds, as plain values: the file, its pupils, their contacts
and their attendance years elsewhere (read by `ctf_read`, written into the record by
`ctf_import`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class CtfContact:
    line: int
    order: int
    name: str
    #: The relationship in words, and the code the file gave for it.
    relationship: str
    code: str
    responsibility: bool
    phones: tuple[str, ...]
    email: str | None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class CtfYear:
    """One school's attendance for one academic year, with its marks still encoded."""

    line: int
    year: int
    lea: str
    estab: str
    school_name: str
    possible: int
    authorised: int
    attended: int
    unauthorised: int
    start: date | None
    marks: str
    marks_line: int


@dataclass(frozen=True, slots=True)
class CtfPupil:
    """A pupil as the file has them; None means the file does not say (leave it alone)."""

    line: int
    upn: str
    surname: str
    forename: str
    date_of_birth: date
    sex: str | None
    preferred_forename: str | None
    year_code: str | None
    looked_after: bool | None
    address: str | None
    contacts: tuple[CtfContact, ...] | None
    years: tuple[CtfYear, ...]


@dataclass(frozen=True, slots=True)
class CtfFile:
    file: str
    version: str
    source_school: str
    pupils: tuple[CtfPupil, ...]
    warnings: tuple[str, ...]
