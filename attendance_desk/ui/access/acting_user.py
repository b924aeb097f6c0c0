"""Who is using this window: every change made from the screens is made as them.

Set once at login (and cleared at lock); until a login exists (a brand-new database) the
built-in office account acts, so nothing is ever recorded without a name.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from attendance_desk.access.auth import office_user
from attendance_desk.models import User

_user_id: int | None = None


def set_user(user_id: int | None) -> None:
    global _user_id
    _user_id = user_id


def user_id() -> int | None:
    return _user_id


def acting_user(session: Session) -> User:
    """The logged-in user as a row of `session` (the office account before any login)."""
    if _user_id is not None and (user := session.get(User, _user_id)) is not None:
        return user
    return office_user(session)
