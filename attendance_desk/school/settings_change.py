"""Changing a setting: the one way the Settings tab and `attendance-desk settings set` share.

Each value is checked against its declaration in the registry, and a setting that names a
file in resources/ (the policy preset, the letters pathway) against the files there; only
the administrator may change settings, and every change is audited with its old value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from attendance_desk.access.permissions import Permission, require
from attendance_desk.models import User
from attendance_desk.resources import PATHWAYS, presets
from attendance_desk.school import settings
from attendance_desk.school.followup_policy import available_presets

#: Settings that name a file in resources/: the choices each may take.
CHOICES: dict[str, Callable[[], Mapping[str, Any]]] = {
    settings.POLICY_PRESET.key: available_presets,
    settings.LETTER_PATHWAY.key: partial(presets, PATHWAYS),
}


def option_named(key: str) -> settings.Option[Any]:
    """The declared setting called `key`, or `ValueError` saying where the names are."""
    try:
        return settings.REGISTRY[key]
    except KeyError:
        raise ValueError(
            f"there is no setting called '{key}' (`attendance-desk settings list` shows them)"
        ) from None


def validate(option: settings.Option[Any], value: Any) -> Any:
    """`value` checked as the Settings tab checks it: its type and range, then its choices."""
    typed = option.check(value)
    if option.key in CHOICES and typed not in (choices := CHOICES[option.key]()):
        raise ValueError(f"{option.label}: '{typed}' is not one of {', '.join(choices)}")
    return typed


def change(
    session: Session, option: settings.Option[Any], value: Any, *, user: User, now: datetime
) -> bool:
    """Store a checked value (administrator only, audited); False when it was already so."""
    require(user, Permission.CHANGE_SETTINGS)
    typed = validate(option, value)
    if typed == settings.get(session, option):
        return False
    settings.put(session, option, typed, user=user, now=now)
    return True


def shown(option: settings.Option[Any], value: Any) -> str:
    """A value as `settings get` prints it and `settings set` reads it back; a secret only
    says whether it is set."""
    if option.secret:
        return "(set)" if value else "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value:g}" if isinstance(value, float) else str(value)


def change_all(session: Session, values: Mapping[str, Any], *, user: User, now: datetime) -> int:
    """Store every value of `values` (setting key to value), each checked and audited, as
    the Settings tab's Save does; how many changed. Refused before anything is checked for
    anyone but the administrator; the caller's transaction keeps all of them or none."""
    require(user, Permission.CHANGE_SETTINGS)
    return sum(
        change(session, option_named(key), value, user=user, now=now)
        for key, value in values.items()
    )


def mailbox_account(session: Session, *, user: User) -> tuple[str, str]:
    """The absence mailbox's login and server, to keep its password under on this PC
    (administrator only: the password opens every parent's email)."""
    require(user, Permission.CHANGE_SETTINGS)
    return settings.get(session, settings.INBOX_USER), settings.get(session, settings.INBOX_HOST)
