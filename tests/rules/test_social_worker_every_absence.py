"""A child on the vulnerable list: the social worker is told of every absence.

docs/rules.md#social-worker: "Vulnerable list children identified, and Social
worker/relevant lead professional notified" when they are absent; a support pathway keeps
the social workers of CIN, CP and CLA pupils
updated. Telling the social worker is part of the plan around the child, so it does not
depend on whether the parent gave a reason: an absence reported by a parent is notified too.
"""

from __future__ import annotations

from datetime import date, datetime

from attendance_desk.desk.absence_reports import log_report
from attendance_desk.followup.kinds import ActionKind
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.school.followup_policy import preset
from tests.rules.conftest import School

MONDAY = date(2025, 9, 8)


def notices(school: School, day: date) -> list[str]:
    return [
        a.detail
        for a in actions_for_day(school.session, day, preset())
        if a.kind == ActionKind.NOTIFY_SOCIAL_WORKER
    ]


def test_a_parent_reported_illness_is_still_notified(school: School) -> None:
    """Max (vulnerable list, social worker J. Okafor): his mother phones at 08:15 to say he
    is ill. There is no first-day call, but the social worker is still to be told."""
    max_ = school.pupil(1, forename="Max", vulnerable=True, social_worker="J. Okafor")
    log_report(
        school.session,
        pupil_id=max_.id,
        start=MONDAY,
        end=MONDAY,
        code="I",
        reason="Temperature",
        reported_by="Mum",
        channel="phone",
        user=school.office,
        now=datetime(2025, 9, 8, 8, 15),
    )
    kinds = {a.kind for a in actions_for_day(school.session, MONDAY, preset())}
    assert ActionKind.FIRST_DAY_CALL not in kinds
    (detail,) = notices(school, MONDAY)
    assert "reason given" in detail and "tell J. Okafor" in detail


def test_an_afternoon_missed_is_an_absence_too(school: School) -> None:
    """Zoe (CP) is at a medical appointment on Monday afternoon: the social worker is told."""
    zoe = school.pupil(2, forename="Zoe", cp=True, social_worker="A. Patel")
    school.mark(zoe, [MONDAY], "/", ("AM",))
    school.mark(zoe, [MONDAY], "M", ("PM",))
    assert len(notices(school, MONDAY)) == 1


def test_a_child_not_on_the_list_is_not(school: School) -> None:
    """Amy, on no list, ill on Monday: no notification."""
    amy = school.pupil(3)
    school.mark(amy, [MONDAY], "I")
    assert notices(school, MONDAY) == []
