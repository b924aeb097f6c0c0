"""A small school whose families write to the absence inbox: who they are is fixed, so
every match can be checked by hand.

- Sarah Smith (mother, sarah.smith@example.com, 07700 900101) and David Smith (father,
  07700 900102): Amy (F, 3A) and her sister Lily (F, 5B), and their brother Tom (M, 1A).
- Kate Jones (mother, kate.jones@example.org, 07700 900201): Oliver, known as Ollie (M, 4A).
- Priya Patel (mother, priya.patel@example.net, 07700 900301): Isabella (F, 2A) and her twin
  Sofia (F, 2A).
- Mark Brown (father, mark.brown@example.com, 07700 900401): Jake (M), who left in July.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from attendance_desk.models import Contact, Pupil, User
from tests.helpers.builders import add_pupil, build_school


@dataclass(frozen=True)
class Families:
    user: User
    amy: Pupil
    lily: Pupil
    tom: Pupil
    ollie: Pupil
    isabella: Pupil
    sofia: Pupil
    jake: Pupil


def _contacts(
    session: Session, pupil: Pupil, *people: tuple[str, str, str | None, str | None]
) -> None:
    pupil.contacts = []
    session.flush()
    pupil.contacts = [
        Contact(
            priority=priority,
            name=name,
            relationship_to_pupil=relationship,
            parental_responsibility=True,
            email=email,
            phone=phone,
        )
        for priority, (name, relationship, email, phone) in enumerate(people, start=1)
    ]


def build_families(session: Session) -> Families:
    """The school of the module docstring, committed."""
    _, user = build_school(session)
    smiths = (
        ("Sarah Smith", "Mother", "sarah.smith@example.com", "07700 900101"),
        ("David Smith", "Father", None, "07700 900102"),
    )
    amy = add_pupil(session, 1, surname="Smith", forename="Amy", group="3A", sex="F")
    lily = add_pupil(session, 2, surname="Smith", forename="Lily", year="5", group="5B", sex="F")
    tom = add_pupil(session, 3, surname="Smith", forename="Tom", year="1", group="1A", sex="M")
    for child in (amy, lily, tom):
        _contacts(session, child, *smiths)
    ollie = add_pupil(session, 4, surname="Jones", forename="Oliver", year="4", group="4A", sex="M")
    ollie.preferred_forename = "Ollie"
    _contacts(session, ollie, ("Kate Jones", "Mother", "kate.jones@example.org", "07700 900201"))
    patel = ("Priya Patel", "Mother", "priya.patel@example.net", "07700 900301")
    isabella = add_pupil(
        session, 5, surname="Patel", forename="Isabella", year="2", group="2A", sex="F"
    )
    sofia = add_pupil(session, 6, surname="Patel", forename="Sofia", year="2", group="2A", sex="F")
    for child in (isabella, sofia):
        _contacts(session, child, patel)
    jake = add_pupil(
        session,
        7,
        surname="Brown",
        forename="Jake",
        year="6",
        group="6A",
        sex="M",
        on_roll_from=date(2025, 9, 3),
    )
    jake.on_roll_to = date(2025, 9, 5)
    _contacts(session, jake, ("Mark Brown", "Father", "mark.brown@example.com", "07700 900401"))
    session.commit()
    return Families(user, amy, lily, tom, ollie, isabella, sofia, jake)
