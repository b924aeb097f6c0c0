"""A safe-and-well visit answers the home visit for the same absence.

A home visit is due after more than five consecutive days' absence (docs/rules.md#home-visit); the
safe-and-well visit (two staff, risk assessment, letter left) is a home visit. Recording the
visit in the wizard closes the home visit the same absence raised, in the DSL's name, and
leaves an earlier absence's home visit alone.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select

from attendance_desk.followup.kinds import ActionKind
from attendance_desk.followup.rules import raise_actions
from attendance_desk.models import ActionOutcome
from attendance_desk.safeguarding import checks as safeguarding
from attendance_desk.safeguarding.checks import Visit
from attendance_desk.school.followup_policy import preset
from tests.rules.conftest import School

SIX_DAYS = [date(2025, 9, d) for d in (8, 9, 10, 11, 12, 15)]


def test_visit_closes_the_home_visit(school: School) -> None:
    """Amy, absent with no reason Mon 8 to Mon 15 Sep (six school days): a home visit and a
    safe-and-well visit are due. The DSL's visit on the 15th closes both."""
    session, dsl = school.session, school.staff["dina"]
    amy = school.pupil(1)
    school.mark(amy, SIX_DAYS, "N")
    now = datetime(2025, 9, 15, 11, 0)
    kinds = {
        a.kind for a in raise_actions(session, day=SIX_DAYS[-1], user=dsl, now=now, policy=preset())
    }
    assert {ActionKind.HOME_VISIT, ActionKind.SAFE_AND_WELL_VISIT} <= kinds
    check = safeguarding.open_check(session, pupil_id=amy.id, user=dsl, now=now)
    safeguarding.save_answers(
        session,
        check_id=check.id,
        answers={k: "No" for k in safeguarding.QUESTIONS},
        user=dsl,
        now=now,
    )
    safeguarding.save_decision(
        session,
        check_id=check.id,
        decision="visit_today",
        rationale="Day 6, no contact",
        user=dsl,
        now=now,
    )
    visit = Visit(
        "Dina",
        "Olly",
        True,
        datetime.combine(SIX_DAYS[-1], time(12, 0)),
        "Mum",
        "seen_safe",
        "",
        True,
    )
    safeguarding.save_visit(session, check_id=check.id, visit=visit, user=dsl, now=now)
    left = {
        a.kind for a in raise_actions(session, day=SIX_DAYS[-1], user=dsl, now=now, policy=preset())
    }
    assert ActionKind.HOME_VISIT not in left and ActionKind.SAFE_AND_WELL_VISIT not in left
    home = session.scalars(
        select(ActionOutcome).where(ActionOutcome.kind == ActionKind.HOME_VISIT)
    ).one()
    assert (home.key, home.user_name) == ("2025-09-08", "Dina")
    assert home.note.startswith("Visit Mon 15 Sep 12:00: Child seen and safe")
