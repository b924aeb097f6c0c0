"""The acceptance tests' school (`hillside.py`), their clock, and quick logins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from attendance_desk.access import auth
from attendance_desk.ui.access.acting_user import set_user
from tests.acceptance.hillside import TODAY, Clock, School, build_hillside


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with light settings, so eight staff and each login cost milliseconds, not a
    second (the real settings are tested with logins in tests/access/test_auth.py)."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture
def school(session: Session) -> Iterator[School]:
    """Hillside Primary at 08:30 on the test day (see `hillside`)."""
    yield build_hillside(session)
    set_user(None)  # the next test's window starts with nobody logged in


@pytest.fixture
def clock() -> Clock:
    """08:30 on the test day; each test moves it on."""
    return Clock(datetime.combine(TODAY, time(8, 30)))
