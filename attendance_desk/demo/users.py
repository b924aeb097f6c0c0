"""The demo school's staff logins, one per role, so every screen can be tried at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import auth
from attendance_desk.access.permissions import Role
from attendance_desk.models import User

DEMO_PASSWORD = "demo-school"
#: (user name, full name, position, role) of the demo school's staff.
DEMO_STAFF = (
    ("admin", "Pat Morgan", "Office manager", Role.ADMIN),
    ("reception", "Rita Shah", "Receptionist", Role.RECEPTIONIST),
    ("attendance", "Alex Green", "Attendance officer", Role.ATTENDANCE_OFFICER),
    ("dsl", "Dana Singh", "Designated Safeguarding Lead", Role.DSL),
    ("head", "Helen Brooks", "Headteacher", Role.HEAD),
)


def add_demo_staff(session: Session, now: datetime) -> list[User]:
    """Create the demo logins (all with the demo password) that do not exist yet.

    On a database whose administrator was made in the welcome wizard, that administrator
    adds them (only an administrator may add users); on an empty one, `admin` comes first.
    """
    taken = set(session.scalars(select(User.username)))
    by = session.scalar(
        select(User)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.password_hash.is_not(None))
        .order_by(User.id)
    )
    staff: list[User] = []
    for username, name, position, role in DEMO_STAFF:
        if username in taken:
            continue
        user = auth.create_user(
            session,
            username=username,
            full_name=name,
            position=position,
            role=role,
            password=DEMO_PASSWORD,
            now=now,
            by=by,
        )
        staff.append(user)
        by = by or user
    return staff


def demo_login_hint(session: Session) -> str:
    """On the demo school, the login screen says how to get in; elsewhere, nothing."""
    names = set(session.scalars(select(User.username).where(User.active.is_(True))))
    if not {u for u, *_ in DEMO_STAFF} <= names:
        return ""
    users = ", ".join(u for u, *_ in DEMO_STAFF)
    return (
        f"Demo school: log in as {users} (the DSL sees safeguarding detail), "
        f"password {DEMO_PASSWORD}"
    )
