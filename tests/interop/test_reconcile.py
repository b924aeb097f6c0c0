"""Reconciling with the MIS's attendance summary: who differs, the sessions that explain it,
pupils in one list only, and summaries that cannot be compared (files in `mis/`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from attendance_desk.interop.mis_import import import_mis_file
from attendance_desk.interop.mis_summary import SummaryRefused
from attendance_desk.interop.reconcile import Reconciliation, reconcile
from attendance_desk.interop.reconcile_cli import report_text
from attendance_desk.models import User
from tests.helpers.builders import add_pupil, build_school
from tests.interop.csvfiles import IMPORT_NOW

MIS = Path(__file__).parent / "mis"
MON, FRI = date(2025, 9, 8), date(2025, 9, 12)
TODAY = IMPORT_NOW.date()


@pytest.fixture
def office(session: Session) -> User:
    """The SIMS pupils and their week of marks (8-12 Sep 2025), plus Ruby, not in the MIS."""
    _, user = build_school(session)
    import_mis_file(session, MIS / "sims-students.csv", kind="pupils", user=user, now=IMPORT_NOW)
    import_mis_file(
        session, MIS / "sims-marks.csv", kind="marks", user=user, now=IMPORT_NOW, legacy=True
    )
    add_pupil(session, 120, surname="Jones", forename="Ruby", group="3B")
    session.commit()
    return user


def _compare(session: Session, summary: Path, **options: object) -> Reconciliation:
    return reconcile(session, summary, start=MON, end=FRI, today=TODAY, **options)


def _by_name(found: Reconciliation) -> dict[str, dict[str, object]]:
    return {str(d["name"]): d for d in found.as_json()}


def test_the_summary_alone_lists_who_differs_and_our_sessions_that_could_explain_it(
    session: Session, office: User
) -> None:
    """Nowak's N codes, Adeyemi's Y7 and closures, Müller's unmarked week are named;
    Hughes is in the MIS only, Ruby here only; Carter and O'Brien agree."""
    found = _compare(session, MIS / "sims-summary.csv")
    assert (found.compared, found.agree) == (6, 2)
    pupils = _by_name(found)
    assert list(pupils) == [
        "Kuba Nowak",
        "Seun Adeyemi",
        "Zoë Müller",
        "Lewis Hughes",
        "Ruby Jones",
    ]
    nowak = pupils["Kuba Nowak"]
    assert nowak["ours"] == {
        "possible": 10,
        "present": 5,
        "authorised": 3,
        "unauthorised": 2,
        "attendance_pct": 50.0,
    }
    assert nowak["mis"] == {**nowak["ours"], "authorised": 5, "unauthorised": 0}
    sessions = [(s["date"], s["session"], s["ours"], s["mis"]) for s in nowak["sessions"]]
    assert sessions[:2] == [("2025-09-09", "AM", "N", None), ("2025-09-09", "PM", "N", None)]
    adeyemi = [(s["session"], s["ours"]) for s in pupils["Seun Adeyemi"]["sessions"]]
    assert adeyemi == [("PM", "Y7"), ("AM", "#"), ("PM", "#")]
    muller = pupils["Zoë Müller"]["sessions"]
    assert len(muller) == 10 and {s["why"] for s in muller} == {"no mark here"}
    assert pupils["Lewis Hughes"]["ours"] is None and pupils["Lewis Hughes"]["upn"] is None
    assert "no pupil here has admission number 001090" in str(pupils["Lewis Hughes"]["note"])
    assert pupils["Ruby Jones"]["mis"] is None
    text = report_text(found)
    assert "6 pupils in the MIS summary, 2 agree, 3 differ." in text
    assert "Tue 9 Sep 2025 AM: here N (no reason yet here" in text


def test_the_mis_marks_export_names_exactly_the_sessions_that_differ(
    session: Session, office: User
) -> None:
    """With the MIS's marks the sessions are those coded differently or marked on one side."""
    found = _compare(session, MIS / "sims-summary.csv", marks=MIS / "sims-marks-mis.csv")
    pupils = _by_name(found)
    triples = {
        name: [(s["date"], s["session"], s["ours"], s["mis"]) for s in d["sessions"]]
        for name, d in pupils.items()
    }
    assert triples["Kuba Nowak"] == [
        ("2025-09-09", "AM", "N", "I"),
        ("2025-09-09", "PM", "N", "I"),
    ]
    assert triples["Seun Adeyemi"] == [("2025-09-09", "PM", "Y7", "V")]
    assert triples["Zoë Müller"][0] == ("2025-09-08", "AM", None, "/")
    assert len(triples["Zoë Müller"]) == 10
    assert "here Y7, MIS V (coded differently)" in report_text(found)


def _summary(tmp_path: Path, *lines: str, title: str = "") -> Path:
    path = tmp_path / "summary.csv"
    head = "UPN,Possible,Present,Authorised,Unauthorised,Attendance %"
    path.write_text("\n".join([*([title] if title else []), head, *lines]) + "\n")
    return path


def _refused(session: Session, path: Path) -> list[str]:
    with pytest.raises(SummaryRefused) as caught:
        _compare(session, path)
    return caught.value.errors


def test_a_summary_for_other_dates_is_refused_saying_which(
    session: Session, office: User, tmp_path: Path
) -> None:
    """The title's dates are the summary's range: another range is named, with the way out."""
    path = _summary(
        tmp_path, "T201200018101,10,6,4,0,60", title="Attendance 01/09/2025 to 19/12/2025"
    )
    assert _refused(session, path) == [
        f"{path}:1: dates: the summary covers Mon 1 Sep 2025 to Fri 19 Dec 2025, not "
        "Mon 8 Sep 2025 to Fri 12 Sep 2025: export it from the MIS for those dates, or compare "
        "with --from 2025-09-01 --to 2025-12-19"
    ]


def test_totals_that_do_not_add_up_and_duplicated_pupils_name_their_lines(
    session: Session, office: User, tmp_path: Path
) -> None:
    """A line whose counts do not make its possible sessions, and a pupil twice, are named."""
    path = _summary(
        tmp_path,
        "T201200018101,10,6,4,0,60.0%",
        "G201200018102,10,5,3,1,50",
        "T201200018101,10,6,4,0,60.0",
    )
    assert _refused(session, path) == [
        f"{path}:3: possible: 10 possible is not present 5 + authorised 3 + unauthorised 1 (9): "
        "the totals on this line do not add up",
        f"{path}:4: upn: UPN T201200018101 is also on line 2: listed twice",
    ]


@pytest.mark.parametrize("pct", ["60", "60.0", "60.0%", "60 %", "60.00", ""])
def test_percentages_are_read_with_or_without_a_percent_sign(
    pct: str, session: Session, office: User, tmp_path: Path
) -> None:
    """However the percentage is written, a right one is accepted (Carter then agrees)."""
    found = _compare(session, _summary(tmp_path, f"T201200018101,10,6,4,0,{pct}"))
    assert "Emma Carter" not in _by_name(found)


def test_a_percentage_that_does_not_fit_its_counts_is_refused(
    session: Session, office: User, tmp_path: Path
) -> None:
    """70 % of 10 sessions is not 6 present: the line is named."""
    path = _summary(tmp_path, "T201200018101,10,6,4,0,70.0 %")
    assert _refused(session, path) == [
        f"{path}:2: pct: 70.0 % does not fit 6 present of 10 possible sessions (60.0 %)"
    ]


def test_a_file_that_is_not_a_summary_says_what_it_lacks(
    session: Session, office: User, tmp_path: Path
) -> None:
    """A marks export given as the summary is refused, naming the columns a summary has."""
    [error] = _refused(session, MIS / "sims-marks.csv")
    assert error.startswith(f"{MIS / 'sims-marks.csv'}:1: header: no header with a UPN")
    assert "'Adno', 'UPN'" in error
