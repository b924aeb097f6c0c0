"""Opening a database that needs no upgrade is quick: the schema's head is read from the
migration files' text, which must agree with alembic's own reading of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.store.db import alembic_config, head_from_files


def test_the_head_read_from_the_files_is_alembics(factory: sessionmaker[Session]) -> None:
    """The quick check's head is the head alembic would upgrade to."""
    script = ScriptDirectory.from_config(alembic_config(factory.kw["bind"]))
    assert head_from_files() == script.get_current_head()


@pytest.mark.sqlite_only("opens a file in a second process")
def test_an_up_to_date_database_opens_without_loading_alembic(
    factory: sessionmaker[Session], db_path: Path
) -> None:
    """A second start on a database already at the head never loads alembic."""
    probe = (
        "import sys; from attendance_desk.store.db import open_database; "
        f"open_database({str(db_path)!r}); print('alembic' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "False"
