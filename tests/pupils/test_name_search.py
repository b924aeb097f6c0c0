"""Name search ignores accents, apostrophe styles and case, the same way everywhere."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from attendance_desk.desk.late_desk import find_pupils
from attendance_desk.interop.csv_contacts import same_name as import_same_name
from attendance_desk.pupils import directory as pupil_directory
from attendance_desk.pupils.name_search import fold, matches, same_name, search_words
from tests.helpers.builders import add_pupil, build_school

TODAY = date(2025, 9, 12)


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Wójcik", "wojcik"),
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("  Łukasz   Żółć-Nowak ", "lukasz zolcnowak"),
        ("Straße", "strasse"),
        ("Ødegård", "odegard"),
    ],
)
def test_fold_makes_plain_ascii(written: str, folded: str) -> None:
    """Accents become their letters, apostrophes and hyphens go, spaces are single."""
    assert fold(written) == folded


def test_both_apostrophes_and_none_find_obrien() -> None:
    """ "obrien", "O'Brien" and "O’Brien" (a phone's curly apostrophe) all match O'Brien."""
    for typed in ("obrien", "O'Brien", "O’Brien", "o’b"):
        assert matches(search_words(typed), "Siobhan", "O'Brien"), typed
    assert not matches(search_words("obrian"), "O'Brien")


def test_same_name_is_what_the_import_matches_with() -> None:
    """The contacts import matches Wojcik to Wójcik, and only through the shared fold."""
    assert same_name("Anna Wójcik", "anna  WOJCIK")
    assert import_same_name("Anna Wójcik", "anna  WOJCIK")
    assert import_same_name("Sean O’Brien", "Sean O'Brien")
    assert not import_same_name("Anna Wójcik", "Anne Wójcik")


@pytest.fixture
def pupils(session: Session) -> Session:
    build_school(session)
    add_pupil(session, 1, surname="Wójcik", forename="Kuba", group="3A")
    add_pupil(session, 2, surname="O'Brien", forename="Siobhán", group="3B")
    add_pupil(session, 3, surname="Smith", forename="Amy", group="3A")
    session.commit()
    return session


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("wojcik", ["Kuba Wójcik"]),
        ("WÓJ", ["Kuba Wójcik"]),
        ("obrien", ["Siobhán O'Brien"]),
        ("O’Brien", ["Siobhán O'Brien"]),
        ("siobhan 3b", ["Siobhán O'Brien"]),
        ("smith", ["Amy Smith"]),
    ],
)
def test_pupils_tab_search_folds(pupils: Session, typed: str, found: list[str]) -> None:
    """The Pupils tab's search finds Wójcik and O'Brien however they are typed."""
    rows = pupil_directory.list_pupils(pupils, today=TODAY, search=typed)
    assert [r.name for r in rows] == found


@pytest.mark.parametrize(
    ("typed", "found"),
    [("woj", ["Kuba Wójcik"]), ("obr", ["Siobhán O'Brien"]), ("o’b", ["Siobhán O'Brien"])],
)
def test_late_desk_search_folds(pupils: Session, typed: str, found: list[str]) -> None:
    """The late desk (and the pickers, which use it) find a name from its folded start."""
    matched = find_pupils(pupils, typed, datetime(2025, 9, 12, 9, 10))
    assert [m.name for m in matched] == found
