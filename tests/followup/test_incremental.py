"""Today worked out for the pupils one change touched is the list a whole-school refresh
gives, after random marks, calls and closed actions on a real database file."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.access.permissions import Role
from attendance_desk.catalogues.call_outcomes import OUTCOMES
from attendance_desk.demo.school import build_demo
from attendance_desk.desk.calls import log_attempt
from attendance_desk.followup.outcomes import close_action
from attendance_desk.followup.refresh import DayWorklist
from attendance_desk.followup.rules import Action, actions_for_day
from attendance_desk.models import Contact, Mark, User
from attendance_desk.register.marks import MarkEdit, save_marks

CODES = {"AM": ("/", "N", "O", "I", "G", "U"), "PM": ("\\", "N", "O", "I", "G", "U")}
STEPS = 40


def _change_mark(session: Session, rnd: random.Random, user: User, now: datetime) -> int:
    """A random pupil's random session in the last week gets a random code."""
    day = now.date() - timedelta(days=rnd.randrange(0, 7))
    mark = session.scalars(
        select(Mark).where(Mark.date == day).order_by(Mark.id).offset(rnd.randrange(200)).limit(1)
    ).first()
    if mark is None:
        mark = session.scalars(select(Mark).where(Mark.date == now.date())).first()
    assert mark is not None
    code = rnd.choice(CODES[mark.session])
    edit = MarkEdit(mark.pupil_id, mark.date, mark.session, code, mark.version)
    save_marks(session, edits=[edit], user=user, now=now, amendment_reason="corrected")
    return mark.pupil_id


def _log_call(
    session: Session, rnd: random.Random, user: User, now: datetime, listed: list[Action]
) -> int:
    """A call to a contact of a pupil on the list (or anyone's), with a random outcome."""
    pupil_ids = sorted({a.pupil_id for a in listed if "call" in a.kind}) or [1]
    contact = (
        session.scalars(
            select(Contact).where(Contact.pupil_id == rnd.choice(pupil_ids)).order_by(Contact.id)
        ).first()
        or session.scalars(select(Contact).order_by(Contact.id)).first()
    )
    assert contact is not None
    outcome = rnd.choice(sorted(set(OUTCOMES) - {"text_sent", "email_sent"}))
    log_attempt(
        session,
        pupil_id=contact.pupil_id,
        contact_id=contact.id,
        outcome=outcome,
        user=user,
        now=now,
    )
    return contact.pupil_id


def _close(
    session: Session, rnd: random.Random, user: User, now: datetime, listed: list[Action]
) -> int:
    """A random action on the list done or dismissed."""
    action = rnd.choice(listed)
    close_action(
        session, action=action, done=rnd.random() < 0.5, note="seen to", user=user, now=now
    )
    return action.pupil_id


def test_refreshing_one_pupil_gives_the_whole_school_list(session: Session) -> None:
    """After each random change, refreshing only the pupil it touched equals a full refresh."""
    build_demo(session, pupils=120, weeks=8, seed=3, today=date(2026, 3, 20))
    session.commit()
    head = session.scalars(select(User).where(User.role == Role.HEAD)).one()
    day = session.scalar(select(func.max(Mark.date)))
    assert day is not None
    now = datetime.combine(day, time(11, 0))
    kept = DayWorklist()
    listed = kept.refresh(session, user=head, now=now)
    session.commit()
    assert kept.whole_school and len(listed) > 20
    rnd = random.Random(2026)
    incremental = 0
    for step in range(STEPS):
        now += timedelta(minutes=1)
        change = (_change_mark, _log_call, _close)[step % 3]
        args = (session, rnd, head, now) + (() if change is _change_mark else (listed,))
        pupil_id = change(*args)  # type: ignore[operator]
        session.commit()
        listed = kept.refresh(session, user=head, now=now, pupils={pupil_id})
        session.commit()
        incremental += not kept.whole_school
        full = DayWorklist().refresh(session, user=head, now=now)
        session.commit()
        assert listed == full, f"step {step}: {change.__name__} for pupil {pupil_id}"
        assert listed == actions_for_day(session, day)
    assert incremental == STEPS  # every refresh after a change was the quick one
