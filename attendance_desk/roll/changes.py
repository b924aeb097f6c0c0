"""Admissions to and removals from the roll, and telling the local authority about them.

The 2024 regulations let a name leave the admission register only for a regulation 9(1)
ground, never backdated, and require the LA to be told of every new pupil within five
school days and of every deletion. `admit` and `remove` validate everything first, then
write the pupil, the `RollChange` and the audit event in the caller's transaction; each
change stays on the Today worklist until `record_la_notified` is called for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.models import Contact, Mark, Pupil, RegGroup, RollChange, User
from attendance_desk.roll.grounds import (
    DESTINATION_ADDRESS,
    DESTINATION_SCHOOL,
    UnknownGround,
    grounds_for,
)
from attendance_desk.roll.grounds import ground as find_ground
from attendance_desk.roll.identity import SEXES, BadUpn, valid_upn
from attendance_desk.roll.lock import removal_of
from attendance_desk.school import setup as school_setup
from attendance_desk.uk_dates import day_text
from attendance_desk.wording import plural, verb

#: Ages (on the start date) the office may admit; outside them a date of birth is a typo.
YOUNGEST, OLDEST = 2, 19
#: Shortest details the office may give for a removal: a word or two is not a record.
MIN_DETAILS = 10


class RollError(ValueError):
    """An admission or removal that cannot be recorded; the message names the field."""


#: The longest title a contact may have (the column's size).
TITLE_LENGTH = 20


@dataclass(frozen=True, slots=True)
class NewContact:
    """A contact given with an admission, in priority order."""

    name: str
    relationship: str
    phone: str = ""
    email: str = ""
    parental_responsibility: bool = True
    #: Mr, Mrs, Ms…: letters then open "Dear Ms Dudek".
    title: str = ""


@dataclass(frozen=True, slots=True)
class RollStatus:
    """How the pupil stands on the roll, as the screens say it."""

    on_roll_from: date
    left_on: date | None
    ground_title: str
    read_only: bool

    @property
    def text(self) -> str:
        if self.left_on is None:
            return f"On roll since {day_text(self.on_roll_from)}"
        tense = "Left" if self.read_only else "Leaves"
        why = f" ({self.ground_title})" if self.ground_title else ""
        return f"{tense} on {day_text(self.left_on)}{why}"


def _required(value: str, field: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise RollError(f"{field}: required")
    return value


def admit(
    session: Session,
    *,
    upn: str,
    legal_surname: str,
    legal_forename: str,
    date_of_birth: date,
    year_group: str,
    reg_group: str,
    start_date: date,
    user: User,
    now: datetime,
    preferred_forename: str = "",
    sex: str = "",
    address: str = "",
    contacts: Sequence[NewContact] = (),
) -> Pupil:
    """Put a new pupil on roll from `start_date` and open the LA's new-pupil return."""
    require(user, Permission.AMEND_REGISTER)
    try:
        number = valid_upn(upn)
    except BadUpn as exc:
        raise RollError(f"UPN: {exc}") from None
    holder = session.scalar(select(Pupil).where(Pupil.upn == number))
    if holder is not None:
        raise RollError(f"UPN: {number} already belongs to {holder.display_name}")
    surname = _required(legal_surname, "Legal surname")
    forename = _required(legal_forename, "Legal forename")
    sex = sex.strip().upper()
    if sex and sex not in SEXES:
        raise RollError(f"Sex: expected M, F or U, not '{sex}'")
    age = start_date.year - date_of_birth.year
    age -= (start_date.month, start_date.day) < (date_of_birth.month, date_of_birth.day)
    if not YOUNGEST <= age <= OLDEST:
        raise RollError(
            f"Date of birth: {day_text(date_of_birth)} makes the pupil {age} on the start date; "
            f"expected {YOUNGEST} to {OLDEST}"
        )
    try:
        year = school_setup.year_group(session, year_group.strip().upper())
    except ValueError as exc:
        raise RollError(f"Year group: {exc}") from None
    group_name = _required(reg_group, "Registration group")
    group = session.scalar(select(RegGroup).where(RegGroup.name == group_name))
    if group is not None and group.year_group_id != year.id:
        raise RollError(
            f"Registration group: {group_name} is a {group.year_group.name} group, not {year.name}"
        )
    for i, c in enumerate(contacts, start=1):
        if len(c.title.strip()) > TITLE_LENGTH:
            raise RollError(f"Contact {i} title: at most {TITLE_LENGTH} characters (Mr, Mrs, Dr…)")
    entries = [
        (
            _required(c.name, f"Contact {i} name"),
            _required(c.relationship, f"Contact {i} relationship"),
            c,
        )
        for i, c in enumerate(contacts, start=1)
    ]
    pupil = Pupil(
        upn=number,
        legal_surname=surname,
        legal_forename=forename,
        preferred_forename=" ".join(preferred_forename.split()) or None,
        date_of_birth=date_of_birth,
        sex=sex or None,
        year_group=year,
        reg_group=group or school_setup.reg_group(session, group_name, year),
        on_roll_from=start_date,
        address=" ".join(address.split()) or None,
        contacts=[
            Contact(
                priority=i,
                title=c.title.strip() or None,
                name=name,
                relationship_to_pupil=relationship,
                parental_responsibility=c.parental_responsibility,
                phone=c.phone.strip() or None,
                email=c.email.strip() or None,
            )
            for i, (name, relationship, c) in enumerate(entries, start=1)
        ],
    )
    session.add(pupil)
    change = _change(session, pupil, "admission", start_date, user=user, now=now)
    audit.record(
        session,
        user=user,
        now=now,
        action="admit",
        entity="pupil",
        entity_id=pupil.id,
        upn=number,
        start_date=start_date,
        year_group=year.code,
        reg_group=group_name,
        contacts=len(entries),
        roll_change=change.id,
    )
    return pupil


def record_admission(session: Session, *, pupil: Pupil, user: User, now: datetime) -> RollChange:
    """A pupil entered on the admission register by an import (a pupils CSV or a CTF): the
    LA's new-pupil return is then due as for one admitted at the desk (regulation 13(1))."""
    change = _change(session, pupil, "admission", pupil.on_roll_from, user=user, now=now)
    audit.record(
        session,
        user=user,
        now=now,
        action="admit",
        entity="pupil",
        entity_id=pupil.id,
        upn=pupil.upn,
        start_date=pupil.on_roll_from,
        roll_change=change.id,
        source="import",
    )
    return change


#: Where the office takes a pupil off roll; imports point there.
REMOVE_FROM_ROLL = "Desk → Remove from roll"


def leaving_problem(stored: Pupil | None, on_roll_to: date | None) -> tuple[str, str] | None:
    """(field, problem) when an imported row would take a pupil off roll.

    A pupil leaves only through the removal service: a regulation 9(1) ground, never
    backdated, and the deletion return. So an import may not give a leaving date (a new
    pupil's, or a different one for a pupil here).
    """
    if on_roll_to is None or (stored is not None and stored.on_roll_to == on_roll_to):
        return None
    return (
        "on_roll_to",
        f"an import cannot take a pupil off roll ({on_roll_to}): use {REMOVE_FROM_ROLL} "
        "(a regulation 9 ground, never backdated, with the deletion return to the LA); "
        "leave on_roll_to blank",
    )


def _change(
    session: Session,
    pupil: Pupil,
    kind: str,
    effective_on: date,
    *,
    user: User,
    now: datetime,
    **values: str | None,
) -> RollChange:
    change = RollChange(
        pupil=pupil,
        kind=kind,
        effective_on=effective_on,
        recorded_at=now,
        recorded_by_id=user.id,
        recorded_by_name=user.full_name,
        **values,
    )
    session.add(change)
    session.flush()
    return change


def remove(
    session: Session,
    *,
    pupil_id: int,
    ground: str,
    effective_on: date,
    details: str,
    user: User,
    now: datetime,
    destination_school: str = "",
    destination_address: str = "",
    today: date | None = None,
) -> RollChange:
    """Delete a pupil's name from the register on `effective_on` (their last day on roll).

    Refused, naming the problem, for an unknown or unavailable ground, a date before
    `today` (the clock's date unless given), missing details, or a pupil already removed.
    """
    require(user, Permission.AMEND_REGISTER)
    today = today or now.date()
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise RollError(f"no pupil with id {pupil_id}")
    if removal_of(session, pupil) is not None:
        raise RollError(f"{pupil.display_name} has already been taken off roll")
    if effective_on < today:
        raise RollError(
            f"Date of deletion: {day_text(effective_on)} is in the past; a deletion is never "
            f"backdated (the earliest is today, {day_text(today)})"
        )
    if effective_on < pupil.on_roll_from:
        raise RollError(
            f"Date of deletion: {pupil.display_name} only joins the roll on "
            f"{day_text(pupil.on_roll_from)}"
        )
    try:
        chosen = find_ground(ground)
    except UnknownGround as exc:
        raise RollError(f"Ground: {exc}") from None
    offered = {c.ground.key: c for c in grounds_for(session, pupil, effective_on)}
    if not offered[chosen.key].available:
        raise RollError(f"Ground {chosen.regulation}: not available: {offered[chosen.key].why_not}")
    text = details.strip()
    if len(text) < MIN_DETAILS:
        raise RollError(f"Details: required for {chosen.title}: {chosen.details_prompt.lower()}")
    school = " ".join(destination_school.split())
    address = " ".join(destination_address.split())
    if DESTINATION_SCHOOL in chosen.requires and not school:
        raise RollError(f"Destination school: required for {chosen.title}")
    if DESTINATION_ADDRESS in chosen.requires and not address:
        raise RollError(f"New address: required for {chosen.title}")
    later = session.scalar(
        select(func.count())
        .select_from(Mark)
        .where(Mark.pupil_id == pupil.id, Mark.date > effective_on)
    )
    if later:
        raise RollError(
            f"Date of deletion: {plural(later, 'mark')} {verb(later, 'is', 'are')} already "
            f"recorded for {pupil.display_name} "
            f"after {day_text(effective_on)} (leave filled in ahead?); choose a later date"
        )
    change = _change(
        session,
        pupil,
        "removal",
        effective_on,
        user=user,
        now=now,
        ground=chosen.key,
        details=text,
        destination_school=school or None,
        destination_address=address or None,
    )
    old = pupil.on_roll_to
    pupil.on_roll_to = effective_on
    audit.record(
        session,
        user=user,
        now=now,
        action="remove_from_roll",
        entity="pupil",
        entity_id=pupil.id,
        upn=pupil.upn,
        ground=chosen.regulation,
        effective_on=effective_on,
        on_roll_to={"old": old, "new": effective_on},
        roll_change=change.id,
    )
    return change


def record_la_notified(
    session: Session,
    *,
    change_id: int,
    notified_on: date,
    user: User,
    now: datetime,
) -> RollChange:
    """Record that the LA was sent the new-pupil or deletion return; closes the action."""
    require(user, Permission.AMEND_REGISTER)
    change = session.get(RollChange, change_id)
    if change is None:
        raise RollError(f"no admission or removal with id {change_id}")
    if change.la_notified_on is not None:
        raise RollError(
            f"the LA was already recorded as told on {day_text(change.la_notified_on)} "
            f"by {change.la_notified_by}"
        )
    if notified_on > now.date():
        raise RollError(f"Date the LA was told: {day_text(notified_on)} is in the future")
    change.la_notified_on = notified_on
    change.la_notified_by = user.full_name
    audit.record(
        session,
        user=user,
        now=now,
        action="la_notified",
        entity="roll_change",
        entity_id=change.id,
        pupil_id=change.pupil_id,
        kind=change.kind,
        notified_on=notified_on,
    )
    return change


def roll_status(session: Session, pupil: Pupil, today: date) -> RollStatus:
    """On roll, leaving on a date, or left (and so read-only), with the ground."""
    removal = removal_of(session, pupil)
    left_on = removal.effective_on if removal else pupil.on_roll_to
    title = ""
    if removal is not None and removal.ground:
        try:
            title = find_ground(removal.ground).title
        except UnknownGround:
            title = removal.ground
    return RollStatus(
        on_roll_from=pupil.on_roll_from,
        left_on=left_on,
        ground_title=title,
        read_only=removal is not None and removal.effective_on < today,
    )
