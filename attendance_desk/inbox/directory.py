"""Everyone who may write to the absence inbox and the children they may write about,
loaded once for a batch of messages so matching each one is a few dictionary look-ups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import Contact, Pupil, RegGroup
from attendance_desk.pupils.name_search import fold


@dataclass(frozen=True, slots=True)
class Child:
    """A pupil (on roll or not) as the matching needs them."""

    pupil_id: int
    upn: str
    name: str
    group: str
    sex: str | None
    #: Folded forenames the family may use: legal and preferred.
    forenames: tuple[str, ...]
    surname: str
    on_roll_from: date
    on_roll_to: date | None

    def on_roll(self, day: date) -> bool:
        return self.on_roll_from <= day and (self.on_roll_to is None or day <= self.on_roll_to)


@dataclass(frozen=True, slots=True)
class Known:
    """One contact row: this person is a contact for this pupil."""

    contact_id: int
    pupil_id: int
    name: str
    relationship: str
    parental_responsibility: bool
    do_not_contact: bool

    @property
    def label(self) -> str:
        return f"{self.name} ({self.relationship})"


def phone_key(number: str) -> str:
    """A UK number as digits from its leading 0: `+44 7700 900001` → `07700900001`."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if digits.startswith("44") and len(digits) >= 12:
        digits = "0" + digits[2:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    return digits


@dataclass
class Directory:
    children: dict[int, Child] = field(default_factory=dict)
    by_email: dict[str, list[Known]] = field(default_factory=lambda: defaultdict(list))
    by_phone: dict[str, list[Known]] = field(default_factory=lambda: defaultdict(list))
    by_contact_name: dict[str, list[Known]] = field(default_factory=lambda: defaultdict(list))
    by_forename: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    #: The email-to-text domain: a reply from NUMBER@domain is a text from NUMBER.
    text_domain: str = ""

    @classmethod
    def load(cls, session: Session, *, text_domain: str = "") -> Directory:
        directory = cls(text_domain=text_domain.strip().lower().lstrip("@"))
        for pupil, group in session.execute(
            select(Pupil, RegGroup.name).join(RegGroup, RegGroup.id == Pupil.reg_group_id)
        ):
            forenames = tuple(
                dict.fromkeys(
                    fold(n)
                    for n in (pupil.preferred_forename, pupil.legal_forename)
                    if n and n.strip()
                )
            )
            child = Child(
                pupil.id,
                pupil.upn,
                pupil.display_name,
                group,
                pupil.sex,
                forenames,
                fold(pupil.legal_surname),
                pupil.on_roll_from,
                pupil.on_roll_to,
            )
            directory.children[pupil.id] = child
            for name in forenames:
                directory.by_forename[name].append(pupil.id)
        for contact in session.scalars(select(Contact)):
            known = Known(
                contact.id,
                contact.pupil_id,
                contact.name,
                contact.relationship_to_pupil,
                contact.parental_responsibility,
                contact.do_not_contact,
            )
            if contact.email and contact.email.strip():
                directory.by_email[contact.email.strip().lower()].append(known)
            for number in (contact.phone, contact.phone_alt):
                if number and len(key := phone_key(number)) >= 10:
                    directory.by_phone[key].append(known)
            directory.by_contact_name[fold(contact.name)].append(known)
        return directory

    def senders(self, address: str) -> list[Known]:
        """The contact rows an email address or phone number belongs to (none: not on file).

        A reply from the email-to-text domain is looked up by its number."""
        address = address.strip().lower()
        if "@" in address:
            local, _, domain = address.rpartition("@")
            if self.text_domain and domain == self.text_domain:
                return list(self.by_phone.get(phone_key(local), ()))
            return list(self.by_email.get(address, ()))
        return list(self.by_phone.get(phone_key(address), ()))

    def is_text_reply(self, address: str) -> bool:
        return bool(self.text_domain) and address.strip().lower().endswith("@" + self.text_domain)
