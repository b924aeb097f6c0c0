"""Who may complete or dismiss each kind of action.

Closing a safeguarding action records a safeguarding judgement, which is for the Designated
Safeguarding Lead, a deputy DSL or the head (Keeping children safe in education; Working
together to improve school attendance, 2024: the DSL leads on children missing education and
on welfare concerns about absence). The other actions are the office's: calls for anyone in
the office, letters for those who send letters, the return-to-school conversation for the
class teacher or senior staff. The services check this whatever screen or command asks.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from attendance_desk.access.permissions import NotAllowed, Role
from attendance_desk.catalogues.action_kinds import ActionKind
from attendance_desk.followup.actions import Action
from attendance_desk.followup.outcomes import close_action
from tests.rules.conftest import School

K, R = ActionKind, Role
SAFEGUARDING = {R.DSL, R.DEPUTY_DSL, R.HEAD}
ATTENDANCE = SAFEGUARDING | {R.ATTENDANCE_OFFICER}
OFFICE = ATTENDANCE | {R.RECEPTIONIST, R.ADMIN}

#: The table this app follows, written out in full.
MAY_CLOSE: dict[ActionKind, set[Role]] = {
    K.FIRST_DAY_CALL: OFFICE,
    K.NOTIFY_SOCIAL_WORKER: ATTENDANCE,
    K.DSL_ALERT: SAFEGUARDING,
    K.CALL_ALL_CONTACTS: OFFICE,
    K.CONTACT_SIBLING_SCHOOLS: OFFICE,
    K.SAFE_AND_WELL_VISIT: SAFEGUARDING,
    K.POLICE_WELFARE_CONSULT: SAFEGUARDING,
    K.HOME_VISIT: ATTENDANCE,
    K.CME_REFERRAL: SAFEGUARDING,
    K.RESOLVE_N_CODE: OFFICE,
    K.MEDICAL_EVIDENCE: OFFICE,
    K.RETURN_INTERVIEW: ATTENDANCE | {R.TEACHER},
    K.LETTER: {R.ATTENDANCE_OFFICER, R.DSL, R.HEAD, R.ADMIN},
    K.PERSISTENT_LATENESS: ATTENDANCE,
    K.PENALTY_NOTICE_REVIEW: ATTENDANCE,
    K.LA_NEW_PUPIL: OFFICE,
    K.LA_DELETION_RETURN: OFFICE,
    K.FIND_ADDRESS: OFFICE,
}
USER_OF = {
    R.ADMIN: "pat",
    R.DSL: "dina",
    R.DEPUTY_DSL: "dave",
    R.HEAD: "hana",
    R.ATTENDANCE_OFFICER: "olly",
    R.RECEPTIONIST: "rita",
    R.TEACHER: "tess",
}


def test_the_table_covers_every_kind_and_role() -> None:
    """Every kind of action and every role has its answer in the table."""
    assert set(MAY_CLOSE) == set(ActionKind) and set(USER_OF) == set(Role)


@pytest.mark.parametrize("kind", list(ActionKind))
def test_role_by_kind(school: School, kind: ActionKind) -> None:
    """For each role in turn: closing is recorded for the roles in the table and refused,
    naming who may, for the rest (a receptionist cannot close a safe-and-well visit)."""
    pupil = school.pupil(1)
    now = datetime(2025, 9, 8, 12)
    for n, role in enumerate(Role):
        action = Action(pupil.id, pupil.upn, "Amy", "3A", kind, now.date(), 1, "", f"k{n}", 1, "")
        user = school.staff[USER_OF[role]]
        if role in MAY_CLOSE[kind]:
            outcome = close_action(
                school.session, action=action, done=True, note="Done", user=user, now=now
            )
            assert outcome.user_name == user.full_name, role
            continue
        with pytest.raises(NotAllowed, match="only") as refused:
            close_action(school.session, action=action, done=True, note="Done", user=user, now=now)
        if kind in (K.SAFE_AND_WELL_VISIT, K.DSL_ALERT, K.CME_REFERRAL):
            assert "Designated Safeguarding Lead, Deputy DSL or Headteacher" in str(refused.value)
