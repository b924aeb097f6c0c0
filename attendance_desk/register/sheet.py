"""The register grid's data: a group's pupils down, a range of sessions across.

Three queries whatever the size of the group (pupils, marks with an amendment flag, and the
figures), returning plain frozen rows so the Qt model never touches the ORM while painting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.access.permissions import Role
from attendance_desk.catalogues.redaction import open_flags
from attendance_desk.models import AbsenceReport, Mark, MarkAmendment, Pupil, User, YearGroup
from attendance_desk.register import stats
from attendance_desk.school.calendar import SESSIONS, sessions_between
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.register_times import Window, windows_for
from attendance_desk.school.term_dates import year_start

Slot = tuple[date, str]


@dataclass(frozen=True, slots=True)
class Cell:
    """A saved mark as the grid shows it; `version` guards against lost updates."""

    code: str
    version: int
    minutes_late: int | None = None
    reason: str | None = None
    amended: bool = False


@dataclass(frozen=True, slots=True)
class RegisterRow:
    pupil_id: int
    upn: str
    name: str
    on_roll_from: date
    on_roll_to: date | None
    cells: dict[Slot, Cell]
    attendance_pct: float | None
    flags: str = ""
    #: `flags` as anyone may see them, CP, CIN and CLA showing only as VL (the vulnerable
    #: list); `catalogues.redaction.for_viewer` swaps it in.
    open_flags: str = ""
    #: Attendance over the school year so far, beside the week's (which is empty on a Monday).
    year_pct: float | None = None

    def on_roll(self, day: date) -> bool:
        return self.on_roll_from <= day and (self.on_roll_to is None or day <= self.on_roll_to)


@dataclass(frozen=True)
class RegisterSheet:
    """Everything the grid needs for one group and range."""

    title: str
    slots: tuple[Slot, ...]
    rows: tuple[RegisterRow, ...]
    windows: dict[str, Window] = field(default_factory=dict)
    #: Codes parents' reports propose for sessions not yet marked, by (pupil id, slot).
    proposals: dict[tuple[int, Slot], str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GroupChoice:
    """A registration group (or a whole year) the toolbar offers."""

    kind: str  # "reg_group" or "year_group"
    id: int
    label: str


def group_choices(session: Session, viewer: User | None = None) -> list[GroupChoice]:
    """Registration groups, then whole year groups, in year order; a class teacher gets
    only the groups they teach."""
    years = list(session.scalars(select(YearGroup).order_by(YearGroup.sort_order)))
    if viewer is not None and viewer.role == Role.TEACHER:
        return [
            GroupChoice("reg_group", g.id, g.name)
            for y in years
            for g in y.reg_groups
            if g.teacher_id == viewer.id
        ]
    reg = [GroupChoice("reg_group", g.id, g.name) for y in years for g in y.reg_groups]
    whole = [
        GroupChoice("year_group", y.id, f"{y.name} (whole year)") for y in years if y.reg_groups
    ]
    return reg + whole


_FLAG_NAMES = ("cp", "cin", "cla", "sen", "vulnerable")


def _flags(names: list[str]) -> str:
    return " ".join(n.upper() if n != "vulnerable" else "VL" for n in names)


def load_sheet(
    session: Session, choice: GroupChoice, start: date, end: date, *, today: date | None = None
) -> RegisterSheet:
    """Pupils on roll at any time in the range, with their marks and figures for the range
    and for the school year up to `today` (or the range's end)."""
    calendar = load_calendar(session)
    slots = tuple(sessions_between(calendar, start, end))
    column = Pupil.reg_group_id if choice.kind == "reg_group" else Pupil.year_group_id
    pupils = list(
        session.scalars(
            select(Pupil)
            .options(selectinload(Pupil.year_group))
            .where(column == choice.id, Pupil.on_roll_between(start, end))
            .order_by(Pupil.legal_surname, Pupil.legal_forename)
        )
    )
    ids = [p.id for p in pupils]
    amended = exists().where(MarkAmendment.mark_id == Mark.id)
    marks = session.execute(
        select(
            Mark.pupil_id,
            Mark.date,
            Mark.session,
            Mark.code,
            Mark.version,
            Mark.minutes_late,
            Mark.reason,
            amended.label("amended"),
        ).where(Mark.pupil_id.in_(ids), Mark.date >= start, Mark.date <= end)
    )
    cells: dict[int, dict[Slot, Cell]] = {pid: {} for pid in ids}
    for m in marks:
        cells[m.pupil_id][(m.date, m.session)] = Cell(
            m.code, m.version, m.minutes_late, m.reason, bool(m.amended)
        )
    figures = stats.pupil_figures(session, start, end, ids) if ids else {}
    as_of = min(today or end, end)
    first = min(year_start(calendar, as_of), as_of)
    year = stats.pupil_figures(session, first, as_of, ids) if ids else {}
    rows = tuple(
        RegisterRow(
            pupil_id=p.id,
            upn=p.upn,
            name=f"{p.legal_surname}, {p.preferred_forename or p.legal_forename}",
            on_roll_from=p.on_roll_from,
            on_roll_to=p.on_roll_to,
            cells=cells[p.id],
            attendance_pct=figures[p.id].attendance_pct if p.id in figures else None,
            flags=_flags([n for n in _FLAG_NAMES if getattr(p, n)]),
            open_flags=_flags(open_flags(p, _FLAG_NAMES)),
            year_pct=year[p.id].attendance_pct if p.id in year else None,
        )
        for p in pupils
    )
    windows = windows_for(pupils[0].year_group) if pupils else {}
    proposed = {
        (pid, (day, name)): code
        for (pid, day, name), code in proposals(session, ids, start, end).items()
        if (day, name) not in cells[pid]
    }
    return RegisterSheet(
        title=choice.label, slots=slots, rows=rows, windows=windows, proposals=proposed
    )


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change to a mark, for the tooltip and the pupil file."""

    day: date
    session: str
    old_code: str
    new_code: str
    reason: str
    user_name: str
    user_position: str
    at: datetime


def mark_history(
    session: Session, pupil_id: int, day: date | None = None, session_name: str | None = None
) -> list[HistoryEntry]:
    """Amendments for a pupil (optionally one session), oldest first."""
    query = (
        select(Mark.date, Mark.session, MarkAmendment)
        .join(MarkAmendment, MarkAmendment.mark_id == Mark.id)
        .where(Mark.pupil_id == pupil_id)
        .order_by(MarkAmendment.amended_at, MarkAmendment.id)
    )
    if day is not None:
        query = query.where(Mark.date == day)
    if session_name is not None:
        query = query.where(Mark.session == session_name)
    return [
        HistoryEntry(
            d, s, a.old_code, a.new_code, a.reason, a.user_name, a.user_position, a.amended_at
        )
        for d, s, a in session.execute(query)
    ]


def proposals(
    session: Session, pupil_ids: list[int], start: date, end: date
) -> dict[tuple[int, date, str], str]:
    """Codes proposed by parents' reports (`desk.absence_reports`) for (pupil, day, session)
    in a range: the grid shows them in sessions not yet marked."""
    out: dict[tuple[int, date, str], str] = {}
    calendar = load_calendar(session)
    for report in session.scalars(
        select(AbsenceReport)
        .where(
            AbsenceReport.pupil_id.in_(pupil_ids),
            AbsenceReport.start_date <= end,
            AbsenceReport.end_date >= start,
        )
        .order_by(AbsenceReport.reported_at)
    ):
        for day in calendar.school_days(max(start, report.start_date), min(end, report.end_date)):
            for name in SESSIONS:
                if report.covers(day, name):
                    out[(report.pupil_id, day, name)] = report.code
    return out
