"""The demo school: deterministic for a seed, valid records, believable attendance."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker
from stdnum.gb import upn as upn_check

from attendance_desk.catalogues import codes
from attendance_desk.demo.school import DemoSummary, build_demo
from attendance_desk.models import (
    AuditEvent,
    Contact,
    Mark,
    Pupil,
    RegGroup,
    School,
    SiblingLink,
    SiblingSchool,
    YearGroup,
)
from attendance_desk.register import stats
from attendance_desk.school import setup as school_setup
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.term_dates import academic_year_of
from attendance_desk.store.db import open_database

TODAY = date(2026, 11, 25)  # a Wednesday in the autumn term


def _build(
    path: Path, *, pupils: int, weeks: int = 12, seed: int = 1
) -> tuple[sessionmaker[Session], DemoSummary]:
    factory = open_database(path)
    with factory() as session, session.begin():
        summary = build_demo(session, pupils=pupils, weeks=weeks, seed=seed, today=TODAY)
    return factory, summary


@pytest.fixture(scope="module")
def primary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, DemoSummary]]:
    """One 300-pupil, 12-week demo shared by the read-only checks below (built once)."""
    factory, summary = _build(tmp_path_factory.mktemp("demo") / "primary.db", pupils=300)
    with factory() as session:
        yield session, summary


@pytest.fixture(scope="module")
def long_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, DemoSummary]]:
    """A small school over 80 school weeks: past leavers, in-year joiners, two summers."""
    path = tmp_path_factory.mktemp("demo") / "long.db"
    factory, summary = _build(path, pupils=70, weeks=80, seed=3)
    with factory() as session:
        yield session, summary


def _marks(session: Session) -> list[tuple[object, ...]]:
    query = select(
        Mark.pupil_id,
        Mark.date,
        Mark.session,
        Mark.code,
        Mark.minutes_late,
        Mark.reason,
        Mark.recorded_at,
    ).order_by(Mark.pupil_id, Mark.date, Mark.session)
    return [tuple(row) for row in session.execute(query)]


def _pupils(session: Session) -> list[tuple[object, ...]]:
    query = select(
        Pupil.id,
        Pupil.upn,
        Pupil.legal_surname,
        Pupil.legal_forename,
        Pupil.date_of_birth,
        Pupil.on_roll_from,
        Pupil.fsm,
    ).order_by(Pupil.id)
    return [tuple(row) for row in session.execute(query)]


def test_same_seed_builds_the_same_school(tmp_path: Path) -> None:
    """Two builds with one seed give identical pupils and marks; another seed differs."""
    results = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        factory, _ = _build(tmp_path / f"{name}.db", pupils=80, weeks=4, seed=seed)
        with factory() as session:
            results.append((_pupils(session), _marks(session)))
    assert results[0] == results[1]
    assert results[0][0] != results[2][0]
    assert results[0][1] != results[2][1]


def test_summary_counts_what_was_written(primary: tuple[Session, DemoSummary]) -> None:
    """The summary matches the rows: pupils on roll, contacts, marks and the date range."""
    session, summary = primary
    assert summary.school_name == session.scalar(select(School.name))
    assert summary.pupils == 300
    assert summary.contacts == session.scalar(select(func.count(Contact.id)))
    assert summary.marks == session.scalar(select(func.count(Mark.id)))
    assert (summary.first_day, summary.last_day) == session.execute(
        select(func.min(Mark.date), func.max(Mark.date))
    ).one()
    assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.entity == "demo"))


def test_marks_cover_the_weeks_before_today(primary: tuple[Session, DemoSummary]) -> None:
    """Marks run for 12 school weeks up to the last school day before today; none today."""
    session, summary = primary
    calendar = load_calendar(session)
    assert summary.last_day == calendar.previous_school_day(TODAY)
    weeks = calendar.school_weeks(summary.first_day, summary.last_day)
    assert len(weeks) == 12
    assert summary.first_day == calendar.school_days(weeks[0], summary.last_day)[0]


def test_calendar_spans_the_academic_years_marked(long_demo: tuple[Session, DemoSummary]) -> None:
    """The calendar holds every academic year from the first mark's to today's."""
    session, summary = long_demo
    calendar = load_calendar(session)
    assert calendar.first_day is not None and calendar.last_day is not None
    assert academic_year_of(calendar.first_day) == academic_year_of(summary.first_day)
    assert academic_year_of(calendar.last_day) == academic_year_of(TODAY)
    assert calendar.first_day.month == 9 and calendar.last_day.month == 7


def test_upns_are_valid_and_unique(primary: tuple[Session, DemoSummary]) -> None:
    """Every UPN has a correct check letter and a real LA number, and no two are the same."""
    session, _ = primary
    upns = session.scalars(select(Pupil.upn)).all()
    assert all(upn_check.is_valid(u) for u in upns)
    assert len(set(upns)) == len(upns)


def test_ages_fit_year_groups(primary: tuple[Session, DemoSummary]) -> None:
    """A pupil's age on 31 August is 4 in Reception, 5 in Year 1 and so on."""
    session, _ = primary
    start = academic_year_of(TODAY)
    rows = session.execute(select(Pupil.date_of_birth, YearGroup.code).join(Pupil.year_group))
    for born, year in rows:
        on_31_august = date(start, 8, 31)
        age = on_31_august.year - born.year - ((born.month, born.day) > (8, 31))
        assert age == 4 + (0 if year == "R" else int(year)), (born, year)


def test_primary_school_has_two_forms_a_year(primary: tuple[Session, DemoSummary]) -> None:
    """300 pupils make a primary school: Reception to Year 6, forms 3A and 3B."""
    session, _ = primary
    groups = set(session.scalars(select(RegGroup.name)))
    assert groups == {f"{y}{f}" for y in ["R", *"123456"] for f in "AB"}


def test_large_school_is_secondary(session: Session) -> None:
    """Above 700 pupils the demo is a secondary school with forms like 7K."""
    build_demo(session, pupils=701, weeks=1, today=TODAY)
    codes_ = set(session.scalars(select(YearGroup.code)))
    assert codes_ == {"7", "8", "9", "10", "11"}
    assert "7K" in set(session.scalars(select(RegGroup.name)))


def test_contacts_in_priority_order_with_parental_responsibility(
    primary: tuple[Session, DemoSummary],
) -> None:
    """Each pupil has two or three contacts numbered from 1, at least one with PR."""
    session, _ = primary
    by_pupil: dict[int, list[Contact]] = defaultdict(list)
    for contact in session.scalars(select(Contact).order_by(Contact.priority)):
        by_pupil[contact.pupil_id].append(contact)
    assert len(by_pupil) == session.scalar(select(func.count(Pupil.id)))
    for contacts in by_pupil.values():
        assert [c.priority for c in contacts] == list(range(1, len(contacts) + 1))
        assert 2 <= len(contacts) <= 3
        assert any(c.parental_responsibility for c in contacts)
        assert all(c.notes for c in contacts if c.do_not_contact)
        assert all(c.phone and c.phone.startswith("07700 900") for c in contacts)
    both_parents = sum(sum(c.parental_responsibility for c in cs) >= 2 for cs in by_pupil.values())
    assert both_parents > len(by_pupil) / 2


def test_pupil_flags_look_like_a_real_school(primary: tuple[Session, DemoSummary]) -> None:
    """About a fifth FSM, some SEN, at least one CP, CIN and CLA pupil with a social worker."""
    session, _ = primary
    pupils = session.scalars(select(Pupil)).all()
    assert 0.1 < sum(p.fsm for p in pupils) / len(pupils) < 0.3
    assert 0.05 < sum(p.sen for p in pupils) / len(pupils) < 0.25
    assert 0 < sum(p.ehcp for p in pupils) < sum(p.sen for p in pupils)
    assert all(p.sen for p in pupils if p.ehcp)
    assert all(p.pupil_premium for p in pupils if p.fsm)
    assert len({p.admission_number for p in pupils}) == len(pupils)
    for flag in ("cp", "cin", "cla"):
        flagged = [p for p in pupils if getattr(p, flag)]
        assert flagged and all(p.social_worker and p.vulnerable for p in flagged)
    assert len({p.legal_surname for p in pupils}) > 80


def test_siblings_share_surname_and_contacts(primary: tuple[Session, DemoSummary]) -> None:
    """Sibling links pair lower id first, and the pair has the same surname and parents."""
    session, _ = primary
    links = session.scalars(select(SiblingLink)).all()
    assert links
    for link in links:
        assert link.pupil_id < link.sibling_id
        a, b = session.get(Pupil, link.pupil_id), session.get(Pupil, link.sibling_id)
        assert a is not None and b is not None
        assert a.legal_surname == b.legal_surname
        assert [c.name for c in a.contacts] == [c.name for c in b.contacts]
    assert session.scalar(select(func.count(SiblingSchool.id)))


def test_marks_only_on_school_days_while_on_roll(long_demo: tuple[Session, DemoSummary]) -> None:
    """Every mark is on a school day when the pupil was on roll, and every such session has one."""
    session, summary = long_demo
    calendar = load_calendar(session)
    marked: dict[int, set[tuple[date, str]]] = defaultdict(set)
    for pupil_id, day, sess in session.execute(select(Mark.pupil_id, Mark.date, Mark.session)):
        marked[pupil_id].add((day, sess))
    pupils = session.scalars(select(Pupil)).all()
    assert any(p.on_roll_to for p in pupils), "a long demo keeps past leavers"
    assert any(p.on_roll_from > summary.first_day for p in pupils), "some joined later"
    for pupil in pupils:
        expected = {
            (d, s)
            for d in calendar.school_days(summary.first_day, summary.last_day)
            if pupil.on_roll(d)
            for s in ("AM", "PM")
        }
        assert marked[pupil.id] == expected, pupil


def test_codes_are_valid_with_their_details(long_demo: tuple[Session, DemoSummary]) -> None:
    """Codes are national codes; B and C carry a reason; lates carry their minutes."""
    session, _ = long_demo
    rows = session.execute(select(Mark.code, Mark.reason, Mark.minutes_late, Mark.session)).all()
    assert {code for code, *_ in rows} <= set(codes.BY_CODE)
    for code, reason, minutes, sess in rows:
        assert bool(reason) == (code in ("B", "C")), code
        assert (minutes is not None) == (code in ("L", "U")), code
        if code == "L":
            assert 1 <= minutes <= 15
        if sess == "AM":
            assert code != "\\"
        else:
            assert code != "/"


def test_unresolved_absences_are_n_when_recent_and_o_when_older(
    long_demo: tuple[Session, DemoSummary],
) -> None:
    """`N` codes appear only in the last two school weeks; older unexplained ones are `O`."""
    session, summary = long_demo
    calendar = load_calendar(session)
    fortnight = calendar.add_school_days(summary.last_day, -9)
    first_n = session.scalar(select(func.min(Mark.date)).where(Mark.code == "N"))
    assert first_n is not None and first_n >= fortnight
    assert session.scalar(select(func.count()).where(Mark.code == "O", Mark.date < fortnight))


def test_attendance_is_believable(primary: tuple[Session, DemoSummary]) -> None:
    """Median attendance 94-99 %, a persistent-absence tail and at least one severe."""
    session, summary = primary
    figures = stats.pupil_figures(session, summary.first_day, summary.last_day)
    pcts = [f.attendance_pct for f in figures.values() if f.attendance_pct is not None]
    assert 94 <= statistics.median(pcts) <= 99
    persistent = sum(f.persistent for f in figures.values()) / len(figures)
    assert 0.08 <= persistent <= 0.3
    assert any(f.severe for f in figures.values())


def test_absence_patterns(long_demo: tuple[Session, DemoSummary]) -> None:
    """More absence on Mondays and Fridays than midweek, and more illness in winter."""
    session, _ = long_demo
    weekday = dict(
        session.execute(
            text(
                "SELECT strftime('%w', date), AVG(code IN ('I', 'O', 'N', 'G', 'M', 'C')) "
                "FROM marks GROUP BY 1"
            )
        ).all()
    )
    assert min(weekday["1"], weekday["5"]) > weekday["3"]
    season = dict(
        session.execute(
            text(
                "SELECT strftime('%m', date) IN ('12', '01', '02'), AVG(code = 'I') "
                "FROM marks GROUP BY 1"
            )
        ).all()
    )
    assert season[1] > 1.3 * season[0]


def test_refuses_a_database_with_pupils(factory: sessionmaker[Session]) -> None:
    """A second build (or a build over an imported school) raises and changes nothing."""
    with factory() as session, session.begin():
        build_demo(session, pupils=20, weeks=1, today=TODAY)
    with factory() as session:
        marks = session.scalar(select(func.count(Mark.id)))
        with pytest.raises(ValueError, match="already holds 20 pupils"):
            build_demo(session, pupils=20, weeks=1, today=TODAY)
        session.rollback()
        assert session.scalar(select(func.count(Mark.id))) == marks


def test_keeps_a_school_made_by_init(session: Session) -> None:
    """A school created by `init` (no pupils yet) keeps its record; the calendar is widened."""
    school_setup.create_school(
        session, name="Hillside Primary", la_number="999", today=TODAY, now=datetime(2026, 9, 1)
    )
    summary = build_demo(session, pupils=40, weeks=20, today=TODAY)
    assert summary.school_name == "Hillside Primary"
    assert session.scalar(select(func.count(School.id))) == 1
    assert load_calendar(session).first_day < date(2026, 9, 1)
    assert all(upn_check.is_valid(u) for u in session.scalars(select(Pupil.upn)))  # LA 999 unknown


def test_progress_reports_every_batch(session: Session) -> None:
    """The progress callback starts at 0 and ends at the total."""
    seen: list[tuple[int, int]] = []
    build_demo(
        session,
        pupils=250,
        weeks=1,
        today=TODAY,
        now=datetime(2026, 11, 25, 8),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, 250) and seen[-1] == (250, 250)
    assert len(seen) >= 3


def test_the_demo_has_a_mornings_inbox(primary: tuple[Session, DemoSummary]) -> None:
    """The demo's inbox holds this morning's messages: some matched (two sisters or
    brothers from one message), a leave request, and some left to match by hand."""
    from attendance_desk.access.auth import office_user
    from attendance_desk.inbox.listing import inbox_entries

    session, _ = primary
    entries = inbox_entries(session, user=office_user(session))
    assert len(entries) >= 8
    assert {e.received.date() for e in entries} == {TODAY}
    assert all(e.received.hour < 9 for e in entries)
    statuses = [e.status for e in entries]
    assert statuses.count("unmatched") >= 3 and statuses.count("proposed") >= 5
    assert [e.kind for e in entries].count("leave") == 1
    by_message = [e.message_id for e in entries]
    assert any(by_message.count(m) == 2 for m in by_message)  # siblings in one message
    assert {e.code for e in entries if e.status == "proposed"} >= {"I", "M"}


def test_demo_school_has_a_complete_profile_and_titled_parents(
    primary: tuple[Session, DemoSummary],
) -> None:
    """Address, telephone, contact line, footer and signatory are filled in, so its letters
    print whole; mothers and fathers have titles, carers none."""
    from attendance_desk.letters.sending import send_letters
    from attendance_desk.models import User
    from attendance_desk.pathway.due import letters_due
    from attendance_desk.school import settings
    from tests.printing.pdftext import pages

    session, _ = primary
    for option in (
        settings.SCHOOL_PHONE,
        settings.LETTERHEAD_ADDRESS,
        settings.LETTERHEAD_CONTACT,
        settings.LETTERHEAD_FOOTER,
        settings.SIGNATORY_NAME,
        settings.SIGNATORY_ROLE,
    ):
        assert settings.get(session, option).strip(), option.key
    titles = dict(session.execute(select(Contact.relationship_to_pupil, Contact.title)).all())
    assert titles["Mother"] == "Mrs" and titles["Father"] == "Mr"
    carers = session.scalars(
        select(Contact.title).where(Contact.relationship_to_pupil == "Foster carer")
    ).all()
    assert carers and set(carers) == {None}
    officer = session.scalar(select(User).where(User.username == "attendance"))
    due = letters_due(session, TODAY)[:1]
    sent = send_letters(session, due, day=TODAY, user=officer, now=datetime(2026, 11, 25, 10))
    session.rollback()
    text = " ".join(pages(sent[0].pdf)[0].split())
    assert "Brookfield Lane" in text and "0121 496 0000" in text and "Alex Green" in text
    assert "Dear Mrs " in text or "Dear Mr " in text
