"""`attendance-desk inbox …` run as the office's scheduled task or an IT person would: a
real subprocess, a real database file, a real IMAP server and saved mail files."""

from __future__ import annotations

import json
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import AbsenceReport, InboxProposal, Setting
from tests.helpers.builders import add_staff
from tests.helpers.cli import run_cli
from tests.helpers.imap import email_bytes, imap_server, use_mailbox
from tests.helpers.inbox_school import build_families

ARRIVED = datetime(2025, 9, 8, 7, 50)


def test_read_list_accept_and_reject(db_path: Path, session: Session, tmp_path: Path) -> None:
    """An mbox with three messages: list --json has one entry per pupil (the twins' mother
    naming both), accept codes the sessions, reject needs --why; a bad file is refused; a
    class teacher's login may not read the inbox."""
    families = build_families(session)
    add_staff(session, pat="admin", tess="teacher")
    session.commit()
    run = run_cli
    box = tmp_path / "export.mbox"
    box.write_bytes(
        b"".join(
            b"From - Mon Sep  8 07:50:00 2025\n" + raw + b"\n"
            for raw in (
                email_bytes(
                    "priya.patel@example.net",
                    "Isabella and Sofia are both poorly today",
                    sent=ARRIVED,
                    message_id="p1@x",
                ),
                email_bytes("unknown@example.net", "thanks", sent=ARRIVED, message_id="u1@x"),
            )
        )
    )
    read = run(db_path, "inbox", "read", str(box))
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "export.mbox: 2 new messages, 3 proposals"
    assert run(db_path, "inbox", "read", str(box)).stdout.strip() == (
        "export.mbox: 0 new messages (2 already kept or being read by another PC)"
    )
    listed = json.loads(run(db_path, "inbox", "list", "--json").stdout)
    assert [(e["upn"], e["name"], e["status"], e["code"], e["dates"]) for e in listed] == [
        (families.isabella.upn, "Isabella Patel", "proposed", "I", ["2025-09-08"]),
        (families.sofia.upn, "Sofia Patel", "proposed", "I", ["2025-09-08"]),
        (None, None, "unmatched", None, ["2025-09-08"]),
    ]
    assert set(listed[0]) >= {
        "id",
        "received",
        "from",
        "status",
        "upn",
        "name",
        "dates",
        "sessions",
        "code",
        "text",
    }
    assert listed[0]["sessions"] == ["2025-09-08 AM", "2025-09-08 PM"]
    accepted = run(db_path, "inbox", "accept", str(listed[0]["id"]))
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith("Isabella Patel: the report is recorded;")
    no_why = run(db_path, "inbox", "reject", str(listed[2]["id"]), "--why", "")
    assert no_why.returncode == 1 and "say why" in no_why.stderr
    rejected = run(db_path, "inbox", "reject", str(listed[2]["id"]), "--why", "a thank-you")
    assert (
        rejected.returncode == 0 and rejected.stdout.strip() == f"Entry {listed[2]['id']} rejected."
    )
    session.expire_all()
    assert session.scalar(select(AbsenceReport.pupil_id)) == families.isabella.id
    statuses = session.scalars(select(InboxProposal.status).order_by(InboxProposal.id)).all()
    assert statuses == ["accepted", "open", "rejected"]
    not_mail = tmp_path / "notes.txt"
    not_mail.write_text("shopping list\nmilk\n")
    refused = run(db_path, "inbox", "read", str(not_mail))
    assert refused.returncode == 1
    assert "not an email (.eml) or a mailbox (mbox) file" in refused.stderr
    teacher = run(db_path, "inbox", "list", user="tess")
    assert teacher.returncode != 0 and "tess may not log calls" in teacher.stderr
    assert teacher.stdout == ""


def test_fetch_from_the_mailbox_with_the_password_from_stdin(
    db_path: Path, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`inbox password` keeps the password in the password store (never the database);
    `inbox fetch` then fetches over STARTTLS and exits 0, and 1 when offline."""
    families = build_families(session)
    add_staff(session, pat="admin")
    session.commit()
    with imap_server(tmp_path) as server:
        use_mailbox(session, families.user, server, now=ARRIVED, password="")
        message = EmailMessage()
        message["From"] = "kate.jones@example.org"
        message.set_content("<p>Ollie has <b>tonsillitis</b></p>", subtype="html")
        server.deliver(message.as_bytes(), at=ARRIVED)
        monkeypatch.setenv("SSL_CERT_FILE", str(server.trust_file()))
        saved = run_cli(db_path, "inbox", "password", stdin="mailbox-secret\n")
        assert saved.returncode == 0, saved.stderr
        fetched = run_cli(db_path, "inbox", "fetch")
        assert fetched.returncode == 0, fetched.stderr
        assert fetched.stdout.strip() == "Absence mailbox: 1 new message, 1 proposal"
    offline = run_cli(db_path, "inbox", "fetch")
    assert offline.returncode == 1
    assert "offline, will try again" in offline.stdout
    listed = json.loads(run_cli(db_path, "inbox", "list", "--json").stdout)
    assert [(e["name"], e["code"], e["text"]) for e in listed] == [
        ("Ollie Jones", "I", "Ollie has tonsillitis")
    ]
    session.expire_all()
    assert not [v for v in session.scalars(select(Setting.value)) if "mailbox-secret" in v]
