"""Every output that names a pupil, for every role: safeguarding detail reaches the DSL,
deputy DSL and head, and nobody else (screens have their own test in tests/ui)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk import interop
from attendance_desk.access.permissions import NotAllowed
from attendance_desk.catalogues.redaction import actions_for, for_viewer
from attendance_desk.desk.calls import call_list
from attendance_desk.figures import lists
from attendance_desk.figures.report import load_report
from attendance_desk.figures.slt_pack import weekly_pack
from attendance_desk.followup.rules import KIND_LABELS, actions_for_day
from attendance_desk.letters.evidence import evidence_pdf
from attendance_desk.models import School, User
from attendance_desk.outbox.daily_summary import summary_text
from attendance_desk.pupils.directory import list_pupils
from attendance_desk.register.sheet import group_choices, load_sheet
from attendance_desk.safeguarding.cases import open_cases
from attendance_desk.safeguarding.chronology import chronology
from attendance_desk.safeguarding.chronology_document import ChronologyData, ChronologyDocument
from attendance_desk.store import audit_log
from tests.helpers import safeguarding_school as school
from tests.helpers.builders import make_upn
from tests.helpers.cli import run_cli
from tests.printing.pdftext import pages

Output = Callable[[Session, User, Path], str]


def _worklist(session: Session, viewer: User, _: Path) -> str:
    """The Today tab's rows and the `actions` command's."""
    actions = actions_for(actions_for_day(session, school.TODAY), viewer)
    return "\n".join(f"{KIND_LABELS[a.kind]}: {a.name} {a.detail}" for a in actions)


def _cases(session: Session, viewer: User, _: Path) -> str:
    cases = open_cases(session, school.TODAY, viewer=viewer)
    return "\n".join(f"{c.name} {c.check_state} {', '.join(c.needs)}" for c in cases)


def _calls(session: Session, viewer: User, _: Path) -> str:
    rows = [for_viewer(r, viewer) for r in call_list(session, school.NOW)]
    return "\n".join(f"{r.name} {r.flags} {r.social_worker or ''}" for r in rows)


def _pupils(session: Session, viewer: User, _: Path) -> str:
    rows = [for_viewer(r, viewer) for r in list_pupils(session, today=school.TODAY)]
    return "\n".join(f"{r.name} {r.flags} {r.vulnerable} {r.social_worker or ''}" for r in rows)


def _register(session: Session, viewer: User, _: Path) -> str:
    sheet = load_sheet(session, group_choices(session)[0], school.DAYS[0], school.TODAY)
    return "\n".join(f"{r.name} {for_viewer(r, viewer).flags}" for r in sheet.rows)


def _chronologies(session: Session, viewer: User, _: Path) -> str:
    """Each pupil's chronology on screen, and Amy's printed."""
    texts = []
    for pupil in _all_pupils(session):
        entries = chronology(session, pupil_id=pupil.id, viewer=viewer, now=school.NOW)
        texts += [f"{e.title} {e.detail} {e.by}" for e in entries]
        data = ChronologyData(
            school_name="Hillside Primary",
            pupil_name=pupil.display_name,
            upn=pupil.upn,
            date_of_birth=pupil.date_of_birth,
            entries=entries,
            printed_by=viewer.full_name,
            restricted=False,
        )
        texts += pages(ChronologyDocument(printed_at=school.NOW).render(data))
    return "\n".join(texts)


def _slt_pack(session: Session, viewer: User, _: Path) -> str:
    pdf = weekly_pack(session, school.DAYS[0], school.WEEK_END, viewer=viewer)
    return "\n".join(pages(pdf))


def _report_lists(session: Session, viewer: User, folder: Path) -> str:
    """The Reports tab's PA and at-risk lists, as its CSV export writes them."""
    report = load_report(
        session, school.DAYS[0], school.WEEK_END.date(), now=school.WEEK_END, viewer=viewer
    )
    path = folder / "lists.csv"
    lists.write_csv(path, [*report.lists.persistent, *report.lists.at_risk])
    return path.read_text(encoding="utf-8")


def _evidence(session: Session, viewer: User, _: Path) -> str:
    amy = _all_pupils(session)[0]
    pdf = evidence_pdf(session, pupil_id=amy.id, day=school.TODAY, user=viewer, now=school.NOW)
    return "\n".join(pages(pdf))


def _audit(session: Session, viewer: User, _: Path) -> str:
    try:
        rows = audit_log.search(session, viewer=viewer)
    except NotAllowed:
        return ""
    return "\n".join(f"{r.user_name} {r.action} {r.entity} {r.summary}" for r in rows)


def _csv_exports(session: Session, viewer: User, folder: Path) -> str:
    """`export pupils`, `export contacts` and `export marks`, as the viewer runs them."""
    interop.export_pupils(session, folder / "p.csv", viewer=viewer)
    interop.export_contacts(session, folder / "c.csv")
    interop.export_marks(session, folder / "m.csv", start=school.DAYS[0], end=school.TODAY)
    return "\n".join((folder / f).read_text(encoding="utf-8") for f in ("p.csv", "c.csv", "m.csv"))


def _daily_summary(session: Session, viewer: User, _: Path) -> str:
    return "\n".join(summary_text(session, school.TODAY))


def _all_pupils(session: Session) -> list:  # type: ignore[type-arg]
    from attendance_desk.models import Pupil

    return list(session.scalars(select(Pupil).order_by(Pupil.id)))


OUTPUTS: dict[str, Output] = {
    "worklist": _worklist,
    "safeguarding cases": _cases,
    "call list": _calls,
    "pupil directory": _pupils,
    "register": _register,
    "chronologies": _chronologies,
    "weekly SLT pack": _slt_pack,
    "report lists CSV": _report_lists,
    "evidence pack": _evidence,
    "audit log": _audit,
    "CSV exports": _csv_exports,
    "daily summary": _daily_summary,
}


@pytest.fixture
def built(session: Session) -> dict[str, User]:
    staff, _ = school.build(session)
    return staff


@pytest.mark.parametrize("output", list(OUTPUTS))
def test_no_safeguarding_detail_reaches_other_roles(
    session: Session, built: dict[str, User], tmp_path: Path, output: str
) -> None:
    """Receptionist, attendance officer, class teacher and administrator: the output names
    the pupils but holds none of their safeguarding detail."""
    for username in school.OUTSIDERS:
        folder = tmp_path / username
        folder.mkdir()
        text = OUTPUTS[output](session, built[username], folder)
        assert school.leaks(text) == [], f"{output} as {username}:\n{text}"


def test_the_dsl_deputy_and_head_see_it_all(
    session: Session, built: dict[str, User], tmp_path: Path
) -> None:
    """The same outputs give the DSL, deputy and head the detail (so the test above could
    fail): the visit's outcome, the police request, the social worker, the flags."""
    for username in school.INSIDERS:
        everything = "\n".join(
            OUTPUTS[name](session, built[username], tmp_path / f"{username}-{name}")
            for name in OUTPUTS
            if (tmp_path / f"{username}-{name}").mkdir() is None
        )
        for words in school.DSL_SEES:
            assert words in everything, (username, words)
        assert len(school.leaks(everything)) >= 15, (username, school.leaks(everything))


def test_viewing_a_chronology_with_safeguarding_detail_is_audited(
    session: Session, built: dict[str, User]
) -> None:
    """The DSL opening Amy's chronology is an audited view of a safeguarding record; the
    receptionist's view (which holds none) is not recorded as one."""
    from attendance_desk.models import AuditEvent

    amy = _all_pupils(session)[0]
    for username in ("dana", "rita"):
        chronology(session, pupil_id=amy.id, viewer=built[username], now=datetime(2025, 9, 11))
    views = session.scalars(
        select(AuditEvent.user_name).where(
            AuditEvent.action == "view", AuditEvent.entity == "chronology"
        )
    )
    assert list(views) == ["Dana"]
    assert session.scalar(select(School.name)) == "Hillside Primary"


CLI_COMMANDS = {
    "actions": ["actions", "--date", school.TODAY.isoformat()],
    "actions --json": ["actions", "--date", school.TODAY.isoformat(), "--json"],
    "report weekly": ["report", "weekly", "--week", school.TODAY.isoformat(), "--out", "PDF"],
    "export pupils": ["export", "pupils", "CSV"],
}


def _run_as(db_path: Path, folder: Path, username: str, command: str) -> str:
    """A command's output (stdout, and the file it wrote) as `username`."""
    pdf, csv_file = folder / f"{username}.pdf", folder / f"{username}.csv"
    args = [
        str(pdf) if a == "PDF" else str(csv_file) if a == "CSV" else a
        for a in CLI_COMMANDS[command]
    ]
    result = run_cli(db_path, *args, user=username)
    assert result.returncode == 0, result.stderr
    written = "\n".join(pages(pdf.read_bytes())) if pdf.exists() else ""
    written += csv_file.read_text(encoding="utf-8") if csv_file.exists() else ""
    return result.stdout + written


@pytest.mark.parametrize("command", list(CLI_COMMANDS))
def test_commands_show_other_roles_no_safeguarding_detail(
    db_path: Path, built: dict[str, User], tmp_path: Path, command: str
) -> None:
    """The worklist, the SLT pack and the pupils export from the command line, logged in as
    each role outside the DSL's: the pupils are there, their safeguarding detail is not."""
    for username in school.OUTSIDERS:
        text = _run_as(db_path, tmp_path, username, command)
        assert "Adams" in text or make_upn(1) in text, (command, username, text)
        assert school.leaks(text) == [], f"{command} as {username}:\n{text}"
    insider = _run_as(db_path, tmp_path, "dana", command)
    assert school.leaks(insider), f"{command} as the DSL shows no detail:\n{insider}"
