"""The letters the Due page shows, kept between refreshes: each letter due, how many copies
it makes (one a parent with parental responsibility), the reference of its template, and
the meeting it proposes (which the office may change before sending).

A refresh after a change to a few pupils replaces only their letters; the rest, and any
meeting the office changed on them, stay as they were.
"""

from __future__ import annotations

from collections.abc import Collection

from attendance_desk.letters.compose import PreparedLetter
from attendance_desk.pathway.due import LetterDue
from attendance_desk.pathway.review import Meeting


class DueList:
    """Today's due letters as last worked out, with their copies, references and meetings."""

    def __init__(self) -> None:
        self.due: list[LetterDue] = []
        self.copies: dict[str, int] = {}
        self.letters: dict[str, str] = {}
        self.meetings: dict[str, Meeting] = {}

    def replace(
        self,
        pupils: Collection[int] | None,
        theirs: list[LetterDue],
        prepared: list[PreparedLetter],
    ) -> set[str]:
        """Put `theirs` in place of the letters of `pupils` (of everyone, when None), with
        their `prepared` copies; returns the uids of the letters taken out."""
        gone = {d.uid for d in self.due if pupils is None or d.pupil_id in pupils}
        kept = [] if pupils is None else [d for d in self.due if d.pupil_id not in pupils]
        self.due = sorted(
            kept + theirs,
            key=lambda d: (d.stage, d.pupil_name, d.key),  # as letters_due orders them
        )
        for uid in gone:
            self.copies.pop(uid, None)
            self.meetings.pop(uid, None)
        self._count(prepared)
        self.meetings.update({d.uid: d.meeting for d in theirs if d.meeting is not None})
        return gone

    def _count(self, prepared: list[PreparedLetter]) -> None:
        for copy in prepared:
            self.copies[copy.due.uid] = self.copies.get(copy.due.uid, 0) + 1
            self.letters[copy.due.uid] = copy.data.reference
