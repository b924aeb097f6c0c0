"""How a letter greets a parent: "Dear Ms Dudek" when a title is known, else the full name.

The contacts hold one name ("Joanna Dudek"); the surname is its last word, with the
particles of surnames such as "van der Berg" or "De Souza" kept with it.
"""

from __future__ import annotations

#: Words that belong to the surname that follows them (compared in lower case).
PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "da",
        "di",
        "du",
        "le",
        "la",
        "st",
        "st.",
        "mac",
        "bin",
        "binti",
        "al",
        "el",
        "ter",
        "ten",
    }
)


def surname_of(name: str) -> str:
    """`Dudek` from "Joanna Dudek"; `van der Berg` from "Anna van der Berg"."""
    words = name.split()
    if len(words) < 2:
        return name.strip()
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in PARTICLES:
        start -= 1
    return " ".join(words[start:])


def salutation(name: str, title: str | None) -> str:
    """`Ms Dudek` with a title, or the name as it is ("Joanna Dudek") without one."""
    title = (title or "").strip().rstrip(".")
    if not title or len(name.split()) < 2:
        return name.strip()
    return f"{title} {surname_of(name)}"
