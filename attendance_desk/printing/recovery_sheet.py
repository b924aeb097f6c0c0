"""The backup recovery sheet: the passphrase that opens the school's encrypted backups, on
paper, for the school's safe. Without it (or someone who remembers it) an encrypted backup
can never be read again, by anyone; so the sheet says that, plainly, and how to restore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from attendance_desk.printing.base import (
    FONT_BOLD,
    LINE,
    RULE,
    SHADE,
    DocumentRenderer,
    Styles,
    derive,
    long_date,
    text,
)
from attendance_desk.pupils.directory import school_title

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from attendance_desk.models import BackupLockRecord

RESTORE_STEPS = (
    "Install Attendance Desk on the PC (the packaged app; no Python needed).",
    "Plug in the USB stick or open the share that holds the backups "
    "(files named like school-2026-11-24-090215.backup.enc).",
    "Either open Attendance Desk and choose File → Restore from a backup…, or run "
    "attendance-desk restore FILE in a Command Prompt.",
    "When it asks for the backup passphrase, type it exactly as written above (capitals, "
    "spaces and punctuation count). A scheduled task can give it in "
    "ATTENDANCE_DESK_BACKUP_PASSPHRASE instead.",
    "The backup is checked before it replaces anything; the database it replaces is kept "
    "beside it (….replaced-<date>.db).",
)


@dataclass(frozen=True)
class RecoverySheetData:
    """What the sheet says: whose backups, which passphrase, its fingerprint, who set it."""

    school_name: str
    passphrase: str
    fingerprint: str
    set_at: datetime
    set_by: str


class RecoverySheet(DocumentRenderer[RecoverySheetData]):
    """One A4 page to print and lock away."""

    TITLE = "Backup recovery sheet"

    def styles(self) -> Styles:
        sheet = super().styles()
        derive(sheet, "secret", "body", fontName=FONT_BOLD, fontSize=16, leading=21)
        derive(sheet, "warning", "body", fontName=FONT_BOLD)
        derive(sheet, "step", "body", leftIndent=6 * mm, firstLineIndent=-6 * mm, spaceAfter=4)
        return sheet

    def story(self, data: RecoverySheetData) -> list[Flowable]:
        s = self.stylesheet
        width, _ = self.frame_size()
        box = Table(
            [
                [text("Backup passphrase", s["table_head"])],
                [text(data.passphrase, s["secret"])],
                [text(f"Fingerprint {data.fingerprint}", s["small"])],
            ],
            colWidths=[width],
        )
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.2, RULE),
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 5 * mm),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
                ]
            )
        )
        details = Table(
            [
                [text("School", s["table_head"]), text(data.school_name, s["table"])],
                [
                    text("Set", s["table_head"]),
                    text(f"{long_date(data.set_at.date())} at {data.set_at:%H:%M}", s["table"]),
                ],
                [text("Set by", s["table_head"]), text(data.set_by, s["table"])],
            ],
            colWidths=[32 * mm, width - 32 * mm],
        )
        details.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE)]))
        story: list[Flowable] = [
            text(self.TITLE, s["title"]),
            Spacer(0, 3 * mm),
            text(
                "Attendance Desk encrypts the backups it saves to a USB stick or a network "
                "share. This passphrase is the only way to open them. Nobody, not the "
                "supplier and not the local authority, can recover a backup without it.",
                s["body"],
            ),
            Spacer(0, 5 * mm),
            box,
            Spacer(0, 5 * mm),
            details,
            Spacer(0, 6 * mm),
            text(
                "Keep this sheet locked in the school's safe, away from the backups. Do not "
                "photograph it, email it or keep it with the USB stick.",
                s["warning"],
            ),
            text("Restoring from a backup", s["heading"]),
        ]
        story += [
            text(f"{number}.  {step}", s["step"])
            for number, step in enumerate(RESTORE_STEPS, start=1)
        ]
        story += [
            text("When the passphrase is changed", s["heading"]),
            text(
                "Backups made before a change still need the passphrase they were made with: "
                "keep the old sheet with this one until those backups have been rotated away "
                "(about a year), then shred it. Each backup records the fingerprint of its "
                "passphrase, so the right sheet can be found.",
                s["body"],
            ),
        ]
        return story


def sheet_for(
    session: Session, record: BackupLockRecord, *, passphrase: str, now: datetime
) -> bytes:
    """The recovery sheet for the passphrase just set (`store.backup_keys.set_passphrase`),
    as a PDF to print and lock away."""
    data = RecoverySheetData(
        school_name=school_title(session) or "Attendance Desk",
        passphrase=passphrase,
        fingerprint=record.fingerprint,
        set_at=record.set_at,
        set_by=record.set_by_name,
    )
    return RecoverySheet(printed_at=now).render(data)
