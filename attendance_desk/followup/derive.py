"""What the rules call for on one day: episodes, flags, marks and letters turned into actions.

This is one day's derivation only; `worklist` adds what was raised on earlier days and is
still open, and leaves out what a person closed. Every threshold comes from the policy.
Keys name the occasion and stay the same from day to day while it lasts (an absence's
first day, a mark, a half-term), so an action raised once is the same action tomorrow.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.catalogues import codes
from attendance_desk.catalogues.action_kinds import ActionKind as K
from attendance_desk.followup import roll_actions
from attendance_desk.followup.absence_actions import absence_actions
from attendance_desk.followup.actions import Action, Builder, Who
from attendance_desk.followup.counts import mark_counts, pupils_named, weekly_below
from attendance_desk.followup.episodes import absences
from attendance_desk.models import Contact, Pupil
from attendance_desk.pathway.due import letters_due, pupils_in_pathway
from attendance_desk.register import stats
from attendance_desk.register.n_codes import overdue_by_pupil
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.followup_policy import Policy
from attendance_desk.uk_dates import day_text


def derive_actions(
    session: Session,
    day: date,
    policy: Policy,
    *,
    pupil_ids: Collection[int] | None = None,
    absence_only: bool = False,
) -> list[Action]:
    """Every action the rules call for on `day`, closed or not.

    With `pupil_ids`, only those pupils' actions: exactly what the whole school's list
    holds for them (every rule reads one pupil's record, apart from the calendar, the
    policy and whole-school closures, which are read whole), so a change to one pupil is
    worked out again without the rest. `absence_only` keeps to the absence actions (what
    the safe-and-well check needs to know which actions it answers), which is quicker still.
    """
    calendar = load_calendar(session)
    b = Builder(day)
    term = calendar.term_of(day) or calendar.term_of(calendar.previous_school_day(day) or day)
    in_term = calendar.count_school_days(term.start, day) if term else 0
    recent = absences(
        session,
        calendar,
        day,
        lookback_days=max(25, policy.cme_after_days + 5, in_term),
        pupil_ids=pupil_ids,
    )
    if absence_only:
        pupils = pupils_named(session, set(recent), day)
        absence_actions(b, session, pupils, recent, policy, calendar, day, term)
        return list(b.actions.values())
    scope = None if pupil_ids is None else set(pupil_ids)
    n_marks = overdue_by_pupil(session, day, policy.n_code_days, pupil_ids=scope)
    lates = mark_counts(
        session, (codes.LATE, codes.LATE_AFTER_CLOSE), term.start if term else day, day, scope
    )
    window = calendar.rolling_window_start(day, policy.rolling_school_weeks)
    unauthorised = mark_counts(session, codes.UNAUTHORISED_CODES, window, day, scope)
    lates = {
        p: n
        for p, n in lates.items()
        if policy.lates_per_half_term and n >= policy.lates_per_half_term
    }
    unauthorised = {
        p: n
        for p, n in unauthorised.items()
        if policy.unauthorised_sessions and n >= policy.unauthorised_sessions
    }
    still_n = (
        mark_counts(session, (codes.REASON_NOT_PROVIDED,), window, day, scope)
        if unauthorised
        else {}
    )
    weekly = weekly_below(session, calendar, day, policy, scope)
    letters = letters_due(session, day, pupil_ids=scope)
    # The policy's weekly letter is the pathway's first letter once a pupil is on the pathway.
    on_pathway = pupils_in_pathway(session) | {letter.pupil_id for letter in letters}
    weekly = {p: w for p, w in weekly.items() if p not in on_pathway}
    ids = set(recent) | set(n_marks) | set(lates) | set(unauthorised) | set(weekly)
    ids |= {letter.pupil_id for letter in letters}
    pupils = pupils_named(session, ids, day)
    absence_actions(b, session, pupils, recent, policy, calendar, day, term)
    for pupil_id, overdue in n_marks.items():
        if pupil := pupils.get(pupil_id):
            count = overdue.count
            b.add(
                pupil,
                K.RESOLVE_N_CODE,
                f"mark:{overdue.oldest_mark_id}",
                calendar.add_school_days(overdue.oldest_day, policy.n_code_days),
                f"{count} N code{'s' * (count > 1)} older than {policy.n_code_days} "
                f"school days (oldest {day_text(overdue.oldest_day, year=False)} "
                f"{overdue.oldest_session}): "
                "resolve to a reason or O",
            )
    for pupil_id, count in lates.items():
        if (pupil := pupils.get(pupil_id)) and term:
            b.add(
                pupil,
                K.PERSISTENT_LATENESS,
                f"term:{term.start}",
                day,
                f"{count} late marks this half-term ({term.name})",
            )
    for pupil_id, count in unauthorised.items():
        if (pupil := pupils.get(pupil_id)) and term:
            n_left = still_n.get(pupil_id, 0)
            still = f"{n_left} of them still N" if n_left else "none of them still N"
            b.add(
                pupil,
                K.PENALTY_NOTICE_REVIEW,
                f"term:{term.start}",
                day,
                f"{count} unauthorised sessions in the last {policy.rolling_school_weeks} school "
                f"weeks ({still}): review against the penalty notice framework",
            )
    for pupil_id, (monday, pct) in weekly.items():
        if pupil := pupils.get(pupil_id):
            b.add(
                pupil,
                K.LETTER,
                f"week:{monday}",
                day,
                f"Attendance {stats.percent_text(pct)} in the week of "
                f"{day_text(monday, year=False)} (below "
                f"{policy.weekly_below_pct:g}%): first letter with a two-week target",
            )
    for letter in letters:
        if pupil := pupils.get(letter.pupil_id):
            b.add(pupil, K.LETTER, letter.key, letter.due, letter.detail)
    _address_actions(b, session, day, scope)
    roll_actions.add_roll_actions(b, session, calendar, day, pupil_ids=scope)
    return list(b.actions.values())


def _address_actions(b: Builder, session: Session, day: date, scope: set[int] | None) -> None:
    """A parent with PR living elsewhere with no address: their letters are held (never
    posted to the child's home), so the office must find one."""
    query = (
        select(Contact)
        .options(selectinload(Contact.pupil).selectinload(Pupil.reg_group))
        .join(Pupil, Contact.pupil_id == Pupil.id)
        .where(
            Contact.parental_responsibility.is_(True),
            Contact.lives_with.is_(False),
            Contact.do_not_contact.is_(False),
            or_(Contact.address.is_(None), func.trim(Contact.address) == ""),
            Pupil.on_roll_between(day, day),
        )
    )
    if scope is not None:
        query = query.where(Contact.pupil_id.in_(scope))
    for contact in session.scalars(query):
        pupil = contact.pupil
        b.add(
            Who.of(pupil),
            K.FIND_ADDRESS,
            f"contact:{contact.id}",
            day,
            f"Find an address for {contact.name} ({contact.relationship_to_pupil}, parental "
            f"responsibility, does not live with {pupil.display_name}): letters to them are "
            "held, never posted to the child's home"
            + (f"; emailed to {contact.email}" if contact.email else ""),
        )
