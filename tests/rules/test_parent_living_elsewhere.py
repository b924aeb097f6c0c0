"""A parent with parental responsibility who does not live with the child, and whose address
is not on file, is never written to at the child's home.

docs/rules.md#letter-recipients: letters go to both parents with parental responsibility, each at
their own address. Posting one parent's copy to the child's home hands it to another
household (and may tell a parent's whereabouts, or a court-ordered matter, to the other).
So the copy is held ("address unknown"), emailed where the parent has an email address, and
the worklist says "Find an address for …" until someone does.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from attendance_desk.catalogues.action_kinds import ActionKind
from attendance_desk.followup.rules import raise_actions
from attendance_desk.letters.files import write_batch
from attendance_desk.letters.recipients import HELD_ADDRESS, recipients
from attendance_desk.letters.sending import send_letters
from attendance_desk.models import Contact, LetterLog, OutboxMessage, Pupil
from attendance_desk.pathway.due import letters_due
from tests.letters.scenarios import LETTER_DAY, at, attend
from tests.printing.pdftext import pages
from tests.rules.conftest import School

HOME = "12 Elm Road, Sparkhill, Birmingham B11 3XY"


def family(school: School) -> tuple[Pupil, Contact]:
    """Amy lives with her mother at 12 Elm Road; her father (PR) lives elsewhere, address
    unknown, email david@example.org."""
    amy = school.pupil(1, surname="Adams", forename="Amy")
    amy.address = HOME
    father = amy.contacts[1]
    father.lives_with, father.email = False, "david@example.org"
    school.session.flush()
    return amy, father


def test_no_copy_to_the_childs_home(school: School) -> None:
    """The mother's copy goes home; the father's is held with no address at all."""
    amy, _ = family(school)
    mother, father = recipients(amy)
    assert mother.address_text == "12 Elm Road, Sparkhill, BIRMINGHAM, B11 3XY"
    assert father.held and father.address_lines == () and father.address_text == HELD_ADDRESS
    assert father.email == "david@example.org"


def test_held_copy_is_emailed_logged_and_left_out_of_the_print_run(
    school: School, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Letter A on Monday 29 September: two copies logged; the father's says "address
    unknown", goes to the outbox as an email with the letter's text, and is not in the
    print-all PDF the office posts."""
    amy, _ = family(school)
    session = school.session
    attend(session, amy, school.office, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    sent = send_letters(
        session,
        letters_due(session, LETTER_DAY),
        day=LETTER_DAY,
        user=school.office,
        now=at(LETTER_DAY, 10),
    )
    logs = session.scalars(select(LetterLog).order_by(LetterLog.id)).all()
    assert [log.recipient_address for log in logs] == [
        "12 Elm Road, Sparkhill, BIRMINGHAM, B11 3XY",
        HELD_ADDRESS,
    ]
    email = session.scalars(select(OutboxMessage)).one()
    assert (email.channel, email.recipient) == ("email", "david@example.org")
    assert email.body.startswith("Dear David Adams,") and "Amy" in email.body
    written = write_batch(tmp_path, sent, printed_at=at(LETTER_DAY, 10))
    assert written[1].name.endswith("to David Adams - HELD address unknown.pdf")
    print_all = pages(written[-1].read_bytes())
    assert (
        len(print_all) == 1 and "Sarah Adams" in print_all[0] and "David Adams" not in print_all[0]
    )


def test_find_an_address_is_on_the_worklist(school: School) -> None:
    """The worklist asks the office to find the father's address, naming him."""
    family(school)
    found = [
        a
        for a in raise_actions(
            school.session, day=date(2025, 9, 8), user=school.office, now=datetime(2025, 9, 8, 9)
        )
        if a.kind == ActionKind.FIND_ADDRESS
    ]
    assert len(found) == 1 and found[0].detail.startswith("Find an address for David Adams (Father")
