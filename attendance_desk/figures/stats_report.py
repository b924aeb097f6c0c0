"""The `stats` command's output: per-pupil and whole-school figures as JSON or a text table.

The JSON shape is a contract with automation (docs/rules.md#cli-contract); keep names stable.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.figures.compulsory import compulsory_age_figures
from attendance_desk.models import Pupil
from attendance_desk.register import stats


def _pupils_on_roll(
    session: Session, start: date, end: date, among: Collection[int] | None = None
) -> list[Pupil]:
    """Pupils on roll at any time in the range, by UPN, so a pupil with no marks still shows
    (only those `among` these ids, when given)."""
    query = select(Pupil).where(Pupil.on_roll_between(start, end)).order_by(Pupil.upn)
    if among is not None:
        query = query.where(Pupil.id.in_(among))
    return list(session.scalars(query))


def _entry(figures: stats.Figures) -> dict[str, Any]:
    return {
        **figures.as_counts(),
        "attendance_pct": stats.rounded(figures.attendance_pct),
    }


def _school(school: stats.SchoolFigures) -> dict[str, Any]:
    return {
        **_entry(school.totals),
        "persistent_count": school.persistent_count,
        "severe_count": school.severe_count,
    }


def stats_json(session: Session, start: date, end: date) -> dict[str, Any]:
    """`{"from","to","pupils":[...],"school":{...}}` exactly as promised
    (docs/rules.md#cli-contract), then `"compulsory_school_age"`: the school block again, for
    pupils of compulsory school age only (the DfE's headline figures)."""
    per_pupil = stats.pupil_figures(session, start, end)  # one pass over the marks for all
    pupils = []
    for pupil in _pupils_on_roll(session, start, end):
        figures = per_pupil.get(pupil.id, stats.Figures())
        pupils.append(
            {
                "upn": pupil.upn,
                **_entry(figures),
                "persistent": figures.persistent,
                "severe": figures.severe,
            }
        )
    school = stats.school_of(per_pupil)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "pupils": pupils,
        "school": _school(school),
        "compulsory_school_age": _school(
            compulsory_age_figures(session, start, end, school, per_pupil)
        ),
    }


def _pct(value: float | None) -> str:
    shown = stats.rounded(value)
    return "   —  " if shown is None else f"{shown:5.1f}%"


def stats_text(session: Session, start: date, end: date) -> str:
    """A readable summary: the school's figures, then every pupil below 90 % attendance."""
    per_pupil = stats.pupil_figures(session, start, end)  # one pass over the marks for all
    school = stats.school_of(per_pupil)
    t = school.totals
    dfe = compulsory_age_figures(session, start, end, school, per_pupil)
    lines = [
        f"Attendance {start} to {end}",
        f"  Whole school   {_pct(t.attendance_pct)}  ({t.possible} possible sessions, "
        f"{t.authorised} authorised and {t.unauthorised} unauthorised absences, {t.late} late)",
        f"  Persistent absentees (10 %+ missed): {school.persistent_count} of {school.pupils}",
        f"  Severe absentees (50 %+ missed):     {school.severe_count} of {school.pupils}",
        f"  Compulsory school age only (as the DfE publishes): {_pct(dfe.totals.attendance_pct)}"
        f", persistent {dfe.persistent_count} and severe {dfe.severe_count} of {dfe.pupils}",
    ]
    listed = [pid for pid, f in per_pupil.items() if f.persistent]
    pupils = {p.id: p for p in _pupils_on_roll(session, start, end, among=listed)}
    persistent = sorted(
        (
            (f.attendance_pct or 0.0, pupils[pid])
            for pid, f in per_pupil.items()
            if f.persistent and pid in pupils
        ),
        key=lambda item: (item[0], item[1].legal_surname, item[1].upn),
    )
    if persistent:
        lines.append("")
        lines.append("Persistent absentees, lowest attendance first:")
        for pct, pupil in persistent:
            lines.append(f"  {_pct(pct)}  {pupil.upn}  {pupil.display_name}")
    return "\n".join(lines)
