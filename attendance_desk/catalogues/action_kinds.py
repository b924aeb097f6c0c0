"""The catalogue of worklist action kinds: what each is called, who normally does it, who
may complete or dismiss it, and whether its detail is safeguarding detail. Held once, here;
the rules, the services that close actions, the Today tab, the figures, the redaction of
safeguarding detail and the command line all ask it.

Safeguarding actions (the DSL's decision, the safe-and-well visit, the police welfare check
consult, the Children Missing Education notification) may be closed only by the DSL, the
deputy DSL or the head: closing one records a safeguarding judgement (Working together to
improve school attendance, 2024, and Keeping children safe in education). The others are
office work any of the office roles may close, except letters (those who send letters) and
the return-to-school conversation (class teachers and senior staff).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from attendance_desk.access.permissions import ROLE_LABELS, NotAllowed, Role
from attendance_desk.models import User


class ActionKind(StrEnum):
    """Every kind of worklist action; the values are the `actions --json` kinds."""

    FIRST_DAY_CALL = "first_day_call"
    NOTIFY_SOCIAL_WORKER = "notify_social_worker"
    DSL_ALERT = "dsl_alert"
    CALL_ALL_CONTACTS = "call_all_contacts"
    CONTACT_SIBLING_SCHOOLS = "contact_sibling_schools"
    SAFE_AND_WELL_VISIT = "safe_and_well_visit"
    POLICE_WELFARE_CONSULT = "police_welfare_consult"
    HOME_VISIT = "home_visit"
    CME_REFERRAL = "cme_referral"
    RESOLVE_N_CODE = "resolve_n_code"
    MEDICAL_EVIDENCE = "medical_evidence"
    RETURN_INTERVIEW = "return_interview"
    LETTER = "letter"
    PERSISTENT_LATENESS = "persistent_lateness"
    PENALTY_NOTICE_REVIEW = "penalty_notice_review"
    LA_NEW_PUPIL = "la_new_pupil"
    LA_DELETION_RETURN = "la_deletion_return"
    FIND_ADDRESS = "find_address"


#: The DSL, the deputy DSL and the head: the only ones who may close a safeguarding action.
SAFEGUARDING_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.HEAD})
#: The attendance officer and senior staff.
ATTENDANCE_ROLES = SAFEGUARDING_ROLES | {Role.ATTENDANCE_OFFICER}
#: Everyone who works the office's follow-up (the administrator is often the office manager).
OFFICE_ROLES = ATTENDANCE_ROLES | {Role.RECEPTIONIST, Role.ADMIN}
#: Those who send letters (as `Permission.SEND_LETTERS`).
LETTER_ROLES = frozenset({Role.ATTENDANCE_OFFICER, Role.DSL, Role.HEAD, Role.ADMIN})
#: The return-to-school conversation: the class teacher, or senior staff.
TEACHING_ROLES = ATTENDANCE_ROLES | {Role.TEACHER}


@dataclass(frozen=True, slots=True)
class KindInfo:
    """One kind: its worklist heading, the role that normally does it, who may close it,
    whether what it says and what was recorded when it was closed are safeguarding detail
    (`restricted`), and whether it is for the DSL's eyes alone (`dsl_only`: a police welfare
    consult is due only when a visit found nobody, so even its being due tells the outcome).
    """

    label: str
    worker: Role
    may_close: frozenset[Role]
    restricted: bool = False
    dsl_only: bool = False


K = ActionKind
CATALOGUE: dict[ActionKind, KindInfo] = {
    K.FIRST_DAY_CALL: KindInfo("First-day calls", Role.RECEPTIONIST, OFFICE_ROLES),
    K.NOTIFY_SOCIAL_WORKER: KindInfo(
        "Tell the social worker", Role.ATTENDANCE_OFFICER, ATTENDANCE_ROLES, restricted=True
    ),
    K.DSL_ALERT: KindInfo("DSL decisions", Role.DSL, SAFEGUARDING_ROLES, restricted=True),
    K.CALL_ALL_CONTACTS: KindInfo("Call all contacts", Role.RECEPTIONIST, OFFICE_ROLES),
    K.CONTACT_SIBLING_SCHOOLS: KindInfo("Sibling schools", Role.RECEPTIONIST, OFFICE_ROLES),
    K.SAFE_AND_WELL_VISIT: KindInfo(
        "Safe-and-well visits due", Role.DSL, SAFEGUARDING_ROLES, restricted=True
    ),
    K.POLICE_WELFARE_CONSULT: KindInfo(
        "Police welfare check consults",
        Role.DSL,
        SAFEGUARDING_ROLES,
        restricted=True,
        dsl_only=True,
    ),
    K.HOME_VISIT: KindInfo("Home visits", Role.ATTENDANCE_OFFICER, ATTENDANCE_ROLES),
    K.CME_REFERRAL: KindInfo(
        "Children missing education", Role.DSL, SAFEGUARDING_ROLES, restricted=True
    ),
    K.RESOLVE_N_CODE: KindInfo("N codes to resolve", Role.ATTENDANCE_OFFICER, OFFICE_ROLES),
    K.MEDICAL_EVIDENCE: KindInfo("Medical evidence", Role.ATTENDANCE_OFFICER, OFFICE_ROLES),
    K.RETURN_INTERVIEW: KindInfo("Return-to-school conversations", Role.TEACHER, TEACHING_ROLES),
    K.LETTER: KindInfo("Letters due", Role.ATTENDANCE_OFFICER, LETTER_ROLES),
    K.PERSISTENT_LATENESS: KindInfo(
        "Persistent lateness", Role.ATTENDANCE_OFFICER, ATTENDANCE_ROLES
    ),
    K.PENALTY_NOTICE_REVIEW: KindInfo(
        "Penalty notice reviews", Role.ATTENDANCE_OFFICER, ATTENDANCE_ROLES
    ),
    K.LA_NEW_PUPIL: KindInfo("Tell the LA about new pupils", Role.ATTENDANCE_OFFICER, OFFICE_ROLES),
    K.LA_DELETION_RETURN: KindInfo(
        "Deletion returns to the LA", Role.ATTENDANCE_OFFICER, OFFICE_ROLES
    ),
    K.FIND_ADDRESS: KindInfo("Addresses to find", Role.ATTENDANCE_OFFICER, OFFICE_ROLES),
}

#: The one order the worklist is shown and counted in (the Today tab, the weekly pack):
#: safeguarding first, then the morning's calls, then paperwork, the LA's returns (statutory
#: deadlines) before letters.
ORDER: tuple[ActionKind, ...] = (
    K.SAFE_AND_WELL_VISIT,
    K.POLICE_WELFARE_CONSULT,
    K.DSL_ALERT,
    K.CME_REFERRAL,
    K.FIRST_DAY_CALL,
    K.NOTIFY_SOCIAL_WORKER,
    K.CALL_ALL_CONTACTS,
    K.CONTACT_SIBLING_SCHOOLS,
    K.HOME_VISIT,
    K.MEDICAL_EVIDENCE,
    K.RETURN_INTERVIEW,
    K.RESOLVE_N_CODE,
    K.LA_NEW_PUPIL,
    K.LA_DELETION_RETURN,
    K.FIND_ADDRESS,
    K.LETTER,
    K.PERSISTENT_LATENESS,
    K.PENALTY_NOTICE_REVIEW,
)
#: The DSL's own kinds: the decisions the safeguarding tab lists.
DSL_KINDS = frozenset(kind for kind, info in CATALOGUE.items() if info.worker == Role.DSL)
#: Who normally does each kind (the worklist's "for" filter), by kind name.
ROLE_OF: dict[str, str] = {k.value: info.worker.value for k, info in CATALOGUE.items()}
#: The worklist heading of each kind, by kind name.
KIND_LABELS: dict[str, str] = {k.value: info.label for k, info in CATALOGUE.items()}


def kind_of(name: str) -> ActionKind:
    """The kind called `name`; `ValueError` names the problem for anything else."""
    try:
        return ActionKind(name)
    except ValueError:
        raise ValueError(f"'{name}' is not a worklist action") from None


def who_may_close(kind: str) -> str:
    """ "the DSL, the deputy DSL or the head": the roles that may close `kind`, in words."""
    roles = [ROLE_LABELS[r] for r in Role if r in CATALOGUE[kind_of(kind)].may_close]
    return " or ".join([", ".join(roles[:-1]), roles[-1]] if len(roles) > 1 else roles)


def may_close(user: User, kind: str) -> bool:
    """Whether `user` may complete or dismiss an action of `kind`."""
    try:
        role = Role(user.role)
    except ValueError:
        return False
    return user.active and role in CATALOGUE[kind_of(kind)].may_close


def require_may_close(user: User, kind: str) -> None:
    """Raise `NotAllowed`, naming who may, unless `user` may close an action of `kind`."""
    if not may_close(user, kind):
        raise NotAllowed(
            f"{user.full_name} cannot close this: {KIND_LABELS[kind]} are for "
            f"{who_may_close(kind)} only"
        )
