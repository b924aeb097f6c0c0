"""The late-arrival desk: find a child in two keystrokes, sign them in with the clock.

Children without a present mark this session are offered first, since they are the ones
arriving; the mark is `L` with minutes before the register closes, `U` after, and an
existing absence mark is amended with the reason "arrived late" (never overwritten).

A sign-in of the wrong child is undone by an amendment back to the mark it replaced, with
the reason, so the history shows both; a session that had no mark goes back to `N` (no
reason yet), for the class register or a call to settle. Nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, select
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.desk.errors import DeskError
from attendance_desk.models import Mark, Pupil, RegGroup, User
from attendance_desk.pupils.name_search import fold
from attendance_desk.register.arrivals import arrival_mark
from attendance_desk.register.marks import ConcurrentChange, record_or_amend

ARRIVED_LATE = "arrived late"
UNDONE = "sign-in undone"


@dataclass(frozen=True, slots=True)
class DeskMatch:
    pupil_id: int
    name: str
    group: str
    todays_code: str | None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """What a sign-in recorded, and what it replaced (to undo it)."""

    name: str
    group: str
    session: str
    code: str
    minutes_late: int
    replaced: str | None
    reason: str | None
    mark_id: int = 0
    version: int = 0  # the mark's version just after the sign-in
    replaced_minutes: int | None = None


def find_pupils(session: Session, text: str, now: datetime, limit: int = 8) -> list[DeskMatch]:
    """Pupils on roll whose forename or surname starts with `text`, not-yet-present first.

    Accents, apostrophes and case are ignored ("wojcik" finds Wójcik, "obr" O'Brien): the
    names on roll are folded here (`name_search`), since SQL cannot fold them.
    """
    typed = fold(text)
    if not typed:
        return []
    today = now.date()
    mark = Mark.__table__.alias("today")
    query = (
        select(
            Pupil.id,
            Pupil.legal_forename,
            Pupil.preferred_forename,
            Pupil.legal_surname,
            RegGroup.name,
            mark.c.code,
        )
        .join(Pupil.reg_group)
        # Midday is close enough to sort by: the exact session is decided per year group
        # when the child is signed in.
        .outerjoin(
            mark,
            and_(
                mark.c.pupil_id == Pupil.id,
                mark.c.date == today,
                mark.c.session == ("PM" if now.hour >= 12 else "AM"),
            ),
        )
        .where(Pupil.on_roll_between(today, today))
        .order_by(
            case((mark.c.code.in_(codes.PRESENT_CODES), 1), else_=0),
            Pupil.legal_surname,
            Pupil.legal_forename,
        )
    )
    found: list[DeskMatch] = []
    for pupil_id, forename, preferred, surname, group, code in session.execute(query):
        names = (forename, preferred or "", surname, f"{forename} {surname}")
        if any(fold(name).startswith(typed) for name in names):
            found.append(DeskMatch(pupil_id, f"{preferred or forename} {surname}", group, code))
            if len(found) == limit:
                break
    return found


def sign_in_late(
    session: Session, *, pupil_id: int, user: User, now: datetime, reason: str | None = None
) -> SignedIn:
    """Record a late arrival now; refuses a child already marked present this session."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None or not pupil.on_roll(now.date()):
        raise DeskError("that pupil is not on roll today")
    try:
        arrival = arrival_mark(pupil.year_group, now)
    except ValueError as exc:
        raise DeskError(str(exc)) from None
    existing = session.scalar(
        select(Mark).where(
            Mark.pupil_id == pupil.id, Mark.date == now.date(), Mark.session == arrival.session
        )
    )
    note = reason.strip() if reason and reason.strip() else None
    replaced, replaced_minutes = None, None
    if existing is not None:
        entry = codes.BY_CODE[existing.code]
        if entry.category is codes.Category.PRESENT or entry.code == codes.LATE_AFTER_CLOSE:
            raise DeskError(
                f"{pupil.display_name} is already signed in ({existing.code}) this session"
            )
        replaced, replaced_minutes = existing.code, existing.minutes_late
    mark = record_or_amend(
        session,
        pupil=pupil,
        day=now.date(),
        session_name=arrival.session,
        code=arrival.code,
        existing=existing,
        amend_reason=f"{ARRIVED_LATE}: {note}" if note else ARRIVED_LATE,
        user=user,
        now=now,
        # a first mark keeps the note as its own; an amendment keeps it in its reason
        reason=note if existing is None else None,
        minutes_late=arrival.minutes_late,
    ).mark
    session.flush()
    return SignedIn(
        pupil.display_name,
        pupil.reg_group.name,
        arrival.session,
        arrival.code,
        arrival.minutes_late,
        replaced,
        note,
        mark.id,
        mark.version,
        replaced_minutes,
    )


def undo_sign_in(
    session: Session, *, signed: SignedIn, reason: str, user: User, now: datetime
) -> str:
    """Put the mark a sign-in made back as it was, as an amendment with `reason`; returns
    the code it now has. Refused when someone has changed the mark since."""
    if not reason.strip():
        raise DeskError("say why the sign-in is undone (kept with the register)")
    mark = session.get(Mark, signed.mark_id)
    if mark is None:
        raise DeskError(f"{signed.name}'s sign-in is not in the register")
    if mark.version != signed.version:
        raise ConcurrentChange(
            f"{signed.name}'s mark has been changed since the sign-in ({mark.code} now): "
            "correct it in the register instead"
        )
    pupil = session.get(Pupil, mark.pupil_id)
    if pupil is None:
        raise DeskError(f"{signed.name} is not in the register")
    back = signed.replaced or codes.REASON_NOT_PROVIDED
    record_or_amend(
        session,
        pupil=pupil,
        day=mark.date,
        session_name=mark.session,
        code=back,
        existing=mark,
        amend_reason=f"{UNDONE}: {reason.strip()}",
        user=user,
        now=now,
        minutes_late=signed.replaced_minutes,
    )
    return back
