"""Every test gets its own SQLite file in a temp folder, migrated exactly as the app does."""

from __future__ import annotations

import os

# Qt tests draw offscreen (CI and servers have no display); set before Qt loads.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.db import open_database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "school.db"


@pytest.fixture
def factory(db_path: Path) -> sessionmaker[Session]:
    return open_database(db_path)


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as s:
        yield s
