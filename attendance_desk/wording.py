"""Small helpers for the words the app shows and prints: counts that agree with their nouns.

"1 register change is not saved", never "1 register changes are not saved": every count
shown to the office goes through `plural` (and `verb` for the verb that follows).
"""

from __future__ import annotations

from datetime import date

from attendance_desk.uk_dates import day_text


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 pupil`, `27 pupils`, `1,200 pupils`; `words` for an irregular plural."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def verb(count: int, one: str, many: str) -> str:
    """The verb that agrees with `count`: `verb(1, "is", "are")` is `is`."""
    return one if count == 1 else many


def short_day(day: date) -> str:
    """`Fri 4 Dec`: a day this term (the shared UK form, `uk_dates.day_text`)."""
    return day_text(day, year=False)
