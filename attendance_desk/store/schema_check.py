"""Is a database file's schema exactly what this version's migrations make?

A file can carry the right table names and the right version stamp and still be harmful:
columns changed (every command then fails), the audit triggers dropped (the trail can be
rewritten), or a trigger added that quietly copies each new safeguarding note into a table
of its own. So restore and `check` compare the whole schema (every table with its columns
and links, every index, trigger and view) with a fresh database the migrations build at
the same revision, and name each difference.

Only an SQLite file is compared here; a PostgreSQL server's schema is the server's to
guard (its owner's grants, `pg_dump --schema-only` to compare).
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from attendance_desk.store.db import alembic_config, make_engine

Column = tuple[str, bool, str | None, int]


@dataclass(frozen=True)
class Schema:
    """What a file's schema holds, in a form that compares the same however it was built."""

    columns: dict[str, dict[str, Column]] = field(default_factory=dict)
    links: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    indexes: dict[str, tuple[str, bool, tuple[str, ...]]] = field(default_factory=dict)
    triggers: dict[str, tuple[str, str]] = field(default_factory=dict)
    views: dict[str, str] = field(default_factory=dict)


def read_schema(conn: sqlite3.Connection) -> Schema:
    """The schema of the database on `conn`."""
    schema = Schema()
    objects = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name, table, sql in objects:
        if kind == "table":
            schema.columns[name] = {
                str(col[1]): (str(col[2]).upper(), bool(col[3]), col[4], int(col[5]))
                for col in conn.execute(f'PRAGMA table_xinfo("{name}")')
            }
            schema.links[name] = frozenset(
                (str(fk[2]), str(fk[3]), str(fk[4]), str(fk[5]), str(fk[6]))
                for fk in conn.execute(f'PRAGMA foreign_key_list("{name}")')
            )
            for index in conn.execute(f'PRAGMA index_list("{name}")'):
                columns = tuple(str(c[2]) for c in conn.execute(f'PRAGMA index_info("{index[1]}")'))
                # SQLite names the indexes behind UNIQUE constraints itself: key by columns
                key = f"{name}({','.join(columns)})" if index[3] == "u" else str(index[1])
                schema.indexes[key] = (name, bool(index[2]), columns)
        elif kind == "trigger":
            schema.triggers[name] = (table, _normal(sql))
        elif kind == "view":
            schema.views[name] = _normal(sql)
    return schema


def read_file_schema(path: Path) -> Schema:
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return read_schema(conn)


@lru_cache(maxsize=4)
def expected_schema(revision: str) -> Schema:
    """The schema the migrations make at `revision`, built once in a temporary file."""
    from alembic import command  # loaded for a check, not at every start

    with tempfile.TemporaryDirectory(prefix="attendance-desk-schema-") as folder:
        path = Path(folder) / "expected.db"
        engine = make_engine(path, foreign_keys=False, migrating=True)
        try:
            command.upgrade(alembic_config(engine), revision)
        finally:
            engine.dispose()
        return read_file_schema(path)


def differences(found: Schema, expected: Schema) -> list[str]:
    """Each way `found` differs from `expected`, one line each (`schema: …`)."""
    lines: list[str] = []
    for table in sorted(expected.columns.keys() - found.columns.keys()):
        lines.append(f"schema: table {table} is missing")
    for table in sorted(found.columns.keys() - expected.columns.keys()):
        lines.append(f"schema: table {table} is not one of the app's")
    for table in sorted(found.columns.keys() & expected.columns.keys()):
        lines += _column_differences(table, found.columns[table], expected.columns[table])
        if found.links[table] != expected.links[table]:
            lines.append(f"schema: the links (foreign keys) of table {table} have been changed")
    lines += _named("index", found.indexes, expected.indexes)
    lines += _named("trigger", found.triggers, expected.triggers)
    lines += _named("view", found.views, expected.views)
    return lines


def _column_differences(
    table: str, found: dict[str, Column], expected: dict[str, Column]
) -> list[str]:
    lines = [f"schema: column {table}.{c} is missing" for c in sorted(expected.keys() - found)]
    lines += [
        f"schema: column {table}.{c} is not one of the app's"
        for c in sorted(found.keys() - expected)
    ]
    for name in sorted(found.keys() & expected.keys()):
        if found[name] != expected[name]:
            lines.append(
                f"schema: column {table}.{name} is {_describe(found[name])}, "
                f"not {_describe(expected[name])}"
            )
    return lines


def _named(kind: str, found: Mapping[str, Any], expected: Mapping[str, Any]) -> list[str]:
    lines = [f"schema: {kind} {name} is missing" for name in sorted(expected.keys() - found)]
    for name in sorted(found.keys() - expected.keys()):
        on = found[name][0] if isinstance(found[name], tuple) else ""
        lines.append(f"schema: {kind} {name}{f' on {on}' if on else ''} is not one of the app's")
    for name in sorted(found.keys() & expected.keys()):
        if found[name] != expected[name]:
            lines.append(f"schema: {kind} {name} has been changed")
    return lines


def _describe(column: Column) -> str:
    kind, not_null, default, key = column
    parts = [kind or "untyped", "required" if not_null else "optional"]
    if default is not None:
        parts.append(f"default {default}")
    if key:
        parts.append("key")
    return " ".join(parts)


def _normal(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip().lower()
