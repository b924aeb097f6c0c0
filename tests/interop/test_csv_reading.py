"""What every import shares: encodings, headers, blank lines and line numbers as editors count."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed, import_marks
from attendance_desk.models import Mark, Pupil, User
from tests.interop.csvfiles import IMPORT_NOW, nothing_pending, snapshot, write_csv

School = tuple[User, list[Pupil]]


def _fails(session: Session, path: Path, user: User) -> list[str]:
    before = snapshot(session)
    with pytest.raises(ImportFailed) as caught:
        import_marks(session, path, user=user, now=IMPORT_NOW)
    assert nothing_pending(session)
    assert snapshot(session) == before
    return caught.value.errors


def test_utf8_with_byte_order_mark_is_read(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A file saved by Excel as 'CSV UTF-8' starts with a BOM, which is not part of the header."""
    user, (amy, *_) = school
    path = write_csv(
        tmp_path,
        "bom.csv",
        f"upn,date,session,code\n{amy.upn},2025-09-08,AM,/\n",
        encoding="utf-8-sig",
    )
    summary = import_marks(session, path, user=user, now=IMPORT_NOW)
    assert summary.added == 1


def test_excel_windows_1252_csv_is_read_as_it_is(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Excel's default "CSV (Comma delimited)" is Windows-1252: its é and ’ are read right."""
    user, (amy, *_) = school
    path = write_csv(
        tmp_path,
        "cp1252.csv",
        f"upn,date,session,code,reason\n{amy.upn},2025-09-08,AM,B,Café trip – Zoë’s class\n",
        encoding="cp1252",
    )
    assert import_marks(session, path, user=user, now=IMPORT_NOW).added == 1
    reason = session.scalar(select(Mark.reason).where(Mark.pupil_id == amy.id))
    assert reason == "Café trip – Zoë’s class"


def test_utf16_unicode_text_with_tabs_is_read(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Excel's "Unicode Text" (UTF-16, tab-separated) is recognised and read."""
    user, (amy, *_) = school
    path = write_csv(
        tmp_path,
        "u16.txt",
        f"upn\tdate\tsession\tcode\n{amy.upn}\t2025-09-08\tAM\t/\n",
        encoding="utf-16",
    )
    assert import_marks(session, path, user=user, now=IMPORT_NOW).added == 1


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_semicolon_tab_and_bar_separated_files_are_read(
    separator: str, session: Session, school: School, tmp_path: Path
) -> None:
    """The separator is recognised from the header, so every column is found."""
    user, (amy, ben, _) = school
    rows = [
        ["upn", "date", "session", "code", "reason"],
        [amy.upn, "08/09/2025", "AM", "B", "Trip, with lunch"],
        [ben.upn, "2025-09-08", "AM", "/", ""],
    ]
    text = "".join(separator.join(row) + "\n" for row in rows)
    path = write_csv(tmp_path, "semi.csv", text)
    assert import_marks(session, path, user=user, now=IMPORT_NOW).added == 2
    assert session.scalar(select(Mark.reason).where(Mark.pupil_id == amy.id)) == (
        "Trip, with lunch"
    )


def test_a_file_no_encoding_explains_is_refused_naming_the_line(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A byte Windows-1252 does not define (0x81) is neither UTF-8 nor Excel's CSV: refused."""
    user, (amy, *_) = school
    path = tmp_path / "odd.csv"
    path.write_bytes(f"upn,date,session,code\n{amy.upn},2025-09-08,AM,/\n".encode() + b"x\x81,,,\n")
    errors = _fails(session, path, user)
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:3: encoding: the file is not UTF-8 or Windows-1252")
    assert "byte 0x81" in errors[0] and "CSV UTF-8" in errors[0]


def test_utf8_mixed_with_another_encoding_is_refused_naming_the_line(
    session: Session, school: School, tmp_path: Path
) -> None:
    """UTF-8 names on one line and a Windows-1252 é on another cannot both be right."""
    user, (amy, *_) = school
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"upn,date,session,code,reason\n"
        + f"{amy.upn},2025-09-08,AM,B,Zoë\n".encode()
        + f"{amy.upn},2025-09-08,PM,B,Caf".encode()
        + b"\xe9\n"
    )
    errors = _fails(session, path, user)
    assert errors == [
        f"{path}:3: encoding: the file mixes UTF-8 with another encoding (byte 0xE9 on this "
        "line); save it as 'CSV UTF-8' and import it again"
    ]


def test_a_row_shorter_than_the_header_is_refused(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A short row would blank the cells it lacks, so it is refused, naming them."""
    user, (amy, ben, _) = school
    path = write_csv(
        tmp_path,
        "short.csv",
        f"upn,date,session,code,reason\n{amy.upn},2025-09-08,AM,/,\n{ben.upn},2025-09-08,AM\n",
    )
    assert _fails(session, path, user) == [
        f"{path}:3: row: 3 cells but the header names 5 columns; the missing code, reason "
        "would be read as blank"
    ]


def test_missing_required_columns_are_named_in_one_error(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Every missing column is named in a single header error; rows are not checked then."""
    user, (amy, *_) = school
    path = write_csv(tmp_path, "cols.csv", f"UPN, Date\n{amy.upn},2025-09-08\n")
    assert _fails(session, path, user) == [
        f"{path}:1: header: missing required column(s): session, code"
    ]


def test_unknown_and_repeated_columns_are_errors(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A misspelt or doubled column is refused rather than silently ignored."""
    user, _ = school
    path = write_csv(tmp_path, "cols.csv", "upn,date,session,code,resaon,code\n")
    errors = _fails(session, path, user)
    assert any("header: unknown column(s): resaon" in e for e in errors)
    assert any("header: column(s) given twice: code" in e for e in errors)


def test_empty_file_asks_for_the_header(session: Session, school: School, tmp_path: Path) -> None:
    """An empty file says which header line it should start with."""
    user, _ = school
    path = write_csv(tmp_path, "empty.csv", "\n\n")
    assert _fails(session, path, user) == [
        f"{path}:1: header: the file is empty; the first line must be the header "
        "upn,date,session,code"
    ]


def test_missing_file_is_an_import_failure(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A file that cannot be read fails the same way as a bad one."""
    user, _ = school
    with pytest.raises(ImportFailed, match="cannot read the file"):
        import_marks(session, tmp_path / "nowhere.csv", user=user, now=IMPORT_NOW)


def test_blank_lines_are_skipped_and_lines_count_as_an_editor_does(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Blank lines, CRLF endings and a quoted cell over two lines keep later line numbers right."""
    user, (amy, ben, _) = school
    text = (
        "upn,date,session,code,reason\r\n"
        "\r\n"
        f'{amy.upn},2025-09-08,AM,B,"Museum visit\r\nwith class 3"\r\n'
        ",,,,\r\n"
        f"{ben.upn},2025-09-08,XX,/,\r\n"
    )
    path = write_csv(tmp_path, "lines.csv", text)
    assert _fails(session, path, user) == [f"{path}:6: session: session must be AM or PM, not 'XX'"]


def test_row_with_more_cells_than_columns_is_an_error(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A stray comma that adds a cell is reported rather than shifting values."""
    user, (amy, *_) = school
    path = write_csv(tmp_path, "extra.csv", f"upn,date,session,code\n{amy.upn},2025-09-08,AM,/,x\n")
    assert _fails(session, path, user) == [f"{path}:2: row: 5 cells but the header names 4 columns"]


def test_nul_byte_is_reported_not_raised(session: Session, school: School, tmp_path: Path) -> None:
    """A NUL byte (a binary file renamed .csv) becomes an import error, not a crash."""
    user, _ = school
    path = write_csv(tmp_path, "nul.csv", "upn,date,session,code\nab\x00cd,2025-09-08,AM,/\n")
    errors = _fails(session, path, user)
    assert errors == [f"{path}:2: file: contains NUL bytes, so it is not a CSV text file"]


def test_every_problem_is_reported_in_line_order(
    session: Session, school: School, tmp_path: Path
) -> None:
    """All bad cells of all rows are listed, not only the first, and nothing is written."""
    user, (amy, *_) = school
    path = write_csv(
        tmp_path,
        "many.csv",
        f"""\
        upn,date,session,code
        {amy.upn},2025-09-08,AM,/
        {amy.upn},2025-09-31,XX,QQ
        ,2025-09-09,PM,
        """,
    )
    errors = _fails(session, path, user)
    assert [e.split(": ")[0:2] for e in errors] == [
        [f"{path}:3", "date"],
        [f"{path}:3", "session"],
        [f"{path}:3", "code"],
        [f"{path}:4", "upn"],
        [f"{path}:4", "code"],
    ]
    assert session.scalar(select(func.count()).select_from(Mark)) == 0


def test_unnamed_empty_columns_are_ignored_but_values_in_them_are_not(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Trailing columns a spreadsheet adds are fine while empty; a value there is reported."""
    user, (amy, ben, _) = school
    path = write_csv(
        tmp_path,
        "trailing.csv",
        f"upn,date,session,code,,\n{amy.upn},2025-09-08,AM,/,,\n{ben.upn},2025-09-08,AM,/,,x\n",
    )
    assert _fails(session, path, user) == [
        f"{path}:3: row: a value in column 6, which has no header"
    ]
    path.write_text(f"upn,date,session,code,,\n{amy.upn},2025-09-08,AM,/,,\n", encoding="utf-8")
    assert import_marks(session, path, user=user, now=IMPORT_NOW).added == 1


def test_mis_forms_of_dates_years_and_sex_are_read() -> None:
    """An MIS's own forms read as ours; anything ambiguous or impossible is refused."""
    from datetime import date

    from attendance_desk.interop import fields

    assert fields.mis_date("2018-02-03") == fields.mis_date("03/02/2018") == date(2018, 2, 3)
    assert fields.mis_date("3/2/2018") == date(2018, 2, 3)
    for bad in ("30/02/2018", "2018/02/03", "02-03-2018", "3 Feb 2018"):
        with pytest.raises(fields.FieldError):
            fields.mis_date(bad)
    assert [fields.year_code(t) for t in ("3", "Year 3", "Y3", "yr 03", "Reception", "r")] == [
        "3",
        "3",
        "3",
        "3",
        "R",
        "R",
    ]
    assert fields.year_code("Nursery 1") == "N1"
    with pytest.raises(fields.FieldError, match="National Curriculum year"):
        fields.year_code("Year 14")
    assert [fields.sex(t) for t in ("m", "Female", "U")] == ["M", "F", "U"]
    with pytest.raises(fields.FieldError):
        fields.sex("X")
