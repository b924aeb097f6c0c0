"""Sending letters: rendered, logged with the PDF kept, and the pupil's case moved on.

Sending is one transaction per batch (the caller's): for every due letter the case is opened
or its review confirmed, one letter per recipient is rendered and logged, the letter step is
marked sent and everything is audited. A letter no longer due (another PC sent it, a person
dismissed it) is refused before anything is written. The log is never deleted; re-printing
hands back the stored PDF, byte for byte, and is audited too.

A batch can report its progress letter by letter to a callback, which may cancel it: the
caller then rolls the transaction back, so a cancelled batch logs nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.letters.completeness import SETTING_OF_FIELD, refusal
from attendance_desk.letters.compose import PreparedLetter, compose
from attendance_desk.letters.held import hold_copy
from attendance_desk.letters.render import LetterBatch, LetterData, LetterRenderer, render_letters
from attendance_desk.letters.template_store import template_labels
from attendance_desk.letters.templates import Template
from attendance_desk.models import LetterLog, Pupil, RegGroup, User
from attendance_desk.pathway.cases import confirm_review, letter_sent, load_case, start_case
from attendance_desk.pathway.due import LetterDue, letters_due
from attendance_desk.pathway.errors import LettersError
from attendance_desk.pathway.review import Meeting, current_row
from attendance_desk.pathway.stages import pathway_preset

#: Told (letters done, letters in all) after each letter; returning False cancels the batch.
Progress = Callable[[int, int], bool]


class LetterError(LettersError):
    """Letters that cannot be sent as asked; nothing was written."""


class SendingCancelled(LetterError):
    """The progress callback cancelled the batch: roll the transaction back."""


@dataclass(frozen=True)
class SentLetter:
    """One letter as logged: its log id, a file name and the PDF."""

    log_id: int
    pupil_name: str
    recipient_name: str
    template: str
    file_name: str
    pdf: bytes
    data: LetterData
    #: Not posted: the parent's address is unknown (emailed where possible).
    held: bool = False
    upn: str = ""

    @property
    def short_name(self) -> str:
        """A name any file system takes, for when `file_name` is refused: date, UPN, log id."""
        return f"{self.data.date.isoformat()} {self.upn} letter {self.log_id}.pdf"


@dataclass(frozen=True)
class SentRow:
    """A line of the sent log, for the Letters tab (no PDF loaded)."""

    log_id: int
    sent_at: datetime
    sent_by: str
    pupil_id: int
    pupil_name: str
    recipient_name: str
    recipient_address: str
    template: str
    letter: str
    title: str
    pages: int
    #: Told apart from a namesake by registration group and date of birth.
    group: str
    date_of_birth: date


def preview_pdf(
    session: Session,
    dues: Sequence[LetterDue],
    day: date,
    *,
    printed_at: datetime,
    meetings: Mapping[str, Meeting] | None = None,
    templates: Mapping[str, Template] | None = None,
) -> bytes:
    """Every copy of `dues` in one PDF, as they would be sent; nothing is written."""
    prepared = compose(session, dues, day, meetings=meetings, templates=templates)
    return render_letters([p.data for p in prepared], printed_at=printed_at)


def _check_still_due(session: Session, dues: Sequence[LetterDue], day: date) -> None:
    keys = {(d.pupil_id, d.key) for d in dues}
    if len(keys) < len(dues):
        raise LetterError("the same letter is in the batch twice")
    current: set[tuple[int, str]] = set()
    for key in {d.pathway for d in dues}:
        current |= {(d.pupil_id, d.key) for d in letters_due(session, day, pathway_preset(key))}
    gone = [d for d in dues if (d.pupil_id, d.key) not in current]
    if gone:
        names = ", ".join(f"{d.pupil_name} ({d.label})" for d in gone)
        raise LetterError(f"no longer due, so not sent: {names}. Refresh the list.")


def _case_for(session: Session, due: LetterDue, *, day: date, user: User, now: datetime) -> int:
    """The case the letter belongs to, opened or moved to the letter's step."""
    if due.case_id is None:
        reason = due.reason[:1].upper() + due.reason[1:]
        case = start_case(
            session,
            pupil_id=due.pupil_id,
            pathway=pathway_preset(due.pathway),
            day=day,
            reason=reason,
            user=user,
            now=now,
        )
        return case.id
    if due.pending_event == "not_improved":
        confirm_review(
            session,
            case_id=due.case_id,
            improved=False,
            day=day,
            user=user,
            now=now,
            note="Confirmed by sending the next letter.",
        )
    return due.case_id


def _check_complete(prepared: Sequence[PreparedLetter]) -> None:
    """Refuse the batch when any letter would print with an empty detail, saying what to fill."""
    from_settings = {f for letter in prepared for f in letter.empty if f in SETTING_OF_FIELD}
    reason = refusal(from_settings)  # the same for every letter: said once, for all
    for letter in prepared:
        if reason:
            break
        own = [f for f in letter.empty if f not in SETTING_OF_FIELD]
        reason = refusal(own, letter=f"{letter.due.label} for {letter.due.pupil_name}")
    if reason:
        raise LetterError(reason)


def send_letters(
    session: Session,
    dues: Sequence[LetterDue],
    *,
    day: date,
    user: User,
    now: datetime,
    meetings: Mapping[str, Meeting] | None = None,
    progress: Progress | None = None,
) -> list[SentLetter]:
    """Send `dues`: a letter to every parent with PR, each logged with its PDF.

    `progress` is told after each letter; when it returns False, SendingCancelled is raised
    and the caller's transaction must be rolled back (so nothing is logged).
    """
    require(user, Permission.SEND_LETTERS)
    if not dues:
        return []
    _check_still_due(session, dues, day)
    prepared = compose(session, dues, day, meetings=meetings)
    _check_complete(prepared)
    if progress is not None and not progress(0, len(prepared)):
        raise SendingCancelled("sending cancelled: no letter was sent")
    by_due: dict[str, list[PreparedLetter]] = {}
    for copy in prepared:
        by_due.setdefault(copy.due.uid, []).append(copy)
    renderer = LetterRenderer(printed_at=now)
    sent: list[SentLetter] = []
    for due in dues:
        case = load_case(session, _case_for(session, due, day=day, user=user, now=now))
        row = current_row(case)
        if row.step != due.step or row.done_on is not None:
            raise LetterError(f"{due.pupil_name}'s case is at another step: refresh the list")
        copies = by_due[due.uid]
        for copy in copies:
            pdf = renderer.render(LetterBatch(copy.data.school_name, (copy.data,)))
            log = LetterLog(
                pupil_id=due.pupil_id,
                contact_id=copy.recipient.contact_id,
                recipient_name=copy.recipient.name,
                recipient_address=copy.recipient.address_text,
                template=due.template,
                title=copy.data.title,
                case_id=case.id,
                step_id=row.id,
                sent_at=now,
                sent_by_id=user.id,
                sent_by_name=user.full_name,
                pages=renderer.page_count,
                pdf=pdf,
            )
            session.add(log)
            session.flush()
            if copy.recipient.held:
                hold_copy(
                    session,
                    pupil_id=due.pupil_id,
                    recipient=copy.recipient,
                    data=copy.data,
                    log_id=log.id,
                    user=user,
                    now=now,
                )
            audit.record(
                session,
                user=user,
                now=now,
                action="send",
                entity="letter",
                entity_id=log.id,
                pupil_id=due.pupil_id,
                template=due.template,
                to=copy.recipient.name,
            )
            sent.append(
                SentLetter(
                    log.id,
                    due.pupil_name,
                    copy.recipient.name,
                    due.template,
                    copy.file_name,
                    pdf,
                    copy.data,
                    copy.recipient.held,
                    due.upn,
                )
            )
            if progress is not None and not progress(len(sent), len(prepared)):
                raise SendingCancelled("sending cancelled: no letter was sent")
        letter_sent(session, case=case, day=day, user=user, now=now, meeting=copies[0].meeting)
    return sent


def batch_pdf(sent: Sequence[SentLetter], *, printed_at: datetime) -> bytes:
    """The letters just sent in one PDF, for printing in one go (held copies left out: they
    have no address to post to)."""
    return render_letters([s.data for s in sent if not s.held], printed_at=printed_at)


def sent_log(session: Session, *, pupil_id: int | None = None, limit: int = 500) -> list[SentRow]:
    """The most recent letters sent, newest first (the PDFs are not loaded)."""
    query = (
        select(LetterLog, Pupil, RegGroup.name)
        .join(Pupil, Pupil.id == LetterLog.pupil_id)
        .join(Pupil.reg_group)
        .order_by(LetterLog.sent_at.desc(), LetterLog.id.desc())
        .limit(limit)
    )
    if pupil_id is not None:
        query = query.where(LetterLog.pupil_id == pupil_id)
    labels = template_labels(session)
    return [
        SentRow(
            log.id,
            log.sent_at,
            log.sent_by_name,
            pupil.id,
            pupil.display_name,
            log.recipient_name,
            log.recipient_address,
            log.template,
            labels.get(log.template, log.template),
            log.title,
            log.pages,
            group,
            pupil.date_of_birth,
        )
        for log, pupil, group in session.execute(query)
    ]


def stored_pdf(session: Session, log_id: int) -> bytes:
    """A sent letter's PDF, for looking at on screen."""
    log = session.get(LetterLog, log_id)
    if log is None:
        raise LetterError(f"there is no sent letter {log_id}")
    return log.pdf


def reprint(session: Session, *, log_id: int, user: User, now: datetime) -> bytes:
    """The PDF exactly as it was sent; the re-print is audited."""
    log = session.get(LetterLog, log_id)
    if log is None:
        raise LetterError(f"there is no sent letter {log_id}")
    audit.record(
        session,
        user=user,
        now=now,
        action="reprint",
        entity="letter",
        entity_id=log.id,
        pupil_id=log.pupil_id,
    )
    return log.pdf
