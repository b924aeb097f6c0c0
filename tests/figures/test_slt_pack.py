"""The weekly SLT pack, read back from the PDF, and the command-line helper that writes it."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.commands.login import Login
from attendance_desk.commands.report import report_weekly
from attendance_desk.figures.formatting import pct
from attendance_desk.figures.slt_pack import weekly_pack
from attendance_desk.figures.weekly import gather_weekly
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.models import SafeAndWellCheck, User
from attendance_desk.register import stats
from tests.figures.conftest import CALENDAR
from tests.helpers.builders import add_pupil, add_staff, build_school, mark_days
from tests.printing.pdftext import pages

WEEK = date(2025, 9, 15)
NOW = datetime(2025, 9, 22, 8, 0)
#: The head reads the pack with its safeguarding detail (only the role matters to it).
HEAD = User(username="helen", full_name="Helen Brooks", position="Head", role="head", active=True)


def _school(session: Session) -> None:
    """Three weeks of marks: Amy mostly ill (severe), Ben present, Cal away three sessions
    in the pack's week (3 of 24 this year: PA); one safe-and-well check done that week."""
    _, user = build_school(session)
    slots = [
        (d, s)
        for d in CALENDAR.school_days(date(2025, 9, 3), date(2025, 9, 19))
        for s in ("AM", "PM")
    ]
    amy = add_pupil(session, 1, surname="Smith", forename="Amy")
    ben = add_pupil(session, 2, surname="Jones", forename="Ben", year="4", group="4A")
    cal = add_pupil(session, 3, surname="Khan", forename="Cal", year="4", group="4A")
    present = {slot: "/" if slot[1] == "AM" else "\\" for slot in slots}
    mark_days(session, amy, user, {slot: "I" if i % 4 else "/" for i, slot in enumerate(slots)})
    mark_days(session, ben, user, present)
    away = {
        (date(2025, 9, 16), "AM"): "O",
        (date(2025, 9, 16), "PM"): "O",
        (date(2025, 9, 17), "AM"): "G",
    }
    mark_days(session, cal, user, {**present, **away})
    session.add(
        SafeAndWellCheck(
            pupil_id=amy.id,
            episode_first_day=date(2025, 9, 15),
            episode_day=3,
            started_at=datetime(2025, 9, 17, 9, 0),
            started_by="Dana Lewis",
            decision="visit_today",
            rationale="No contact for three days",
            decided_by="Dana Lewis",
            outcome="seen_safe",
            finished_at=datetime(2025, 9, 17, 14, 30),
        )
    )
    session.commit()


def test_pack_shows_the_figures_and_the_pa_list(session: Session) -> None:
    """The PDF names the week, prints the week's and year's attendance as the figures say,
    lists the persistent absentees by name, and the check finished that week."""
    _school(session)
    text = "\n".join(pages(weekly_pack(session, WEEK, NOW, viewer=HEAD)))
    week = stats.school_figures(session, WEEK, date(2025, 9, 19)).totals
    year = stats.school_figures(session, date(2025, 9, 3), date(2025, 9, 19)).totals
    assert "Attendance: week of Monday 15 September 2025" in text
    assert pct(week.attendance_pct) in text and pct(year.attendance_pct) in text
    assert "Persistent absentees this year: 2 pupils" in text
    assert "Amy Smith" in text and "Cal Khan" in text
    assert "Ben Jones" not in text.split("Persistent absentees this year")[1]
    assert "Safe-and-well checks finished this week: 1" in text
    assert "Child seen and safe" in text
    assert "Letters sent this week: 0" in text
    # Friday 19 September is an INSET day: the worklist is the Thursday's.
    assert "Outstanding actions on Thursday 18 September 2025" in text


def test_pack_data_agrees_with_the_worklist(session: Session) -> None:
    """Outstanding actions are the worklist's, counted by kind; a week read on its Monday
    runs only to that day."""
    _school(session)
    pack = gather_weekly(session, date(2025, 9, 17), NOW, viewer=HEAD)
    assert pack.week.start == WEEK and pack.as_of == date(2025, 9, 19)
    expected = Counter(a.kind for a in actions_for_day(session, date(2025, 9, 18)))
    assert {a.kind: a.count for a in pack.actions} == dict(expected)
    assert pack.actions_total == sum(expected.values())
    assert pack.below_line_this_week == 2  # Amy, and Cal at 62.5 % (5 of 8 sessions)
    early = gather_weekly(session, WEEK, datetime(2025, 9, 15, 12, 0), viewer=HEAD)
    assert early.as_of == WEEK
    assert early.this_week.figures.possible == 6  # three pupils, Monday only


def test_report_weekly_writes_the_pdf(
    factory: sessionmaker[Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI helper writes the pack for the week holding the date, and refuses a holiday."""
    with factory() as session:
        _school(session)
        pat = add_staff(session, pat="admin")["pat"]
        session.commit()
    login = Login(pat.id, pat.username)
    out = tmp_path / "packs" / "week.pdf"
    assert report_weekly(factory, date(2025, 9, 18), out, login=login) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "15 September 2025" in capsys.readouterr().out
    assert report_weekly(factory, date(2025, 10, 29), tmp_path / "holiday.pdf", login=login) == 1
    assert "no school days" in capsys.readouterr().err
    assert not (tmp_path / "holiday.pdf").exists()
