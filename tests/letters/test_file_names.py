"""Letter file names: capped in bytes, date and UPN kept; a long name never fails a batch."""

from __future__ import annotations

import errno
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.commands.letters import letters_command
from attendance_desk.commands.login import Login
from attendance_desk.file_names import MAX_BYTES, capped_name, cut_to_bytes, fit_parts
from attendance_desk.letters import files
from attendance_desk.models import LetterLog
from tests.helpers.builders import add_pupil, add_staff, build_school, make_upn
from tests.letters.scenarios import LETTER_DAY, attend
from tests.printing.pdftext import pages

#: 127 two-byte letters and one more: exactly 255 bytes in UTF-8, 128 characters.
LONG_NAME = "Ż" * 127 + "a"


def test_long_name_is_exactly_255_bytes() -> None:
    """The name used below is as long as a file system allows, and within a contact's 200."""
    assert len(LONG_NAME.encode("utf-8")) == 255 and len(LONG_NAME) <= 200


def test_cut_never_splits_a_character() -> None:
    """Cutting two-byte letters at an odd byte count drops the half letter."""
    assert cut_to_bytes("ŻŻŻ", 5) == "ŻŻ"
    assert cut_to_bytes("Amy", 10) == "Amy"


def test_short_parts_keep_their_length_and_long_ones_share_the_rest() -> None:
    """Water-filling: the short part stays whole, the two long ones are cut to equal shares."""
    fitted = fit_parts(["Letter A", "x" * 100, "y" * 300], 108)
    assert fitted == ["Letter A", "x" * 50, "y" * 50]


def test_capped_name_keeps_date_and_upn_whole() -> None:
    """A 255-byte parent's name gives a name under the cap that still has the date and UPN."""
    upn = make_upn(7)
    name = capped_name(
        f"2025-09-29 {{0}} {upn} - {{1}} - to {{2}}",
        ("Amy Adams", "Letter A", LONG_NAME),
        suffix=".pdf",
    )
    assert len(name.encode("utf-8")) <= MAX_BYTES
    assert name.startswith("2025-09-29 Amy Adams " + upn + " - Letter A - to ŻŻ")
    assert name.endswith(".pdf")


def test_letters_with_a_255_byte_parent_name_are_all_written(
    tmp_path: Path, factory: sessionmaker[Session]
) -> None:
    """The day's batch is written and logged whole; the long name's file keeps the UPN."""
    with factory() as session:
        _, user = build_school(session)
        amy = add_pupil(session, 1, surname="Adams", forename="Amy")
        amy.contacts[0].name = LONG_NAME
        for pupil in (amy, add_pupil(session, 2, surname="Brown", forename="Ben")):
            attend(session, pupil, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
        alex = add_staff(session, pat="admin", alex="attendance_officer")["alex"]
        session.commit()
        upn, login = amy.upn, Login(alex.id, alex.username)
    out = tmp_path / "letters"
    assert letters_command(factory, LETTER_DAY, out, login=login) == 0
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 5  # two copies each and the print-all file
    assert all(len(n.encode("utf-8")) <= 255 for n in names)
    long_one = next(n for n in names if "ŻŻ" in n)
    assert upn in long_one and long_one.startswith("2025-09-29 Amy Adams")
    assert "Dear" + LONG_NAME in "".join(pages((out / long_one).read_bytes())[0].split())
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(LetterLog)) == 4


def test_a_name_the_folder_refuses_falls_back_to_date_upn_and_log_id(
    tmp_path: Path, factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system with a shorter limit the letter is still written, under a short name."""
    with factory() as session:
        _, user = build_school(session)
        amy = add_pupil(session, 1, surname="Adams", forename="Amy")
        attend(session, amy, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
        alex = add_staff(session, pat="admin", alex="attendance_officer")["alex"]
        session.commit()
        login = Login(alex.id, alex.username)
    real_write = files.write_private

    def picky_write(path: Path, data: bytes) -> Path:
        if "Letter A - to" in path.name:  # this folder takes no long names at all
            raise OSError(errno.ENAMETOOLONG, "File name too long", str(path))
        return real_write(path, data)

    monkeypatch.setattr(files, "write_private", picky_write)
    out = tmp_path / "letters"
    assert letters_command(factory, LETTER_DAY, out, login=login) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names[:2] == [
        f"2025-09-29 {make_upn(1)} letter 1.pdf",
        f"2025-09-29 {make_upn(1)} letter 2.pdf",
    ]
    assert names[2] == "Letters 2025-09-29 - print all.pdf"
