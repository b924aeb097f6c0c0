"""Two PCs on one database: each sees the other's register, and neither loses the other's work.

"PC A" and "PC B" each open the database themselves (their own engine and connections, as two
computers pointed at the same PostgreSQL server would). The suite runs this on SQLite too,
where the two PCs share one file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import AuditEvent, Mark, MarkAmendment
from attendance_desk.register.marks import ConcurrentChange, MarkEdit, save_marks
from attendance_desk.register.sheet import GroupChoice, load_sheet
from attendance_desk.store.db import Location, open_database
from tests.helpers.builders import add_pupil, add_staff, build_school

MON = date(2025, 9, 8)
BEFORE_CLOSE = datetime(2025, 9, 8, 8, 55)
A_AMENDS = datetime(2025, 9, 8, 10, 12)
B_AMENDS = datetime(2025, 9, 8, 10, 14)


@pytest.fixture
def two_pcs(db_path: Location) -> Iterator[tuple[sessionmaker[Session], sessionmaker[Session]]]:
    """The school set up once, then opened separately by the receptionist's PC and the
    attendance officer's."""
    setup = open_database(db_path)
    with setup() as session:
        build_school(session)
        add_pupil(session, 1, surname="Adams", forename="Amy")
        add_pupil(session, 2, surname="Brown", forename="Ben")
        add_staff(session, pat="admin", reception="receptionist", attendance="attendance_officer")
        session.commit()
    setup.kw["bind"].dispose()
    pc_a, pc_b = open_database(db_path), open_database(db_path)
    assert pc_a.kw["bind"] is not pc_b.kw["bind"]
    yield pc_a, pc_b
    for pc in (pc_a, pc_b):
        pc.kw["bind"].dispose()


def _sheet_codes(session: Session) -> dict[str, str]:
    from attendance_desk.models import RegGroup

    group = session.scalars(select(RegGroup).where(RegGroup.name == "3A")).one()
    sheet = load_sheet(session, GroupChoice("reg_group", group.id, group.name), MON, MON)
    return {row.name: row.cells[(MON, "AM")].code for row in sheet.rows if (MON, "AM") in row.cells}


def _user(session: Session, name: str):  # noqa: ANN202 (a User)
    from attendance_desk.models import User

    return session.scalars(select(User).where(User.username == name)).one()


def _mark(session: Session, surname: str) -> Mark:
    from attendance_desk.models import Pupil

    return session.scalars(
        select(Mark).join(Pupil).where(Pupil.legal_surname == surname, Mark.date == MON)
    ).one()


def test_a_register_saved_on_one_pc_is_seen_on_the_other(two_pcs: tuple) -> None:
    pc_a, pc_b = two_pcs
    with pc_a() as a:
        assert _sheet_codes(a) == {}
        from attendance_desk.models import Pupil

        amy, ben = a.scalars(select(Pupil.id).order_by(Pupil.legal_surname))
        save_marks(
            a,
            user=_user(a, "reception"),
            now=BEFORE_CLOSE,
            edits=[MarkEdit(amy, MON, "AM", "/", None), MarkEdit(ben, MON, "AM", "N", None)],
        )
        a.commit()
    with pc_b() as b:
        assert _sheet_codes(b) == {"Adams, Amy": "/", "Brown, Ben": "N"}


def _register_taken(pc: sessionmaker[Session]) -> None:
    from attendance_desk.models import Pupil

    with pc() as s:
        ben = s.scalars(select(Pupil.id).where(Pupil.legal_surname == "Brown")).one()
        save_marks(
            s,
            user=_user(s, "reception"),
            now=BEFORE_CLOSE,
            edits=[MarkEdit(ben, MON, "AM", "N", None)],
        )
        s.commit()


def test_the_second_amendment_is_refused_with_who_and_when(two_pcs: tuple) -> None:
    """Both PCs load Ben's N; A amends it to I; B's amendment to O, from the old version, is
    refused naming A's user and time, and A's amendment stands."""
    pc_a, pc_b = two_pcs
    _register_taken(pc_a)
    with pc_a() as a, pc_b() as b:
        loaded_a, loaded_b = _mark(a, "Brown"), _mark(b, "Brown")
        edit_a = MarkEdit(loaded_a.pupil_id, MON, "AM", "I", loaded_a.version)
        edit_b = MarkEdit(loaded_b.pupil_id, MON, "AM", "O", loaded_b.version)
        b.rollback()  # B's screen holds the versions it loaded, not an open transaction
        save_marks(
            a,
            user=_user(a, "reception"),
            now=A_AMENDS,
            amendment_reason="mum rang",
            edits=[edit_a],
        )
        a.commit()
        with pytest.raises(ConcurrentChange, match="changed by .* at 10:12"):
            save_marks(
                b,
                user=_user(b, "attendance"),
                now=B_AMENDS,
                amendment_reason="no contact",
                edits=[edit_b],
            )
        b.rollback()
    _amy_and_ben_unchanged_but_for_a(pc_b)


def test_a_save_racing_another_is_refused_not_lost(two_pcs: tuple) -> None:
    """B has the mark in hand (already checked against its version) when A's amendment
    commits: B's write finds the version moved on and is refused, not written over A's."""
    pc_a, pc_b = two_pcs
    _register_taken(pc_a)
    with pc_a() as a, pc_b() as b:
        in_hand = _mark(b, "Brown")  # B's session holds the row as it was
        edit_b = MarkEdit(in_hand.pupil_id, MON, "AM", "O", in_hand.version)
        loaded_a = _mark(a, "Brown")
        save_marks(
            a,
            user=_user(a, "reception"),
            now=A_AMENDS,
            amendment_reason="mum rang",
            edits=[MarkEdit(loaded_a.pupil_id, MON, "AM", "I", loaded_a.version)],
        )
        a.commit()
        with pytest.raises(ConcurrentChange, match="someone else"):
            save_marks(
                b,
                user=_user(b, "attendance"),
                now=B_AMENDS,
                amendment_reason="no contact",
                edits=[edit_b],
            )
        b.rollback()
    _amy_and_ben_unchanged_but_for_a(pc_b)


def _amy_and_ben_unchanged_but_for_a(pc: sessionmaker[Session]) -> None:
    with pc() as check:
        ben = _mark(check, "Brown")
        assert (ben.code, ben.version) == ("I", 2)
        amendments = check.execute(select(MarkAmendment.old_code, MarkAmendment.new_code)).all()
        assert amendments == [("N", "I")]
        actions = check.scalars(select(AuditEvent.action).where(AuditEvent.entity == "mark"))
        assert "amend" in list(actions)


def test_two_pcs_filling_the_same_empty_session_at_once(two_pcs: tuple) -> None:
    """Both PCs open the empty session; A's save commits between B's check and B's write.
    B is refused with who and when (not a database error), and nothing of B's is kept: not
    the clashing mark, nor the other pupil's."""
    from attendance_desk.models import Pupil

    pc_a, pc_b = two_pcs
    with pc_b() as b:
        amy, ben = b.scalars(select(Pupil.id).order_by(Pupil.legal_surname))

        def a_saves_first(*_args: object) -> None:
            with pc_a() as a:
                save_marks(
                    a,
                    user=_user(a, "reception"),
                    now=BEFORE_CLOSE,
                    edits=[MarkEdit(amy, MON, "AM", "/", None)],
                )
                a.commit()

        event.listen(b, "before_flush", a_saves_first, once=True)
        with pytest.raises(ConcurrentChange, match=r"Adams.*changed by Reception at 08:55"):
            save_marks(
                b,
                user=_user(b, "attendance"),
                now=datetime(2025, 9, 8, 8, 56),
                edits=[MarkEdit(amy, MON, "AM", "N", None), MarkEdit(ben, MON, "AM", "/", None)],
            )
        b.rollback()
    with pc_b() as check:
        assert _sheet_codes(check) == {"Adams, Amy": "/"}
        marks = check.execute(select(Mark.code, Mark.recorded_by_id)).all()
        assert marks == [("/", _user(check, "reception").id)]
