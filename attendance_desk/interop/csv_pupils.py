"""Pupils as CSV: the six required columns and the optional flags, names and roll dates.

Importing adds pupils not yet known and updates known ones (by UPN) field by field: an
optional column missing from the file, or a blank flag, `on_roll_from` or `on_roll_to`
cell, leaves the stored value alone; a blank text cell clears it. Every change is audited
with its old and new values. An import never ends a pupil's time on roll (`roll`: leaving
goes through the removal service), and a pupil it adds to a roll that already has pupils is
a joiner, whose new-pupil return to the LA is then due.

An MIS student list imports as it comes (`mis_values`): SEN as census codes or words,
flags as Yes/No, a preferred full name, and an `enrolment_status` column whose leavers,
guests and applicants are skipped (counted, with why) rather than put on roll.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access.permissions import Permission, require
from attendance_desk.catalogues.redaction import pupil_columns
from attendance_desk.csv_files import write_table
from attendance_desk.interop import fields, mis_values, pupil_audit, pupil_checks
from attendance_desk.interop.csv_io import Row, Table, read_table
from attendance_desk.interop.errors import Problems
from attendance_desk.interop.row_verdicts import (
    Progress,
    ProgressCallback,
    RowVerdict,
    Status,
)
from attendance_desk.interop.row_verdicts import error as verdict_error
from attendance_desk.models import Pupil, RegGroup, User, YearGroup
from attendance_desk.roll import changes as roll
from attendance_desk.roll.lock import RecordClosed, ensure_record_open
from attendance_desk.school import calendar_store
from attendance_desk.school import setup as school_setup

REQUIRED = ("upn", "legal_surname", "legal_forename", "date_of_birth", "year_group", "reg_group")
FLAGS = ("fsm", "sen", "cp", "cin", "cla", "vulnerable")
#: Flags added since the first layout; written after it, so older files still import.
MORE_FLAGS = ("ehcp", "eal", "pupil_premium")
OPTIONAL = (
    "preferred_forename",
    "sex",
    *FLAGS,
    "social_worker",
    "on_roll_from",
    "on_roll_to",
    "admission_number",
    *MORE_FLAGS,
)
#: The export layout: an export imports back unchanged.
COLUMNS = (*REQUIRED, *OPTIONAL)
#: The oldest a pupil can be, in years (a young person with an EHC plan stays to 25).
OLDEST = 30
#: Read from an MIS export, never stored or exported.
IMPORT_ONLY = ("enrolment_status",)
#: Text columns and the longest value each may hold.
TEXT_LENGTHS = {
    "legal_surname": 100,
    "legal_forename": 100,
    "reg_group": 40,
    "preferred_forename": 100,
    "social_worker": 200,
    "admission_number": 20,
}


@dataclass(frozen=True, slots=True)
class PupilsSummary:
    """What a pupils import did."""

    added: int
    updated: int
    unchanged: int
    groups_created: int
    #: Rows skipped because the MIS does not have the pupil on roll: status -> rows.
    skipped: Mapping[str, int] = field(default_factory=dict)
    #: UPNs of pupils on roll here whom the file lists as no longer on roll.
    left_in_mis: tuple[str, ...] = ()
    #: `file:line: column: warning` for rows imported that deserve a look.
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = (
            f"{self.added} pupils added, {self.updated} updated, {self.unchanged} unchanged; "
            f"{self.groups_created} groups created"
        )
        if self.skipped:
            counts = ", ".join(f"{n} {status}" for status, n in sorted(self.skipped.items()))
            rows = sum(self.skipped.values())
            text += f"; {rows} row{'s' * (rows != 1)} skipped, not on roll in the MIS ({counts})"
        if self.left_in_mis:
            text += (
                f"; {len(self.left_in_mis)} of them on roll here ({', '.join(self.left_in_mis)})"
                ": take them off roll with Desk → Remove from roll"
            )
        return "\n  ".join([text, *(f"warning: {w}" for w in self.warnings)])


@dataclass(slots=True)
class _Parsed:
    line: int
    upn: str
    year: str
    group: str
    values: dict[str, Any]
    #: For a pupil already stored: each field that differs, as (old, new).
    changes: dict[str, tuple[Any, Any]]


@dataclass(frozen=True, slots=True)
class PupilsPlan:
    """A checked pupils file and what importing it would do, row by row; writes nothing."""

    problems: Problems
    verdicts: list[RowVerdict]
    parsed: list[_Parsed]
    existing: dict[str, Pupil]
    skipped: Counter[str] = field(default_factory=Counter)
    left_in_mis: tuple[str, ...] = ()


def import_pupils(
    session: Session,
    path: Path,
    *,
    user: User,
    now: datetime,
    mapping: Mapping[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> PupilsSummary:
    """Add or update every pupil in the file, or change nothing and raise `ImportFailed`.

    Args:
        mapping: the file's header for each of our columns, for an MIS export's own names.
        progress: told (done, total) as pupils are written.
    """
    require(user, Permission.AMEND_REGISTER)
    table = read_file(path, mapping)
    plan = plan_pupils(session, table, today=now.date())
    plan.problems.raise_if_any()
    return _write(session, plan, user=user, now=now, file=path.name, progress=progress)


def read_file(path: Path, mapping: Mapping[str, str] | None = None) -> Table:
    """The file's rows under our column names (see `csv_io.read_table`)."""
    optional = (*OPTIONAL, *IMPORT_ONLY)
    return read_table(path, required=REQUIRED, optional=optional, mapping=mapping)


def plan_pupils(session: Session, table: Table, *, today: date) -> PupilsPlan:
    """Check every row and work out what it would change: the one path both the preview
    and the import take."""
    problems = table.problems()
    existing = {p.upn: p for p in session.scalars(select(Pupil))}
    years = {i: code for i, code in session.execute(select(YearGroup.id, YearGroup.code))}
    groups = {i: name for i, name in session.execute(select(RegGroup.id, RegGroup.name))}
    first_day = calendar_store.load_calendar(session).first_day
    spans = pupil_checks.marks_span(session)
    numbers = pupil_checks.admission_numbers(session)
    seen: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    parsed: list[_Parsed] = []
    verdicts: list[RowVerdict] = []
    skipped: Counter[str] = Counter()
    left: list[str] = []
    for row in table.rows:
        status = row["enrolment_status"]
        if not mis_values.on_roll_status(status):
            skipped[status] += 1
            stored = existing.get(row["upn"].upper().replace(" ", ""))
            if stored is not None and stored.on_roll(today):
                left.append(stored.upn)
            why = f"Enrolment Status '{status}': not on roll in the MIS"
            verdicts.append(RowVerdict(row.line, Status.SKIPPED, reason=why))
            continue
        check = fields.RowCheck(problems, row)
        values = _read_row(check, row, table, today)
        upn = values.pop("upn")
        if upn is not None:
            if upn in seen:
                check.bad("upn", f"duplicate UPN {upn}; it is also on line {seen[upn]}")
            else:
                seen[upn] = row.line
        stored = existing.get(upn) if upn else None
        pupil_checks.admission_number_problem(
            check, values.get("admission_number"), upn, numbers, seen_numbers
        )
        roll_from = values.get("on_roll_from") or (stored.on_roll_from if stored else first_day)
        if roll_from is None and check.ok:
            check.bad("on_roll_from", "required while the school calendar is empty")
        roll_to = values.get("on_roll_to") or (stored.on_roll_to if stored else None)
        if roll_from and roll_to and roll_to < roll_from:
            check.bad("on_roll_to", f"{roll_to} is before the pupil came on roll ({roll_from})")
        elif leaving := roll.leaving_problem(stored, values.get("on_roll_to")):
            check.bad(*leaving)
        elif stored is not None and (
            found := pupil_checks.roll_problem(spans.get(stored.id), roll_from, roll_to)
        ):
            check.bad(*found)
        if not (check.ok and upn is not None):
            verdicts.append(verdict_error(row.line, check.found))
            continue
        values.setdefault("on_roll_from", roll_from)
        item = _Parsed(row.line, upn, values.pop("year_group"), values.pop("reg_group"), values, {})
        warnings = _warnings(item, today)
        if stored is None:
            verdicts.append(RowVerdict(row.line, Status.NEW, warnings=warnings))
        else:
            item.changes = _changes(stored, item, years[stored.year_group_id], groups)
            if item.changes:
                try:
                    ensure_record_open(session, stored, today=today)
                except RecordClosed as exc:
                    check.bad("upn", str(exc))
                    verdicts.append(verdict_error(row.line, check.found))
                    continue
            status = Status.UPDATED if item.changes else Status.UNCHANGED
            verdicts.append(RowVerdict(row.line, status, dict(item.changes), warnings=warnings))
        parsed.append(item)
    return PupilsPlan(problems, verdicts, parsed, existing, skipped, tuple(left))


def _warnings(item: _Parsed, today: date) -> tuple[tuple[str, str], ...]:
    dob = item.values["date_of_birth"]
    warning = pupil_checks.year_warning(item.year, dob, today)
    return (("year_group", warning),) if warning else ()


def _changes(
    pupil: Pupil, item: _Parsed, year: str, groups: dict[int, str]
) -> dict[str, tuple[Any, Any]]:
    """Each field the file would change on a stored pupil, as (old, new)."""
    changes: dict[str, tuple[Any, Any]] = {}
    if year != item.year:
        changes["year_group"] = (year, item.year)
    if groups[pupil.reg_group_id] != item.group:
        changes["reg_group"] = (groups[pupil.reg_group_id], item.group)
    for name, value in item.values.items():
        old = getattr(pupil, name)
        if old != value:
            changes[name] = (old, value)
    return changes


def _read_row(check: fields.RowCheck, row: Row, table: Table, today: date) -> dict[str, Any]:
    columns = table.columns
    values: dict[str, Any] = {"upn": check.value("upn", fields.upn, required=True)}
    for name in ("legal_surname", "legal_forename", "reg_group"):
        values[name] = check.text(name, max_length=TEXT_LENGTHS[name], required=True)
    values["year_group"] = check.value("year_group", fields.year_code, required=True)
    dob = check.value("date_of_birth", fields.mis_date, required=True)
    if dob and dob >= today:
        check.bad("date_of_birth", f"{dob} is not in the past")
    elif dob and dob.year < today.year - OLDEST:
        check.bad("date_of_birth", f"{dob} is over {OLDEST} years ago: not a pupil's birthday")
    values["date_of_birth"] = dob
    for name in ("preferred_forename", "social_worker", "admission_number"):
        if name in columns:
            values[name] = check.text(name, max_length=TEXT_LENGTHS[name])
    if values.get("preferred_forename") and values["legal_surname"]:
        preferred = mis_values.forename_from_name(
            values["preferred_forename"],
            values["legal_surname"],
            full_name=mis_values.is_full_name(table.headers.get("preferred_forename", "")),
        )
        values["preferred_forename"] = preferred
    if "sex" in columns:
        values["sex"] = check.value("sex", fields.sex)
    for name in (*FLAGS, *MORE_FLAGS):
        if row[name] and name != "sen":
            values[name] = check.value(name, fields.flag)
    pupil_checks.read_sen(check, row, values)
    if row["on_roll_from"]:
        values["on_roll_from"] = check.value("on_roll_from", pupil_checks.roll_date)
    if row["on_roll_to"]:
        values["on_roll_to"] = check.value("on_roll_to", pupil_checks.roll_date)
    return values


def _write(
    session: Session,
    plan: PupilsPlan,
    *,
    user: User,
    now: datetime,
    file: str,
    progress: ProgressCallback | None,
) -> PupilsSummary:
    years = {y.code: y for y in session.scalars(select(YearGroup))}
    groups = {g.name: g for g in session.scalars(select(RegGroup))}
    created = 0
    added: list[Pupil] = []
    updated = unchanged = 0
    meter = Progress(progress, len(plan.parsed))
    meter.start()
    for item in plan.parsed:
        if item.year not in years:
            years[item.year] = school_setup.year_group(session, item.year)
            created += 1
        if item.group not in groups:
            groups[item.group] = school_setup.reg_group(session, item.group, years[item.year])
            created += 1
        pupil = plan.existing.get(item.upn)
        if pupil is None:
            pupil = Pupil(upn=item.upn, year_group=years[item.year], reg_group=groups[item.group])
            defaults = dict.fromkeys((*FLAGS, *MORE_FLAGS), False)
            for name, value in {**defaults, **item.values}.items():
                setattr(pupil, name, value)
            session.add(pupil)
            added.append(pupil)
        elif not item.changes:
            unchanged += 1
        else:
            _update(session, pupil, item.changes, years, groups, user=user, now=now, file=file)
            updated += 1
        meter.advance()
    pupil_audit.record_created(session, added, user=user, now=now, file=file)
    if plan.existing:  # joiners, not the school's first load from its MIS
        for pupil in added:
            roll.record_admission(session, pupil=pupil, user=user, now=now)
    session.flush()
    skipped = dict(plan.skipped)
    warnings = tuple(
        f"{file}:{v.line}: {column}: {text}" for v in plan.verdicts for column, text in v.warnings
    )
    return PupilsSummary(
        len(added), updated, unchanged, created, skipped, plan.left_in_mis, warnings
    )


def _update(
    session: Session,
    pupil: Pupil,
    changes: dict[str, tuple[Any, Any]],
    years: dict[str, YearGroup],
    groups: dict[str, RegGroup],
    *,
    user: User,
    now: datetime,
    file: str,
) -> None:
    """Write only the fields that differ, and audit each one's old and new value."""
    for name, (_old, new) in changes.items():
        if name == "year_group":
            pupil.year_group = years[new]
        elif name == "reg_group":
            pupil.reg_group = groups[new]
        else:
            setattr(pupil, name, new)
    pupil_audit.record_updated(session, pupil, changes, user=user, now=now, file=file)


def export_pupils(session: Session, path: Path, *, viewer: User) -> int:
    """Write every pupil, by surname and forename, in the import layout; CP, CIN, CLA and
    the social worker only for a `viewer` who may see them (see `catalogues.redaction`)."""
    columns = pupil_columns(COLUMNS, viewer)
    query = (
        select(Pupil, YearGroup.code, RegGroup.name)
        .join(YearGroup, Pupil.year_group_id == YearGroup.id)
        .join(RegGroup, Pupil.reg_group_id == RegGroup.id)
        .order_by(Pupil.legal_surname, Pupil.legal_forename, Pupil.upn)
    )
    rows = (
        [cells[name] for name in columns]
        for cells in (_export_cells(p, year, group) for p, year, group in session.execute(query))
    )
    return write_table(path, columns, rows)


def _export_cells(p: Pupil, year: str, group: str) -> dict[str, object]:
    return {
        "upn": p.upn,
        "legal_surname": p.legal_surname,
        "legal_forename": p.legal_forename,
        "date_of_birth": p.date_of_birth.isoformat(),
        "year_group": year,
        "reg_group": group,
        "preferred_forename": p.preferred_forename,
        "sex": p.sex,
        **{name: fields.yes_no(getattr(p, name)) for name in FLAGS},
        "social_worker": p.social_worker,
        "on_roll_from": p.on_roll_from.isoformat(),
        "on_roll_to": p.on_roll_to.isoformat() if p.on_roll_to else None,
        "admission_number": p.admission_number,
        **{name: fields.yes_no(getattr(p, name)) for name in MORE_FLAGS},
    }
