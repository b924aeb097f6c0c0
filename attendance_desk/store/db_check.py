"""A thorough look at a database file: SQLite's own checks, then the app's.

SQLite's `integrity_check` and `foreign_key_check` find damage; the app's checks find
records that are whole but wrong, which no constraint catches: marks on days the school was
closed or for pupils not on roll, codes outside the national set, a code that needs a reason
without one, amendment histories that do not lead to the mark's code, overlapping terms,
two contacts with the same priority. Each problem is one line the office (or whoever they
ring) can act on. The file is opened read-only, so checking never changes it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from datetime import date
from itertools import groupby
from pathlib import Path

from sqlalchemy import and_, create_engine, func, or_, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from attendance_desk.access import audit_chain
from attendance_desk.catalogues import codes
from attendance_desk.models import Closure, Contact, Mark, MarkAmendment, Pupil, Term
from attendance_desk.school.calendar import Period, SchoolCalendar
from attendance_desk.store import db_cipher, schema_check
from attendance_desk.store.db import MIGRATIONS

#: Problems of one kind listed one by one before the rest are counted.
SHOWN_PER_KIND = 20
_REASON_CODES = tuple(c.code for c in codes.CODES if c.needs_reason)


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that can neither change `path` nor create it when it is missing."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path} does not exist")
    conn: sqlite3.Connection = db_cipher.connect(Path(path), read_only=True)
    conn.text_factory = _lenient_text  # a damaged page is reported, never a traceback
    return conn


def _lenient_text(raw: bytes) -> str:
    """Text as stored, with bytes that are not UTF-8 (damage) shown as U+FFFD."""
    return raw.decode("utf-8", errors="replace")


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """What SQLite's integrity check (or the faster quick check) finds; empty when sound."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    except UnicodeDecodeError:
        # SQLite's own error message quoted damaged bytes (a scribbled-over schema page)
        return ["the file's table of contents (its schema) is damaged"]
    if rows == ["ok"]:
        return []
    return [line for row in rows for line in row.splitlines() if not line.startswith("***")]


def known_revisions() -> tuple[set[str], str | None]:
    """Every schema revision this version of the app knows, and its newest (head)."""
    from alembic.config import Config  # loaded for a check, not at every start
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    return {rev.revision for rev in script.walk_revisions()}, script.get_current_head()


def check(db_path: Path) -> list[str]:
    """Every problem found in the database at `db_path`, one readable line each.

    An empty list means SQLite found no damage and the app found nothing inconsistent.
    The app's checks run only on a database whose schema is this version's.
    """
    path = Path(db_path)
    if not path.is_file():
        return [f"{path}: there is no database file here"]
    with closing(open_read_only(path)) as conn:
        try:
            damage = integrity_problems(conn)
        except sqlite3.DatabaseError as exc:
            return [f"damage: SQLite cannot read {path} ({exc}); restore a backup"]
        problems = [f"damage: {line}" for line in damage]
        try:
            problems += _foreign_key_problems(conn)
            version = _version_problem(conn)
            schema = [] if version else _schema_differences(conn)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            return [*problems, f"damage: the checks could not go on ({exc})"]
    if damage:
        return [*problems, "the app's own checks need an undamaged file: restore a backup"]
    if version:
        return [*problems, version]  # the app's queries need this version's tables
    problems += schema  # the app's checks still run: the office should see both
    engine = create_engine("sqlite://", creator=lambda: open_read_only(path), poolclass=NullPool)
    try:
        with Session(engine) as session:
            problems += audit_chain.problems(session)
            problems += app_problems(session)
    except DatabaseError as exc:  # a schema edited by hand, a page damaged since the check
        problems.append(f"the app's checks could not finish: {exc.orig}")
    except UnicodeDecodeError as exc:
        problems.append(f"the app's checks could not finish: damaged text ({exc.reason})")
    finally:
        engine.dispose()
    return problems


def _foreign_key_problems(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    lines = []
    for (table, parent), group in groupby(sorted(rows, key=lambda r: (r[0], r[2])), key=_pair):
        ids = [str(row[1]) for row in group]
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        lines.append(
            f"broken link: {len(ids)} row(s) of {table} point to {parent} rows that do not "
            f"exist (row id {shown})"
        )
    return lines


def _pair(row: tuple[str, int, str, int]) -> tuple[str, str]:
    return row[0], row[2]


def _version_problem(conn: sqlite3.Connection) -> str | None:
    """Why the file is not at this version's schema, or None when it is."""
    try:
        found = [str(r) for (r,) in conn.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.OperationalError:
        return "schema: not an Attendance Desk database (no alembic_version table)"
    known, head = known_revisions()
    if len(found) != 1 or found[0] not in known:
        return f"schema: {', '.join(found) or 'none'} is not a schema this version knows"
    if found[0] != head:
        return (
            f"schema: {found[0]} is older than this version's {head}; open the database in "
            "Attendance Desk once (it upgrades it) and check again"
        )
    return None


def _schema_differences(conn: sqlite3.Connection) -> list[str]:
    """Every table, column, link, index, trigger and view that is not as the migrations
    make them (a file at this version's schema)."""
    _, head = known_revisions()
    assert head is not None
    found = schema_check.read_schema(conn)
    return schema_check.differences(found, schema_check.expected_schema(head))


#: The kinds of problem that make a file unsafe to use (the rest are the office's to tidy).
HARMFUL = ("damage:", "broken link:", "schema:", "audit:", "the app's checks could not")


def harmful_problems(db_path: Path) -> list[str]:
    """`check`'s problems that make a file unsafe to restore: damage, broken links, a
    schema that is not the app's, a broken audit chain."""
    return [line for line in check(db_path) if line.startswith(HARMFUL)]


# --- the app's own checks ---------------------------------------------------------------
def app_problems(session: Session) -> list[str]:
    """The records that are whole but inconsistent, in a database at this schema."""
    calendar, problems = _calendar(session)
    if calendar is not None:
        problems += _capped(_marks_on_closed_days(session, calendar), "days")
    problems += _capped(_marks_off_roll(session), "pupils")
    problems += _capped(_roll_dates(session), "pupils")
    problems += _unknown_codes(session)
    problems += _missing_reasons(session)
    problems += _capped(_amendment_chains(session), "marks")
    problems += _capped(_duplicate_priorities(session), "pupils")
    return problems


def _capped(lines: Iterator[str] | Sequence[str], what: str) -> list[str]:
    found = list(lines)
    if len(found) <= SHOWN_PER_KIND:
        return found
    rest = len(found) - SHOWN_PER_KIND
    return [*found[:SHOWN_PER_KIND], f"... and the same for {rest} more {what}"]


def _calendar(session: Session) -> tuple[SchoolCalendar | None, list[str]]:
    terms = sorted(
        (Period(t.start, t.end, t.name) for t in session.scalars(select(Term)) if t.end >= t.start),
        key=lambda t: t.start,
    )
    closures = [Period(c.start, c.end, c.name) for c in session.scalars(select(Closure))]
    problems = [
        f"calendar: term '{t.name}' ends {t.end} before it starts {t.start}"
        for t in session.scalars(select(Term).where(Term.end < Term.start))
    ]
    for earlier, later in zip(terms, terms[1:], strict=False):
        if later.start <= earlier.end:
            problems.append(
                f"calendar: terms '{earlier.name}' ({earlier.start} to {earlier.end}) and "
                f"'{later.name}' ({later.start} to {later.end}) overlap"
            )
    for c in closures:
        if not any(c.start in t or c.end in t for t in terms):
            problems.append(
                f"calendar: closure '{c.name}' ({c.start} to {c.end}) is outside every term"
            )
    if problems:
        return None, problems
    return SchoolCalendar(tuple(terms), tuple(c for c in closures if c.end >= c.start)), []


def _marks_on_closed_days(session: Session, calendar: SchoolCalendar) -> Iterator[str]:
    per_day = session.execute(select(Mark.date, func.count()).group_by(Mark.date)).all()
    first, last = calendar.first_day, calendar.last_day
    outside: list[tuple[date, int]] = []
    for day, count in per_day:
        if calendar.is_school_day(day):
            continue
        if first is None or last is None or not first <= day <= last:
            outside.append((day, count))
            continue
        closure = next((c.name for c in calendar.closures if day in c), None)
        why = closure or (f"a {day:%A}" if day.weekday() >= 5 else "between terms")
        yield f"marks: {count} on {day}, which is not a school day ({why})"
    if outside:
        span = "the school calendar is empty" if first is None else f"it runs {first} to {last}"
        yield (
            f"marks: {sum(n for _, n in outside)} on {len(outside)} day(s) from "
            f"{outside[0][0]} to {outside[-1][0]}, outside the school calendar ({span})"
        )


def _marks_off_roll(session: Session) -> Iterator[str]:
    off_roll = or_(
        Mark.date < Pupil.on_roll_from,
        and_(Pupil.on_roll_to.is_not(None), Mark.date > Pupil.on_roll_to),
    )
    query = (
        select(Pupil, func.count(Mark.id), func.min(Mark.date), func.max(Mark.date))
        .join(Pupil, Mark.pupil_id == Pupil.id)
        .where(off_roll)
        .group_by(Pupil.id)
        .order_by(Pupil.upn)
    )
    for pupil, count, first, last in session.execute(query):
        roll = f"on roll from {pupil.on_roll_from}"
        if pupil.on_roll_to is not None:
            roll = f"on roll {pupil.on_roll_from} to {pupil.on_roll_to}"
        yield (
            f"marks: {count} for {pupil.upn} ({pupil.display_name}) from {first} to {last}, "
            f"when they were not on roll ({roll})"
        )


def _roll_dates(session: Session) -> Iterator[str]:
    query = select(Pupil).where(Pupil.on_roll_to < Pupil.on_roll_from).order_by(Pupil.upn)
    for pupil in session.scalars(query):
        yield (
            f"pupils: {pupil.upn} ({pupil.display_name}) leaves the roll on {pupil.on_roll_to}, "
            f"before joining it on {pupil.on_roll_from}"
        )


def _unknown_codes(session: Session) -> list[str]:
    lines = []
    sources = (
        ("marks", Mark.code),
        ("amendments from", MarkAmendment.old_code),
        ("amendments to", MarkAmendment.new_code),
    )
    for what, column in sources:
        # A pre-2024 code is a national code on a mark dated before the 2024 code set.
        older = Mark.date < codes.CODE_SET_2024_FROM
        query = select(column, older, func.count()).group_by(column, older)
        if column is not Mark.code:
            query = query.join(Mark, MarkAmendment.mark_id == Mark.id)
        counts: dict[str, int] = {}
        for code, before, count in session.execute(query):
            if not (code in codes.BY_CODE or (before and code in codes.STORED)):
                counts[code] = counts.get(code, 0) + count
        lines += [
            f"codes: {count} {what} '{code}', which is not a national code"
            for code, count in counts.items()
        ]
    return lines


def _missing_reasons(session: Session) -> list[str]:
    query = (
        select(Mark.code, func.count())
        .where(Mark.code.in_(_REASON_CODES), func.trim(func.coalesce(Mark.reason, "")) == "")
        .group_by(Mark.code)
        .order_by(Mark.code)
    )
    return [
        f"marks: {count} coded {code} ({codes.BY_CODE[code].meaning}) have no reason, "
        "which that code needs"
        for code, count in session.execute(query)
    ]


def _amendment_chains(session: Session) -> Iterator[str]:
    """Each amendment starts from the code the one before it left, and the last one leaves
    the mark's code: otherwise the statutory history does not explain the register."""
    query = (
        select(
            MarkAmendment.mark_id,
            MarkAmendment.old_code,
            MarkAmendment.new_code,
            Mark.code,
            Mark.date,
            Mark.session,
            Pupil.upn,
        )
        .join(Mark, MarkAmendment.mark_id == Mark.id)
        .join(Pupil, Mark.pupil_id == Pupil.id)
        .order_by(MarkAmendment.mark_id, MarkAmendment.amended_at, MarkAmendment.id)
    )
    for _, group in groupby(session.execute(query), key=lambda r: r[0]):
        rows = list(group)
        _, _, _, code, day, sess, upn = rows[0]
        where = f"amendments: {upn} {day} {sess} is {code}, but"
        for before, after in zip(rows, rows[1:], strict=False):
            if after.old_code != before.new_code:
                yield (
                    f"{where} one amendment leaves {before.new_code} and the next starts "
                    f"from {after.old_code}"
                )
                break
        else:
            if rows[-1].new_code != code:
                yield f"{where} its last amendment leaves {rows[-1].new_code}"


def _duplicate_priorities(session: Session) -> Iterator[str]:
    query = (
        select(Pupil.upn, Contact.priority, func.count())
        .join(Pupil, Contact.pupil_id == Pupil.id)
        .group_by(Contact.pupil_id, Pupil.upn, Contact.priority)  # PostgreSQL names each column
        .having(func.count() > 1)
        .order_by(Pupil.upn, Contact.priority)
    )
    for upn, priority, count in session.execute(query):
        yield f"contacts: {upn} has {count} contacts at priority {priority}; who is rung first?"
