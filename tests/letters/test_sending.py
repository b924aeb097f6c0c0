"""Sending: one logged letter per parent with the PDF kept, the case opened, re-prints."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from attendance_desk.letters.sending import LetterError, batch_pdf, reprint, send_letters, sent_log
from attendance_desk.models import AuditEvent, LetterLog
from attendance_desk.pathway.cases import open_case_of
from attendance_desk.pathway.due import letters_due
from tests.letters.scenarios import LETTER_DAY, at, attend
from tests.printing.pdftext import pages


def test_sending_logs_each_copy_and_opens_the_case(school: tuple) -> None:
    """Two copies logged with who, when, to whom, which template and the PDF; Stage 1 opens."""
    session, user, amy = school
    attend(session, amy, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    sent = send_letters(
        session, letters_due(session, LETTER_DAY), day=LETTER_DAY, user=user, now=at(LETTER_DAY, 10)
    )
    session.commit()
    assert [s.recipient_name for s in sent] == ["Sarah Adams", "David Adams"]
    assert [s.file_name for s in sent] == [
        "2025-09-29 Amy Adams F201200018001 - Letter A - to Sarah Adams.pdf",
        "2025-09-29 Amy Adams F201200018001 - Letter A - to David Adams.pdf",
    ]
    rows = sent_log(session)
    assert {(r.recipient_name, r.template, r.sent_by, r.sent_at, r.pages) for r in rows} == {
        ("Sarah Adams", "letter_a", "School office", at(LETTER_DAY, 10), 1),
        ("David Adams", "letter_a", "School office", at(LETTER_DAY, 10), 1),
    }
    stored = session.scalars(select(LetterLog).order_by(LetterLog.id)).all()
    assert [log.pdf for log in stored] == [s.pdf for s in sent]
    assert "Dear Sarah Adams," in pages(stored[0].pdf)[0]
    assert (
        stored[1].recipient_address == "Flat 4, 88 Stratford Road, Sparkbrook, BIRMINGHAM, B11 1AN"
    )
    case = open_case_of(session, amy.id)
    assert case is not None and (case.state, case.stage) == ("letter_a", 1)
    assert case.steps[0].done_on == LETTER_DAY and stored[0].step_id == case.steps[0].id
    sends = session.scalar(select(func.count()).where(AuditEvent.action == "send"))
    assert sends == 2
    assert len(pages(batch_pdf(sent, printed_at=at(LETTER_DAY)))) == 2


def test_a_letter_is_sent_once(school: tuple) -> None:
    """Sending the same due letter again (a second PC, a stale list) is refused, nothing written."""
    session, user, amy = school
    attend(session, amy, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    due = letters_due(session, LETTER_DAY)
    send_letters(session, due, day=LETTER_DAY, user=user, now=at(LETTER_DAY))
    with pytest.raises(LetterError, match=r"no longer due, so not sent: Amy Adams \(Letter A"):
        send_letters(session, due, day=LETTER_DAY, user=user, now=at(LETTER_DAY))
    assert session.scalar(select(func.count()).select_from(LetterLog)) == 2


def test_reprint_is_the_stored_pdf_and_is_audited(school: tuple) -> None:
    """Re-printing gives back the letter as sent, byte for byte, and leaves an audit row."""
    session, user, amy = school
    attend(session, amy, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    first, _ = send_letters(
        session, letters_due(session, LETTER_DAY), day=LETTER_DAY, user=user, now=at(LETTER_DAY)
    )
    again = reprint(session, log_id=first.log_id, user=user, now=at(date(2025, 10, 6)))
    assert again == first.pdf
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "reprint"))
    assert event is not None and event.entity_id == first.log_id
    with pytest.raises(LetterError, match="no sent letter 999"):
        reprint(session, log_id=999, user=user, now=at(LETTER_DAY))
