"""Users, passwords and logins.

Passwords are stored as argon2 hashes. Repeated failures slow further attempts for that
user name (the delay doubles from the fourth failure in a quarter of an hour), counted in
the database (`LoginFailure`) so a restart, or trying from the command line instead of the
window, does not reset it. A name that does not exist is answered as slowly as a real one
(its password is checked against a dummy hash), so the answer never tells which names are
real. Users are disabled, never deleted, so every name in the history still resolves. Until
the first administrator is created, changes are made as the built-in office account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, Role, require
from attendance_desk.models import LoginFailure, User

OFFICE_USERNAME = "office"
MIN_PASSWORD = 8
FAILURE_WINDOW = timedelta(minutes=15)
FREE_FAILURES = 3
_hasher = PasswordHasher()
#: A hash of no one's password, made with the hasher's own parameters: checking a password
#: against it takes as long as checking a real user's (see `_dummy_hash`).
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$4HdxzXy3uiC1nlzgm37r6g"
    "$9CvMwR9oGszhDOImzlfbSUqTPaiXqpdUuqt87mW3VmA"
)
#: The longest typed user name kept for counting failures (longer ones are cut here).
NAME_KEPT = 120


class LoginFailed(Exception):
    """Wrong name or password, a disabled account, or too many recent attempts."""


class UserError(ValueError):
    """A user form that cannot be saved; the message says why."""


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


@dataclass(frozen=True, slots=True)
class StaffLogin:
    """One member of staff who can log in, as the Users list shows them."""

    user_id: int
    full_name: str
    username: str
    position: str
    role: Role
    active: bool


def staff_logins(session: Session) -> list[StaffLogin]:
    """Everyone with a password (the built-in office account has none), by full name."""
    users = session.scalars(
        select(User).where(User.password_hash.is_not(None)).order_by(User.full_name)
    )
    return [
        StaffLogin(u.id, u.full_name, u.username, u.position, Role(u.role), u.active) for u in users
    ]


def needs_first_admin(session: Session) -> bool:
    """True until an active administrator with a password exists."""
    return (
        session.scalar(
            select(func.count(User.id)).where(
                User.role == Role.ADMIN, User.active.is_(True), User.password_hash.is_not(None)
            )
        )
        == 0
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password needs at least {MIN_PASSWORD} characters")


def create_user(
    session: Session,
    *,
    username: str,
    full_name: str,
    position: str,
    role: str,
    password: str,
    now: datetime,
    by: User | None = None,
) -> User:
    """Add a user; only an administrator may, except for the very first administrator."""
    first = needs_first_admin(session)
    if not first or by is not None:
        if by is None:
            raise UserError("only an administrator can add users")
        require(by, Permission.MANAGE_USERS)
    if first and by is None and role != Role.ADMIN:
        raise UserError("the first user must be an administrator")
    username = username.strip().lower()
    if not username or not full_name.strip() or not position.strip():
        raise UserError("a user needs a user name, their full name and their position")
    if role not in {r.value for r in Role}:
        raise UserError(f"'{role}' is not a role")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError(f"the user name '{username}' is taken")
    _check_password(password)
    user = User(
        username=username,
        full_name=full_name.strip(),
        position=position.strip(),
        role=role,
        password_hash=_hasher.hash(password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        user=by or user,
        now=now,
        action="create",
        entity="user",
        entity_id=user.id,
        username=username,
        role=role,
    )
    return user


@cache
def _dummy_hash() -> str:
    """`_DUMMY_HASH`, or a fresh one if this argon2 version's parameters differ from it."""
    if _hasher.check_needs_rehash(_DUMMY_HASH):
        return _hasher.hash("no one's password")
    return _DUMMY_HASH


def _recent_failures(session: Session, username: str, now: datetime) -> list[datetime]:
    return list(
        session.scalars(
            select(LoginFailure.at)
            .where(
                LoginFailure.username == username[:NAME_KEPT],
                LoginFailure.at >= now - FAILURE_WINDOW,
                LoginFailure.at <= now,
            )
            .order_by(LoginFailure.at)
        )
    )


def wait_before_next_try(session: Session, username: str, now: datetime) -> timedelta:
    """How long this user name must wait before trying again (zero when it may)."""
    failures = _recent_failures(session, username.strip().lower(), now)
    extra = len(failures) - FREE_FAILURES
    if extra <= 0:
        return timedelta(0)
    allowed_at = failures[-1] + timedelta(seconds=min(2**extra, 300))
    return max(allowed_at - now, timedelta(0))


def _password_matches(user: User | None, password: str) -> bool:
    """Check `password`; for no user, a disabled one or one without a password, check it
    against the dummy hash anyway (and answer no), so every wrong answer takes as long."""
    usable = user is not None and user.active and bool(user.password_hash)
    stored = user.password_hash if usable and user is not None else None
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def login(session: Session, *, username: str, password: str, now: datetime) -> User:
    """The user, if the password is right and the account active; failures are audited
    and counted towards the slow-down for that name."""
    name = username.strip().lower()
    wait = wait_before_next_try(session, name, now)
    if wait:
        raise LoginFailed(f"too many attempts: wait {int(wait.total_seconds()) + 1} seconds")
    user = session.scalar(select(User).where(User.username == name))
    if not _password_matches(user, password) or user is None:
        session.add(LoginFailure(username=name[:NAME_KEPT], at=now))
        office = office_user(session)
        audit.record(
            session, user=office, now=now, action="login_failed", entity="user", username=name
        )
        raise LoginFailed("wrong user name or password")
    audit.record(session, user=user, now=now, action="login", entity="user", entity_id=user.id)
    return user


def change_password(session: Session, *, user: User, old: str, new: str, now: datetime) -> None:
    try:
        _hasher.verify(user.password_hash or "", old)
    except (VerificationError, InvalidHashError):
        raise UserError("the current password is not right") from None
    _check_password(new)
    user.password_hash = _hasher.hash(new)
    audit.record(
        session, user=user, now=now, action="change_password", entity="user", entity_id=user.id
    )


def set_active(session: Session, *, user_id: int, active: bool, by: User, now: datetime) -> User:
    """Disable (or re-enable) a user; users are never deleted."""
    require(by, Permission.MANAGE_USERS)
    user = session.get(User, user_id)
    if user is None:
        raise UserError("no such user")
    if user.id == by.id and not active:
        raise UserError("you cannot disable your own account")
    old, user.active = user.active, active
    audit.record(
        session,
        user=by,
        now=now,
        action="enable" if active else "disable",
        entity="user",
        entity_id=user.id,
        old=old,
        new=active,
    )
    return user
