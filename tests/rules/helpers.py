"""Files for the rule book's import examples."""

from __future__ import annotations

import textwrap
from pathlib import Path

PUPILS_HEADER = "upn,legal_surname,legal_forename,date_of_birth,year_group,reg_group"


def csv_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def ctf_pupil(upn: str, *, born: str, year: str = "4", marks: str = "", start: str = "") -> str:
    """One `<Pupil>` for a CTF; `marks` (with `start`) recorded at Hillside (201/2000)."""
    attendance = (
        f"""<Attendance><YearData><Year>2025</Year><LEA>201</LEA><Estab>2000</Estab>
        <SchoolName>Hillside Primary</SchoolName><AttendStartDate>{start}</AttendStartDate>
        <AttendMarks>{marks}</AttendMarks></YearData></Attendance>"""
        if marks
        else ""
    )
    return f"""<Pupil><UPN>{upn}</UPN><Surname>Okafor</Surname><Forename>Noah</Forename>
    <DOB>{born}</DOB><Sex>M</Sex><BasicDetails><NCyearActual>{year}</NCyearActual></BasicDetails>
    {attendance}</Pupil>"""
