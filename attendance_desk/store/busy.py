"""A busy database waits; it never shows the office an error.

At 08:50 every class takes its register at once. On an SQLite file a writer waits for the
one before it (`PRAGMA busy_timeout`, set in `db`); on a PostgreSQL server two writers that
lock the same rows in turn (the audit chain's head, a raised action both save) wait for each
other, and in the rare case the server must pick one to stop (a deadlock, or a
serialization failure) that one is rolled back whole. `in_transaction` then runs the same
work again, from the start, after a short pause: the person saving sees a save that took a
moment longer, never a database error. An SQLite file still locked after its busy timeout
is tried again the same way.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.store.db import transaction

T = TypeVar("T")

#: PostgreSQL's serialization failure and deadlock: the transaction may simply be run again.
RETRY_STATES = frozenset({"40001", "40P01"})
#: Runs of the work before the error is let through (the waits add up to about 3 s).
ATTEMPTS = 6
FIRST_PAUSE_S = 0.05


def is_busy(exc: BaseException) -> bool:
    """Whether `exc` says only that another writer was in the way (nothing is wrong with the
    work itself, and running it again will do)."""
    original = getattr(exc, "orig", exc)
    if getattr(original, "sqlstate", None) in RETRY_STATES:
        return True
    text = str(original).lower()
    return isinstance(original, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def in_transaction(
    factory: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    pause: Callable[[float], None] = time.sleep,
) -> T:
    """`work(session)` in a transaction committed at its end, run again from the start
    (after a short, growing pause) when the database was busy; any other error, or a busy
    database after `ATTEMPTS` runs, goes to the caller as before."""
    attempt = 1
    while True:
        try:
            with transaction(factory) as session:
                return work(session)
        except DBAPIError as exc:
            if attempt == ATTEMPTS or not is_busy(exc):
                raise
        pause(FIRST_PAUSE_S * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
        attempt += 1
