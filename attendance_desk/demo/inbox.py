"""A morning's absence inbox for the demo school: the emails and text replies a school
office really finds at 8.30, each read into proposals by the real rules (one matched, two
sisters in one message, an appointment, a holiday, a grandparent not on file, an "ok"
reply, a parent of two who named neither, an HTML email with a typo)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.inbox.proposing import Incoming
from attendance_desk.inbox.storing import Reader, keep
from attendance_desk.models import Contact, Pupil

ACCOUNT = "demo"


def add_demo_inbox(session: Session, *, today: date, seed: int) -> int:
    """Keep this morning's messages with their proposals; how many messages."""
    rng = random.Random(seed + 20)
    families = _families(session, today)
    singles = [f for f in families if len(f[1]) == 1]
    pairs = [f for f in families if len(f[1]) == 2]
    if len(singles) < 6 or not pairs:
        return 0  # a demo too small for a morning's inbox
    rng.shuffle(singles)
    rng.shuffle(pairs)
    morning = datetime.combine(today, time(7, 5))
    messages: list[tuple[str, str, str, str]] = []  # channel, sender, name, text

    def first(name: str) -> str:
        return name.split()[0]

    parent, kids = singles[0]
    messages.append(
        (
            "email",
            parent.email or "",
            parent.name,
            f"Hi, {_call(kids[0])} has a temperature and won't be in today. "
            f"Thanks, {first(parent.name)}",
        )
    )
    parent, kids = pairs[0]
    together = (
        "girls"
        if all(k.sex == "F" for k in kids)
        else ("boys" if all(k.sex == "M" for k in kids) else "kids")
    )
    messages.append(
        (
            "email",
            parent.email or "",
            parent.name,
            f"Morning, both {together} have been sick in the night so they are "
            "staying home today. Sorry!",
        )
    )
    parent, kids = singles[1]
    messages.append(
        (
            "text",
            parent.phone or "",
            "",
            f"{_call(kids[0])} has a dentist appt at 2pm, I will collect at 1.30",
        )
    )
    parent, kids = singles[2]
    start = today + timedelta(days=10)
    start += timedelta(days=(7 - start.weekday()) % 7)  # a Monday to Friday week
    messages.append(
        (
            "email",
            parent.email or "",
            parent.name,
            f"Dear Headteacher, we would like to take {_call(kids[0])} on a family "
            f"holiday to Spain from {_day(start)} to {_day(start + timedelta(days=4))} "
            "for my brother's wedding. Kind regards",
        )
    )
    parent, kids = singles[3]
    child = kids[0]
    messages.append(
        (
            "email",
            "nanna.jean@example.net",
            "Jean",
            f"{_call(child)} {child.legal_surname} is poorly today, I have him at mine. His nan",
        )
    )
    parent, kids = singles[4]
    messages.append(("text", parent.phone or "", "", "ok"))
    if len(pairs) > 1:
        parent, kids = pairs[1]
        messages.append(
            ("email", parent.email or "", parent.name, "Not well today, keeping at home. Thanks")
        )
    parent, kids = singles[5]
    messages.append(
        (
            "email",
            parent.email or "",
            parent.name,
            f"<p>{_call(kids[0])} has tonsilitis, the doctor says off until Friday.</p>",
        )
    )
    reader = Reader(session)
    for n, (channel, sender, name, text) in enumerate(messages):
        received = morning + timedelta(minutes=9 * n + rng.randint(0, 6))
        words = text.replace("<p>", "").replace("</p>", "")
        notes = ("sent as HTML only: the text was taken from it",) if "<p>" in text else ()
        keep(
            session,
            account=ACCOUNT,
            uidvalidity=0,
            uid=f"{today.isoformat()}-{n}",
            message=Incoming(channel, sender, name, received, "", words, words, notes),
            reader=reader,
            now=received,
        )
    return len(messages)


def _day(day: date) -> str:
    return f"{day.day} {day:%B}"


def _call(pupil: Pupil) -> str:
    return pupil.preferred_forename or pupil.legal_forename


def _families(session: Session, today: date) -> list[tuple[Contact, list[Pupil]]]:
    """Each first contact with an email and a phone, and the children on roll they are
    first contact for, in a stable order."""
    by_email: dict[str, tuple[Contact, list[Pupil]]] = {}
    children: dict[str, list[Pupil]] = defaultdict(list)
    for contact, pupil in session.execute(
        select(Contact, Pupil)
        .join(Pupil, Pupil.id == Contact.pupil_id)
        .where(Contact.priority == 1, Contact.email.is_not(None), Contact.phone.is_not(None))
        .order_by(Pupil.id)
    ):
        if not pupil.on_roll(today) or contact.do_not_contact:
            continue
        key = contact.email or ""
        by_email.setdefault(key, (contact, children[key]))
        children[key].append(pupil)
    return list(by_email.values())
