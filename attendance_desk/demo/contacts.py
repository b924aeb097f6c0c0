"""Who the demo school phones: parents and carers in priority order, with believable details.

Phone numbers come from Ofcom's ranges reserved for drama (07700 900000-900999 and
0121 496 0000-0999), so a demo can never ring a real person; there are only a thousand of
each, so a big demo reuses them. Email addresses use the reserved `example.*` domains.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from attendance_desk.demo import names
from attendance_desk.demo.names import Background


@dataclass(slots=True)
class ContactPlan:
    """One contact row, before it has a pupil id."""

    name: str
    relationship: str
    parental_responsibility: bool
    phone: str | None
    phone_alt: str | None = None
    email: str | None = None
    address: str | None = None
    lives_with: bool = True
    do_not_contact: bool = False
    notes: str | None = None


class Numbers:
    """Hands out drama-range numbers and example.* emails in a seeded order."""

    def __init__(self, rng: random.Random) -> None:
        self._mobiles = rng.sample(range(1000), 1000)
        self._landlines = rng.sample(range(1000), 1000)
        self._next_mobile = 0
        self._next_landline = 0
        self._emails: Counter[str] = Counter()
        self._rng = rng

    def mobile(self) -> str:
        n = self._mobiles[self._next_mobile % 1000]
        self._next_mobile += 1
        return f"07700 900{n:03d}"

    def landline(self) -> str:
        n = self._landlines[self._next_landline % 1000]
        self._next_landline += 1
        return f"0121 496 0{n:03d}"

    def email(self, name: str) -> str | None:
        if self._rng.random() < 0.1:
            return None
        words = [_ascii(w) for w in name.split()]
        local = ".".join(w for w in (words[0], words[-1]) if w)
        self._emails[local] += 1
        if self._emails[local] > 1:
            local += str(self._emails[local])
        domain = self._rng.choice(("example.com", "example.org", "example.net"))
        return f"{local}@{domain}"


def _ascii(word: str) -> str:
    folded = unicodedata.normalize("NFKD", word.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in folded.encode("ascii", "ignore").decode() if c.isalnum()).lower()


def address(rng: random.Random) -> str:
    """A house on a made-up street in the school's catchment."""
    letters = names.POSTCODE_LETTERS
    postcode = (
        f"{rng.choice(names.POSTCODE_AREAS)} {rng.randint(1, 9)}"
        f"{rng.choice(letters)}{rng.choice(letters)}"
    )
    street = f"{rng.choice(names.STREETS)} {rng.choice(names.STREET_KINDS)}"
    district = rng.choice(names.DISTRICTS)
    return f"{rng.randint(1, 240)} {street}, {district}, Birmingham {postcode}"


def _person(rng: random.Random, first_names: tuple[str, ...], surname: str) -> str:
    return f"{rng.choice(first_names)} {surname}"


def family_contacts(
    rng: random.Random,
    numbers: Numbers,
    *,
    mother_bg: Background,
    father_bg: Background,
    surname: str,
    home: str,
    cla: bool,
    today: date,
) -> list[ContactPlan]:
    """Two or three contacts in priority order; every child has someone with PR.

    Most children live with both parents (both with parental responsibility); some with one
    parent, some with a step-parent, a few with grandparents under a special guardianship
    order or with foster carers. A grandparent, aunt or uncle without PR is often third.
    """
    home_phone = numbers.landline() if rng.random() < 0.45 else None

    def parent(
        bg: Background,
        female: bool,
        name_surname: str,
        *,
        phone_alt: str | None = None,
        lives_with: bool = True,
        do_not_contact: bool = False,
        notes: str | None = None,
    ) -> ContactPlan:
        name = _person(rng, bg.women if female else bg.men, name_surname)
        return ContactPlan(
            name=name,
            relationship="Mother" if female else "Father",
            parental_responsibility=True,
            phone=numbers.mobile(),
            phone_alt=phone_alt,
            email=numbers.email(name),
            address=home if lives_with else address(rng),
            lives_with=lives_with,
            do_not_contact=do_not_contact,
            notes=notes,
        )

    def relative(bg: Background) -> ContactPlan:
        kind = rng.choice(("Grandmother", "Grandmother", "Grandfather", "Aunt", "Uncle"))
        pool = {
            "Grandmother": bg.elders_f,
            "Grandfather": bg.elders_m,
            "Aunt": bg.women,
            "Uncle": bg.men,
        }[kind]
        return ContactPlan(
            name=_person(rng, pool, surname if rng.random() < 0.6 else rng.choice(bg.surnames)),
            relationship=kind,
            parental_responsibility=False,
            phone=numbers.mobile(),
            address=address(rng),
            lives_with=False,
        )

    if cla:
        carers_surname = rng.choice(names.BACKGROUNDS[0].surnames)
        carers = [
            ContactPlan(
                name=_person(rng, names.BACKGROUNDS[0].women, carers_surname),
                relationship="Foster carer",
                parental_responsibility=False,
                phone=numbers.mobile(),
                phone_alt=home_phone,
                address=home,
                notes="Foster carer; the local authority shares parental responsibility",
            ),
            ContactPlan(
                name=_person(rng, names.BACKGROUNDS[0].men, carers_surname),
                relationship="Foster carer",
                parental_responsibility=False,
                phone=numbers.mobile(),
                phone_alt=home_phone,
                address=home,
            ),
        ]
        birth_mother = parent(
            mother_bg,
            True,
            surname,
            lives_with=False,
            do_not_contact=True,
            notes="Looked after child (care order): contact only through the social worker",
        )
        birth_mother.relationship = "Birth mother"
        return [*carers, birth_mother]

    kind = rng.choices(
        ("both", "separated", "single", "step", "kinship"), weights=(60, 16, 15, 7, 2)
    )[0]
    if kind == "both":
        mother = parent(mother_bg, True, surname, phone_alt=home_phone)
        father = parent(father_bg, False, surname, phone_alt=home_phone)
        first, second = (father, mother) if rng.random() < 0.2 else (mother, father)
        contacts = [first, second]
        if rng.random() < 0.7:
            contacts.append(relative(rng.choice((mother_bg, father_bg))))
        return contacts
    if kind == "separated":
        mother_name = surname if rng.random() < 0.6 else rng.choice(mother_bg.surnames)
        resident = parent(mother_bg, True, mother_name, phone_alt=home_phone)
        other = parent(father_bg, False, surname, lives_with=False)
        if rng.random() < 0.15:
            resident, other = (
                parent(father_bg, False, surname, phone_alt=home_phone),
                parent(mother_bg, True, mother_name, lives_with=False),
            )
        if rng.random() < 0.1:
            when = today - timedelta(days=rng.randint(60, 1500))
            other.do_not_contact = True
            other.notes = rng.choice(names.COURT_ORDER_NOTES).format(date=f"{when:%d/%m/%Y}")
        contacts = [resident, other]
        if rng.random() < 0.6:
            contacts.append(relative(mother_bg if resident.relationship == "Mother" else father_bg))
        return contacts
    if kind == "single":
        female = rng.random() < 0.85
        only = parent(mother_bg if female else father_bg, female, surname, phone_alt=home_phone)
        contacts = [only, relative(mother_bg if female else father_bg)]
        if rng.random() < 0.3:
            contacts.append(
                ContactPlan(
                    name=_person(rng, mother_bg.women, rng.choice(mother_bg.surnames)),
                    relationship="Family friend",
                    parental_responsibility=False,
                    phone=numbers.mobile(),
                    lives_with=False,
                )
            )
        return contacts
    if kind == "step":
        mother = parent(mother_bg, True, rng.choice(mother_bg.surnames), phone_alt=home_phone)
        step = ContactPlan(
            name=_person(rng, father_bg.men, mother.name.split()[-1]),
            relationship="Stepfather",
            parental_responsibility=False,
            phone=numbers.mobile(),
            phone_alt=home_phone,
            address=home,
        )
        father = parent(father_bg, False, surname, lives_with=False)
        return [mother, step, father]
    gran = ContactPlan(
        name=_person(rng, mother_bg.elders_f, surname),
        relationship="Grandmother",
        parental_responsibility=True,
        phone=numbers.mobile(),
        phone_alt=home_phone,
        address=home,
        notes="Special guardianship order: grandmother holds parental responsibility",
    )
    grandad = ContactPlan(
        name=_person(rng, father_bg.elders_m, surname),
        relationship="Grandfather",
        parental_responsibility=False,
        phone=numbers.mobile(),
        phone_alt=home_phone,
        address=home,
    )
    mother = parent(mother_bg, True, rng.choice(mother_bg.surnames), lives_with=False)
    return [gran, grandad, mother]
