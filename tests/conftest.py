"""Every test gets its own database, migrated exactly as the app does.

By default that is an SQLite file in a temp folder. With `ATTENDANCE_DESK_TEST_PG` set to a
PostgreSQL server's address (a user who may CREATE DATABASE), each test gets a fresh database
on that server instead. Either way the migrations run once per session, into a template,
and each test's database is a copy of it (a file copy, or a server database made from the
template), so no test waits for every migration. Tests about SQLite files by nature are
marked `sqlite_only` and skipped in that run.
"""

from __future__ import annotations

import os
import tempfile

# Qt tests draw offscreen (CI and servers have no display); set before Qt loads.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# This PC's saved connection (connection_config) must never leak into a test run.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="attendance-desk-config-")
# Passwords the app keeps in the PC's password store go to a throwaway file store (a real
# keyring backend, also for the command line's subprocesses), never the tester's own.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="attendance-desk-data-")

import itertools
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.store.db import Location, open_database

PG_ENV = "ATTENDANCE_DESK_TEST_PG"
SQLITE_ONLY = "about the SQLite file itself (the server's own backups and checks apply)"

NewDatabase = Callable[[Path], Location]


def postgres_url() -> URL | None:
    """The test server's address, when this run is on PostgreSQL."""
    address = os.environ.get(PG_ENV)
    return make_url(address).set(drivername="postgresql+psycopg") if address else None


def on_postgres() -> bool:
    return postgres_url() is not None


def pytest_report_header() -> str:
    url = postgres_url()
    return f"database: PostgreSQL at {url.render_as_string()}" if url else "database: SQLite files"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not on_postgres():
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else SQLITE_ONLY
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


class _Server:
    """Creates and drops test databases on the server, copying a migrated template."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.prefix = f"ad_test_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self.names = (f"{self.prefix}_{n}" for n in itertools.count(1))
        self.retired: list[str] = []
        self.admin = psycopg.connect(
            url.set(drivername="postgresql").render_as_string(hide_password=False),
            autocommit=True,
        )
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{self.template}"')
        factory = open_database(self.address(self.template))
        factory.kw["bind"].dispose()

    def address(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self) -> str:
        self._drop_retired()
        name = next(self.names)
        self.admin.execute(
            f'CREATE DATABASE "{name}" TEMPLATE "{self.template}" STRATEGY FILE_COPY'
        )
        return self.address(name)

    def drop(self, address: str) -> None:
        name = make_url(address).database
        self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def retire(self, address: str) -> None:
        """Drop a finished test's database once the widgets it showed are gone.

        pytest-qt closes a test's widgets after the database fixture has finished, and a
        widget's pending timer may still reach for its database; so each database is
        dropped when the next test starts, after Qt has deleted the closed widgets.
        """
        self.retired.append(address)

    def _drop_retired(self) -> None:
        qt_core = sys.modules.get("PySide6.QtCore")
        if qt_core is not None and qt_core.QCoreApplication.instance() is not None:
            qt_core.QCoreApplication.sendPostedEvents(None, qt_core.QEvent.Type.DeferredDelete)
        while self.retired:
            self.drop(self.retired.pop())

    def close(self) -> None:
        self._drop_retired()
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.close()


@pytest.fixture(scope="session")
def _server() -> Iterator[_Server | None]:
    url = postgres_url()
    if url is None:
        yield None
        return
    server = _Server(url)
    yield server
    server.close()


@pytest.fixture(scope="session")
def new_database(_server: _Server | None) -> Iterator[NewDatabase]:
    """`new_database(folder)`: a new, empty database's location (an SQLite file in `folder`,
    or a fresh database on the test server); those still there are dropped at the end."""
    made: list[str] = []

    def new(folder: Path) -> Location:
        if _server is None:
            return Path(folder) / "school.db"
        made.append(_server.create())
        return made[-1]

    yield new
    if _server is not None:
        for address in made:
            _server.drop(address)


@pytest.fixture(scope="session")
def _sqlite_template(
    tmp_path_factory: pytest.TempPathFactory, _server: _Server | None
) -> Path | None:
    """An empty database file brought up to the newest schema, once for the whole run
    (None on PostgreSQL, where the server keeps the template)."""
    if _server is not None:
        return None
    template = tmp_path_factory.mktemp("template") / "school.db"
    open_database(template).kw["bind"].dispose()  # checkpoints the WAL into the file
    return template


@pytest.fixture
def db_path(
    tmp_path: Path, _server: _Server | None, _sqlite_template: Path | None
) -> Iterator[Location]:
    """This test's database, migrated and empty: `school.db` in its temp folder (a copy of
    the session's template), or an address on the server."""
    if _server is None:
        assert _sqlite_template is not None
        path = tmp_path / "school.db"
        shutil.copy2(_sqlite_template, path)  # the file keeps its private permissions
        yield path
        return
    address = _server.create()
    yield address
    _server.retire(address)


@pytest.fixture
def factory(db_path: Location) -> Iterator[sessionmaker[Session]]:
    made = open_database(db_path)
    yield made
    made.kw["bind"].dispose()


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as s:
        yield s
