"""Fetches the absence inbox in the background: every two minutes, at once when asked
(Fetch now), and when the network comes back (see `PeriodicRunner`).

Each run claims messages by UID in the database (`inbox.fetching.fetch_all`), so every
office PC running the window and a scheduled `inbox fetch` never keep a message twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.ui.workers.periodic_runner import PeriodicRunner

INTERVAL_MS = 120_000


class InboxFetcher(PeriodicRunner):
    """`start` it once; `finished` carries each run's list of `FetchReport` (or why not)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(factory, now, parent, interval_ms=INTERVAL_MS, failed="could not fetch")

    def fetch_now(self) -> None:
        self.run_now()

    def _work(self) -> Callable[[], object]:
        factory, clock = self._factory, self._now

        def fetch() -> object:
            from attendance_desk.inbox.fetching import fetch_all  # mail libraries: when used

            return fetch_all(factory, clock=clock)

        return fetch
