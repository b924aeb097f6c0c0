"""Parents' absence reports: coding past sessions, keeping future ones, stopping calls."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.desk.absence_reports import log_report
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.models import Mark
from attendance_desk.register.errors import RegisterError
from attendance_desk.register.sheet import mark_history, proposals
from attendance_desk.school.followup_policy import preset
from tests.helpers.builders import add_pupil, build_school, mark_days


def test_report_codes_today_and_keeps_future(session: Session) -> None:
    """Reported at 09:40 for Mon-Wed: Monday's N becomes I (amended), Tue-Wed are proposed."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "N"})
    result = log_report(
        session,
        pupil_id=amy.id,
        start=date(2025, 9, 8),
        end=date(2025, 9, 10),
        code="i",
        reason="chickenpox",
        reported_by="Sarah Smith (mother)",
        channel="phone",
        user=user,
        now=datetime(2025, 9, 8, 9, 40),
    )
    assert (result.amended, result.recorded) == (1, 1)  # AM amended, PM recorded
    codes = {(m.date, m.session): m.code for m in session.scalars(select(Mark))}
    assert codes == {(date(2025, 9, 8), "AM"): "I", (date(2025, 9, 8), "PM"): "I"}
    assert "chickenpox" in mark_history(session, amy.id)[0].reason
    future = proposals(session, [amy.id], date(2025, 9, 8), date(2025, 9, 12))
    assert future[(amy.id, date(2025, 9, 10), "PM")] == "I"
    assert (amy.id, date(2025, 9, 11), "AM") not in future
    assert actions_for_day(session, date(2025, 9, 8), preset()) == []


def test_report_leaves_other_marks_alone(session: Session) -> None:
    """A child marked present is not recoded by a report; the count says so."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "/"})
    result = log_report(
        session,
        pupil_id=amy.id,
        start=date(2025, 9, 8),
        end=date(2025, 9, 8),
        code="M",
        reason="dentist",
        reported_by="Dad",
        channel="email",
        user=user,
        now=datetime(2025, 9, 8, 14, 0),
    )
    assert (result.left_alone, result.recorded) == (1, 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "/"}, "not an absence reason"),
        ({"channel": "pigeon"}, "how was it reported"),
        ({"reason": " "}, "needs the reason"),
        ({"end": date(2025, 9, 5)}, "ends"),
    ],
)
def test_bad_reports_are_refused(session: Session, changes: dict, message: str) -> None:
    """Each half-filled or impossible report is refused with why."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    fields = dict(
        pupil_id=amy.id,
        start=date(2025, 9, 8),
        end=date(2025, 9, 8),
        code="I",
        reason="ill",
        reported_by="Mum",
        channel="phone",
        user=user,
        now=datetime(2025, 9, 8, 8, 30),
    )
    with pytest.raises(RegisterError, match=message):
        log_report(session, **{**fields, **changes})
