"""Users, logins, lock-out and the role matrix."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import auth
from attendance_desk.access.permissions import (
    PERMISSIONS,
    NotAllowed,
    Permission,
    Role,
    allowed,
    require,
)
from attendance_desk.models import AuditEvent, User

NOW = datetime(2025, 9, 8, 8, 0)


def admin(session: Session) -> User:
    return auth.create_user(
        session,
        username="Head.Office",
        full_name="Pat Admin",
        position="Office manager",
        role="admin",
        password="correct horse",
        now=NOW,
    )


def test_first_admin_then_login(session: Session) -> None:
    """A new database needs an administrator; after that, logging in returns them."""
    assert auth.needs_first_admin(session)
    created = admin(session)
    assert not auth.needs_first_admin(session)
    assert created.password_hash and "correct horse" not in created.password_hash
    user = auth.login(session, username=" head.office ", password="correct horse", now=NOW)
    assert user.id == created.id


def test_first_user_must_be_admin_and_later_ones_need_one(session: Session) -> None:
    """Nobody can add a receptionist before an admin exists, or without being an admin."""
    with pytest.raises(auth.UserError, match="first user must be an administrator"):
        auth.create_user(
            session,
            username="r",
            full_name="R",
            position="Reception",
            role="receptionist",
            password="12345678",
            now=NOW,
        )
    boss = admin(session)
    with pytest.raises(auth.UserError, match="only an administrator"):
        auth.create_user(
            session,
            username="r",
            full_name="R",
            position="Reception",
            role="receptionist",
            password="12345678",
            now=NOW,
        )
    desk = auth.create_user(
        session,
        username="r",
        full_name="Rita Desk",
        position="Reception",
        role="receptionist",
        password="12345678",
        now=NOW,
        by=boss,
    )
    with pytest.raises(NotAllowed):
        auth.create_user(
            session,
            username="s",
            full_name="S",
            position="x",
            role="dsl",
            password="12345678",
            now=NOW,
            by=desk,
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "short"}, "at least 8"),
        ({"username": "head.office"}, "taken"),
        ({"role": "janitor"}, "not a role"),
        ({"full_name": " "}, "needs a user name"),
    ],
)
def test_bad_user_forms(session: Session, changes: dict, message: str) -> None:
    """Each half-filled or clashing user form says what is wrong."""
    boss = admin(session)
    fields = dict(
        username="new",
        full_name="New Person",
        position="DSL",
        role="dsl",
        password="long enough",
        now=NOW,
        by=boss,
    )
    with pytest.raises(auth.UserError, match=message):
        auth.create_user(session, **{**fields, **changes})


def test_lock_out_grows_after_repeated_failures(session: Session) -> None:
    """Three wrong passwords are free; the fourth makes the next try wait, the wait grows."""
    admin(session)
    for i in range(4):
        with pytest.raises(auth.LoginFailed, match="wrong user name or password"):
            auth.login(
                session, username="head.office", password="nope", now=NOW + timedelta(seconds=i)
            )
    with pytest.raises(auth.LoginFailed, match="too many attempts"):
        auth.login(
            session,
            username="head.office",
            password="correct horse",
            now=NOW + timedelta(seconds=4),
        )
    later = NOW + timedelta(seconds=10)
    assert auth.login(session, username="head.office", password="correct horse", now=later)
    failures = session.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed"))
    assert len(list(failures)) == 4


@pytest.mark.parametrize("name", ["zoë.brontë", "o'neil", 'say "hi"', "back\\slash", "nobody"])
def test_lock_out_counts_any_name(session: Session, name: str) -> None:
    """Names with accents, quotes or backslashes, and names nobody has, are slowed down
    after three failures just like a plain real name."""
    boss = admin(session)
    if name != "nobody":
        auth.create_user(
            session,
            username=name,
            full_name="Some One",
            position="Office",
            role="receptionist",
            password="right password",
            now=NOW,
            by=boss,
        )
    for i in range(4):
        with pytest.raises(auth.LoginFailed, match="wrong user name or password"):
            auth.login(session, username=name, password="nope", now=NOW + timedelta(seconds=i))
    with pytest.raises(auth.LoginFailed, match="too many attempts"):
        auth.login(
            session,
            username=name.upper(),
            password="right password",
            now=NOW + timedelta(seconds=4),
        )
    assert auth.wait_before_next_try(session, "head.office", NOW + timedelta(seconds=4)) == (
        timedelta(0)
    )


class CountingHasher(PasswordHasher):
    """The real argon2 hasher, remembering the parameters of every hash it checked."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.checked.append(str(hash).rsplit("$", 2)[0])
        return super().verify(hash, password)


def test_unknown_names_cost_one_full_password_check(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong password is checked with argon2 at the same cost whether the name is real,
    unknown or disabled, so the time taken does not tell which names exist."""
    boss = admin(session)
    gone = auth.create_user(
        session,
        username="gone",
        full_name="Gone Away",
        position="Office",
        role="receptionist",
        password="12345678",
        now=NOW,
        by=boss,
    )
    auth.set_active(session, user_id=gone.id, active=False, by=boss, now=NOW)
    hasher = CountingHasher()
    monkeypatch.setattr(auth, "_hasher", hasher)
    for name in ("head.office", "nobody.here", "gone"):
        with pytest.raises(auth.LoginFailed, match="wrong user name or password"):
            auth.login(session, username=name, password="wrong guess", now=NOW)
    real = (boss.password_hash or "").rsplit("$", 2)[0]
    assert hasher.checked == [real, real, real]


def test_disabled_user_cannot_log_in(session: Session) -> None:
    """A disabled account is refused like a wrong password, and is kept, not deleted."""
    boss = admin(session)
    desk = auth.create_user(
        session,
        username="rita",
        full_name="Rita Desk",
        position="Reception",
        role="receptionist",
        password="12345678",
        now=NOW,
        by=boss,
    )
    auth.set_active(session, user_id=desk.id, active=False, by=boss, now=NOW)
    with pytest.raises(auth.LoginFailed):
        auth.login(session, username="rita", password="12345678", now=NOW)
    assert session.get(User, desk.id) is not None
    with pytest.raises(auth.UserError, match="your own account"):
        auth.set_active(session, user_id=boss.id, active=False, by=boss, now=NOW)


def test_change_password(session: Session) -> None:
    """The old password must be right; the new one then works."""
    boss = admin(session)
    with pytest.raises(auth.UserError, match="current password"):
        auth.change_password(session, user=boss, old="wrong", new="another one", now=NOW)
    auth.change_password(session, user=boss, old="correct horse", new="another one", now=NOW)
    assert auth.login(session, username="head.office", password="another one", now=NOW)


EXPECTED = {
    Permission.VIEW_SAFEGUARDING: {Role.DSL, Role.DEPUTY_DSL, Role.HEAD},
    Permission.RECORD_SAFEGUARDING: {Role.DSL, Role.DEPUTY_DSL, Role.HEAD},
    Permission.MANAGE_USERS: {Role.ADMIN},
    Permission.VIEW_AUDIT: {Role.HEAD, Role.ADMIN},
    Permission.DECIDE_LEAVE: {Role.HEAD},
    Permission.SEND_LETTERS: {Role.ATTENDANCE_OFFICER, Role.DSL, Role.HEAD, Role.ADMIN},
    Permission.EDIT_LETTER_TEMPLATES: {Role.ATTENDANCE_OFFICER, Role.DSL, Role.HEAD, Role.ADMIN},
    Permission.TAKE_REGISTER: set(Role),
    Permission.LOG_CALLS: set(Role) - {Role.TEACHER},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(EXPECTED))
def test_role_matrix(role: Role, permission: Permission) -> None:
    """Each role has exactly the permissions the matrix gives it."""
    user = User(username="x", full_name="X", position="x", role=role, active=True)
    assert allowed(user, permission) == (role in EXPECTED[permission])
    assert (permission in PERMISSIONS[role]) == (role in EXPECTED[permission])
    if role not in EXPECTED[permission]:
        with pytest.raises(NotAllowed, match="X cannot do that"):
            require(user, permission)
