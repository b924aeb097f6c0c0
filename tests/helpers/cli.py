"""Running `attendance-desk` as a real subprocess, logged in as a member of staff."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from attendance_desk.commands.login import PASSWORD_ENV, USER_ENV
from attendance_desk.store.db import Location
from tests.helpers.builders import STAFF_PASSWORD


def run_cli(
    db: Location,
    *args: str,
    user: str | None = "pat",
    password: str | None = STAFF_PASSWORD,
    stdin: str = "",
) -> subprocess.CompletedProcess[str]:
    """`attendance-desk --db DB ARGS` as `user` with `password`, both from the environment
    as a scheduled task would log in (None leaves either out); `stdin` is what it reads
    there (not a terminal)."""
    env = {k: v for k, v in os.environ.items() if k not in (USER_ENV, PASSWORD_ENV)}
    if user is not None:
        env[USER_ENV] = user
    if password is not None:
        env[PASSWORD_ENV] = password
    return subprocess.run(
        [sys.executable, "-m", "attendance_desk", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        input=stdin,
    )


def log_in_as(monkeypatch: pytest.MonkeyPatch, user: str = "pat") -> None:
    """For `cli.main` run in the test's own process: log in as `user` (a login made with
    `builders.add_staff`) the way a scheduled task does, from the environment."""
    monkeypatch.setenv(USER_ENV, user)
    monkeypatch.setenv(PASSWORD_ENV, STAFF_PASSWORD)
