"""A schema upgrade is one transaction: when it fails part-way the file is as it was."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command

from attendance_desk.store.db import DatabaseError, alembic_config, make_engine, open_database
from tests.store.conftest import execute

pytestmark = pytest.mark.sqlite_only("how the SQLite file is upgraded")


def at_revision(path: Path, revision: str) -> None:
    """A database made by an older version of the app, at `revision`."""
    engine = make_engine(path, foreign_keys=False, migrating=True)
    command.upgrade(alembic_config(engine), revision)
    engine.dispose()


def schema(path: Path) -> tuple[str, list[tuple[str, str]]]:
    with closing(sqlite3.connect(path)) as conn:
        (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        objects = conn.execute("SELECT type, name FROM sqlite_master ORDER BY name").fetchall()
    return version, objects


def test_an_upgrade_that_fails_half_way_leaves_the_old_schema(tmp_path: Path) -> None:
    """Two revisions in, the third fails: none of it stays, the stamp is the old one, the
    message says so and names the copy; once the cause is gone the upgrade goes through."""
    path = tmp_path / "school.db"
    at_revision(path, "0008")
    execute(path, "CREATE TABLE roll_changes (id INTEGER PRIMARY KEY)")  # in the way of 0010
    before = schema(path)

    with pytest.raises(DatabaseError, match="failed .*already exists.* and was undone") as failed:
        open_database(path)

    assert schema(path) == before
    [copy] = tmp_path.glob("school.before-*.db")
    assert str(copy) in str(failed.value)
    execute(path, "DROP TABLE roll_changes")
    factory = open_database(path)
    factory.kw["bind"].dispose()
    version, objects = schema(path)
    assert version != "0008" and ("table", "change_exports") in objects


def test_a_new_database_is_created_in_one_transaction(tmp_path: Path) -> None:
    """When the last revision fails while creating a database, no table of the earlier ones
    is left behind (a view is in the way of the newest index)."""
    path = tmp_path / "school.db"
    execute(path, "CREATE VIEW ix_marks_recorded_at AS SELECT 1")

    with pytest.raises(DatabaseError, match="was undone"):
        open_database(path)

    with closing(sqlite3.connect(path)) as conn:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master")]
    assert names == ["ix_marks_recorded_at"]


def test_another_programs_database_is_left_alone(tmp_path: Path) -> None:
    """`--db` naming another program's SQLite file is refused before anything is written."""
    path = tmp_path / "recipes.db"
    execute(path, "CREATE TABLE recipes (name TEXT)", "INSERT INTO recipes VALUES ('soup')")
    before = path.read_bytes()

    with pytest.raises(DatabaseError, match="another program's tables: recipes"):
        open_database(path)

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recipes.db"]
