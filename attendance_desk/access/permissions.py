"""Who may do what: one table, enforced by the services (the screens only follow it).

Roles are the office's real jobs. Safeguarding detail (check answers, rationales, visit
records, restricted notes) is for the DSL, deputy DSL and head alone; everyone else may
learn only that a check is in progress.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attendance_desk.models import User


class Role(StrEnum):
    RECEPTIONIST = "receptionist"
    ATTENDANCE_OFFICER = "attendance_officer"
    DSL = "dsl"
    DEPUTY_DSL = "deputy_dsl"
    HEAD = "head"
    ADMIN = "admin"
    TEACHER = "teacher"


ROLE_LABELS: dict[Role, str] = {
    Role.RECEPTIONIST: "Receptionist",
    Role.ATTENDANCE_OFFICER: "Attendance officer",
    Role.DSL: "Designated Safeguarding Lead",
    Role.DEPUTY_DSL: "Deputy DSL",
    Role.HEAD: "Headteacher",
    Role.ADMIN: "Administrator",
    Role.TEACHER: "Class teacher",
}


class Permission(StrEnum):
    TAKE_REGISTER = "take_register"
    AMEND_REGISTER = "amend_register"
    LOG_CALLS = "log_calls"
    VIEW_SAFEGUARDING = "view_safeguarding"
    RECORD_SAFEGUARDING = "record_safeguarding"
    DECIDE_LEAVE = "decide_leave"
    SEND_LETTERS = "send_letters"
    EDIT_LETTER_TEMPLATES = "edit_letter_templates"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    CHANGE_SETTINGS = "change_settings"


_ALL_OFFICE = {
    Permission.TAKE_REGISTER,
    Permission.AMEND_REGISTER,
    Permission.LOG_CALLS,
}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RECEPTIONIST: frozenset(_ALL_OFFICE),
    Role.TEACHER: frozenset({Permission.TAKE_REGISTER}),
    Role.ATTENDANCE_OFFICER: frozenset(
        _ALL_OFFICE | {Permission.SEND_LETTERS, Permission.EDIT_LETTER_TEMPLATES}
    ),
    Role.DSL: frozenset(
        _ALL_OFFICE
        | {
            Permission.VIEW_SAFEGUARDING,
            Permission.RECORD_SAFEGUARDING,
            Permission.SEND_LETTERS,
            Permission.EDIT_LETTER_TEMPLATES,
        }
    ),
    Role.DEPUTY_DSL: frozenset(
        _ALL_OFFICE | {Permission.VIEW_SAFEGUARDING, Permission.RECORD_SAFEGUARDING}
    ),
    Role.HEAD: frozenset(
        _ALL_OFFICE
        | {
            Permission.VIEW_SAFEGUARDING,
            Permission.RECORD_SAFEGUARDING,
            Permission.DECIDE_LEAVE,
            Permission.SEND_LETTERS,
            Permission.EDIT_LETTER_TEMPLATES,
            Permission.VIEW_AUDIT,
        }
    ),
    Role.ADMIN: frozenset(
        _ALL_OFFICE
        | {
            Permission.MANAGE_USERS,
            Permission.CHANGE_SETTINGS,
            Permission.VIEW_AUDIT,
            Permission.SEND_LETTERS,
            Permission.EDIT_LETTER_TEMPLATES,
        }
    ),
}


class NotAllowed(PermissionError):
    """The acting user's role does not allow this; the message says which role would."""


def allowed(user: User, permission: Permission) -> bool:
    try:
        role = Role(user.role)
    except ValueError:
        return False
    return user.active and permission in PERMISSIONS[role]


def require(user: User, permission: Permission) -> None:
    """Raise `NotAllowed` unless `user` may do `permission`."""
    if not allowed(user, permission):
        who = ", ".join(ROLE_LABELS[r] for r, p in PERMISSIONS.items() if permission in p)
        raise NotAllowed(f"{user.full_name} cannot do that: it is for {who}")
