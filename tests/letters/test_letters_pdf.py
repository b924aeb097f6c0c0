"""Letters read back from the PDF: right parent, address, pupil, figures and wording."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from attendance_desk.letters.compose import compose
from attendance_desk.letters.render import render_letters
from attendance_desk.letters.sending import preview_pdf, send_letters
from attendance_desk.models import User
from attendance_desk.pathway.due import letters_due
from attendance_desk.school import settings
from tests.letters.scenarios import LETTER_DAY, at, attend
from tests.printing.pdftext import page_sizes_mm, pages


def poor(session: Session, user: User, pupil: object) -> None:
    attend(session, pupil, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)  # type: ignore[arg-type]


def letterhead(session: Session, user: User) -> None:
    now = at(LETTER_DAY)
    for option, value in (
        (settings.LETTERHEAD_ADDRESS, "1 School Lane\nSparkhill, Birmingham B11 4AA"),
        (settings.LETTERHEAD_CONTACT, "0121 496 0000 · office@hillside.example"),
        (settings.LETTERHEAD_FOOTER, "Headteacher: Mrs J Patel"),
        (settings.SIGNATORY_NAME, "Karen Doyle"),
    ):
        settings.put(session, option, value, user=user, now=now)


def test_one_letter_per_parent_with_pr_each_at_their_address(school: tuple) -> None:
    """Both parents have PR: two letters, each to that parent at their own address."""
    session, user, amy = school
    poor(session, user, amy)
    letterhead(session, user)
    pdf = preview_pdf(
        session, letters_due(session, LETTER_DAY), LETTER_DAY, printed_at=at(LETTER_DAY)
    )
    mother, father = pages(pdf)
    assert page_sizes_mm(pdf) == [(210, 297)] * 2
    assert "Sarah Adams\n12 Elm Road\nSparkhill\nBIRMINGHAM\nB11 3XY" in mother
    assert "Dear Sarah Adams," in mother and "David" not in mother
    assert "David Adams\nFlat 4\n88 Stratford Road\nSparkbrook\nBIRMINGHAM\nB11 1AN" in father
    assert "Dear David Adams," in father
    for page in (mother, father):
        assert "Hillside Primary" in page and "1 School Lane, Sparkhill, Birmingham B11 4AA" in page
        assert "29 September 2025" in page and "Amy Adams" in page and "Year 3 (3A)" in page
        assert "Amy attended 70.6% of sessions" in page
        flat = " ".join(page.split())
        assert "The school's attendance target is 96%" in flat
        assert "This school year so far 3 Sep to 26 Sep 2025 34 24 10 10 70.6%" in flat
        assert "Every day in school matters" in page  # the template's own words
        assert "Karen Doyle\nAttendance Officer" in page
        assert "Headteacher: Mrs J Patel" in page and "Page 1 of 1" in page


def test_only_parents_with_pr_get_a_letter(school: tuple) -> None:
    """A father without parental responsibility gets no copy; the mother does."""
    session, user, amy = school
    amy.contacts[1].parental_responsibility = False
    poor(session, user, amy)
    (letter,) = compose(session, letters_due(session, LETTER_DAY), LETTER_DAY)
    assert letter.recipient.name == "Sarah Adams"


def test_do_not_contact_and_address_fallback(school: tuple) -> None:
    """A parent under a no-contact order gets nothing; no address of their own uses the pupil's."""
    session, user, amy = school
    amy.address = "3 Oak Way, Hall Green, Birmingham B28 9QQ"
    amy.contacts[0].do_not_contact = True
    amy.contacts[1].address = None
    poor(session, user, amy)
    (letter,) = compose(session, letters_due(session, LETTER_DAY), LETTER_DAY)
    assert letter.recipient.name == "David Adams"
    assert letter.data.address_lines == ("3 Oak Way", "Hall Green", "BIRMINGHAM", "B28 9QQ")


def test_meeting_letter_prints_the_meeting(school: tuple) -> None:
    """Letter B prints the proposed meeting's date, time and place, and its own wording."""
    session, user, amy = school
    poor(session, user, amy)
    send_letters(
        session, letters_due(session, LETTER_DAY), day=LETTER_DAY, user=user, now=at(LETTER_DAY)
    )
    attend(session, amy, user, date(2025, 9, 29), date(2025, 11, 3), absent_every=5)
    day = date(2025, 11, 4)
    text = pages(preview_pdf(session, letters_due(session, day), day, printed_at=at(day)))[0]
    assert "Invitation to a meeting about Amy's attendance" in text
    assert "Tuesday 11 November 2025" in text and "3.30pm" in text and "the school office" in text
    assert "Review period 30 Sep to 3 Nov 2025" in " ".join(text.split())


def test_batch_numbers_pages_per_letter(school: tuple) -> None:
    """A long letter runs on; in a batch each letter counts its own pages."""
    session, user, amy = school
    poor(session, user, amy)
    first, second = compose(session, letters_due(session, LETTER_DAY), LETTER_DAY)
    long = replace(first.data, blocks=first.data.blocks[:-1] * 4 + first.data.blocks[-1:])
    *long_pages, last = pages(render_letters([long, second.data], printed_at=at(LETTER_DAY)))
    count = len(long_pages)
    assert count > 1
    for number, text in enumerate(long_pages, start=1):
        assert f"Page {number} of {count}" in text
        assert ("Amy Adams · 29 September 2025 · continued" in text) == (number > 1)
    assert "Dear David Adams," in last and "Page 1 of 1" in last


def test_names_with_ampersands_print_as_typed(school: tuple) -> None:
    """A name that looks like markup is printed, not interpreted."""
    session, user, amy = school
    amy.contacts[0].name = "Sarah Adams & <Partner>"
    poor(session, user, amy)
    letters = compose(session, letters_due(session, LETTER_DAY), LETTER_DAY)
    text = pages(render_letters([letters[0].data], printed_at=at(LETTER_DAY)))[0]
    assert "Dear Sarah Adams & <Partner>," in text
