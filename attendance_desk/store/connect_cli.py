"""Pointing this PC at the school's database, once: `attendance-desk connect ADDRESS` and
Settings → This PC's database.

The address is tried first (connected to and brought up to this version's schema), and saved
only when that works, so a typo never leaves a PC unable to start. No address (or `--forget`)
goes back to the database file in the user's data folder.
"""

from __future__ import annotations

import sys

from attendance_desk.store import connection_config
from attendance_desk.store.db import (
    DatabaseError,
    Location,
    as_location,
    describe,
    is_url,
    open_database,
)


def connect(address: str | None) -> Location | None:
    """Test `address` and save it as this PC's database; None forgets the saved choice.

    Raises `DatabaseError` (it cannot be opened) or `ConnectionConfigError` (it carries a
    password); nothing is saved then.
    """
    location = as_location(address.strip() if address else None)
    if location is None:
        connection_config.write(None)
        return None
    connection_config.refuse_password(str(location))
    factory = open_database(location)
    factory.kw["bind"].dispose()
    connection_config.write(str(location))
    return location


def cmd_connect(address: str | None, *, forget: bool = False) -> int:
    """`connect`: 0 when saved, 1 with the reason on stderr."""
    try:
        location = connect(None if forget else address)
    except (DatabaseError, connection_config.ConnectionConfigError, OSError) as exc:
        print(f"attendance-desk: {exc}", file=sys.stderr)
        return 1
    if location is None:
        print("This PC now opens the database file in its own data folder.")
        return 0
    saved_in = connection_config.config_file()
    print(f"Connected to {describe(location)}; this PC opens it from now on ({saved_in}).")
    if is_url(location):
        print("A server database is backed up on the server (pg_dump), not by this PC.")
    return 0
