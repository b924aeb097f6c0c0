"""Who is running a command: every command that reads or changes pupil data runs as a named
member of staff, with that person's permissions (the window's table), and the audit names them.

The user comes from `--user NAME` (anywhere on the line) or `ATTENDANCE_DESK_USER`; the
password from `ATTENDANCE_DESK_PASSWORD` (for scheduled tasks) or, at a terminal, a prompt
that does not echo. The check is `auth.login`, so a wrong password here counts towards the
same slow-down as one typed in the window, and is committed even though the command then
stops.

`cli.main` logs in (`log_in_for`) before it runs any command not in `NO_LOGIN`; a command
gets its user with one line:

    user = login.acting_user(session, args.login)
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from attendance_desk.access.permissions import PERMISSIONS, ROLE_LABELS, Permission, Role, allowed

if TYPE_CHECKING:  # the database is imported once a command runs, not to parse its line
    from sqlalchemy.orm import Session, sessionmaker

    from attendance_desk.models import User
    from attendance_desk.store.db import Location

#: Commands that hold no pupil data, or make a school from nothing: they need no login
#: (`demo` does when it would add its logins to a school that has an administrator).
NO_LOGIN = frozenset({"init", "demo", "check", "connect"})
USER_ENV = "ATTENDANCE_DESK_USER"
PASSWORD_ENV = "ATTENDANCE_DESK_PASSWORD"
OPTION = "--user"


class LoginError(Exception):
    """No user given, no password to be had, a wrong password, or a permission missing."""


@dataclass(frozen=True, slots=True)
class Login:
    """The member of staff a command runs as (checked once, at the start of the command)."""

    user_id: int
    username: str


def user_first(argv: Sequence[str]) -> list[str]:
    """`argv` with `--user NAME` (or `--user=NAME`) moved to the front, so it may be written
    after the command and its arguments too, as people tend to."""
    rest: list[str] = []
    front: list[str] = []
    words = iter(argv)
    for word in words:
        if word == OPTION:
            front += [word, next(words, "")]
        elif word.startswith(OPTION + "="):
            front.append(word)
        else:
            rest.append(word)
    return front + rest


def command_words(args: argparse.Namespace) -> str:
    """The command as typed, for messages: `export pupils`, `report weekly`, `outbox send`."""
    words = [args.command]
    for key, word in vars(args).items():
        if (key in ("kind", "report") or key.endswith("action")) and isinstance(word, str):
            words.append(word)
    return " ".join(words)


def log_in_for(args: argparse.Namespace, factory: sessionmaker[Session]) -> None:
    """Log in for the command `args` asks for, setting `args.login` (None when it needs
    no login); raises `LoginError` saying what is missing."""
    args.login = None
    if args.command in NO_LOGIN and not _demo_into_a_school(args, factory):
        return
    args.login = log_in(
        factory, command=command_words(args), username=args.user, now=datetime.now()
    )
    if args.command == "demo":
        with factory() as session:
            user = acting_user(session, args.login)
            refuse_unless(user, Permission.MANAGE_USERS, doing="add the demo logins")


def _demo_into_a_school(args: argparse.Namespace, factory: sessionmaker[Session]) -> bool:
    """True when `demo` would build into a database that already has an administrator: its
    demo logins (with their published password) may then be added only by an administrator."""
    from sqlalchemy import func, select

    from attendance_desk.access import auth
    from attendance_desk.models import Pupil

    if args.command != "demo":
        return False
    with factory() as session:
        if auth.needs_first_admin(session):
            return False
        has_pupils = (session.scalar(select(func.count(Pupil.id))) or 0) > 0
    return not (has_pupils and args.open)


def log_in_for_file(args: argparse.Namespace) -> None:
    """`log_in_for` the commands that work on the database file itself (`backup`, `restore`:
    the administrator's, as in the window; `check` needs no login)."""
    args.login = None
    if args.command not in NO_LOGIN:
        args.login = log_in_to_file(
            args.db,
            command=args.command,
            username=args.user,
            now=datetime.now(),
            needs=Permission.CHANGE_SETTINGS,
            missing_ok=args.command == "restore",
        )


def log_in(
    factory: sessionmaker[Session],
    *,
    command: str,
    username: str | None,
    now: datetime,
) -> Login:
    """Check the named user's password and return who they are.

    Raises `LoginError` with a message naming `command` and the way to give what is
    missing. The attempt (right or wrong) is committed before this returns or raises.
    """
    from attendance_desk.access import auth
    from attendance_desk.store.db import transaction

    name = (username or os.environ.get(USER_ENV) or "").strip()
    if not name:
        raise LoginError(f"`{command}` needs a login: {OPTION} NAME or {USER_ENV}")
    password = _password(command, name)
    with transaction(factory) as session:
        try:
            user = auth.login(session, username=name, password=password, now=now)
        except auth.LoginFailed as exc:
            failed = exc  # committed on leaving the block: the failure must count
        else:
            return Login(user.id, user.username)
    raise LoginError(f"`{command}`: {failed}")


def log_in_to_file(
    location: Location | None,
    *,
    command: str,
    username: str | None,
    now: datetime,
    needs: Permission,
    missing_ok: bool,
) -> Login | None:
    """For `backup` and `restore`, which work on the file itself: log in to the database
    there and require `needs`. With `missing_ok` (restore), a database that is not there or
    cannot be opened needs no login: there is nothing in it to protect, and putting a
    backup in its place must stay possible. A server address is left to the command to
    refuse (its backups are the server's)."""
    from sqlalchemy.exc import SQLAlchemyError

    from attendance_desk.store.db import DatabaseError, as_location, default_location, open_database

    place = as_location(location) or default_location()
    if isinstance(place, str) or (missing_ok and not place.exists()):
        return None
    try:
        factory = open_database(place)
    except (DatabaseError, SQLAlchemyError) as exc:
        if not missing_ok:
            raise
        print(f"attendance-desk: {exc}; restoring without a login", file=sys.stderr)
        return None
    try:
        login = log_in(factory, command=command, username=username, now=now)
        with factory() as session:
            user = acting_user(session, login)
            refuse_unless(user, needs, doing=f"run `{command}`")
    finally:
        factory.kw["bind"].dispose()
    return login


def _password(command: str, name: str, *, again: bool = False) -> str:
    """`ATTENDANCE_DESK_PASSWORD`, or typed at a prompt (twice when `again`)."""
    if (from_env := os.environ.get(PASSWORD_ENV)) is not None:
        return from_env
    if not sys.stdin.isatty():
        raise LoginError(
            f"`{command}` needs {name}'s password: run it at a terminal to be asked, "
            f"or set {PASSWORD_ENV}"
        )
    try:
        password = getpass.getpass(f"Password for {name}: ")
        if again and getpass.getpass("The same password again: ") != password:
            raise LoginError(f"`{command}`: the two passwords differ; nothing was created")
    except (EOFError, KeyboardInterrupt):
        raise LoginError(f"`{command}`: no password given") from None
    return password


def create_first_admin(session: Session, *, username: str, now: datetime) -> User:
    """`init --admin NAME`: the school's first administrator, password prompted (twice) or
    from `ATTENDANCE_DESK_PASSWORD`; refused once an administrator exists."""
    from attendance_desk.access import auth

    if not auth.needs_first_admin(session):
        raise LoginError("this school already has an administrator: they add users")
    password = _password("init --admin", username, again=True)
    try:
        return auth.create_user(
            session,
            username=username,
            full_name=username,
            position="Administrator",
            role=Role.ADMIN,
            password=password,
            now=now,
        )
    except auth.UserError as exc:
        raise LoginError(f"`init --admin`: {exc}") from None


def acting_user(session: Session, login: Login | None, *, needs: Permission | None = None) -> User:
    """The logged-in member of staff as a row of `session`; with `needs`, only if their role
    allows it (the message says who may)."""
    from attendance_desk.models import User

    if login is None:
        raise LoginError(f"this command needs a login: {OPTION} NAME or {USER_ENV}")
    user = session.get(User, login.user_id)
    if user is None or not user.active:
        raise LoginError(f"{login.username} is no longer an active user")
    if needs is not None:
        refuse_unless(user, needs, doing=None)
    return user


def refuse_unless(user: User, needs: Permission, *, doing: str | None) -> None:
    """Raise `LoginError` ("reception may not export … (needs …)") unless `user` may."""
    if allowed(user, needs):
        return
    who = " or ".join(ROLE_LABELS[role] for role in Role if needs in PERMISSIONS[role])
    what = doing or needs.value.replace("_", " ")
    raise LoginError(f"{user.username} may not {what} (needs {who})")
