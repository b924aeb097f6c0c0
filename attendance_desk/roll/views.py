"""What the admission and removal screens show, as plain rows (no ORM objects leave here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import Pupil, RegGroup, RollChange, YearGroup
from attendance_desk.roll.changes import roll_status
from attendance_desk.roll.grounds import GroundChoice, grounds_for


@dataclass(frozen=True, slots=True)
class GroupChoice:
    name: str
    year_code: str


@dataclass(frozen=True, slots=True)
class RemovalView:
    """One pupil as the removal dialog shows them, with every ground and its availability."""

    pupil_id: int
    name: str
    upn: str
    group: str
    status: str
    removed: bool
    choices: tuple[GroundChoice, ...]


def group_choices(session: Session) -> list[GroupChoice]:
    """Registration groups in year order, for the admission form."""
    rows = session.execute(
        select(RegGroup.name, YearGroup.code)
        .join(YearGroup, RegGroup.year_group_id == YearGroup.id)
        .order_by(YearGroup.sort_order, RegGroup.name)
    )
    return [GroupChoice(name, code) for name, code in rows]


def removal_view(session: Session, pupil_id: int, day: date, today: date) -> RemovalView:
    """The pupil and the grounds as they stand for a removal on `day`."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValueError(f"no pupil with id {pupil_id}")
    removed = (
        session.scalar(
            select(RollChange.id).where(
                RollChange.pupil_id == pupil.id, RollChange.kind == "removal"
            )
        )
        is not None
    )
    return RemovalView(
        pupil_id=pupil.id,
        name=pupil.display_name,
        upn=pupil.upn,
        group=pupil.reg_group.name,
        status=roll_status(session, pupil, today).text,
        removed=removed,
        choices=tuple(grounds_for(session, pupil, day)),
    )


def removal_id(session: Session, pupil_id: int) -> int | None:
    """The pupil's removal, for printing its deletion return again."""
    return session.scalar(
        select(RollChange.id).where(RollChange.pupil_id == pupil_id, RollChange.kind == "removal")
    )
