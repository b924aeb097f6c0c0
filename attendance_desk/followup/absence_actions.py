"""The actions a pupil's recent absence raises: the first-day call and the ladder after it
(DSL alert, every contact, siblings' schools, safe-and-well visit, police welfare check),
the social worker told, long runs (home visit, children missing education, medical
evidence) and the return-to-school talk. Every threshold comes from the policy
(docs/rules.md); `derive` calls `absence_actions` for the whole school or a few pupils.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.followup.actions import (
    Builder,
    Who,
    flags_text,
    is_vulnerable,
    open_flags_text,
)
from attendance_desk.followup.counts import callable_contacts
from attendance_desk.followup.episodes import PupilAbsence
from attendance_desk.followup.kinds import ActionKind as K
from attendance_desk.models import SiblingSchool
from attendance_desk.safeguarding.checks import checks_needing_police_consult
from attendance_desk.safeguarding.redaction import RESTRICTED
from attendance_desk.school.calendar import Period, SchoolCalendar
from attendance_desk.school.followup_policy import Policy
from attendance_desk.uk_dates import day_text


def absence_actions(
    b: Builder,
    session: Session,
    pupils: dict[int, Who],
    recent: dict[int, PupilAbsence],
    policy: Policy,
    calendar: SchoolCalendar,
    day: date,
    term: Period | None,
) -> None:
    """Add the actions the recent absence of each of `pupils` calls for on `day`."""
    term_start = term.start if term else day
    sibling_schools = set(session.scalars(select(SiblingSchool.pupil_id).distinct()))
    in_episode = [p for p, absence in recent.items() if absence.episode and p in pupils]
    # Their contacts in one query, not one a pupil (a server is far away).
    phones = callable_contacts(session, in_episode) if in_episode else {}
    no_contact_visits = checks_needing_police_consult(session, set(recent))
    for pupil_id, absence in recent.items():
        if (pupil := pupils.get(pupil_id)) is None:
            continue
        _episode_actions(
            b, pupil, absence, policy, calendar, sibling_schools, phones.get(pupil_id, [])
        )
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
    b: Builder, pupil: Who, absence: PupilAbsence, policy: Policy, term_start: date
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


def _episode_actions(
    b: Builder,
    pupil: Who,
    absence: PupilAbsence,
    policy: Policy,
    calendar: SchoolCalendar,
    sibling_schools: set[int],
    callable_contacts: list[int],
) -> None:
    episode = absence.episode
    if episode is None or episode.contact_made:
        return
    first, day = episode.first_day, episode.day
    start = first.isoformat()
    tried = len(episode.contacts_tried)
    all_tried = bool(callable_contacts) and all(
        c in episode.contacts_tried for c in callable_contacts
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


def _social_worker_action(b: Builder, pupil: Who, absence: PupilAbsence, policy: Policy) -> None:
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
    b: Builder, pupil: Who, absence: PupilAbsence, policy: Policy, calendar: SchoolCalendar
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
