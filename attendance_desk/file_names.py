"""File names made from people's names: safe characters, and never too long to write.

Most file systems refuse a name over 255 bytes, and a name of 200 characters allowed on a
contact (Polish or Greek letters take two bytes each in UTF-8) is enough to pass that. A name
that cannot be written must never stop the office's batch, so every name is capped in bytes
well below the limit: the free text (people's names, a letter's label) is shortened and the
identifiers that make the file findable (the date, the UPN) are always kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: The longest name made, in UTF-8 bytes: room under 255 for " (12)" and cautious file systems.
MAX_BYTES = 180
#: Characters kept in a file name: letters and digits of any script, space, - . and '.
_UNSAFE = re.compile(r"[^\w\- .']+")
_SPACES = re.compile(r"\s+")


def safe_text(text: str) -> str:
    """`text` with only file-safe characters, runs of spaces made one."""
    return _SPACES.sub(" ", _UNSAFE.sub("", text)).strip()


def byte_length(text: str) -> int:
    return len(text.encode("utf-8"))


def cut_to_bytes(text: str, limit: int) -> str:
    """The longest start of `text` that is at most `limit` bytes (never half a character)."""
    if byte_length(text) <= limit:
        return text
    return text.encode("utf-8")[: max(limit, 0)].decode("utf-8", "ignore").rstrip(" -.'")


def fit_parts(parts: Sequence[str], budget: int) -> list[str]:
    """Shorten `parts` so that together they take at most `budget` bytes.

    The longest parts are cut first and short ones are left whole: each part gets an equal
    share of the budget, and what a short part leaves unused goes to the others.
    """
    sizes = [byte_length(p) for p in parts]
    if sum(sizes) <= budget:
        return list(parts)
    shares = [0] * len(parts)
    left, waiting = max(budget, 0), sorted(range(len(parts)), key=lambda i: sizes[i])
    while waiting:
        share = left // len(waiting)
        index = waiting.pop(0)
        shares[index] = min(sizes[index], share)
        left -= shares[index]
    return [cut_to_bytes(part, share) for part, share in zip(parts, shares, strict=True)]


def capped_name(template: str, free: Sequence[str], *, suffix: str, limit: int = MAX_BYTES) -> str:
    """`template` (with `{0}`, `{1}`… for the free parts) filled in and capped in bytes.

    The template's own text (dates, UPNs, separators) is kept whole; only the free parts,
    made file-safe first, are shortened when the whole would pass `limit`.
    """
    cleaned = [safe_text(part) for part in free]
    fixed = byte_length(template.format(*([""] * len(free)))) + byte_length(suffix)
    fitted = fit_parts(cleaned, limit - fixed)
    return safe_text(template.format(*fitted)) + suffix
