"""Documents a safe-and-well check produces: the letter left at the door, the Children Missing
Education notification to the local authority, and the police welfare check summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from attendance_desk.printing.base import DocumentRenderer, Styles, derive, long_date, text
from attendance_desk.printing.field_table import field_table
from attendance_desk.uk_dates import letter_date, moment_text


@dataclass(frozen=True)
class VisitLetterData:
    """The note left at the property after a visit (docs/rules.md#safe-and-well)."""

    school_name: str
    school_phone: str
    pupil_name: str
    visited_at: datetime
    staff: tuple[str, str]


class VisitLetter(DocumentRenderer[VisitLetterData]):
    """A short, kind letter: we called, we are worried, please ring us today."""

    TITLE = "We called today"

    def styles(self) -> Styles:
        sheet = super().styles()
        derive(sheet, "letter", "body", fontSize=12, leading=17, spaceAfter=4 * mm)
        return sheet

    def story(self, data: VisitLetterData) -> list[Flowable]:
        s = self.stylesheet
        when = f"{data.visited_at:%H:%M} on {long_date(data.visited_at.date())}"
        # A non-breaking space keeps the number on one line.
        phone = data.school_phone.replace(" ", "\u00a0") or "the school office"
        return [
            text(f"To the parents or carers of {data.pupil_name}", s["title"]),
            Spacer(0, 6 * mm),
            text(
                f"We called at your home at {when} because {data.pupil_name} has not been "
                "in school and we have not been able to reach you.",
                s["letter"],
            ),
            text(
                "We are checking that everyone is safe and well. Please telephone the school "
                f"today on {phone}, or come to the school office.",
                s["letter"],
            ),
            text(
                "If we cannot make contact, the school has a duty to ask other services, "
                "including the police, to check on your child's welfare.",
                s["letter"],
            ),
            Spacer(0, 8 * mm),
            text(f"{data.staff[0]} and {data.staff[1]}", s["letter"]),
            text(data.school_name, s["body"]),
        ]


@dataclass(frozen=True)
class Person:
    name: str
    relationship: str
    address: str
    phones: str


@dataclass(frozen=True)
class SchoolLine:
    """Who sent the form and how to call them back."""

    name: str = ""
    urn: str = ""
    phone: str = ""

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("School", self.name),
            ("URN", self.urn or "not recorded"),
            ("School telephone", self.phone or "not recorded"),
        ]


def parent_rows(person: Person, pupil_address: str) -> list[tuple[str, str]]:
    """A parent's name, address (their own when it is not the child's) and telephone."""
    own = person.address.strip()
    lives = own if own and own != pupil_address.strip() else "as the pupil"
    return [
        ("Name", f"{person.name} ({person.relationship})"),
        ("Address", lives),
        ("Telephone", person.phones or "none recorded"),
    ]


@dataclass(frozen=True)
class CmeNoticeData:
    """The fields the 2024 regulations ask for when the local authority is told."""

    school_name: str
    pupil_name: str
    date_of_birth: date
    upn: str
    address: str
    parents: list[Person]
    emergency_numbers: list[str]
    ground: str
    absent_since: date | None
    enquiries: str
    new_school: str = "Not known"
    notified_by: str = ""
    notified_on: date | None = None
    school: SchoolLine = field(default_factory=SchoolLine)


class CmeNotice(DocumentRenderer[CmeNoticeData]):
    """Children Missing Education notification, laid out as the LA's form reads."""

    TITLE = "Children Missing Education: notification to the local authority"

    def story(self, data: CmeNoticeData) -> list[Flowable]:
        s = self.stylesheet
        rows = [
            ("Pupil", data.pupil_name),
            ("Date of birth", letter_date(data.date_of_birth)),
            ("UPN", data.upn),
            ("Home address", data.address or "not recorded"),
            ("Ground", data.ground),
            ("Absent since", long_date(data.absent_since) if data.absent_since else "—"),
            ("New school, if known", data.new_school),
            ("Reasonable enquiries made", data.enquiries or "—"),
            ("Emergency telephone numbers", ", ".join(data.emergency_numbers) or "none recorded"),
            ("Notified by", data.notified_by),
            ("Date", long_date(data.notified_on) if data.notified_on else ""),
        ]
        width = self.frame_size()[0]
        story: list[Flowable] = [text(self.TITLE, s["title"]), Spacer(0, 4 * mm)]
        story.append(field_table(data.school.rows(), s, width))
        story.append(Spacer(0, 3 * mm))
        story.append(field_table(rows, s, width))
        story.append(text("Parents and carers", s["heading"]))
        for person in data.parents:
            story.append(field_table(parent_rows(person, data.address), s, width))
            story.append(Spacer(0, 2 * mm))
        return story


@dataclass(frozen=True)
class PoliceRequestData:
    school_name: str
    pupil_name: str
    date_of_birth: date
    address: str
    absent_since: date
    flags: list[str]
    social_worker: str | None
    calls: list[str]
    visit: str
    enquiries: str
    reference: str
    requested_by: str
    requested_at: datetime
    contacts: list[str] = field(default_factory=list)
    parents: list[Person] = field(default_factory=list)
    school: SchoolLine = field(default_factory=SchoolLine)


class PoliceRequestSummary(DocumentRenderer[PoliceRequestData]):
    """What the police need to act on a welfare check request, on one or two pages."""

    TITLE = "Police welfare check request: summary"

    def story(self, data: PoliceRequestData) -> list[Flowable]:
        s = self.stylesheet
        width = self.frame_size()[0]
        story: list[Flowable] = [text(self.TITLE, s["title"]), Spacer(0, 4 * mm)]
        story.append(field_table(data.school.rows(), s, width))
        story.append(Spacer(0, 3 * mm))
        story.append(
            field_table(
                [
                    ("Pupil", data.pupil_name),
                    ("Date of birth", letter_date(data.date_of_birth)),
                    ("Address", data.address or "not recorded"),
                    ("Absent since", long_date(data.absent_since)),
                    ("Vulnerability", ", ".join(data.flags) or "none recorded"),
                    ("Social worker", data.social_worker or "none allocated"),
                    ("Police reference", data.reference),
                    ("Requested by", f"{data.requested_by}, {moment_text(data.requested_at)}"),
                ],
                s,
                width,
            )
        )
        if data.parents:
            story.append(text("Parents with parental responsibility", s["heading"]))
            for person in data.parents:
                story.append(field_table(parent_rows(person, data.address), s, width))
                story.append(Spacer(0, 2 * mm))
        for heading, lines in (
            ("Contacts", data.contacts),
            ("Calls made", data.calls),
            ("Home visit", [data.visit]),
            ("Enquiries", [data.enquiries]),
        ):
            story.append(text(heading, s["heading"]))
            story.extend(text(line, s["body"]) for line in (lines or ["None recorded."]))
        return story
