"""What one fetch did, for the status line, the command line and the log."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FetchReport:
    """One source's run: `fetched` messages kept with `proposals`; `skipped` were already
    kept or being read by another PC; `error` says why it stopped (`offline` when the
    server could not be reached: it is tried again later)."""

    source: str
    fetched: int = 0
    proposals: int = 0
    skipped: int = 0
    error: str | None = None
    offline: bool = False
    not_set_up: bool = False
    remarks: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    def describe(self) -> str:
        if self.not_set_up:
            return f"{self.source}: not set up ({self.error})"
        if self.error:
            prefix = "offline, will try again" if self.offline else "not fetched"
            return f"{self.source}: {prefix}: {self.error}"
        line = f"{self.source}: {self.fetched} new message{'s' * (self.fetched != 1)}"
        if self.fetched:
            line += f", {self.proposals} proposal{'s' * (self.proposals != 1)}"
        if self.skipped:
            line += f" ({self.skipped} already kept or being read by another PC)"
        return "; ".join((line, *self.remarks))
