"""`attendance-desk outbox send` and `outbox list`, run as a scheduled task would: a real
subprocess, a real database file and a real SMTP server on loopback."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from attendance_desk.models import OutboxMessage
from attendance_desk.outbox import messages as messaging
from tests.helpers.builders import add_staff, build_school
from tests.helpers.cli import run_cli as run
from tests.helpers.mail import free_port, smtp_server, use_smtp

NOW = datetime(2025, 9, 8, 9, 35)


def test_send_delivers_what_is_due_and_says_so(db_path: Path, session: Session) -> None:
    """`outbox send` sends the queued email, prints it, exits 0; held texts stay held."""
    _, user = build_school(session)
    add_staff(session, pat="admin")
    email = messaging.queue(
        session, channel="email", recipient="head@hillside.example", body="96%", now=NOW
    )
    messaging.queue(
        session,
        channel="sms",
        recipient="07700 900001",
        body="absent",
        now=NOW,
        hold_for=(NOW.date(), "AM"),
    )
    with smtp_server() as server:
        use_smtp(session, user, server.port, now=NOW)
        result = run(db_path, "outbox", "send")
    assert result.returncode == 0, result.stderr
    assert f"sent        #{email.id} email to head@hillside.example" in result.stdout
    assert "1 sent." in result.stdout
    assert "Outbox: 1 waiting · 0 failed" in result.stdout
    assert server.recipients == ["head@hillside.example"]
    session.expire_all()
    assert session.get(OutboxMessage, email.id).status == "sent"  # type: ignore[union-attr]
    again = run(db_path, "outbox", "send")
    assert again.returncode == 0 and "Nothing is due to send." in again.stdout


def test_send_exits_1_when_the_server_is_down_or_not_set_up(
    db_path: Path, session: Session
) -> None:
    """A server that cannot be reached, and texts with no sender set up, make the run fail
    (exit 1) with each message's reason and when it will be tried again."""
    _, user = build_school(session)
    add_staff(session, pat="admin")
    email = messaging.queue(session, channel="email", recipient="a@b.example", body="x", now=NOW)
    text = messaging.queue(session, channel="sms", recipient="07700 900001", body="y", now=NOW)
    port = free_port()
    use_smtp(session, user, port, now=NOW)
    result = run(db_path, "outbox", "send")
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(
        rf"not sent    #{email.id} email to a@b.example \(try 1 of 8; again at \d\d:\d\d\): "
        rf"email server 127.0.0.1:{port} cannot be reached",
        result.stdout,
    )
    assert (
        f"not set up  #{text.id} text to 07700 900001: not set up: Settings → Messaging"
        in result.stdout
    )
    assert "1 to try again, 1 waiting for Settings → Messaging." in result.stdout


def test_list_json_shape_and_text(db_path: Path, session: Session) -> None:
    """`outbox list --json` prints the README's keys for each pending message; `--all` adds
    the sent ones; the plain list names status, tries and the last error."""
    _, user = build_school(session)
    add_staff(session, pat="admin")
    use_smtp(session, user, free_port(), now=NOW)
    waiting = messaging.queue(session, channel="email", recipient="a@b.example", body="x", now=NOW)
    waiting.attempts, waiting.last_error = 2, "email server cannot be reached"
    sent = messaging.queue(session, channel="email", recipient="c@d.example", body="y", now=NOW)
    sent.status, sent.sent_at, sent.attempts = "sent", NOW, 1
    session.commit()
    result = run(db_path, "outbox", "list", "--json")
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert {k: row[k] for k in ("id", "kind", "to", "status", "tries", "last_error")} == {
        "id": waiting.id,
        "kind": "email",
        "to": "a@b.example",
        "status": "queued",
        "tries": 2,
        "last_error": "email server cannot be reached",
    }
    everything = json.loads(run(db_path, "outbox", "list", "--json", "--all").stdout)
    assert [r["status"] for r in everything] == ["queued", "sent"]
    plain = run(db_path, "outbox", "list").stdout
    assert re.search(
        rf"#{waiting.id} +Email a@b.example +Waiting, next try 09:35 \(2 tries\): "
        "email server cannot be reached",
        plain,
    )
