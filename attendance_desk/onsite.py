"""Who is on site now: present marks less pupils signed out, for the fire-drill list.

Pupils leaving early are signed out (time, reason, who collected them) and back in on
return, at the same desk as late arrivals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from attendance_desk import audit, codes
from attendance_desk.models import Mark, Pupil, SignOut, User
from attendance_desk.register import RegisterError
from attendance_desk.register_windows import session_at

ON_SITE_CODES = (*codes.PRESENT_CODES, codes.LATE_AFTER_CLOSE)


@dataclass(frozen=True, slots=True)
class OnSitePupil:
    pupil_id: int
    name: str
    code: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class OnSiteGroup:
    group: str
    pupils: tuple[OnSitePupil, ...]


def sign_out(
    session: Session,
    *,
    pupil_id: int,
    reason: str,
    collected_by: str | None,
    user: User,
    now: datetime,
) -> SignOut:
    """Record a pupil leaving the site; refused when they are already out."""
    if not reason.strip():
        raise RegisterError("say why the pupil is leaving (appointment, unwell…)")
    if currently_out(session, now).get(pupil_id):
        raise RegisterError("that pupil is already signed out")
    record = SignOut(
        pupil_id=pupil_id,
        day=now.date(),
        out_at=now,
        reason=reason.strip(),
        collected_by=(collected_by or "").strip() or None,
        recorded_by_id=user.id,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="sign_out",
        entity="pupil",
        entity_id=pupil_id,
        reason=record.reason,
        collected_by=record.collected_by,
    )
    return record


def sign_back_in(session: Session, *, pupil_id: int, user: User, now: datetime) -> SignOut:
    record = currently_out(session, now).get(pupil_id)
    if record is None:
        raise RegisterError("that pupil is not signed out")
    record.returned_at = now
    record.return_recorded_by_id = user.id
    audit.record(session, user=user, now=now, action="sign_in", entity="pupil", entity_id=pupil_id)
    return record


def currently_out(session: Session, now: datetime) -> dict[int, SignOut]:
    """Today's sign-outs with no return yet, by pupil id."""
    rows = session.scalars(
        select(SignOut).where(SignOut.day == now.date(), SignOut.returned_at.is_(None))
    )
    return {r.pupil_id: r for r in rows}


def on_site(session: Session, now: datetime) -> list[OnSiteGroup]:
    """Everyone on site now, by registration group: this session's mark (the morning's
    until the afternoon register is taken) is present or late, and not signed out."""
    marks: dict[int, dict[str, tuple[str, int | None]]] = defaultdict(dict)
    for pupil_id, sess, code, minutes in session.execute(
        select(Mark.pupil_id, Mark.session, Mark.code, Mark.minutes_late).where(
            Mark.date == now.date()
        )
    ):
        marks[pupil_id][sess] = (code, minutes)
    out = currently_out(session, now)
    pupils = session.scalars(
        select(Pupil)
        .options(selectinload(Pupil.reg_group), selectinload(Pupil.year_group))
        .where(Pupil.id.in_(list(marks)))
        .order_by(Pupil.legal_surname, Pupil.legal_forename)
    )
    groups: dict[str, list[OnSitePupil]] = defaultdict(list)
    for pupil in pupils:
        today = marks[pupil.id]
        code, minutes = (
            today.get(session_at(pupil.year_group, now.time())) or today.get("AM") or ("", None)
        )
        if code not in ON_SITE_CODES or pupil.id in out:
            continue
        note = ""
        if code in (codes.LATE, codes.LATE_AFTER_CLOSE):
            note = f"late, {minutes} min" if minutes else "late"
        groups[pupil.reg_group.name].append(OnSitePupil(pupil.id, pupil.display_name, code, note))
    return [OnSiteGroup(name, tuple(groups[name])) for name in sorted(groups)]
