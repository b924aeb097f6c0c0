"""Letters greet parents by title and surname, and are refused while a detail is empty."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from attendance_desk.letters.salutation import salutation, surname_of
from attendance_desk.letters.sending import LetterError, send_letters
from attendance_desk.models import LetterLog
from attendance_desk.pathway.due import letters_due
from attendance_desk.school import settings
from tests.letters.scenarios import LETTER_DAY, at, attend
from tests.printing.pdftext import pages


@pytest.mark.parametrize(
    ("name", "title", "greeting"),
    [
        ("Joanna Dudek", "Ms", "Ms Dudek"),
        ("Joanna Dudek", "Dr.", "Dr Dudek"),
        ("Joanna Dudek", None, "Joanna Dudek"),
        ("Joanna Dudek", "  ", "Joanna Dudek"),
        ("Anna van der Berg", "Mrs", "Mrs van der Berg"),
        ("Madonna", "Ms", "Madonna"),
    ],
)
def test_salutation(name: str, title: str | None, greeting: str) -> None:
    """Title and surname when the title is known; otherwise the name as it is."""
    assert salutation(name, title) == greeting


def test_surname_keeps_its_particles() -> None:
    """ "De Souza" and "van der Berg" stay whole; a plain name gives its last word."""
    assert surname_of("Maria De Souza") == "De Souza"
    assert surname_of("Sarah Jane Adams") == "Adams"


def test_letter_says_dear_ms_dudek_and_addresses_ms_joanna_dudek(school: tuple) -> None:
    """With a title the letter opens "Dear Ms Dudek," and the window shows "Ms Joanna Dudek";
    the parent without one is greeted by full name."""
    session, user, amy = school
    amy.contacts[0].name, amy.contacts[0].title = "Joanna Dudek", "Ms"
    attend(session, amy, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    sent = send_letters(
        session, letters_due(session, LETTER_DAY), day=LETTER_DAY, user=user, now=at(LETTER_DAY)
    )
    mother, father = (pages(s.pdf)[0] for s in sent)
    assert "Dear Ms Dudek," in mother and "Ms Joanna Dudek" in mother
    assert "Dear David Adams," in father


@pytest.mark.parametrize(
    ("option", "named"),
    [
        (settings.SIGNATORY_NAME, "Settings → Letters signed by"),
        (settings.LETTERHEAD_ADDRESS, "Settings → School address on letters"),
        (settings.LETTERHEAD_CONTACT, "Settings → Telephone and email on letters"),
    ],
)
def test_a_letter_with_an_empty_setting_is_refused_naming_it(
    school: tuple, option: settings.Option[str], named: str
) -> None:
    """Emptying a letterhead or signature setting refuses the batch, names the setting, and
    logs nothing."""
    session, user, amy = school
    settings.put(session, option, "", user=user, now=at(LETTER_DAY))
    attend(session, amy, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    with pytest.raises(LetterError, match=named):
        send_letters(
            session,
            letters_due(session, LETTER_DAY),
            day=LETTER_DAY,
            user=user,
            now=at(LETTER_DAY),
        )
    assert session.scalar(select(func.count()).select_from(LetterLog)) == 0
