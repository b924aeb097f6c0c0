"""Creating a school: its record, this academic year's calendar and its year groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.auth import office_user
from attendance_desk.access.permissions import Permission, Role, require
from attendance_desk.models import RegGroup, School, User, YearGroup
from attendance_desk.school import calendar_store
from attendance_desk.school.register_times import Window, windows_for
from attendance_desk.school.term_dates import academic_year_of, typical_closures, typical_terms

#: National Curriculum years in order, with their display names.
YEAR_GROUPS: tuple[tuple[str, str], ...] = (
    ("N1", "Nursery 1"),
    ("N2", "Nursery 2"),
    ("R", "Reception"),
    *((str(n), f"Year {n}") for n in range(1, 14)),
)

MORNING = Window("AM", time(8, 50), time(9, 5))
#: Afternoon windows by phase (docs/rules.md#register-sessions); secondary years default to 13:40.
AFTERNOON: dict[str, Window] = {
    "N1": Window("PM", time(12, 15), time(12, 25)),
    "N2": Window("PM", time(12, 15), time(12, 25)),
    "R": Window("PM", time(12, 30), time(12, 35)),
    "1": Window("PM", time(13, 15), time(13, 20)),
    "2": Window("PM", time(13, 15), time(13, 20)),
    **{str(n): Window("PM", time(12, 45), time(12, 50)) for n in range(3, 7)},
    **{str(n): Window("PM", time(13, 40), time(13, 55)) for n in range(7, 14)},
}


class SchoolExists(Exception):
    """The database already holds a school; creating another would mix two records."""


def year_group(session: Session, code: str) -> YearGroup:
    """The year group with this NC code, created with the default windows if missing."""
    yg = session.scalar(select(YearGroup).where(YearGroup.code == code))
    if yg is None:
        names = dict(YEAR_GROUPS)
        if code not in names:
            valid = ", ".join(names)
            raise ValueError(f"'{code}' is not a National Curriculum year; use one of {valid}")
        pm = AFTERNOON[code]
        yg = YearGroup(
            code=code,
            name=names[code],
            sort_order=list(names).index(code),
            am_open=MORNING.opens,
            am_close=MORNING.closes,
            pm_open=pm.opens,
            pm_close=pm.closes,
        )
        session.add(yg)
        session.flush()
    return yg


def reg_group(session: Session, name: str, year: YearGroup) -> RegGroup:
    """The registration group with this name, created in `year` if missing."""
    group = session.scalar(select(RegGroup).where(RegGroup.name == name))
    if group is None:
        group = RegGroup(name=name, year_group=year)
        session.add(group)
        session.flush()
    return group


def current_school(session: Session) -> School | None:
    return session.scalar(select(School))


def create_school(
    session: Session,
    *,
    name: str,
    urn: str | None = None,
    la_number: str | None = None,
    estab_number: str | None = None,
    today: date,
    now: datetime,
    user: User | None = None,
) -> School:
    """Create the school with a typical calendar for the academic year containing `today`."""
    if not name.strip():
        raise ValueError("the school needs a name")
    if current_school(session) is not None:
        raise SchoolExists("this database already holds a school")
    for label, value, digits in (
        ("URN", urn, 6),
        ("LA number", la_number, 3),
        ("establishment number", estab_number, 4),
    ):
        if value is not None and not (value.isdigit() and len(value) == digits):
            raise ValueError(f"the {label} must be {digits} digits, not '{value}'")
    user = user or office_user(session)
    school = School(name=name.strip(), urn=urn, la_number=la_number, estab_number=estab_number)
    session.add(school)
    terms = typical_terms(academic_year_of(today))
    calendar_store.replace_calendar(
        session, terms=terms, closures=typical_closures(terms), user=user, now=now
    )
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="create",
        entity="school",
        entity_id=school.id,
        name=school.name,
        urn=urn,
    )
    return school


@dataclass(frozen=True, slots=True)
class YearWindows:
    """A year group's register times as the Settings screen edits them."""

    code: str
    name: str
    am: Window
    pm: Window


def register_windows(session: Session) -> list[YearWindows]:
    """Every year group's windows, in year order."""
    years = session.scalars(select(YearGroup).order_by(YearGroup.sort_order))
    return [YearWindows(y.code, y.name, windows_for(y)["AM"], windows_for(y)["PM"]) for y in years]


def set_register_windows(
    session: Session,
    *,
    code: str,
    am: Window,
    pm: Window,
    user: User,
    now: datetime,
    max_open_minutes: int = 30,
) -> list[str]:
    """Change a year group's windows (audited); returns warnings, e.g. a window longer than
    the 30 minutes the 2024 regulations allow. Refuses a window that closes before it opens."""
    year = session.scalar(select(YearGroup).where(YearGroup.code == code))
    if year is None:
        raise ValueError(f"there is no year group '{code}'")
    warnings = []
    for label, window in (("morning", am), ("afternoon", pm)):
        if window.closes <= window.opens:
            raise ValueError(f"the {label} register must close after it opens")
        minutes = window.minutes_open()
        if minutes > max_open_minutes:
            warnings.append(
                f"{year.name}: the {label} register stays open {minutes} minutes; the 2024 "
                f"regulations allow at most {max_open_minutes}"
            )
    if am.closes >= pm.opens:
        raise ValueError("the morning register must close before the afternoon one opens")
    old = (year.am_open, year.am_close, year.pm_open, year.pm_close)
    year.am_open, year.am_close, year.pm_open, year.pm_close = (
        am.opens,
        am.closes,
        pm.opens,
        pm.closes,
    )
    audit.record(
        session,
        user=user,
        now=now,
        action="change",
        entity="register_windows",
        entity_id=year.id,
        old=old,
        new=(am.opens, am.closes, pm.opens, pm.closes),
    )
    return warnings


def assign_teacher(
    session: Session, *, group_id: int, teacher_id: int | None, by: User, now: datetime
) -> RegGroup:
    """Make a teacher's login the class teacher of a group (None clears it); a teacher then
    sees and takes only their own groups' registers."""
    require(by, Permission.MANAGE_USERS)
    group = session.get(RegGroup, group_id)
    if group is None:
        raise ValueError("there is no such registration group")
    if teacher_id is not None:
        teacher = session.get(User, teacher_id)
        if teacher is None or teacher.role != Role.TEACHER:
            raise ValueError("only a user with the class teacher role can have a group")
    old, group.teacher_id = group.teacher_id, teacher_id
    audit.record(
        session,
        user=by,
        now=now,
        action="change",
        entity="reg_group",
        entity_id=group.id,
        old_teacher=old,
        new_teacher=teacher_id,
    )
    return group


def school_name(session: Session) -> str:
    """The school's name as headed on screens and print, "School" before one is set."""
    return session.scalar(select(School.name)) or "School"


def groups_by_name(session: Session) -> list[tuple[int, str]]:
    """Every registration group as (id, name), in name order, for a choice of group."""
    return [
        (group_id, name)
        for group_id, name in session.execute(
            select(RegGroup.id, RegGroup.name).order_by(RegGroup.name)
        )
    ]
