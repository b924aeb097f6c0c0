"""A change that runs on a worker thread (a long import behind a progress bar).

`change` shows its refusal in a message box and announces on the spot, which only the
window's own thread may do. A worker calls `change_in_thread` instead: the same acting user,
the same one transaction, all of it or none of it, but whatever `work` raises reaches the
worker, which hands the message back to the window to show, and the window announces what
changed once it hears the work is done.
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


def change_in_thread(
    factory: sessionmaker[Session],
    now: datetime,
    work: Callable[[Session, User, datetime], T],
) -> T:
    """Run `work` as the logged-in user at `now` in one transaction, committed only when it
    returns; anything it raises rolls everything back and is raised again to the caller."""
    with transaction(factory) as session:
        return work(session, acting_user(session), now)
