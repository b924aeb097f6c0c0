"""What of a pupil's safeguarding record each member of staff may see: one rule for every
screen, printout, CSV file and command.

The DSL, deputy DSL and head see everything. Everyone else learns only that a safe-and-well
check exists and that a child is vulnerable (so the office phones them first): never the
CP, CIN or CLA flags, the social worker, a check's decision, visit or next steps (social
worker informed, police welfare check), what was recorded when the DSL's worklist actions
were closed, or a restricted note.

Rows for screens and commands that carry such detail hold an `open_…` twin of it, worked
out here when the row is built; `for_viewer` swaps the twin in for anyone not allowed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

from attendance_desk.access.permissions import Permission, allowed
from attendance_desk.catalogues.action_kinds import CATALOGUE
from attendance_desk.models import User

#: The pupil flags that are safeguarding detail (child protection, in need, looked after).
SOCIAL_CARE_FLAGS = ("cp", "cin", "cla")
#: Pupil columns of the CSV layout that only the DSL, deputy DSL and head may take away.
PUPIL_COLUMNS = (*SOCIAL_CARE_FLAGS, "social_worker")
RESTRICTED = "Details are restricted to the DSL, deputy DSL and head."
#: Worklist kinds that are the DSL's (and the social worker's): what was recorded when one
#: was closed is safeguarding detail, and so is the kind itself ("police welfare check").
SAFEGUARDING_ACTIONS = frozenset(k.value for k, info in CATALOGUE.items() if info.restricted)
#: Kinds of audited record whose whole detail is safeguarding detail.
AUDITED_RECORDS = frozenset({"safe_and_well_check", "chronology"})
#: What everyone else sees in place of such an action's kind.
SAFEGUARDING_LABEL = "Safeguarding follow-up"
#: Worklist kinds for the DSL alone, left off everyone else's lists: a police welfare
#: consult is due only when a visit found nobody, so even its being due tells the outcome.
DSL_ONLY_ACTIONS = frozenset(k.value for k, info in CATALOGUE.items() if info.dsl_only)

Row = TypeVar("Row")


class Kinded(Protocol):
    @property
    def kind(self) -> str: ...


Action = TypeVar("Action", bound=Kinded)


class Flagged(Protocol):
    """A pupil, or anything carrying a pupil's flags."""

    @property
    def cp(self) -> bool: ...
    @property
    def cin(self) -> bool: ...
    @property
    def cla(self) -> bool: ...
    @property
    def vulnerable(self) -> bool: ...


def sees_safeguarding(viewer: User | None) -> bool:
    """True for the DSL, deputy DSL and head (the permission table's VIEW_SAFEGUARDING);
    False for anyone else, and for nobody in particular."""
    return viewer is not None and allowed(viewer, Permission.VIEW_SAFEGUARDING)


def visible_flags(pupil: Flagged, viewer: User | None, names: Sequence[str]) -> list[str]:
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


def open_flags(pupil: Flagged, names: Sequence[str]) -> list[str]:
    """`visible_flags` for someone who may not see safeguarding detail."""
    return visible_flags(pupil, None, names)


def social_worker(name: str | None, viewer: User | None) -> str | None:
    """The allocated social worker's name and number, for those who may see them."""
    return name if sees_safeguarding(viewer) else None


def action_label(kind: str, label: str, viewer: User | None) -> str:
    """A worklist action's kind as `viewer` may read it (`label` is its usual name)."""
    if kind in SAFEGUARDING_ACTIONS and not sees_safeguarding(viewer):
        return SAFEGUARDING_LABEL
    return label


def action_note(kind: str, note: str, viewer: User | None) -> str:
    """What was recorded when a worklist action was closed, as `viewer` may read it."""
    if kind in SAFEGUARDING_ACTIONS and not sees_safeguarding(viewer):
        return RESTRICTED
    return note


def for_viewer(row: Row, viewer: User | None) -> Row:
    """A row (a worklist action, a call-list pupil…) as `viewer` may see it: for anyone not
    allowed, each field that has an `open_` twin takes the twin's value, and the social
    worker is left out."""
    if sees_safeguarding(viewer) or not dataclasses.is_dataclass(row):
        return row
    twins, social_worker = _twins(type(row))
    changes: dict[str, Any] = {name: getattr(row, f"open_{name}") for name in twins}
    if social_worker:
        changes["social_worker"] = None
    return dataclasses.replace(row, **changes)  # type: ignore[type-var]


_TWINS: dict[type[Any], tuple[tuple[str, ...], bool]] = {}


def _twins(kind: type[Any]) -> tuple[tuple[str, ...], bool]:
    """The fields of a dataclass that have an `open_` twin, and whether it names a social
    worker (worked out once a class: a whole school's worklist is shown row by row)."""
    if (found := _TWINS.get(kind)) is None:
        names = {f.name for f in dataclasses.fields(kind)}
        twins = tuple(sorted(name for name in names if f"open_{name}" in names))
        found = _TWINS[kind] = (twins, "social_worker" in names)
    return found


def actions_for(actions: Iterable[Action], viewer: User | None) -> list[Action]:
    """The worklist as `viewer` may see it: each action `for_viewer`, and the DSL's own
    actions (`DSL_ONLY_ACTIONS`) left out for everyone else."""
    if sees_safeguarding(viewer):
        return list(actions)
    return [for_viewer(a, viewer) for a in actions if a.kind not in DSL_ONLY_ACTIONS]


def audit_detail(entity: str, detail: str, viewer: User | None) -> str | None:
    """An audit event's stored JSON detail as `viewer` may read it, or None when the whole
    detail is safeguarding detail (a check, a chronology viewed, a DSL's action closed).
    Changes to CP, CIN, CLA or the social worker keep only that they changed."""
    if sees_safeguarding(viewer) or not detail:
        return detail
    if entity in AUDITED_RECORDS:
        return None
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    if entity == "action" and data.get("kind") in SAFEGUARDING_ACTIONS:
        return None
    changes = data.get("changes")
    if isinstance(changes, dict) and set(changes) & set(PUPIL_COLUMNS):
        data["changes"] = {
            name: "changed (restricted)" if name in PUPIL_COLUMNS else change
            for name, change in changes.items()
        }
        return json.dumps(data, default=str, sort_keys=True)
    return detail


def pupil_columns(columns: Sequence[str], viewer: User | None) -> tuple[str, ...]:
    """The pupils CSV columns `viewer` may export: without CP, CIN, CLA and the social
    worker for those who may not see them (an import of such a file leaves them as stored)."""
    if sees_safeguarding(viewer):
        return tuple(columns)
    return tuple(c for c in columns if c not in PUPIL_COLUMNS)
