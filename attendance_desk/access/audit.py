"""Writing audit events: every service that changes the record calls `record` in the same
transaction, so a change and its audit row are committed together or not at all."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from attendance_desk.models import AuditEvent, User


def record(
    session: Session,
    *,
    user: User,
    now: datetime,
    action: str,
    entity: str,
    entity_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event (who, when, what, to which record, with old/new values in `detail`)."""
    return record_by_name(
        session,
        user_id=user.id,
        user_name=user.full_name,
        now=now,
        action=action,
        entity=entity,
        entity_id=entity_id,
        **detail,
    )


def record_by_name(
    session: Session,
    *,
    user_id: int | None,
    user_name: str,
    now: datetime,
    action: str,
    entity: str,
    entity_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """`record` for someone who may have no account in this database (a restore run by a
    login to the database it replaced)."""
    event = AuditEvent(
        at=now,
        user_id=user_id,
        user_name=user_name,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=json.dumps(detail, default=str, sort_keys=True) if detail else "",
    )
    session.add(event)
    return event
