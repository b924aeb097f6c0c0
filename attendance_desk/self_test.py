"""`attendance-desk --self-test`: proof that an installed or packaged copy really works.

A packaged app can start and still be missing a file it only reads later (a migration, a
letter template, a font). The self-test walks the whole path once, in a temporary folder
so no school's data is touched: the shipped files load, a new database is migrated to the
head revision, a small demo school is built and its DSL logs in, a letter is rendered to
PDF and read back, and the school's figures are computed. One line per check; the exit
status is 0 only when every check passed, otherwise 1 with the failing check named.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk import __version__
from attendance_desk.access import auth
from attendance_desk.demo.school import build_demo
from attendance_desk.demo.users import DEMO_PASSWORD
from attendance_desk.letters.sending import preview_pdf
from attendance_desk.letters.templates import available_templates, load_template
from attendance_desk.pathway.due import letters_due
from attendance_desk.pathway.stages import available_pathways, load_pathway
from attendance_desk.pupils.name_search import fold
from attendance_desk.register.stats import rounded, school_figures
from attendance_desk.school.followup_policy import available_presets, load_policy
from attendance_desk.store.db import alembic_config, open_database, transaction
from attendance_desk.wording import plural

#: A small school, on a fixed date so every run checks the same thing.
PUPILS, WEEKS, SEED = 40, 8, 1
TODAY = date(2026, 11, 25)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


class CheckFailed(Exception):
    """A check that ran but found something wrong; the message says what."""


@dataclass
class Context:
    """What the checks share: the temporary folder and, once made, the database."""

    folder: Path
    factory: sessionmaker[Session] | None = None
    #: The first and last day of the demo school's marks, once it is built.
    marks_span: tuple[date, date] | None = None
    #: The demo DSL, once logged in (the window is drawn as them).
    user_id: int | None = None

    @property
    def database(self) -> sessionmaker[Session]:
        if self.factory is None:
            raise CheckFailed("no database: the database check did not run")
        return self.factory

    @property
    def demo_days(self) -> tuple[date, date]:
        if self.marks_span is None:
            raise CheckFailed("no demo school: the demo school check did not run")
        return self.marks_span


#: A check takes the context and returns the detail for its report line.
Check = Callable[[Context], str]


def check_resources(context: Context) -> str:
    """Every shipped policy preset, letter pathway and letter template loads."""
    policies = available_presets()
    pathways = available_pathways()
    templates = available_templates()
    for name, what in (("policy presets", policies), ("pathways", pathways)):
        if not what:
            raise CheckFailed(f"no {name} found (is the resources folder in the bundle?)")
    if not templates:
        raise CheckFailed("no letter templates found (is the resources folder in the bundle?)")
    for path in policies.values():
        load_policy(path)
    for path in pathways.values():
        load_pathway(path)
    for name in templates:
        load_template(name)
    # The name search's transliteration tables are data files a bundle could leave out.
    if fold("Wójcik Łukasz") != "wojcik lukasz":
        raise CheckFailed("name search cannot fold accents (transliteration tables missing)")
    return (
        f"{len(policies)} policy presets, {len(pathways)} pathways, "
        f"{len(templates)} letter templates, name search"
    )


def check_database(context: Context) -> str:
    """A new database file is created and migrated to the newest schema."""
    path = context.folder / "self-test.db"
    context.factory = open_database(path)
    engine = context.factory.kw["bind"]
    script = ScriptDirectory.from_config(alembic_config(engine))
    head = script.get_current_head()
    with engine.connect() as conn:
        current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if current != head:
        raise CheckFailed(f"the schema is at {current}, not the newest revision {head}")
    revisions = len(list(script.walk_revisions()))
    return f"{revisions} migrations applied, schema at {head}"


def check_demo(context: Context) -> str:
    """A small demo school is built: pupils, contacts, calendar and marks."""
    with transaction(context.database) as session:
        summary = build_demo(session, pupils=PUPILS, weeks=WEEKS, seed=SEED, today=TODAY)
    if summary.pupils != PUPILS or summary.marks == 0:
        raise CheckFailed(f"expected {PUPILS} pupils with marks, got {summary}")
    context.marks_span = (summary.first_day, summary.last_day)
    return f"{summary.pupils} pupils, {summary.marks:,} marks"


def check_login(context: Context) -> str:
    """The demo DSL logs in with the demo password (argon2 works); a wrong one is refused."""
    now = datetime.combine(TODAY, datetime.min.time())
    with transaction(context.database) as session:
        user = auth.login(session, username="dsl", password=DEMO_PASSWORD, now=now)
        context.user_id = user.id
        try:
            auth.login(session, username="dsl", password="not the password", now=now)
        except auth.LoginFailed:
            return f"{user.full_name} logged in; a wrong password was refused"
    raise CheckFailed("a wrong password was accepted")


def pdf_pages(pdf: bytes) -> int:
    """The number of pages in a PDF written by ReportLab (its page objects are plain text)."""
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-1024:]:
        raise CheckFailed("the letter is not a complete PDF")
    return len(_PAGE.findall(pdf))


def check_letter(context: Context) -> str:
    """A due letter is rendered on the letterhead with the shipped fonts and read back."""
    day = context.demo_days[1]
    with context.database() as session:
        due = letters_due(session, day)
        if not due:
            raise CheckFailed(f"the demo school has no letters due on {day}")
        pdf = preview_pdf(
            session, due[:1], day, printed_at=datetime.combine(day, datetime.min.time())
        )
    pages = pdf_pages(pdf)
    if pages < 1:
        raise CheckFailed("the letter PDF has no pages")
    return f"'{due[0].template}' letter, {plural(pages, 'page')}, {len(pdf) // 1024} KB"


def check_figures(context: Context) -> str:
    """Whole-school figures add up over the demo's marks."""
    start, end = context.demo_days
    with context.database() as session:
        figures = school_figures(session, start, end)
    if figures.pupils != PUPILS or figures.totals.attendance_pct is None:
        raise CheckFailed(f"figures for {figures.pupils} pupils, expected {PUPILS}")
    return (
        f"attendance {rounded(figures.totals.attendance_pct)} % over "
        f"{figures.totals.possible:,} possible sessions, "
        f"{figures.persistent_count} persistent absentees"
    )


CHECKS: tuple[tuple[str, Check], ...] = (
    ("resources", check_resources),
    ("database", check_database),
    ("demo school", check_demo),
    ("login", check_login),
    ("letter", check_letter),
    ("figures", check_figures),
)


def run(extra: Sequence[tuple[str, Check]] = (), *, out: TextIO | None = None) -> int:
    """Run every check (then `extra`, e.g. the window's), one line each; 0 when all pass.

    Stops at the first failure, since later checks build on earlier ones.
    """
    out = out or sys.stdout
    frozen = " (packaged)" if getattr(sys, "frozen", False) else ""
    print(f"Attendance Desk {__version__}{frozen} self-test", file=out, flush=True)
    with tempfile.TemporaryDirectory(prefix="attendance-desk-self-test-") as folder:
        context = Context(Path(folder))
        try:
            for name, check in (*CHECKS, *extra):
                start = time.perf_counter()
                try:
                    detail = check(context)
                except Exception as exc:  # any failure is reported, not raised
                    print(f"FAIL {name}: {type(exc).__name__}: {exc}", file=out, flush=True)
                    return 1
                seconds = time.perf_counter() - start
                print(f"ok   {name:<12} {detail} ({seconds:.2f} s)", file=out, flush=True)
        finally:
            if context.factory is not None:
                context.factory.kw["bind"].dispose()  # lets Windows delete the folder
    print("self-test passed", file=out, flush=True)
    return 0
