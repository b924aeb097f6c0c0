"""Letter thresholds compare the unrounded percentage.

docs/rules.md#thresholds-unrounded: Letter A goes when attendance is below the school's
target (96 % by default).
A figure is rounded only to be read: 119 of 124 sessions is 95.97 %, below a 96 % target,
though it rounds to 96.0 %. So the threshold takes the unrounded figure, and a letter about
it prints 95.97 %, so that no parent reads "96.0 %, below the target of 96 %".
"""

from __future__ import annotations

from datetime import date

from attendance_desk.pathway.due import letters_due
from attendance_desk.pathway.periods import pct_text
from attendance_desk.pathway.review import Review
from attendance_desk.register.stats import Figures
from attendance_desk.school.calendar import SESSIONS, SchoolCalendar
from tests.helpers.builders import CLOSURES, TERMS, mark_days
from tests.rules.conftest import School

CAL = SchoolCalendar(tuple(TERMS), tuple(CLOSURES))


def test_95_97_is_below_96_and_says_so(school: School) -> None:
    """Amy: 124 sessions from 3 September, 5 of them absent (O): 95.97 %. Letter A is due
    on the next school day and its reason says 95.97%."""
    amy = school.pupil(1)
    sessions = [
        (d, s) for d in CAL.school_days(date(2025, 9, 3), date(2025, 12, 19)) for s in SESSIONS
    ][:124]
    marks = {
        key: ("O" if i % 25 == 0 else "/" if key[1] == "AM" else "\\")
        for i, key in enumerate(sessions)
    }
    assert list(marks.values()).count("O") == 5
    mark_days(school.session, amy, school.office, marks)
    next_day = CAL.next_school_day(sessions[-1][0])
    assert next_day is not None
    (letter,) = letters_due(school.session, next_day)
    assert (
        "attendance 95.97% between" in letter.reason and "below the target of 96%" in letter.reason
    )


def test_a_review_at_95_97_has_not_reached_96() -> None:
    """A review period ending at 119 of 124 sessions has not reached the 96 % target."""
    review = Review(
        date(2025, 9, 8),
        date(2025, 10, 17),
        Figures(present=119, unauthorised=5),
        96.0,
        True,
        date(2025, 10, 17),
    )
    assert review.improved is False
    assert "Attendance 95.97% between" in review.describe()


def test_figures_away_from_the_target_keep_one_decimal_place() -> None:
    """Only a figure that would round up to the target is printed to two places."""
    assert pct_text(119 / 124 * 100, 96.0) == "95.97%"
    assert pct_text(119 / 124 * 100) == "96.0%"
    assert pct_text(95.998, 96.0) == "95.99%"  # cut short, never "96.00%"
    assert pct_text(90.04, 96.0) == "90.0%" and pct_text(96.0, 96.0) == "96.0%"
