"""Fetching from a real IMAP server (pymap on loopback, STARTTLS): each message once, never
deleted, moved when the school names a folder; offline, a wrong password or an untrusted
certificate are reported and change nothing."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.inbox.fetching import fetch_all, fetch_mailbox
from attendance_desk.inbox.listing import inbox_entries
from attendance_desk.models import InboxMessage
from attendance_desk.school import settings
from tests.helpers.imap import ImapServer, email_bytes, imap_server, use_mailbox
from tests.helpers.inbox_school import Families, build_families
from tests.helpers.mail import free_port

ARRIVED = datetime(2025, 9, 8, 7, 50)
NOW = datetime(2025, 9, 8, 8, 0)


@pytest.fixture
def server(tmp_path: Path) -> ImapServer:
    with imap_server(tmp_path) as running:
        yield running


@pytest.fixture
def families(session: Session) -> Families:
    return build_families(session)


def test_fetches_each_message_once_and_deletes_nothing(
    factory: sessionmaker[Session], session: Session, families: Families, server: ImapServer
) -> None:
    """Two messages become three proposals (two girls, one boy); fetching again keeps
    nothing twice; both messages are still in the mailbox."""
    use_mailbox(session, families.user, server, now=NOW)
    server.deliver(
        email_bytes("sarah.smith@example.com", "Both girls are ill today", sent=ARRIVED),
        email_bytes("kate.jones@example.org", "Ollie has the dentist at 2pm", sent=ARRIVED),
        at=ARRIVED,
    )
    report = fetch_mailbox(factory, clock=lambda: NOW, ssl_context=server.context())
    assert report.describe() == "Absence mailbox: 2 new messages, 3 proposals"
    again = fetch_mailbox(factory, clock=lambda: NOW, ssl_context=server.context())
    assert again.describe() == "Absence mailbox: 0 new messages"
    entries = inbox_entries(session, user=families.user)
    assert [(e.name, e.code, e.received) for e in entries] == [
        ("Amy Smith", "I", ARRIVED),
        ("Lily Smith", "I", ARRIVED),
        ("Ollie Jones", "M", ARRIVED),
    ]
    assert len(server.uids()) == 2
    server.deliver(email_bytes("07700900201@x.example", "ok", sent=ARRIVED), at=ARRIVED)
    later = fetch_mailbox(factory, clock=lambda: NOW, ssl_context=server.context())
    assert later.fetched == 1


def test_moves_kept_messages_to_the_schools_folder(
    factory: sessionmaker[Session], session: Session, families: Families, server: ImapServer
) -> None:
    """With "move to" set, a kept message leaves the folder read for the one named."""
    use_mailbox(session, families.user, server, now=NOW, move_to="Read by Attendance Desk")
    server.deliver(email_bytes("kate.jones@example.org", "Ollie is ill", sent=ARRIVED), at=ARRIVED)
    report = fetch_mailbox(factory, clock=lambda: NOW, ssl_context=server.context())
    assert report.fetched == 1
    assert server.uids() == []
    assert len(server.uids("Read by Attendance Desk")) == 1


def test_two_pcs_fetching_at_once_keep_each_message_once(
    factory: sessionmaker[Session], session: Session, families: Families, server: ImapServer
) -> None:
    """Two fetches running together (two office PCs) claim by UID: ten messages, ten rows."""
    use_mailbox(session, families.user, server, now=NOW)
    server.deliver(
        *(
            email_bytes("kate.jones@example.org", f"Ollie ill, day {n}", sent=ARRIVED)
            for n in range(10)
        ),
        at=ARRIVED,
    )
    reports = []
    runs = [
        threading.Thread(
            target=lambda: reports.append(
                fetch_mailbox(factory, clock=lambda: NOW, ssl_context=server.context())
            )
        )
        for _ in range(2)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)
    assert sum(r.fetched for r in reports) == 10
    assert session.scalar(select(func.count(InboxMessage.id))) == 10


def test_offline_wrong_password_and_untrusted_certificate(
    factory: sessionmaker[Session], session: Session, families: Families, server: ImapServer
) -> None:
    """No server: offline, try later. A wrong password and a certificate not trusted are
    named. No password saved, or nothing set up: says where to set it. Nothing is kept."""
    use_mailbox(session, families.user, server, now=NOW, password="wrong")
    refused = fetch_mailbox(factory, clock=lambda: NOW, ssl_context=server.context())
    assert (
        refused.error is not None
        and "refused the login for absence@hillside.example" in refused.error
    )
    untrusted = fetch_mailbox(factory, clock=lambda: NOW)
    assert untrusted.error is not None and "certificate is not trusted" in untrusted.error
    settings.put(session, settings.INBOX_PORT, free_port(), user=families.user, now=NOW)
    session.commit()
    offline = fetch_mailbox(factory, clock=lambda: NOW, ssl_context=server.context())
    assert offline.offline and offline.describe().startswith(
        "Absence mailbox: offline, will try again: the mailbox server 127.0.0.1:"
    )
    settings.put(session, settings.INBOX_USER, "someone.else", user=families.user, now=NOW)
    session.commit()
    no_password = fetch_mailbox(factory, clock=lambda: NOW)
    assert no_password.not_set_up and "no password is saved on this PC" in (no_password.error or "")
    settings.put(session, settings.INBOX_HOST, "", user=families.user, now=NOW)
    session.commit()
    [nothing] = fetch_all(factory, clock=lambda: NOW)
    assert nothing.describe() == (
        "Absence mailbox: not set up (Settings → Absence inbox (the mailbox's server and login))"
    )
    assert session.scalar(select(func.count(InboxMessage.id))) == 0


def test_a_20_mb_message_is_fetched_from_its_start_only(
    factory: sessionmaker[Session], session: Session, families: Families, server: ImapServer
) -> None:
    """A 20 MB message (a scanned letter attached) costs its first 512 KB: its text is
    read and matched, its size and a note say the rest stayed in the mailbox."""
    from email.message import EmailMessage

    use_mailbox(session, families.user, server, now=NOW)
    message = EmailMessage()
    message["From"] = "kate.jones@example.org"
    message["Subject"] = "Hospital letter"
    message.set_content("Ollie has a hospital appointment today, letter attached.")
    message.add_attachment(
        b"\x89" * 20_000_000, maintype="image", subtype="png", filename="letter.png"
    )
    server.deliver(message.as_bytes(), at=ARRIVED)
    report = fetch_mailbox(factory, clock=lambda: NOW, ssl_context=server.context())
    assert report.fetched == 1
    [entry] = inbox_entries(session, user=families.user)
    assert (entry.name, entry.code) == ("Ollie Jones", "M")
    assert entry.message_notes.startswith("a large message (27.")
    assert "only its start was read; attachments are left in the mailbox" in entry.message_notes
    assert "1 attachment not read here (letter.png)" in entry.message_notes
    kept = session.scalar(select(InboxMessage))
    assert kept is not None and kept.size > 20_000_000
    assert kept.original == "Ollie has a hospital appointment today, letter attached."
