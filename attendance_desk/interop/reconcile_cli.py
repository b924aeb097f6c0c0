"""`attendance-desk reconcile SUMMARY --from D --to D [--marks FILE] [--json]`.

Prints every pupil whose figures differ from the MIS's attendance summary, with the
sessions that explain it, and the pupils in one list only. Exit status: 0 when every
pupil agrees, 1 when some differ (listed), 2 when the files cannot be compared (each
problem named on stderr), so a scheduled task can tell the three apart.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.interop.mis_summary import SummaryRefused
from attendance_desk.interop.reconcile import Difference, Reconciliation, reconcile
from attendance_desk.interop.reconcile_sessions import Counts, SessionNote
from attendance_desk.uk_dates import day_text
from attendance_desk.wording import plural

#: Sessions listed per pupil in the text report (the JSON has them all).
SHOWN_SESSIONS = 20


def reconcile_command(
    factory: sessionmaker[Session],
    summary: Path,
    *,
    start: date,
    end: date,
    today: date,
    marks: Path | None = None,
    as_json: bool = False,
) -> int:
    try:
        with factory() as session:
            found = reconcile(session, summary, start=start, end=end, today=today, marks=marks)
    except SummaryRefused as exc:
        print(f"attendance-desk: cannot compare with {summary}:", file=sys.stderr)
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
        return 2
    print(json.dumps(found.as_json(), indent=1) if as_json else report_text(found))
    return 1 if found.differences else 0


def report_text(found: Reconciliation) -> str:
    """The comparison as the office reads it: the counts, then each pupil who differs."""
    differ = [d for d in found.differences if d.ours and d.mis]
    lines = [
        f"Compared {day_text(found.start)} to {day_text(found.end)} with "
        f"{Path(found.summary_file).name}: "
        f"{plural(found.compared, 'pupil')} in the MIS summary, {found.agree} agree, "
        f"{len(differ)} differ.",
        *found.notes,
    ]
    for title, chosen in (
        ("Figures differ", differ),
        ("In the MIS summary only", [d for d in found.differences if d.ours is None]),
        ("Here only", [d for d in found.differences if d.mis is None]),
    ):
        if chosen:
            lines += ["", f"{title} ({len(chosen)}):"]
            for difference in chosen:
                lines += _pupil_lines(difference)
    if not found.differences:
        lines.append("Every pupil's figures agree.")
    return "\n".join(lines)


def _pupil_lines(d: Difference) -> list[str]:
    who = d.upn or f"Adno {d.admission_number}"
    group = f" ({d.group})" if d.group else ""
    lines = [f"  {who}  {d.name}{group}"]
    if d.ours:
        lines.append(f"      here: {counts_text(d.ours)}")
    if d.mis:
        lines.append(f"      MIS:  {counts_text(d.mis)}")
    lines += [f"      {session_text(note)}" for note in d.sessions[:SHOWN_SESSIONS]]
    if len(d.sessions) > SHOWN_SESSIONS:
        lines.append(
            f"      … and {len(d.sessions) - SHOWN_SESSIONS} more sessions (--json lists all)"
        )
    if d.note:
        lines.append(f"      {d.note}")
    return lines


def session_text(note: SessionNote) -> str:
    """One session as the office reads it: "Tue 9 Sep 2025 AM: here N, MIS I (…)"."""
    when = f"{day_text(note.day)} {note.session}"
    if note.compared:
        return f"{when}: here {note.ours or 'no mark'}, MIS {note.mis or 'no mark'} ({note.why})"
    return f"{when}: here {note.ours} ({note.why})" if note.ours else f"{when}: {note.why}"


def counts_text(c: Counts) -> str:
    pct = "—" if c.attendance_pct is None else f"{c.attendance_pct:.1f} %"
    return (
        f"{c.possible} possible, {c.present} present, {c.authorised} authorised, "
        f"{c.unauthorised} unauthorised, {pct}"
    )
