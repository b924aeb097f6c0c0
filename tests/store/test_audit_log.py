"""The audit viewer's service: filters, who may look, CSV, and a trail nobody can rewrite."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import NotAllowed, Role
from attendance_desk.models import AuditEvent, User
from attendance_desk.store import audit_log

MONDAY = datetime(2025, 9, 8, 9, 0)


def staff(session: Session, username: str, role: Role, full_name: str) -> User:
    user = User(username=username, full_name=full_name, position=role.value, role=role)
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    """Staff in each role that matters here, and a morning's audit trail written by them."""
    users = {
        "head": staff(session, "head", Role.HEAD, "Helen Head"),
        "admin": staff(session, "admin", Role.ADMIN, "Adam Admin"),
        "reception": staff(session, "rita", Role.RECEPTIONIST, "Rita Reception"),
        "dsl": staff(session, "dina", Role.DSL, "Dina Lead"),
    }
    trail = [
        (users["reception"], MONDAY, "sign_in", "pupil", 1, {"minutes_late": 5}),
        (users["reception"], MONDAY.replace(hour=10), "amend", "mark", 7, {"old": "N", "new": "I"}),
        (users["admin"], datetime(2025, 9, 9, 8), "change", "setting", None, {"key": "x"}),
        (
            users["dsl"],
            datetime(2025, 9, 10, 11),
            "decide",
            "safe_and_well_check",
            3,
            {"decision": "not_today"},
        ),
        (users["head"], datetime(2025, 9, 11, 12), "view", "chronology", 1, {}),
    ]
    for user, at, action, entity, entity_id, detail in trail:
        audit.record(
            session, user=user, now=at, action=action, entity=entity, entity_id=entity_id, **detail
        )
    session.commit()
    return users


def test_newest_first_for_the_head(session: Session, people: dict[str, User]) -> None:
    """With no filters the head sees the whole trail, newest first."""
    rows = audit_log.search(session, viewer=people["head"])
    assert [r.action for r in rows] == ["view", "decide", "change", "amend", "sign_in"]
    assert rows[3].summary == "new: I; old: N"


def test_filters_combine(session: Session, people: dict[str, User]) -> None:
    """Name (any part, any case), action, kind of record and dates each narrow the rows."""

    def actions(**filters: object) -> list[str]:
        return [r.action for r in audit_log.search(session, viewer=people["admin"], **filters)]

    assert actions(user_name="RECEP") == ["amend", "sign_in"]
    assert actions(action="amend") == ["amend"]
    assert actions(entity="setting") == ["change"]
    assert actions(since=date(2025, 9, 9), until=date(2025, 9, 10)) == ["decide", "change"]
    assert actions(until=MONDAY) == ["sign_in"]
    assert actions(user_name="rec", since=MONDAY.replace(hour=9, minute=30)) == ["amend"]
    assert actions(user_name="%") == []  # LIKE wildcards are plain text here
    assert len(audit_log.search(session, viewer=people["head"], limit=2)) == 2


def test_a_receptionist_and_a_dsl_may_not_look(session: Session, people: dict[str, User]) -> None:
    """Only the head and the administrator may view the audit trail, or list its filters."""
    for who in ("reception", "dsl"):
        with pytest.raises(NotAllowed, match="Headteacher, Administrator"):
            audit_log.search(session, viewer=people[who])
        with pytest.raises(NotAllowed):
            audit_log.filter_choices(session, viewer=people[who])


def test_safeguarding_detail_is_withheld_from_the_administrator(
    session: Session, people: dict[str, User]
) -> None:
    """The administrator sees that the DSL decided, not what; the head sees the decision."""
    [for_admin] = audit_log.search(session, viewer=people["admin"], action="decide")
    [for_head] = audit_log.search(session, viewer=people["head"], action="decide")
    assert for_admin.user_name == "Dina Lead" and for_admin.detail == audit_log.WITHHELD
    assert for_head.summary == "decision: not_today"


def test_filter_choices(session: Session, people: dict[str, User]) -> None:
    """The actions and kinds of record in the trail, sorted, for the filter lists."""
    actions, entities = audit_log.filter_choices(session, viewer=people["head"])
    assert actions == ["amend", "change", "decide", "sign_in", "view"]
    assert entities == ["chronology", "mark", "pupil", "safe_and_well_check", "setting"]


def test_csv_export_is_recorded(session: Session, people: dict[str, User], tmp_path: Path) -> None:
    """The CSV holds each row with its raw detail, and taking it is itself audited."""
    rows = audit_log.search(session, viewer=people["head"], user_name="reception")
    path = tmp_path / "audit.csv"
    count = audit_log.export_csv(session, viewer=people["head"], now=MONDAY, rows=rows, path=path)
    session.commit()
    with path.open(encoding="utf-8", newline="") as f:
        written = list(csv.DictReader(f))
    assert count == 2 and [r["action"] for r in written] == ["amend", "sign_in"]
    assert written[0] == {
        "at": "2025-09-08 10:00:00",
        "user": "Rita Reception",
        "action": "amend",
        "record": "mark",
        "record_id": "7",
        "detail": '{"new": "I", "old": "N"}',
    }
    [export] = audit_log.search(session, viewer=people["head"], action="export")
    assert export.user_name == "Helen Head" and '"rows": 2' in export.detail


def test_csv_defuses_formulas(tmp_path: Path) -> None:
    """A name a spreadsheet would run as a formula is written with a leading apostrophe."""
    row = audit_log.AuditRow(1, MONDAY, '=HYPERLINK("x")', "login", "user", 1, "")
    audit_log.write_csv([row], tmp_path / "a.csv")
    assert "'=HYPERLINK" in (tmp_path / "a.csv").read_text(encoding="utf-8")


def test_audit_events_cannot_be_changed(session: Session, people: dict[str, User]) -> None:
    """Changing an audit event's attribute is refused at flush, and nothing is written."""
    event = session.scalars(select(AuditEvent)).first()
    assert event is not None
    event.user_name = "Someone Else"
    with pytest.raises(audit_log.AuditIsAppendOnly, match="never changed"):
        session.flush()
    session.rollback()
    assert session.scalar(select(func.count()).where(AuditEvent.user_name == "Someone Else")) == 0


def test_audit_events_cannot_be_deleted(session: Session, people: dict[str, User]) -> None:
    """Deleting an audit event through the session is refused at flush."""
    before = session.scalar(select(func.count(AuditEvent.id)))
    session.delete(session.scalars(select(AuditEvent)).first())
    with pytest.raises(audit_log.AuditIsAppendOnly, match="never deleted"):
        session.flush()
    session.rollback()
    assert session.scalar(select(func.count(AuditEvent.id))) == before


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEvent).values(user_name="x"),
        delete(AuditEvent),
        update(AuditEvent.__table__).values(user_name="x"),
        delete(AuditEvent.__table__).where(AuditEvent.__table__.c.id > 0),
    ],
    ids=["orm-update", "orm-delete", "core-update", "core-delete"],
)
def test_bulk_statements_on_the_trail_are_refused(
    statement: object, session: Session, people: dict[str, User]
) -> None:
    """UPDATE and DELETE statements aimed at the audit table never reach the database."""
    before = session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(audit_log.AuditIsAppendOnly):
        session.execute(statement)  # type: ignore[call-overload]
    session.rollback()
    assert session.scalar(select(func.count(AuditEvent.id))) == before


def test_other_tables_still_change(session: Session, people: dict[str, User]) -> None:
    """The guard looks only at the audit table: users are changed as before."""
    people["reception"].position = "Senior receptionist"
    session.execute(update(User).where(User.username == "dina").values(position="DSL"))
    session.commit()
