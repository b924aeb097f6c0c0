"""Taking and amending the register: entries, amendments with history, lost-update refusal."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.auth import office_user
from attendance_desk.models import AuditEvent, Mark, MarkAmendment, Pupil, User
from attendance_desk.register.errors import RegisterError
from attendance_desk.register.marks import (
    ConcurrentChange,
    MarkEdit,
    ReasonRequired,
    record_or_amend,
    save_marks,
)
from attendance_desk.register.sheet import GroupChoice, load_sheet, mark_history
from tests.helpers.builders import add_pupil, add_staff, build_school, school_with

MON = date(2025, 9, 8)
BEFORE_CLOSE = datetime(2025, 9, 8, 9, 0)
AFTER_CLOSE = datetime(2025, 9, 8, 9, 30)


@pytest.fixture
def school(session: Session) -> tuple[Session, User, list[int]]:
    user, pupils = school_with(session, "Amy Adams", "Amy Brown")
    return session, user, [p.id for p in pupils]


def saved(session: Session, pupil_id: int, day: date = MON, sess: str = "AM") -> Mark:
    return session.scalars(
        select(Mark).where(Mark.pupil_id == pupil_id, Mark.date == day, Mark.session == sess)
    ).one()


def test_first_marks_are_recorded(school: tuple[Session, User, list[int]]) -> None:
    """New marks for an open register are recorded with who and when."""
    session, user, (a, b) = school
    result = save_marks(
        session,
        user=user,
        now=BEFORE_CLOSE,
        edits=[MarkEdit(a, MON, "AM", "/", None), MarkEdit(b, MON, "am", "n", None)],
    )
    session.commit()
    assert result.recorded == 2
    assert saved(session, b).code == "N"
    assert saved(session, a).recorded_by_id == user.id


def test_change_before_close_is_a_correction(school: tuple[Session, User, list[int]]) -> None:
    """Before the register closes a teacher's change needs no reason, but is audited."""
    session, user, (a, _) = school
    save_marks(session, user=user, now=BEFORE_CLOSE, edits=[MarkEdit(a, MON, "AM", "N", None)])
    session.commit()
    mark = saved(session, a)
    result = save_marks(
        session, user=user, now=BEFORE_CLOSE, edits=[MarkEdit(a, MON, "AM", "/", mark.version)]
    )
    session.commit()
    assert result.corrected == 1
    assert saved(session, a).code == "/"
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "correct")) is not None


def test_change_after_close_is_an_amendment_with_history(
    school: tuple[Session, User, list[int]],
) -> None:
    """After close a change needs a reason and keeps the original, reason, name and position."""
    session, user, (a, _) = school
    save_marks(session, user=user, now=BEFORE_CLOSE, edits=[MarkEdit(a, MON, "AM", "N", None)])
    session.commit()
    version = saved(session, a).version
    with pytest.raises(ReasonRequired, match="register has closed"):
        save_marks(
            session, user=user, now=AFTER_CLOSE, edits=[MarkEdit(a, MON, "AM", "I", version)]
        )
    session.rollback()
    save_marks(
        session,
        user=user,
        now=AFTER_CLOSE,
        amendment_reason="Mum phoned: ill",
        edits=[MarkEdit(a, MON, "AM", "I", version)],
    )
    session.commit()
    (entry,) = mark_history(session, a)
    assert (entry.old_code, entry.new_code, entry.reason) == ("N", "I", "Mum phoned: ill")
    assert (entry.user_name, entry.user_position, entry.at) == (
        "School office",
        "Office",
        AFTER_CLOSE,
    )
    sheet = load_sheet(session, GroupChoice("reg_group", 1, "3A"), MON, MON)
    assert sheet.rows[0].cells[(MON, "AM")].amended


def test_past_day_is_always_an_amendment(school: tuple[Session, User, list[int]]) -> None:
    """Changing yesterday's mark at 08:00 today is still an amendment."""
    session, user, (a, _) = school
    save_marks(session, user=user, now=BEFORE_CLOSE, edits=[MarkEdit(a, MON, "PM", "\\", None)])
    session.commit()
    save_marks(
        session,
        user=user,
        now=datetime(2025, 9, 9, 8, 0),
        amendment_reason="wrong child",
        edits=[MarkEdit(a, MON, "PM", "O", saved(session, a, sess="PM").version)],
    )
    session.commit()
    assert session.scalar(select(MarkAmendment.old_code)) == "\\"


def test_second_pc_cannot_overwrite(factory: sessionmaker[Session], school: tuple) -> None:
    """Two sessions load the same mark; the second to save is refused with who and when."""
    _, user, (a, _) = school
    with factory() as first:
        save_marks(
            first,
            user=office_user(first),
            now=BEFORE_CLOSE,
            edits=[MarkEdit(a, MON, "AM", "N", None)],
        )
        first.commit()
    with factory() as pc1, factory() as pc2:
        v1 = saved(pc1, a).version
        v2 = saved(pc2, a).version
        save_marks(
            pc1,
            user=office_user(pc1),
            now=AFTER_CLOSE,
            amendment_reason="rang",
            edits=[MarkEdit(a, MON, "AM", "I", v1)],
        )
        pc1.commit()
        with pytest.raises(ConcurrentChange, match="changed by School office at 09:30"):
            save_marks(
                pc2,
                user=office_user(pc2),
                now=AFTER_CLOSE,
                amendment_reason="x",
                edits=[MarkEdit(a, MON, "AM", "O", v2)],
            )
        pc2.rollback()
    with factory() as check:
        assert saved(check, a).code == "I"


def test_blank_cell_filled_elsewhere_is_refused(
    factory: sessionmaker[Session], school: tuple
) -> None:
    """A cell that was empty when loaded but saved meanwhile is not silently overwritten."""
    _, _, (a, _) = school
    with factory() as pc1:
        save_marks(
            pc1, user=office_user(pc1), now=BEFORE_CLOSE, edits=[MarkEdit(a, MON, "AM", "/", None)]
        )
        pc1.commit()
    with factory() as pc2, pytest.raises(RegisterError):
        save_marks(
            pc2, user=office_user(pc2), now=BEFORE_CLOSE, edits=[MarkEdit(a, MON, "AM", "N", None)]
        )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (MarkEdit(0, MON, "AM", "H", None), "'H' is not an attendance code"),
        (MarkEdit(0, date(2025, 9, 9), "AM", "/", None), "future date"),
        (MarkEdit(0, date(2025, 9, 6), "AM", "/", None), "not a school day"),
        (MarkEdit(0, MON, "EV", "/", None), "session must be AM or PM"),
        (MarkEdit(0, MON, "AM", "C", None), "needs a reason"),
    ],
)
def test_bad_edits_write_nothing(
    school: tuple[Session, User, list[int]], edit: MarkEdit, message: str
) -> None:
    """Each bad edit is refused with why, and the good edit in the same batch is not saved."""
    session, user, (a, b) = school
    bad = MarkEdit(a, edit.day, edit.session, edit.code, None)
    with pytest.raises(RegisterError, match=message):
        save_marks(
            session, user=user, now=BEFORE_CLOSE, edits=[MarkEdit(b, MON, "AM", "/", None), bad]
        )
    session.rollback()
    assert session.scalar(select(Mark)) is None


def test_pupil_not_on_roll_is_refused(session: Session) -> None:
    """A mark before a pupil joined is refused."""
    _, user = build_school(session)
    late_joiner = add_pupil(session, 3, on_roll_from=date(2025, 9, 15))
    session.commit()
    with pytest.raises(RegisterError, match="not on roll"):
        save_marks(
            session,
            user=user,
            now=BEFORE_CLOSE,
            edits=[MarkEdit(late_joiner.id, MON, "AM", "/", None)],
        )


def test_sheet_lists_group_with_marks_and_figures(school: tuple[Session, User, list[int]]) -> None:
    """The grid data has the week's ten sessions, pupils by surname, and their percentage."""
    session, user, (a, b) = school
    save_marks(
        session,
        user=user,
        now=AFTER_CLOSE,
        edits=[MarkEdit(a, MON, "AM", "/", None), MarkEdit(b, MON, "AM", "I", None)],
    )
    session.commit()
    sheet = load_sheet(session, GroupChoice("reg_group", 1, "3A"), MON, date(2025, 9, 12))
    assert len(sheet.slots) == 10
    assert [r.name for r in sheet.rows] == ["Adams, Amy", "Brown, Amy"]
    assert sheet.rows[0].attendance_pct == 100.0 and sheet.rows[1].attendance_pct == 0.0
    assert sheet.windows["AM"].closes.strftime("%H:%M") == "09:05"


def test_teacher_sees_and_takes_only_their_own_group(session: Session) -> None:
    """A class teacher gets only their group in the toolbar and cannot save another's."""
    from attendance_desk.access.permissions import NotAllowed
    from attendance_desk.register.sheet import group_choices
    from attendance_desk.school.setup import assign_teacher

    _, office = build_school(session)
    mine = add_pupil(session, 1, group="3A")
    theirs = add_pupil(session, 2, surname="Other", group="3B")
    staff = add_staff(session, pat="admin", tess="teacher")
    boss, teacher = staff["pat"], staff["tess"]
    assign_teacher(
        session, group_id=mine.reg_group_id, teacher_id=teacher.id, by=boss, now=BEFORE_CLOSE
    )
    assert [c.label for c in group_choices(session, teacher)] == ["3A"]
    assert len(group_choices(session, office)) > 1
    save_marks(
        session, user=teacher, now=BEFORE_CLOSE, edits=[MarkEdit(mine.id, MON, "AM", "/", None)]
    )
    with pytest.raises(NotAllowed, match="own groups only"):
        save_marks(
            session,
            user=teacher,
            now=BEFORE_CLOSE,
            edits=[MarkEdit(theirs.id, MON, "AM", "/", None)],
        )
    with pytest.raises(ValueError, match="class teacher role"):
        assign_teacher(
            session, group_id=theirs.reg_group_id, teacher_id=boss.id, by=boss, now=BEFORE_CLOSE
        )


def test_record_or_amend_records_amends_and_leaves_alone(
    school: tuple[Session, User, list[int]],
) -> None:
    """The one record-or-amend: a first mark, then an amendment with its reason and history,
    then nothing when the code is already there."""
    session, user, (a, _) = school
    pupil = session.get(Pupil, a)
    assert pupil is not None

    def write(code: str, existing: Mark | None) -> str:
        return record_or_amend(
            session,
            pupil=pupil,
            day=MON,
            session_name="AM",
            code=code,
            existing=existing,
            amend_reason="parent rang",
            user=user,
            now=AFTER_CLOSE,
        ).outcome

    assert write("N", None) == "recorded"
    session.flush()
    assert write("I", saved(session, a)) == "amended"
    assert write("I", saved(session, a)) == "unchanged"
    history = session.scalars(select(MarkAmendment)).all()
    assert [(h.old_code, h.new_code, h.reason) for h in history] == [("N", "I", "parent rang")]
    assert saved(session, a).code == "I"


def test_the_grids_save_amends_and_corrects_through_record_or_amend(
    school: tuple[Session, User, list[int]],
) -> None:
    """One save that corrects an open session and amends a closed one: the amendment keeps
    original, new, reason, who and when; the correction is audited old and new, no history."""
    session, user, (a, b) = school
    save_marks(
        session,
        user=user,
        now=BEFORE_CLOSE,
        edits=[MarkEdit(a, MON, "AM", "N", None), MarkEdit(b, MON, "AM", "N", None)],
    )
    session.commit()
    late_at = datetime(2025, 9, 8, 12, 48)  # AM has closed, PM is open (12:45-12:50)
    save_marks(session, user=user, now=late_at, edits=[MarkEdit(b, MON, "PM", "N", None)])
    session.commit()
    result = save_marks(
        session,
        user=user,
        now=late_at,
        amendment_reason="letter from the dentist",
        edits=[
            MarkEdit(a, MON, "AM", "M", saved(session, a).version),
            MarkEdit(b, MON, "PM", "\\", saved(session, b, sess="PM").version),
        ],
    )
    session.commit()
    assert (result.amended, result.corrected) == (1, 1)
    [amendment] = session.scalars(select(MarkAmendment)).all()
    assert (amendment.mark_id, amendment.old_code, amendment.new_code) == (
        saved(session, a).id,
        "N",
        "M",
    )
    assert (amendment.reason, amendment.user_name, amendment.amended_at) == (
        "letter from the dentist",
        user.full_name,
        late_at,
    )
    corrected = session.scalar(select(AuditEvent).where(AuditEvent.action == "correct"))
    assert corrected is not None and corrected.entity_id == saved(session, b, sess="PM").id
    assert (corrected.user_name, corrected.at) == (user.full_name, late_at)
    assert saved(session, b, sess="PM").code == "\\"
