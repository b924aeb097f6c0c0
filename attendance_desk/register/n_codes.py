"""`N` (reason not yet provided) marks that must be resolved.

An `N` must become a reason code, or `O` if no reason comes, within a few school days (seed
002 section 4.4; the number comes from the policy preset). This lists every open `N` with
its age in school days and resolves any selection in one transaction, as amendments.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.models import Mark, Pupil, RegGroup, User
from attendance_desk.register.errors import RegisterError
from attendance_desk.register.marks import amend_mark
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.followup_policy import current_policy


@dataclass(frozen=True, slots=True)
class OpenN:
    mark_id: int
    version: int
    pupil_id: int
    name: str
    group: str
    day: date
    session: str
    age: int  # school days since the session, not counting its own day
    overdue: bool


def open_n_codes(session: Session, today: date) -> list[OpenN]:
    """Every `N` up to today, oldest first, with its age and whether it is overdue."""
    calendar = load_calendar(session)
    limit = current_policy(session).n_code_days
    rows = session.execute(
        select(Mark.id, Mark.version, Mark.pupil_id, Mark.date, Mark.session, Pupil, RegGroup.name)
        .join(Pupil, Pupil.id == Mark.pupil_id)
        .join(RegGroup, RegGroup.id == Pupil.reg_group_id)
        .where(Mark.code == codes.REASON_NOT_PROVIDED, Mark.date <= today)
        .order_by(Mark.date, Mark.session, Pupil.legal_surname)
    )
    out = []
    for mark_id, version, pupil_id, day, sess, pupil, group in rows:
        age = max(calendar.count_school_days(day, today) - 1, 0)
        out.append(
            OpenN(
                mark_id, version, pupil_id, pupil.display_name, group, day, sess, age, age >= limit
            )
        )
    return out


def resolve(
    session: Session,
    *,
    marks: Sequence[tuple[int, int]],
    code: str,
    reason: str,
    user: User,
    now: datetime,
) -> int:
    """Amend each (mark id, loaded version) from `N` to `code`; all or nothing."""
    if codes.lookup(code).code == codes.REASON_NOT_PROVIDED:
        raise RegisterError("resolve an N to a reason code or O, not to N again")
    done = 0
    for mark_id, version in marks:
        mark = session.get(Mark, mark_id)
        if mark is None or mark.version != version or mark.code != codes.REASON_NOT_PROVIDED:
            raise RegisterError("a mark in the selection was changed by someone else; reload")
        amend_mark(session, mark=mark, code=code, reason=reason, user=user, now=now)
        done += 1
    return done


@dataclass(frozen=True, slots=True)
class OverdueN:
    """A pupil's overdue `N` codes, for one worklist line: how many and the oldest."""

    pupil_id: int
    count: int
    oldest_mark_id: int
    oldest_day: date
    oldest_session: str


def overdue_by_pupil(
    session: Session, today: date, n_days: int, *, pupil_ids: Collection[int] | None = None
) -> dict[int, OverdueN]:
    """Pupils (of `pupil_ids`, or all) with `N` codes at least `n_days` school days old on
    `today` (one query, no pupil rows loaded: the worklist needs only the count and the
    oldest)."""
    calendar = load_calendar(session)
    reference = today if calendar.is_school_day(today) else calendar.previous_school_day(today)
    if reference is None:
        return {}
    try:
        cutoff = calendar.add_school_days(reference, -n_days)
    except ValueError:
        return {}
    query = select(Mark.id, Mark.pupil_id, Mark.date, Mark.session).where(
        Mark.code == codes.REASON_NOT_PROVIDED, Mark.date <= cutoff
    )
    if pupil_ids is not None:
        query = query.where(Mark.pupil_id.in_(pupil_ids))
    out: dict[int, OverdueN] = {}
    for mark_id, pupil_id, day, session_name in session.execute(
        query.order_by(Mark.date, Mark.session)
    ):
        found = out.get(pupil_id)
        if found is None:
            out[pupil_id] = OverdueN(pupil_id, 1, mark_id, day, session_name)
        else:
            out[pupil_id] = OverdueN(
                pupil_id,
                found.count + 1,
                found.oldest_mark_id,
                found.oldest_day,
                found.oldest_session,
            )
    return out
