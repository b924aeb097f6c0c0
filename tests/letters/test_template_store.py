"""The school's own letter wording: saved checked, audited, in history, printed everywhere."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.commands.letters import letters_command
from attendance_desk.commands.login import Login
from attendance_desk.letters import template_store as store
from attendance_desk.letters.evidence import evidence_pdf
from attendance_desk.letters.sending import SendingCancelled, preview_pdf, send_letters, sent_log
from attendance_desk.letters.template_preview import preview_template, sample_for
from attendance_desk.letters.templates import TemplateError
from attendance_desk.models import AuditEvent, LetterLog, LetterTemplateVersion, User
from attendance_desk.pathway.due import letters_due
from tests.helpers.builders import add_pupil, add_staff, build_school
from tests.letters.scenarios import LETTER_DAY, at, attend, give_addresses
from tests.printing.pdftext import pages

NEW_WORDS = "Our new wording asks you to ring Mrs Khan about attendance."


def reworded(name: str = "letter_a", words: str = NEW_WORDS) -> str:
    """The standard text with one paragraph added after the greeting."""
    text = store.standard_text(name)
    return text.replace("Dear {salutation},\n", f"Dear {{salutation}},\n\n{words}\n", 1)


def flat(pdf: bytes) -> str:
    return " ".join(" ".join(pages(pdf)).split())


def below_target(session: Session, user: User, pupil: object) -> None:
    attend(session, pupil, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)  # type: ignore[arg-type]


def test_standard_text_until_the_school_saves_its_own(school: tuple) -> None:
    """No rows: the file's text; after a save: the school's, with who and when."""
    session, user, _ = school
    before = store.current_text(session, "letter_a")
    assert not before.own and before.label == "Letter A"
    assert before.text == store.standard_text("letter_a")
    store.save_text(session, name="letter_a", text=reworded(), user=user, now=at(LETTER_DAY))
    after = store.current_text(session, "letter_a")
    assert after.own and after.text == reworded()
    assert after.saved_by == "School office" and after.saved_at == at(LETTER_DAY)
    assert not store.current_text(session, "letter_b").own


def test_unknown_field_is_refused_with_its_line_and_nothing_saved(school: tuple) -> None:
    """A misspelt field names the field and line; no row, no audit event."""
    session, user, _ = school
    text = reworded(words="Attendance was {atendance_pct}.")
    line = text.splitlines().index("Attendance was {atendance_pct}.") + 1
    with pytest.raises(
        TemplateError, match=rf"letter_a:{line}: unknown merge field \{{atendance_pct\}}"
    ):
        store.save_text(session, name="letter_a", text=text, user=user, now=at(LETTER_DAY))
    assert session.scalar(select(func.count()).select_from(LetterTemplateVersion)) == 0
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "letter_template")
        )
        == 0
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("label: X\ntitle: T\nDear", "no '---' line"),
        ("label: X\ntitle: T\n---\nA {brace\n", r"letter_a:4: .*write \{\{ and \}\}"),
        ("label: X\ntitle: T\n---\n[table]\n", r"letter_a:4: unknown \[table\]"),
    ],
)
def test_broken_syntax_is_refused(school: tuple, text: str, message: str) -> None:
    """Broken syntax is refused with the line; the standard wording stays in use."""
    session, user, _ = school
    with pytest.raises(TemplateError, match=message):
        store.save_text(session, name="letter_a", text=text, user=user, now=at(LETTER_DAY))
    assert not store.current_text(session, "letter_a").own


def test_unknown_template_and_unchanged_text_are_refused(school: tuple) -> None:
    """Only the shipped letters can be reworded; saving the same words again is refused."""
    session, user, _ = school
    with pytest.raises(store.TemplateStoreError, match="no letter template called 'letter_z'"):
        store.save_text(session, name="letter_z", text=reworded(), user=user, now=at(LETTER_DAY))
    with pytest.raises(store.TemplateStoreError, match="unchanged"):
        store.save_text(
            session,
            name="letter_a",
            text=store.standard_text("letter_a"),
            user=user,
            now=at(LETTER_DAY),
        )
    with pytest.raises(store.TemplateStoreError, match="already has the standard wording"):
        store.revert_to_standard(session, name="letter_a", user=user, now=at(LETTER_DAY))


def test_receptionist_may_not_edit(school: tuple) -> None:
    """Editing wording is for those who send letters; a receptionist is refused."""
    session, _, _ = school
    staff = add_staff(session, pat="admin", rita="receptionist", olu="attendance_officer")
    with pytest.raises(NotAllowed, match="Rita cannot do that"):
        store.save_text(
            session, name="letter_a", text=reworded(), user=staff["rita"], now=at(LETTER_DAY)
        )
    with pytest.raises(NotAllowed):
        store.revert_to_standard(session, name="letter_a", user=staff["rita"], now=at(LETTER_DAY))
    store.save_text(
        session, name="letter_a", text=reworded(), user=staff["olu"], now=at(LETTER_DAY)
    )
    assert store.current_text(session, "letter_a").saved_by == "Olu"


def test_save_and_revert_are_audited_and_kept_in_history(school: tuple) -> None:
    """Two saves and a revert: three rows newest first, each with an audit event."""
    session, user, _ = school
    first, second = at(LETTER_DAY, 9), at(LETTER_DAY, 10)
    store.save_text(session, name="letter_a", text=reworded(), user=user, now=first)
    store.save_text(
        session, name="letter_a", text=reworded(words="Second go."), user=user, now=second
    )
    back = store.revert_to_standard(session, name="letter_a", user=user, now=at(LETTER_DAY, 11))
    assert not back.own and back.text == store.standard_text("letter_a")
    versions = store.history(session, "letter_a")
    assert [(v.saved_at.hour, v.own) for v in versions] == [(11, False), (10, True), (9, True)]
    assert "Second go." in (versions[1].text or "")
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "letter_template").order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["edit", "edit", "revert"]
    assert [e.entity_id for e in events] == [v.id for v in reversed(versions)]
    assert json.loads(events[0].detail)["template"] == "letter_a"


def test_edited_wording_is_sent_and_revert_brings_back_the_standard(school: tuple) -> None:
    """The PDF sent (and logged) has the school's words; after a revert the preview has not."""
    session, user, amy = school
    below_target(session, user, amy)
    store.save_text(
        session,
        name="letter_a",
        text=reworded().replace("label: Letter A", "label: First letter"),
        user=user,
        now=at(LETTER_DAY, 8),
    )
    due = letters_due(session, LETTER_DAY)
    sent = send_letters(session, due, day=LETTER_DAY, user=user, now=at(LETTER_DAY))
    assert len(sent) == 2
    for letter in sent:
        text = flat(letter.pdf)
        assert NEW_WORDS in text and "Every day in school matters" in text
        assert "Dear Sarah Adams" in text or "Dear David Adams" in text
    stored = session.scalars(select(LetterLog.pdf)).all()
    assert all(NEW_WORDS in flat(pdf) for pdf in stored)
    assert {row.letter for row in sent_log(session)} == {"First letter"}
    pack = flat(
        evidence_pdf(session, pupil_id=amy.id, day=LETTER_DAY, user=user, now=at(LETTER_DAY))
    )
    assert "First letter: Amy's attendance at school" in pack

    store.revert_to_standard(session, name="letter_a", user=user, now=at(LETTER_DAY, 12))
    day = date(2025, 9, 29)
    other = add_pupil(session, 2, surname="Bell", forename="Ben")
    below_target(session, user, other)
    again = preview_pdf(session, letters_due(session, day), day, printed_at=at(day))
    assert NEW_WORDS not in flat(again) and "Every day in school matters" in flat(again)


def test_letters_command_prints_the_edited_wording(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """`attendance-desk letters` writes the school's wording into every PDF."""
    with factory() as session:
        _, user = build_school(session)
        amy = add_pupil(session, 1, surname="Adams", forename="Amy")
        give_addresses(amy)
        below_target(session, user, amy)
        store.save_text(session, name="letter_a", text=reworded(), user=user, now=at(LETTER_DAY, 8))
        alex = add_staff(session, pat="admin", alex="attendance_officer")["alex"]
        session.commit()
    assert letters_command(factory, LETTER_DAY, tmp_path, login=Login(alex.id, "alex")) == 0
    files = sorted(tmp_path.glob("*.pdf"))
    assert len(files) == 3 and all(NEW_WORDS in flat(f.read_bytes()) for f in files)


def test_cancelling_the_progress_logs_nothing(
    factory: sessionmaker[Session], school: tuple
) -> None:
    """Progress counts every copy; returning False part-way raises and the rollback keeps none."""
    session, user, amy = school
    below_target(session, user, amy)
    session.commit()
    seen: list[tuple[int, int]] = []

    def stop_after_first(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 1

    due = letters_due(session, LETTER_DAY)
    with pytest.raises(SendingCancelled, match="no letter was sent"):
        send_letters(
            session, due, day=LETTER_DAY, user=user, now=at(LETTER_DAY), progress=stop_after_first
        )
    session.rollback()
    assert seen == [(0, 2), (1, 2)]
    assert session.scalar(select(func.count()).select_from(LetterLog)) == 0
    counted: list[tuple[int, int]] = []
    send_letters(
        session,
        letters_due(session, LETTER_DAY),
        day=LETTER_DAY,
        user=user,
        now=at(LETTER_DAY),
        progress=lambda done, total: counted.append((done, total)) is None,
    )
    assert counted == [(0, 2), (1, 2), (2, 2)]
    assert session.scalar(select(func.count()).select_from(LetterLog)) == 2


def test_preview_uses_the_first_due_letter_or_a_made_up_family(school: tuple) -> None:
    """With a letter due the preview is that pupil's; without one, the Sample family's."""
    session, user, amy = school
    made_up = sample_for(session, LETTER_DAY)
    assert made_up.made_up
    pdf = preview_template(
        session,
        made_up,
        name="letter_b",
        text=store.standard_text("letter_b"),
        day=LETTER_DAY,
        printed_at=datetime(2025, 9, 29, 9),
    )
    text = flat(pdf)
    assert "Dear Alex Sample (sample parent)" in text and "Sam Sample" in text
    below_target(session, user, amy)
    real = sample_for(session, LETTER_DAY)
    assert not real.made_up and real.recipient.name == "Sarah Adams"
    text = flat(
        preview_template(
            session,
            real,
            name="letter_a",
            text=reworded(),
            day=LETTER_DAY,
            printed_at=at(LETTER_DAY),
        )
    )
    assert "Dear Sarah Adams" in text and NEW_WORDS in text and "Amy attended 70.6%" in text
