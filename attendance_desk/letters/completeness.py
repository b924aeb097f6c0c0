"""A letter goes out only when everything it says is filled in.

A letter with no school address on its letterhead, nobody to sign it, or a meeting with no
date reads as careless at best; at worst the parent cannot reply. Before any letter is
printed or saved, every merge field its wording uses, and the letterhead and signature
every letter carries, must have a value; otherwise the whole batch is refused, naming the
setting to fill in (or what else to do), and nothing is logged as sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attendance_desk.school import settings

#: Merge fields whose value comes from a setting, and that setting.
SETTING_OF_FIELD: dict[str, settings.Option[Any]] = {
    "school_address": settings.LETTERHEAD_ADDRESS,
    "school_contact": settings.LETTERHEAD_CONTACT,
    "signatory": settings.SIGNATORY_NAME,
    "signatory_role": settings.SIGNATORY_ROLE,
}
#: Every letter prints these whatever its wording: the letterhead's address and telephone,
#: and the signature.
ALWAYS_PRINTED = ("school_address", "school_contact", "signatory", "signatory_role")
#: What to do about an empty field that is not a setting.
REMEDIES: dict[str, str] = {
    "meeting_date": "choose the meeting's date and time",
    "meeting_time": "choose the meeting's date and time",
    "meeting_place": "say where the meeting is",
    "review_end": "add next year's term dates (the review period runs past the calendar)",
    "review_length": "add next year's term dates (the review period runs past the calendar)",
}
#: Left to the recipients' own rules: an unknown address is not the letter's wording's fault.
NOT_CHECKED = frozenset({"parent_address"})


def empty_fields(used: Iterable[str], values: Mapping[str, str]) -> list[str]:
    """The fields among `used` (and those every letter prints) that have no value."""
    wanted = {*used, *ALWAYS_PRINTED} - NOT_CHECKED
    return sorted(name for name in wanted if not values.get(name, "").strip())


def refusal(empty: Iterable[str], *, letter: str = "") -> str | None:
    """Why letters with these empty fields cannot be printed, or None when none are empty."""
    empty = list(empty)
    if not empty:
        return None
    labels = sorted({SETTING_OF_FIELD[f].label for f in empty if f in SETTING_OF_FIELD})
    other = sorted(
        {REMEDIES.get(f, f"fill in {{{f}}}") for f in empty if f not in SETTING_OF_FIELD}
    )
    parts = []
    if labels:
        parts.append(f"fill in Settings → {', '.join(labels)}")
    parts.extend(other)
    what = f"{letter} cannot be printed" if letter else "Letters cannot be printed"
    return f"{what} with empty details: {'; '.join(parts)}."
