"""The penalty-notice review says how many of its sessions are still N.

The national framework (August 2024): a penalty notice is considered when a pupil has 10
unauthorised sessions in a rolling 10 school weeks. `N` (no reason yet) counts as
unauthorised while it stands, but it may still become an authorised reason (docs/rules.md#n-codes: N
is resolved within 5 school days), so the review says how many of its sessions are still N.
"""

from __future__ import annotations

from datetime import date

from attendance_desk.followup.kinds import ActionKind
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.school.followup_policy import preset
from tests.rules.conftest import School


def test_three_of_the_ten_are_still_n(school: School) -> None:
    """Amy: G (unauthorised holiday) Monday 8 to Wednesday 10 September and Thursday
    morning (7 sessions), then N on Thursday afternoon and all Friday (3): the review on
    Friday says 10 unauthorised sessions, 3 of them still N."""
    amy = school.pupil(1)
    school.mark(amy, [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10)], "G")
    school.mark(amy, [date(2025, 9, 11)], "G", ("AM",))
    school.mark(amy, [date(2025, 9, 11)], "N", ("PM",))
    school.mark(amy, [date(2025, 9, 12)], "N")
    (review,) = [
        a
        for a in actions_for_day(school.session, date(2025, 9, 12), preset())
        if a.kind == ActionKind.PENALTY_NOTICE_REVIEW
    ]
    assert review.detail.startswith("10 unauthorised sessions in the last 10 school weeks")
    assert "(3 of them still N)" in review.detail
