"""`attendance-desk settings list | get | set`: the Settings tab's values from the command
line, checked by the same validators, audited, passwords never printed."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.models import AuditEvent
from attendance_desk.school import settings, settings_change
from tests.helpers.builders import add_staff, build_school
from tests.helpers.cli import run_cli

NOW = datetime(2025, 9, 8, 16, 0)


def run(db: Path, *args: str, stdin: str = "", user: str = "pat") -> CompletedProcess[str]:
    """`settings ARGS` logged in as `user` (the administrator unless said)."""
    return run_cli(db, "settings", *args, stdin=stdin, user=user)


def school(session: Session) -> None:
    """The test school, with its administrator Pat and receptionist Rita."""
    build_school(session)
    add_staff(session, pat="admin", rita="receptionist")
    session.commit()


def changes(session: Session) -> list[dict[str, object]]:
    session.expire_all()
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "setting"))
    return [{"by": e.user_name, **json.loads(e.detail)} for e in events]


def test_list_and_get_show_every_setting(db_path: Path, session: Session) -> None:
    """`list` names every registered setting with its value and label; `get` prints one
    value as `set` would read it back."""
    school(session)
    listed = run(db_path, "list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(settings.REGISTRY)
    port_line = next(line for line in lines if line.startswith("smtp.port "))
    assert port_line.split()[1] == "587" and port_line.endswith("# Email server port")
    assert run(db_path, "get", "smtp.starttls").stdout == "true\n"
    assert run(db_path, "get", "school.attendance_target").stdout == "96\n"


def test_set_changes_and_audits(db_path: Path, session: Session) -> None:
    """`set` stores a checked value, says old and new, and audits who changed it; setting
    the same value again changes nothing."""
    school(session)
    result = run(db_path, "set", "smtp.port", "2525")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "smtp.port: 587 -> 2525 (changed by Pat)\n"
    assert run(db_path, "set", "smtp.starttls", "no").returncode == 0
    session.expire_all()
    assert settings.get(session, settings.SMTP_PORT) == 2525
    assert settings.get(session, settings.SMTP_STARTTLS) is False
    assert changes(session) == [
        {"by": "Pat", "key": "smtp.port", "old": 587, "new": 2525},
        {"by": "Pat", "key": "smtp.starttls", "old": True, "new": False},
    ]
    same = run(db_path, "set", "smtp.port", "2525")
    assert same.stdout == "smtp.port is already 2525; nothing changed.\n"
    assert len(changes(session)) == 2


def test_invalid_values_are_refused_with_the_settings_tab_message(
    db_path: Path, session: Session
) -> None:
    """A wrong type, a number out of range, a preset that does not exist, a yes/no that is
    neither, and an unknown key: each exits 1 naming the problem; nothing stored or audited."""
    school(session)
    for args, message in (
        (("smtp.port", "abc"), "setting 'smtp.port' must be a whole number, not 'abc'"),
        (("smtp.port", "70000"), "setting 'smtp.port' must be between 1 and 65535, not 70000"),
        (("smtp.port", "2.5"), "setting 'smtp.port' must be a whole number, not '2.5'"),
        (("smtp.starttls", "maybe"), "setting 'smtp.starttls' must be true or false"),
        (("policy.preset", "lenient"), "Follow-up policy preset: 'lenient' is not one of"),
        (("smtp.hots", "x"), "there is no setting called 'smtp.hots'"),
    ):
        result = run(db_path, "set", *args)
        assert result.returncode == 1, args
        assert message in result.stderr, result.stderr
    session.expire_all()
    assert settings.get(session, settings.SMTP_PORT) == 587
    session.commit()
    refused = run(db_path, "set", "smtp.port", "2525", user="rita")
    assert refused.returncode == 1
    assert "`settings set`: Rita cannot do that: it is for Administrator" in refused.stderr
    assert changes(session) == []


def test_a_password_is_read_from_stdin_and_never_printed_or_audited(
    db_path: Path, session: Session
) -> None:
    """`set smtp.password -` reads the password from standard input; `get`, `list` and the
    audit log only say whether one is set."""
    school(session)
    result = run(db_path, "set", "smtp.password", "-", stdin="s3cret pass\n")
    assert result.returncode == 0, result.stderr
    assert "s3cret" not in result.stdout
    session.expire_all()
    assert settings.get(session, settings.SMTP_PASSWORD) == "s3cret pass"
    assert run(db_path, "get", "smtp.password").stdout == "(set)\n"
    assert "s3cret" not in run(db_path, "list").stdout
    assert changes(session) == [
        {"by": "Pat", "key": "smtp.password", "old": "(not set)", "new": "(set)"}
    ]


def test_only_an_administrator_may_change_a_setting(db_path: Path, session: Session) -> None:
    """The shared change service refuses anyone but the administrator, naming who may, and
    so does the command run as the receptionist."""
    build_school(session)
    rita = add_staff(session, pat="admin", rita="receptionist")["rita"]
    with pytest.raises(NotAllowed, match="Rita cannot do that: it is for Administrator"):
        settings_change.change(session, settings.SMTP_PORT, 2525, user=rita, now=NOW)
    assert settings.get(session, settings.SMTP_PORT) == 587
    session.commit()
    refused = run(db_path, "set", "smtp.port", "2525", user="rita")
    assert refused.returncode == 1
    assert "`settings set`: Rita cannot do that: it is for Administrator" in refused.stderr
