"""A worklist action as the screens and the command line get it, and the collector the rules
fill in for one day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from attendance_desk.catalogues.action_kinds import ROLE_OF
from attendance_desk.catalogues.redaction import Flagged, open_flags
from attendance_desk.models import Pupil


@dataclass(frozen=True, slots=True)
class Action:
    """One thing someone must do for one pupil.

    `key` names the occasion (an absence's first day, a mark, a half-term), so the same kind
    comes back for a new occasion; `raised_on` is the day the rules first called for it and
    `still_open` is set when they no longer do but nobody has closed it yet.
    """

    pupil_id: int
    upn: str
    name: str
    group: str
    kind: str
    due: date
    day: int | None
    detail: str
    key: str
    risk: int  # 0 for CP/CLA/CIN/vulnerable list, 1 otherwise
    #: `detail` without safeguarding detail, for everyone but the DSL, deputy and head
    #: (`catalogues.redaction.for_viewer` shows the right one).
    open_detail: str
    raised_on: date | None = None
    overdue: bool = False
    still_open: bool = False

    @property
    def role(self) -> str:
        return ROLE_OF[self.kind]

    @property
    def ident(self) -> tuple[int, str, str]:
        """What identifies the action from day to day: pupil, kind and occasion."""
        return (self.pupil_id, self.kind, self.key)

    def as_json(self) -> dict[str, Any]:
        """The shape promised to automation (docs/rules.md#cli-contract), plus when it was
        raised and whether it is overdue."""
        return {
            "upn": self.upn,
            "kind": self.kind,
            "due": self.due.isoformat(),
            "day": self.day,
            "detail": self.detail,
            "raised": self.raised_on.isoformat() if self.raised_on else None,
            "overdue": self.overdue,
        }


@dataclass(frozen=True, slots=True)
class Who:
    """A pupil as an action names them: plain columns, read for a whole school in one quick
    query (loading each pupil's full record was a tenth of the worklist's time)."""

    id: int
    upn: str
    display_name: str
    group: str
    cp: bool
    cla: bool
    cin: bool
    vulnerable: bool
    social_worker: str | None

    @classmethod
    def of(cls, pupil: Pupil) -> Who:
        """A loaded pupil (with their group) as the rules name them."""
        return cls(
            pupil.id,
            pupil.upn,
            pupil.display_name,
            pupil.reg_group.name,
            pupil.cp,
            pupil.cla,
            pupil.cin,
            pupil.vulnerable,
            pupil.social_worker,
        )


def is_vulnerable(pupil: Flagged) -> bool:
    return pupil.cp or pupil.cla or pupil.cin or pupil.vulnerable


def open_flags_text(pupil: Flagged) -> str:
    """`flags_text` as anyone may read it: CP, CLA and CIN show only as "vulnerable"."""
    return " (vulnerable)" if open_flags(pupil, ("vulnerable",)) else ""


def flags_text(pupil: Flagged) -> str:
    """ " (CP, vulnerable list)": the pupil's flags for an action's detail, or ""."""
    named = [n.upper() for n in ("cp", "cla", "cin") if getattr(pupil, n)]
    if pupil.vulnerable:
        named.append("vulnerable list")
    return f" ({', '.join(named)})" if named else ""


class Builder:
    """Collects the actions the rules call for on one day, once each."""

    def __init__(self, day: date) -> None:
        self.day = day
        self.actions: dict[tuple[int, str, str], Action] = {}

    def add(
        self,
        pupil: Who,
        kind: str,
        key: str,
        due: date,
        detail: str,
        day: int | None = None,
        *,
        open_detail: str | None = None,
    ) -> None:
        """Add an action; `open_detail` is its detail without safeguarding detail, when the
        detail holds any."""
        if (pupil.id, kind, key) in self.actions:
            return
        self.actions[(pupil.id, kind, key)] = Action(
            pupil_id=pupil.id,
            upn=pupil.upn,
            name=pupil.display_name,
            group=pupil.group,
            kind=kind,
            due=due,
            day=day,
            detail=detail,
            key=key,
            risk=0 if is_vulnerable(pupil) else 1,
            open_detail=detail if open_detail is None else open_detail,
            raised_on=self.day,
            overdue=due < self.day,
        )
