"""The DSL's list: children whose absence needs a safeguarding decision today, and checks
still open. Anyone may see that a case exists; only the DSL, deputy and head open it, and
see what it needs (see `catalogues.redaction`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.catalogues.action_kinds import DSL_KINDS
from attendance_desk.catalogues.redaction import action_label, actions_for
from attendance_desk.followup.rules import KIND_LABELS, Action, actions_for_day
from attendance_desk.models import Pupil, SafeAndWellCheck, User


@dataclass(frozen=True, slots=True)
class Case:
    pupil_id: int
    name: str
    group: str
    day: int | None
    at_risk: bool
    needs: tuple[str, ...]
    check_state: str  # "", "in progress"


def open_cases(session: Session, day: date, *, viewer: User) -> list[Case]:
    """Cases by urgency: at-risk children first, then the longest absences."""
    by_pupil: dict[int, list[Action]] = {}
    for action in actions_for(actions_for_day(session, day), viewer):
        if action.kind in DSL_KINDS:
            by_pupil.setdefault(action.pupil_id, []).append(action)
    in_progress = set(
        session.scalars(
            select(SafeAndWellCheck.pupil_id).where(SafeAndWellCheck.finished_at.is_(None))
        )
    )
    cases = []
    for pupil_id in set(by_pupil) | in_progress:
        actions = by_pupil.get(pupil_id, [])
        if actions:
            first = actions[0]
            name, group, risk = first.name, first.group, first.risk == 0
            days = [a.day for a in actions if a.day]
        else:
            pupil = session.get(Pupil, pupil_id)
            assert pupil is not None
            name, group, risk, days = pupil.display_name, pupil.reg_group.name, False, []
        cases.append(
            Case(
                pupil_id,
                name,
                group,
                max(days) if days else None,
                risk,
                tuple(action_label(a.kind, KIND_LABELS[a.kind], viewer) for a in actions),
                "in progress" if pupil_id in in_progress else "",
            )
        )
    return sorted(cases, key=lambda c: (not c.at_risk, -(c.day or 0), c.name))
