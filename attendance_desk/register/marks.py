"""Recording and amending marks: the statutory register.

A saved mark is never overwritten. Before the session's register closes a change is a plain
correction (audited); after it closes, or for any earlier day, it is an amendment that keeps
the original code, the new one, the reason, the user's name and position and the time. Every
save is checked against the version the user loaded, so two PCs never lose each other's work,
even when both fill the same empty session at the same moment.

A plain present mark is stored as the session's own, `/` in the morning and `\\` in the
afternoon, whichever slash was typed or imported: both mean "present", and the register
must not say "present (AM)" about an afternoon.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from attendance_desk.access import audit
from attendance_desk.access.permissions import NotAllowed, Permission, Role, require
from attendance_desk.catalogues import codes
from attendance_desk.models import Mark, MarkAmendment, Pupil, User
from attendance_desk.register.errors import RegisterError
from attendance_desk.roll.lock import RecordClosed, ensure_record_open
from attendance_desk.school import age as school_age
from attendance_desk.school.calendar import SESSIONS
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.register_times import windows_for
from attendance_desk.uk_dates import day_text


class ConcurrentChange(RegisterError):
    """Someone else saved this mark after it was loaded; reload before changing it."""


class ReasonRequired(RegisterError):
    """The register has closed for this session, so the change needs a reason."""


@dataclass(frozen=True, slots=True)
class MarkEdit:
    """One cell the user changed; `loaded_version` is None when the cell was empty."""

    pupil_id: int
    day: date
    session: str
    code: str
    loaded_version: int | None
    minutes_late: int | None = None
    code_reason: str | None = None


@dataclass(frozen=True, slots=True)
class SaveResult:
    recorded: int
    corrected: int
    amended: int
    unchanged: int


def check_session(session_name: str) -> str:
    name = session_name.strip().upper()
    if name not in SESSIONS:
        raise RegisterError(f"session must be AM or PM, not '{session_name}'")
    return name


def _check_code(code: str, reason: str | None, on: date) -> codes.AttendanceCode:
    """The code for a mark dated `on` (a pre-2024 code only on a date before the 2024 set)."""
    try:
        entry = codes.lookup(code, on)
    except codes.UnknownCode as exc:
        raise RegisterError(str(exc)) from None
    if entry.needs_reason and not (reason or "").strip():
        raise RegisterError(f"code {entry.code} ({entry.meaning}) needs a reason")
    return entry


def _check_age(pupil: Pupil, day: date, code: str) -> None:
    """`X` only for a pupil not of compulsory school age that day (see `school_age`)."""
    problem = school_age.code_problem(code, pupil.date_of_birth, day, pupil.display_name)
    if problem:
        raise RegisterError(problem)


def _ensure_open(session: Session, pupil: Pupil, now: datetime) -> None:
    """A pupil who has left the roll keeps their marks as they were (see roll_lock)."""
    try:
        ensure_record_open(session, pupil, today=now.date(), what="marks")
    except RecordClosed as exc:
        raise RegisterError(str(exc)) from None


def record_mark(
    session: Session,
    *,
    pupil: Pupil,
    day: date,
    session_name: str,
    code: str,
    user: User,
    now: datetime,
    minutes_late: int | None = None,
    reason: str | None = None,
) -> Mark:
    """Record the first mark for a pupil's session (validated against the code table)."""
    _ensure_open(session, pupil, now)
    entry = _check_code(code, reason, day)
    _check_age(pupil, day, entry.code)
    name = check_session(session_name)
    mark = Mark(
        pupil_id=pupil.id,
        date=day,
        session=name,
        code=codes.for_session(entry.code, name),
        minutes_late=minutes_late,
        reason=reason,
        recorded_by_id=user.id,
        recorded_at=now,
    )
    session.add(mark)
    return mark


def amend_mark(
    session: Session,
    *,
    mark: Mark,
    code: str,
    reason: str,
    user: User,
    now: datetime,
    minutes_late: int | None = None,
    code_reason: str | None = None,
) -> MarkAmendment | None:
    """Change a saved mark, keeping its history; returns None when nothing changes."""
    if (pupil := session.get(Pupil, mark.pupil_id)) is not None:
        _ensure_open(session, pupil, now)
        _check_age(pupil, mark.date, codes.normalise(code))
    if not reason.strip():
        raise ReasonRequired("an amendment to the register needs a reason")
    if codes.lookup(code, mark.date).needs_reason and not (code_reason or "").strip():
        code_reason = reason  # the amendment's reason doubles as the code's own reason
    entry = _check_code(code, code_reason, mark.date)
    new_code = codes.for_session(entry.code, mark.session)
    if new_code == mark.code and minutes_late == mark.minutes_late:
        return None
    amendment = MarkAmendment(
        mark=mark,
        old_code=mark.code,
        new_code=new_code,
        old_minutes_late=mark.minutes_late,
        new_minutes_late=minutes_late,
        reason=reason.strip(),
        user_id=user.id,
        user_name=user.full_name,
        user_position=user.position,
        amended_at=now,
    )
    session.add(amendment)
    _apply(mark, new_code, minutes_late, code_reason, user, now)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="amend",
        entity="mark",
        entity_id=mark.id,
        old=amendment.old_code,
        new=amendment.new_code,
        reason=amendment.reason,
    )
    return amendment


@dataclass(frozen=True, slots=True)
class Written:
    """What `record_or_amend` did to a session's mark: "recorded", "corrected", "amended"
    or "unchanged"."""

    mark: Mark
    outcome: str


def record_or_amend(
    session: Session,
    *,
    pupil: Pupil,
    day: date,
    session_name: str,
    code: str,
    existing: Mark | None,
    amend_reason: str,
    user: User,
    now: datetime,
    reason: str | None = None,
    minutes_late: int | None = None,
    correct_while_open: bool = False,
) -> Written:
    """The one way a session's mark is written: its first mark when it has none
    (`existing`), else an amendment giving `amend_reason` that keeps the original code, the
    new one, the reason, who and when. `reason` is the code's own reason either way.

    With `correct_while_open` (the register grid), a change made before the session's
    register closes is a plain correction instead, audited old and new, as the person
    taking the register puts a slip right; after it closes it is an amendment as above.
    """
    if existing is None:
        mark = record_mark(
            session,
            pupil=pupil,
            day=day,
            session_name=session_name,
            code=code,
            user=user,
            now=now,
            minutes_late=minutes_late,
            reason=reason,
        )
        return Written(mark, "recorded")
    closes = windows_for(pupil.year_group)[existing.session] if correct_while_open else None
    if closes is not None and not closes.is_closed(existing.date, now):
        return Written(existing, _correct(session, existing, code, minutes_late, reason, user, now))
    amendment = amend_mark(
        session,
        mark=existing,
        code=code,
        reason=amend_reason,
        user=user,
        now=now,
        minutes_late=minutes_late,
        code_reason=reason,
    )
    return Written(existing, "unchanged" if amendment is None else "amended")


def _correct(
    session: Session,
    mark: Mark,
    code: str,
    minutes_late: int | None,
    reason: str | None,
    user: User,
    now: datetime,
) -> str:
    """Put right a mark whose register is still open: "corrected" (audited) or "unchanged"."""
    if (pupil := session.get(Pupil, mark.pupil_id)) is not None:
        _ensure_open(session, pupil, now)
        _check_age(pupil, mark.date, codes.normalise(code))
    new_code = codes.for_session(_check_code(code, reason, mark.date).code, mark.session)
    if (new_code, minutes_late) == (mark.code, mark.minutes_late):
        return "unchanged"
    old = mark.code
    _apply(mark, new_code, minutes_late, reason, user, now)
    audit.record(
        session,
        user=user,
        now=now,
        action="correct",
        entity="mark",
        entity_id=mark.id,
        old=old,
        new=new_code,
    )
    return "corrected"


def _apply(
    mark: Mark, code: str, minutes_late: int | None, reason: str | None, user: User, now: datetime
) -> None:
    mark.code = code
    mark.minutes_late = minutes_late
    mark.reason = reason
    mark.recorded_by_id = user.id
    mark.recorded_at = now


def _changed_by(session: Session, mark: Mark) -> str:
    who = session.get(User, mark.recorded_by_id) if mark.recorded_by_id else None
    name = who.full_name if who else "another user"
    return f"changed by {name} at {mark.recorded_at:%H:%M}"


def save_marks(
    session: Session,
    *,
    edits: Sequence[MarkEdit],
    user: User,
    now: datetime,
    amendment_reason: str | None = None,
) -> SaveResult:
    """Save a batch of edited cells as one unit: all are validated before any is written.

    Raises `RegisterError` (or its `ConcurrentChange` / `ReasonRequired`) naming the first
    problem; the caller rolls back, so nothing is half-saved.
    """
    require(user, Permission.TAKE_REGISTER)
    if not edits:
        return SaveResult(0, 0, 0, 0)
    calendar = load_calendar(session)
    pupils = {
        p.id: p
        for p in session.scalars(select(Pupil).where(Pupil.id.in_({e.pupil_id for e in edits})))
    }
    keys = [(e.pupil_id, e.day, check_session(e.session)) for e in edits]
    if len(set(keys)) != len(keys):
        raise RegisterError("the same session was edited twice in one save")
    # Dates and pupils separately (not a row-value IN), so SQLite uses the date index.
    wanted = set(keys)
    existing = {
        (m.pupil_id, m.date, m.session): m
        for m in session.scalars(
            select(Mark).where(
                Mark.date.in_({k[1] for k in keys}), Mark.pupil_id.in_({k[0] for k in keys})
            )
        )
        if (m.pupil_id, m.date, m.session) in wanted
    }
    counts = {"recorded": 0, "corrected": 0, "amended": 0, "unchanged": 0}
    filled: dict[tuple[int, date, str], str] = {}  # sessions found empty, for a lost race
    try:
        for edit, key in zip(edits, keys, strict=True):
            pupil = pupils.get(edit.pupil_id)
            if pupil is None:
                raise RegisterError(f"no pupil with id {edit.pupil_id}")
            if user.role == Role.TEACHER and pupil.reg_group.teacher_id != user.id:
                raise NotAllowed(f"{user.full_name} takes the register for their own groups only")
            where = f"{pupil.display_name}, {day_text(edit.day, year=False)} {key[2]}"
            if edit.day > now.date():
                raise RegisterError(f"{where}: the register cannot be taken for a future date")
            if not calendar.is_school_day(edit.day):
                raise RegisterError(f"{where}: not a school day")
            if not pupil.on_roll(edit.day):
                raise RegisterError(f"{where}: {pupil.display_name} was not on roll that day")
            _ensure_open(session, pupil, now)
            entry = _check_code(edit.code, edit.code_reason, edit.day)
            _check_age(pupil, edit.day, entry.code)
            code = codes.for_session(entry.code, key[2])
            mark = existing.get(key)
            if mark is None:
                if edit.loaded_version is not None:
                    raise ConcurrentChange(f"{where}: the mark was removed by someone else; reload")
                filled[key] = where
            elif edit.loaded_version != mark.version:
                raise ConcurrentChange(f"{where}: {_changed_by(session, mark)}; reload to see it")
            elif (code, edit.minutes_late) == (mark.code, mark.minutes_late):
                counts["unchanged"] += 1
                continue
            try:
                written = record_or_amend(
                    session,
                    pupil=pupil,
                    day=edit.day,
                    session_name=key[2],
                    code=code,
                    existing=mark,
                    amend_reason=amendment_reason or "",
                    user=user,
                    now=now,
                    reason=edit.code_reason,
                    minutes_late=edit.minutes_late,
                    correct_while_open=True,
                )
            except ReasonRequired:
                raise ReasonRequired(f"{where}: the register has closed; give a reason") from None
            counts[written.outcome] += 1
        session.flush()
    except StaleDataError:
        raise ConcurrentChange("a mark was changed by someone else while saving; reload") from None
    except IntegrityError:
        if (lost := _filled_meanwhile(session, filled)) is None:
            raise
        raise lost from None
    return SaveResult(**counts)


def _filled_meanwhile(
    session: Session, filled: dict[tuple[int, date, str], str]
) -> ConcurrentChange | None:
    """Another PC saved a mark into a session this save found empty, between the check and
    the write (the database refused the second mark). Name who and when, read afresh on a
    connection of its own: this transaction is spoilt and the caller rolls it all back."""
    with Session(session.get_bind()) as fresh:
        for (pupil_id, day, name), where in filled.items():
            mark = fresh.scalar(
                select(Mark).where(
                    Mark.pupil_id == pupil_id, Mark.date == day, Mark.session == name
                )
            )
            if mark is not None:
                return ConcurrentChange(f"{where}: {_changed_by(fresh, mark)}; reload to see it")
    return None
