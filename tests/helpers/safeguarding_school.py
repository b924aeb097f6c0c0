"""A school with every kind of safeguarding detail on record, and what must never reach a
member of staff outside the DSL, deputy DSL and head.

- Amy Adams (CP, CIN, CLA, social worker Jo Casey): absent Mon-Wed; a finished check with
  the decision to visit, a visit that found her with concerns, a police welfare check
  requested and her social worker informed; a restricted safeguarding note.
- Ben Brown (CLA, social worker Sam Worker): absent Mon-Wed, no check yet, so the DSL's
  decision, the visit and the police consult are due.
- Cara Clarke (CIN): absent Mon-Wed; visited, nobody home, so a police consult is due.
- Dan Dodd (CP, social worker Jo Casey): absent from Wednesday, so his social worker is to
  be told today.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from attendance_desk.followup.outcomes import close_action
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.interop import import_pupils
from attendance_desk.models import Pupil, User
from attendance_desk.safeguarding import checks as sw
from attendance_desk.safeguarding import notes
from tests.helpers.builders import add_pupil, add_staff, build_school, mark_days

DAYS = [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10)]
TODAY = DAYS[-1]
NOW = datetime(2025, 9, 10, 15, 0)
WEEK_END = datetime(2025, 9, 12, 16, 0)
JO = "Jo Casey (Team 2), 01632 960123"
SAM = "Sam Worker (Team 5), 01632 960456"
#: One login per role: user name -> role. Their password is builders.STAFF_PASSWORD.
ROLES = {
    "pat": "admin",
    "rita": "receptionist",
    "alex": "attendance_officer",
    "tom": "teacher",
    "dana": "dsl",
    "derek": "deputy_dsl",
    "helen": "head",
}
OUTSIDERS = ("rita", "alex", "tom", "pat")
INSIDERS = ("dana", "derek", "helen")

#: Text that is safeguarding detail: none of it may reach an outsider.
FORBIDDEN = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bCP\b",
        r"\bCIN\b",
        r"\bCLA\b",
        r"child protection",
        r"child in need",
        r"looked after",
        r"Jo Casey",
        r"Sam Worker",
        r"01632 960",
        r"DSL decision:",
        r"visit today",
        r"not today",
        r"with concerns",
        r"seen and safe",
        r"child seen",
        r"child not seen",
        r"police",
        r"social worker informed",
        r"visit found nobody",
        r"SECRET",
        r"REF-4471",
    )
]
#: Some of it, which the DSL must see (so a test that finds none of it can fail).
DSL_SEES = ["Child seen, with concerns", "Police welfare check requested", "Jo Casey"]


def leaks(text: str) -> list[str]:
    """The forbidden patterns found in `text`."""
    return [p.pattern for p in FORBIDDEN if p.search(text)]


def build(session: Session) -> tuple[dict[str, User], dict[str, Pupil]]:
    """The school above, committed; returns the staff and the pupils by forename."""
    _, office = build_school(session)
    staff = add_staff(session, **ROLES)
    dana = staff["dana"]
    pupils = {
        "Amy": add_pupil(
            session,
            1,
            surname="Adams",
            forename="Amy",
            cp=True,
            cin=True,
            cla=True,
            social_worker=JO,
        ),
        "Ben": add_pupil(session, 2, surname="Brown", forename="Ben", cla=True, social_worker=SAM),
        "Cara": add_pupil(session, 3, surname="Clarke", forename="Cara", cin=True),
        "Dan": add_pupil(session, 4, surname="Dodd", forename="Dan", cp=True, social_worker=JO),
    }
    teacher = staff["tom"]
    pupils["Amy"].reg_group.teacher_id = teacher.id
    for name in ("Amy", "Ben", "Cara"):
        marks = {(d, s): "N" for d in DAYS for s in ("AM", "PM")}
        mark_days(session, pupils[name], office, marks)
    mark_days(session, pupils["Dan"], office, {(TODAY, "AM"): "N", (TODAY, "PM"): "N"})
    _finished_check(session, pupils["Amy"], dana)
    _nobody_home(session, pupils["Cara"], dana)
    _close_and_change(session, pupils, dana, office)
    notes.add_note(
        session,
        pupil_id=pupils["Amy"].id,
        text="SECRET-NOTE: disclosure to the class teacher",
        category="safeguarding",
        user=dana,
        now=NOW,
    )
    session.commit()
    return staff, pupils


def _close_and_change(session: Session, pupils: dict[str, Pupil], dsl: User, office: User) -> None:
    """The DSL closes Ben's decision from the worklist with a note, and an import moves
    Dan to another social worker: both are in the audit trail."""
    ben = next(
        a
        for a in actions_for_day(session, TODAY)
        if a.pupil_id == pupils["Ben"].id and a.kind == "dsl_alert"
    )
    close_action(
        session, action=ben, done=True, note="SECRET-CLOSE: police told", user=dsl, now=NOW
    )
    dan = pupils["Dan"]
    update = Path(tempfile.mkdtemp()) / "pupils.csv"
    update.write_text(
        "upn,legal_surname,legal_forename,date_of_birth,year_group,reg_group,social_worker\n"
        f"{dan.upn},Dodd,Dan,2017-05-01,3,3A,Jo Casey (Team 3) 01632 960789\n"
    )
    import_pupils(session, update, user=office, now=NOW)


def _answers() -> dict[str, str]:
    return {key: f"SECRET-ANSWER {key}" for key in sw.QUESTIONS}


def _finished_check(session: Session, pupil: Pupil, dsl: User) -> None:
    at = datetime(2025, 9, 10, 10, 0)
    check = sw.open_check(session, pupil_id=pupil.id, user=dsl, now=at)
    sw.save_answers(session, check_id=check.id, answers=_answers(), user=dsl, now=at)
    sw.save_decision(
        session,
        check_id=check.id,
        decision="visit_today",
        rationale="SECRET-RATIONALE: day 3, no contact at all",
        user=dsl,
        now=at,
    )
    visit = sw.Visit(
        staff_one="Jill Patel",
        staff_two="Kim Doyle",
        risk_assessment_done=True,
        visited_at=datetime(2025, 9, 10, 11, 15),
        answered_by="Mum",
        outcome="seen_concerns",
        enquiries="SECRET-ENQUIRIES: neighbours",
        letter_left=False,
    )
    sw.save_visit(session, check_id=check.id, visit=visit, user=dsl, now=at)
    sw.add_next_step(
        session, check_id=check.id, kind="police", reference="REF-4471", user=dsl, now=at
    )
    sw.add_next_step(session, check_id=check.id, kind="social_worker", user=dsl, now=at)
    sw.finish(session, check_id=check.id, user=dsl, now=at)


def _nobody_home(session: Session, pupil: Pupil, dsl: User) -> None:
    at = datetime(2025, 9, 10, 12, 0)
    check = sw.open_check(session, pupil_id=pupil.id, user=dsl, now=at)
    sw.save_answers(session, check_id=check.id, answers=_answers(), user=dsl, now=at)
    sw.save_decision(
        session,
        check_id=check.id,
        decision="visit_today",
        rationale="SECRET-RATIONALE: no contact",
        user=dsl,
        now=at,
    )
    visit = sw.Visit(
        staff_one="Jill Patel",
        staff_two="Kim Doyle",
        risk_assessment_done=True,
        visited_at=datetime(2025, 9, 10, 13, 0),
        answered_by="",
        outcome="not_seen",
        enquiries="SECRET-ENQUIRIES: nobody in",
        letter_left=True,
    )
    sw.save_visit(session, check_id=check.id, visit=visit, user=dsl, now=at)
