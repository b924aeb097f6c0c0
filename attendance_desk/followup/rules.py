"""Today's follow-up actions: episodes, flags, marks and outcomes turned into a worklist.

`actions_for_day` is the one entry point: the Today tab, the Calls panel's counts and the
`actions` command all call it, so they always agree. Every threshold comes from the policy;
an action leaves the list only when a person completes or dismisses it (an `ActionOutcome`
for its pupil, kind and key) or when the record no longer calls for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from attendance_desk import codes, stats
from attendance_desk.calendar_store import load_calendar
from attendance_desk.followup import roll_actions
from attendance_desk.followup.episodes import PupilAbsence, absences
from attendance_desk.followup.policy import Policy, current_policy
from attendance_desk.letters.due import letters_due, pupils_in_pathway
from attendance_desk.models import ActionOutcome, Mark, Pupil, SiblingSchool
from attendance_desk.n_codes import overdue_by_pupil
from attendance_desk.safeguarding import checks_needing_police_consult
from attendance_desk.safeguarding_redaction import RESTRICTED, open_flags
from attendance_desk.school_calendar import SchoolCalendar
from attendance_desk.uk_dates import day_text

#: Who normally does each kind of action (the worklist's "mine" filter uses it).
ROLE_OF: dict[str, str] = {
    "first_day_call": "receptionist",
    "notify_social_worker": "attendance_officer",
    "dsl_alert": "dsl",
    "call_all_contacts": "receptionist",
    "contact_sibling_schools": "receptionist",
    "safe_and_well_visit": "dsl",
    "police_welfare_consult": "dsl",
    "home_visit": "attendance_officer",
    "cme_referral": "dsl",
    "resolve_n_code": "attendance_officer",
    "medical_evidence": "attendance_officer",
    "return_interview": "teacher",
    "letter": "attendance_officer",
    "persistent_lateness": "attendance_officer",
    "penalty_notice_review": "attendance_officer",
    **roll_actions.ROLE_OF,
}

KIND_LABELS: dict[str, str] = {
    "first_day_call": "First-day calls",
    "notify_social_worker": "Tell the social worker",
    "dsl_alert": "DSL decisions",
    "call_all_contacts": "Call all contacts",
    "contact_sibling_schools": "Sibling schools",
    "safe_and_well_visit": "Safe-and-well visits due",
    "police_welfare_consult": "Police welfare check consults",
    "home_visit": "Home visits",
    "cme_referral": "Children missing education",
    "resolve_n_code": "N codes to resolve",
    "medical_evidence": "Medical evidence",
    "return_interview": "Return-to-school conversations",
    "letter": "Letters due",
    "persistent_lateness": "Persistent lateness",
    "penalty_notice_review": "Penalty notice reviews",
    **roll_actions.KIND_LABELS,
}


@dataclass(frozen=True, slots=True)
class Action:
    """One thing someone must do today for one pupil."""

    pupil_id: int
    upn: str
    name: str
    group: str
    kind: str
    due: date
    day: int | None
    detail: str
    key: str
    risk: int  # 0 for CP/CLA/CIN/vulnerable list, 1 otherwise
    #: `detail` without safeguarding detail, for everyone but the DSL, deputy and head
    #: (`safeguarding_redaction.for_viewer` shows the right one).
    open_detail: str

    @property
    def role(self) -> str:
        return ROLE_OF[self.kind]

    def as_json(self) -> dict[str, Any]:
        """The shape DESIGN.md section 5 promises to automation."""
        return {
            "upn": self.upn,
            "kind": self.kind,
            "due": self.due.isoformat(),
            "day": self.day,
            "detail": self.detail,
        }


def is_vulnerable(pupil: Pupil) -> bool:
    return pupil.cp or pupil.cla or pupil.cin or pupil.vulnerable


def _flags(pupil: Pupil) -> str:
    named = [n.upper() for n in ("cp", "cla", "cin") if getattr(pupil, n)]
    if pupil.vulnerable:
        named.append("vulnerable list")
    return f" ({', '.join(named)})" if named else ""


def _open_flags(pupil: Pupil) -> str:
    """`_flags` as anyone may read them: CP, CLA and CIN show only as "vulnerable"."""
    return " (vulnerable)" if open_flags(pupil, ("vulnerable",)) else ""


class _Builder:
    """Collects actions for one day, skipping those a person already closed."""

    def __init__(self, closed: set[tuple[int, str, str]]) -> None:
        self.closed = closed
        self.added: set[tuple[int, str, str]] = set()
        self.actions: list[Action] = []

    def add(
        self,
        pupil: Pupil,
        kind: str,
        key: str,
        due: date,
        detail: str,
        day: int | None = None,
        *,
        open_detail: str | None = None,
    ) -> None:
        """Add an action; `open_detail` is its detail without safeguarding detail, when the
        detail holds any."""
        if (pupil.id, kind, key) in self.closed or (pupil.id, kind, key) in self.added:
            return
        self.added.add((pupil.id, kind, key))
        self.actions.append(
            Action(
                pupil_id=pupil.id,
                upn=pupil.upn,
                name=pupil.display_name,
                group=pupil.reg_group.name,
                kind=kind,
                due=due,
                day=day,
                detail=detail,
                key=key,
                risk=0 if is_vulnerable(pupil) else 1,
                open_detail=detail if open_detail is None else open_detail,
            )
        )


def _episode_actions(
    b: _Builder,
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
    today = f"{start}:day{day}"
    tried = len(episode.contacts_tried)
    callable_contacts = [c for c in pupil.contacts if not c.do_not_contact and c.phone]
    all_tried = bool(callable_contacts) and all(
        c.id in episode.contacts_tried for c in callable_contacts
    )
    flags, open_ = _flags(pupil), _open_flags(pupil)

    def due(n: int) -> date:
        """The school day on which episode day `n` falls."""
        return calendar.add_school_days(first, n - 1)

    if day == 1 and policy.first_day_call and not all_tried:
        what = "call and text" if policy.text_with_first_call else "call"
        b.add(
            pupil,
            "first_day_call",
            start,
            first,
            f"No reason given{flags}: {what} priority 1, then the others "
            f"({tried} of {len(callable_contacts)} tried)",
            day,
            open_detail=f"No reason given{open_}: {what} priority 1, then the others "
            f"({tried} of {len(callable_contacts)} tried)",
        )
    if day == 1 and policy.notify_social_worker and is_vulnerable(pupil):
        who = pupil.social_worker or "the lead professional"
        b.add(
            pupil,
            "notify_social_worker",
            start,
            first,
            f"Absent, no reason{flags}: tell {who}",
            day,
            open_detail=f"Absent, no reason{open_}: tell the social worker or lead "
            "professional (the DSL has their details)",
        )
    if policy.dsl_alert and (day >= 2 or all_tried):
        b.add(
            pupil,
            "dsl_alert",
            today,
            due(day),
            f"Day {day}, no contact{flags}: DSL decides on a safe-and-well visit, with rationale",
            day,
            open_detail=f"Day {day}, no contact{open_}: DSL decides on a safe-and-well visit",
        )
    if policy.call_all_contacts_from_day and day >= policy.call_all_contacts_from_day:
        b.add(
            pupil,
            "call_all_contacts",
            today,
            due(day),
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
            "contact_sibling_schools",
            today,
            due(day),
            "Ask the siblings' schools whether the siblings are in and have been seen",
            day,
        )
    if policy.safe_and_well_visit_day and day >= policy.safe_and_well_visit_day:
        b.add(
            pupil,
            "safe_and_well_visit",
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
                "police_welfare_consult",
                start,
                due(policy.safe_and_well_visit_day),
                "No contact: consult the DSL and social worker on a police welfare check",
                day,
                open_detail=f"For the DSL. {RESTRICTED}",
            )


def _run_actions(b: _Builder, pupil: Pupil, absence: PupilAbsence, policy: Policy) -> None:
    run = absence.absent_run
    if run and policy.home_visit_after_days and run.days > policy.home_visit_after_days:
        b.add(
            pupil,
            "home_visit",
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
            "cme_referral",
            run.first_day.isoformat(),
            run.last_day,
            f"{run.days} consecutive school days absent without permission: notify the local "
            "authority (children missing education)",
            run.days,
        )
    run = absence.illness_run
    if run and policy.medical_evidence_after_days and run.days > policy.medical_evidence_after_days:
        b.add(
            pupil,
            "medical_evidence",
            run.first_day.isoformat(),
            run.last_day,
            f"Ill for {run.days} school days: ask for medical evidence",
            run.days,
        )


def actions_for_day(session: Session, day: date, policy: Policy | None = None) -> list[Action]:
    """The worklist for `day`, most urgent first: vulnerable pupils, then the longest
    episodes, then the oldest due date."""
    policy = policy or current_policy(session)
    calendar = load_calendar(session)
    closed = {
        (pupil_id, kind, key)
        for pupil_id, kind, key in session.execute(
            select(ActionOutcome.pupil_id, ActionOutcome.kind, ActionOutcome.key)
        )
    }
    b = _Builder(closed)
    term = calendar.term_of(day) or calendar.term_of(calendar.previous_school_day(day) or day)
    in_term = calendar.count_school_days(term.start, day) if term else 0
    recent = absences(
        session, calendar, day, lookback_days=max(25, policy.cme_after_days + 5, in_term)
    )
    n_marks = overdue_by_pupil(session, day, policy.n_code_days)
    lates = _counts(session, (codes.LATE, codes.LATE_AFTER_CLOSE), term.start if term else day, day)
    unauthorised = _counts(
        session,
        codes.UNAUTHORISED_CODES,
        calendar.rolling_window_start(day, policy.rolling_school_weeks),
        day,
    )
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
    weekly = _weekly_below(session, calendar, day, policy)
    letters = letters_due(session, day)
    # The policy's weekly letter is the pathway's first letter once a pupil is on the pathway.
    on_pathway = pupils_in_pathway(session) | {letter.pupil_id for letter in letters}
    weekly = {p: w for p, w in weekly.items() if p not in on_pathway}
    ids = set(recent) | set(n_marks) | set(lates) | set(unauthorised) | set(weekly)
    ids |= {letter.pupil_id for letter in letters}
    pupils = {
        p.id: p
        for p in session.scalars(
            select(Pupil)
            .options(selectinload(Pupil.reg_group))
            .where(Pupil.id.in_(ids), Pupil.on_roll_from <= day)
            .where(or_(Pupil.on_roll_to.is_(None), Pupil.on_roll_to >= day))
        )
    }
    sibling_schools = set(session.scalars(select(SiblingSchool.pupil_id).distinct()))
    no_contact_visits = checks_needing_police_consult(session, set(recent))
    for pupil_id, absence in recent.items():
        if (pupil := pupils.get(pupil_id)) is None:
            continue
        _episode_actions(b, pupil, absence, policy, calendar, sibling_schools)
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
                "police_welfare_consult",
                visit_day.isoformat(),
                day,
                "The visit found nobody: consult the DSL and social worker on a police "
                "welfare check",
                episode.day,
                open_detail=f"For the DSL. {RESTRICTED}",
            )
        _run_actions(b, pupil, absence, policy)
        _return_action(b, pupil, absence, policy, session, term.start if term else day)
    for pupil_id, overdue in n_marks.items():
        if pupil := pupils.get(pupil_id):
            count = overdue.count
            b.add(
                pupil,
                "resolve_n_code",
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
                "persistent_lateness",
                f"term:{term.start}",
                day,
                f"{count} late marks this half-term ({term.name})",
            )
    for pupil_id, count in unauthorised.items():
        if (pupil := pupils.get(pupil_id)) and term:
            b.add(
                pupil,
                "penalty_notice_review",
                f"term:{term.start}",
                day,
                f"{count} unauthorised sessions in the last {policy.rolling_school_weeks} school "
                "weeks: review against the penalty notice framework",
            )
    for pupil_id, (monday, pct) in weekly.items():
        if pupil := pupils.get(pupil_id):
            b.add(
                pupil,
                "letter",
                f"week:{monday}",
                day,
                f"Attendance {pct:.1f}% in the week of {day_text(monday, year=False)} (below "
                f"{policy.weekly_below_pct:g}%): first letter with a two-week target",
            )
    for letter in letters:
        if pupil := pupils.get(letter.pupil_id):
            b.add(pupil, "letter", letter.key, letter.due, letter.detail)
    roll_actions.add_roll_actions(b, session, calendar, day)
    return sorted(b.actions, key=lambda a: (a.risk, -(a.day or 0), a.due, a.name, a.kind))


def _return_action(
    b: _Builder,
    pupil: Pupil,
    absence: PupilAbsence,
    policy: Policy,
    session: Session,
    term_start: date,
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
    b.add(pupil, "return_interview", run.first_day.isoformat(), absence.days[-1].day, detail)


def _counts(session: Session, codes_: tuple[str, ...], start: date, end: date) -> dict[int, int]:
    rows = session.execute(
        select(Mark.pupil_id, func.count())
        .where(Mark.date >= start, Mark.date <= end, Mark.code.in_(codes_))
        .group_by(Mark.pupil_id)
    )
    return {pupil_id: count for pupil_id, count in rows}


def _weekly_below(
    session: Session, calendar: SchoolCalendar, day: date, policy: Policy
) -> dict[int, tuple[date, float]]:
    """Pupils whose attendance in the last complete school week fell below the policy's
    weekly threshold (the AP-centre letter); empty when the policy has none."""
    if not policy.weekly_below_pct:
        return {}
    monday = day - timedelta(days=day.weekday())
    weeks = calendar.school_weeks(calendar.first_day or day, monday - timedelta(days=1))
    if not weeks:
        return {}
    start = weeks[-1]
    figures = stats.pupil_figures(session, start, start + timedelta(days=6))
    return {
        pid: (start, f.attendance_pct)
        for pid, f in figures.items()
        if f.attendance_pct is not None and f.attendance_pct < policy.weekly_below_pct
    }
