"""Medical evidence for a long illness: more than five days, or four with a closure in it.

docs/rules.md#medical-evidence (a school's full policy): parents "provide suitable medical
evidence in the event of an
illness lasting for more than five days (or four days in the event of an INSET day or Bank
Holiday)". Both numbers are preset values (`medical_evidence_after_days`,
`medical_evidence_after_days_with_closure`), not written into the code; the worklist asks
for evidence once an illness is longer than the number that applies.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from attendance_desk.followup.kinds import ActionKind
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.school.followup_policy import preset
from tests.rules.conftest import School

K = ActionKind.MEDICAL_EVIDENCE


def asked(school: School, day: date, **policy: int) -> bool:
    return any(
        a.kind == K for a in actions_for_day(school.session, day, replace(preset(), **policy))
    )


def test_six_days_ill_in_an_ordinary_fortnight(school: School) -> None:
    """Ill Monday 8 to Friday 12 September (five days): not yet; still ill on Monday 15th
    (six days): evidence is asked for."""
    amy = school.pupil(1)
    week = [date(2025, 9, d) for d in (8, 9, 10, 11, 12)]
    school.mark(amy, week, "I")
    assert not asked(school, week[-1])
    school.mark(amy, [date(2025, 9, 15)], "I")
    assert asked(school, date(2025, 9, 15))


def test_five_days_ill_around_an_inset_day(school: School) -> None:
    """Ill Monday 15 to Thursday 18 September, the INSET day on Friday 19th, and Monday 22nd:
    five school days with a closure in the absence, more than four, so evidence is asked."""
    amy = school.pupil(1)
    days = [date(2025, 9, d) for d in (15, 16, 17, 18, 22)]
    school.mark(amy, days[:4], "I")
    assert not asked(school, days[3])  # four days: not more than four
    school.mark(amy, days[4:], "I")
    assert asked(school, days[4])


def test_the_numbers_are_the_presets(school: School) -> None:
    """A school that tunes the ordinary number to 7 is asked only after more than 7 days."""
    amy = school.pupil(1)
    days = [date(2025, 9, d) for d in (8, 9, 10, 11, 12, 15)]
    school.mark(amy, days, "I")
    assert not asked(school, days[-1], medical_evidence_after_days=7)
    assert preset().medical_evidence_after_days == 5
    assert preset().medical_evidence_after_days_with_closure == 4
