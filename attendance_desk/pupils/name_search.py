"""Finding people by name as the office types them: accents, apostrophes and case ignored.

A receptionist types "wojcik" for Wójcik and "obrien" or "O’Brien" (a phone's curly
apostrophe) for O'Brien. Every name search (the Pupils tab, the late desk, the pickers,
the import's matching of contacts) compares names through `fold`, so they all agree. The
transliteration comes from `anyascii` (a maintained table covering every script: Ł → L,
ß → ss, Ø → O), not from a hand-written list that misses the next family's name.
"""

from __future__ import annotations

from collections.abc import Iterable

from anyascii import anyascii


def fold(text: str) -> str:
    """`text` as plain lower-case ASCII letters and digits, words separated by one space.

    Punctuation inside a word goes ("O’Brien" → "obrien", "Smith-Jones" → "smithjones"),
    so it neither has to be typed nor typed the same way.
    """
    ascii_text = anyascii(text).casefold()
    kept = "".join(c for c in ascii_text if c.isalnum() or c.isspace())
    return " ".join(kept.split())


def search_words(query: str) -> list[str]:
    """The folded words of what was typed; each must be found for a match."""
    return [word for word in (fold(part) for part in query.split()) if word]


def matches(words: Iterable[str], *texts: str | None) -> bool:
    """True when every word (from `search_words`) is found in one of `texts`."""
    folded = [fold(t) for t in texts if t]
    return all(any(word in text for text in folded) for word in words)


def same_name(a: str, b: str) -> bool:
    """True when two names are the same person's as written by different systems."""
    return fold(a) == fold(b)
