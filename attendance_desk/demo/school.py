"""A realistic synthetic school for first start, demos and benchmarks, the same for a seed.

`build_demo` fills an empty database: the school, typical England calendars for every
academic year the marks reach back into, year groups and forms with their register windows,
pupils with families and prioritised contacts, siblings, and `weeks` school weeks of marks
ending the school day before `today` (today's registers are left for the office to take).
It only flushes and executes inside the caller's transaction; the caller commits.

The people are planned in `demo_people` (with `demo_contacts` and `demo_names`), the marks in
`demo_marks` (with `demo_patterns`); this module makes the calendar, writes the rows, sums up.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.auth import office_user
from attendance_desk.demo.inbox import add_demo_inbox
from attendance_desk.demo.marks import MarkGenerator, table_of
from attendance_desk.demo.patterns import Windows
from attendance_desk.demo.people import (
    PRIMARY_MAX,
    FamilyPlan,
    Layout,
    PupilPlan,
    is_real_la,
    plan_people,
)
from attendance_desk.demo.profile import give_profile, title_for
from attendance_desk.demo.users import add_demo_staff
from attendance_desk.models import (
    Contact,
    Pupil,
    School,
    SiblingLink,
    SiblingSchool,
    User,
    YearGroup,
)
from attendance_desk.school import calendar_store
from attendance_desk.school import setup as school_setup
from attendance_desk.school.calendar import Period, SchoolCalendar
from attendance_desk.school.term_dates import academic_year_of, typical_closures, typical_terms
from attendance_desk.wording import plural

SCHOOL_NAME = "Brookfield Academy"
URN = "148213"
LA_NUMBER = "330"
#: DfE establishment numbers: 2xxx for a primary school, 4xxx for a secondary.
ESTAB_PRIMARY, ESTAB_SECONDARY = "2143", "4001"
MAX_PUPILS, MAX_WEEKS = 10_000, 520
#: Share of pupils on roll today who are severe absentees (at least one in any demo).
SEVERE_SHARE = 0.015


@dataclass(frozen=True)
class DemoSummary:
    """What `build_demo` created; `pupils` are on roll today, `leavers` left before it."""

    school_name: str
    pupils: int
    contacts: int
    marks: int
    first_day: date
    last_day: date
    leavers: int = 0


def demo_calendar(today: date, weeks: int) -> tuple[list[Period], list[Period]]:
    """Typical terms and closures for each academic year from the one holding the first of
    `weeks` school weeks before `today` up to the one holding `today`."""
    last_year = academic_year_of(today)
    first_year = last_year
    while True:
        terms = [t for y in range(first_year, last_year + 1) for t in typical_terms(y)]
        closures = [
            c for y in range(first_year, last_year + 1) for c in typical_closures(typical_terms(y))
        ]
        calendar = SchoolCalendar(tuple(terms), tuple(closures))
        before = calendar.previous_school_day(today)
        first = calendar.first_day
        if before and first and len(calendar.school_weeks(first, before)) >= weeks:
            return terms, closures
        first_year -= 1


def build_demo(
    session: Session,
    *,
    pupils: int = 300,
    weeks: int = 12,
    seed: int = 1,
    today: date,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Create the demo school in an empty database; the caller commits.

    Raises `ValueError` when the database already holds pupils, or for a size out of range.
    A school record without pupils (from `init`) is kept and its calendar replaced.
    """
    if not 1 <= pupils <= MAX_PUPILS:
        raise ValueError(f"the demo school needs 1 to {MAX_PUPILS:,} pupils, not {pupils}")
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"the demo covers 1 to {MAX_WEEKS} school weeks, not {weeks}")
    existing = session.scalar(select(func.count(Pupil.id))) or 0
    if existing:
        raise ValueError(
            f"this database already holds {plural(existing, 'pupil')}; "
            "build the demo school in a new, empty database"
        )
    now = now or datetime.combine(today, time(7, 30))
    rng = random.Random(seed)
    user = office_user(session)
    estab = ESTAB_PRIMARY if pupils <= PRIMARY_MAX else ESTAB_SECONDARY
    school = _school(session, estab=estab, user=user, now=now)
    give_profile(session, school, user=user, now=now)
    terms, closures = demo_calendar(today, weeks)
    calendar = calendar_store.replace_calendar(
        session, terms=terms, closures=closures, user=user, now=now
    )
    last_day = calendar.previous_school_day(today)
    assert last_day is not None and calendar.first_day is not None  # demo_calendar ensures it
    first_week = calendar.school_weeks(calendar.first_day, last_day)[-weeks]
    days = calendar.school_days(first_week, last_day)
    layout, families, plans = plan_people(
        rng,
        pupils=pupils,
        calendar=calendar,
        first_day=days[0],
        last_day=last_day,
        today=today,
        la=school.la_number if school.la_number and is_real_la(school.la_number) else LA_NUMBER,
        estab=school.estab_number or estab,
    )
    group_ids = _groups(session, layout, plans)
    conn = session.connection()
    next_id = (session.scalar(select(func.max(Pupil.id))) or 0) + 1
    for plan in plans:
        plan.id += next_id - 1
    conn.execute(insert(table_of(Pupil)), [_pupil_row(p, group_ids) for p in plans])
    contacts = _contact_rows(families)
    conn.execute(insert(table_of(Contact)), contacts)
    links, elsewhere = _sibling_rows(families)
    for table, rows in ((table_of(SiblingLink), links), (table_of(SiblingSchool), elsewhere)):
        if rows:
            conn.execute(insert(table), rows)
    on_roll = [p for p in plans if p.on_roll_to is None]
    leavers = len(plans) - len(on_roll)
    severe = _severe_absentees(rng, plans, since=days[len(days) // 2])
    generator = MarkGenerator(
        rng,
        calendar=calendar,
        days=days,
        windows=_windows(session),
        user_id=user.id,
        secondary=not layout.primary,
    )
    marks = generator.insert(conn, plans, severe_ids=severe, progress=progress)
    audit.record(
        session,
        user=user,
        now=now,
        action="create",
        entity="demo",
        seed=seed,
        pupils=len(on_roll),
        leavers=leavers,
        marks=marks,
        first_day=days[0],
        last_day=last_day,
    )
    add_demo_staff(session, now)
    add_demo_inbox(session, today=today, seed=seed)
    session.flush()
    return DemoSummary(
        school_name=school.name,
        pupils=len(on_roll),
        contacts=len(contacts),
        marks=marks,
        first_day=days[0],
        last_day=last_day,
        leavers=leavers,
    )


def _school(session: Session, *, estab: str, user: User, now: datetime) -> School:
    """The school record: kept if `init` made one, else Brookfield Academy."""
    school = school_setup.current_school(session)
    if school is None:
        school = School(name=SCHOOL_NAME, urn=URN, la_number=LA_NUMBER, estab_number=estab)
        session.add(school)
        session.flush()
        audit.record(
            session,
            user=user,
            now=now,
            action="create",
            entity="school",
            entity_id=school.id,
            name=school.name,
            urn=school.urn,
        )
    return school


def _severe_absentees(rng: random.Random, plans: Sequence[PupilPlan], since: date) -> set[int]:
    """A few pupils (at least one on roll today) who miss half their sessions or more;
    chosen among those on roll since `since`, so the pattern has time to show."""
    chosen: set[int] = set()
    for leavers in (False, True):
        group = [p for p in plans if (p.on_roll_to is not None) == leavers]
        steady = [p for p in group if p.on_roll_from <= since] or group
        count = round(SEVERE_SHARE * len(group)) or (0 if leavers else 1)
        chosen.update(p.id for p in rng.sample(steady, min(count, len(steady))))
    return chosen


GroupIds = dict[str, tuple[int, int]]


def _groups(session: Session, layout: Layout, plans: Sequence[PupilPlan]) -> GroupIds:
    """Create the year and registration groups (default windows); name -> (year, group) ids."""
    ids: GroupIds = {}
    for year, forms in layout.forms.items():
        yg = school_setup.year_group(session, year)
        for form in forms:
            ids[form] = (yg.id, school_setup.reg_group(session, form, yg).id)
    for plan in plans:
        if plan.group not in ids:
            yg = school_setup.year_group(session, plan.year)
            ids[plan.group] = (yg.id, school_setup.reg_group(session, plan.group, yg).id)
    return ids


def _windows(session: Session) -> dict[str, Windows]:
    return {
        yg.code: Windows(yg.am_open, yg.am_close, yg.pm_open, yg.pm_close)
        for yg in session.scalars(select(YearGroup))
    }


def _pupil_row(p: PupilPlan, ids: GroupIds) -> dict[str, Any]:
    family = p.family
    year_id, group_id = ids[p.group]
    # drawn from the UPN, so the rest of the school stays as the seed made it
    mis = random.Random(p.upn)
    return {
        "id": p.id,
        "upn": p.upn,
        "legal_surname": family.surname,
        "legal_forename": p.forename,
        "preferred_forename": p.preferred,
        "date_of_birth": p.date_of_birth,
        "sex": p.sex,
        "year_group_id": year_id,
        "reg_group_id": group_id,
        "on_roll_from": p.on_roll_from,
        "on_roll_to": p.on_roll_to,
        "address": family.address,
        "fsm": family.fsm,
        "sen": p.sen,
        "admission_number": f"{p.id:06d}",
        "ehcp": p.sen and mis.random() < 0.2,
        "eal": mis.random() < 0.18,
        "pupil_premium": family.fsm or mis.random() < 0.06,
        "cp": family.cp,
        "cin": family.cin,
        "cla": family.cla,
        "young_carer": p.young_carer,
        "vulnerable": p.vulnerable,
        "social_worker": family.social_worker,
    }


def _contact_rows(families: Sequence[FamilyPlan]) -> list[dict[str, Any]]:
    """Each child gets the family's contacts, in the family's priority order."""
    rows: list[dict[str, Any]] = []
    for family in families:
        for child in family.children:
            for priority, c in enumerate(family.contacts, start=1):
                rows.append(
                    {
                        "pupil_id": child.id,
                        "priority": priority,
                        "title": title_for(c.relationship),
                        "name": c.name,
                        "relationship": c.relationship,
                        "parental_responsibility": c.parental_responsibility,
                        "phone": c.phone,
                        "phone_alt": c.phone_alt,
                        "email": c.email,
                        "address": c.address,
                        "lives_with": c.lives_with,
                        "do_not_contact": c.do_not_contact,
                        "notes": c.notes,
                    }
                )
    return rows


def _sibling_rows(
    families: Sequence[FamilyPlan],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Sibling links (lower id first) between children of a family, and siblings elsewhere."""
    links: list[dict[str, Any]] = []
    elsewhere: list[dict[str, Any]] = []
    for family in families:
        ids = sorted(child.id for child in family.children)
        links.extend(
            {"pupil_id": a, "sibling_id": b} for n, a in enumerate(ids) for b in ids[n + 1 :]
        )
        if family.sibling_elsewhere:
            name, school, phone = family.sibling_elsewhere
            elsewhere.extend(
                {"pupil_id": i, "sibling_name": name, "school_name": school, "phone": phone}
                for i in ids
            )
    return links, elsewhere
