"""Who is on site now, for the fire-drill list, and pupils signing out and back in.

The list starts from everyone on roll today and takes away only those the register says are
not here this session (absent, on a trip, at another school) and those signed out at the
desk. A pupil whose register for the session has not been taken yet stays on the list,
marked "register not taken", and their group is named at the top: at 08:45, before any
register, the whole school is listed; at 13:20, before the afternoon register, everyone
is listed with the morning's mark beside them. Nobody is left out because a teacher is
late with the register.

Pupils leaving early are signed out (time, reason, who collected them) and back in on
return, at the same desk as late arrivals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.access import audit
from attendance_desk.catalogues import codes
from attendance_desk.desk.errors import DeskError
from attendance_desk.models import Mark, Pupil, SignOut, User
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.register_times import session_at

#: Marks that put a pupil on site for the session (`U`: arrived after the register closed).
ON_SITE_CODES = (*codes.PRESENT_CODES, codes.LATE_AFTER_CLOSE)
LATE_CODES = (codes.LATE, codes.LATE_AFTER_CLOSE)

PRESENT = "present"
LATE = "late"
NOT_TAKEN = "register not taken"
SIGNED_OUT = "signed out"


@dataclass(frozen=True, slots=True)
class OnSitePupil:
    """One pupil on the list; `code` is this session's mark ("" before the register)."""

    pupil_id: int
    upn: str
    name: str
    status: str  # PRESENT, LATE, NOT_TAKEN or SIGNED_OUT
    code: str = ""
    note: str = ""

    @property
    def on_site(self) -> bool:
        return self.status != SIGNED_OUT


@dataclass(frozen=True, slots=True)
class OnSiteGroup:
    """A registration group's pupils on the list; `taken` is False while any of them has
    no mark for the session yet."""

    group: str
    pupils: tuple[OnSitePupil, ...]
    taken: bool = True

    @property
    def on_site(self) -> tuple[OnSitePupil, ...]:
        return tuple(p for p in self.pupils if p.on_site)


@dataclass(frozen=True)
class FireList:
    """Everyone expected on site at `at`, by group, with the signed-out pupils in their
    group (status SIGNED_OUT, not counted)."""

    at: datetime
    groups: tuple[OnSiteGroup, ...]

    @property
    def total(self) -> int:
        return sum(len(g.on_site) for g in self.groups)

    @property
    def not_taken(self) -> list[str]:
        """Groups whose register for the session is not (fully) taken yet."""
        return [g.group for g in self.groups if not g.taken]

    @property
    def signed_out(self) -> list[tuple[OnSitePupil, str]]:
        """Signed-out pupils with their group, by group then name."""
        return [(p, g.group) for g in self.groups for p in g.pupils if not p.on_site]

    def as_json(self) -> dict[str, Any]:
        """The shape promised for `on-site --json` (docs/rules.md#cli-contract)."""
        return {
            "at": self.at.isoformat(timespec="minutes"),
            "total": self.total,
            "not_taken": self.not_taken,
            "groups": [
                {
                    "group": g.group,
                    "taken": g.taken,
                    "pupils": [
                        {"upn": p.upn, "name": p.name, "status": p.status, "note": p.note}
                        for p in g.pupils
                    ],
                }
                for g in self.groups
            ],
        }


def not_taken_warning(groups: Sequence[str]) -> str:
    """The line at the top naming the groups whose register is not taken yet."""
    names = ", ".join(groups)
    return (
        f"Register not taken yet: {names}. Their pupils without a mark are listed from the "
        "roll as “register not taken”: check them with the class teacher."
    )


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
        raise DeskError("say why the pupil is leaving (appointment, unwell…)")
    if currently_out(session, now).get(pupil_id):
        raise DeskError("that pupil is already signed out")
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
        raise DeskError("that pupil is not signed out")
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


def fire_list(session: Session, now: datetime) -> FireList:
    """Everyone on roll today less those marked not here this session and those signed
    out (listed apart); pupils with no mark yet for the session stay, "register not taken".
    Each pupil's session is their year group's (the afternoon from its register opening)."""
    today = now.date()
    if not load_calendar(session).is_school_day(today):
        return FireList(now, ())
    marks: dict[tuple[int, str], tuple[str, int | None]] = {}
    for pupil_id, sess, code, minutes in session.execute(
        select(Mark.pupil_id, Mark.session, Mark.code, Mark.minutes_late).where(Mark.date == today)
    ):
        marks[(pupil_id, sess)] = (code, minutes)
    out = currently_out(session, now)
    pupils = session.scalars(
        select(Pupil)
        .options(selectinload(Pupil.reg_group), selectinload(Pupil.year_group))
        .where(Pupil.on_roll_between(today, today))
        .order_by(Pupil.legal_surname, Pupil.legal_forename, Pupil.id)
    )
    groups: dict[str, list[OnSitePupil]] = defaultdict(list)
    not_taken: set[str] = set()
    for pupil in pupils:
        sess = session_at(pupil.year_group, now.time())
        mark = marks.get((pupil.id, sess))
        group = pupil.reg_group.name
        if mark is None:
            not_taken.add(group)
        entry = _entry(pupil, sess, mark, marks.get((pupil.id, "AM")), out.get(pupil.id))
        if entry is not None:
            groups[group].append(entry)
    return FireList(
        now,
        tuple(
            OnSiteGroup(name, tuple(groups[name]), name not in not_taken) for name in sorted(groups)
        ),
    )


def _entry(
    pupil: Pupil,
    sess: str,
    mark: tuple[str, int | None] | None,
    morning: tuple[str, int | None] | None,
    out: SignOut | None,
) -> OnSitePupil | None:
    """The pupil's line on the list, or None when the register says they are not here."""
    line = (pupil.id, pupil.upn, pupil.display_name)
    code = mark[0] if mark else ""
    if out is not None:
        return OnSitePupil(*line, SIGNED_OUT, code, f"out {out.out_at:%H:%M} {out.reason}")
    if mark is None:
        earlier = f"this morning {morning[0]}" if sess == "PM" and morning else ""
        return OnSitePupil(*line, NOT_TAKEN, "", earlier)
    if code not in ON_SITE_CODES:
        return None
    if code in LATE_CODES:
        minutes = mark[1]
        return OnSitePupil(*line, LATE, code, f"late, {minutes} min" if minutes else "late")
    return OnSitePupil(*line, PRESENT, code)
