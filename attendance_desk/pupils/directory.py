"""The pupil directory: who is on roll today, how to reach their families, and their attendance.

The Pupils tab shows these rows; they are plain values, so nothing lazy-loads while a table
paints. One query fetches the pupils with their groups, one the contacts (`selectinload`),
and one the year's figures from `stats`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from attendance_desk.catalogues.redaction import open_flags
from attendance_desk.models import Contact, Pupil, RegGroup, School, YearGroup
from attendance_desk.pupils.name_search import matches, search_words
from attendance_desk.register import stats
from attendance_desk.school.term_dates import academic_year_of

#: Statutory and pastoral flags in the order the office reads them, with their meanings.
FLAG_MEANINGS: dict[str, str] = {
    "CP": "Child protection plan",
    "CIN": "Child in need",
    "CLA": "Child looked after",
    "SEN": "SEN support or EHC plan",
    "FSM": "Free school meals",
    "YC": "Young carer",
}
_FLAG_ATTRIBUTES = {
    "CP": "cp",
    "CIN": "cin",
    "CLA": "cla",
    "SEN": "sen",
    "FSM": "fsm",
    "YC": "young_carer",
}
_FLAG_LETTERS = {attr: flag for flag, attr in _FLAG_ATTRIBUTES.items()}


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One of a pupil's contacts, as the office phones them (priority 1 first)."""

    priority: int
    name: str
    relationship: str
    parental_responsibility: bool
    phone: str | None
    email: str | None
    do_not_contact: bool
    phone_alt: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class PupilRow:
    """A pupil on roll as the Pupils tab lists them."""

    pupil_id: int
    upn: str
    name: str
    legal_name: str
    year_group: str
    year_name: str
    year_order: int
    reg_group: str
    date_of_birth: date
    flags: str
    vulnerable: bool
    social_worker: str | None
    attendance_pct: float | None
    persistent: bool
    severe: bool
    contacts: tuple[ContactRow, ...]
    #: `flags` and `vulnerable` as anyone may see them: CP, CIN and CLA show only as
    #: vulnerable (`catalogues.redaction.for_viewer` swaps these in).
    open_flags: str
    open_vulnerable: bool


def school_title(session: Session) -> str | None:
    """The school's name, or None before a school exists."""
    return session.scalar(select(School.name).order_by(School.id).limit(1))


def is_empty(session: Session) -> bool:
    """True when the database holds no pupils at all (on roll or not)."""
    return not session.scalar(select(exists().where(Pupil.id.is_not(None))))


def year_start(today: date) -> date:
    """The first day of the academic year containing `today`.

    `calendar_store` stores every academic year as 1 August to 31 July, so this is the
    stored year's start without another query.
    """
    return date(academic_year_of(today), 8, 1)


def list_pupils(session: Session, *, today: date, search: str = "") -> list[PupilRow]:
    """Pupils on roll on `today` matching `search`, by surname then forename.

    Every word of `search` must be found, anywhere in the text, in one of the surname, the
    legal or preferred forename, the UPN or the registration group, so "amy smi" and "3a
    smith" both narrow the list. Accents, apostrophes and case are ignored (`name_search`):
    "wojcik" finds Wójcik, "obrien" O'Brien. Attendance is this academic year's, up to and
    including `today`; None when there have been no possible sessions.
    """
    on_roll = Pupil.on_roll_between(today, today)
    words = search_words(search)
    if search.strip() and not words:
        return []  # only punctuation typed: no name is made of that
    wanted: list[ColumnElement[bool]] = []
    if words:
        # Folding cannot be done in SQL, so the names of the pupils on roll (a few thousand
        # short rows at most) are matched here and only the matches loaded in full.
        names = session.execute(
            select(
                Pupil.id,
                Pupil.legal_surname,
                Pupil.legal_forename,
                Pupil.preferred_forename,
                Pupil.upn,
                RegGroup.name,
            )
            .join(Pupil.reg_group)
            .where(on_roll)
        )
        ids = [row[0] for row in names if matches(words, *row[1:])]
        if not ids:
            return []
        wanted.append(Pupil.id.in_(ids))
    query = (
        select(Pupil)
        .join(Pupil.reg_group)
        .join(Pupil.year_group)
        .options(
            contains_eager(Pupil.reg_group),
            contains_eager(Pupil.year_group),
            selectinload(Pupil.contacts),
        )
        .where(on_roll, *wanted)
        .order_by(
            func.lower(Pupil.legal_surname),
            func.lower(func.coalesce(Pupil.preferred_forename, Pupil.legal_forename)),
            Pupil.id,
        )
    )
    pupils = session.scalars(query).unique().all()
    if not pupils:
        return []
    loaded = [p.id for p in pupils] if words else None
    figures = stats.pupil_figures(session, year_start(today), today, loaded)
    return [_row(p, figures.get(p.id)) for p in pupils]


def pupil_row(session: Session, pupil_id: int, *, today: date) -> PupilRow | None:
    """One pupil as the Pupils tab shows them, on roll or not (a pupil file's header):
    attendance over this academic year up to `today`."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        return None
    figures = stats.pupil_figures(session, year_start(today), today, [pupil_id])
    return _row(pupil, figures.get(pupil_id))


def _row(pupil: Pupil, figures: stats.Figures | None) -> PupilRow:
    year: YearGroup = pupil.year_group
    return PupilRow(
        pupil_id=pupil.id,
        upn=pupil.upn,
        name=pupil.display_name,
        legal_name=f"{pupil.legal_forename} {pupil.legal_surname}",
        year_group=year.code,
        year_name=year.name,
        year_order=year.sort_order,
        reg_group=pupil.reg_group.name,
        date_of_birth=pupil.date_of_birth,
        flags=" ".join(flag for flag, attr in _FLAG_ATTRIBUTES.items() if getattr(pupil, attr)),
        vulnerable=pupil.vulnerable,
        open_flags=" ".join(_FLAG_LETTERS[attr] for attr in open_flags(pupil, list(_FLAG_LETTERS))),
        open_vulnerable=bool(open_flags(pupil, ("vulnerable",))),
        social_worker=pupil.social_worker,
        attendance_pct=figures.attendance_pct if figures else None,
        persistent=bool(figures and figures.persistent),
        severe=bool(figures and figures.severe),
        # The relationship is ordered by priority, so the list arrives as the office calls.
        contacts=tuple(_contact_row(c) for c in pupil.contacts),
    )


def _contact_row(contact: Contact) -> ContactRow:
    return ContactRow(
        priority=contact.priority,
        name=contact.name,
        relationship=contact.relationship_to_pupil,
        parental_responsibility=contact.parental_responsibility,
        phone=contact.phone,
        email=contact.email,
        do_not_contact=contact.do_not_contact,
        phone_alt=contact.phone_alt,
        notes=contact.notes,
    )
