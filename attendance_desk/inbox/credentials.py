"""The absence mailbox's password, kept in this PC's own password store (Windows Credential
Manager, macOS Keychain, the Secret Service on Linux) through `keyring`, never in the
database: a copy of the database or a backup never carries it."""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError

SERVICE = "Attendance Desk absence mailbox"


class CredentialsError(Exception):
    """No password for the mailbox on this PC, or no password store; the text says what to do."""


def _key(user: str, host: str) -> str:
    return f"{user.strip()}@{host.strip().lower()}"


def mailbox_password(user: str, host: str) -> str:
    """The saved password for `user` on `host`."""
    try:
        password = keyring.get_password(SERVICE, _key(user, host))
    except KeyringError as exc:
        raise CredentialsError(
            f"this PC has no password store Attendance Desk can use ({exc})"
        ) from exc
    if not password:
        raise CredentialsError(
            f"no password is saved on this PC for the absence mailbox {_key(user, host)}: "
            "enter it in Settings → Absence inbox, or run `attendance-desk inbox password`"
        )
    return password


def save_mailbox_password(user: str, host: str, password: str) -> None:
    """Keep the password in this PC's password store (replacing any saved before)."""
    if not user.strip() or not host.strip():
        raise CredentialsError("set the absence mailbox's server and login first")
    if not password:
        raise CredentialsError("the password is empty")
    try:
        keyring.set_password(SERVICE, _key(user, host), password)
    except KeyringError as exc:
        raise CredentialsError(
            f"this PC has no password store Attendance Desk can use ({exc})"
        ) from exc
