"""The one way a screen reads or changes the record (Anki's `aqt/operations/` is the model).

A widget never opens a session. It hands `read` a function of the session and shows what
comes back; it hands `change` a function of the session, the acting user and the moment, and
`change` runs it in one transaction, turns a refusal into one plain message, and announces
what changed so every tab that shows it catches up. A refusal leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import User
from attendance_desk.store.busy import in_transaction
from attendance_desk.store.db import transaction
from attendance_desk.ui.access.acting_user import acting_user
from attendance_desk.ui.operations.changes import Change, announce

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """A change that went through, and what its service returned."""

    value: T


@dataclass(frozen=True, slots=True)
class Refused:
    """A change a service refused, with the message the office reads."""

    message: str


def read(factory: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """What `work` reads from the record; nothing it does is kept."""
    with factory() as session:
        return work(session)


def read_as(
    factory: sessionmaker[Session],
    now: Callable[[], datetime],
    work: Callable[[Session, User, datetime], T],
) -> T:
    """What `work` reads as the logged-in user at `now()` (what they may see); nothing kept."""
    with factory() as session:
        return work(session, acting_user(session), now())


def audited(
    factory: sessionmaker[Session],
    now: Callable[[], datetime],
    work: Callable[[Session, User, datetime], T],
) -> T:
    """A read that is itself recorded (viewing safeguarding detail is audited): `work` runs
    as the logged-in user at `now()` and its audit rows are kept."""
    with transaction(factory) as session:
        return work(session, acting_user(session), now())


def change(
    widget: QObject,
    factory: sessionmaker[Session],
    now: Callable[[], datetime],
    work: Callable[[Session, User, datetime], T],
    *,
    refusals: tuple[type[Exception], ...] = (ValueError,),
    changes: Iterable[Change] = (),
    say: Callable[[str], object] | None = None,
    retry_busy: bool = False,
) -> Done[T] | Refused:
    """Run `work` as the logged-in user at `now()`, all of it or none of it.

    An exception of `refusals` (what the services raise for bad input or a rule) becomes one
    message: handed to `say` when the widget shows messages itself, else a warning box. On
    success the window hears about `changes`. With `retry_busy`, a database busy with another
    writer runs `work` again from the start (`store.busy`): for saves every PC makes at once.
    """

    def run(session: Session) -> T:
        return work(session, acting_user(session), now())

    try:
        if retry_busy:
            value = in_transaction(factory, run)
        else:
            with transaction(factory) as session:
                value = run(session)
    except refusals as exc:
        message = str(exc)
        if say is not None:
            say(message)
        else:
            parent = widget if isinstance(widget, QWidget) else None
            QMessageBox.warning(parent, "Not saved", message)
        return Refused(message)
    kinds = tuple(changes)
    if kinds:
        announce(widget, *kinds)
    return Done(value)


def keep(
    factory: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    also_on: tuple[type[Exception], ...],
) -> T:
    """Run `work` and keep what it wrote, even when it then raises one of `also_on`: for a
    service that audits a refusal (a wrong password counts towards the lock-out) and raises."""
    with factory() as session:
        try:
            value = work(session)
        except also_on:
            session.commit()
            raise
        session.commit()
    return value
