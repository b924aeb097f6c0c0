"""Turning a due letter into the letters themselves: one per recipient, every field merged."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.file_names import capped_name
from attendance_desk.letters.completeness import empty_fields
from attendance_desk.letters.recipients import Recipient, recipients
from attendance_desk.letters.render import LetterData, Letterhead
from attendance_desk.letters.template_store import current_template
from attendance_desk.letters.templates import Template
from attendance_desk.models import Pupil, School
from attendance_desk.pathway.due import LetterDue
from attendance_desk.pathway.periods import (
    length_text,
    pct_text,
    target_text,
    uk_date,
    uk_long_date,
    uk_span,
    uk_time,
)
from attendance_desk.pathway.review import Meeting
from attendance_desk.school import settings
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.calendar_store import load_calendar


@dataclass(frozen=True)
class PreparedLetter:
    """One copy of a due letter, ready to render: the letter, to whom, and a file name."""

    due: LetterDue
    recipient: Recipient
    data: LetterData
    meeting: Meeting | None
    #: Merge fields the letter prints that have no value (it must not go out so).
    empty: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return file_name(self.data.date, self.due, self.recipient, self.data.reference)


def file_name(day: date, due: LetterDue, recipient: Recipient, label: str) -> str:
    """`2025-09-15 Amy Smith A201200018001 - Letter A - to Sarah Smith.pdf`, safe on any
    file system: long names are shortened, the date and UPN always kept."""
    held = " - HELD address unknown" if recipient.held else ""
    template = f"{day.isoformat()} {{0}} {due.upn} - {{1}} - to {{2}}{held}"
    return capped_name(template, (due.pupil_name, label, recipient.name), suffix=".pdf")


def letterhead(session: Session) -> Letterhead:
    """The school's name from its record; address, contacts, logo and footer from Settings."""
    school = session.scalar(select(School).limit(1))
    return Letterhead(
        school_name=school.name if school else "The school",
        # One line per part of the address, or parts separated by commas (as Settings says).
        address_lines=tuple(
            part.strip()
            for part in re.split(r"[\n,]", settings.get(session, settings.LETTERHEAD_ADDRESS))
            if part.strip()
        ),
        contact_line=settings.get(session, settings.LETTERHEAD_CONTACT).strip(),
        logo_path=settings.get(session, settings.LETTERHEAD_LOGO).strip(),
        footer=settings.get(session, settings.LETTERHEAD_FOOTER).strip(),
    )


def merge_values(
    due: LetterDue,
    recipient: Recipient,
    head: Letterhead,
    *,
    day: date,
    meeting: Meeting | None,
    review_end: date | None,
    signatory: tuple[str, str],
) -> dict[str, str]:
    """Every merge field's value for one copy of the letter."""
    headline = due.summary[0]
    year = due.summary[-1]
    values = {
        "school_name": head.school_name,
        "school_address": ", ".join(head.address_lines),
        "school_contact": head.contact_line,
        "date": uk_date(day),
        "salutation": recipient.salutation,
        "parent_name": recipient.name,
        "parent_address": recipient.address_text,
        "pupil_name": due.pupil_name,
        "pupil_forename": due.forename,
        "year": due.year,
        "group": due.group,
        "attendance_pct": pct_text(headline.figures.attendance_pct, due.target),
        "sessions_missed": str(headline.missed),
        "unauthorised_sessions": str(headline.figures.unauthorised),
        "possible_sessions": str(headline.figures.possible),
        "period": uk_span(headline.start, headline.end),
        "year_attendance_pct": pct_text(year.figures.attendance_pct, due.target),
        "target": target_text(due.target),
        "review_end": uk_long_date(review_end) if review_end else "",
        "review_length": length_text(due.review_days) if due.review_days else "",
        "meeting_date": uk_long_date(meeting.at.date()) if meeting else "",
        "meeting_time": uk_time(meeting.at) if meeting else "",
        "meeting_place": meeting.place if meeting else "",
        "signatory": signatory[0],
        "signatory_role": signatory[1],
    }
    return values


def review_end_after(calendar: SchoolCalendar, day: date, school_days: int) -> date | None:
    """The last day of a letter's review period, None past the end of the calendar."""
    if not school_days:
        return None
    try:
        return calendar.add_school_days(day, school_days)
    except ValueError:
        return None


def signatory(session: Session) -> tuple[str, str]:
    """Who signs the letters and their role, from Settings."""
    return (
        settings.get(session, settings.SIGNATORY_NAME).strip(),
        settings.get(session, settings.SIGNATORY_ROLE).strip(),
    )


def build_letter(
    due: LetterDue,
    recipient: Recipient,
    template: Template,
    head: Letterhead,
    *,
    day: date,
    meeting: Meeting | None,
    review_end: date | None,
    signed_by: tuple[str, str],
) -> LetterData:
    """One copy of a letter: the template merged for this recipient, ready to render."""
    values = merge_values(
        due,
        recipient,
        head,
        day=day,
        meeting=meeting,
        review_end=review_end,
        signatory=signed_by,
    )
    return letter_data(due, recipient, template, head, values, day=day, meeting=meeting)


def letter_data(
    due: LetterDue,
    recipient: Recipient,
    template: Template,
    head: Letterhead,
    values: Mapping[str, str],
    *,
    day: date,
    meeting: Meeting | None,
) -> LetterData:
    """The letter to render from its merged values."""
    title, blocks = template.merge(values)
    return LetterData(
        letterhead=head,
        date=day,
        recipient_name=recipient.addressee,
        address_lines=recipient.address_lines,
        title=title,
        blocks=blocks,
        pupil_name=due.pupil_name,
        pupil_line=f"{due.year} ({due.group})",
        reference=template.label,
        summary=due.summary,
        target=due.target,
        meeting=meeting,
        signatory_name=values["signatory"],
        signatory_role=values["signatory_role"],
    )


def compose(
    session: Session,
    dues: Sequence[LetterDue],
    day: date,
    *,
    meetings: Mapping[str, Meeting] | None = None,
    templates: Mapping[str, Template] | None = None,
) -> list[PreparedLetter]:
    """Every copy of every due letter, in the order given, parents in priority order.

    Letters take the wording in use (the school's own, or the standard text); `meetings`
    overrides a letter's proposed meeting (by the due letter's `uid`) and `templates` the
    wording (the template editor's live preview).
    """
    meetings = meetings or {}
    head = letterhead(session)
    signed_by = signatory(session)
    calendar = load_calendar(session)
    pupils = {
        p.id: p
        for p in session.scalars(
            select(Pupil)
            .options(selectinload(Pupil.contacts))
            .where(Pupil.id.in_({d.pupil_id for d in dues}))
        )
    }
    loaded: dict[str, Template] = dict(templates or {})
    prepared: list[PreparedLetter] = []
    for due in dues:
        template = loaded.get(due.template)
        if template is None:
            template = loaded[due.template] = current_template(session, due.template)
        meeting = meetings.get(due.uid, due.meeting) if template.needs_meeting else None
        review_end = review_end_after(calendar, day, due.review_days)
        for recipient in recipients(pupils[due.pupil_id]):
            values = merge_values(
                due,
                recipient,
                head,
                day=day,
                meeting=meeting,
                review_end=review_end,
                signatory=signed_by,
            )
            data = letter_data(due, recipient, template, head, values, day=day, meeting=meeting)
            empty = tuple(empty_fields(template.fields, values))
            prepared.append(PreparedLetter(due, recipient, data, meeting, empty))
    return prepared
