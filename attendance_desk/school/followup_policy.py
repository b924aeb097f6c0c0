"""Policy presets: the follow-up pathway's thresholds as validated TOML data, the school's
choice among them kept with its settings (the worklist, the N codes and the checks read it).

Code asks the policy ("which school day is the visit due?"), never hard-codes "day 3". A
preset that is wrong in any way is refused with the file, the key and what was expected, so
a typo in a hand-edited preset can never silently switch a safeguarding step off.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, fields, replace
from datetime import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import Setting
from attendance_desk.resources import POLICIES, presets
from attendance_desk.school import settings
from attendance_desk.school.errors import SchoolError

DEFAULT_PRESET = "default"


class PolicyError(SchoolError):
    """A preset file that does not validate; the message names file and key."""


@dataclass(frozen=True)
class Policy:
    """Every threshold the follow-up rules read. A day number of 0 switches that step off."""

    name: str
    description: str
    first_day_call: bool
    text_with_first_call: bool
    reason_expected_by: time
    notify_social_worker: bool
    call_all_contacts_from_day: int
    contact_sibling_schools_from_day: int
    dsl_alert: bool
    safe_and_well_visit_day: int
    police_consult_after_no_contact_visit: bool
    home_visit_after_days: int
    cme_after_days: int
    n_code_days: int
    medical_evidence_after_days: int
    medical_evidence_after_days_with_closure: int
    return_interview: bool
    return_interviews_before_senior: int
    lates_per_half_term: int
    unauthorised_sessions: int
    rolling_school_weeks: int
    weekly_below_pct: float


#: (section, key, type, minimum, maximum) for each field after name and description.
_SCHEMA: dict[str, tuple[str, type, float, float]] = {
    "first_day_call": ("calls", bool, 0, 1),
    "text_with_first_call": ("calls", bool, 0, 1),
    "reason_expected_by": ("calls", time, 0, 0),
    "notify_social_worker": ("calls", bool, 0, 1),
    "call_all_contacts_from_day": ("calls", int, 0, 10),
    "contact_sibling_schools_from_day": ("calls", int, 0, 10),
    "dsl_alert": ("safeguarding", bool, 0, 1),
    "safe_and_well_visit_day": ("safeguarding", int, 0, 10),
    "police_consult_after_no_contact_visit": ("safeguarding", bool, 0, 1),
    "home_visit_after_days": ("absence", int, 0, 30),
    "cme_after_days": ("absence", int, 1, 30),
    "n_code_days": ("absence", int, 1, 20),
    "medical_evidence_after_days": ("absence", int, 0, 30),
    "medical_evidence_after_days_with_closure": ("absence", int, 0, 30),
    "return_interview": ("absence", bool, 0, 1),
    "return_interviews_before_senior": ("absence", int, 0, 20),
    "lates_per_half_term": ("lateness", int, 0, 50),
    "unauthorised_sessions": ("penalty", int, 0, 100),
    "rolling_school_weeks": ("penalty", int, 1, 39),
    "weekly_below_pct": ("letters", float, 0, 100),
}


def _value(path: Path, section: str, key: str, raw: Any, kind: type, lo: float, hi: float) -> Any:
    where = f"{path.name}: [{section}] {key}"
    if kind is bool:
        if not isinstance(raw, bool):
            raise PolicyError(f"{where} must be true or false, not {raw!r}")
        return raw
    if kind is time:
        try:
            return time.fromisoformat(str(raw))
        except ValueError:
            raise PolicyError(f'{where} must be a time like "09:30", not {raw!r}') from None
    if (
        isinstance(raw, bool)
        or not isinstance(raw, int | float)
        or (kind is int and not isinstance(raw, int))
    ):
        raise PolicyError(
            f"{where} must be a {'whole number' if kind is int else 'number'}, not {raw!r}"
        )
    if not lo <= raw <= hi:
        raise PolicyError(f"{where} must be between {lo:g} and {hi:g}, not {raw}")
    return kind(raw)


def load_policy(path: Path) -> Policy:
    """Read and validate one preset file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{path}: no such policy preset") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path.name}: not valid TOML ({exc})") from None
    preset = data.get("preset", {})
    if not isinstance(preset.get("name"), str) or not preset["name"].strip():
        raise PolicyError(f"{path.name}: [preset] name is missing")
    values: dict[str, Any] = {
        "name": preset["name"],
        "description": str(preset.get("description", "")),
    }
    for key, (section, kind, lo, hi) in _SCHEMA.items():
        table = data.get(section)
        if not isinstance(table, dict) or key not in table:
            raise PolicyError(f"{path.name}: [{section}] {key} is missing")
        values[key] = _value(path, section, key, table[key], kind, lo, hi)
    known = {f.name for f in fields(Policy)}
    for section, table in data.items():
        if section == "preset" or not isinstance(table, dict):
            continue
        for key in table:
            if key not in known:
                raise PolicyError(f"{path.name}: [{section}] {key} is not a policy setting")
    return Policy(**values)


def available_presets(folder: Path = POLICIES) -> dict[str, Path]:
    """Preset names (file stems) to their files."""
    return presets(folder)


def preset(name: str = DEFAULT_PRESET, folder: Path = POLICIES) -> Policy:
    presets = available_presets(folder)
    if name not in presets:
        raise PolicyError(f"no policy preset called '{name}'; choose one of {', '.join(presets)}")
    return load_policy(presets[name])


#: Prefix of stored settings that tune one threshold of the chosen preset.
OVERRIDE_PREFIX = "policy.override."


def current_policy(session: Session) -> Policy:
    """The school's chosen preset with any thresholds tuned in Settings applied.

    An override that no longer validates is ignored (the preset's value stands), so a bad
    stored value can never switch a step off.
    """
    chosen = preset(settings.get(session, settings.POLICY_PRESET))
    changes: dict[str, Any] = {}
    rows = session.scalars(select(Setting).where(Setting.key.startswith(OVERRIDE_PREFIX)))
    for row in rows:
        key = row.key.removeprefix(OVERRIDE_PREFIX)
        if key not in _SCHEMA:
            continue
        section, kind, lo, hi = _SCHEMA[key]
        try:
            changes[key] = _value(
                Path("settings"), section, key, json.loads(row.value), kind, lo, hi
            )
        except (PolicyError, ValueError):
            continue
    return replace(chosen, **changes)
