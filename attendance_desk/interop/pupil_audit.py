"""The audit trail of pupils created or changed by an import, the same for CSV and CTF."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.models import Pupil, User


def record_created(
    session: Session, pupils: Iterable[Pupil], *, user: User, now: datetime, file: str
) -> None:
    """One `create` event per new pupil, naming the file it came from."""
    session.flush()  # the new pupils' ids
    for pupil in pupils:
        audit.record(
            session,
            user=user,
            now=now,
            action="create",
            entity="pupil",
            entity_id=pupil.id,
            upn=pupil.upn,
            source=file,
        )


def record_updated(
    session: Session,
    pupil: Pupil,
    changes: Mapping[str, tuple[Any, Any]],
    *,
    user: User,
    now: datetime,
    file: str,
) -> None:
    """One `update` event holding each changed field's old and new value."""
    audit.record(
        session,
        user=user,
        now=now,
        action="update",
        entity="pupil",
        entity_id=pupil.id,
        upn=pupil.upn,
        source=file,
        changes={name: {"old": old, "new": new} for name, (old, new) in changes.items()},
    )
