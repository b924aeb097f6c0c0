"""The wording each letter is printed with: the standard text, or the school's own.

The standard texts ship as files in resources/letters/. A school that rewords a letter saves
its text from the editor in the Letters tab; it is kept in the database (`letter_templates`)
so every office PC prints the same letter, and never overwritten: the newest row for a name
is in use and older rows are its history. A row without a body means the school went back
to the standard text. Every save and every return to the standard is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.letters.templates import (
    Template,
    TemplateError,
    available_templates,
    load_template,
    parse_template,
)
from attendance_desk.models import LetterTemplateVersion, User
from attendance_desk.pathway.errors import LettersError
from attendance_desk.pathway.stages import TEMPLATES, PathwayError, current_pathway

#: A letter longer than this is a mistake (a pasted document), not a letter.
MAX_LENGTH = 20_000


class TemplateStoreError(LettersError):
    """A save or revert that cannot be done; nothing was written."""


@dataclass(frozen=True)
class TemplateText:
    """The wording a letter is printed with now, and whether it is the school's own."""

    name: str
    label: str
    text: str
    own: bool
    saved_at: datetime | None
    saved_by: str


@dataclass(frozen=True)
class TemplateVersion:
    """One saved change to a letter's wording: the school's text, or back to the standard."""

    id: int
    name: str
    saved_at: datetime
    saved_by: str
    text: str | None

    @property
    def own(self) -> bool:
        return self.text is not None


def standard_text(name: str) -> str:
    """The shipped wording of letter `name` (its file in resources/letters/)."""
    _known(name)
    return (TEMPLATES / f"{name}.txt").read_text(encoding="utf-8")


def _known(name: str) -> None:
    if name not in available_templates():
        raise TemplateStoreError(f"there is no letter template called '{name}'")


def _latest(session: Session, name: str) -> LetterTemplateVersion | None:
    return session.scalar(
        select(LetterTemplateVersion)
        .where(LetterTemplateVersion.name == name)
        .order_by(LetterTemplateVersion.saved_at.desc(), LetterTemplateVersion.id.desc())
        .limit(1)
    )


def current_text(session: Session, name: str) -> TemplateText:
    """The wording letter `name` is printed with now."""
    row = _latest(session, name)
    own = row is not None and row.body is not None
    text = row.body if row is not None and row.body is not None else standard_text(name)
    try:
        label = parse_template(name, text).label
    except TemplateError:
        label = name
    return TemplateText(
        name=name,
        label=label,
        text=text,
        own=own,
        saved_at=row.saved_at if row else None,
        saved_by=row.saved_by_name if row else "",
    )


def current_template(session: Session, name: str) -> Template:
    """Letter `name` parsed, in the wording in use: what sending and previews print."""
    row = _latest(session, name)
    if row is None or row.body is None:
        return load_template(name)
    return parse_template(name, row.body, f"the school's wording of {name}")


def templates_in_use(session: Session) -> dict[str, Template]:
    """Every letter in the wording in use, by name."""
    return {name: current_template(session, name) for name in available_templates()}


def template_labels(session: Session) -> dict[str, str]:
    """Each letter's label ("Letter A") in the wording in use, by name."""
    return {name: current_text(session, name).label for name in available_templates()}


def letters_in_order(session: Session) -> list[TemplateText]:
    """Every letter's wording in use: the chosen pathway's letters first, in its order."""
    names = available_templates()
    try:
        steps = current_pathway(session).steps.values()
        first = [s.template for s in steps if s.template in names]
    except PathwayError:
        first = []
    ordered = list(dict.fromkeys([*first, *names]))
    return [current_text(session, name) for name in ordered if name is not None]


def check_text(name: str, text: str) -> Template:
    """`text` parsed as letter `name`; a TemplateError says which line and field are wrong."""
    if len(text) > MAX_LENGTH:
        raise TemplateError(name, f"the letter is longer than {MAX_LENGTH:,} characters")
    return parse_template(name, text, name)


def save_text(session: Session, *, name: str, text: str, user: User, now: datetime) -> TemplateText:
    """Make `text` the school's wording of letter `name`, for every PC from now on.

    Raises:
        TemplateError: the text does not parse (the message names the line and field).
        TemplateStoreError: no such letter, or the text is the wording already in use.
    """
    require(user, Permission.EDIT_LETTER_TEMPLATES)
    _known(name)
    template = check_text(name, text)
    if text == current_text(session, name).text:
        raise TemplateStoreError(f"{template.label}: the wording is unchanged, nothing to save")
    row = _add(session, name=name, body=text, user=user, now=now)
    audit.record(
        session,
        user=user,
        now=now,
        action="edit",
        entity="letter_template",
        entity_id=row.id,
        template=name,
        label=template.label,
        characters=len(text),
    )
    return current_text(session, name)


def revert_to_standard(session: Session, *, name: str, user: User, now: datetime) -> TemplateText:
    """Print letter `name` with the standard wording again; the school's text stays in history."""
    require(user, Permission.EDIT_LETTER_TEMPLATES)
    _known(name)
    current = current_text(session, name)
    if not current.own:
        raise TemplateStoreError(f"{current.label} already has the standard wording")
    row = _add(session, name=name, body=None, user=user, now=now)
    audit.record(
        session,
        user=user,
        now=now,
        action="revert",
        entity="letter_template",
        entity_id=row.id,
        template=name,
        label=current.label,
    )
    return current_text(session, name)


def _add(
    session: Session, *, name: str, body: str | None, user: User, now: datetime
) -> LetterTemplateVersion:
    row = LetterTemplateVersion(
        name=name, body=body, saved_at=now, saved_by_id=user.id, saved_by_name=user.full_name
    )
    session.add(row)
    session.flush()
    return row


def history(session: Session, name: str) -> list[TemplateVersion]:
    """Every saved change to letter `name`, newest first."""
    rows = session.scalars(
        select(LetterTemplateVersion)
        .where(LetterTemplateVersion.name == name)
        .order_by(LetterTemplateVersion.saved_at.desc(), LetterTemplateVersion.id.desc())
    )
    return [TemplateVersion(r.id, r.name, r.saved_at, r.saved_by_name, r.body) for r in rows]
