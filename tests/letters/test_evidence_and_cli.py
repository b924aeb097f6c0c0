"""The evidence pack gathers every kind of evidence; the letters command writes and logs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.commands.letters import letters_command
from attendance_desk.commands.login import Login
from attendance_desk.desk.calls import log_attempt
from attendance_desk.letters.evidence import evidence_pdf
from attendance_desk.letters.penalties import issue_penalty_notice
from attendance_desk.letters.sending import send_letters
from attendance_desk.models import LetterLog, SafeAndWellCheck, User
from attendance_desk.pathway.cases import open_case_of, record_event
from attendance_desk.pathway.due import letters_due
from attendance_desk.pathway.stages import pathway_preset
from tests.helpers.builders import add_pupil, add_staff, build_school
from tests.letters.scenarios import LETTER_DAY, at, attend, give_addresses
from tests.printing.pdftext import pages


def test_evidence_pack_has_calls_letters_visits_meetings_and_notices(school: tuple) -> None:
    """One PDF lists each call, letter, visit, meeting and penalty notice with its date."""
    session, user, amy = school
    attend(session, amy, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    log_attempt(
        session,
        pupil_id=amy.id,
        contact_id=amy.contacts[0].id,
        outcome="no_answer",
        user=user,
        now=datetime(2025, 9, 22, 9, 40),
    )
    session.add(
        SafeAndWellCheck(
            pupil_id=amy.id,
            episode_first_day=date(2025, 9, 22),
            episode_day=3,
            started_at=datetime(2025, 9, 24, 9, 0),
            started_by="DSL",
            staff_one="J Patel",
            staff_two="K Doyle",
            visited_at=datetime(2025, 9, 24, 11, 15),
            outcome="seen_safe",
            letter_left=False,
        )
    )
    send_letters(
        session, letters_due(session, LETTER_DAY), day=LETTER_DAY, user=user, now=at(LETTER_DAY)
    )
    attend(session, amy, user, date(2025, 9, 29), date(2025, 11, 3), absent_every=5)
    day = date(2025, 11, 4)
    send_letters(session, letters_due(session, day), day=day, user=user, now=at(day))
    case = open_case_of(session, amy.id)
    assert case is not None
    record_event(
        session,
        case_id=case.id,
        event="held",
        day=date(2025, 11, 11),
        user=user,
        now=at(date(2025, 11, 11)),
    )
    issue_penalty_notice(
        session,
        pupil_id=amy.id,
        contact_id=amy.contacts[1].id,
        day=date(2025, 11, 12),
        rules=pathway_preset("default").penalties,
        user=user,
        now=at(date(2025, 11, 12)),
    )
    staff = add_staff(session, pat="admin", dana="dsl", alex="attendance_officer")

    def pack(reader: User) -> str:
        pdf = evidence_pdf(
            session,
            pupil_id=amy.id,
            day=date(2025, 11, 13),
            user=reader,
            now=at(date(2025, 11, 13)),
        )
        return " ".join(" ".join(pages(pdf)).split())

    text = pack(staff["dana"])
    office_copy = pack(staff["alex"])
    assert "Enquiries 24/09/2025 11:15 — Details are restricted to the DSL" in office_copy
    assert "J Patel" not in office_copy and "seen and safe" not in office_copy
    assert "Attendance evidence pack" in text and "Amy Adams" in text
    assert "Staged letters A to E: Stage 1, Low-level action plan agreed" in text
    assert (
        "Calls, texts and emails (1) " in text
        and "22/09/2025 09:40 Sarah Adams (Mother) No answer" in text
    )
    assert (
        "Letters sent (4)" in text
        and "29/09/2025 09:00 Letter A: Amy's attendance at school David Adams" in text
    )
    assert (
        "Home visits (1) " in text
        and "24/09/2025 11:15 J Patel and K Doyle Child seen and safe" in text
    )
    assert "Meetings (1) " in text
    assert "11/11/2025 15:30 Informal meeting with school (the school office) Meeting held" in text
    assert "Plans, monitoring and contracts (1)" in text
    assert "Penalty notices (1) " in text
    assert "12/11/2025 David Adams £160 (first notice) unpaid" in text


def test_letters_command_writes_one_pdf_per_letter(
    tmp_path: Path, factory: sessionmaker[Session]
) -> None:
    """Files named by date, pupil, letter and parent; each logged; none due says so."""
    with factory() as session:
        _, user = build_school(session)
        amy = add_pupil(session, 1, surname="Adams", forename="Amy")
        ben = add_pupil(session, 2, surname="Brown", forename="Ben")
        ben.contacts[1].parental_responsibility = False
        give_addresses(amy)
        for pupil in (amy, ben):
            attend(session, pupil, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
        alex = add_staff(session, pat="admin", alex="attendance_officer")["alex"]
        session.commit()
    login = Login(alex.id, alex.username)
    out = tmp_path / "letters"
    assert letters_command(factory, LETTER_DAY, out, login=login) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "2025-09-29 Amy Adams F201200018001 - Letter A - to David Adams.pdf",
        "2025-09-29 Amy Adams F201200018001 - Letter A - to Sarah Adams.pdf",
        "2025-09-29 Ben Brown V201200018002 - Letter A - to Sarah Brown.pdf",
        "Letters 2025-09-29 - print all.pdf",
    ]
    assert len(pages((out / "Letters 2025-09-29 - print all.pdf").read_bytes())) == 3
    assert (
        "Dear Sarah Brown,"
        in pages(
            (
                out / "2025-09-29 Ben Brown V201200018002 - Letter A - to Sarah Brown.pdf"
            ).read_bytes()
        )[0]
    )
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(LetterLog)) == 3
        assert set(session.scalars(select(LetterLog.sent_by_name))) == {"Alex"}
    assert letters_command(factory, LETTER_DAY, out, login=login) == 0  # sent: nothing more
    assert len(list(out.iterdir())) == 4
