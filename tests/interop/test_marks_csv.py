"""Importing marks: every kind of bad row, amendments over stored marks, legacy codes, speed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed, export_marks, import_marks
from attendance_desk.models import AuditEvent, Mark, MarkAmendment, Pupil, User
from attendance_desk.school.calendar import SchoolCalendar, sessions_between
from tests.helpers.builders import CLOSURES, NOW, TERMS, add_pupil, make_upn, mark_days
from tests.interop.csvfiles import IMPORT_NOW, nothing_pending, snapshot, write_csv

School = tuple[User, list[Pupil]]
MON = date(2025, 9, 8)
HEADER = "upn,date,session,code"


def _stored(session: Session, pupil: Pupil, day: date = MON, sess: str = "AM") -> Mark:
    return session.scalars(
        select(Mark).where(Mark.pupil_id == pupil.id, Mark.date == day, Mark.session == sess)
    ).one()


def _bad_upn_letter(upn: str) -> str:
    return ("A" if upn[0] != "A" else "B") + upn[1:]


# (bad row with {amy}/{cara} placeholders, field, words the problem must contain)
BAD_ROWS = {
    "bad UPN check letter": ("{bad_amy},2025-09-08,AM,/", "upn", "bad UPN check letter"),
    "UPN of wrong length": ("123,2025-09-08,AM,/", "upn", "a UPN has 13 characters, not 3"),
    "unknown pupil": (f"{make_upn(99)},2025-09-08,AM,/", "upn", "unknown pupil"),
    "unknown code": ("{amy},2025-09-08,PM,Q9", "code", "valid codes are: / \\ L"),
    "blank code": ("{amy},2025-09-08,PM,", "code", "required, but empty"),
    "legacy code without the option": ("{amy},2025-09-08,PM,H", "code", "pre-2024 code"),
    "impossible date": ("{amy},2025-02-30,AM,/", "date", "impossible date 2025-02-30"),
    "not a date": ("{amy},8 Sep 2025,AM,/", "date", "write dates as YYYY-MM-DD or DD/MM/YYYY"),
    "date outside the calendar": (
        "{amy},2026-01-12,AM,/",
        "date",
        "not a school day: outside the school calendar (2025-09-03 to 2025-12-19)",
    ),
    "weekend": ("{amy},2025-09-13,AM,/", "date", "not a school day: it is a Saturday"),
    "closure": ("{amy},2025-09-19,AM,/", "date", "not a school day: INSET day"),
    "half-term": ("{amy},2025-10-28,AM,/", "date", "not a school day: it falls between terms"),
    "not on roll": ("{cara},2025-09-08,AM,/", "date", "was not on roll on 2025-09-08"),
    "session not AM/PM": ("{amy},2025-09-08,EVE,/", "session", "must be AM or PM, not 'EVE'"),
    "duplicate session": ("{amy},2025-09-08,am,N", "session", "is also on line 2"),
    "reason too long": ("{amy},2025-09-08,PM,B," + "x" * 301, "reason", "too long"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_row_is_reported_with_file_line_and_field_and_nothing_changes(
    case: str, session: Session, school: School, tmp_path: Path
) -> None:
    """Each kind of bad row gives `file:3: field: problem`, and the database is unchanged."""
    user, (amy, _, cara) = school
    mark_days(session, amy, user, {(MON, "PM"): "/"})
    session.commit()
    row, column, words = BAD_ROWS[case]
    row = row.format(amy=amy.upn, cara=cara.upn, bad_amy=_bad_upn_letter(amy.upn))
    row += "," * (4 - row.count(","))  # every row has the header's five cells
    path = write_csv(tmp_path, "marks.csv", f"{HEADER},reason\n{amy.upn},2025-09-08,AM,/,\n{row}\n")
    before = snapshot(session)
    with pytest.raises(ImportFailed) as caught:
        import_marks(session, path, user=user, now=IMPORT_NOW)
    assert len(caught.value.errors) == 1, caught.value.errors
    error = caught.value.errors[0]
    assert error.startswith(f"{path}:3: {column}: "), error
    assert words in error
    assert nothing_pending(session)
    assert snapshot(session) == before


def test_future_date_is_refused(session: Session, school: School, tmp_path: Path) -> None:
    """A register cannot be imported for a day that has not happened yet."""
    user, (amy, *_) = school
    path = write_csv(tmp_path, "m.csv", f"{HEADER}\n{amy.upn},2025-09-08,AM,/\n")
    with pytest.raises(ImportFailed, match="2025-09-08 is in the future"):
        import_marks(session, path, user=user, now=NOW)


def test_new_marks_are_recorded_with_who_and_when(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Rows for empty sessions become marks recorded by the importing user at `now`."""
    user, (amy, ben, _) = school
    path = write_csv(
        tmp_path,
        "m.csv",
        f"""\
        {HEADER}
        {amy.upn},2025-09-08,AM,/
        {amy.upn.lower()},2025-09-08,pm,l
        {ben.upn},2025-09-08,AM,N
        """,
    )
    summary = import_marks(session, path, user=user, now=IMPORT_NOW)
    assert (summary.added, summary.amended, summary.unchanged) == (3, 0, 0)
    assert _stored(session, amy, sess="PM").code == "L"
    mark = _stored(session, ben)
    assert (mark.code, mark.recorded_by_id, mark.recorded_at) == ("N", user.id, IMPORT_NOW)


def test_different_mark_over_stored_one_is_an_amendment_reason_imported(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A changed code amends the stored mark with reason "imported"; history keeps the old one."""
    user, (amy, ben, _) = school
    mark_days(session, amy, user, {(MON, "AM"): "N"})
    mark_days(session, ben, user, {(MON, "AM"): "/"})
    session.commit()
    path = write_csv(
        tmp_path, "m.csv", f"{HEADER}\n{amy.upn},2025-09-08,AM,I\n{ben.upn},2025-09-08,AM,/\n"
    )
    summary = import_marks(session, path, user=user, now=IMPORT_NOW)
    session.commit()
    assert (summary.added, summary.amended, summary.unchanged) == (0, 1, 1)
    mark = _stored(session, amy)
    assert mark.code == "I"
    [amendment] = session.scalars(select(MarkAmendment)).all()
    assert (amendment.mark_id, amendment.old_code, amendment.new_code) == (mark.id, "N", "I")
    assert amendment.reason == "imported"
    assert amendment.user_name == user.full_name
    assert _stored(session, ben).version == 1


def test_amending_late_to_late_after_close_keeps_minutes(
    session: Session, school: School, tmp_path: Path
) -> None:
    """L amended to U keeps the minutes late; the other codes drop them."""
    user, (amy, *_) = school
    mark_days(session, amy, user, {(MON, "AM"): "L", (MON, "PM"): "L"})
    _stored(session, amy).minutes_late = 12
    _stored(session, amy, sess="PM").minutes_late = 5
    session.commit()
    path = write_csv(
        tmp_path, "m.csv", f"{HEADER}\n{amy.upn},2025-09-08,AM,U\n{amy.upn},2025-09-08,PM,/\n"
    )
    import_marks(session, path, user=user, now=IMPORT_NOW)
    assert (_stored(session, amy).code, _stored(session, amy).minutes_late) == ("U", 12)
    assert _stored(session, amy, sess="PM").minutes_late is None


def test_codes_needing_a_reason_take_it_from_the_file_or_imported(
    session: Session, school: School, tmp_path: Path
) -> None:
    """B, C and Y7 carry the `reason` cell when there is one, otherwise "imported"."""
    user, (amy, ben, _) = school
    path = write_csv(
        tmp_path,
        "m.csv",
        f"""\
        {HEADER},reason
        {amy.upn},2025-09-08,AM,B,Science museum
        {ben.upn},2025-09-08,AM,y7,
        {ben.upn},2025-09-08,PM,I,Tummy bug
        """,
    )
    import_marks(session, path, user=user, now=IMPORT_NOW)
    assert _stored(session, amy).reason == "Science museum"
    assert (_stored(session, ben).code, _stored(session, ben).reason) == ("Y7", "imported")
    assert _stored(session, ben, sess="PM").reason == "Tummy bug"


def test_legacy_codes_are_mapped_and_the_mapping_reported(
    session: Session, school: School, tmp_path: Path
) -> None:
    """With `legacy=True`, H becomes C (reason "imported") and the summary says H->C."""
    user, (amy, ben, _) = school
    path = write_csv(
        tmp_path,
        "m.csv",
        f"""\
        {HEADER}
        {amy.upn},2025-09-08,AM,H
        {amy.upn},2025-09-08,PM,h
        {ben.upn},2025-09-08,AM,J
        {ben.upn},2025-09-08,PM,\\
        """,
    )
    summary = import_marks(session, path, user=user, now=IMPORT_NOW, legacy=True)
    assert summary.legacy == {"H": "C", "J": "J1"}
    assert summary.legacy_rows == {"H": 2, "J": 1}
    assert "H->C (2 rows)" in str(summary)
    mark = _stored(session, amy)
    assert (mark.code, mark.reason) == ("C", "imported")
    assert _stored(session, ben).code == "J1"


def test_legacy_code_without_the_option_suggests_the_mapping(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Without the option, H is refused with a message saying it would become C."""
    user, (amy, *_) = school
    path = write_csv(tmp_path, "m.csv", f"{HEADER}\n{amy.upn},2025-09-08,AM,H\n")
    with pytest.raises(ImportFailed) as caught:
        import_marks(session, path, user=user, now=IMPORT_NOW)
    assert caught.value.errors == [
        f"{path}:2: code: 'H' is a pre-2024 code; "
        "import with the legacy mapping (--legacy) to record it as C"
    ]


def test_import_is_audited_once(session: Session, school: School, tmp_path: Path) -> None:
    """One audit event records the file and its counts."""
    user, (amy, *_) = school
    path = write_csv(tmp_path, "m.csv", f"{HEADER}\n{amy.upn},2025-09-08,AM,/\n")
    import_marks(session, path, user=user, now=IMPORT_NOW)
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.entity == "marks")).all()
    assert event.action == "import"
    assert '"added": 1' in event.detail
    assert '"source": "m.csv"' in event.detail


def test_export_range_writes_the_import_layout(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Only marks inside --from/--to are written, by date, UPN and session."""
    user, (amy, *_) = school
    tue = date(2025, 9, 9)
    mark_days(session, amy, user, {(MON, "PM"): "\\", (MON, "AM"): "/", (tue, "AM"): "B"})
    path = tmp_path / "out.csv"
    assert export_marks(session, path, start=MON, end=MON) == 2
    assert path.read_text(encoding="utf-8").splitlines() == [
        "upn,date,session,code,reason",
        f"{amy.upn},2025-09-08,AM,/,",
        f"{amy.upn},2025-09-08,PM,\\,",
    ]
    with pytest.raises(ValueError, match="before it starts"):
        export_marks(session, path, start=tue, end=MON)


def test_a_whole_term_imports_then_reimports_unchanged(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A term of marks for a class imports in bulk; importing it again changes nothing."""
    user, _ = school
    pupils = [add_pupil(session, n, surname=f"P{n}") for n in range(10, 40)]
    session.commit()
    calendar = SchoolCalendar(tuple(TERMS), tuple(CLOSURES))
    lines = [HEADER]
    for day, sess in sessions_between(calendar, date(2025, 9, 3), date(2025, 12, 19)):
        code = "/" if sess == "AM" else "\\"
        lines.extend(f"{p.upn},{day},{sess},{code}" for p in pupils)
    path = write_csv(tmp_path, "big.csv", "\n".join(lines) + "\n")
    summary = import_marks(session, path, user=user, now=IMPORT_NOW)
    session.commit()
    again = import_marks(session, path, user=user, now=IMPORT_NOW)
    assert summary.added == len(lines) - 1 == 4_320
    assert again.unchanged == 4_320 and again.added == again.amended == 0


def test_a_bulk_import_amends_through_the_register_keeping_the_original(
    session: Session, school: School, tmp_path: Path
) -> None:
    """In a file big enough for the bulk insert, a row over a stored mark is still an
    amendment: original and new code, reason "imported", who and when, audited."""
    user, (amy, _, _) = school
    mark_days(session, amy, user, {(MON, "AM"): "N"})
    pupils = [add_pupil(session, n, surname=f"P{n}") for n in range(10, 20)]
    session.commit()
    calendar = SchoolCalendar(tuple(TERMS), tuple(CLOSURES))
    lines = [HEADER, f"{amy.upn},2025-09-08,AM,I"]
    for day, sess in sessions_between(calendar, date(2025, 9, 3), date(2025, 10, 17)):
        lines.extend(f"{p.upn},{day},{sess},N" for p in pupils)
    path = write_csv(tmp_path, "big.csv", "\n".join(lines) + "\n")
    summary = import_marks(session, path, user=user, now=IMPORT_NOW)
    session.commit()
    assert summary.added == len(lines) - 2 > 500 and summary.amended == 1
    mark = _stored(session, amy)
    [amendment] = session.scalars(select(MarkAmendment)).all()
    assert (amendment.mark_id, amendment.old_code, amendment.new_code, mark.code) == (
        mark.id,
        "N",
        "I",
        "I",
    )
    assert (amendment.reason, amendment.user_name, amendment.amended_at) == (
        "imported",
        user.full_name,
        IMPORT_NOW,
    )
    amended = session.scalar(select(AuditEvent).where(AuditEvent.action == "amend"))
    assert amended is not None and amended.entity_id == mark.id
