"""Who a pupil's letters go to: every parent with parental responsibility, each at their address.

Seed 001 says letters must be sent to both parents; DESIGN.md makes that "one per parent with
parental responsibility". A parent marked "do not contact" (a court order) gets none. With
nobody holding PR on record, the letter goes to the first contact who may be written to, and
failing that to "the parent or carer" at the pupil's address, so no letter is silently lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from attendance_desk.letters.salutation import salutation
from attendance_desk.models import Contact, Pupil

#: A UK postcode at the end of an address line ("Birmingham B11 3XY").
_POSTCODE = re.compile(r"^(?P<town>.*?)[\s,]*(?P<code>[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$", re.I)


@dataclass(frozen=True)
class Recipient:
    """One copy of a letter: to whom and where."""

    contact_id: int | None
    name: str
    relationship: str
    address_lines: tuple[str, ...]
    title: str | None = None

    @property
    def addressee(self) -> str:
        """The name on the envelope: "Ms Joanna Dudek", or the name alone."""
        return (
            f"{self.title.strip()} {self.name}" if self.title and self.title.strip() else self.name
        )

    @property
    def salutation(self) -> str:
        """What follows "Dear": "Ms Dudek" when the title is known, else the full name."""
        return salutation(self.name, self.title)

    @property
    def address_known(self) -> bool:
        return bool(self.address_lines)

    @property
    def address_text(self) -> str:
        return ", ".join(self.address_lines)


def address_lines(address: str | None) -> tuple[str, ...]:
    """An address as the lines of an envelope: parts on their own lines, the post town in
    capitals and the postcode last on a line of its own (Royal Mail's layout)."""
    if not address:
        return ()
    parts = [p.strip() for p in re.split(r"[\n,]", address) if p.strip()]
    if not parts:
        return ()
    found = _POSTCODE.match(parts[-1])
    if found:
        town, code = found["town"].strip(), found["code"].upper()
        code = code if " " in code else f"{code[:-3]} {code[-3:]}"
        parts = parts[:-1] + ([town] if town else [])
        if parts and len(parts) > 1:
            parts[-1] = parts[-1].upper()
        parts.append(code)
    return tuple(parts)


def recipients(pupil: Pupil) -> list[Recipient]:
    """One recipient per parent with parental responsibility, in contact priority order."""
    writable = [c for c in pupil.contacts if not c.do_not_contact]
    chosen: list[Contact] = [c for c in writable if c.parental_responsibility] or writable[:1]
    if not chosen:
        return [
            Recipient(
                None,
                f"The parent or carer of {pupil.display_name}",
                "",
                address_lines(pupil.address),
            )
        ]
    return [
        Recipient(
            c.id,
            c.name,
            c.relationship_to_pupil,
            address_lines(c.address or pupil.address),
            c.title,
        )
        for c in sorted(chosen, key=lambda c: c.priority)
    ]
