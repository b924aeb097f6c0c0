"""Logging in on the command line: who a command runs as, what they may do, and the audit."""

from __future__ import annotations

import csv
import os
import pty
import select
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

from attendance_desk.access import auth
from attendance_desk.commands.login import PASSWORD_ENV, USER_ENV, user_first
from attendance_desk.models import AuditEvent, LoginFailure, Pupil, School, User
from tests.helpers.builders import STAFF_PASSWORD, add_pupil, add_staff, build_school
from tests.helpers.cli import run_cli

NOW = datetime(2025, 9, 8, 9, 0)


@pytest.fixture
def school(session: Session) -> dict[str, User]:
    """A school with a CP pupil who has a social worker, and one login per office role."""
    build_school(session)
    staff = add_staff(
        session, pat="admin", rita="receptionist", alex="attendance_officer", dana="dsl"
    )
    add_pupil(session, 1, cp=True, cin=True, social_worker="Jo Case (Team 2), 01632 960001")
    session.commit()
    return staff


def test_a_command_with_pupil_data_needs_a_login(
    db_path: Path, school: dict[str, User], tmp_path: Path
) -> None:
    """With no --user and no ATTENDANCE_DESK_USER the command is refused, naming both; with a
    user but no password and no terminal, it says how to give one."""
    out = tmp_path / "out.csv"
    result = run_cli(db_path, "export", "pupils", str(out), user=None)
    assert result.returncode == 1
    assert "`export pupils` needs a login: --user NAME or ATTENDANCE_DESK_USER" in result.stderr
    unasked = run_cli(db_path, "--user", "rita", "actions", password=None, user=None)
    assert unasked.returncode == 1
    assert "needs rita's password: run it at a terminal" in unasked.stderr
    assert not out.exists()


def test_commands_without_pupil_data_need_no_login(tmp_path: Path) -> None:
    """--version, --help, init and check run with nobody logged in."""
    db = tmp_path / "school.db"
    for args in (["--version"], ["--help"], ["init", "--school", "Oak"], ["check"]):
        result = run_cli(db, *args, user=None)
        assert result.returncode == 0, (args, result.stderr)


def test_wrong_password_is_refused_and_slows_the_window_too(
    db_path: Path, school: dict[str, User], session: Session
) -> None:
    """Wrong passwords on the command line are stored as failures: after three, the window's
    login makes the next try wait, as if they had been typed there."""
    for _ in range(4):
        result = run_cli(
            db_path,
            "stats",
            "--from",
            "2025-09-01",
            "--to",
            "2025-09-30",
            user="rita",
            password="not it",
        )
        assert result.returncode == 1
        assert "`stats`: wrong user name or password" in result.stderr or (
            "too many attempts" in result.stderr
        )
    session.expire_all()
    assert (
        session.scalar(
            sql_select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.username == "rita")
        )
        >= 3
    )
    assert auth.wait_before_next_try(session, "rita", datetime.now()).total_seconds() > 0


def test_the_audit_names_who_ran_the_command(
    db_path: Path, school: dict[str, User], session: Session, tmp_path: Path
) -> None:
    """An import run as the receptionist is audited under her name, not the office's."""
    contacts = tmp_path / "contacts.csv"
    upn = session.scalar(sql_select(Pupil.upn))
    contacts.write_text(
        "upn,priority,name,relationship,parental_responsibility,phone,email\n"
        f"{upn},1,Sarah Smith,Mother,Y,07700 900009,\n"
    )
    result = run_cli(db_path, "import", "contacts", str(contacts), user="rita")
    assert result.returncode == 0, result.stderr
    session.expire_all()
    names = set(
        session.scalars(sql_select(AuditEvent.user_name).where(AuditEvent.entity == "contact"))
    )
    assert names == {"Rita"}


@pytest.mark.parametrize(
    ("user", "args", "message"),
    [
        ("rita", ["import", "calendar", "cal.csv"], "Rita cannot do that: it is for Administrator"),
        (
            "rita",
            ["letters", "--date", "2025-09-29", "--out", "out"],
            "rita may not send letters (needs Attendance officer or",
        ),
        pytest.param(
            "rita",
            ["backup", "bk"],
            "rita may not run `backup` (needs Administrator)",
            marks=pytest.mark.sqlite_only("a server's backups are pg_dump's, for anyone"),
        ),
        pytest.param(
            "alex",
            ["restore", "x.db"],
            "alex may not run `restore` (needs Administrator)",
            marks=pytest.mark.sqlite_only("a server's restores are pg_restore's, for anyone"),
        ),
    ],
)
def test_each_user_has_their_roles_permissions(
    db_path: Path,
    school: dict[str, User],
    tmp_path: Path,
    user: str,
    args: list[str],
    message: str,
) -> None:
    """The window's permission table applies: what a role may not do is refused, saying so."""
    (tmp_path / "cal.csv").write_text("start,end,kind,name\n2025-09-03,2025-10-24,term,Autumn\n")
    args = [str(tmp_path / a) if a in ("cal.csv", "out", "bk", "x.db") else a for a in args]
    result = run_cli(db_path, *args, user=user)
    assert result.returncode == 1
    assert message in result.stderr
    assert not (tmp_path / "bk").exists()


def test_pupils_export_leaves_safeguarding_out_for_the_office_and_imports_back(
    db_path: Path, school: dict[str, User], session: Session, tmp_path: Path
) -> None:
    """The receptionist's export has no CP/CIN/CLA or social worker and says so; importing it
    back keeps them as stored. The DSL's export has them."""
    office, dsl = tmp_path / "office.csv", tmp_path / "dsl.csv"
    result = run_cli(db_path, "export", "pupils", str(office), user="rita")
    assert result.returncode == 0, result.stderr
    assert "Left out the safeguarding flags and social worker" in result.stdout
    text = office.read_text()
    header = next(csv.reader([text.splitlines()[0]]))
    assert not {"cp", "cin", "cla", "social_worker"} & set(header) and "Jo Case" not in text
    back = run_cli(db_path, "import", "pupils", str(office), user="rita")
    assert back.returncode == 0, back.stderr
    assert "1 unchanged" in back.stdout
    session.expire_all()
    pupil = session.scalars(sql_select(Pupil)).one()
    assert pupil.cp and pupil.cin and pupil.social_worker == "Jo Case (Team 2), 01632 960001"
    assert run_cli(db_path, "export", "pupils", str(dsl), user="dana").returncode == 0
    row = next(csv.DictReader(dsl.open()))
    assert (row["cp"], row["cin"], row["social_worker"]) == ("Y", "Y", pupil.social_worker)


def test_user_option_may_come_after_the_command() -> None:
    """`export pupils F --user NAME` is read as if --user came first."""
    assert user_first(["export", "pupils", "f.csv", "--user", "rita"]) == [
        "--user",
        "rita",
        "export",
        "pupils",
        "f.csv",
    ]
    assert user_first(["--db", "x", "stats", "--user=dana"]) == [
        "--user=dana",
        "--db",
        "x",
        "stats",
    ]


def test_password_is_asked_for_at_a_terminal(
    db_path: Path, school: dict[str, User], tmp_path: Path
) -> None:
    """With --user and no password in the environment, a terminal asks for it (not echoed)
    and the command runs as that user."""
    out = tmp_path / "marks.csv"
    env = {k: v for k, v in os.environ.items() if k not in (USER_ENV, PASSWORD_ENV)}
    master, terminal = pty.openpty()
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "attendance_desk",
            "--db",
            str(db_path),
            "export",
            "marks",
            "--from",
            "2025-09-01",
            "--to",
            "2025-09-30",
            str(out),
            "--user",
            "alex",
        ],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        start_new_session=True,
        preexec_fn=lambda: os.close(os.open(os.ttyname(0), os.O_RDWR)),
    )
    os.close(terminal)
    seen = _read_until(master, b"Password for alex: ")
    os.write(master, STAFF_PASSWORD.encode() + b"\n")
    seen += _read_until(master, b"rows to")
    assert child.wait(timeout=60) == 0, seen
    os.close(master)
    assert STAFF_PASSWORD.encode() not in seen
    assert out.read_text().startswith("upn,date,session,code")


def _read_until(fd: int, wanted: bytes, timeout: float = 60.0) -> bytes:
    """Read from a pty until `wanted` appears (or fail after `timeout` seconds)."""
    data = b""
    end = time.monotonic() + timeout
    while wanted not in data:
        left = end - time.monotonic()
        assert left > 0, f"waited for {wanted!r}, got {data!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    assert wanted in data, data
    return data


def test_init_admin_creates_the_first_administrator(tmp_path: Path, session: Session) -> None:
    """`init --admin NAME` makes the school and its administrator, who can then log in; a
    password that is too short creates neither."""
    short = run_cli(
        tmp_path / "a.db", "init", "--school", "Oak", "--admin", "pat", user=None, password="short"
    )
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    db = tmp_path / "b.db"
    made = run_cli(db, "init", "--school", "Oak", "--admin", "pat", user=None)
    assert made.returncode == 0, made.stderr
    assert "pat is its administrator" in made.stdout
    stats = run_cli(db, "stats", "--from", "2025-09-01", "--to", "2025-09-30", user="pat")
    assert stats.returncode == 0, stats.stderr
    from attendance_desk.store.db import open_database

    with open_database(tmp_path / "a.db")() as other:
        assert other.scalar(sql_select(func.count()).select_from(School)) == 0


def test_demo_logins_go_into_a_real_school_only_by_its_administrator(tmp_path: Path) -> None:
    """A new database gets the demo school and logins with no login; one whose
    administrator exists (from `init --admin`) needs that administrator, since the demo
    logins share a published password."""
    fresh = run_cli(tmp_path / "demo.db", "demo", "--pupils", "5", "--weeks", "1", user=None)
    assert fresh.returncode == 0, fresh.stderr
    db = tmp_path / "school.db"
    assert run_cli(db, "init", "--school", "Oak", "--admin", "pat", user=None).returncode == 0
    args = ("demo", "--pupils", "5", "--weeks", "1")
    refused = run_cli(db, *args, user=None)
    assert refused.returncode == 1
    assert "`demo` needs a login" in refused.stderr
    made = run_cli(db, *args, user="pat")
    assert made.returncode == 0, made.stderr
