"""Reading the audit trail (for the head and administrator), and keeping it append-only.

`search` returns plain rows, newest first, filtered by person, action, kind of record and
dates. Safeguarding detail in the trail (a DSL's decision, a visit's outcome) is shown only
to those who may read safeguarding records; everyone allowed to see the trail still sees
who did what, and when.

Importing this module installs the append-only guard: any attempt to change or delete an
`AuditEvent` through the ORM (a changed attribute, `session.delete`, or a bulk
`update()`/`delete()` statement) raises `AuditIsAppendOnly` before anything reaches the
database. Raw SQL outside the ORM is stopped by the database's own triggers (migration
0008), so the trail cannot be edited by any route.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Delete, Update, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.models import AuditEvent, User
from attendance_desk.safeguarding.redaction import audit_detail

LIMIT = 500
COLUMNS = ("at", "user", "action", "record", "record_id", "detail")
WITHHELD = "(safeguarding detail: for the DSL, deputy DSL and head)"


class AuditIsAppendOnly(RuntimeError):
    """Something tried to change or delete a row of the audit trail."""


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit event as the viewer shows it; `detail` is the stored JSON (or `WITHHELD`)."""

    id: int
    at: datetime
    user_name: str
    action: str
    entity: str
    entity_id: int | None
    detail: str

    @property
    def summary(self) -> str:
        """The detail as `key: value; ...` for reading (the JSON itself when not an object)."""
        return describe_detail(self.detail)


def search(
    session: Session,
    *,
    viewer: User,
    user_name: str | None = None,
    action: str | None = None,
    entity: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    limit: int = LIMIT,
) -> list[AuditRow]:
    """The audit events matching every filter given, newest first, at most `limit`.

    `user_name` matches any part of the name, in any case; `action` and `entity` match
    exactly. `since` and `until` include their moments; a date as `until` includes that
    whole day. Raises `permissions.NotAllowed` unless `viewer` may view the audit trail.
    """
    require(viewer, Permission.VIEW_AUDIT)
    query = select(AuditEvent)
    if user_name and user_name.strip():
        pattern = "%" + _escape_like(user_name.strip().lower()) + "%"
        query = query.where(func.lower(AuditEvent.user_name).like(pattern, escape="\\"))
    if action:
        query = query.where(AuditEvent.action == action)
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if since is not None:
        query = query.where(AuditEvent.at >= _start(since))
    if until is not None:
        if isinstance(until, datetime):
            query = query.where(AuditEvent.at <= until)
        else:
            query = query.where(AuditEvent.at < _start(until + timedelta(days=1)))
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(max(limit, 0))
    return [_row(e, viewer) for e in session.scalars(query)]


def filter_choices(session: Session, *, viewer: User) -> tuple[list[str], list[str]]:
    """The actions and the kinds of record the trail holds, each sorted, for filter lists."""
    require(viewer, Permission.VIEW_AUDIT)
    actions = session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    entities = session.scalars(select(AuditEvent.entity).distinct().order_by(AuditEvent.entity))
    return list(actions), list(entities)


def write_csv(rows: list[AuditRow], path: Path) -> int:
    """Write rows as UTF-8 CSV (`COLUMNS`), replacing `path` only when complete.

    Text that a spreadsheet would run as a formula is written with a leading apostrophe
    (as in every export). Returns the number of rows written.
    """
    # imported here so that loading the append-only guard (from `db`) stays light
    from attendance_desk.csv_files import write_table

    return write_table(
        Path(path),
        COLUMNS,
        (
            (
                r.at.isoformat(sep=" ", timespec="seconds"),
                r.user_name,
                r.action,
                r.entity,
                r.entity_id,
                r.detail,
            )
            for r in rows
        ),
    )


def export_csv(
    session: Session, *, viewer: User, now: datetime, rows: list[AuditRow], path: Path
) -> int:
    """`write_csv`, recorded in the trail itself (who took a copy, how many rows, where)."""
    require(viewer, Permission.VIEW_AUDIT)
    count = write_csv(rows, path)
    audit.record(
        session, user=viewer, now=now, action="export", entity="audit", rows=count, file=str(path)
    )
    return count


def describe_detail(detail: str) -> str:
    """`{"new": "I", "old": "N"}` as `new: I; old: N`, for people to read."""
    try:
        data = json.loads(detail) if detail else {}
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    return "; ".join(f"{key}: {_plain(value)}" for key, value in data.items())


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + describe_detail(json.dumps(value)) + "}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    return str(value)


def _row(e: AuditEvent, viewer: User) -> AuditRow:
    detail = audit_detail(e.entity, e.detail, viewer)
    return AuditRow(
        e.id,
        e.at,
        e.user_name,
        e.action,
        e.entity,
        e.entity_id,
        WITHHELD if detail is None else detail,
    )


def _start(day: date | datetime) -> datetime:
    return day if isinstance(day, datetime) else datetime.combine(day, time())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- append-only ------------------------------------------------------------------------
@event.listens_for(Session, "before_flush")
def _refuse_changed_audit_rows(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise AuditIsAppendOnly(f"audit events are never deleted ({obj!r})")
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) and session.is_modified(obj):
            raise AuditIsAppendOnly(f"audit events are never changed ({obj!r})")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_audit_changes(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, Update | Delete):
        table = getattr(statement, "table", None)
        if getattr(table, "name", None) == AuditEvent.__tablename__:
            raise AuditIsAppendOnly("the audit trail is append-only: no UPDATE or DELETE")
