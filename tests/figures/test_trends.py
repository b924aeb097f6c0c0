"""Half-term by half-term PA, and weeks with no school left out of the weekly trend."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from attendance_desk.figures.trends import by_weekday, half_terms, weekly
from tests.figures.conftest import CALENDAR
from tests.helpers.builders import add_pupil, build_school, mark_days


def _week(monday: date, codes: list[str]) -> dict[tuple[date, str], str]:
    """Ten sessions from `monday`, Monday AM first."""
    days = CALENDAR.school_days(monday, monday.replace(day=monday.day + 4))
    slots = [(d, s) for d in days for s in ("AM", "PM")]
    return dict(zip(slots, codes, strict=False))


def test_persistent_absence_counts_within_each_half_term(session: Session) -> None:
    """Two absences in ten sessions make a pupil PA in that half-term only."""
    _, user = build_school(session)
    pupil = add_pupil(session, 1)
    other = add_pupil(session, 2, surname="Jones")
    autumn1 = _week(date(2025, 9, 8), ["I", "O"] + ["/", "\\"] * 4)
    autumn2 = _week(date(2025, 11, 3), ["/", "\\"] * 5)
    mark_days(session, pupil, user, {**autumn1, **autumn2})
    mark_days(session, other, user, _week(date(2025, 11, 3), ["/", "\\"] * 5))
    session.commit()
    points = half_terms(session, CALENDAR, date(2025, 9, 1), date(2025, 12, 31))
    assert [(p.name, p.summary.pupils, p.summary.persistent) for p in points] == [
        ("Autumn 1", 1, 1),
        ("Autumn 2", 2, 0),
    ]
    assert points[0].summary.persistent_pct == 100.0
    cut = half_terms(session, CALENDAR, date(2025, 9, 9), date(2025, 11, 30))
    assert cut[0].start == date(2025, 9, 9) and cut[-1].end == date(2025, 11, 30)
    # Cut to start on the Tuesday, both absences (on the Monday) fall outside it.
    assert cut[0].summary.persistent == 0 and cut[0].summary.figures.possible == 8


def test_weeks_skip_the_holiday(session: Session) -> None:
    """The half-term week has no marks, so the trend goes from 20 October to 3 November."""
    _, user = build_school(session)
    pupil = add_pupil(session, 1)
    mark_days(session, pupil, user, _week(date(2025, 10, 20), ["/", "\\"] * 5))
    mark_days(session, pupil, user, _week(date(2025, 11, 3), ["/", "N"] * 5))
    session.commit()
    points = weekly(session, date(2025, 10, 1), date(2025, 11, 30))
    assert [p.monday for p in points] == [date(2025, 10, 20), date(2025, 11, 3)]
    assert [p.days for p in points] == [5, 5]
    assert [p.sessions.attendance_pct for p in points] == [100.0, 50.0]
    days = by_weekday(session, date(2025, 10, 1), date(2025, 11, 30))
    assert [d.name for d in days] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert all(d.days == 2 and d.sessions.possible == 4 for d in days)
