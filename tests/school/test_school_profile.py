"""The school profile: one validated record stored with the first administrator, all or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import auth
from attendance_desk.access.permissions import NotAllowed
from attendance_desk.models import AuditEvent, Closure, School, Term, User, YearGroup
from attendance_desk.school import profile as school_profile
from attendance_desk.school import settings
from attendance_desk.school import setup as school_setup
from attendance_desk.school.calendar import Period
from attendance_desk.school.profile import Administrator, ProfileError, SchoolProfile
from attendance_desk.school.register_times import Window
from attendance_desk.store.db import transaction

NOW = datetime(2026, 7, 10, 9, 0)
ADMIN = Administrator("Pat Morgan", "Office manager", "pat", "long password")


def profile(session: Session, **changes: object) -> SchoolProfile:
    base = replace(
        school_profile.draft(session, today=date(2026, 7, 10)),
        name="Oakfield Primary",
        urn="123456",
        la_number="201",
        estab_number="2000",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def test_draft_is_a_typical_year_with_bank_holidays(session: Session):
    """A new database's draft holds the year containing today: six half-terms, INSET days
    and England's bank holidays inside term (Early May 2026 falls on Monday 4 May)."""
    draft = school_profile.draft(session, today=date(2025, 11, 25))
    assert [t.name for t in draft.terms] == [
        "Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2"
    ]  # fmt: skip
    assert draft.terms[0].start == date(2025, 9, 1)
    holidays = {c.start: c.name for c in draft.closures if c.name.startswith("Bank holiday")}
    assert holidays[date(2026, 5, 4)] == "Bank holiday: May Day"
    assert draft.attendance_target == 96.0 and draft.policy_preset == "default"
    assert [t.label for t in draft.times] == [
        "Nursery", "Reception", "Years 1 and 2", "Years 3 to 6"
    ]  # fmt: skip


def test_set_up_stores_school_calendar_times_settings_and_admin(
    factory: sessionmaker[Session],
):
    """One call stores every part of the profile and the administrator, audited as them."""
    with factory() as session:
        chosen = profile(
            session, phase="secondary", attendance_target=95.5, policy_preset="brookfields"
        )
        chosen = replace(chosen, times=school_profile.default_times("secondary"))
    later_pm = Window("PM", time(13, 30), time(13, 45))
    chosen = replace(chosen, times=(replace(chosen.times[0], pm=later_pm),))
    with transaction(factory) as session:
        stored = school_profile.set_up(session, profile=chosen, admin=ADMIN, now=NOW)
    with factory() as session:
        school = session.get(School, stored.school_id)
        assert (school.name, school.urn, school.la_number, school.estab_number) == (
            "Oakfield Primary", "123456", "201", "2000"
        )  # fmt: skip
        assert [t.name for t in session.scalars(select(Term).order_by(Term.start))][0] == "Autumn 1"
        assert count(session, Term) == 6 and count(session, Closure) == len(chosen.closures)
        years = list(session.scalars(select(YearGroup).order_by(YearGroup.sort_order)))
        assert [y.code for y in years] == [str(n) for n in range(7, 14)]
        assert {(y.pm_open, y.pm_close) for y in years} == {(time(13, 30), time(13, 45))}
        assert settings.get(session, settings.ATTENDANCE_TARGET) == 95.5
        assert settings.get(session, settings.POLICY_PRESET) == "brookfields"
        admin = session.get(User, stored.user_id)
        assert (admin.username, admin.role) == ("pat", "admin")
        assert not auth.needs_first_admin(session)
        actors = set(
            session.scalars(select(AuditEvent.user_id).where(AuditEvent.action != "login"))
        )
        assert actors == {admin.id}


@pytest.mark.parametrize(
    ("changes", "part", "words"),
    [
        ({"name": "  "}, "school", "The school's name is missing."),
        ({"urn": "12345"}, "school", "The URN must be 6 digits, not '12345'."),
        ({"la_number": "2O1"}, "school", "The LA number must be 3 digits, not '2O1'."),
        ({"estab_number": "20000"}, "school", "The establishment number must be 4 digits"),
        ({"attendance_target": 120.0}, "target", "between 50 and 100 %, not 120"),
        ({"policy_preset": "strict"}, "preset", "There is no policy preset 'strict'"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_written(
    factory: sessionmaker[Session], changes: dict[str, object], part: str, words: str
):
    """A refused profile says which part is wrong, in words, and leaves the database empty."""
    with factory() as session:
        bad = profile(session, **changes)
    with pytest.raises(ProfileError) as caught, transaction(factory) as session:
        school_profile.set_up(session, profile=bad, admin=ADMIN, now=NOW)
    assert caught.value.part == part
    assert words in str(caught.value)
    with factory() as session:
        assert count(session, School) == count(session, Term) == count(session, User) == 0


def test_calendar_and_register_rules_come_from_their_services(session: Session):
    """A closure outside term and a register closing before it opens are refused by the
    calendar and register-times rules, reported against the right part."""
    good = profile(session)
    outside = replace(good, closures=(Period(date(2026, 8, 10), date(2026, 8, 10), "Fete"),))
    with pytest.raises(ProfileError, match="Closure 'Fete'.*outside every term") as caught:
        school_profile.check(session, profile=outside, admin=None, now=NOW)
    assert caught.value.part == "terms"
    backwards = Window("AM", time(9, 5), time(8, 50))
    times = (replace(good.times[0], am=backwards), *good.times[1:])
    with pytest.raises(ProfileError, match="Nursery: the morning register must close") as caught:
        school_profile.check(session, profile=replace(good, times=times), admin=None, now=NOW)
    assert caught.value.part == "register_times"
    assert count(session, School) == 0


def test_check_warns_about_long_registers_and_keeps_nothing(session: Session):
    """A register open 45 minutes is allowed with one warning per group of years; the dry
    run leaves the database as it was."""
    good = profile(session)
    long_am = Window("AM", time(8, 45), time(9, 30))
    times = (*good.times[:3], replace(good.times[3], am=long_am))
    stored = school_profile.check(session, profile=replace(good, times=times), admin=ADMIN, now=NOW)
    assert stored.warnings == (
        "Years 3 to 6: the morning register stays open 45 minutes; the 2024 regulations "
        "allow at most 30",
    )
    assert count(session, School) == count(session, User) == count(session, AuditEvent) == 0


def test_an_init_school_is_updated_not_duplicated(factory: sessionmaker[Session]):
    """A database made by `init` (school, no users) is completed: the draft starts from its
    record, and saving changes it in place with the old and new values audited."""
    with transaction(factory) as session:
        school_setup.create_school(
            session, name="Old Name", urn="654321", today=date(2026, 7, 1), now=NOW
        )
    with factory() as session:
        draft = school_profile.draft(session, today=date(2026, 7, 10))
    assert (draft.name, draft.urn) == ("Old Name", "654321")
    with transaction(factory) as session:
        school_profile.set_up(
            session, profile=replace(draft, name="New Name"), admin=ADMIN, now=NOW
        )
    with factory() as session:
        (school,) = session.scalars(select(School))
        assert (school.name, school.urn) == ("New Name", "654321")
        change = session.scalar(
            select(AuditEvent).where(AuditEvent.entity == "school", AuditEvent.action == "change")
        )
        assert change is not None and "Old Name" in change.detail and "New Name" in change.detail


def test_only_an_administrator_may_change_the_profile(factory: sessionmaker[Session]):
    """A receptionist cannot change the school's profile."""
    with transaction(factory) as session:
        people = {"password": "long password", "position": "Office", "now": NOW}
        admin = auth.create_user(session, username="pat", full_name="Pat", role="admin", **people)
        clerk = auth.create_user(
            session, username="rita", full_name="Rita", role="receptionist", by=admin, **people
        )
        chosen = profile(session)
        with pytest.raises(NotAllowed, match="Rita cannot do that"):
            school_profile.save(session, profile=chosen, user=clerk, now=NOW)
