"""Pupils as CSV: the six required columns and the optional flags, names and roll dates.

Importing adds pupils not yet known and updates known ones (by UPN) field by field: an
optional column missing from the file, or a blank flag or `on_roll_from` cell, leaves the
stored value alone; a blank text cell or `on_roll_to` clears it. Every change is audited
with its old and new values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk import audit, calendar_store, school_setup
from attendance_desk.interop import fields
from attendance_desk.interop.csv_io import Row, read_table, write_table
from attendance_desk.models import Pupil, RegGroup, User, YearGroup

REQUIRED = ("upn", "legal_surname", "legal_forename", "date_of_birth", "year_group", "reg_group")
FLAGS = ("fsm", "sen", "cp", "cin", "cla", "vulnerable")
OPTIONAL = ("preferred_forename", "sex", *FLAGS, "social_worker", "on_roll_from", "on_roll_to")
COLUMNS = (*REQUIRED, *OPTIONAL)
#: Text columns and the longest value each may hold.
TEXT_LENGTHS = {
    "legal_surname": 100,
    "legal_forename": 100,
    "reg_group": 40,
    "preferred_forename": 100,
    "social_worker": 200,
}
SEXES = ("M", "F", "U")
YEAR_CODES = tuple(code for code, _ in school_setup.YEAR_GROUPS)


@dataclass(frozen=True, slots=True)
class PupilsSummary:
    """What a pupils import did."""

    added: int
    updated: int
    unchanged: int
    groups_created: int

    def __str__(self) -> str:
        return (
            f"{self.added} pupils added, {self.updated} updated, {self.unchanged} unchanged; "
            f"{self.groups_created} groups created"
        )


@dataclass(slots=True)
class _Parsed:
    line: int
    upn: str
    values: dict[str, Any]


def import_pupils(session: Session, path: Path, *, user: User, now: datetime) -> PupilsSummary:
    """Add or update every pupil in the file, or change nothing and raise `ImportFailed`."""
    table = read_table(path, required=REQUIRED, optional=OPTIONAL)
    problems = table.problems()
    existing = {p.upn: p for p in session.scalars(select(Pupil))}
    first_day = calendar_store.load_calendar(session).first_day
    seen: dict[str, int] = {}
    parsed: list[_Parsed] = []
    for row in table.rows:
        check = fields.RowCheck(problems, row)
        values = _read_row(check, row, table.columns, now.date())
        upn = values.pop("upn")
        if upn is not None:
            if upn in seen:
                check.bad("upn", f"duplicate UPN {upn}; it is also on line {seen[upn]}")
            else:
                seen[upn] = row.line
        stored = existing.get(upn) if upn else None
        roll_from = values.get("on_roll_from") or (stored.on_roll_from if stored else first_day)
        if roll_from is None and check.ok:
            check.bad("on_roll_from", "required while the school calendar is empty")
        roll_to = values.get("on_roll_to")
        if "on_roll_to" not in values and stored is not None:
            roll_to = stored.on_roll_to
        if roll_from and roll_to and roll_to < roll_from:
            check.bad("on_roll_to", f"{roll_to} is before the pupil came on roll ({roll_from})")
        if check.ok and upn is not None:
            values.setdefault("on_roll_from", roll_from)
            parsed.append(_Parsed(row.line, upn, values))
    problems.raise_if_any()
    return _write(session, parsed, existing, user=user, now=now, file=path.name)


def _read_row(
    check: fields.RowCheck, row: Row, columns: tuple[str, ...], today: date
) -> dict[str, Any]:
    values: dict[str, Any] = {"upn": check.value("upn", fields.upn, required=True)}
    for name in ("legal_surname", "legal_forename", "reg_group"):
        values[name] = check.text(name, max_length=TEXT_LENGTHS[name], required=True)
    values["year_group"] = check.value("year_group", _year_code, required=True)
    dob = check.value("date_of_birth", fields.iso_date, required=True)
    if dob and dob >= today:
        check.bad("date_of_birth", f"{dob} is not in the past")
    values["date_of_birth"] = dob
    for name in ("preferred_forename", "social_worker"):
        if name in columns:
            values[name] = check.text(name, max_length=TEXT_LENGTHS[name])
    if "sex" in columns:
        values["sex"] = check.value("sex", _sex)
    for name in FLAGS:
        if row[name]:
            values[name] = check.value(name, fields.flag)
    if row["on_roll_from"]:
        values["on_roll_from"] = check.value("on_roll_from", fields.iso_date)
    if "on_roll_to" in columns:
        values["on_roll_to"] = check.value("on_roll_to", fields.iso_date)
    return values


def _year_code(text: str) -> str:
    code = text.upper()
    if code not in YEAR_CODES:
        raise fields.FieldError(
            f"'{text}' is not a National Curriculum year; use one of {', '.join(YEAR_CODES)}"
        )
    return code


def _sex(text: str) -> str:
    value = text.upper()
    if value not in SEXES:
        raise fields.FieldError(f"expected M, F or U, not '{text}'")
    return value


def _write(
    session: Session,
    parsed: list[_Parsed],
    existing: dict[str, Pupil],
    *,
    user: User,
    now: datetime,
    file: str,
) -> PupilsSummary:
    years = {y.code: y for y in session.scalars(select(YearGroup))}
    groups = {g.name: g for g in session.scalars(select(RegGroup))}
    year_codes = {y.id: code for code, y in years.items()}
    group_names = {g.id: name for name, g in groups.items()}
    created = 0
    added: list[Pupil] = []
    updated = unchanged = 0
    for item in parsed:
        values = item.values
        code, group_name = values.pop("year_group"), values.pop("reg_group")
        if code not in years:
            years[code] = school_setup.year_group(session, code)
            year_codes[years[code].id] = code
            created += 1
        if group_name not in groups:
            groups[group_name] = school_setup.reg_group(session, group_name, years[code])
            group_names[groups[group_name].id] = group_name
            created += 1
        pupil = existing.get(item.upn)
        if pupil is None:
            pupil = Pupil(upn=item.upn, year_group=years[code], reg_group=groups[group_name])
            for flag_name in FLAGS:
                values.setdefault(flag_name, False)
            for name, value in values.items():
                setattr(pupil, name, value)
            session.add(pupil)
            added.append(pupil)
            continue
        changes: dict[str, dict[str, Any]] = {}
        if year_codes[pupil.year_group_id] != code:
            changes["year_group"] = {"old": year_codes[pupil.year_group_id], "new": code}
            pupil.year_group = years[code]
        if group_names[pupil.reg_group_id] != group_name:
            changes["reg_group"] = {"old": group_names[pupil.reg_group_id], "new": group_name}
            pupil.reg_group = groups[group_name]
        for name, value in values.items():
            old = getattr(pupil, name)
            if old != value:
                changes[name] = {"old": old, "new": value}
                setattr(pupil, name, value)
        if not changes:
            unchanged += 1
            continue
        updated += 1
        audit.record(
            session,
            user=user,
            now=now,
            action="update",
            entity="pupil",
            entity_id=pupil.id,
            upn=pupil.upn,
            source=file,
            changes=changes,
        )
    session.flush()
    for pupil in added:
        audit.record(
            session,
            user=user,
            now=now,
            action="create",
            entity="pupil",
            entity_id=pupil.id,
            upn=pupil.upn,
            source=file,
        )
    session.flush()
    return PupilsSummary(len(added), updated, unchanged, created)


def export_pupils(session: Session, path: Path) -> int:
    """Write every pupil, by surname and forename, in the import layout."""
    query = (
        select(Pupil, YearGroup.code, RegGroup.name)
        .join(YearGroup, Pupil.year_group_id == YearGroup.id)
        .join(RegGroup, Pupil.reg_group_id == RegGroup.id)
        .order_by(Pupil.legal_surname, Pupil.legal_forename, Pupil.upn)
    )
    rows = (
        (
            p.upn,
            p.legal_surname,
            p.legal_forename,
            p.date_of_birth.isoformat(),
            year,
            group,
            p.preferred_forename,
            p.sex,
            *(fields.yes_no(getattr(p, name)) for name in FLAGS),
            p.social_worker,
            p.on_roll_from.isoformat(),
            p.on_roll_to.isoformat() if p.on_roll_to else None,
        )
        for p, year, group in session.execute(query)
    )
    return write_table(path, COLUMNS, rows)
