"""Hillside Primary on Wednesday 1 October 2025: the small school the acceptance tests walk
through a day in.

Thirty pupils in three classes (3A, 4B, 5C), everyone present since term began on
3 September except the children each test is about:

- Amy Adams (3A), Ben Baker (4B), Omar Osei (3A): in school until today; today they are
  absent at registration with no reason (Omar is on the Year 3 trip nobody told the
  teacher about).
- Priya Patel (4B): her mother phones at 08:40 to say she is ill.
- Leo Lewis and Uma Usman (5C): arrive late today, before and after the register closes.
- Jack Jones (5C, on the vulnerable list): ill all last week (I, reported), then absent
  with no reason and no answer from home since Monday: day 3 today, eight school days in a
  row away. His attendance this year is below the school's target.
- Liam Long (4B, a week's illness) and Mia Moore (5C, a holiday not granted): attendance
  below target, so letter A is due for them (and for Jack).

The staff log in with `STAFF_PASSWORD`: Pat (administrator), Rita (receptionist), Tess,
Tom and Tara (the class teachers of 3A, 4B and 5C), Owen (attendance officer), Dana (DSL)
and Helen (headteacher).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import auth
from attendance_desk.desk import calls
from attendance_desk.models import Pupil, RegGroup, User
from attendance_desk.register.marks import record_mark
from attendance_desk.school.calendar_store import load_calendar
from tests.helpers.builders import STAFF_PASSWORD, add_pupil, build_school

#: The day the tests walk through: a Wednesday in the fifth week of the autumn term.
TODAY = date(2025, 10, 1)
TERM_START = date(2025, 9, 3)

#: Each class: its year, its teacher's login, its pupils (surname, forename) by surname.
CLASSES: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "3A": (
        "3",
        "tess",
        [
            ("Adams", "Amy"),
            ("Brooks", "Noah"),
            ("Clarke", "Isla"),
            ("Davies", "Oliver"),
            ("Evans", "Freya"),
            ("Foster", "Harry"),
            ("Green", "Poppy"),
            ("Hughes", "Alfie"),
            ("Osei", "Omar"),
            ("Wright", "Ella"),
        ],
    ),
    "4B": (
        "4",
        "tom",
        [
            ("Baker", "Ben"),
            ("Carter", "Lily"),
            ("Edwards", "George"),
            ("Fisher", "Grace"),
            ("Long", "Liam"),
            ("Mason", "Evie"),
            ("Patel", "Priya"),
            ("Reid", "Jacob"),
            ("Scott", "Sophie"),
            ("Turner", "Archie"),
        ],
    ),
    "5C": (
        "5",
        "tara",
        [
            ("Ahmed", "Zara"),
            ("Bell", "Max"),
            ("Cook", "Ruby"),
            ("Hall", "Finn"),
            ("Jones", "Jack"),
            ("King", "Daisy"),
            ("Lewis", "Leo"),
            ("Moore", "Mia"),
            ("Usman", "Uma"),
            ("Ward", "Theo"),
        ],
    ),
}

#: Logins: user name -> (full name, position, role); the administrator first.
STAFF: dict[str, tuple[str, str, str]] = {
    "pat": ("Pat Lowe", "School business manager", "admin"),
    "rita": ("Rita Shah", "Receptionist", "receptionist"),
    "tess": ("Tess Morgan", "Class teacher, 3A", "teacher"),
    "tom": ("Tom Ellis", "Class teacher, 4B", "teacher"),
    "tara": ("Tara Quinn", "Class teacher, 5C", "teacher"),
    "owen": ("Owen Price", "Attendance officer", "attendance_officer"),
    "dana": ("Dana Singh", "Designated safeguarding lead", "dsl"),
    "helen": ("Helen Carr", "Headteacher", "head"),
}

#: Past absences before today: pupil name -> {first day .. last day: code}.
HISTORY: dict[str, list[tuple[date, date, str]]] = {
    "Liam Long": [(date(2025, 9, 8), date(2025, 9, 15), "I")],
    "Mia Moore": [(date(2025, 9, 15), date(2025, 9, 18), "G")],
    "Jack Jones": [
        (date(2025, 9, 22), date(2025, 9, 26), "I"),
        (date(2025, 9, 29), date(2025, 9, 30), "N"),
    ],
}

#: This morning's register as the class teachers take it (everyone else present).
MORNING_ABSENT = {
    "Amy Adams": "N",
    "Omar Osei": "N",
    "Ben Baker": "N",
    "Jack Jones": "N",
    "Priya Patel": "I",
}
#: Who arrives late this morning, when, and the mark and minutes the desk records.
LATE_ARRIVALS = {
    "Leo Lewis": (time(8, 58), "L", 8),
    "Uma Usman": (time(9, 20), "U", 30),
}


class Clock:
    """The window's clock, moved on by the test as the morning goes by."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def today(self) -> date:
        return self.now.date()

    def at(self, hour: int, minute: int) -> datetime:
        """Set the time of day (the date stays) and return it."""
        self.now = datetime.combine(self.now.date(), time(hour, minute))
        return self.now


@dataclass
class School:
    """The acceptance school's people, by name, as ids (rows belong to one session)."""

    pupils: dict[str, int] = field(default_factory=dict)  # "Amy Adams" -> id
    groups: dict[str, str] = field(default_factory=dict)  # "Amy Adams" -> "3A"
    staff: dict[str, int] = field(default_factory=dict)  # "rita" -> user id

    def names_in(self, group: str) -> list[str]:
        """A class's pupils in register order (by surname)."""
        return [f"{forename} {surname}" for surname, forename in CLASSES[group][2]]


def _staff(session: Session) -> dict[str, User]:
    made: dict[str, User] = {}
    admin: User | None = None
    for username, (full_name, position, role) in STAFF.items():
        made[username] = auth.create_user(
            session,
            username=username,
            full_name=full_name,
            position=position,
            role=role,
            password=STAFF_PASSWORD,
            now=datetime(2025, 9, 1, 8, 0),
            by=admin,
        )
        admin = admin or made[username]
    return made


def _history(session: Session, pupils: dict[str, Pupil], user: User) -> None:
    """Every school day since term began: present, except the absences in `HISTORY`."""
    calendar = load_calendar(session)
    away = {
        (name, day): code
        for name, spans in HISTORY.items()
        for first, last, code in spans
        for day in calendar.school_days(first, last)
    }
    for day in calendar.school_days(TERM_START, TODAY - timedelta(days=1)):
        taken = datetime.combine(day, time(9, 0))
        for name, pupil in pupils.items():
            for sess, present in (("AM", "/"), ("PM", "\\")):
                record_mark(
                    session,
                    pupil=pupil,
                    day=day,
                    session_name=sess,
                    code=away.get((name, day), present),
                    user=user,
                    now=taken,
                )


def _jacks_calls(session: Session, jack: Pupil, rita: User) -> None:
    """Monday and Tuesday: both of Jack's parents rung, no answer."""
    for day in (date(2025, 9, 29), date(2025, 9, 30)):
        for minute, contact in enumerate(jack.contacts):
            calls.log_attempt(
                session,
                pupil_id=jack.id,
                contact_id=contact.id,
                outcome="no_answer",
                user=rita,
                now=datetime.combine(day, time(9, 40 + minute)),
            )


def build_hillside(session: Session) -> School:
    """Hillside Primary as it stands at 08:30 on Wednesday 1 October, committed."""
    build_school(session, name="Hillside Primary")
    staff = _staff(session)
    found = School(staff={name: user.id for name, user in staff.items()})
    pupils: dict[str, Pupil] = {}
    serial = 0
    for group, (year, teacher, names) in CLASSES.items():
        for surname, forename in names:
            serial += 1
            name = f"{forename} {surname}"
            pupils[name] = add_pupil(
                session,
                serial,
                surname=surname,
                forename=forename,
                year=year,
                group=group,
                on_roll_from=TERM_START,
                **(
                    {"vulnerable": True, "social_worker": "Kim Reid, Children's Services"}
                    if name == "Jack Jones"
                    else {}
                ),
            )
            found.groups[name] = group
        reg_group = session.scalar(select(RegGroup).where(RegGroup.name == group))
        assert reg_group is not None
        reg_group.teacher_id = staff[teacher].id
    _history(session, pupils, staff["tess"])
    _jacks_calls(session, pupils["Jack Jones"], staff["rita"])
    session.commit()
    found.pupils = {name: pupil.id for name, pupil in pupils.items()}
    return found


def take_morning_registers(session: Session, school: School, *, lates: bool = True) -> None:
    """What the class teachers and the late desk recorded by 09:20 (for the tests that
    start later in the day), committed."""
    teachers = {group: school.staff[teacher] for group, (_, teacher, _) in CLASSES.items()}
    for name, pupil_id in school.pupils.items():
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None
        user = session.get(User, teachers[school.groups[name]])
        assert user is not None
        late = LATE_ARRIVALS.get(name) if lates else None
        code, minutes = (late[1], late[2]) if late else (MORNING_ABSENT.get(name, "/"), None)
        record_mark(
            session,
            pupil=pupil,
            day=TODAY,
            session_name="AM",
            code=code,
            minutes_late=minutes,
            user=user,
            now=datetime.combine(TODAY, time(8, 55)),
        )
    session.commit()
