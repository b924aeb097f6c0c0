"""A present mark is stored as its session's own: `/` in the morning, `\\` in the afternoon."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk import interop
from attendance_desk.catalogues import codes
from attendance_desk.models import Mark, MarkAmendment, Pupil, User
from attendance_desk.register.marks import MarkEdit, amend_mark, record_mark, save_marks
from tests.helpers.builders import school_with

MON = date(2025, 9, 8)
AFTERNOON = datetime(2025, 9, 8, 12, 50)  # year 3's afternoon register is open


@pytest.fixture
def school(session: Session) -> tuple[Session, User, list[int]]:
    user, pupils = school_with(session, "Amy Adams", "Amy Brown")
    return session, user, [p.id for p in pupils]


def stored(session: Session) -> dict[tuple[int, str], str]:
    return {(m.pupil_id, m.session): m.code for m in session.scalars(select(Mark))}


def test_either_slash_is_the_sessions_present_mark() -> None:
    """`/` and `\\` become the session's mark; other codes pass through."""
    assert [codes.for_session(c, "PM") for c in ("/", "\\", "L", "N")] == ["\\", "\\", "L", "N"]
    assert [codes.for_session(c, "AM") for c in ("/", "\\", "L")] == ["/", "/", "L"]


def test_saving_a_slash_in_the_afternoon_stores_a_backslash(
    school: tuple[Session, User, list[int]],
) -> None:
    """A register save of `/` for PM (and `\\` for AM) stores each session's own mark."""
    session, user, (amy, ben) = school
    save_marks(
        session,
        user=user,
        now=AFTERNOON,
        edits=[MarkEdit(amy, MON, "PM", "/", None), MarkEdit(ben, MON, "AM", "\\", None)],
    )
    assert stored(session) == {(amy, "PM"): "\\", (ben, "AM"): "/"}


def test_the_other_slash_over_a_present_mark_changes_nothing(
    school: tuple[Session, User, list[int]],
) -> None:
    """Typing `/` over a stored afternoon `\\` is no change: no correction, no amendment."""
    session, user, (amy, _) = school
    save_marks(session, user=user, now=AFTERNOON, edits=[MarkEdit(amy, MON, "PM", "\\", None)])
    mark = session.scalars(select(Mark)).one()
    result = save_marks(
        session,
        user=user,
        now=datetime(2025, 9, 8, 15, 0),
        amendment_reason="typo",
        edits=[MarkEdit(amy, MON, "PM", "/", mark.version)],
    )
    assert (result.unchanged, result.amended) == (1, 0)
    assert amend_mark(session, mark=mark, code="/", reason="x", user=user, now=AFTERNOON) is None
    assert session.scalars(select(MarkAmendment)).all() == []


def test_every_writer_goes_through_the_same_rule(
    school: tuple[Session, User, list[int]], tmp_path: Path
) -> None:
    """`record_mark` (parents' reports, leave, the CTF) and a marks CSV both store `\\`."""
    session, user, (amy, ben) = school
    pupil = session.get(Pupil, amy)
    assert pupil is not None
    record_mark(
        session, pupil=pupil, day=MON, session_name="PM", code="/", user=user, now=AFTERNOON
    )
    ben_upn = session.get(Pupil, ben).upn  # type: ignore[union-attr]
    file = tmp_path / "marks.csv"
    file.write_text(f"upn,date,session,code\n{ben_upn},2025-09-08,PM,/\n", encoding="utf-8")
    interop.import_marks(session, file, user=user, now=AFTERNOON)
    assert stored(session) == {(amy, "PM"): "\\", (ben, "PM"): "\\"}
