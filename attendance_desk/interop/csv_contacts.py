"""Contacts as CSV: `upn,priority,name,relationship,parental_responsibility,phone,email`.

Importing replaces the contacts of each pupil named in the file with the file's; pupils
not in the file keep theirs. A stored contact with the same name as one in the file is
updated in place rather than deleted and added again, so what the file does not hold
(an alternative phone, "do not contact", court-order notes) is kept.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from attendance_desk import audit
from attendance_desk.interop import fields
from attendance_desk.interop.csv_io import read_table, write_table
from attendance_desk.models import Contact, Pupil, User

COLUMNS = ("upn", "priority", "name", "relationship", "parental_responsibility", "phone", "email")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: Priorities are parked above this while contacts are re-ordered, so that two contacts
#: swapping places never hold the same priority at once (it is unique per pupil).
_PARKED = 1_000_000


@dataclass(frozen=True, slots=True)
class ContactsSummary:
    """What a contacts import did."""

    pupils: int
    pupils_changed: int
    added: int
    updated: int
    removed: int

    def __str__(self) -> str:
        return (
            f"contacts for {self.pupils} pupils ({self.pupils_changed} changed): "
            f"{self.added} added, {self.updated} updated, {self.removed} removed"
        )


@dataclass(frozen=True, slots=True)
class _Entry:
    priority: int
    name: str
    relationship: str
    parental_responsibility: bool
    phone: str | None
    email: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "priority": self.priority,
            "name": self.name,
            "relationship": self.relationship,
            "parental_responsibility": self.parental_responsibility,
            "phone": self.phone,
            "email": self.email,
        }


def _entry(contact: Contact) -> _Entry:
    return _Entry(
        contact.priority,
        contact.name,
        contact.relationship_to_pupil,
        contact.parental_responsibility,
        contact.phone,
        contact.email,
    )


def import_contacts(session: Session, path: Path, *, user: User, now: datetime) -> ContactsSummary:
    """Replace the contacts of every pupil in the file, or change nothing (`ImportFailed`)."""
    table = read_table(path, required=COLUMNS)
    problems = table.problems()
    pupils = {
        p.upn: p for p in session.scalars(select(Pupil).options(selectinload(Pupil.contacts)))
    }
    by_pupil: dict[str, list[_Entry]] = defaultdict(list)
    lines: dict[tuple[str, int], int] = {}
    for row in table.rows:
        check = fields.RowCheck(problems, row)
        upn = check.value("upn", _known_upn(pupils), required=True)
        priority = check.value("priority", fields.positive_whole_number, required=True)
        name = check.text("name", max_length=200, required=True)
        relationship = check.text("relationship", max_length=60, required=True)
        pr = check.value("parental_responsibility", fields.flag, required=True)
        phone = check.text("phone", max_length=40)
        email = check.text("email", max_length=200)
        if email and not _EMAIL.fullmatch(email):
            check.bad("email", f"'{email}' is not an email address")
        if upn and priority:
            first = lines.setdefault((upn, priority), row.line)
            if first != row.line:
                check.bad("priority", f"priority {priority} for {upn} is also on line {first}")
        if check.ok and upn and priority and name and relationship and pr is not None:
            by_pupil[upn].append(_Entry(priority, name, relationship, pr, phone, email))
    problems.raise_if_any()

    counts = {"added": 0, "updated": 0, "removed": 0}
    plans: list[tuple[Pupil, list[tuple[Contact | None, _Entry]]]] = []
    for upn, entries in by_pupil.items():
        pupil = pupils[upn]
        entries.sort(key=lambda e: e.priority)
        old = [_entry(c) for c in pupil.contacts]
        if old == entries:
            continue
        remaining = list(pupil.contacts)
        plan: list[tuple[Contact | None, _Entry]] = []
        for entry in entries:
            match = next((c for c in remaining if _same_name(c.name, entry.name)), None)
            if match is not None:
                remaining.remove(match)
                if match.priority != entry.priority:
                    match.priority = _PARKED + match.id
            plan.append((match, entry))
        for contact in remaining:
            pupil.contacts.remove(contact)
            counts["removed"] += 1
        plans.append((pupil, plan))
        audit.record(
            session,
            user=user,
            now=now,
            action="replace",
            entity="contacts",
            entity_id=pupil.id,
            upn=upn,
            source=path.name,
            old=[e.as_dict() for e in old],
            new=[e.as_dict() for e in entries],
        )
    session.flush()
    for pupil, plan in plans:
        for match, entry in plan:
            if match is None:
                contact = Contact()
                pupil.contacts.append(contact)
                counts["added"] += 1
            else:
                contact = match
                counts["updated"] += _entry(contact) != entry
            contact.priority = entry.priority
            contact.name = entry.name
            contact.relationship_to_pupil = entry.relationship
            contact.parental_responsibility = entry.parental_responsibility
            contact.phone = entry.phone
            contact.email = entry.email
        pupil.contacts.sort(key=lambda c: c.priority)
    session.flush()
    return ContactsSummary(len(by_pupil), len(plans), **counts)


def _known_upn(pupils: dict[str, Pupil]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        upn = text.strip().upper().replace(" ", "")
        if upn not in pupils:
            fields.upn(text)  # a malformed UPN says what is wrong with it
            raise fields.FieldError(f"unknown pupil: no pupil has UPN {upn}")
        return upn

    return parse


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def export_contacts(session: Session, path: Path) -> int:
    """Write every pupil's contacts, by UPN then priority, in the import layout."""
    query = (
        select(Pupil.upn, Contact)
        .join(Contact, Contact.pupil_id == Pupil.id)
        .order_by(Pupil.upn, Contact.priority)
    )
    rows = (
        (
            upn,
            c.priority,
            c.name,
            c.relationship_to_pupil,
            fields.yes_no(c.parental_responsibility),
            c.phone,
            c.email,
        )
        for upn, c in session.execute(query)
    )
    return write_table(path, COLUMNS, rows)
