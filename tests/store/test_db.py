"""The database opens safely: pragmas, migrations, refusal of newer or foreign files."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from attendance_desk.models import Pupil
from attendance_desk.store.db import DatabaseError, Location, open_database
from tests.helpers.builders import add_pupil, build_school


@pytest.mark.sqlite_only("SQLite's own pragmas")
def test_pragmas_are_set(session: Session) -> None:
    """Every connection runs in WAL with foreign keys enforced and full sync."""
    assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert session.execute(text("PRAGMA synchronous")).scalar() == 2


def test_reopen_keeps_data(db_path: Location, session: Session) -> None:
    """Data written once is there after the database is opened again."""
    build_school(session)
    add_pupil(session, 1)
    session.commit()
    with open_database(db_path)() as again:
        assert again.scalar(select(Pupil.legal_surname)) == "Smith"


def test_newer_schema_is_refused(db_path: Location, session: Session) -> None:
    """A database stamped with an unknown (newer) revision is not opened or changed."""
    session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    session.commit()
    with pytest.raises(DatabaseError, match="newer version"):
        open_database(db_path)


@pytest.mark.sqlite_only("a file that is not a database")
def test_foreign_file_is_refused(tmp_path: Path) -> None:
    """A file that is not a database gets a clear message."""
    junk = tmp_path / "notes.db"
    junk.write_text("shopping list\n" * 200)
    with pytest.raises(DatabaseError, match="not an Attendance Desk database"):
        open_database(junk)


@pytest.mark.sqlite_only("the copy before an upgrade is of the file")
def test_up_to_date_database_is_not_copied(db_path: Path, session: Session) -> None:
    """Opening a database already at the head schema takes no pre-upgrade copy."""
    build_school(session)
    session.commit()
    open_database(db_path)
    assert not list(db_path.parent.glob("school.before-*"))


@pytest.mark.sqlite_only("the copy before an upgrade is of the file")
def test_upgrade_copies_the_file_first(tmp_path: Path) -> None:
    """A database at an older schema is copied aside, then upgraded with its data intact."""
    from alembic import command

    from attendance_desk.store.db import alembic_config, make_engine

    path = tmp_path / "old.db"
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO school (name) VALUES ('Old School')"))
    engine.dispose()
    factory = open_database(path)
    copies = list(tmp_path.glob("old.before-*.db"))
    assert len(copies) == 1
    with factory() as s:
        assert s.execute(text("SELECT name FROM school")).scalar() == "Old School"
        assert s.execute(text("SELECT count(*) FROM leave_requests")).scalar() == 0
    with closing(sqlite3.connect(copies[0])) as copy:  # the copy is the old schema, intact
        assert copy.execute("SELECT name FROM school").fetchone() == ("Old School",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_migrations_match_the_models(factory: object, db_path: Location) -> None:
    """The migrated schema is exactly what the models declare (no forgotten revision)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from attendance_desk.models import Base
    from attendance_desk.store.db import make_engine

    with make_engine(db_path).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_every_declared_setting_is_in_the_registry() -> None:
    """The Settings screen is built from REGISTRY: no declared option may be missing from it."""
    from attendance_desk.school import settings

    declared = {v.key for v in vars(settings).values() if isinstance(v, settings.Option)}
    assert declared == set(settings.REGISTRY)


def test_audit_rows_cannot_be_changed_even_by_raw_sql(session: Session) -> None:
    """The database refuses UPDATE and DELETE on audit events, whatever sends them."""
    import sqlalchemy.exc

    build_school(session)  # writes an audit event
    session.commit()
    for statement in (
        "UPDATE audit_events SET user_name = 'someone else'",
        "DELETE FROM audit_events",
    ):
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"):
            session.execute(text(statement))
        session.rollback()
    assert session.execute(text("SELECT count(*) FROM audit_events")).scalar() >= 1


def test_upgrade_rebuilds_referenced_tables_with_data_in_them(db_path: Location) -> None:
    """A school's database at 0008, with pupils in groups, upgrades past 0009 (which rebuilds
    the groups table the pupils refer to on SQLite) with every row and link intact."""
    from alembic import command

    from attendance_desk.store.db import alembic_config, make_engine

    engine = make_engine(db_path)
    with engine.begin() as conn:  # the test server's database starts at the head: empty it
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    command.upgrade(alembic_config(engine), "0008")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO year_groups (code, name, sort_order, am_open, am_close, "
                "pm_open, pm_close) VALUES ('3', 'Year 3', 5, '08:50:00', '09:05:00', "
                "'12:45:00', '12:50:00')"
            )
        )
        conn.execute(text("INSERT INTO reg_groups (name, year_group_id) VALUES ('3A', 1)"))
        conn.execute(
            text(
                "INSERT INTO pupils (upn, legal_surname, legal_forename, date_of_birth, "
                "year_group_id, reg_group_id, on_roll_from, fsm, sen, cp, cin, cla, "
                "young_carer, vulnerable) VALUES ('A201200018001', 'Adams', 'Amy', "
                "'2017-05-01', 1, 1, '2025-09-03', false, false, false, false, false, "
                "false, false)"
            )
        )
    engine.dispose()
    factory = open_database(db_path)
    with factory() as session:
        assert session.execute(text("SELECT name, teacher_id FROM reg_groups")).one() == (
            "3A",
            None,
        )
        assert session.scalar(select(Pupil.legal_surname)) == "Adams"
        if session.bind.dialect.name == "sqlite":
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert not session.execute(
                text("SELECT name FROM sqlite_master WHERE name LIKE '_alembic_tmp%'")
            ).all()
    factory.kw["bind"].dispose()


def test_server_addresses_are_told_from_files() -> None:
    """`--db` takes a file path or a PostgreSQL address, normalised to the psycopg driver;
    an address is never shown with its password."""
    from attendance_desk.store.db import as_location, describe, is_url, server_url

    assert as_location("school.db") == Path("school.db")
    assert as_location("postgresql://office@server/school") == "postgresql://office@server/school"
    assert not is_url(Path("postgresql:/odd/but/a/file"))
    assert server_url("postgresql://office@server/school").drivername == "postgresql+psycopg"
    shown = describe("postgresql://office:s3cret@server:5433/school")
    assert "s3cret" not in shown
    assert shown.startswith("postgresql+psycopg://office:***@server:5433/school")
    with pytest.raises(DatabaseError, match="mysql databases are not supported"):
        server_url("mysql://office@server/school")


def test_unreachable_server_is_a_clear_refusal(tmp_path: Path) -> None:
    """A server that is not there gives a DatabaseError naming it (no password, no trace)."""
    socket_folder = tmp_path / "no-server-here"
    socket_folder.mkdir()
    address = f"postgresql://office:s3cret@/school?host={socket_folder}"
    with pytest.raises(DatabaseError, match="cannot open postgresql") as refused:
        open_database(address)
    assert "s3cret" not in str(refused.value)


def test_this_pcs_connection_is_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no --db and no environment variable, the saved connection.toml is opened."""
    from attendance_desk.store import connection_config
    from attendance_desk.store.db import ENV_VAR, default_location

    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert isinstance(default_location(), Path)
    connection_config.write("postgresql://office@server/school")
    assert default_location() == "postgresql://office@server/school"
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "here.db"))
    assert default_location() == tmp_path / "here.db"
    with pytest.raises(connection_config.ConnectionConfigError, match="pgpass"):
        connection_config.write("postgresql://office:s3cret@server/school")
    assert "s3cret" not in connection_config.config_file().read_text()
    connection_config.write(None)
    assert connection_config.read() is None


def test_file_only_work_on_a_server_says_so() -> None:
    """Backups, restore and the file check name the server's own backups instead."""
    from attendance_desk.store.db import NotAFile, file_of, make_engine

    engine = make_engine("postgresql://office@server/school")
    with pytest.raises(NotAFile, match="pg_dump"):
        file_of(engine)
