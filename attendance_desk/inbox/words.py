"""Words as the inbox compares them: lower case, accents folded, apostrophes dropped, and a
forgiving comparison for a parent's typing."""

from __future__ import annotations

import re

from anyascii import anyascii

CONTRACTED_WILL = re.compile(r"\b(i|you|we|they|he|she|it)['’]ll\b", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower-case ASCII without apostrophes, punctuation kept for the date and reason rules:
    `Zoë's` → `zoes`, `Łucja` → `lucja`, `won't` → `wont` (and `I'll` → `i will`, which
    would otherwise read as "ill"). Names are compared through `name_search.fold`."""
    text = CONTRACTED_WILL.sub(r"\1 will", text.replace("’", "'"))
    return re.sub(r"['`]", "", anyascii(text).lower())


def _stem(name: str) -> str:
    return re.sub(r"(ie|y|e)$", "", name)


def near(typed: str, name: str) -> bool:
    """True when `typed` is `name`, the same name with another ending (`Gracie` for Grace,
    `Freddy` for Freddie), or one slip away from it for a name of five letters or more (a
    letter missed, added, changed or two swapped: `Olivea`, `Jakc`, `Isabela`)."""
    if typed == name:
        return True
    if len(typed) >= 4 and len(stem := _stem(name)) >= 4 and _stem(typed) == stem:
        return True
    if len(name) < 5 or abs(len(typed) - len(name)) > 1 or typed[0] != name[0]:
        return False
    return _distance(typed, name) <= 1


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), for short words."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
