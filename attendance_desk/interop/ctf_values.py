"""How a CTF writes the values Attendance Desk reads: versions, booleans, years, counts."""

from __future__ import annotations

import re

from attendance_desk.interop.fields import FieldError

_VERSION = re.compile(r"([0-9]{1,2})(?:\.[0-9]+)?")


def version(text: str) -> str:
    if not _VERSION.fullmatch(text):
        raise FieldError(f"'{text}' is not a CTF version such as 25.0")
    return text


def boolean(text: str) -> bool:
    value = text.lower()
    if value not in ("true", "false", "1", "0"):
        raise FieldError(f"expected true or false, not '{text}'")
    return value in ("true", "1")


def year(text: str) -> int:
    if not re.fullmatch(r"[0-9]{4}", text):
        raise FieldError(f"'{text}' is not a year such as 2025")
    return int(text)


def count(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,4}", text):
        raise FieldError(f"'{text}' is not a number of sessions")
    return int(text)
