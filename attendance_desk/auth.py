"""Users and roles.

Until the login screen exists every change is made as the built-in office account, so
each service already takes the acting user and the login only has to supply a real one.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import User
from attendance_desk.permissions import Role

OFFICE_USERNAME = "office"


def office_user(session: Session) -> User:
    """The shared office account used before individual logins are set up (created once)."""
    user = session.scalar(select(User).where(User.username == OFFICE_USERNAME))
    if user is None:
        user = User(
            username=OFFICE_USERNAME,
            full_name="School office",
            position="Office",
            role=Role.ADMIN,
        )
        session.add(user)
        session.flush()
    return user
