"""Small helpers for the words the app shows and prints."""

from __future__ import annotations


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 pupil`, `27 pupils`, `1,200 pupils`."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"
