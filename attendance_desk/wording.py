"""Small helpers for the words the app shows and prints."""

from __future__ import annotations

from datetime import date


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 pupil`, `27 pupils`, `1,200 pupils`."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def short_day(day: date) -> str:
    """`Fri 4 Dec`: a day this term, without a leading zero (and without `%-d`, which
    Windows does not know)."""
    return f"{day:%a} {day.day} {day:%b}"
