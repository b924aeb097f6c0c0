"""The demo school's letterhead and office details, and the titles its parents go by.

A demo school without an address, telephone or signatory prints letters with gaps ("please
telephone the school today on the school office"), which is not what an office would ever
send. The demo fills in each of these settings that is still empty (a school made by `init`
keeps what it has), with details that cannot reach anyone real: an Ofcom drama number and
an `example` address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from attendance_desk.models import School, User
from attendance_desk.school import settings

PHONE = "0121 496 0000"
ADDRESS = "Brookfield Lane, Sparkhill, Birmingham B11 4QT"
CONTACT_LINE = f"{PHONE} · office@brookfield.example"
SIGNATORY = ("Alex Green", "Attendance Officer")
#: The titles parents are written to by, from their relationship to the child.
TITLES = {
    "Mother": "Mrs",
    "Birth mother": "Ms",
    "Stepmother": "Mrs",
    "Grandmother": "Mrs",
    "Aunt": "Ms",
    "Father": "Mr",
    "Stepfather": "Mr",
    "Grandfather": "Mr",
    "Uncle": "Mr",
}


def title_for(relationship: str) -> str | None:
    """`Mrs` for a mother, `Mr` for a father; None where the demo cannot know (a carer)."""
    return TITLES.get(relationship)


def give_profile(session: Session, school: School, *, user: User, now: datetime) -> None:
    """Fill in the letterhead, telephone and signatory settings that are still empty."""
    values: dict[settings.Option[Any], str] = {
        settings.SCHOOL_PHONE: PHONE,
        settings.LETTERHEAD_ADDRESS: ADDRESS,
        settings.LETTERHEAD_CONTACT: CONTACT_LINE,
        settings.LETTERHEAD_FOOTER: f"Headteacher: Helen Brooks · URN {school.urn}",
        settings.SIGNATORY_NAME: SIGNATORY[0],
        settings.SIGNATORY_ROLE: SIGNATORY[1],
    }
    for option, value in values.items():
        current = settings.get(session, option)
        if current != value and (not current.strip() or current == option.default):
            settings.put(session, option, value, user=user, now=now)
