"""Who a pupil's letters go to: every parent with parental responsibility, each at their address.

Letters go to both parents (docs/rules.md#letter-recipients): "one per parent with parental
responsibility". A parent marked "do not contact" (a court order) gets none. With
nobody holding PR on record, the letter goes to the first contact who may be written to, and
failing that to "the parent or carer" at the pupil's address, so no letter is silently lost.

A parent's copy goes to their own address, or to the child's home when they live with the
child. A parent who does not live with the child and has no address on file is never
written to at the child's home (that is another household, and may be one they must not
reach): their copy is *held*, emailed where they have an email address, and the worklist
asks the office to find an address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from attendance_desk.letters.salutation import salutation
from attendance_desk.models import Contact, Pupil

#: What a held copy's address says, in the sent log and on the letter.
HELD_ADDRESS = "address unknown: held, not posted"
#: A UK postcode at the end of an address line ("Birmingham B11 3XY").
_POSTCODE = re.compile(r"^(?P<town>.*?)[\s,]*(?P<code>[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$", re.I)


@dataclass(frozen=True)
class Recipient:
    """One copy of a letter: to whom and where."""

    contact_id: int | None
    name: str
    relationship: str
    address_lines: tuple[str, ...]
    email: str | None = None
    #: No address to post to (a parent living elsewhere, address not known): hold the copy.
    held: bool = False
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
        return HELD_ADDRESS if self.held else ", ".join(self.address_lines)


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
    return [_recipient(c, pupil) for c in sorted(chosen, key=lambda c: c.priority)]


def _recipient(contact: Contact, pupil: Pupil) -> Recipient:
    home = contact.address or (pupil.address if contact.lives_with else None)
    return Recipient(
        contact.id,
        contact.name,
        contact.relationship_to_pupil,
        address_lines(home),
        (contact.email or "").strip() or None,
        held=not home and not contact.lives_with,
        title=contact.title,
    )


def needs_address(contact: Contact) -> bool:
    """A parent with PR, living elsewhere, whose letters are held for want of an address."""
    return (
        contact.parental_responsibility
        and not contact.lives_with
        and not contact.do_not_contact
        and not (contact.address or "").strip()
    )
