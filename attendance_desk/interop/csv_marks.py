"""Register marks as CSV: `upn,date,session,code` and an optional `reason`.

A new mark is recorded; the same code again is left alone; a different code over a stored
mark is an amendment with the reason "imported", so the history keeps the old mark. Codes
that carry their own reason (`B`, `C`, `Y7`) take it from the `reason` column, or
"imported". Pre-2024 codes (`H`, `J`, …) dated before the 2024 code set are recorded as
they are (they count by the rules of their day); on a later date they are refused unless the
caller asks for the legacy mapping, which is then reported in the summary.

Built for big files: pupils, the calendar and the stored marks in the file's date range
are each fetched once, and values that repeat (dates, codes, UPNs) are parsed once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.catalogues import codes
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
from attendance_desk.models import Mark, Pupil, User
from attendance_desk.register import marks as register
from attendance_desk.school import age as school_age
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.wording import plural

REQUIRED = ("upn", "date", "session", "code")
OPTIONAL = ("reason",)
AMENDMENT_REASON = "imported"
#: Codes that keep the minutes late when a mark is amended to them.
LATE_CODES = (codes.LATE, codes.LATE_AFTER_CLOSE)
#: Above this many pupils the stored marks are fetched by date range alone.
_PUPIL_FILTER_LIMIT = 900
_CHUNK = 500
#: Rows per bulk insert, so that a long import can report its progress as it goes.
_BULK = 5000


@dataclass(frozen=True, slots=True)
class MarksSummary:
    """What a marks import did, and which pre-2024 codes it mapped (old -> new)."""

    added: int
    amended: int
    unchanged: int
    legacy: dict[str, str] = field(default_factory=dict)
    legacy_rows: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        text = (
            f"{self.added} marks added, {self.amended} amended "
            f'(reason "{AMENDMENT_REASON}"), {self.unchanged} unchanged'
        )
        if self.legacy:
            mapped = ", ".join(
                f"{old}->{new} ({plural(self.legacy_rows[old], 'row')})"
                for old, new in self.legacy.items()
            )
            text += f"; pre-2024 codes mapped: {mapped}"
        return text


class _Code(NamedTuple):
    code: str
    needs_reason: bool
    legacy_from: str | None


class _Parsed(NamedTuple):
    pupil: Pupil
    day: date
    session: str
    code: _Code
    reason: str | None
    line: int


@dataclass(frozen=True, slots=True)
class MarksPlan:
    """A checked marks file and what importing it would do, row by row; writes nothing."""

    problems: Problems
    verdicts: list[RowVerdict]
    new: list[_Parsed]
    #: The stored mark's id, and the row whose different code amends it.
    changes: dict[int, _Parsed]
    unchanged: int
    legacy: dict[str, str]
    legacy_rows: dict[str, int]


def import_marks(
    session: Session,
    path: Path,
    *,
    user: User,
    now: datetime,
    legacy: bool = False,
    mapping: Mapping[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> MarksSummary:
    """Record, amend or confirm every mark in the file, or change nothing (`ImportFailed`).

    Args:
        legacy: map pre-2024 codes (`codes.LEGACY_MAPPING`) instead of refusing them.
        mapping: the file's header for each of our columns, for an MIS export's own names.
        progress: told (done, total) as marks are written.
    """
    require(user, Permission.AMEND_REGISTER)
    table = read_file(path, mapping)
    plan = plan_marks(session, table, today=now.date(), legacy=legacy)
    plan.problems.raise_if_any()
    return _write(session, plan, user=user, now=now, file=path.name, progress=progress)


def read_file(path: Path, mapping: Mapping[str, str] | None = None) -> Table:
    """The file's rows under our column names (see `csv_io.read_table`)."""
    return read_table(path, required=REQUIRED, optional=OPTIONAL, mapping=mapping)


def plan_marks(session: Session, table: Table, *, today: date, legacy: bool) -> MarksPlan:
    """Check every row and compare it with the stored mark: the one path both the preview
    and the import take."""
    problems = table.problems()
    pupils = {p.upn: p for p in session.scalars(select(Pupil))}
    calendar = load_calendar(session)
    read_pupil = fields.cached(_pupil_parser(pupils))
    read_date = fields.cached(fields.mis_date)
    read_code = fields.cached(_code_parser())
    day_problem = fields.day_checker(calendar, today)
    seen: dict[tuple[int, date, str], int] = {}
    parsed: list[_Parsed] = []
    errors: list[RowVerdict] = []
    with_reason = table.has("reason")
    for row in table.rows:
        check = fields.RowCheck(problems, row)
        pupil = check.value("upn", read_pupil, required=True)
        day = check.value("date", read_date, required=True)
        sess = check.value("session", mis_values.session, required=True)
        code = check.value("code", read_code, required=True)
        if code is not None and code.legacy_from and day is not None:
            code = _legacy(check, code, day, legacy)
        reason = check.text("reason", max_length=300, lines=True) if with_reason else None
        if day is not None:
            if problem := day_problem(day):
                check.bad("date", problem)
            elif pupil is not None and not pupil.on_roll(day):
                check.bad("date", f"{pupil.upn} was not on roll on {day} ({_roll(pupil)})")
            elif pupil is not None and code is not None:
                born = pupil.date_of_birth
                if problem := school_age.code_problem(code.code, born, day, pupil.upn):
                    check.bad("code", problem)
        if pupil is not None and day is not None and sess is not None:
            first = seen.setdefault((pupil.id, day, sess), row.line)
            if first != row.line:
                check.bad("session", f"{day} {sess} for {pupil.upn} is also on line {first}")
        if check.ok and pupil is not None and day is not None and sess and code:
            if code.needs_reason and not reason:
                reason = AMENDMENT_REASON
            code = code._replace(code=codes.for_session(code.code, sess))  # "/" in PM is "\\"
            parsed.append(_Parsed(pupil, day, sess, code, reason, row.line))
        else:
            errors.append(verdict_error(row.line, check.found))
    return _plan(session, problems, parsed, errors)


def _pupil_parser(pupils: dict[str, Pupil]) -> Callable[[str], Pupil]:
    def parse(text: str) -> Pupil:
        pupil = pupils.get(text.upper().replace(" ", ""))
        if pupil is None:
            fields.upn(text)  # a malformed UPN says what is wrong with it
            raise fields.FieldError(f"unknown pupil: no pupil has UPN {text.upper()}")
        return pupil

    return parse


def _code_parser() -> Callable[[str], _Code]:
    """A 2024 code, or a pre-2024 one (`legacy_from` set) to be settled by its date."""

    def parse(text: str) -> _Code:
        typed = codes.normalise(text)
        if typed not in codes.BY_CODE and typed in codes.LEGACY_MAPPING:
            return _Code(typed, False, typed)
        try:
            entry = codes.lookup(typed)
        except codes.UnknownCode as exc:
            raise fields.FieldError(str(exc)) from None
        return _Code(entry.code, entry.needs_reason, None)

    return parse


def _legacy(check: fields.RowCheck, code: _Code, day: date, legacy: bool) -> _Code | None:
    """A pre-2024 code: kept as recorded before the 2024 code set, mapped after it when the
    caller asked for the mapping, refused otherwise."""
    typed = code.code
    if day < codes.CODE_SET_2024_FROM:
        return _Code(typed, codes.entry(typed).needs_reason, None)
    mapped = codes.LEGACY_MAPPING[typed]
    if not legacy:
        check.bad(
            "code",
            f"'{typed}' is a pre-2024 code; import with the legacy mapping (--legacy) to "
            f"record it as {mapped}",
        )
        return None
    return _Code(mapped, codes.BY_CODE[mapped].needs_reason, typed)


def _roll(pupil: Pupil) -> str:
    if pupil.on_roll_to is None:
        return f"on roll from {pupil.on_roll_from}"
    return f"on roll {pupil.on_roll_from} to {pupil.on_roll_to}"


def _plan(
    session: Session, problems: Problems, parsed: list[_Parsed], errors: list[RowVerdict]
) -> MarksPlan:
    stored = _stored_marks(session, parsed)
    new: list[_Parsed] = []
    changes: dict[int, _Parsed] = {}
    unchanged = 0
    legacy: dict[str, str] = {}
    legacy_rows: Counter[str] = Counter()
    verdicts = errors
    for item in parsed:
        if item.code.legacy_from:
            legacy[item.code.legacy_from] = item.code.code
            legacy_rows[item.code.legacy_from] += 1
        found = stored.get((item.pupil.id, item.day, item.session))
        if found is None:
            new.append(item)
            verdicts.append(RowVerdict(item.line, Status.NEW))
        elif found[1] == item.code.code:
            unchanged += 1
            verdicts.append(RowVerdict(item.line, Status.UNCHANGED))
        else:
            changes[found[0]] = item
            change = {"code": (found[1], item.code.code)}
            verdicts.append(RowVerdict(item.line, Status.UPDATED, change))
    verdicts.sort(key=lambda v: v.line)
    return MarksPlan(problems, verdicts, new, changes, unchanged, legacy, dict(legacy_rows))


def _write(
    session: Session,
    plan: MarksPlan,
    *,
    user: User,
    now: datetime,
    file: str,
    progress: ProgressCallback | None,
) -> MarksSummary:
    changes, new = plan.changes, plan.new
    meter = Progress(progress, len(changes) + len(new))
    meter.start()
    ids = list(changes)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        # fetched in full first: each amendment flushes, which must not interleave a read
        for mark in session.scalars(select(Mark).where(Mark.id.in_(chunk))).all():
            item = changes[mark.id]
            register.record_or_amend(
                session,
                pupil=item.pupil,
                day=item.day,
                session_name=item.session,
                code=item.code.code,
                existing=mark,
                amend_reason=AMENDMENT_REASON,
                user=user,
                now=now,
                reason=item.reason,
                minutes_late=mark.minutes_late if item.code.code in LATE_CODES else None,
            )
        meter.advance(len(chunk))
    _record_new(session, new, user=user, now=now, meter=meter)
    summary = MarksSummary(len(new), len(changes), plan.unchanged, plan.legacy, plan.legacy_rows)
    audit.record(
        session,
        user=user,
        now=now,
        action="import",
        entity="marks",
        source=file,
        added=summary.added,
        amended=summary.amended,
        unchanged=summary.unchanged,
        legacy=plan.legacy,
    )
    session.flush()
    return summary


def _record_new(
    session: Session, new: list[_Parsed], *, user: User, now: datetime, meter: Progress
) -> None:
    """Insert first marks in bulk: the rows `register.record_or_amend` would add, one at a
    time, to sessions with no mark (so nothing is amended and no history is lost).

    Each value was already checked as `record_mark` checks it (a known code, AM or PM, a
    reason where the code needs one). A small import goes through `record_or_amend`
    itself; a large one skips building an ORM object per mark, which is most of the time
    taken by a big file (a term for 200 pupils, 28,800 marks: 1.5 s in bulk, 4.8 s a row at
    a time).
    """
    if len(new) <= _CHUNK:
        for item in new:
            register.record_or_amend(
                session,
                pupil=item.pupil,
                day=item.day,
                session_name=item.session,
                code=item.code.code,
                existing=None,
                amend_reason=AMENDMENT_REASON,
                user=user,
                now=now,
                reason=item.reason,
            )
            meter.advance()
        return
    for start in range(0, len(new), _BULK):
        chunk = new[start : start + _BULK]
        _insert(session, chunk, user=user, now=now)
        meter.advance(len(chunk))


def _insert(session: Session, new: list[_Parsed], *, user: User, now: datetime) -> None:
    session.execute(
        insert(Mark),
        [
            {
                "pupil_id": item.pupil.id,
                "date": item.day,
                "session": item.session,
                "code": item.code.code,
                "minutes_late": None,
                "reason": item.reason,
                "recorded_by_id": user.id,
                "recorded_at": now,
                "version": 1,
            }
            for item in new
        ],
    )


def _stored_marks(
    session: Session, parsed: list[_Parsed]
) -> dict[tuple[int, date, str], tuple[int, str]]:
    """The stored (id, code) of every mark the file might touch, in one query."""
    if not parsed:
        return {}
    days = [item.day for item in parsed]
    pupil_ids = {item.pupil.id for item in parsed}
    query = select(Mark.id, Mark.pupil_id, Mark.date, Mark.session, Mark.code).where(
        Mark.date.between(min(days), max(days))
    )
    if len(pupil_ids) <= _PUPIL_FILTER_LIMIT:
        query = query.where(Mark.pupil_id.in_(pupil_ids))
    return {
        (pupil_id, day, sess): (mark_id, code)
        for mark_id, pupil_id, day, sess, code in session.execute(query)
        if pupil_id in pupil_ids
    }
