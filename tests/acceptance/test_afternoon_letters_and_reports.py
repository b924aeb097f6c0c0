"""The afternoon at Hillside: the attendance officer sends today's letters from the Letters
tab (saved as PDFs, read back here) and Today catches up by itself; then the head looks at
Reports, whose figures must be the stored marks' own."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import LetterLog, Mark, PathwayCase, Pupil, User
from attendance_desk.register.marks import record_mark
from attendance_desk.ui.main_window import MainWindow
from tests.acceptance.hillside import (
    MORNING_ABSENT,
    TODAY,
    Clock,
    School,
    take_morning_registers,
)
from tests.acceptance.steps import (
    answering,
    click_row,
    find_row,
    go_to,
    hand_over,
    named,
    open_as,
    press,
    tab_title,
    tree_groups,
)

#: Who is below the 96 % target over the year so far, and their attendance.
BELOW_TARGET_FIGURES = (
    ("Jack Jones", "5C", "63.2%"),
    ("Liam Long", "4B", "68.4%"),
    ("Mia Moore", "5C", "78.9%"),
)
BELOW_TARGET = tuple(name for name, _, _ in BELOW_TARGET_FIGURES)
SINCE_TERM = "between 3 and 30 September 2025"
ATTENDED = set("/\\LV")  # present, late before close, and on an educational visit
AUTHORISED = {"I"}
UNAUTHORISED = set("NUGO")


@pytest.fixture
def day_registered(session: Session, school: School) -> None:
    """Both of today's registers taken: the morning's, and the afternoon's at 13:20 (the
    morning's absentees still away, everyone else present)."""
    take_morning_registers(session, school)
    for name, pupil_id in school.pupils.items():
        pupil = session.get(Pupil, pupil_id)
        teacher = session.get(User, school.staff["tess"])
        assert pupil is not None and teacher is not None
        record_mark(
            session,
            pupil=pupil,
            day=TODAY,
            session_name="PM",
            code=MORNING_ABSENT.get(name, "\\"),
            user=teacher,
            now=datetime.combine(TODAY, time(13, 20)),
        )
    session.commit()


def count_in(title: str) -> int:
    return int(title.split("(")[1].rstrip(")"))


def choose_folder(qtbot: QtBot, folder: Path) -> Callable[[QFileDialog], None]:
    """The folder chooser's answer: go to `folder` and press its Choose button."""

    def choose(dialog: QFileDialog) -> None:
        dialog.setDirectory(str(folder))
        assert Path(dialog.directory().absolutePath()) == folder
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        qtbot.mouseClick(
            buttons.button(QDialogButtonBox.StandardButton.Open), Qt.MouseButton.LeftButton
        )

    return choose


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def one_place(value: float) -> str:
    """94.8% the way the DfE rounds: one place, half up."""
    return f"{Decimal(str(value)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def stored_figures(session: Session) -> tuple[int, int, int, int, list[str]]:
    """From the marks table: possible, attended, authorised and unauthorised sessions this
    school year, and the pupils who missed 10 % or more (persistent absentees)."""
    rows = session.execute(
        select(Pupil.legal_forename, Pupil.legal_surname, Mark.code).join(
            Mark, Mark.pupil_id == Pupil.id
        )
    )
    codes_by_pupil: dict[str, Counter[str]] = {}
    for forename, surname, code in rows:
        codes_by_pupil.setdefault(f"{forename} {surname}", Counter())[code] += 1
    every = sum(codes_by_pupil.values(), Counter())
    assert set(every) <= ATTENDED | AUTHORISED | UNAUTHORISED  # all possible sessions
    possible = every.total()
    attended = sum(every[c] for c in ATTENDED)
    authorised = sum(every[c] for c in AUTHORISED)
    unauthorised = sum(every[c] for c in UNAUTHORISED)
    persistent = sorted(
        name
        for name, counts in codes_by_pupil.items()
        if sum(counts[c] for c in AUTHORISED | UNAUTHORISED) * 10 >= counts.total()
    )
    return possible, attended, authorised, unauthorised, persistent


def worklist(qtbot: QtBot, window: MainWindow) -> dict[str, list[str]]:
    """Today (Ctrl+1): each group's heading and the names under it."""
    return tree_groups(named(go_to(qtbot, window, "today"), QTreeWidget, "Follow-up worklist"))


def send_letters(qtbot: QtBot, window: MainWindow, folder: Path) -> QWidget:
    """From Today's letter row (Enter) to the Letters tab; tick all; Save PDFs… to `folder`."""
    tree = named(go_to(qtbot, window, "today"), QTreeWidget, "Follow-up worklist")
    click_row(qtbot, tree, find_row(tree, "Letters due", "Liam Long"))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.current_tab_name() == "letters"
    letters = window.tabs.currentWidget()
    assert named(letters, QLabel, "letters_due_heading").text() == (
        "3 letters due · Wed 1 Oct 2025"
    )
    due = named(letters, QTreeWidget, "Letters due")
    assert tree_groups(due) == {"Stage 1 (3)": list(BELOW_TARGET)}
    header = [due.headerItem().text(i) for i in range(due.columnCount())]
    shown = [
        {title: due.topLevelItem(0).child(row).text(i) for i, title in enumerate(header)}
        for row in range(3)
    ]
    assert [
        [r["Pupil"], r["Group"], r["Letter"], r["Copies"], r["Why it is due"]] for r in shown
    ] == [
        [name, group, "Letter A", "2", f"Attendance {pct} {SINCE_TERM}, below the target of 96%"]
        for name, group, pct in BELOW_TARGET_FIGURES
    ]
    press(qtbot, letters, "Tick all")
    assert named(letters, QLabel, "letters_due_status").text() == "3 pupils ticked: 6 letters"
    with answering(qtbot, QFileDialog, choose_folder(qtbot, folder)):
        press(qtbot, letters, "Save PDFs…")
    return letters


def figure(reports: QWidget, name: str) -> str:
    """A headline figure on the Reports tab, as shown."""
    return named(reports, QLabel, f"figure_{name}").text()


def test_letters_sent_today_updates_and_reports_match_the_marks(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    session: Session,
    school: School,
    clock: Clock,
    day_registered: None,
    tmp_path: Path,
) -> None:
    """Letter A to both parents of each pupil below target, as PDFs that say so; Today drops
    the letters without F5; the head's Reports show the figures the marks table gives."""
    clock.at(15, 30)
    window = open_as(qtbot, factory, clock, "owen")
    assert named(window, QLabel, "acting_user").text() == "Owen Price (Attendance officer)"
    before = count_in(tab_title(window, "today"))
    assert worklist(qtbot, window)["Letters due (3)"] == list(BELOW_TARGET)

    folder = tmp_path / "letters"
    folder.mkdir()
    letters = send_letters(qtbot, window, folder)
    assert (
        named(letters, QLabel, "letters_due_status")
        .text()
        .startswith(f"6 letters sent and saved in {folder}")
    )
    assert named(letters, QLabel, "letters_due_heading").text() == (
        "No letters due · Wed 1 Oct 2025"
    )
    assert tab_title(window, "today") == f"Today ({before - 3})"
    assert not any(title.startswith("Letters due") for title in worklist(qtbot, window))

    parents = {
        name: [f"David {name.split()[1]}", f"Sarah {name.split()[1]}"] for name in BELOW_TARGET
    }
    upns = {
        f"{forename} {surname}": upn
        for forename, surname, upn in session.execute(
            select(Pupil.legal_forename, Pupil.legal_surname, Pupil.upn)
        )
    }
    files = {
        (name, parent): f"2025-10-01 {name} {upns[name]} - Letter A - to {parent}.pdf"
        for name in BELOW_TARGET
        for parent in parents[name]
    }
    assert sorted(f.name for f in folder.glob("*.pdf")) == sorted(
        [*files.values(), "Letters 2025-10-01 - print all.pdf"]
    )
    for name, _, pct in BELOW_TARGET_FIGURES:
        forename = name.split()[0]
        for parent in parents[name]:
            text = pdf_text(folder / files[(name, parent)])
            assert f"Dear {parent}," in text
            assert f"{forename} attended {pct} of sessions" in " ".join(text.split())
    print_all = pdf_text(folder / "Letters 2025-10-01 - print all.pdf")
    assert all(f"Dear {p}," in print_all for names in parents.values() for p in names)
    session.expire_all()
    sent = session.scalars(select(LetterLog)).all()
    assert sorted(s.recipient_name for s in sent) == sorted(
        parent for names in parents.values() for parent in names
    )
    assert {(s.template, s.sent_by_name, s.sent_at) for s in sent} == {
        ("letter_a", "Owen Price", clock())
    }
    assert {c.pupil_id for c in session.scalars(select(PathwayCase))} == {
        school.pupils[name] for name in BELOW_TARGET
    }

    # 16:00 the head looks at this year's figures.
    clock.at(16, 0)
    hand_over(qtbot, window, "helen")
    reports = go_to(qtbot, window, "reports")
    possible, attended, authorised, unauthorised, persistent = stored_figures(session)
    qtbot.waitUntil(lambda: figure(reports, "attendance") != "—")
    assert figure(reports, "attendance") == one_place(attended / possible * 100)
    assert figure(reports, "authorised") == one_place(authorised / possible * 100)
    assert figure(reports, "authorised_note") == f"{authorised:,} of {possible:,} sessions"
    assert figure(reports, "unauthorised") == one_place(unauthorised / possible * 100)
    assert figure(reports, "unauthorised_note") == f"{unauthorised:,} of {possible:,} sessions"
    assert persistent == sorted(BELOW_TARGET)
    assert figure(reports, "persistent") == f"3 ({one_place(3 / 30 * 100)})"
