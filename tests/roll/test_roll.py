"""Admissions, removals from roll and the regulation 9(1) grounds, on a real database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed, import_contacts, import_pupils
from attendance_desk.interop.import_preview import preview_import
from attendance_desk.interop.row_verdicts import Status
from attendance_desk.models import (
    AuditEvent,
    ContactAttempt,
    Mark,
    NextStep,
    Pupil,
    RollChange,
    SafeAndWellCheck,
    User,
)
from attendance_desk.register.errors import RegisterError
from attendance_desk.register.marks import MarkEdit, amend_mark, save_marks
from attendance_desk.roll import changes as roll
from attendance_desk.roll.grounds import GROUNDS, GroundChoice, grounds_for
from attendance_desk.roll.lock import RecordClosed
from attendance_desk.school.calendar_store import load_calendar
from tests.helpers.builders import make_upn, mark_days, school_with

MONDAY = date(2025, 11, 10)
NOW = datetime(2025, 11, 10, 10, 0)


@pytest.fixture
def school(session: Session) -> tuple[User, Pupil]:
    user, (amy,) = school_with(session, "Amy Adams")
    return user, amy


def absent(
    session: Session, pupil: Pupil, user: User, first: date, last: date, code: str = "O"
) -> None:
    """Mark every session from `first` to `last` with `code` (weekends and holidays skipped)."""
    calendar = load_calendar(session)
    marks = {(d, s): code for d in calendar.school_days(first, last) for s in ("AM", "PM")}
    mark_days(session, pupil, user, marks)


def enquiries(session: Session, pupil: Pupil, user: User, *, la: bool = True) -> None:
    """A call to a contact and a safe-and-well check; with `la`, the CME notification too."""
    at = datetime(2025, 10, 8, 9, 30)
    session.add(
        ContactAttempt(pupil_id=pupil.id, at=at, outcome="no_answer", user_name=user.full_name)
    )
    check = SafeAndWellCheck(
        pupil_id=pupil.id,
        episode_first_day=date(2025, 10, 6),
        episode_day=3,
        started_at=at,
        started_by=user.full_name,
    )
    session.add(check)
    session.flush()
    if la:
        session.add(NextStep(check_id=check.id, kind="cme", at=at, by=user.full_name))
    session.flush()


def choice(session: Session, pupil: Pupil, key: str, day: date = MONDAY) -> GroundChoice:
    return next(c for c in grounds_for(session, pupil, day) if c.ground.key == key)


def test_grounds_are_the_fifteen_of_regulation_9_1(school: tuple[User, Pupil]) -> None:
    """Every ground names its paragraph (a) to (o) once, with guidance to read."""
    assert [g.regulation for g in GROUNDS] == [f"9(1)({c})" for c in "abcdefghijklmno"]
    assert all(len(g.guidance) > 60 for g in GROUNDS)


def test_twenty_days_across_a_weekend_and_half_term_with_enquiries(
    session: Session, school: tuple[User, Pupil]
) -> None:
    """20 school days of O from 6 Oct to 7 Nov (half-term between) plus enquiries: offered."""
    user, pupil = school
    absent(session, pupil, user, date(2025, 10, 6), date(2025, 11, 7))
    enquiries(session, pupil, user)
    assert choice(session, pupil, "continuous_absence").available


def test_nineteen_days_is_not_enough(session: Session, school: tuple[User, Pupil]) -> None:
    """From 7 Oct it is 19 school days: withheld, and the reason gives the count."""
    user, pupil = school
    absent(session, pupil, user, date(2025, 10, 7), date(2025, 11, 7))
    enquiries(session, pupil, user)
    found = choice(session, pupil, "continuous_absence")
    assert not found.available
    assert "19 school days in a row" in found.why_not


def test_one_authorised_day_breaks_the_run(session: Session, school: tuple[User, Pupil]) -> None:
    """An illness day in the middle means the absence was not all unauthorised."""
    user, pupil = school
    absent(session, pupil, user, date(2025, 10, 6), date(2025, 10, 14))
    absent(session, pupil, user, date(2025, 10, 15), date(2025, 10, 15), code="I")
    absent(session, pupil, user, date(2025, 10, 16), date(2025, 11, 7))
    enquiries(session, pupil, user)
    why = choice(session, pupil, "continuous_absence").why_not
    assert "12 school days in a row of unauthorised absence (since Thu 16 Oct)" in why


def test_twenty_days_without_the_la_enquiries_is_withheld(
    session: Session, school: tuple[User, Pupil]
) -> None:
    """Absence alone is not the ground: the joint enquiries with the LA must be recorded."""
    user, pupil = school
    absent(session, pupil, user, date(2025, 10, 6), date(2025, 11, 7))
    enquiries(session, pupil, user, la=False)
    found = choice(session, pupil, "continuous_absence")
    assert not found.available
    assert "local authority" in found.why_not and "by the school" not in found.why_not
    with pytest.raises(roll.RollError, match="not available"):
        roll.remove(
            session,
            pupil_id=pupil.id,
            ground="continuous_absence",
            effective_on=MONDAY,
            details="Enquiries made, nobody found",
            user=user,
            now=NOW,
        )


def test_twenty_days_with_no_enquiries_at_all(session: Session, school: tuple[User, Pupil]) -> None:
    """With nothing logged, both the school's and the LA's enquiries are named as missing."""
    user, pupil = school
    absent(session, pupil, user, date(2025, 10, 6), date(2025, 11, 7))
    why = choice(session, pupil, "continuous_absence").why_not
    assert "by the school" in why and "local authority" in why


def test_year_bound_grounds(session: Session, school: tuple[User, Pupil]) -> None:
    """The nursery and end-of-compulsory-age grounds are withheld from a year 3 pupil."""
    _, pupil = school
    assert "nursery" in choice(session, pupil, "nursery_not_continuing").why_not
    assert "year 11" in choice(session, pupil, "leaving_compulsory_age").why_not
    assert choice(session, pupil, "home_education").available


def remove_kwargs(pupil: Pupil, user: User, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "pupil_id": pupil.id,
        "ground": "another_school",
        "effective_on": MONDAY,
        "details": "Started at Elm Park on 10 Nov; confirmed by their office",
        "destination_school": "Elm Park Primary",
        "user": user,
        "now": NOW,
    }
    values.update(changes)
    return values


def nothing_written(session: Session, pupil: Pupil) -> bool:
    session.rollback()
    return (
        session.scalar(select(func.count()).select_from(RollChange)) == 0
        and session.get(Pupil, pupil.id).on_roll_to is None  # type: ignore[union-attr]
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"effective_on": MONDAY - timedelta(days=1)}, "in the past"),
        ({"today": date(2025, 11, 12)}, "never backdated"),
        ({"details": "  moved "}, "Details: required"),
        ({"destination_school": ""}, "Destination school: required"),
        ({"ground": "moved_away", "destination_school": ""}, "New address: required"),
        ({"ground": "expelled"}, "not a ground"),
        ({"ground": "nursery_not_continuing"}, "only for a child in a nursery class"),
    ],
)
def test_removal_refusals_write_nothing(
    session: Session, school: tuple[User, Pupil], changes: dict[str, object], message: str
) -> None:
    """A past date, missing details or an unavailable ground: refused, nothing written."""
    user, pupil = school
    with pytest.raises(roll.RollError, match=message):
        roll.remove(session, **remove_kwargs(pupil, user, **changes))  # type: ignore[arg-type]
    assert nothing_written(session, pupil)


def test_removal_sets_the_last_day_and_is_audited(
    session: Session, school: tuple[User, Pupil]
) -> None:
    """A removal today: on roll to today, the ground kept, an audit event, once only."""
    user, pupil = school
    change = roll.remove(session, **remove_kwargs(pupil, user))  # type: ignore[arg-type]
    session.commit()
    assert pupil.on_roll_to == MONDAY
    assert (change.ground, change.destination_school) == ("another_school", "Elm Park Primary")
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "remove_from_roll"))
    status = roll.roll_status(session, pupil, MONDAY + timedelta(days=1))
    assert status.read_only
    assert status.text == "Left on Mon 10 Nov 2025 (9(1)(a) Registered at another school)"
    with pytest.raises(roll.RollError, match="already been taken off roll"):
        roll.remove(session, **remove_kwargs(pupil, user, effective_on=MONDAY + timedelta(days=3)))  # type: ignore[arg-type]


def test_a_future_removal_leaves_the_record_open_until_then(
    session: Session, school: tuple[User, Pupil]
) -> None:
    """Leaving on Friday: marks can still be taken until Friday itself."""
    user, pupil = school
    roll.remove(session, **remove_kwargs(pupil, user, effective_on=date(2025, 11, 14)))  # type: ignore[arg-type]
    assert roll.roll_status(session, pupil, MONDAY).text.startswith("Leaves on Fri 14 Nov 2025")
    edit = MarkEdit(pupil.id, MONDAY, "AM", "/", None)
    assert save_marks(session, edits=[edit], user=user, now=NOW).recorded == 1


@pytest.fixture
def left(session: Session, school: tuple[User, Pupil]) -> tuple[User, Pupil]:
    """Amy left on Monday 10 Nov, with a mark on her last morning."""
    user, pupil = school
    mark_days(session, pupil, user, {(MONDAY, "AM"): "/"})
    roll.remove(session, **remove_kwargs(pupil, user))  # type: ignore[arg-type]
    session.commit()
    return user, pupil


LATER = datetime(2025, 11, 11, 9, 0)


def test_register_save_refused_after_leaving(session: Session, left: tuple[User, Pupil]) -> None:
    """The last day's PM cannot be added the next day: the record is read-only."""
    user, pupil = left
    edit = MarkEdit(pupil.id, MONDAY, "PM", "\\", None)
    with pytest.raises(RegisterError, match="left the roll on Mon 10 Nov 2025 .*read-only"):
        save_marks(session, edits=[edit], user=user, now=LATER, amendment_reason="late entry")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Mark)) == 1


def test_amendment_refused_after_leaving(session: Session, left: tuple[User, Pupil]) -> None:
    """Amending the last morning's mark is refused and the mark is unchanged."""
    user, pupil = left
    mark = session.scalar(select(Mark))
    assert mark is not None
    with pytest.raises(RegisterError, match="read-only"):
        amend_mark(session, mark=mark, code="L", reason="arrived late", user=user, now=LATER)
    session.rollback()
    assert session.scalar(select(Mark.code)) == "/"


def test_pupil_and_contacts_import_refused_after_leaving(
    session: Session, left: tuple[User, Pupil], tmp_path: Path
) -> None:
    """A pupils or contacts file that would change a leaver is refused, naming the line."""
    user, pupil = left
    pupils = tmp_path / "pupils.csv"
    pupils.write_text(
        "upn,legal_surname,legal_forename,date_of_birth,year_group,reg_group\n"
        f"{pupil.upn},Adams,Amelia,2017-05-01,3,3A\n"
    )
    with pytest.raises(ImportFailed) as refused:
        import_pupils(session, pupils, user=user, now=LATER)
    (problem,) = refused.value.errors
    assert problem.startswith(f"{pupils}:2: upn:") and "read-only" in problem
    session.rollback()
    assert session.get(Pupil, pupil.id).legal_forename == "Amy"  # type: ignore[union-attr]
    columns = pupils.read_text().splitlines()[0].split(",")
    mapping = {column: column for column in columns}
    preview = preview_import(session, "pupils", pupils, mapping=mapping, now=LATER)
    assert preview.counts[Status.ERROR] == 1 and not preview.can_import  # the wizard shows it
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "upn,priority,name,relationship,parental_responsibility,phone,email\n"
        f"{pupil.upn},1,Zoe Adams,Aunt,N,07700 900009,\n"
    )
    with pytest.raises(ImportFailed, match="contacts.csv:2: upn: .*read-only"):
        import_contacts(session, contacts, user=user, now=LATER)


def test_unchanged_leaver_in_a_pupils_file_is_accepted(
    session: Session, left: tuple[User, Pupil], tmp_path: Path
) -> None:
    """Re-importing a full export (leaver included, unchanged) still works."""
    user, pupil = left
    pupils = tmp_path / "pupils.csv"
    pupils.write_text(
        "upn,legal_surname,legal_forename,date_of_birth,year_group,reg_group\n"
        f"{pupil.upn},Adams,Amy,2017-05-01,3,3A\n"
    )
    assert import_pupils(session, pupils, user=user, now=LATER).unchanged == 1


def admit_kwargs(user: User, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "upn": make_upn(50),
        "legal_surname": "Baker",
        "legal_forename": "Tom",
        "date_of_birth": date(2017, 2, 3),
        "year_group": "3",
        "reg_group": "3A",
        "start_date": MONDAY,
        "user": user,
        "now": NOW,
        "contacts": [roll.NewContact("Jo Baker", "Mother", "07700 900100")],
    }
    values.update(changes)
    return values


def test_admission_creates_the_pupil_and_the_return(
    session: Session, school: tuple[User, Pupil]
) -> None:
    """Admit: the pupil is on roll from the start date with a contact; the return is open."""
    user, _ = school
    pupil = roll.admit(session, **admit_kwargs(user))  # type: ignore[arg-type]
    session.commit()
    assert pupil.on_roll(MONDAY) and not pupil.on_roll(MONDAY - timedelta(days=1))
    assert [c.name for c in pupil.contacts] == ["Jo Baker"]
    change = session.scalar(select(RollChange))
    assert change is not None and change.kind == "admission" and change.la_notified_on is None
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "admit"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"upn": "A123"}, "UPN: 'A123' is not a UPN"),
        ({"upn": make_upn(1)}, "already belongs to Amy Adams"),
        ({"legal_surname": " "}, "Legal surname: required"),
        ({"date_of_birth": date(2024, 1, 1)}, "makes the pupil 1"),
        ({"year_group": "15"}, "Year group"),
        ({"reg_group": "3A", "year_group": "4"}, "3A is a Year 3 group"),
        ({"contacts": [roll.NewContact("", "Mother")]}, "Contact 1 name: required"),
        ({"sex": "X"}, "Sex"),
    ],
)
def test_admission_refusals_write_nothing(
    session: Session, school: tuple[User, Pupil], changes: dict[str, object], message: str
) -> None:
    """Each bad field is named; no pupil and no roll change are added."""
    user, _ = school
    with pytest.raises(roll.RollError, match=message):
        roll.admit(session, **admit_kwargs(user, **changes))  # type: ignore[arg-type]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Pupil)) == 1
    assert session.scalar(select(func.count()).select_from(RollChange)) == 0


def test_la_notified_is_recorded_once(session: Session, school: tuple[User, Pupil]) -> None:
    """The LA told: who and when are kept; a second record is refused."""
    user, _ = school
    roll.admit(session, **admit_kwargs(user))  # type: ignore[arg-type]
    change = session.scalar(select(RollChange))
    assert change is not None
    roll.record_la_notified(session, change_id=change.id, notified_on=MONDAY, user=user, now=NOW)
    assert (change.la_notified_on, change.la_notified_by) == (MONDAY, user.full_name)
    with pytest.raises(roll.RollError, match="already recorded"):
        roll.record_la_notified(
            session, change_id=change.id, notified_on=MONDAY, user=user, now=NOW
        )


def test_ctf_that_would_change_a_leaver_is_refused(
    session: Session, left: tuple[User, Pupil], tmp_path: Path
) -> None:
    """A CTF renaming a pupil who has left is refused like a CSV: the record is read-only."""
    from attendance_desk.interop.ctf_import import import_ctf
    from tests.interop.ctffiles import write_ctf

    user, pupil = left
    path = write_ctf(
        tmp_path,
        "leaver.xml",
        f"""
        <Pupil>
          <UPN>{pupil.upn}</UPN><Surname>Adams</Surname><Forename>Amelia</Forename>
          <DOB>2017-05-01</DOB><Sex>F</Sex>
        </Pupil>
        """,
    )
    with pytest.raises(RecordClosed, match="read-only"):
        import_ctf(session, path, user=user, now=LATER)
    session.rollback()
    assert session.get(Pupil, pupil.id).legal_forename == "Amy"  # type: ignore[union-attr]
