"""The command line, run as a real subprocess against a real database file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from attendance_desk.school.calendar import SchoolCalendar, sessions_between
from tests.helpers.builders import (
    CLOSURES,
    TERMS,
    add_pupil,
    add_staff,
    build_school,
    mark_days,
)
from tests.helpers.cli import run_cli

SLOTS = list(
    sessions_between(
        SchoolCalendar(tuple(TERMS), tuple(CLOSURES)), date(2025, 9, 3), date(2025, 9, 30)
    )
)


def test_init_creates_a_school_once(tmp_path: Path) -> None:
    """init makes a school with a calendar; a second init is refused, not merged."""
    db = tmp_path / "new.db"
    first = run_cli(db, "init", "--school", "Oak Lane Primary", "--urn", "123456", user=None)
    assert first.returncode == 0, first.stderr
    assert "Oak Lane Primary" in first.stdout
    again = run_cli(db, "init", "--school", "Other", user=None)
    assert again.returncode == 1
    assert "already holds a school" in again.stderr


def test_init_refuses_a_bad_urn(tmp_path: Path) -> None:
    """A URN that is not six digits is named in the error and nothing is created."""
    result = run_cli(tmp_path / "x.db", "init", "--school", "Oak", "--urn", "12", user=None)
    assert result.returncode == 1
    assert "URN must be 6 digits" in result.stderr


def test_stats_json_shape_and_counts(db_path: Path, session: Session) -> None:
    """stats --json prints the README's shape with counts a hand count confirms."""
    _, user = build_school(session)
    add_staff(session, pat="admin")
    amy = add_pupil(session, 1)
    ben = add_pupil(session, 2, surname="Jones", forename="Ben")
    add_pupil(session, 3, surname="Khan", forename="Cara")  # on roll, no marks
    mark_days(
        session,
        amy,
        user,
        dict(zip(SLOTS, ["/", "\\", "L", "\\", "I", "I", "V", "D"], strict=False)),
    )
    mark_days(session, ben, user, dict(zip(SLOTS, ["N", "N", "/", "U"], strict=False)))
    session.commit()
    result = run_cli(db_path, "stats", "--from", "2025-09-01", "--to", "2025-09-30", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["from"], out["to"]) == ("2025-09-01", "2025-09-30")
    by_upn = {p["upn"]: p for p in out["pupils"]}
    assert by_upn[amy.upn] == {
        "upn": amy.upn,
        "possible": 7,
        "present": 4,
        "attending_elsewhere": 1,
        "authorised": 2,
        "unauthorised": 0,
        "late": 1,
        "attendance_pct": 71.4,
        "persistent": True,
        "severe": False,
    }
    assert by_upn[ben.upn]["unauthorised"] == 3
    assert by_upn[ben.upn]["attendance_pct"] == 25.0 and by_upn[ben.upn]["severe"]
    cara = next(p for u, p in by_upn.items() if u not in (amy.upn, ben.upn))
    assert cara["possible"] == 0 and cara["attendance_pct"] is None
    assert out["school"] == {
        "possible": 11,
        "present": 5,
        "attending_elsewhere": 1,
        "authorised": 2,
        "unauthorised": 3,
        "late": 1,
        "attendance_pct": 54.5,
        "persistent_count": 2,
        "severe_count": 1,
    }


def test_stats_text_lists_persistent_absentees(db_path: Path, session: Session) -> None:
    """The text report names the persistent absentees, lowest first."""
    _, user = build_school(session)
    add_staff(session, pat="admin")
    amy = add_pupil(session, 1)
    mark_days(session, amy, user, dict(zip(SLOTS, ["/", "O"], strict=False)))
    session.commit()
    result = run_cli(db_path, "stats", "--from", "2025-09-01", "--to", "2025-09-30")
    assert result.returncode == 0, result.stderr
    assert "Persistent absentees (10 %+ missed): 1 of 1" in result.stdout
    assert f"50.0%  {amy.upn}  Amy Smith" in result.stdout


def test_bad_date_is_named(tmp_path: Path) -> None:
    """An impossible date on the command line is refused with the value and the format."""
    result = run_cli(tmp_path / "x.db", "stats", "--from", "2025-02-30", "--to", "2025-03-01")
    assert result.returncode == 2
    assert "'2025-02-30' is not a date" in result.stderr


def test_newer_database_is_refused(db_path: Path, session: Session) -> None:
    """A database from a newer version gives a clear message and exit 2."""
    from sqlalchemy import text

    session.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    session.commit()
    result = run_cli(db_path, "stats", "--from", "2025-09-01", "--to", "2025-09-30")
    assert result.returncode == 2
    assert "newer version of Attendance Desk" in result.stderr


def test_actions_json_shape(db_path: Path, session: Session) -> None:
    """actions --json lists the worklist as the README promises: upn, kind, due, day, detail,
    and since then when it was raised and whether it is overdue."""
    _, user = build_school(session)
    add_staff(session, pat="admin")
    amy = add_pupil(session, 1)
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "N", (date(2025, 9, 8), "PM"): "N"})
    session.commit()
    result = run_cli(db_path, "actions", "--date", "2025-09-08", "--json")
    assert result.returncode == 0, result.stderr
    (action,) = json.loads(result.stdout)
    assert set(action) == {"upn", "kind", "due", "day", "detail", "raised", "overdue"}
    assert (action["upn"], action["kind"], action["due"], action["day"]) == (
        amy.upn,
        "first_day_call",
        "2025-09-08",
        1,
    )
    assert (action["raised"], action["overdue"]) == ("2025-09-08", False)
    text = run_cli(db_path, "actions", "--date", "2025-09-08")
    assert "First-day calls (1)" in text.stdout and "Amy Smith" in text.stdout


def test_import_samples_then_a_bad_file(tmp_path: Path) -> None:
    """The sample files import; a bad marks file is refused line by line and changes nothing."""
    from attendance_desk.resources import SAMPLES

    db = tmp_path / "school.db"
    made = run_cli(db, "init", "--school", "Oak Lane Primary", "--admin", "pat")
    assert made.returncode == 0, made.stderr
    for kind in ("calendar", "pupils", "contacts", "marks"):
        result = run_cli(db, "import", kind, str(SAMPLES / f"{kind}.csv"))
        assert result.returncode == 0, result.stderr
    before = run_cli(
        db,
        "export",
        "marks",
        "--from",
        "2025-09-01",
        "--to",
        "2026-07-31",
        str(tmp_path / "before.csv"),
    )
    assert before.returncode == 0
    bad = tmp_path / "bad.csv"
    upn = (SAMPLES / "pupils.csv").read_text().splitlines()[1].split(",")[0]
    bad.write_text(
        f"upn,date,session,code\n{upn},2025-09-09,AM,I\n{upn},2025-09-09,EV,/\n"
        f"{upn},2025-09-10,AM,H\n"
    )
    result = run_cli(db, "import", "marks", str(bad))
    assert result.returncode == 1
    assert f"{bad}:3: session:" in result.stderr and f"{bad}:4: code:" in result.stderr
    run_cli(
        db,
        "export",
        "marks",
        "--from",
        "2025-09-01",
        "--to",
        "2026-07-31",
        str(tmp_path / "after.csv"),
    )
    assert (tmp_path / "before.csv").read_text() == (tmp_path / "after.csv").read_text()


def test_report_weekly_writes_the_pack(db_path: Path, session: Session, tmp_path: Path) -> None:
    """report weekly --week D --out FILE writes the SLT pack for that school week."""
    from tests.printing.pdftext import pages

    _, user = build_school(session)
    add_staff(session, pat="admin")
    amy = add_pupil(session, 1)
    mark_days(
        session, amy, user, dict(zip(SLOTS[:10], ["/", "\\", "I", "I"] + ["/"] * 6, strict=True))
    )
    session.commit()
    out = tmp_path / "slt.pdf"
    result = run_cli(db_path, "report", "weekly", "--week", "2025-09-10", "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = " ".join(pages(out.read_bytes()))
    assert "Hillside Primary" in text and "8 Sep" in text


def test_shot_draws_a_tab(db_path: Path, session: Session, tmp_path: Path) -> None:
    """shot register --out FILE.png draws the tab at the size asked for."""
    build_school(session)
    add_staff(session, pat="admin")
    add_pupil(session, 1)
    session.commit()
    out = tmp_path / "register.png"
    result = run_cli(
        db_path,
        "shot",
        "register",
        "--out",
        str(out),
        "--width",
        "1000",
        "--height",
        "600",
        "--at",
        "2025-09-08T09:00",
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(out.read_bytes()[16:20]), int.from_bytes(out.read_bytes()[20:24])
    assert (width, height) == (1000, 600)
    refused = run_cli(db_path, "shot", "marks", "--out", str(out))
    assert refused.returncode == 1 and "no 'marks' tab" in refused.stderr


def test_ctf_import_export_round_trip(db_path: Path, session: Session, tmp_path: Path) -> None:
    """import ctf takes the sample; export ctf writes a valid file another school imports."""
    from lxml import etree

    from attendance_desk.interop import ctf_schema
    from attendance_desk.store.db import open_database
    from tests.interop.ctffiles import SAMPLE

    build_school(session)
    add_staff(session, pat="admin")
    session.commit()
    imported = run_cli(db_path, "import", "ctf", str(SAMPLE))
    assert imported.returncode == 0, imported.stderr
    assert "4 pupils added" in imported.stdout and "J->J1 (1)" in imported.stdout
    out = tmp_path / "noah.xml"
    exported = run_cli(db_path, "export", "ctf", "B330210516007", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "20 marks" in exported.stdout
    assert ctf_schema.check(etree.parse(str(out)).getroot()) == []
    unknown = run_cli(db_path, "export", "ctf", "A999", "--out", str(tmp_path / "x.xml"))
    assert unknown.returncode == 1 and "no pupil has UPN A999" in unknown.stderr
    broken = tmp_path / "broken.xml"
    broken.write_text("<CTfile>\n<Header>\n</CTfile>\n", encoding="utf-8")
    refused = run_cli(db_path, "import", "ctf", str(broken))
    assert refused.returncode == 1 and "broken.xml:3: XML: not well-formed" in refused.stderr

    fresh = tmp_path / "fresh.db"
    with open_database(fresh)() as other:
        build_school(other, name="Next School")
        add_staff(other, pat="admin")
        other.commit()
    again = run_cli(fresh, "import", "ctf", str(out))
    assert again.returncode == 0, again.stderr
    assert "1 pupils added" in again.stdout and "20 marks added" in again.stdout
