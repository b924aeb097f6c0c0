"""Opening the school's database: where it lives, its settings, migrations at start-up.

One PC keeps the school in an SQLite file; an office with several PCs points them all at one
PostgreSQL server (`--db postgresql://user@server/school`, or `attendance-desk connect`).

The database is the statutory record, so opening it is careful. For a file: WAL journal and
`synchronous=FULL` so a power cut loses nothing confirmed, foreign keys enforced, a busy
timeout for a second window on the same file, and a copy taken before any schema upgrade.
On a server: the upgrade runs in one transaction under a lock, so two PCs starting at once
cannot both migrate, and the server's own backups stand in for the copy. Either way a
database written by a newer version of the app is refused rather than opened.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import audit_chain  # noqa: F401  (links every audit row into the hash chain)
from attendance_desk.store import (
    audit_log,  # noqa: F401  (installs the append-only guard)
    connection_config,
    db_cipher,
    private_files,
    restore_journal,
)

if TYPE_CHECKING:
    from alembic.config import Config

ENV_VAR = "ATTENDANCE_DESK_DB"
MIGRATIONS = Path(__file__).parent.parent / "migrations"
#: The driver every PostgreSQL address is given (psycopg 3).
PG_DRIVER = "postgresql+psycopg"
#: What the app says wherever an SQLite-file feature (copies, restore, checks) meets a server.
SERVER_BACKUPS = (
    "the school's database is on a PostgreSQL server: it is backed up, restored and checked "
    "there with the server's own tools (pg_dump and pg_restore, by whoever looks after it)"
)

log = logging.getLogger(__name__)

#: A database: an SQLite file's path, or a PostgreSQL server's address.
Location = Path | str


class DatabaseError(Exception):
    """A database that cannot be opened safely; the message says why and what to do."""


class NotAFile(DatabaseError):
    """A file-only operation (backup, restore, check) asked of a server database."""

    def __init__(self) -> None:
        super().__init__(SERVER_BACKUPS[0].upper() + SERVER_BACKUPS[1:] + ".")


def is_url(location: Location | None) -> bool:
    """True for a server address (`postgresql://…`), False for a file path."""
    return isinstance(location, str) and location.startswith(("postgresql:", "postgresql+"))


def server_url(address: str) -> URL:
    """`address` as a psycopg 3 URL; `DatabaseError` when it is not a PostgreSQL address."""
    try:
        url = make_url(address)
    except ArgumentError:
        raise DatabaseError(
            "that is not a database address (postgresql://user@server/name)"
        ) from None
    if url.get_backend_name() != "postgresql":
        raise DatabaseError(f"{url.get_backend_name()} databases are not supported")
    return url.set(drivername=PG_DRIVER)


def describe(location: Location) -> str:
    """The location for people to read: a file's path, or an address with no password."""
    if is_url(location):
        return server_url(str(location)).render_as_string(hide_password=True)
    return str(location)


def location_of(engine: Engine) -> Location:
    """The file path of an SQLite engine, or the (password-free) address of a server one."""
    if engine.dialect.name == "sqlite":
        return Path(str(engine.url.database))
    return engine.url.render_as_string(hide_password=True)


def file_of(engine: Engine) -> Path:
    """The SQLite file behind `engine`; `NotAFile` for a server database."""
    if engine.dialect.name != "sqlite":
        raise NotAFile()
    return Path(str(engine.url.database))


def as_location(value: Location | None) -> Location | None:
    """A command-line or settings value as a location: addresses stay text, paths become Paths."""
    if value is None or value == "":
        return None
    return str(value) if is_url(str(value)) else Path(value)


def default_location() -> Location:
    """`$ATTENDANCE_DESK_DB`, else this PC's saved connection, else `attendance.db` in the
    user's data folder."""
    if location := as_location(os.environ.get(ENV_VAR)):
        return location
    try:
        saved = connection_config.read()
    except connection_config.ConnectionConfigError as exc:
        raise DatabaseError(str(exc)) from None
    return as_location(saved) or connection_config.default_file()


def default_path() -> Path:
    """The default database as a file; `NotAFile` when it is a server."""
    location = default_location()
    if isinstance(location, str):
        raise NotAFile()
    return location


def _pragmas(*, foreign_keys: bool) -> Callable[[Any, Any], None]:
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    return set_pragmas


def _transactional_ddl(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 runs CREATE/ALTER/DROP outside any transaction unless told not to
    # manage transactions at all; BEGIN is then sent by `_begin` below.
    dbapi_connection.isolation_level = None


def _begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(
    location: Location, *, foreign_keys: bool = True, migrating: bool = False
) -> Engine:
    """An engine for the SQLite file or the server at `location`.

    A file gets the pragmas every connection needs. Only migrations turn foreign keys off:
    SQLite rebuilds a table to alter it, and a table that others refer to cannot be dropped
    and re-created with them enforced. The links are checked as a whole once the migration
    is done (`upgrade`). A server alters tables in place and always enforces the links.
    `migrating` makes schema changes on a file transactional (SQLite can roll back DDL,
    but the driver commits it as it goes unless it is kept out of the way).
    """
    if is_url(location):
        from attendance_desk.store.server_types import register_number_loader  # only for servers

        engine = create_engine(server_url(str(location)), pool_pre_ping=True)
        event.listen(engine, "connect", register_number_loader)
        return engine
    try:
        encrypted = db_cipher.engine_url(Path(location))  # SQLCipher, when opted in
    except db_cipher.CipherError as exc:
        raise DatabaseError(str(exc)) from None
    engine = create_engine(encrypted or f"sqlite:///{location}")
    event.listen(engine, "connect", _pragmas(foreign_keys=foreign_keys))
    if migrating:
        event.listen(engine, "connect", _transactional_ddl)
        event.listen(engine, "begin", _begin)
    return engine


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config  # alembic loads only when a schema may change

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        stamped = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
        if len(stamped) == 1:
            return str(stamped[0])
        from alembic.runtime.migration import MigrationContext  # anything unusual: ask it

        return MigrationContext.configure(conn).get_current_revision()


_REVISION_LINE = re.compile(r'^(down_)?revision\b[^=\n]*=\s*(?:"([^"]+)"|None)', re.MULTILINE)


def head_from_files() -> str | None:
    """The newest schema revision, read from the migration files as text (loading alembic to
    read them takes longer than opening the database, and is needed only to upgrade); None
    when they do not make one line of revisions (then alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        for down, name in _REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            if name:
                (parents if down else revisions).add(name)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live database (WAL included) using SQLite's backup API,
    made under a temporary name and renamed when whole (a crash leaves no half copy)."""
    partial = target.with_name(f".{target.name}.partial")
    private_files.create_private(partial)
    try:
        if db_cipher.is_encrypted(source):  # an encrypted database's copies stay encrypted
            db_cipher.export(source, partial, encrypt_with=db_cipher.key_for(source))
        else:
            with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def upgrade(engine: Engine, location: Location, *, copy_first: bool = True) -> None:
    """Bring the schema to this version's head, refusing a database from a newer version.

    A file is copied beside itself first (`copy_first`), unless it is a copy already.
    """
    current = _current_revision(engine)
    if current is not None and current == head_from_files():
        return  # the usual start: nothing to upgrade, and alembic is not even loaded
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    if current == head:
        return
    if current is not None:
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise DatabaseError(
                f"{describe(location)} was written by a newer version of Attendance Desk "
                f"(schema {current}). Install the newer version to open it; nothing has been "
                "changed."
            )
    if engine.dialect.name != "sqlite":
        if current is not None:
            log.info("upgrading %s to schema %s: %s", describe(location), head, SERVER_BACKUPS)
        command.upgrade(config, "head")  # one transaction, under a lock (migrations/env.py)
        return
    path = Path(location)
    copy = None
    if current is not None and copy_first:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = path.with_name(f"{path.stem}.before-{head}-{stamp}{path.suffix}")
        copy_database(path, copy)
    migrating = make_engine(path, foreign_keys=False, migrating=True)
    try:
        command.upgrade(alembic_config(migrating), "head")  # all of it, or none of it
        with migrating.connect() as conn:
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        kept = f"; a copy taken before it is {copy}" if copy else ""
        raise DatabaseError(
            f"{path}: the upgrade to schema {head} failed ({reason}) and was undone: the "
            f"database is as it was{kept}"
        ) from exc
    finally:
        migrating.dispose()
    if broken:
        raise DatabaseError(
            f"{path}: after the upgrade {len(broken)} rows point at missing records "
            f"(first in table {broken[0][0]}); restore the copy taken before the upgrade"
        )


def say_on_stderr(note: str) -> None:
    """How the command line tells what opening the database had to settle."""
    print(f"attendance-desk: {note}", file=sys.stderr)


def open_database(
    location: Location | None = None, *, on_notice: Callable[[str], None] = say_on_stderr
) -> sessionmaker[Session]:
    """Open (creating if needed) and upgrade the database; return its session factory.

    `location` is a file path or a `postgresql://` address (default: `default_location()`).
    `on_notice` is told what had to be settled first (a restore that was interrupted),
    which someone must hear about: stderr by default, a message box in the window.
    """
    location = as_location(location) or default_location()
    if isinstance(location, str):
        return _open_server(location)
    path = location
    _settle_interrupted_restore(path, on_notice)
    if path.parent == connection_config.default_file().parent:
        private_files.own_folder(path.parent)
    else:
        private_files.private_folder(path.parent)
    _refuse_another_programs_file(path)
    for own in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if own.exists() or own == path:
            private_files.create_private(own)  # SQLite gives its WAL files the same mode
    engine = make_engine(path)
    try:
        upgrade(engine, path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} is not an Attendance Desk database: {exc}") from exc
    except Exception as exc:
        if "file is not a database" in str(exc):
            raise DatabaseError(f"{path} is not an Attendance Desk database") from exc
        raise
    return sessionmaker(engine, expire_on_commit=False)


def _settle_interrupted_restore(path: Path, on_notice: Callable[[str], None]) -> None:
    """Finish or undo a restore that was killed part-way, loudly, before anything opens
    the file; refuse while a restore is still running."""
    try:
        note = restore_journal.recover(path)
    except restore_journal.JournalClaimed as exc:
        raise DatabaseError(str(exc)) from None
    if note:
        log.info("%s", note)
        on_notice(note)


def _refuse_another_programs_file(path: Path) -> None:
    """Stop before writing our tables into a file that holds another program's.

    An empty file (or none) becomes a new school; a file with tables but no Attendance
    Desk schema stamp is someone else's database, named by `--db` by mistake.
    """
    if not path.is_file() or path.stat().st_size == 0 or db_cipher.is_encrypted(path):
        return  # nothing there yet, or encrypted (opening it needs our key: it is ours)
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            names = [str(n) for (n,) in conn.execute(_TABLES)]
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} is not an Attendance Desk database: {exc}") from exc
    if names and "alembic_version" not in names:
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        raise DatabaseError(
            f"{path} is not an Attendance Desk database (it holds another program's tables: "
            f"{shown}); nothing was changed. Choose an empty file or a new name."
        )


_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"


def _open_server(address: str) -> sessionmaker[Session]:
    engine = make_engine(address)
    try:
        upgrade(engine, address)
    except DatabaseError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseError(f"cannot open {describe(address)}: {reason}") from exc
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed together at the end, or not at all."""
    with factory() as session, session.begin():
        yield session
