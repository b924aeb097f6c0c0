"""Contacts as CSV: `upn,priority,name,relationship,parental_responsibility,phone,email`.

Importing replaces the contacts of each pupil named in the file with the file's; pupils
not in the file keep theirs. A stored contact with the same name as one in the file is
updated in place rather than deleted and added again, so what the file does not hold
(an alternative phone, "do not contact", court-order notes) is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.csv_files import write_table
from attendance_desk.interop import fields, mis_values
from attendance_desk.interop.csv_io import Table, read_table
from attendance_desk.interop.errors import Problems
from attendance_desk.interop.row_verdicts import (
    Progress,
    ProgressCallback,
    RowVerdict,
    Status,
)
from attendance_desk.interop.row_verdicts import error as verdict_error
from attendance_desk.models import Contact, Pupil, User
from attendance_desk.pupils import name_search
from attendance_desk.roll.lock import RecordClosed, ensure_record_open

COLUMNS = ("upn", "priority", "name", "relationship", "parental_responsibility", "phone", "email")
#: Read when a file has it ("Ms", for "Dear Ms Adams"); a file without it keeps the titles
#: stored. Exports keep the columns above, so the layout automation reads does not change.
IMPORT_ONLY = ("title",)
#: Priorities are parked above this while contacts are re-ordered, so that two contacts
#: swapping places never hold the same priority at once (it is unique per pupil).
PARKED = 1_000_000


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
    title: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "priority": self.priority,
            "name": self.name,
            "relationship": self.relationship,
            "parental_responsibility": self.parental_responsibility,
            "phone": self.phone,
            "email": self.email,
            "title": self.title,
        }


def _entry(contact: Contact) -> _Entry:
    return _Entry(
        contact.priority,
        contact.name,
        contact.relationship_to_pupil,
        contact.parental_responsibility,
        contact.phone,
        contact.email,
        contact.title,
    )


@dataclass(slots=True)
class _PupilPlan:
    """One pupil's contacts as stored and as the file has them, matched by name."""

    pupil: Pupil
    old: list[_Entry]
    entries: list[_Entry]
    #: Each entry with the stored contact it updates (None for a new one) and what differs.
    matches: list[tuple[Contact | None, _Entry, dict[str, tuple[Any, Any]]]]
    removed: list[Contact]


@dataclass(frozen=True, slots=True)
class ContactsPlan:
    """A checked contacts file and what importing it would do, row by row; writes nothing."""

    problems: Problems
    verdicts: list[RowVerdict]
    plans: list[_PupilPlan]
    pupils: int


def import_contacts(
    session: Session,
    path: Path,
    *,
    user: User,
    now: datetime,
    mapping: Mapping[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> ContactsSummary:
    """Replace the contacts of every pupil in the file, or change nothing (`ImportFailed`).

    Args:
        mapping: the file's header for each of our columns, for an MIS export's own names.
        progress: told (done, total) as each pupil's contacts are written.
    """
    require(user, Permission.AMEND_REGISTER)
    table = read_file(path, mapping)
    plan = plan_contacts(session, table, today=now.date())
    plan.problems.raise_if_any()
    return _write(session, plan, user=user, now=now, file=path.name, progress=progress)


def read_file(path: Path, mapping: Mapping[str, str] | None = None) -> Table:
    """The file's rows under our column names (see `csv_io.read_table`).

    Our own layout always has every column; an MIS export may have no phone or email
    column, and those cells may be blank anyway.
    """
    if mapping is None:
        return read_table(path, required=COLUMNS, optional=IMPORT_ONLY)
    return read_table(
        path, required=COLUMNS[:-2], optional=(*COLUMNS[-2:], *IMPORT_ONLY), mapping=mapping
    )


def plan_contacts(session: Session, table: Table, *, today: date) -> ContactsPlan:
    """Check every row and match it to a stored contact: the one path both the preview and
    the import take. A leaver's contacts that would change are a problem on each line."""
    problems = table.problems()
    pupils = {
        p.upn: p for p in session.scalars(select(Pupil).options(selectinload(Pupil.contacts)))
    }
    by_pupil: dict[str, list[tuple[int, _Entry]]] = defaultdict(list)
    lines: dict[tuple[str, int], int] = {}
    verdicts: dict[int, RowVerdict] = {}
    has_title = "title" in table.columns
    for row in table.rows:
        check = fields.RowCheck(problems, row)
        upn = check.value("upn", _known_upn(pupils), required=True)
        priority = check.value("priority", mis_values.priority, required=True)
        name = check.text("name", max_length=200, required=True)
        relationship = check.text("relationship", max_length=60, required=True)
        pr = check.value("parental_responsibility", fields.flag, required=True)
        phone = check.text("phone", max_length=40)
        if phone:
            check.value("phone", fields.phone)
        email = check.text("email", max_length=200)
        if email:
            check.value("email", fields.email)
        title = check.text("title", max_length=20) if has_title else None
        if upn and priority:
            first = lines.setdefault((upn, priority), row.line)
            if first != row.line:
                check.bad("priority", f"priority {priority} for {upn} is also on line {first}")
        if check.ok and upn and priority and name and relationship and pr is not None:
            entry = _Entry(priority, name, relationship, pr, phone, email, title)
            by_pupil[upn].append((row.line, entry))
        else:
            verdicts[row.line] = verdict_error(row.line, check.found)

    plans: list[_PupilPlan] = []
    for upn, lined in by_pupil.items():
        pupil = pupils[upn]
        lined.sort(key=lambda item: item[1].priority)
        plan = _match(pupil, [entry for _, entry in lined], keep_titles=not has_title)
        if plan.old != plan.entries:
            try:
                ensure_record_open(session, pupil, today=today, what="contacts")
            except RecordClosed as exc:
                for line, _ in lined:
                    problems.add(line, "upn", str(exc))
                    verdicts[line] = verdict_error(line, [("upn", str(exc))])
                continue
        for (line, _), (match, _, changes) in zip(lined, plan.matches, strict=True):
            status = Status.UPDATED if changes else Status.UNCHANGED
            verdicts[line] = RowVerdict(line, Status.NEW if match is None else status, changes)
        if plan.old != plan.entries:
            plans.append(plan)
    ordered = [verdicts[line] for line in sorted(verdicts)]
    return ContactsPlan(problems, ordered, plans, len(by_pupil))


def _match(pupil: Pupil, entries: list[_Entry], *, keep_titles: bool) -> _PupilPlan:
    """Pair each entry with the stored contact of the same name; with `keep_titles` (a file
    with no title column) a matched contact keeps the title stored."""
    remaining = list(pupil.contacts)
    matches: list[tuple[Contact | None, _Entry, dict[str, tuple[Any, Any]]]] = []
    kept: list[_Entry] = []
    for entry in entries:
        match = next((c for c in remaining if same_name(c.name, entry.name)), None)
        changes: dict[str, tuple[Any, Any]] = {}
        if match is not None:
            if keep_titles:
                entry = replace(entry, title=match.title)
            remaining.remove(match)
            old = _entry(match).as_dict()
            changes = {k: (old[k], v) for k, v in entry.as_dict().items() if old[k] != v}
        matches.append((match, entry, changes))
        kept.append(entry)
    return _PupilPlan(pupil, [_entry(c) for c in pupil.contacts], kept, matches, remaining)


def _write(
    session: Session,
    plan: ContactsPlan,
    *,
    user: User,
    now: datetime,
    file: str,
    progress: ProgressCallback | None,
) -> ContactsSummary:
    counts = {"added": 0, "updated": 0, "removed": 0}
    meter = Progress(progress, len(plan.plans))
    meter.start()
    for item in plan.plans:
        for contact in item.removed:
            item.pupil.contacts.remove(contact)
            counts["removed"] += 1
            _audit(session, user, now, file, "remove", contact.id, item.pupil, _entry(contact))
        for match, entry, _changes in item.matches:
            if match is not None and match.priority != entry.priority:
                match.priority = PARKED + match.id
        audit.record(
            session,
            user=user,
            now=now,
            action="replace",
            entity="contacts",
            entity_id=item.pupil.id,
            upn=item.pupil.upn,
            source=file,
            old=[e.as_dict() for e in item.old],
            new=[e.as_dict() for e in item.entries],
        )
    session.flush()
    added: list[tuple[Pupil, Contact, _Entry]] = []
    for item in plan.plans:
        for match, entry, changes in item.matches:
            if match is None:
                contact = Contact()
                item.pupil.contacts.append(contact)
                _fill(contact, entry.as_dict())
                added.append((item.pupil, contact, entry))
            else:
                match.priority = entry.priority  # parked above, whether or not it changed
                if changes:
                    _fill(match, {name: new for name, (_old, new) in changes.items()})
                    counts["updated"] += 1
                    _audit(session, user, now, file, "update", match.id, item.pupil, changes)
        item.pupil.contacts.sort(key=lambda c: c.priority)
        meter.advance()
    session.flush()
    for pupil, contact, entry in added:
        _audit(session, user, now, file, "create", contact.id, pupil, entry)
    counts["added"] = len(added)
    session.flush()
    return ContactsSummary(plan.pupils, len(plan.plans), **counts)


def _fill(contact: Contact, values: dict[str, Any]) -> None:
    """Set only the given fields; the file's "relationship" is the table's own column name."""
    for name, value in values.items():
        setattr(contact, "relationship_to_pupil" if name == "relationship" else name, value)


def _audit(
    session: Session,
    user: User,
    now: datetime,
    file: str,
    action: str,
    contact_id: int,
    pupil: Pupil,
    what: _Entry | dict[str, tuple[Any, Any]],
) -> None:
    """One audit event per contact: a new or removed one's values, an update's (old, new)."""
    detail: dict[str, Any] = (
        {"changes": {name: {"old": old, "new": new} for name, (old, new) in what.items()}}
        if isinstance(what, dict)
        else {"values": what.as_dict()}
    )
    audit.record(
        session,
        user=user,
        now=now,
        action=action,
        entity="contact",
        entity_id=contact_id,
        upn=pupil.upn,
        source=file,
        **detail,
    )


def _known_upn(pupils: dict[str, Pupil]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        upn = text.strip().upper().replace(" ", "")
        if upn not in pupils:
            fields.upn(text)  # a malformed UPN says what is wrong with it
            raise fields.FieldError(f"unknown pupil: no pupil has UPN {upn}")
        return upn

    return parse


def same_name(a: str, b: str) -> bool:
    """Whether a file's contact is a stored one: spaces, case, accents and apostrophes do
    not matter (the MIS may write Wojcik or O’Brien where the office typed Wójcik, O'Brien)."""
    return name_search.same_name(a, b)


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
