"""A template's text rendered as a parent would get it, for the editor's live preview.

The sample is the first letter due today (its pupil, and the first parent it goes to), so
the office sees real figures; with nothing due it is an obviously made-up family, so no
one mistakes the preview for a real child's letter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from attendance_desk.letters.compose import (
    build_letter,
    letterhead,
    review_end_after,
    signatory,
)
from attendance_desk.letters.recipients import Recipient, recipients
from attendance_desk.letters.render import render_letters
from attendance_desk.letters.template_store import check_text
from attendance_desk.models import Pupil
from attendance_desk.pathway.due import YEAR_LABEL, LetterDue, letters_due, proposed_meeting
from attendance_desk.pathway.periods import SummaryRow
from attendance_desk.pathway.review import Meeting
from attendance_desk.pathway.stages import PathwayError, current_pathway
from attendance_desk.register.stats import Figures
from attendance_desk.school import settings
from attendance_desk.school.calendar_store import load_calendar

#: Review periods for a sample that has none of its own (two school weeks).
SAMPLE_REVIEW_DAYS = 10


@dataclass(frozen=True)
class Sample:
    """Whose letter the preview shows; `made_up` when no letter is due today."""

    due: LetterDue
    recipient: Recipient
    made_up: bool

    @property
    def describe(self) -> str:
        if self.made_up:
            return "Made-up sample family (no letters are due today)"
        return f"Sample: {self.due.pupil_name}'s letter to {self.recipient.name}"


def sample_for(session: Session, day: date) -> Sample:
    """The first letter due on `day` (to its first parent), else a made-up one."""
    try:
        dues = letters_due(session, day)
    except PathwayError:
        dues = []
    for due in dues:
        pupil = session.get(Pupil, due.pupil_id)
        found = recipients(pupil) if pupil is not None else []
        if found:
            return Sample(due, found[0], made_up=False)
    return made_up_sample(session, day)


def made_up_sample(session: Session, day: date) -> Sample:
    """A family called Sample at 1 Example Street, with round, plausible figures."""
    period = Figures(present=44, authorised=4, unauthorised=6)
    year = Figures(present=100, authorised=8, unauthorised=12)
    start = day - timedelta(days=28)
    due = LetterDue(
        pupil_id=0,
        upn="",
        pupil_name="Sam Sample",
        forename="Sam",
        year="Year 4",
        group="4S",
        pathway="",
        stage=1,
        step="",
        label="Sample letter",
        template="",
        reason="sample",
        key="sample",
        due=day,
        case_id=None,
        pending_event=None,
        summary=(
            SummaryRow("Last four weeks", start, day - timedelta(days=1), period),
            SummaryRow(YEAR_LABEL, start - timedelta(days=28), day, year),
        ),
        target=settings.get(session, settings.ATTENDANCE_TARGET),
        review_days=SAMPLE_REVIEW_DAYS,
        meeting=None,
    )
    parent = Recipient(
        contact_id=None,
        name="Alex Sample (sample parent)",
        relationship="Parent",
        address_lines=("1 Example Street", "SAMPLETOWN", "AB1 2CD"),
    )
    return Sample(due, parent, made_up=True)


def _meeting(session: Session, day: date) -> Meeting:
    """The pathway's usual meeting, or 3.30pm in a week's time at the school office."""
    try:
        return proposed_meeting(current_pathway(session), load_calendar(session), day)
    except PathwayError:
        return Meeting(datetime.combine(day + timedelta(days=7), time(15, 30)), "the school office")


def preview_template(
    session: Session, sample: Sample, *, name: str, text: str, day: date, printed_at: datetime
) -> bytes:
    """`text` as letter `name` to the sample's parent, as a PDF; nothing is written.

    Raises:
        TemplateError: the text does not parse (the message names the line and field).
    """
    template = check_text(name, text)
    review_days = sample.due.review_days or SAMPLE_REVIEW_DAYS
    due = replace(sample.due, template=name, review_days=review_days)
    meeting = (due.meeting or _meeting(session, day)) if template.needs_meeting else None
    data = build_letter(
        due,
        sample.recipient,
        template,
        letterhead(session),
        day=day,
        meeting=meeting,
        review_end=review_end_after(load_calendar(session), day, review_days),
        signed_by=signatory(session),
    )
    return render_letters([data], printed_at=printed_at)
