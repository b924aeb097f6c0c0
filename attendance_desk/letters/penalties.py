"""Penalty notices per parent per pupil, within the national framework's limits.

From August 2024: the first notice to a parent for a child is the full amount, reduced if
paid early; a second to the same parent for the same child within three years is at the
higher rate with no reduction; there are no more than two in three years, after which the
pathway offers prosecution or other action instead. Every amount and limit comes from the
pathway's `[penalty_notices]`; a withdrawn notice does not count.

A notice may go to any parent in the sense of s576 of the Education Act 1996: anyone with
parental responsibility *or care of the child* (a step-parent the child lives with is one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.access import audit
from attendance_desk.models import Contact, PenaltyNotice, Pupil, User
from attendance_desk.pathway.errors import LettersError
from attendance_desk.pathway.periods import uk_date
from attendance_desk.pathway.stages import PenaltyRules


class PenaltyError(LettersError):
    """A notice the framework does not allow, or a change that makes no sense."""


@dataclass(frozen=True)
class PenaltyOption:
    """Whether a notice may go to this parent today, at what rate, and why."""

    contact_id: int
    parent_name: str
    allowed: bool
    rate: str | None
    amount_pence: int
    reduced_pence: int | None
    counted: tuple[date, ...]
    explanation: str


def pounds(pence: int) -> str:
    return f"£{pence // 100}" if pence % 100 == 0 else f"£{pence / 100:.2f}"


def window_start(day: date, years: int) -> date:
    """The day `years` years before `day` (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def counted_notices(
    session: Session, *, pupil_id: int, contact_id: int, day: date, rules: PenaltyRules
) -> list[PenaltyNotice]:
    """This parent's notices for this pupil in the window ending on `day`, not withdrawn."""
    return list(
        session.scalars(
            select(PenaltyNotice)
            .where(
                PenaltyNotice.pupil_id == pupil_id,
                PenaltyNotice.contact_id == contact_id,
                PenaltyNotice.status != "withdrawn",
                PenaltyNotice.issued_on > window_start(day, rules.window_years),
                PenaltyNotice.issued_on <= day,
            )
            .order_by(PenaltyNotice.issued_on)
        )
    )


def penalty_option(
    session: Session, *, pupil_id: int, contact: Contact, day: date, rules: PenaltyRules
) -> PenaltyOption:
    """What the framework allows for `contact` (a parent of the pupil) on `day`."""
    counted = counted_notices(
        session, pupil_id=pupil_id, contact_id=contact.id, day=day, rules=rules
    )
    dates = tuple(n.issued_on for n in counted)
    years = f"{rules.window_years} year{'s' * (rules.window_years > 1)}"
    if len(counted) >= rules.max_in_window:
        listed = ", ".join(uk_date(d) for d in dates)
        return PenaltyOption(
            contact.id,
            contact.name,
            False,
            None,
            0,
            None,
            dates,
            f"{len(counted)} notices within {years} ({listed}): no further notice may be issued; "
            "consider prosecution or other action instead",
        )
    if counted:
        return PenaltyOption(
            contact.id,
            contact.name,
            True,
            "second",
            rules.second_amount_pence,
            None,
            dates,
            f"Second notice within {years} (the first was on {uk_date(dates[0])}): "
            f"{pounds(rules.second_amount_pence)}, no reduction, to pay within "
            f"{rules.pay_within_days} days",
        )
    return PenaltyOption(
        contact.id,
        contact.name,
        True,
        "first",
        rules.amount_pence,
        rules.reduced_pence,
        dates,
        f"First notice: {pounds(rules.amount_pence)}, or {pounds(rules.reduced_pence)} if paid "
        f"within {rules.reduced_within_days} days ({rules.pay_within_days} days to pay)",
    )


def is_parent(contact: Contact) -> bool:
    """A parent in the s576 sense: parental responsibility, or the child lives with them."""
    return contact.parental_responsibility or contact.lives_with


def penalty_options(
    session: Session, *, pupil_id: int, day: date, rules: PenaltyRules
) -> list[PenaltyOption]:
    """The options for each parent (s576: with parental responsibility or care of the
    child), in priority order."""
    pupil = session.get(Pupil, pupil_id, options=[selectinload(Pupil.contacts)])
    if pupil is None:
        raise PenaltyError(f"there is no pupil {pupil_id}")
    return [
        penalty_option(session, pupil_id=pupil_id, contact=c, day=day, rules=rules)
        for c in pupil.contacts
        if is_parent(c)
    ]


def issue_penalty_notice(
    session: Session,
    *,
    pupil_id: int,
    contact_id: int,
    day: date,
    rules: PenaltyRules,
    user: User,
    now: datetime,
    reference: str = "",
    case_id: int | None = None,
) -> PenaltyNotice:
    """Record a notice issued to a parent, at the rate the framework sets; refused over the
    limit."""
    contact = session.get(Contact, contact_id)
    if contact is None or contact.pupil_id != pupil_id:
        raise PenaltyError("a penalty notice goes to a parent of this pupil")
    if not is_parent(contact):
        raise PenaltyError(
            f"{contact.name} is not a parent in law (s576 Education Act 1996): no parental "
            "responsibility, and the child does not live with them"
        )
    option = penalty_option(session, pupil_id=pupil_id, contact=contact, day=day, rules=rules)
    if not option.allowed or option.rate is None:
        raise PenaltyError(f"{contact.name}: {option.explanation}")
    notice = PenaltyNotice(
        pupil_id=pupil_id,
        contact_id=contact.id,
        parent_name=contact.name,
        issued_on=day,
        rate=option.rate,
        amount_pence=option.amount_pence,
        reduced_pence=option.reduced_pence,
        status="unpaid",
        reference=reference.strip() or None,
        case_id=case_id,
        recorded_at=now,
        recorded_by=user.full_name,
    )
    session.add(notice)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="issue",
        entity="penalty_notice",
        entity_id=notice.id,
        pupil_id=pupil_id,
        parent=contact.name,
        rate=option.rate,
        amount_pence=option.amount_pence,
    )
    return notice


def _notice(session: Session, notice_id: int) -> PenaltyNotice:
    notice = session.get(PenaltyNotice, notice_id)
    if notice is None:
        raise PenaltyError(f"there is no penalty notice {notice_id}")
    if notice.status != "unpaid":
        raise PenaltyError(f"the notice to {notice.parent_name} is already {notice.status}")
    return notice


def mark_paid(
    session: Session, *, notice_id: int, day: date, user: User, now: datetime
) -> PenaltyNotice:
    notice = _notice(session, notice_id)
    if day < notice.issued_on:
        raise PenaltyError("a notice cannot be paid before it was issued")
    notice.status, notice.paid_on = "paid", day
    audit.record(
        session, user=user, now=now, action="paid", entity="penalty_notice", entity_id=notice.id
    )
    return notice


def withdraw(
    session: Session, *, notice_id: int, day: date, reason: str, user: User, now: datetime
) -> PenaltyNotice:
    """Withdraw a notice (it then no longer counts towards the limit); needs a reason."""
    if not reason.strip():
        raise PenaltyError("withdrawing a notice needs a reason")
    notice = _notice(session, notice_id)
    notice.status, notice.withdrawn_on, notice.withdrawn_reason = "withdrawn", day, reason.strip()
    audit.record(
        session,
        user=user,
        now=now,
        action="withdraw",
        entity="penalty_notice",
        entity_id=notice.id,
        reason=reason.strip(),
    )
    return notice


def notices_for(session: Session, pupil_id: int) -> list[PenaltyNotice]:
    return list(
        session.scalars(
            select(PenaltyNotice)
            .where(PenaltyNotice.pupil_id == pupil_id)
            .order_by(PenaltyNotice.issued_on, PenaltyNotice.id)
        )
    )
