"""Late desk, N codes, leave requests and the on-site list, with an injected clock."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.desk import leave, onsite
from attendance_desk.desk.late_desk import find_pupils, sign_in_late, undo_sign_in
from attendance_desk.models import AuditEvent, Mark, MarkAmendment, Pupil, Setting, User
from attendance_desk.register import n_codes
from attendance_desk.register.errors import RegisterError
from attendance_desk.register.marks import ConcurrentChange, amend_mark
from attendance_desk.register.sheet import mark_history
from tests.helpers.builders import add_pupil, mark_days, school_with

MON = date(2025, 9, 8)


@pytest.fixture
def school(session: Session) -> tuple[Session, User, Pupil, Pupil]:
    user, (amy, ben) = school_with(session, "Amy Adams", "Ben Baker")
    return session, user, amy, ben


def mark_of(session: Session, pupil: Pupil, day: date = MON, sess: str = "AM") -> Mark:
    return session.scalars(
        select(Mark).where(Mark.pupil_id == pupil.id, Mark.date == day, Mark.session == sess)
    ).one()


@pytest.mark.parametrize(
    ("clock", "code", "minutes"),
    [((8, 55), "L", 5), ((9, 10), "U", 20), ((10, 5), "U", 75)],
)
def test_late_desk_by_the_clock(
    school: tuple, clock: tuple[int, int], code: str, minutes: int
) -> None:
    """08:55 is L (5 min), 09:10 and 10:05 are U: the register closed at 09:05."""
    session, user, amy, _ = school
    result = sign_in_late(
        session,
        pupil_id=amy.id,
        user=user,
        now=datetime.combine(MON, datetime.min.time()).replace(hour=clock[0], minute=clock[1]),
    )
    assert (result.code, result.minutes_late, result.session) == (code, minutes, "AM")
    assert (mark_of(session, amy).code, mark_of(session, amy).minutes_late) == (code, minutes)


def test_late_arrival_amends_an_n(school: tuple) -> None:
    """A child marked N who then arrives gets U as an amendment with reason 'arrived late'."""
    session, user, amy, _ = school
    mark_days(session, amy, user, {(MON, "AM"): "N"})
    result = sign_in_late(
        session, pupil_id=amy.id, user=user, now=datetime(2025, 9, 8, 9, 40), reason="traffic"
    )
    assert result.replaced == "N"
    (history,) = mark_history(session, amy.id)
    assert (history.old_code, history.new_code, history.reason) == (
        "N",
        "U",
        "arrived late: traffic",
    )


def test_late_desk_refuses_present_and_early(school: tuple) -> None:
    """Already present, or arriving before the register opens, is refused with why."""
    session, user, amy, _ = school
    with pytest.raises(RegisterError, match="not late yet"):
        sign_in_late(session, pupil_id=amy.id, user=user, now=datetime(2025, 9, 8, 8, 40))
    mark_days(session, amy, user, {(MON, "AM"): "/"})
    with pytest.raises(RegisterError, match="already signed in"):
        sign_in_late(session, pupil_id=amy.id, user=user, now=datetime(2025, 9, 8, 9, 0))


def test_afternoon_arrival_uses_pm_window(school: tuple) -> None:
    """Year 3's afternoon register opens 12:45 and closes 12:50: 12:48 is L for PM."""
    session, user, amy, _ = school
    result = sign_in_late(session, pupil_id=amy.id, user=user, now=datetime(2025, 9, 8, 12, 48))
    assert (result.session, result.code, result.minutes_late) == ("PM", "L", 3)


def test_find_puts_absent_children_first(school: tuple) -> None:
    """Two letters find the child; those not yet present this session come first."""
    session, user, amy, _ = school
    also = add_pupil(session, 3, surname="Able", forename="Alex")
    mark_days(session, also, user, {(MON, "AM"): "/"})
    found = find_pupils(session, "a", datetime(2025, 9, 8, 9, 0))
    assert [m.name for m in found][:2] == ["Amy Adams", "Alex Able"]
    assert find_pupils(session, "ba", datetime(2025, 9, 8, 9, 0))[0].name == "Ben Baker"
    assert find_pupils(session, "  ", datetime(2025, 9, 8, 9, 0)) == []


def test_n_codes_age_in_school_days(school: tuple) -> None:
    """An N from Monday 8th is overdue on Monday 15th (5 school days), not on Friday 12th."""
    session, user, amy, _ = school
    mark_days(session, amy, user, {(MON, "AM"): "N"})
    (friday,) = n_codes.open_n_codes(session, date(2025, 9, 12))
    assert (friday.age, friday.overdue) == (4, False)
    (monday,) = n_codes.open_n_codes(session, date(2025, 9, 15))
    assert (monday.age, monday.overdue) == (5, True)
    session.add(Setting(key="policy.override.n_code_days", value="3"))
    assert n_codes.open_n_codes(session, date(2025, 9, 11))[0].overdue


def test_bulk_resolve_n_to_o(school: tuple) -> None:
    """Resolving N codes amends each to O with the reason, all at once."""
    session, user, amy, ben = school
    mark_days(session, amy, user, {(MON, "AM"): "N", (MON, "PM"): "N"})
    mark_days(session, ben, user, {(MON, "AM"): "N"})
    pending = n_codes.open_n_codes(session, date(2025, 9, 16))
    done = n_codes.resolve(
        session,
        marks=[(p.mark_id, p.version) for p in pending],
        code="O",
        reason="no reason given in 5 days",
        user=user,
        now=datetime(2025, 9, 16, 10),
    )
    assert done == 3
    assert n_codes.open_n_codes(session, date(2025, 9, 16)) == []
    assert session.query(MarkAmendment).count() == 3
    with pytest.raises(RegisterError):
        n_codes.resolve(
            session,
            marks=[(pending[0].mark_id, pending[0].version)],
            code="O",
            reason="again",
            user=user,
            now=datetime(2025, 9, 16, 10),
        )


def test_leave_granted_prefills_future_sessions(school: tuple) -> None:
    """Granted leave from Wednesday PM to Thursday fills three sessions with C."""
    session, user, amy, _ = school
    request = leave.request_leave(
        session,
        pupil_id=amy.id,
        start=date(2025, 9, 10),
        start_session="PM",
        end=date(2025, 9, 11),
        reason="funeral",
        requested_by="Sarah Adams (mother)",
        user=user,
        now=datetime(2025, 9, 8, 11),
    )
    result = leave.decide(
        session,
        request_id=request.id,
        grant=True,
        code="C",
        user=user,
        now=datetime(2025, 9, 8, 15),
    )
    assert (result.status, result.sessions_filled) == ("granted", 3)
    assert mark_of(session, amy, date(2025, 9, 10), "PM").code == "C"
    assert mark_of(session, amy, date(2025, 9, 10), "PM").reason == "funeral"
    assert leave.pending_requests(session) == []


def test_leave_never_granted_retrospectively(school: tuple) -> None:
    """A request for last week cannot be granted; refusing it writes no marks."""
    session, user, amy, _ = school
    request = leave.request_leave(
        session,
        pupil_id=amy.id,
        start=date(2025, 9, 3),
        end=date(2025, 9, 5),
        reason="holiday",
        requested_by="Mum",
        user=user,
        now=datetime(2025, 9, 8, 9),
    )
    with pytest.raises(RegisterError, match="retrospectively"):
        leave.decide(
            session,
            request_id=request.id,
            grant=True,
            code="C",
            user=user,
            now=datetime(2025, 9, 8, 9),
        )
    result = leave.decide(
        session,
        request_id=request.id,
        grant=False,
        user=user,
        now=datetime(2025, 9, 8, 9),
        note="term-time holiday",
    )
    assert result.status == "refused"
    assert session.scalar(select(Mark)) is None


def test_leave_code_must_be_a_leave_code(school: tuple) -> None:
    """Granting leave as illness (I) is refused: it is not a leave code."""
    session, user, amy, _ = school
    request = leave.request_leave(
        session,
        pupil_id=amy.id,
        start=date(2025, 9, 10),
        end=date(2025, 9, 10),
        reason="x",
        requested_by="Mum",
        user=user,
        now=datetime(2025, 9, 8, 9),
    )
    with pytest.raises(RegisterError, match="grant leave as one of"):
        leave.decide(
            session,
            request_id=request.id,
            grant=True,
            code="I",
            user=user,
            now=datetime(2025, 9, 8, 9),
        )


def test_on_site_list_less_signed_out(school: tuple) -> None:
    """Present and late pupils are on site; signing out moves them to "signed out" (not
    counted), signing back in restores them."""
    session, user, amy, ben = school
    mark_days(session, amy, user, {(MON, "AM"): "/"})
    mark_days(session, ben, user, {(MON, "AM"): "L"})
    now = datetime(2025, 9, 8, 10, 30)
    (group,) = onsite.fire_list(session, now).groups
    assert [(p.name, p.status, p.note) for p in group.pupils] == [
        ("Amy Adams", "present", ""),
        ("Ben Baker", "late", "late"),
    ]
    onsite.sign_out(
        session, pupil_id=amy.id, reason="dentist", collected_by="Mum", user=user, now=now
    )
    with pytest.raises(RegisterError, match="already signed out"):
        onsite.sign_out(session, pupil_id=amy.id, reason="x", collected_by=None, user=user, now=now)
    fire = onsite.fire_list(session, now)
    assert [(p.name, p.status) for p in fire.groups[0].pupils] == [
        ("Amy Adams", "signed out"),
        ("Ben Baker", "late"),
    ]
    assert fire.total == 1
    onsite.sign_back_in(session, pupil_id=amy.id, user=user, now=datetime(2025, 9, 8, 11, 30))
    assert onsite.fire_list(session, datetime(2025, 9, 8, 11, 31)).total == 2


def test_undo_sign_in_needs_a_reason_and_an_unchanged_mark(school: tuple) -> None:
    """Undo without a reason is refused; after someone amends the mark, undo is refused
    (the register is the place to correct it) and their change stands."""
    session, user, amy, _ = school
    signed = sign_in_late(session, pupil_id=amy.id, user=user, now=datetime(2025, 9, 8, 8, 58))
    with pytest.raises(RegisterError, match="say why"):
        undo_sign_in(session, signed=signed, reason=" ", user=user, now=datetime(2025, 9, 8, 9, 0))
    mark = mark_of(session, amy)
    amend_mark(
        session, mark=mark, code="I", reason="mum rang", user=user, now=datetime(2025, 9, 8, 9, 1)
    )
    with pytest.raises(ConcurrentChange, match="changed since the sign-in"):
        undo_sign_in(
            session, signed=signed, reason="wrong child", user=user, now=datetime(2025, 9, 8, 9, 2)
        )
    assert mark_of(session, amy).code == "I"


def test_undo_restores_the_replaced_mark_and_its_minutes(school: tuple) -> None:
    """Undoing an L that replaced an N puts the N back without minutes late; both steps
    stay in the history."""
    session, user, amy, _ = school
    mark_days(session, amy, user, {(MON, "AM"): "N"})
    first = sign_in_late(session, pupil_id=amy.id, user=user, now=datetime(2025, 9, 8, 8, 58))
    assert (first.replaced, first.code) == ("N", "L")
    back = undo_sign_in(
        session, signed=first, reason="wrong child", user=user, now=datetime(2025, 9, 8, 9, 0)
    )
    mark = mark_of(session, amy)
    assert back == "N" and (mark.code, mark.minutes_late) == ("N", None)
    assert [(a.old_code, a.new_code) for a in mark.amendments] == [("N", "L"), ("L", "N")]


def test_sign_in_and_undo_are_amendments_keeping_who_when_and_why(school: tuple) -> None:
    """A sign-in over an absence and its undo each keep the original code, the new one,
    the reason, the person and the time, and each is audited."""
    session, user, amy, _ = school
    mark_days(session, amy, user, {(MON, "AM"): "O"})
    signed_at, undone_at = datetime(2025, 9, 8, 9, 20), datetime(2025, 9, 8, 9, 25)
    signed = sign_in_late(session, pupil_id=amy.id, user=user, now=signed_at)
    undo_sign_in(session, signed=signed, reason="twin", user=user, now=undone_at)
    kept = [
        (a.old_code, a.new_code, a.reason, a.user_name, a.user_position, a.amended_at)
        for a in session.scalars(select(MarkAmendment).order_by(MarkAmendment.id))
    ]
    assert kept == [
        ("O", "U", "arrived late", user.full_name, user.position, signed_at),
        ("U", "O", "sign-in undone: twin", user.full_name, user.position, undone_at),
    ]
    audited = session.scalars(select(AuditEvent.at).where(AuditEvent.action == "amend")).all()
    assert audited == [signed_at, undone_at]
