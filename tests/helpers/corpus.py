"""The realistic inbox corpus (`tests/inbox/fixtures/corpus.txt`): its families as a school,
its messages, and the matching scored against what a careful receptionist would record.

Used by the corpus test (which holds the inbox to its precision and recall) and by
`benchmarks/bench_inbox.py` (which prints them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from attendance_desk.inbox.dates import Span
from attendance_desk.inbox.directory import Directory
from attendance_desk.inbox.proposing import Incoming, plan_proposals
from attendance_desk.models import Contact, Pupil
from attendance_desk.school.calendar_store import load_calendar
from tests.helpers.builders import add_pupil, build_school

CORPUS = Path(__file__).parent.parent / "inbox" / "fixtures" / "corpus.txt"


@dataclass(frozen=True)
class Expect:
    key: str
    code: str | None  # None: no reason given; "leave": a leave request
    span: Span


@dataclass(frozen=True)
class Sample:
    sender: str
    name: str
    at: datetime
    text: str
    expects: tuple[Expect, ...]


@dataclass
class Family:
    contact: str
    relationship: str
    email: str
    phone: str
    children: list[list[str]] = field(default_factory=list)


def load(path: Path = CORPUS) -> tuple[list[Family], list[Sample]]:
    families: list[Family] = []
    samples: list[Sample] = []
    text = path.read_text(encoding="utf-8")
    head, *blocks = text.split("\n===\n")
    for line in head.splitlines():
        if line.startswith("family:"):
            contact, relationship, email, phone, kids = (p.strip() for p in line[7:].split("|"))
            families.append(
                Family(
                    contact, relationship, email, phone, [k.split(":") for k in kids.split(", ")]
                )
            )
    for block in blocks:
        if not block.strip():
            continue
        headers, _, body = block.partition("\n\n")
        fields: dict[str, list[str]] = {}
        for line in headers.splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), []).append(value.strip())
        expects = tuple(_expect(value) for value in fields.get("expect", []) if value != "none")
        samples.append(
            Sample(
                fields["from"][0],
                fields.get("name", [""])[0],
                datetime.fromisoformat(fields["at"][0]),
                body.strip(),
                expects,
            )
        )
    return families, samples


def _expect(value: str) -> Expect:
    key, code, start, first, end, last = value.split()
    return Expect(
        key,
        None if code == "-" else code,
        Span(date.fromisoformat(start), first, date.fromisoformat(end), last),
    )


def build(session: Session, families: list[Family]) -> dict[str, Pupil]:
    """The corpus's families as pupils and contacts of the builders' test school."""
    _, _user = build_school(session)
    pupils: dict[str, Pupil] = {}
    serial = 0
    for family in families:
        for key, forename, preferred, surname, sex, group, *left in family.children:
            serial += 1
            year = "R" if group == "R" else group[:-1]
            pupil = add_pupil(
                session,
                serial,
                surname=surname,
                forename=forename,
                year=year,
                group=group,
                sex=sex,
            )
            pupil.preferred_forename = preferred or None
            if left:
                pupil.on_roll_to = date(2025, 9, 5)
            pupil.contacts = []
            session.flush()
            pupil.contacts = [
                Contact(
                    priority=1,
                    name=family.contact,
                    relationship_to_pupil=family.relationship,
                    parental_responsibility=True,
                    email=family.email,
                    phone=family.phone,
                )
            ]
            pupils[key] = pupil
    session.commit()
    return pupils


@dataclass(frozen=True)
class Scores:
    messages: int
    true_positive: int
    false_positive: int
    false_negative: int
    codes_right: int
    dates_right: int
    misses: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.true_positive / max(1, self.true_positive + self.false_positive)

    @property
    def recall(self) -> float:
        return self.true_positive / max(1, self.true_positive + self.false_negative)


def score(session: Session, samples: list[Sample], pupils: dict[str, Pupil]) -> Scores:
    """Match every sample and compare with what it expects."""
    directory = Directory.load(session)
    calendar = load_calendar(session)
    ids = {key: pupil.id for key, pupil in pupils.items()}
    tp = fp = fn = codes_right = dates_right = 0
    misses: list[str] = []
    for n, sample in enumerate(samples, start=1):
        message = Incoming(
            "email", sample.sender, sample.name, sample.at, "", sample.text, sample.text
        )
        plans = {p.pupil_id: p for p in plan_proposals(message, directory, calendar) if p.pupil_id}
        expected = {ids[e.key]: e for e in sample.expects}
        tp += len(plans.keys() & expected.keys())
        fp += len(plans.keys() - expected.keys())
        fn += len(expected.keys() - plans.keys())
        if plans.keys() != expected.keys():
            misses.append(
                f"#{n} {sample.text[:60]!r}: matched {sorted(plans)}, expected {sorted(expected)}"
            )
        for pupil_id in plans.keys() & expected.keys():
            plan, want = plans[pupil_id], expected[pupil_id]
            code = "leave" if plan.kind == "leave" else plan.code
            if code == want.code:
                codes_right += 1
            else:
                misses.append(f"#{n} code {code} not {want.code}: {sample.text[:60]!r}")
            if plan.span == want.span:
                dates_right += 1
            else:
                misses.append(f"#{n} dates {plan.span} not {want.span}: {sample.text[:60]!r}")
    return Scores(len(samples), tp, fp, fn, codes_right, dates_right, tuple(misses))
