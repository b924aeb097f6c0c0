"""Letters pathways as data: the steps, their transitions and thresholds, validated TOML.

A pathway is a state machine. Each step (a letter, a meeting, a plan, a monitoring period,
a contract, a decision, a penalty notice, a hand-over to the local authority) names the
events that move a case on and the step each leads to (`closed` ends the case). Letters and
plans with a review period ask "attendance improved?" when it ends. A preset that is wrong
in any way is refused with the file, the key and what was expected, as policy presets are.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from attendance_desk.pathway.errors import LettersError
from attendance_desk.resources import PATHWAYS, ROOT, presets
from attendance_desk.school import settings

TEMPLATES = ROOT / "letters"
DEFAULT_PATHWAY = "default"
#: The step every case ends in; not written in the TOML.
CLOSED = "closed"

REVIEW_EVENTS = ("improved", "not_improved")
#: The events each kind of step takes; `letter` depends on its review, `decision` is free.
EVENTS_BY_KIND: dict[str, tuple[str, ...]] = {
    "meeting": ("held", "missed"),
    "plan": REVIEW_EVENTS,
    "monitoring": REVIEW_EVENTS,
    "contract": REVIEW_EVENTS,
    "penalty": ("issued", "other_action"),
    "handover": (),
}
KINDS = ("letter", "decision", *EVENTS_BY_KIND)
#: Kinds whose step is a period that ends in a review.
PERIOD_KINDS = ("plan", "monitoring", "contract")

EVENT_LABELS: dict[str, str] = {
    "sent": "Letter sent",
    "improved": "Attendance improved",
    "not_improved": "Attendance not improved",
    "held": "Meeting held",
    "missed": "Meeting missed",
    "issued": "Penalty notice issued",
    "other_action": "Other action instead (prosecution, parenting order)",
}


class PathwayError(LettersError):
    """A pathway file that does not validate; the message names file and key."""


@dataclass(frozen=True)
class Step:
    """One step of a pathway and where each of its events leads."""

    id: str
    stage: int
    kind: str
    label: str
    on: Mapping[str, str]
    template: str | None = None
    review_school_days: int = 0
    meeting: bool = False

    @property
    def reviewed(self) -> bool:
        """True when the step ends with "attendance improved?" after a period."""
        return self.review_school_days > 0

    def event_label(self, event: str, pathway: Pathway) -> str:
        """What a button for `event` says: a decision names the step it leads to."""
        if self.kind == "decision":
            target = self.on[event]
            return "Close the case" if target == CLOSED else pathway.steps[target].label
        return EVENT_LABELS[event]


@dataclass(frozen=True)
class Trigger:
    """When a pupil with no open case enters the pathway."""

    #: 0: the school year so far; otherwise the last N complete school weeks.
    window_school_weeks: int
    #: Attendance is only judged once the window holds this many possible sessions.
    min_sessions: int


@dataclass(frozen=True)
class MeetingDefaults:
    """The meeting a letter proposes unless the office changes it."""

    days_ahead: int
    time: time
    place: str


@dataclass(frozen=True)
class PenaltyRules:
    """The national penalty-notice framework as settings (amounts in pence)."""

    amount_pence: int
    reduced_pence: int
    reduced_within_days: int
    pay_within_days: int
    second_amount_pence: int
    window_years: int
    max_in_window: int


@dataclass(frozen=True)
class Pathway:
    """A validated pathway preset."""

    key: str
    name: str
    description: str
    #: None: the school's attendance target from Settings.
    target: float | None
    entry: str
    trigger: Trigger
    meetings: MeetingDefaults
    penalties: PenaltyRules
    steps: Mapping[str, Step]

    def step(self, step_id: str) -> Step:
        try:
            return self.steps[step_id]
        except KeyError:
            raise PathwayError(f"pathway '{self.key}' has no step '{step_id}'") from None

    def target_pct(self, session: Session) -> float:
        """The attendance percentage the pathway measures against."""
        if self.target is not None:
            return self.target
        return settings.get(session, settings.ATTENDANCE_TARGET)


class _Reader:
    """Typed reads from one TOML table, with errors naming the file, table and key."""

    def __init__(self, path: Path, section: str, table: Any) -> None:
        self.path, self.section = path, section
        if not isinstance(table, dict):
            raise PathwayError(f"{path.name}: [{section}] is missing")
        self.table: dict[str, Any] = table
        self.used: set[str] = set()

    def where(self, key: str) -> str:
        return f"{self.path.name}: [{self.section}] {key}"

    def raw(self, key: str, default: Any = ...) -> Any:
        self.used.add(key)
        if key not in self.table:
            if default is ...:
                raise PathwayError(f"{self.where(key)} is missing")
            return default
        return self.table[key]

    def text(self, key: str, default: Any = ...) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str) or not value.strip():
            raise PathwayError(f"{self.where(key)} must be some text, not {value!r}")
        return value.strip()

    def number(self, key: str, lo: float, hi: float, default: Any = ..., whole: bool = True) -> Any:
        value = self.raw(key, default)
        kind = "whole number" if whole else "number"
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (whole and not isinstance(value, int))
        ):
            raise PathwayError(f"{self.where(key)} must be a {kind}, not {value!r}")
        if not lo <= value <= hi:
            raise PathwayError(f"{self.where(key)} must be between {lo:g} and {hi:g}, not {value}")
        return value

    def flag(self, key: str, default: Any = ...) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise PathwayError(f"{self.where(key)} must be true or false, not {value!r}")
        return value

    def done(self) -> None:
        for key in self.table:
            if key not in self.used:
                raise PathwayError(f"{self.where(key)} is not a pathway setting")


def _pounds(reader: _Reader, key: str) -> int:
    return int(round(reader.number(key, 0, 10_000, whole=False) * 100))


def _step(path: Path, step_id: str, table: Any) -> Step:
    r = _Reader(path, f"steps.{step_id}", table)
    kind = r.text("kind")
    if kind not in KINDS:
        raise PathwayError(f"{r.where('kind')} must be one of {', '.join(KINDS)}, not {kind!r}")
    stage = r.number("stage", 1, 3)
    label = r.text("label")
    template = r.text("template") if kind == "letter" else None
    if template is not None and not (TEMPLATES / f"{template}.txt").is_file():
        raise PathwayError(f"{r.where('template')}: no letter template '{template}.txt'")
    period = kind in PERIOD_KINDS
    review = r.number("review_school_days", 1 if period else 0, 100, 0 if not period else ...)
    meeting = r.flag("meeting", False) if kind == "letter" else False
    on = r.raw("on", {})
    if not isinstance(on, dict) or not all(isinstance(v, str) for v in on.values()):
        raise PathwayError(f'{r.where("on")} must be a table of event = "step"')
    if kind == "letter":
        expected: tuple[str, ...] | None = REVIEW_EVENTS if review else ("sent",)
    elif kind == "decision":
        expected = None
        if len(on) < 2:
            raise PathwayError(f"{r.where('on')} must offer at least two choices")
    else:
        expected = EVENTS_BY_KIND[kind]
    if expected is not None and set(on) != set(expected):
        wanted = ", ".join(expected) or "nothing (the case stays here until closed)"
        raise PathwayError(
            f"{r.where('on')} must give {wanted}; it gives {', '.join(on) or 'none'}"
        )
    r.done()
    return Step(step_id, stage, kind, label, dict(on), template, review, meeting)


def load_pathway(path: Path) -> Pathway:
    """Read and validate one pathway file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PathwayError(f"{path}: no such pathway") from None
    except tomllib.TOMLDecodeError as exc:
        raise PathwayError(f"{path.name}: not valid TOML ({exc})") from None
    for section in data:
        if section not in ("pathway", "trigger", "meetings", "penalty_notices", "steps"):
            raise PathwayError(f"{path.name}: [{section}] is not a pathway section")
    head = _Reader(path, "pathway", data.get("pathway"))
    name, description = head.text("name"), str(head.raw("description", ""))
    raw_target = head.raw("target")
    target = None if raw_target == "school" else head.number("target", 50, 100, whole=False)
    entry = head.text("entry")
    head.done()

    t = _Reader(path, "trigger", data.get("trigger"))
    trigger = Trigger(t.number("window_school_weeks", 0, 39), t.number("min_sessions", 1, 400))
    t.done()

    m = _Reader(path, "meetings", data.get("meetings"))
    days_ahead = m.number("days_ahead", 0, 30)
    try:
        at = time.fromisoformat(m.text("time"))
    except ValueError:
        raise PathwayError(f'{m.where("time")} must be a time like "15:30"') from None
    meetings = MeetingDefaults(days_ahead, at, m.text("place"))
    m.done()

    p = _Reader(path, "penalty_notices", data.get("penalty_notices"))
    penalties = PenaltyRules(
        amount_pence=_pounds(p, "amount"),
        reduced_pence=_pounds(p, "reduced_amount"),
        reduced_within_days=p.number("reduced_within_days", 0, 90),
        pay_within_days=p.number("pay_within_days", 1, 90),
        second_amount_pence=_pounds(p, "second_amount"),
        window_years=p.number("window_years", 1, 10),
        max_in_window=p.number("max_in_window", 1, 10),
    )
    p.done()

    raw_steps = data.get("steps")
    if not isinstance(raw_steps, dict) or not raw_steps:
        raise PathwayError(f"{path.name}: [steps] is missing")
    steps = {step_id: _step(path, step_id, table) for step_id, table in raw_steps.items()}
    _check_graph(path, entry, steps)
    return Pathway(path.stem, name, description, target, entry, trigger, meetings, penalties, steps)


def _check_graph(path: Path, entry: str, steps: dict[str, Step]) -> None:
    """Every transition leads to a step, the entry is a letter, every step can be reached."""
    if entry not in steps:
        raise PathwayError(f"{path.name}: [pathway] entry names no step: '{entry}'")
    if steps[entry].kind != "letter":
        raise PathwayError(f"{path.name}: [pathway] entry must be a letter step, not '{entry}'")
    for step in steps.values():
        for event, target in step.on.items():
            if target != CLOSED and target not in steps:
                raise PathwayError(
                    f"{path.name}: [steps.{step.id}] on.{event} names no step: '{target}'"
                )
    reached, todo = {entry}, [entry]
    while todo:
        for target in steps[todo.pop()].on.values():
            if target != CLOSED and target not in reached:
                reached.add(target)
                todo.append(target)
    for step_id in steps:
        if step_id not in reached:
            raise PathwayError(f"{path.name}: [steps.{step_id}] is never reached from '{entry}'")


def available_pathways(folder: Path = PATHWAYS) -> dict[str, Path]:
    """Pathway names (file stems) to their files."""
    return presets(folder)


def pathway_choices() -> list[tuple[str, str, str]]:
    """(key, name, one-line description) of every shipped pathway, the default first."""
    chosen = [(key, pathway_preset(key)) for key in available_pathways()]
    out = [(key, p.name, p.description) for key, p in chosen]
    return sorted(out, key=lambda c: (c[0] != DEFAULT_PATHWAY, c[1]))


#: Loaded pathways by file, kept while the file is unchanged (cases name theirs on every read).
_loaded: dict[Path, tuple[int, Pathway]] = {}


def pathway_preset(name: str = DEFAULT_PATHWAY, folder: Path = PATHWAYS) -> Pathway:
    """The pathway in `folder` called `name` (its file stem), validated."""
    path = folder / f"{name}.toml"
    if not path.is_file():
        found = ", ".join(available_pathways(folder))
        raise PathwayError(f"no letters pathway called '{name}'; choose one of {found}")
    stamp = path.stat().st_mtime_ns
    cached = _loaded.get(path)
    if cached is None or cached[0] != stamp:
        cached = (stamp, load_pathway(path))
        _loaded[path] = cached
    return cached[1]


def current_pathway(session: Session) -> Pathway:
    """The pathway chosen in Settings."""
    return pathway_preset(settings.get(session, settings.LETTER_PATHWAY))
