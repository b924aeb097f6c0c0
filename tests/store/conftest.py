"""A small school saved to its own database file: pupils, contacts, marks and an amendment."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import Mark
from attendance_desk.register.marks import amend_mark
from tests.helpers.builders import NOW, add_pupil, build_school, mark_days

MONDAY = date(2025, 9, 8)
TUESDAY = date(2025, 9, 9)


@pytest.fixture
def school_db(factory: sessionmaker[Session], db_path: Path) -> Path:
    """Hillside Primary: Amy (3A) and Ben (3B) marked on two days, Ben's N amended to I."""
    with factory() as session:
        _, user = build_school(session)
        amy = add_pupil(session, 1, surname="Adams", forename="Amy")
        ben = add_pupil(session, 2, surname="Brown", forename="Ben", group="3B")
        marks = {(MONDAY, "AM"): "/", (MONDAY, "PM"): "\\", (TUESDAY, "AM"): "N"}
        for pupil in (amy, ben):
            mark_days(session, pupil, user, marks)
        session.commit()
        mark = session.scalars(select(Mark).where(Mark.pupil_id == ben.id, Mark.code == "N")).one()
        amend_mark(session, mark=mark, code="I", reason="mum rang", user=user, now=NOW)
        session.commit()
    factory.kw["bind"].dispose()
    return db_path


def table_contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in the file (opened read-only), sorted, by table name."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in sorted(tables)
        }


def execute(path: Path, *statements: str) -> None:
    """Run SQL on the file directly, as another tool (or a bug) might, and commit."""
    with closing(sqlite3.connect(path)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
