"""The sessions that explain why a pupil's figures here and in the MIS differ.

With the MIS's marks export, exactly: every session marked here and not there, or coded
differently. A summary alone has no sessions, so without it the sessions here that could
explain the difference are listed: school days with no mark here, marks amended here
(the MIS may still hold the old code), marks entered or changed since the last export of
changes for the MIS, codes from the 2024 set an MIS on the old codes counts differently,
and codes that are not possible sessions here. Only those that touch a count that differs
are kept, so the office reads a short list, not a register.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.interop.changes_export import last_batch_end
from attendance_desk.interop.mis_marks import MisMarks
from attendance_desk.models import Mark, MarkAmendment, Pupil
from attendance_desk.register import stats
from attendance_desk.school.calendar import SESSIONS
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.uk_dates import day_text, moment_text

FIELDS = ("possible", "present", "authorised", "unauthorised")
#: Codes new in September 2024: an MIS still on the old set may not count them as we do.
NEW_IN_2024 = frozenset({"K", "C1", "C2", "J1", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6"})
_CHUNK = 900


@dataclass(frozen=True, slots=True)
class Counts:
    """Sessions as the MIS counts them: `present` includes approved activities elsewhere."""

    possible: int
    present: int
    authorised: int
    unauthorised: int

    @classmethod
    def from_figures(cls, figures: stats.Figures) -> Counts:
        attended = figures.present + figures.attending_elsewhere
        return cls(figures.possible, attended, figures.authorised, figures.unauthorised)

    @property
    def attendance_pct(self) -> float | None:
        return stats.rounded(100.0 * self.present / self.possible) if self.possible else None

    def as_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (*FIELDS, "attendance_pct")}


@dataclass(frozen=True, slots=True)
class SessionNote:
    """One session that explains a difference: each side's code (None: no mark, or for the
    MIS not known without its marks export, `compared` False) and why."""

    day: date
    session: str
    ours: str | None
    mis: str | None
    why: str
    compared: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "session": self.session,
            "ours": self.ours,
            "mis": self.mis,
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class Explained:
    sessions: tuple[SessionNote, ...]
    note: str


def explain(
    session: Session,
    differing: Sequence[tuple[Pupil, Counts, Counts]],
    *,
    start: date,
    end: date,
    today: date,
    mis_marks: MisMarks | None,
) -> dict[int, Explained]:
    """Per pupil id, the sessions that explain each (pupil, ours, MIS) difference."""
    ids = [pupil.id for pupil, _, _ in differing]
    marks = _marks(session, ids, start, end)
    if mis_marks is not None:
        return {p.id: _against(p, marks[p.id], mis_marks) for p, _, _ in differing}
    amended = _amendments(session, ids, start, end)
    calendar = load_calendar(session)
    days = calendar.school_days(start, min(end, today))
    sent = last_batch_end(session)
    found: dict[int, Explained] = {}
    for pupil, ours, mis in differing:
        gap = {name: getattr(ours, name) - getattr(mis, name) for name in FIELDS}
        notes = _candidates(pupil, marks[pupil.id], amended, days, sent, gap)
        note = (
            ""
            if notes
            else "nothing here explains it: export the MIS's marks for these dates and compare "
            "again with them"
        )
        found[pupil.id] = Explained(tuple(notes), note)
    return found


_Stored = dict[tuple[date, str], tuple[int, str, datetime]]


def _marks(session: Session, ids: list[int], start: date, end: date) -> dict[int, _Stored]:
    found: dict[int, _Stored] = defaultdict(dict)
    for chunk in _chunks(ids):
        query = select(
            Mark.pupil_id, Mark.date, Mark.session, Mark.id, Mark.code, Mark.recorded_at
        ).where(Mark.pupil_id.in_(chunk), Mark.date.between(start, end))
        for pupil_id, day, sess, mark_id, code, at in session.execute(query):
            found[pupil_id][(day, sess)] = (mark_id, code, at)
    return found


def _amendments(
    session: Session, ids: list[int], start: date, end: date
) -> dict[int, list[tuple[str, str, datetime]]]:
    """Each amended mark's first old code, last new code and last change."""
    found: dict[int, list[tuple[str, str, datetime]]] = {}
    for chunk in _chunks(ids):
        query = (
            select(MarkAmendment.mark_id, MarkAmendment.old_code, MarkAmendment.new_code)
            .add_columns(MarkAmendment.amended_at)
            .join(Mark, MarkAmendment.mark_id == Mark.id)
            .where(Mark.pupil_id.in_(chunk), Mark.date.between(start, end))
            .order_by(MarkAmendment.mark_id, MarkAmendment.amended_at, MarkAmendment.id)
        )
        for mark_id, old, new, at in session.execute(query):
            chain = found.setdefault(mark_id, [])
            chain.append((chain[0][0] if chain else old, new, at))
    return {mark_id: chain[-1:] for mark_id, chain in found.items()}


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _category(code: str | None) -> str | None:
    """Which count a code adds to (None: not a possible session, or no mark)."""
    if code is None or not codes.BY_CODE[code].possible:
        return None
    if code in codes.PRESENT_CODES or code in codes.ATTENDING_ELSEWHERE_CODES:
        return "present"
    return "authorised" if code in codes.AUTHORISED_CODES else "unauthorised"


def _touches(gap: dict[str, int], *found: str | None) -> bool:
    """Whether a session counted in any of these categories could explain the gap."""
    return any(gap[c] if c else gap["possible"] for c in found)


def _candidates(
    pupil: Pupil,
    marks: _Stored,
    amended: dict[int, list[tuple[str, str, datetime]]],
    days: Sequence[date],
    sent: datetime | None,
    gap: dict[str, int],
) -> list[SessionNote]:
    notes: list[SessionNote] = []
    for day in days:
        if not pupil.on_roll(day):
            continue
        for sess in SESSIONS:
            stored = marks.get((day, sess))
            if stored is None:
                if gap["possible"]:
                    notes.append(SessionNote(day, sess, None, None, "no mark here"))
                continue
            mark_id, code, at = stored
            why = _reasons(code, at, amended.get(mark_id, []), sent, gap)
            if why:
                notes.append(SessionNote(day, sess, code, None, "; ".join(why)))
    return notes


def _reasons(
    code: str,
    at: datetime,
    chain: list[tuple[str, str, datetime]],
    sent: datetime | None,
    gap: dict[str, int],
) -> list[str]:
    category = _category(code)
    why: list[str] = []
    for old, _new, when in chain:
        if old != code and _touches(gap, category, _category(old)):
            why.append(f"amended here on {day_text(when)} from {old}: the MIS may still have {old}")
    if sent is not None and at >= sent and _touches(gap, category):
        why.append(
            f"entered or changed here after the last export to the MIS ({moment_text(sent)})"
        )
    if code == codes.REASON_NOT_PROVIDED and _touches(gap, "authorised", "unauthorised"):
        why.append("no reason yet here: the MIS may have been given it")
    if code in NEW_IN_2024 and _touches(gap, category, None):
        why.append("a 2024 code, which an MIS on the old codes may count differently")
    elif category is None and gap["possible"]:
        why.append("not a possible session here")
    return why


def _against(pupil: Pupil, marks: _Stored, mis_marks: MisMarks) -> Explained:
    """Every session marked here and not there, or there and not here, or coded differently."""
    theirs = {(day, sess): code for (upn, day, sess), code in mis_marks.items() if upn == pupil.upn}
    ours = {slot: code for slot, (_, code, _) in marks.items()}
    notes = []
    for day, sess in sorted(set(ours) | set(theirs)):
        here, there = ours.get((day, sess)), theirs.get((day, sess))
        if here == there:
            continue
        why = (
            "marked here, not in the MIS"
            if there is None
            else "in the MIS, not marked here"
            if here is None
            else "coded differently"
        )
        notes.append(SessionNote(day, sess, here, there, why, compared=True))
    if notes:
        return Explained(tuple(notes), "")
    if not theirs:
        return Explained((), "the MIS's marks export has no marks for this pupil in these dates")
    return Explained(
        (),
        "the MIS's marks agree with these: its summary may have been run at another time",
    )
