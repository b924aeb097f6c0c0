"""The import's worker thread: it reports its progress, and stopped half way it keeps nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.auth import office_user
from attendance_desk.interop.column_mapping import suggest_mapping
from attendance_desk.interop.import_preview import file_columns
from attendance_desk.models import AuditEvent
from attendance_desk.ui.interop.import_run_pages import ImportWorker
from tests.helpers.builders import build_school
from tests.ui.interop.test_import_wizard import MIS_NAMES, mis_file, pupil_count

NOW = datetime(2025, 9, 12, 10, 0)


def _worker(session: Session, factory: sessionmaker[Session], path: Path) -> ImportWorker:
    """A worker importing `path` as pupils, its columns matched as the wizard suggests."""
    headers, _sample = file_columns(path)
    mapping, _remembered = suggest_mapping(session, "pupils", headers)
    mapping["preferred_forename"] = MIS_NAMES["preferred_forename"]
    return ImportWorker(factory, NOW, "pupils", path, mapping)


def _run(qtbot: QtBot, worker: ImportWorker) -> tuple[list[tuple[int, int]], list[object]]:
    """Every progress report (heard on the worker's thread) and how the worker ended."""
    seen: list[tuple[int, int]] = []
    ended: list[object] = []
    worker.progressed.connect(
        lambda done, total: seen.append((done, total)), Qt.ConnectionType.DirectConnection
    )
    worker.succeeded.connect(ended.append)
    worker.failed.connect(ended.append)
    with qtbot.waitSignal(worker.finished, timeout=30_000):
        worker.start()
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    worker.wait()
    return seen, ended


def test_the_worker_imports_every_row_as_the_office_and_reports_each(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """All eight pupils are committed, audited as the acting user, with progress 0 to 8."""
    build_school(session, name="Oakfield Primary")
    session.commit()
    seen, ended = _run(qtbot, _worker(session, factory, mis_file(tmp_path, "good.csv")))
    assert ended == [ended[0]] and str(ended[0]).startswith("8 pupils added")
    assert seen[0] == (0, 8) and seen[-1] == (8, 8)
    assert pupil_count(factory) == 8
    with factory() as check:
        names = check.scalars(select(AuditEvent.user_name).where(AuditEvent.at == NOW))
        assert set(names) == {office_user(check).full_name}


def test_stopped_half_way_the_worker_keeps_nothing(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Stopped after the first pupil is written (as closing the wizard does), the import rolls
    back: no pupil, no audit row, and the wizard is told nothing was imported."""
    build_school(session, name="Oakfield Primary")
    session.commit()
    worker = _worker(session, factory, mis_file(tmp_path, "good.csv"))
    worker.progressed.connect(
        lambda done, _total: worker.stop() if done else None, Qt.ConnectionType.DirectConnection
    )
    seen, ended = _run(qtbot, worker)
    assert seen == [(0, 8), (1, 8)]
    assert ended == [["The import was stopped; nothing was imported."]]
    assert pupil_count(factory) == 0
    with factory() as check:
        assert check.scalars(select(AuditEvent).where(AuditEvent.at == NOW)).all() == []
