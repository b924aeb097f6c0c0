"""The deletion return: what regulation 13 of the 2024 regulations asks the school to send
the local authority when a pupil's name leaves the admission register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import Pupil, RollChange, School
from attendance_desk.printing.base import DocumentRenderer, long_date, text
from attendance_desk.printing.field_table import field_table
from attendance_desk.roll.grounds import BY_KEY

SEX_NAMES = {"M": "Male", "F": "Female", "U": "Not known"}


@dataclass(frozen=True, slots=True)
class Parent:
    name: str
    relationship: str
    address: str
    phones: str
    lives_with: bool


@dataclass(frozen=True, slots=True)
class DeletionReturnData:
    """Every field of the return, as plain text and dates."""

    school_name: str
    urn: str
    la_number: str
    estab_number: str
    pupil_name: str
    date_of_birth: date
    upn: str
    sex: str
    address: str
    on_roll_from: date
    parents: tuple[Parent, ...]
    regulation: str
    ground: str
    deleted_on: date
    destination_school: str
    destination_address: str
    details: str
    recorded_by: str
    recorded_at: datetime
    la_notified: str


def deletion_return_data(session: Session, change_id: int) -> DeletionReturnData:
    """The return for one removal, read from the admission register."""
    change = session.get(RollChange, change_id)
    if change is None or change.kind != "removal":
        raise ValueError(f"no removal from roll with id {change_id}")
    pupil: Pupil = change.pupil
    school = session.scalar(select(School)) or School(name="School")
    ground = BY_KEY.get(change.ground or "")
    # Regulation 13(4): the parents the pupil normally lives with (any with PR if none is
    # recorded as living with the pupil, so the LA always has someone to contact).
    parents = [c for c in pupil.contacts if c.lives_with] or [
        c for c in pupil.contacts if c.parental_responsibility
    ]
    return DeletionReturnData(
        school_name=school.name,
        urn=school.urn or "",
        la_number=school.la_number or "",
        estab_number=school.estab_number or "",
        pupil_name=" ".join(n for n in (pupil.legal_forename, pupil.legal_surname) if n),
        date_of_birth=pupil.date_of_birth,
        upn=pupil.upn,
        sex=SEX_NAMES.get(pupil.sex or "", "Not recorded"),
        address=pupil.address or "",
        on_roll_from=pupil.on_roll_from,
        parents=tuple(
            Parent(
                c.name,
                c.relationship_to_pupil,
                c.address or "",
                ", ".join(p for p in (c.phone, c.phone_alt) if p),
                c.lives_with,
            )
            for c in parents
        ),
        regulation=f"Regulation {ground.regulation}" if ground else "",
        ground=ground.label if ground else (change.ground or ""),
        deleted_on=change.effective_on,
        destination_school=change.destination_school or "",
        destination_address=change.destination_address or "",
        details=change.details,
        recorded_by=change.recorded_by_name,
        recorded_at=change.recorded_at,
        la_notified=(
            f"{change.la_notified_on:%d %b %Y} by {change.la_notified_by}"
            if change.la_notified_on
            else ""
        ),
    )


class DeletionReturn(DocumentRenderer[DeletionReturnData]):
    """One page, laid out as a LA's off-roll notification form reads: school, pupil,
    parents, the ground and the destination."""

    TITLE = "Deletion from the admission register: return to the local authority"

    def header_title(self, data: DeletionReturnData) -> str:
        return "Deletion return"

    def story(self, data: DeletionReturnData) -> list[Flowable]:
        s = self.stylesheet
        width = self.frame_size()[0]
        dfe = f"{data.la_number}/{data.estab_number}" if data.la_number else "not recorded"
        story: list[Flowable] = [
            text(self.TITLE, s["title"]),
            Spacer(0, 2 * mm),
            text(
                "Made under regulation 13(4) of The School Attendance (Pupil Registration) "
                "(England) Regulations 2024.",
                s["small"],
            ),
            text("School", s["heading"]),
            field_table(
                [
                    ("School", data.school_name),
                    ("URN", data.urn or "not recorded"),
                    ("LA and establishment number", dfe),
                ],
                s,
                width,
            ),
            text("Pupil", s["heading"]),
            field_table(
                [
                    ("Full name", data.pupil_name),
                    ("Date of birth", long_date(data.date_of_birth)),
                    ("UPN", data.upn),
                    ("Sex", data.sex),
                    ("Address", data.address or "not recorded"),
                    ("On roll since", long_date(data.on_roll_from)),
                ],
                s,
                width,
            ),
            text("Deletion", s["heading"]),
            field_table(
                [
                    ("Ground", f"{data.regulation}: {data.ground}"),
                    ("Date of deletion", long_date(data.deleted_on)),
                    ("Destination school", data.destination_school or "not known"),
                    ("New address", data.destination_address or "not known"),
                    ("Details", data.details),
                    ("Entry made by", f"{data.recorded_by}, {data.recorded_at:%d %b %Y %H:%M}"),
                    ("LA told", data.la_notified or "with this return"),
                ],
                s,
                width,
            ),
            text("Parents and carers", s["heading"]),
        ]
        if not data.parents:
            story.append(text("None recorded.", s["body"]))
        for parent in data.parents:
            lives = "lives with the pupil" if parent.lives_with else "does not live with the pupil"
            story.append(
                field_table(
                    [
                        ("Name", f"{parent.name} ({parent.relationship}; {lives})"),
                        ("Address", parent.address or data.address or "as the pupil"),
                        ("Emergency telephone", parent.phones or "none recorded"),
                    ],
                    s,
                    width,
                )
            )
            story.append(Spacer(0, 2 * mm))
        return story


def render_deletion_return(session: Session, change_id: int, *, now: datetime) -> bytes:
    """The return for one removal as PDF bytes."""
    return DeletionReturn(printed_at=now).render(deletion_return_data(session, change_id))
