"""Opening the school's database: where it lives, SQLite settings, migrations at start-up.

The database is the statutory record, so opening it is careful: WAL journal and
`synchronous=FULL` so a power cut loses nothing confirmed, foreign keys enforced, a busy
timeout for a second window on the same file, a copy taken before any schema upgrade, and a
database written by a newer version of the app refused rather than opened.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk import audit_log  # noqa: F401  (installs the append-only guard)

ENV_VAR = "ATTENDANCE_DESK_DB"
MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(Exception):
    """A database that cannot be opened safely; the message says why and what to do."""


def default_path() -> Path:
    """`$ATTENDANCE_DESK_DB`, or `attendance.db` in the user's data folder."""
    if env := os.environ.get(ENV_VAR):
        return Path(env)
    return Path(platformdirs.user_data_dir("Attendance Desk", appauthor=False)) / "attendance.db"


def _pragmas(*, foreign_keys: bool) -> Callable[[Any, Any], None]:
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    return set_pragmas


def make_engine(path: Path, *, foreign_keys: bool = True) -> Engine:
    """An engine for the SQLite file at `path` with the pragmas every connection needs.

    Only migrations turn foreign keys off: SQLite rebuilds a table to alter it, and a
    table that others refer to cannot be dropped and re-created with them enforced. The
    links are checked as a whole once the migration is done (`upgrade`).
    """
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _pragmas(foreign_keys=foreign_keys))
    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live database (WAL included) using SQLite's backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def upgrade(engine: Engine, path: Path) -> None:
    """Bring the schema to this version's head, refusing a database from a newer version."""
    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    current = _current_revision(engine)
    if current == head:
        return
    if current is not None:
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise DatabaseError(
                f"{path} was written by a newer version of Attendance Desk (schema {current}). "
                "Install the newer version to open it; nothing has been changed."
            )
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        copy_database(path, path.with_name(f"{path.stem}.before-{head}-{stamp}{path.suffix}"))
    migrating = make_engine(path, foreign_keys=False)
    try:
        command.upgrade(alembic_config(migrating), "head")
        with migrating.connect() as conn:
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    finally:
        migrating.dispose()
    if broken:
        raise DatabaseError(
            f"{path}: after the upgrade {len(broken)} rows point at missing records "
            f"(first in table {broken[0][0]}); restore the copy taken before the upgrade"
        )


def open_database(path: Path | None = None) -> sessionmaker[Session]:
    """Open (creating if needed) and upgrade the database; return its session factory."""
    path = Path(path) if path else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
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


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed together at the end, or not at all."""
    with factory() as session, session.begin():
        yield session
