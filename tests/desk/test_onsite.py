"""The fire list starts from the roll: nobody is left out because a register is not taken yet."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from attendance_desk import cli
from attendance_desk.desk import onsite
from attendance_desk.desk.absence_reports import log_report
from attendance_desk.models import Pupil, User
from attendance_desk.store.db import Location
from tests.helpers.builders import add_pupil, add_staff, build_school, mark_days
from tests.helpers.cli import log_in_as

MON = date(2025, 9, 8)
SAT = date(2025, 9, 13)

School = tuple[Session, User, dict[str, Pupil]]


@pytest.fixture
def school(session: Session) -> School:
    """3A (year 3, afternoon from 12:45) and 1B (year 1, from 13:15): five children on roll,
    one joining next week and one who left last week."""
    _, user = build_school(session)
    pupils = {
        "amy": add_pupil(session, 1, surname="Adams", forename="Amy"),
        "ben": add_pupil(session, 2, surname="Baker", forename="Ben"),
        "cat": add_pupil(session, 3, surname="Cole", forename="Cat"),
        "dev": add_pupil(session, 4, surname="Das", forename="Dev", year="1", group="1B"),
        "eve": add_pupil(session, 5, surname="Ellis", forename="Eve", year="1", group="1B"),
        "new": add_pupil(
            session, 6, surname="Ford", forename="Finn", on_roll_from=date(2025, 9, 15)
        ),
        "gone": add_pupil(session, 7, surname="Gray", forename="Gus"),
    }
    pupils["gone"].on_roll_to = date(2025, 9, 5)
    session.commit()
    return session, user, pupils


def listed(fire: onsite.FireList) -> dict[str, list[tuple[str, str]]]:
    return {g.group: [(p.name, p.status) for p in g.pupils] for g in fire.groups}


def test_before_any_register_everyone_on_roll_is_listed(school: School) -> None:
    """08:45: no marks at all, so every child on roll today is listed, "register not taken",
    and both groups are named; the joiner and the leaver are not on it."""
    session, _, _ = school
    fire = onsite.fire_list(session, datetime(2025, 9, 8, 8, 45))
    assert fire.total == 5
    assert fire.not_taken == ["1B", "3A"]
    assert listed(fire) == {
        "3A": [
            ("Amy Adams", onsite.NOT_TAKEN),
            ("Ben Baker", onsite.NOT_TAKEN),
            ("Cat Cole", onsite.NOT_TAKEN),
        ],
        "1B": [("Dev Das", onsite.NOT_TAKEN), ("Eve Ellis", onsite.NOT_TAKEN)],
    }


def test_one_register_taken_the_other_not(school: School) -> None:
    """09:30: 3A's register is taken (Ben absent, Cat late); 1B's is not. Ben alone is
    left off; 1B's children are there, unmarked, and only 1B is named."""
    session, user, p = school
    mark_days(session, p["amy"], user, {(MON, "AM"): "/"})
    mark_days(session, p["ben"], user, {(MON, "AM"): "N"})
    mark_days(session, p["cat"], user, {(MON, "AM"): "L"})
    fire = onsite.fire_list(session, datetime(2025, 9, 8, 9, 30))
    assert fire.not_taken == ["1B"]
    assert fire.total == 4
    assert listed(fire) == {
        "3A": [("Amy Adams", onsite.PRESENT), ("Cat Cole", onsite.LATE)],
        "1B": [("Dev Das", onsite.NOT_TAKEN), ("Eve Ellis", onsite.NOT_TAKEN)],
    }


def test_a_parents_report_does_not_count_as_the_register(school: School) -> None:
    """Eve's mum rang at 08:10 (I for the day): Eve is off the list, but 1B's register is
    still not taken, so Dev is listed and 1B named."""
    session, user, p = school
    log_report(
        session,
        pupil_id=p["eve"].id,
        start=MON,
        end=MON,
        code="I",
        reason="temperature",
        reported_by="Mum",
        channel="phone",
        user=user,
        now=datetime(2025, 9, 8, 8, 10),
    )
    fire = onsite.fire_list(session, datetime(2025, 9, 8, 8, 45))
    assert listed(fire)["1B"] == [("Dev Das", onsite.NOT_TAKEN)]
    assert "1B" in fire.not_taken


def test_afternoon_before_its_register_lists_from_the_morning(school: School) -> None:
    """13:00: year 3's afternoon register opened at 12:45 and is not taken. Every 3A child
    is listed, "register not taken", with the morning's mark beside them (Ben was absent
    this morning but may have come in at lunch); 1B's afternoon has not started, so their
    morning register stands."""
    session, user, p = school
    for name, code in (("amy", "/"), ("ben", "N"), ("cat", "/"), ("dev", "/"), ("eve", "I")):
        mark_days(session, p[name], user, {(MON, "AM"): code})
    fire = onsite.fire_list(session, datetime(2025, 9, 8, 13, 0))
    assert fire.not_taken == ["3A"]
    notes = {q.name: (q.status, q.note) for g in fire.groups for q in g.pupils}
    assert notes == {
        "Amy Adams": (onsite.NOT_TAKEN, "this morning /"),
        "Ben Baker": (onsite.NOT_TAKEN, "this morning N"),
        "Cat Cole": (onsite.NOT_TAKEN, "this morning /"),
        "Dev Das": (onsite.PRESENT, ""),
    }
    mark_days(session, p["amy"], user, {(MON, "PM"): "\\"})
    mark_days(session, p["ben"], user, {(MON, "PM"): "N"})
    mark_days(session, p["cat"], user, {(MON, "PM"): "V"})
    after = onsite.fire_list(session, datetime(2025, 9, 8, 13, 10))
    assert after.not_taken == []
    assert listed(after)["3A"] == [("Amy Adams", onsite.PRESENT)]


def test_signed_out_listed_apart_and_back_in_counted_again(school: School) -> None:
    """Amy signed out for the dentist is "signed out" and not counted; signed back in she is
    present again."""
    session, user, p = school
    for name in ("amy", "ben", "cat"):
        mark_days(session, p[name], user, {(MON, "AM"): "/"})
    onsite.sign_out(
        session,
        pupil_id=p["amy"].id,
        reason="dentist",
        collected_by="Mum",
        user=user,
        now=datetime(2025, 9, 8, 10, 5),
    )
    fire = onsite.fire_list(session, datetime(2025, 9, 8, 10, 30))
    assert listed(fire)["3A"][0] == ("Amy Adams", onsite.SIGNED_OUT)
    assert [(q.name, g) for q, g in fire.signed_out] == [("Amy Adams", "3A")]
    assert fire.total == 4  # Ben, Cat, and 1B's two unmarked children
    onsite.sign_back_in(session, pupil_id=p["amy"].id, user=user, now=datetime(2025, 9, 8, 11, 0))
    back = onsite.fire_list(session, datetime(2025, 9, 8, 11, 5))
    assert listed(back)["3A"][0] == ("Amy Adams", onsite.PRESENT)
    assert back.total == 5


def test_nobody_is_expected_on_a_day_without_school(school: School) -> None:
    """On a Saturday the list is empty and names no group."""
    session, _, _ = school
    fire = onsite.fire_list(session, datetime.combine(SAT, datetime.min.time()))
    assert (fire.total, fire.groups, fire.not_taken) == (0, (), [])


def test_on_site_json(
    school: School,
    db_path: Location,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`on-site --at … --json` prints the list in the documented shape."""
    session, user, p = school
    mark_days(session, p["ben"], user, {(MON, "AM"): "N"})
    mark_days(session, p["amy"], user, {(MON, "AM"): "L"})
    add_staff(session, pat="admin", rita="receptionist")
    session.commit()
    log_in_as(monkeypatch, "rita")
    code = cli.main(["--db", str(db_path), "on-site", "--at", "2025-09-08T09:30", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["at"], out["total"], out["not_taken"]) == ("2025-09-08T09:30", 4, ["1B", "3A"])
    first = out["groups"][1]
    assert first["group"] == "3A"
    assert [(q["upn"], q["name"], q["status"]) for q in first["pupils"]] == [
        (p["amy"].upn, "Amy Adams", "late"),
        (p["cat"].upn, "Cat Cole", "register not taken"),
    ]
