"""Importing contacts: a pupil's contacts become the file's, audited; bad rows change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed, export_contacts, import_contacts
from attendance_desk.models import AuditEvent, Contact, Pupil, User
from tests.helpers.builders import make_upn
from tests.interop.csvfiles import IMPORT_NOW, nothing_pending, snapshot, write_csv

School = tuple[User, list[Pupil]]
HEADER = "upn,priority,name,relationship,parental_responsibility,phone,email"


def _contacts(session: Session, pupil: Pupil) -> list[tuple[object, ...]]:
    rows = session.scalars(
        select(Contact).where(Contact.pupil_id == pupil.id).order_by(Contact.priority)
    )
    return [
        (c.priority, c.name, c.relationship_to_pupil, c.parental_responsibility, c.phone, c.email)
        for c in rows
    ]


def test_file_replaces_the_contacts_of_the_pupils_it_names(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Amy's contacts become the file's; Ben, not in the file, keeps his; the change is audited."""
    user, (amy, ben, _) = school
    bens = _contacts(session, ben)
    path = write_csv(
        tmp_path,
        "c.csv",
        f"""\
        {HEADER}
        {amy.upn},2,Sarah Adams,Mother,Y,07700 900001,sarah@example.org
        {amy.upn},1,Gran Adams,Grandmother,n,,
        """,
    )
    summary = import_contacts(session, path, user=user, now=IMPORT_NOW)
    session.commit()
    assert (summary.pupils, summary.pupils_changed) == (1, 1)
    assert (summary.added, summary.updated, summary.removed) == (1, 1, 1)
    assert _contacts(session, amy) == [
        (1, "Gran Adams", "Grandmother", False, None, None),
        (2, "Sarah Adams", "Mother", True, "07700 900001", "sarah@example.org"),
    ]
    assert _contacts(session, ben) == bens
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.entity == "contacts")).all()
    detail = json.loads(event.detail)
    assert (event.action, event.entity_id) == ("replace", amy.id)
    assert [c["name"] for c in detail["old"]] == ["Sarah Adams", "David Adams"]
    assert [c["name"] for c in detail["new"]] == ["Gran Adams", "Sarah Adams"]


def test_a_kept_contact_keeps_what_the_file_does_not_hold(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Swapping two contacts' priorities keeps their notes and do-not-contact flags."""
    user, (amy, *_) = school
    father = amy.contacts[1]
    father.do_not_contact, father.notes = True, "Court order: no contact"
    session.commit()
    path = write_csv(
        tmp_path,
        "c.csv",
        f"""\
        {HEADER}
        {amy.upn},1,David Adams,Father,Y,07700 900002,
        {amy.upn},2,Sarah  adams,Mother,Y,07700 900001,
        """,
    )
    summary = import_contacts(session, path, user=user, now=IMPORT_NOW)
    session.commit()
    assert (summary.added, summary.updated, summary.removed) == (0, 2, 0)
    first = session.scalars(
        select(Contact).where(Contact.pupil_id == amy.id, Contact.priority == 1)
    ).one()
    assert (first.id, first.do_not_contact, first.notes) == (
        father.id,
        True,
        "Court order: no contact",
    )


def test_export_then_import_changes_nothing(
    session: Session, school: School, tmp_path: Path
) -> None:
    """An exported contacts file imports back with no pupil changed and no audit event."""
    user, _ = school
    path = tmp_path / "contacts.csv"
    assert export_contacts(session, path) == 6
    before = snapshot(session)
    summary = import_contacts(session, path, user=user, now=IMPORT_NOW)
    assert (summary.pupils, summary.pupils_changed) == (3, 0)
    assert snapshot(session) == before


BAD_ROWS = {
    "unknown pupil": (f"{make_upn(77)},1,Ann Other,Aunt,N,,", "upn", "unknown pupil"),
    "bad UPN check letter": ("{bad},1,Ann Other,Aunt,N,,", "upn", "bad UPN check letter"),
    "priority zero": ("{amy},0,Ann Other,Aunt,N,,", "priority", "whole number from 1"),
    "priority not whole": ("{amy},1.5,Ann Other,Aunt,N,,", "priority", "whole number from 1"),
    "priority twice": ("{amy},2,Ann Other,Aunt,N,,", "priority", "also on line 2"),
    "parental responsibility": (
        "{amy},3,Ann Other,Aunt,maybe,,",
        "parental_responsibility",
        "Y or N",
    ),
    "blank name": ("{amy},3,,Aunt,N,,", "name", "required"),
    "email": ("{amy},3,Ann Other,Aunt,N,,ann.example.org", "email", "not an email address"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_row_is_reported_and_nothing_changes(
    case: str, session: Session, school: School, tmp_path: Path
) -> None:
    """Each bad contact row gives `file:3: field: problem` and the database is unchanged."""
    user, (amy, *_) = school
    row, column, words = BAD_ROWS[case]
    bad = ("B" if amy.upn[0] != "B" else "C") + amy.upn[1:]
    row = row.format(amy=amy.upn, bad=bad)
    path = write_csv(tmp_path, "c.csv", f"{HEADER}\n{amy.upn},2,Sarah Adams,Mother,Y,,\n{row}\n")
    before = snapshot(session)
    with pytest.raises(ImportFailed) as caught:
        import_contacts(session, path, user=user, now=IMPORT_NOW)
    assert len(caught.value.errors) == 1, caught.value.errors
    assert caught.value.errors[0].startswith(f"{path}:3: {column}: ")
    assert words in caught.value.errors[0]
    assert nothing_pending(session)
    assert snapshot(session) == before


def test_a_title_column_gives_titles_and_a_file_without_one_keeps_them(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A file with a Title column gives Amy's mother "Mrs" (audited); a later file with no
    title column changes her phone and leaves "Mrs" as it was."""
    user, (amy, *_) = school
    titled = write_csv(
        tmp_path,
        "titled.csv",
        f"""\
        {HEADER},title
        {amy.upn},1,Sarah Adams,Mother,Y,07700 900001,,Mrs
        {amy.upn},2,David Adams,Father,Y,07700 900002,,
        """,
    )
    import_contacts(session, titled, user=user, now=IMPORT_NOW)
    session.commit()
    titles = lambda: [c.title for c in amy.contacts]  # noqa: E731
    assert titles() == ["Mrs", None]
    changed = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "contact", AuditEvent.action == "update")
    ).all()
    assert [json.loads(e.detail)["changes"]["title"] for e in changed] == [
        {"old": None, "new": "Mrs"}
    ]
    untitled = write_csv(
        tmp_path,
        "untitled.csv",
        f"""\
        {HEADER}
        {amy.upn},1,Sarah Adams,Mother,Y,07700 900009,
        {amy.upn},2,David Adams,Father,Y,07700 900002,
        """,
    )
    import_contacts(session, untitled, user=user, now=IMPORT_NOW)
    session.commit()
    assert titles() == ["Mrs", None]
    assert amy.contacts[0].phone == "07700 900009"
