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

from attendance_desk.followup import roll_actions
from attendance_desk.followup.actions import (
    Action,
    Builder,
    flags_text,
    is_vulnerable,
    open_flags_text,
)
from attendance_desk.followup.counts import mark_counts, pupils_on_roll, weekly_below
from attendance_desk.followup.episodes import PupilAbsence, absences
from attendance_desk.followup.kinds import ActionKind as K
from attendance_desk.letters.due import letters_due, pupils_in_pathway
from attendance_desk.models import Contact, Pupil, SiblingSchool
from attendance_desk.register import codes, stats
from attendance_desk.register.n_codes import overdue_by_pupil
from attendance_desk.safeguarding.checks import checks_needing_police_consult
from attendance_desk.safeguarding.redaction import RESTRICTED
from attendance_desk.school.calendar import Period, SchoolCalendar
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.followup_policy import Policy
from attendance_desk.uk_dates import day_text


def _episode_actions(
    b: Builder,
    pupil: Pupil,
    absence: PupilAbsence,
    policy: Policy,
    calendar: SchoolCalendar,
    sibling_schools: set[int],
) -> None:
    episode = absence.episode
    if episode is None or episode.contact_made:
        return
    first, day = episode.first_day, episode.day
    start = first.isoformat()
    tried = len(episode.contacts_tried)
    callable_contacts = [c for c in pupil.contacts if not c.do_not_contact and c.phone]
    all_tried = bool(callable_contacts) and all(
        c.id in episode.contacts_tried for c in callable_contacts
    )
    flags, open_ = flags_text(pupil), open_flags_text(pupil)

    def due(n: int) -> date:
        """The school day on which episode day `n` falls (closures skipped)."""
        try:
            return calendar.add_school_days(first, n - 1, skip=absence.skip)
        except ValueError:  # the calendar ends sooner
            return episode.last_day

    if day == 1 and policy.first_day_call and not all_tried:
        what = "call and text" if policy.text_with_first_call else "call"
        b.add(
            pupil,
            K.FIRST_DAY_CALL,
            start,
            first,
            f"No reason given{flags}: {what} priority 1, then the others "
            f"({tried} of {len(callable_contacts)} tried)",
            day,
            open_detail=f"No reason given{open_}: {what} priority 1, then the others "
            f"({tried} of {len(callable_contacts)} tried)",
        )
    if policy.dsl_alert and (day >= 2 or all_tried):
        b.add(
            pupil,
            K.DSL_ALERT,
            f"{start}:day{day}",
            due(day),
            f"Day {day}, no contact{flags}: DSL decides on a safe-and-well visit, with rationale",
            day,
            open_detail=f"Day {day}, no contact{open_}: DSL decides on a safe-and-well visit",
        )
    if policy.call_all_contacts_from_day and day >= policy.call_all_contacts_from_day:
        b.add(
            pupil,
            K.CALL_ALL_CONTACTS,
            start,
            due(policy.call_all_contacts_from_day),
            f"Day {day}: call every contact in priority order until a reason is given",
            day,
        )
    if (
        policy.contact_sibling_schools_from_day
        and day >= policy.contact_sibling_schools_from_day
        and pupil.id in sibling_schools
    ):
        b.add(
            pupil,
            K.CONTACT_SIBLING_SCHOOLS,
            start,
            due(policy.contact_sibling_schools_from_day),
            "Ask the siblings' schools whether the siblings are in and have been seen",
            day,
        )
    if policy.safe_and_well_visit_day and day >= policy.safe_and_well_visit_day:
        b.add(
            pupil,
            K.SAFE_AND_WELL_VISIT,
            start,
            due(policy.safe_and_well_visit_day),
            f"Day {day} with no contact{flags}: safe-and-well visit due (two staff, risk "
            "assessment, letter left at the property)",
            day,
            open_detail=f"Day {day} with no contact{open_}: safe-and-well visit due",
        )
        if policy.police_consult_after_no_contact_visit:
            b.add(
                pupil,
                K.POLICE_WELFARE_CONSULT,
                start,
                due(policy.safe_and_well_visit_day),
                "No contact: consult the DSL and social worker on a police welfare check",
                day,
                open_detail=f"For the DSL. {RESTRICTED}",
            )


def _social_worker_action(b: Builder, pupil: Pupil, absence: PupilAbsence, policy: Policy) -> None:
    """A child on the vulnerable list (or CP, CIN, CLA) is absent: tell the social worker, for
    every absence, whether or not a parent has given a reason (docs/rules.md#social-worker)."""
    run = absence.missed_run
    if not (policy.notify_social_worker and run and is_vulnerable(pupil)):
        return
    who = pupil.social_worker or "the lead professional"
    reason = "no reason given" if absence.episode else "reason given"
    since = day_text(run.first_day, year=False)
    b.add(
        pupil,
        K.NOTIFY_SOCIAL_WORKER,
        run.first_day.isoformat(),
        run.first_day,
        f"Absent since {since}, {reason}{flags_text(pupil)}: tell {who}",
        run.days,
        open_detail=f"Absent since {since}, {reason}{open_flags_text(pupil)}: "
        "tell the social worker or lead professional (the DSL has their details)",
    )


def _run_actions(
    b: Builder, pupil: Pupil, absence: PupilAbsence, policy: Policy, calendar: SchoolCalendar
) -> None:
    run = absence.absent_run
    if run and policy.home_visit_after_days and run.days > policy.home_visit_after_days:
        b.add(
            pupil,
            K.HOME_VISIT,
            run.first_day.isoformat(),
            run.last_day,
            f"Absent {run.days} school days in a row since "
            f"{day_text(run.first_day, year=False)}: home visit",
            run.days,
        )
    run = absence.unauthorised_run
    if run and run.days >= policy.cme_after_days:
        b.add(
            pupil,
            K.CME_REFERRAL,
            run.first_day.isoformat(),
            run.last_day,
            f"{run.days} consecutive school days absent without permission: notify the local "
            "authority (children missing education)",
            run.days,
        )
    run = absence.illness_run
    if run is None or not policy.medical_evidence_after_days:
        return
    closed = [c for c in calendar.closures if c.start <= run.last_day and c.end >= run.first_day]
    limit = (
        policy.medical_evidence_after_days_with_closure
        if closed
        else policy.medical_evidence_after_days
    )
    if run.days > limit:
        why = f" ({closed[0].name} in the absence)" if closed else ""
        b.add(
            pupil,
            K.MEDICAL_EVIDENCE,
            run.first_day.isoformat(),
            run.last_day,
            f"Ill for {run.days} school days, more than {limit}{why}: ask for medical evidence",
            run.days,
        )


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
        pupils = pupils_on_roll(session, set(recent), day)
        _absence_actions(b, session, pupils, recent, policy, calendar, day, term)
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
    pupils = pupils_on_roll(session, ids, day)
    _absence_actions(b, session, pupils, recent, policy, calendar, day, term)
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
            Pupil.on_roll_from <= day,
            or_(Pupil.on_roll_to.is_(None), Pupil.on_roll_to >= day),
        )
    )
    if scope is not None:
        query = query.where(Contact.pupil_id.in_(scope))
    for contact in session.scalars(query):
        pupil = contact.pupil
        b.add(
            pupil,
            K.FIND_ADDRESS,
            f"contact:{contact.id}",
            day,
            f"Find an address for {contact.name} ({contact.relationship_to_pupil}, parental "
            f"responsibility, does not live with {pupil.display_name}): letters to them are "
            "held, never posted to the child's home"
            + (f"; emailed to {contact.email}" if contact.email else ""),
        )


def _absence_actions(
    b: Builder,
    session: Session,
    pupils: dict[int, Pupil],
    recent: dict[int, PupilAbsence],
    policy: Policy,
    calendar: SchoolCalendar,
    day: date,
    term: Period | None,
) -> None:
    term_start = term.start if term else day
    sibling_schools = set(session.scalars(select(SiblingSchool.pupil_id).distinct()))
    in_episode = [p for p, absence in recent.items() if absence.episode and p in pupils]
    if in_episode:  # their contacts in one query, not one a pupil (a server is far away)
        session.scalars(
            select(Pupil).options(selectinload(Pupil.contacts)).where(Pupil.id.in_(in_episode))
        ).all()
    no_contact_visits = checks_needing_police_consult(session, set(recent))
    for pupil_id, absence in recent.items():
        if (pupil := pupils.get(pupil_id)) is None:
            continue
        _episode_actions(b, pupil, absence, policy, calendar, sibling_schools)
        _social_worker_action(b, pupil, absence, policy)
        visit_day = no_contact_visits.get(pupil_id)
        episode = absence.episode
        if (
            policy.police_consult_after_no_contact_visit
            and episode
            and visit_day
            and visit_day == episode.first_day
            and not episode.contact_made
        ):
            b.add(
                pupil,
                K.POLICE_WELFARE_CONSULT,
                visit_day.isoformat(),
                day,
                "The visit found nobody: consult the DSL and social worker on a police "
                "welfare check",
                episode.day,
                open_detail=f"For the DSL. {RESTRICTED}",
            )
        _run_actions(b, pupil, absence, policy, calendar)
        _return_action(b, pupil, absence, policy, term_start)


def _return_action(
    b: Builder, pupil: Pupil, absence: PupilAbsence, policy: Policy, term_start: date
) -> None:
    run = absence.returned_after
    if not (policy.return_interview and run):
        return
    earlier = sum(
        1
        for i, record in enumerate(absence.days[:-1])
        if record.absent and record.day >= term_start and (i == 0 or not absence.days[i - 1].absent)
    )
    detail = f"Back after {run.days} school day{'s' * (run.days > 1)} away: return-to-school talk"
    if earlier > policy.return_interviews_before_senior:
        detail += f" (absence number {earlier} this half-term: senior staff)"
    b.add(pupil, K.RETURN_INTERVIEW, run.first_day.isoformat(), absence.days[-1].day, detail)
