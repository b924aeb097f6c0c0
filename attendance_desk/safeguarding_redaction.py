"""What of a pupil's safeguarding record each member of staff may see: one rule for every
screen, printout, CSV file and command.

The DSL, deputy DSL and head see everything. Everyone else learns only that a safe-and-well
check exists and that a child is vulnerable (so the office phones them first): never the
CP, CIN or CLA flags, the social worker, a check's decision, visit outcome or next steps
(social worker informed, police welfare check), or a restricted note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from attendance_desk.models import User
from attendance_desk.permissions import Permission, allowed

#: The pupil flags that are safeguarding detail (child protection, in need, looked after).
SOCIAL_CARE_FLAGS = ("cp", "cin", "cla")
#: Pupil columns of the CSV layout that only the DSL, deputy DSL and head may take away.
PUPIL_COLUMNS = (*SOCIAL_CARE_FLAGS, "social_worker")
RESTRICTED = "Details are restricted to the DSL, deputy DSL and head."
#: Worklist kinds whose outcomes are safeguarding detail (a DSL's decision, a visit, the
#: police or social worker told); others see only that the action was closed.
SAFEGUARDING_ACTIONS = frozenset(
    {"dsl_alert", "safe_and_well_visit", "police_welfare_consult", "notify_social_worker"}
)


class Flagged(Protocol):
    """A pupil, or anything carrying a pupil's flags."""

    cp: bool
    cin: bool
    cla: bool
    vulnerable: bool


def sees_safeguarding(viewer: User) -> bool:
    """True for the DSL, deputy DSL and head (the permission table's VIEW_SAFEGUARDING)."""
    return allowed(viewer, Permission.VIEW_SAFEGUARDING)


def visible_flags(pupil: Flagged, viewer: User, names: Sequence[str]) -> list[str]:
    """Of the flag attributes `names`, in that order, those set on `pupil` that `viewer` may
    see. For someone who may not see CP, CIN or CLA, a child with any of them shows as
    "vulnerable" instead, where `names` includes it."""
    full = sees_safeguarding(viewer)
    social_care = any(getattr(pupil, name) for name in SOCIAL_CARE_FLAGS)
    shown = []
    for name in names:
        if name in SOCIAL_CARE_FLAGS and not full:
            continue
        if getattr(pupil, name) or (name == "vulnerable" and social_care and not full):
            shown.append(name)
    return shown


def social_worker(name: str | None, viewer: User) -> str | None:
    """The allocated social worker's name and number, for those who may see them."""
    return name if sees_safeguarding(viewer) else None


def action_note(kind: str, note: str, viewer: User) -> str:
    """What was recorded when a worklist action was closed, as `viewer` may read it."""
    if kind in SAFEGUARDING_ACTIONS and not sees_safeguarding(viewer):
        return RESTRICTED
    return note


def pupil_columns(columns: Sequence[str], viewer: User) -> tuple[str, ...]:
    """The pupils CSV columns `viewer` may export: without CP, CIN, CLA and the social
    worker for those who may not see them (an import of such a file leaves them as stored)."""
    if sees_safeguarding(viewer):
        return tuple(columns)
    return tuple(c for c in columns if c not in PUPIL_COLUMNS)
