"""The absence inbox: 500 messages read and matched on the demo school, and the matching's
precision and recall on the realistic corpus (tests/inbox/fixtures/).

Target (issue 20): 500 messages read, matched and stored in under 2 s. The messages are
written from the demo school's own contacts in varied wordings (named children, siblings,
appointments with times, holidays, texts by number, strangers, "ok" replies) into an mbox
file, and read with `inbox.files.read_mail_file`: MIME parsing, quoted-reply stripping,
matching, dates, codes and the database writes, in one transaction (rolled back after each
of the three runs; the best is reported). Run from the project root:

    python benchmarks/bench_inbox.py [--pupils 300]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from attendance_desk.demo.school import build_demo  # noqa: E402
from attendance_desk.inbox.files import read_mail_file  # noqa: E402
from attendance_desk.models import Contact, InboxProposal, Pupil  # noqa: E402
from attendance_desk.store.db import open_database  # noqa: E402
from tests.helpers.corpus import CORPUS, build, load, score  # noqa: E402

TODAY = date(2025, 11, 24)  # a Monday
TEMPLATES = (
    "Hi, {child} has a temperature and won't be in today. Thanks, {parent}",
    "{child} has been sick in the night so is staying home today",
    "Morning, {child} has a dentist appointment at 2.15pm, I'll collect at 1.45",
    "{child} is poorly, off until Friday",
    "Both kids have the sickness bug, neither will be in today",
    "{child} has an orthodontist appt this morning, will be in after lunch",
    "We would like to take {child} on a family holiday from 8th to 12th December",
    "ok",
    "Thanks x",
    "{child} has tonsilitis, the doctor says off for two days",
    "{child} won't be in tomorrow, hospital appointment",
)


def messages(session, count: int, rng: random.Random) -> bytes:  # type: ignore[no-untyped-def]
    """`count` emails and texts from the school's contacts (and a few strangers) as mbox."""
    rows = session.execute(
        select(
            Contact.name,
            Contact.email,
            Contact.phone,
            Pupil.legal_forename,
            Pupil.preferred_forename,
        )
        .join(Pupil, Pupil.id == Contact.pupil_id)
        .where(Pupil.on_roll_to.is_(None))
    ).all()
    out = []
    start = datetime.combine(TODAY, datetime.min.time()) + timedelta(hours=6)
    for n in range(count):
        name, email_address, phone, forename, preferred = rng.choice(rows)
        sender = email_address or f"{''.join(c for c in phone or '0' if c.isdigit())}@texts.example"
        if n % 25 == 0:
            sender = f"stranger{n}@example.net"
        text = rng.choice(TEMPLATES).format(child=preferred or forename, parent=name.split()[0])
        message = EmailMessage()
        message["From"] = f"{name} <{sender}>"
        message["Subject"] = "Absence" if n % 3 else "Re: Absence"
        message["Date"] = format_datetime((start + timedelta(minutes=n // 2)).astimezone())
        message["Message-ID"] = f"<bench{n}@example.net>"
        body = text
        if n % 4 == 0:
            body += (
                "\n\nOn Fri, 21 Nov 2025 at 16:00, Brookfield <office@x.example> wrote:\n> hello"
            )
        message.set_content(body)
        if n % 10 == 0:
            message.add_alternative(f"<p>{text}</p>", subtype="html")
        out.append(b"From - Mon Nov 24 07:00:00 2025\n" + message.as_bytes() + b"\n")
    return b"".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pupils", type=int, default=300)
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="attendance-inbox-bench-"))
    factory = open_database(folder / "demo.db")
    with factory() as session:
        build_demo(session, pupils=args.pupils, weeks=4, seed=1, today=TODAY)
        session.commit()
        box = folder / "inbox.mbox"
        box.write_bytes(messages(session, args.messages, random.Random(1)))
    best = float("inf")
    made = 0
    for _ in range(3):
        with factory() as session:
            started = time.perf_counter()
            report = read_mail_file(session, box, now=datetime.combine(TODAY, datetime.min.time()))
            session.flush()
            best = min(best, time.perf_counter() - started)
            made = session.query(InboxProposal).count()
            session.rollback()
    print(
        f"{args.messages} messages read, matched and stored on the {args.pupils}-pupil demo "
        f"school: {best:.2f} s (target 2 s, {'pass' if best < 2 else 'FAIL'}); "
        f"{report.fetched} messages, {made} entries"
    )
    families, samples = load()
    _, held_out = load(CORPUS.with_name("corpus-heldout.txt"))
    for title, group in (
        ("corpus (rules written against it)", samples),
        ("held-out (never tuned on)", held_out),
    ):
        corpus_factory = open_database(Path(tempfile.mkdtemp()) / "corpus.db")
        with corpus_factory() as session:
            s = score(session, group, build(session, families))
        print(
            f"{title}: {s.messages} messages, precision {s.precision:.1%}, recall "
            f"{s.recall:.1%} ({s.true_positive} right, {s.false_positive} wrong, "
            f"{s.false_negative} missed); code right {s.codes_right}/{s.true_positive}, "
            f"dates right {s.dates_right}/{s.true_positive}"
        )


if __name__ == "__main__":
    main()
