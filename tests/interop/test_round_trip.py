"""Export then import into a fresh database gives the same rows; the sample files import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk import interop
from attendance_desk.access.auth import office_user
from attendance_desk.models import Closure, Contact, Mark, Pupil, RegGroup, Term, User, YearGroup
from attendance_desk.register.marks import amend_mark
from attendance_desk.store.db import open_database
from tests.conftest import NewDatabase
from tests.helpers.builders import NOW, add_pupil, mark_days
from tests.interop.csvfiles import DSL, IMPORT_NOW

School = tuple[User, list[Pupil]]
SAMPLES = Path(__file__).parents[2] / "resources" / "samples"
KINDS = ("calendar", "pupils", "contacts", "marks")
MON, TUE = date(2025, 9, 8), date(2025, 9, 9)


def _content(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Everything the CSV layouts carry, keyed by UPN rather than database ids."""
    pupils = session.execute(
        select(
            Pupil.upn,
            Pupil.legal_surname,
            Pupil.legal_forename,
            Pupil.preferred_forename,
            Pupil.date_of_birth,
            Pupil.sex,
            YearGroup.code,
            RegGroup.name,
            Pupil.fsm,
            Pupil.sen,
            Pupil.cp,
            Pupil.cin,
            Pupil.cla,
            Pupil.vulnerable,
            Pupil.social_worker,
            Pupil.on_roll_from,
            Pupil.on_roll_to,
            Pupil.admission_number,
            Pupil.ehcp,
            Pupil.eal,
            Pupil.pupil_premium,
        )
        .join(YearGroup, Pupil.year_group_id == YearGroup.id)
        .join(RegGroup, Pupil.reg_group_id == RegGroup.id)
    )
    contacts = session.execute(
        select(
            Pupil.upn,
            Contact.priority,
            Contact.name,
            Contact.relationship_to_pupil,
            Contact.parental_responsibility,
            Contact.phone,
            Contact.email,
        ).join(Pupil, Contact.pupil_id == Pupil.id)
    )
    marks = session.execute(
        select(Pupil.upn, Mark.date, Mark.session, Mark.code, Mark.reason).join(
            Pupil, Mark.pupil_id == Pupil.id
        )
    )
    return {
        "terms": sorted(session.execute(select(Term.start, Term.end, Term.name)).all()),
        "closures": sorted(session.execute(select(Closure.start, Closure.end, Closure.name)).all()),
        "pupils": sorted(tuple(r) for r in pupils),
        "contacts": sorted(tuple(r) for r in contacts),
        "marks": sorted(tuple(r) for r in marks),
    }


def _export_all(session: Session, folder: Path) -> dict[str, Path]:
    folder.mkdir()
    paths = {kind: folder / f"{kind}.csv" for kind in KINDS}
    interop.export_calendar(session, paths["calendar"])
    interop.export_pupils(session, paths["pupils"], viewer=DSL)
    interop.export_contacts(session, paths["contacts"])
    interop.export_marks(session, paths["marks"], start=date(2025, 9, 1), end=date(2025, 12, 31))
    return paths


def _import_all(session: Session, paths: dict[str, Path]) -> None:
    user = office_user(session)
    interop.import_calendar(session, paths["calendar"], user=user, now=IMPORT_NOW)
    interop.import_pupils(session, paths["pupils"], user=user, now=IMPORT_NOW)
    interop.import_contacts(session, paths["contacts"], user=user, now=IMPORT_NOW)
    interop.import_marks(session, paths["marks"], user=user, now=IMPORT_NOW)


def test_round_trip_into_a_fresh_database_gives_identical_rows(
    session: Session, school: School, tmp_path: Path, new_database: NewDatabase
) -> None:
    """Every CSV-carried row survives export -> import into an empty database -> export."""
    user, (amy, ben, cara) = school
    amy.preferred_forename, amy.sex, amy.fsm, amy.cp = "Ames", "F", True, True
    amy.social_worker = "Jo Bloggs, Children's Services"
    amy.admission_number, amy.sen, amy.ehcp, amy.eal = "001234", True, True, True
    ben.sen, ben.pupil_premium = True, True
    cara.on_roll_from = date(2025, 9, 15)  # a joiner (a leaver goes only by Remove from roll)
    ben.contacts[1].email = "david@example.org"
    zoe = add_pupil(session, 4, surname="Źółć", forename="Zoë", year="R", group="Robins")
    mark_days(session, amy, user, {(MON, "AM"): "/", (MON, "PM"): "B", (TUE, "AM"): "N"})
    mark_days(session, ben, user, {(MON, "AM"): "L", (MON, "PM"): "C"})
    mark_days(session, zoe, user, {(MON, "AM"): "Y7", (MON, "PM"): "\\"})
    mark_days(session, cara, user, {(date(2025, 9, 15), "AM"): "I"})
    stored = session.scalars(select(Mark).where(Mark.pupil_id == amy.id, Mark.date == TUE)).one()
    amend_mark(session, mark=stored, code="I", reason="Mum phoned", user=user, now=NOW)
    session.commit()
    original = _content(session)
    first = _export_all(session, tmp_path / "first")

    fresh = open_database(new_database(tmp_path / "fresh"))
    with fresh() as other:
        _import_all(other, first)
        other.commit()
        assert _content(other) == original
        second = _export_all(other, tmp_path / "second")
    for kind in KINDS:
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind


def test_sample_files_import_into_an_empty_database_and_again_unchanged(tmp_path: Path) -> None:
    """The README's sample files are valid; importing them twice changes nothing the second time."""
    factory = open_database(tmp_path / "samples.db")
    paths = {kind: SAMPLES / f"{kind}.csv" for kind in KINDS}
    with factory() as session:
        _import_all(session, paths)
        session.commit()
        counts = {name: len(rows) for name, rows in _content(session).items()}
        assert counts == {
            "terms": 6,
            "closures": 5,
            "pupils": 8,
            "contacts": 16,
            "marks": 70,
        }
        user = office_user(session)
        again = interop.import_pupils(session, paths["pupils"], user=user, now=IMPORT_NOW)
        marks = interop.import_marks(session, paths["marks"], user=user, now=IMPORT_NOW)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 8)
        assert (marks.added, marks.amended, marks.unchanged) == (0, 0, 70)
