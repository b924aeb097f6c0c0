"""The record from a background thread: a backup, the demo school being built, the outbox's
wake-up, a long import behind its progress bar. A worker is no widget (it cannot show a
message or be told what changed, and it runs off the window's thread), so it cannot use
`run.change`; it hands `in_background` a function of the session (or `change_in_thread` one
of the session, the acting user and the moment) instead, and reports what came of it by its
own signals: the window shows the message and announces what changed once it hears.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import User
from attendance_desk.store.db import transaction
from attendance_desk.ui.access.acting_user import acting_user

T = TypeVar("T")


def in_background(factory: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run `work` in a session of its own on the calling thread, in one transaction: all of
    it is kept, or (when it raises, which the caller sees) none of it. No one is acting (a
    worker's services take no user) and no window hears of it."""
    with transaction(factory) as session:
        return work(session)


def change_in_thread(
    factory: sessionmaker[Session],
    now: datetime,
    work: Callable[[Session, User, datetime], T],
) -> T:
    """`in_background`, as the logged-in user at `now` (an import the office started)."""
    return in_background(factory, lambda session: work(session, acting_user(session), now))
