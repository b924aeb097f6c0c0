"""How a PostgreSQL connection returns computed figures: as SQLite does.

Imported only when the database is on a server, so a PC working on its own file never
loads the PostgreSQL driver (it costs start-up time).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from psycopg.abc import Buffer
from psycopg.adapt import Loader


class _NumberLoader(Loader):
    """NUMERIC results as SQLite gives them: a whole number as int, any other as float.

    PostgreSQL sums and averages whole-number columns as NUMERIC (Decimal in Python), where
    SQLite gives int and float; the schema has no NUMERIC column of its own, so this only
    ever applies to such computed figures, and they add and divide the same on both.
    """

    def load(self, data: Buffer) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def register_number_loader(dbapi_connection: Any, _record: Any) -> None:
    """Installed on every new server connection (a SQLAlchemy `connect` listener)."""
    dbapi_connection.adapters.register_loader("numeric", _NumberLoader)
