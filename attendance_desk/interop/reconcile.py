"""Reconciling this register with the MIS's own figures, pupil by pupil, before the census.

The DfE takes a school's attendance from its MIS, so the MIS and Attendance Desk must
agree. The MIS's attendance summary (`mis_summary`) is compared with the same counts here
for the same dates; every pupil whose figures differ is listed with the sessions that
explain it (`reconcile_sessions`), and so is every pupil in one list and not the other.
Nothing is written: the office decides which side is wrong and corrects it there.

Counts are compared as the MIS reports them: `present` is every session attended, here or
at an approved place elsewhere (codes `/ \\ L` and `K V P W B`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.interop import reconcile_sessions
from attendance_desk.interop.mis_marks import read_mis_marks
from attendance_desk.interop.mis_summary import MisCounts, MisPupil, normal_number, read_summary
from attendance_desk.interop.reconcile_sessions import Counts, SessionNote
from attendance_desk.models import Pupil, RegGroup
from attendance_desk.register import stats
from attendance_desk.uk_dates import plain_date


@dataclass(frozen=True, slots=True)
class Difference:
    """A pupil whose figures differ, or who is in one list only (`ours` or `mis` None)."""

    upn: str | None
    admission_number: str | None
    name: str
    group: str
    pupil_id: int | None
    ours: Counts | None
    mis: Counts | None
    sessions: tuple[SessionNote, ...]
    note: str

    def as_json(self) -> dict[str, Any]:
        """`{"upn","name","ours","mis","sessions"}`, as promised (docs/rules.md#cli-contract)."""
        return {
            "upn": self.upn,
            "name": self.name,
            "ours": self.ours.as_json() if self.ours else None,
            "mis": self.mis.as_json() if self.mis else None,
            "sessions": [s.as_json() for s in self.sessions],
            "admission_number": self.admission_number,
            "group": self.group,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """What a comparison found: how many pupils agree, and every one who does not."""

    start: date
    end: date
    summary_file: str
    compared: int
    agree: int
    differences: tuple[Difference, ...]
    notes: tuple[str, ...]

    def as_json(self) -> list[dict[str, Any]]:
        return [d.as_json() for d in self.differences]


def reconcile(
    session: Session,
    summary: Path,
    *,
    start: date,
    end: date,
    today: date,
    marks: Path | None = None,
) -> Reconciliation:
    """Compare the MIS's summary (and its marks, when given) with this register.

    Raises `SummaryRefused` for a file that cannot be compared, naming each problem.
    """
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    found = read_summary(summary, start=start, end=end)
    mis_marks = read_mis_marks(session, marks, start=start, end=end) if marks else None
    pupils = list(session.scalars(select(Pupil)))
    groups = {i: name for i, name in session.execute(select(RegGroup.id, RegGroup.name))}
    by_upn = {p.upn: p for p in pupils}
    by_number = {normal_number(p.admission_number): p for p in pupils if p.admission_number}
    figures = stats.pupil_figures(session, start, end)

    def ours_of(pupil: Pupil) -> Counts:
        return Counts.from_figures(figures.get(pupil.id, stats.Figures()))

    matched: set[int] = set()
    both: list[tuple[Pupil, MisPupil]] = []
    mis_only: list[Difference] = []
    agree = 0
    for row in found.pupils:
        pupil = by_upn.get(row.upn or "") or by_number.get(normal_number(row.admission_number))
        if pupil is None:
            mis_only.append(_mis_only(row))
            continue
        matched.add(pupil.id)
        on_roll = _on_roll(pupil, start, end)
        if on_roll and ours_of(pupil) == _counts(row.counts):
            agree += 1
        else:
            both.append((pupil, row))
    explained = reconcile_sessions.explain(
        session,
        [(p, ours_of(p), _counts(r.counts)) for p, r in both],
        start=start,
        end=end,
        today=today,
        mis_marks=mis_marks,
    )
    differing = [
        _both(p, r, groups[p.reg_group_id], ours_of(p), explained[p.id], start, end)
        for p, r in both
    ]
    ours_only = [
        Difference(
            p.upn,
            p.admission_number,
            p.display_name,
            groups[p.reg_group_id],
            p.id,
            ours_of(p),
            None,
            (),
            f"on roll here but not in the MIS summary ({_roll(p)})",
        )
        for p in pupils
        if p.id not in matched and _on_roll(p, start, end)
    ]
    differing.sort(key=lambda d: (d.group, d.name))
    ours_only.sort(key=lambda d: (d.group, d.name))
    return Reconciliation(
        start,
        end,
        found.file,
        len(found.pupils),
        agree,
        (*differing, *mis_only, *ours_only),
        _notes(found.start, len(found.pupils), differing),
    )


def _counts(counts: MisCounts) -> Counts:
    return Counts(counts.possible, counts.present, counts.authorised, counts.unauthorised)


def _on_roll(pupil: Pupil, start: date, end: date) -> bool:
    return pupil.on_roll_from <= end and (pupil.on_roll_to is None or pupil.on_roll_to >= start)


def _roll(pupil: Pupil) -> str:
    if pupil.on_roll_to is None:
        return f"on roll from {plain_date(pupil.on_roll_from)}"
    return f"on roll {plain_date(pupil.on_roll_from)} to {plain_date(pupil.on_roll_to)}"


def _mis_only(row: MisPupil) -> Difference:
    said = f"UPN {row.upn}" if row.upn else f"admission number {row.admission_number}"
    return Difference(
        row.upn,
        row.admission_number,
        row.name,
        "",
        None,
        None,
        _counts(row.counts),
        (),
        f"in the MIS summary (line {row.line}) but no pupil here has {said}",
    )


def _both(
    pupil: Pupil,
    row: MisPupil,
    group: str,
    ours: Counts,
    found: reconcile_sessions.Explained,
    start: date,
    end: date,
) -> Difference:
    note = found.note
    if not _on_roll(pupil, start, end):
        note = f"in the MIS summary (line {row.line}) but not on roll here then ({_roll(pupil)})"
    return Difference(
        pupil.upn,
        pupil.admission_number,
        pupil.display_name,
        group,
        pupil.id,
        ours,
        _counts(row.counts),
        found.sessions,
        note,
    )


def _notes(stated: date | None, listed: int, differing: list[Difference]) -> tuple[str, ...]:
    notes = []
    if stated is None:
        notes.append(
            "The summary does not say which dates it covers: check it was run for the same dates."
        )
    possible = [d for d in differing if d.ours and d.mis and d.ours.possible != d.mis.possible]
    if listed >= 5 and len(possible) * 10 >= listed * 9:
        notes.append(
            "Almost every pupil's possible sessions differ: the summary may be for other dates, "
            "or the two calendars differ (INSET days, closures)."
        )
    return tuple(notes)
