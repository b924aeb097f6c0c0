"""Small, fully known schools for tests: fixed dates so every day count can be checked by hand."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy.orm import Session
from stdnum.gb import upn as upn_check

from attendance_desk.access.auth import office_user
from attendance_desk.models import Contact, Pupil, School, Setting, User
from attendance_desk.register.marks import record_mark
from attendance_desk.school import calendar_store, settings
from attendance_desk.school import setup as school_setup
from attendance_desk.school.calendar import Period

NOW = datetime(2025, 9, 1, 8, 0)

#: Autumn 2025 split by the October half-term, with an INSET day on Friday 19 September.
TERMS = [
    Period(date(2025, 9, 3), date(2025, 10, 24), "Autumn 1"),
    Period(date(2025, 11, 3), date(2025, 12, 19), "Autumn 2"),
]
CLOSURES = [Period(date(2025, 9, 19), date(2025, 9, 19), "INSET day")]


def make_upn(serial: int, la: str = "201", estab: str = "2000", year: str = "18") -> str:
    """A valid UPN (correct check letter) for a serial number."""
    body = f"{la}{estab}{year}{serial:03d}"
    return upn_check.calc_check_digit(body) + body


#: The letterhead and signature every letter needs (letters with empty details are refused).
LETTERHEAD = {
    settings.LETTERHEAD_ADDRESS: "1 School Lane, Hillside, Birmingham B12 9QQ",
    settings.LETTERHEAD_CONTACT: "0121 496 0500 · office@hillside.example",
    settings.SIGNATORY_NAME: "Jo Patel",
    settings.SIGNATORY_ROLE: "Attendance Officer",
}


def build_school(session: Session, *, name: str = "Hillside Primary") -> tuple[School, User]:
    """A school with the fixed autumn 2025 calendar, its letterhead and the office user,
    committed."""
    user = office_user(session)
    school = School(name=name, urn="123456", la_number="201", estab_number="2000")
    session.add(school)
    calendar_store.replace_calendar(session, terms=TERMS, closures=CLOSURES, user=user, now=NOW)
    # Stored as the school's existing set-up (no audit events of their own in the tests).
    session.add_all(Setting(key=o.key, value=json.dumps(v)) for o, v in LETTERHEAD.items())
    session.commit()
    return school, user


def add_pupil(
    session: Session,
    serial: int,
    *,
    surname: str = "Smith",
    forename: str = "Amy",
    year: str = "3",
    group: str = "3A",
    on_roll_from: date = date(2025, 9, 3),
    **flags: object,
) -> Pupil:
    """A pupil with two contacts (both parents with parental responsibility)."""
    yg = school_setup.year_group(session, year)
    rg = school_setup.reg_group(session, group, yg)
    pupil = Pupil(
        upn=make_upn(serial),
        legal_surname=surname,
        legal_forename=forename,
        date_of_birth=date(2017, 5, 1),
        year_group=yg,
        reg_group=rg,
        on_roll_from=on_roll_from,
        **flags,
    )
    pupil.contacts = [
        Contact(
            priority=1,
            name=f"Sarah {surname}",
            relationship_to_pupil="Mother",
            parental_responsibility=True,
            phone="07700 900001",
        ),
        Contact(
            priority=2,
            name=f"David {surname}",
            relationship_to_pupil="Father",
            parental_responsibility=True,
            phone="07700 900002",
        ),
    ]
    session.add(pupil)
    session.flush()
    return pupil


def school_with(session: Session, *names: str) -> tuple[User, list[Pupil]]:
    """The school most tests start from, committed: `build_school`'s, with a pupil in 3A for
    each "Forename Surname" given (serials 1, 2, … in that order), and its office user."""
    _, user = build_school(session)
    pupils = []
    for serial, name in enumerate(names, start=1):
        forename, surname = name.split(" ", 1)
        pupils.append(add_pupil(session, serial, surname=surname, forename=forename))
    session.commit()
    return user, pupils


def mark_days(
    session: Session, pupil: Pupil, user: User, marks: dict[tuple[date, str], str]
) -> None:
    """Record first marks for a pupil from a {(day, session): code} map."""
    for (day, sess), code in marks.items():
        record_mark(
            session,
            pupil=pupil,
            day=day,
            session_name=sess,
            code=code,
            user=user,
            now=NOW,
            reason="test" if code in ("B", "C", "Y7") else None,
        )
    session.flush()


STAFF_PASSWORD = "long password"


def add_staff(session: Session, **roles: str) -> dict[str, User]:
    """Logins by user name -> role, e.g. `add_staff(session, pat="admin", rita="receptionist")`.

    The first must be the administrator (who then adds the others); everyone's password is
    `STAFF_PASSWORD` and their full name is the user name, capitalised.
    """
    from attendance_desk.access import auth

    people: dict[str, User] = {}
    admin: User | None = None
    for username, role in roles.items():
        people[username] = auth.create_user(
            session,
            username=username,
            full_name=username.capitalize(),
            position=role,
            role=role,
            password=STAFF_PASSWORD,
            now=NOW,
            by=admin,
        )
        admin = admin or people[username]
    return people
