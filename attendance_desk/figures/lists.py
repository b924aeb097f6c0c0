"""Who is persistently absent, who is close to it, and what was last done for each.

- **PA list**: pupils who missed 10 % or more of their possible sessions in the range (the
  DfE definition, docs/rules.md#figures), severe absentees (50 %+) marked.
- **At-risk list**: pupils just above the line, who missed at least `AT_RISK_FROM` (8 %) but
  under 10 % — attendance above 90 % and no higher than 92 % — so support can start before
  they become persistent absentees (docs/rules.md#figures). The margin is fixed, not a
  setting.

Each pupil carries their unauthorised sessions (the penalty-notice evidence), their stage on
the letters pathway, and the latest follow-up: an action closed on the worklist or a call,
text or email logged, whichever is later (the DSL's actions named as the viewer may read
them, see `catalogues.redaction`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TypeVar

from sqlalchemy import String, func, literal, select, union_all
from sqlalchemy.orm import Session

from attendance_desk.catalogues.call_outcomes import OUTCOMES
from attendance_desk.catalogues.redaction import action_label
from attendance_desk.csv_files import write_table
from attendance_desk.figures.tally import RangeTally, Summary, range_tally
from attendance_desk.followup.rules import KIND_LABELS
from attendance_desk.models import (
    ActionOutcome,
    ContactAttempt,
    PathwayCase,
    Pupil,
    RegGroup,
    User,
    YearGroup,
)
from attendance_desk.register import stats

#: Absence (percent of possible sessions) from which a pupil is on the at-risk list.
AT_RISK_FROM = 8.0
#: Ids per `IN (...)` list, well inside every SQLite build's limit on bound parameters.
CHUNK = 500

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LastAction:
    """The most recent follow-up for a pupil: when, and what ("Call: no answer")."""

    at: datetime
    what: str


@dataclass(frozen=True, slots=True)
class ListedPupil:
    """One pupil on the PA or at-risk list, as the tab, the pack and the CSV show them.

    `stage` is the pupil's stage on the letters pathway (see `pathway_stages`); `left_on`
    is set for a pupil who has since come off roll (they still count in the range's PA).
    """

    pupil_id: int
    upn: str
    name: str
    surname: str
    year_group: str
    year_order: int
    reg_group: str
    summary: Summary
    left_on: date | None
    stage: str | None
    last_action: LastAction | None

    @property
    def attendance_pct(self) -> float | None:
        return self.summary.attendance_pct

    @property
    def unauthorised(self) -> int:
        return self.summary.figures.unauthorised

    @property
    def severe(self) -> bool:
        return self.summary.severe > 0


@dataclass(frozen=True, slots=True)
class ConcernLists:
    """The PA list and the at-risk list for one range, lowest attendance first."""

    start: date
    end: date
    persistent: tuple[ListedPupil, ...]
    at_risk: tuple[ListedPupil, ...]


def pathway_stages(session: Session, pupil_ids: Sequence[int]) -> dict[int, str]:
    """Each pupil's open letters-pathway case as "Stage N: <current step>", one query."""
    rows = session.execute(
        select(PathwayCase.pupil_id, PathwayCase.stage, PathwayCase.state).where(
            PathwayCase.pupil_id.in_(pupil_ids), PathwayCase.closed_on.is_(None)
        )
    )
    return {pid: f"Stage {stage}: {state.replace('_', ' ')}" for pid, stage, state in rows}


def last_actions(
    session: Session, pupil_ids: Sequence[int], *, up_to: datetime, viewer: User
) -> dict[int, LastAction]:
    """The latest worklist outcome or contact attempt at or before `up_to`, per pupil."""
    out: dict[int, LastAction] = {}
    for ids in _chunks(pupil_ids):
        outcomes = select(
            ActionOutcome.pupil_id.label("pupil_id"),
            ActionOutcome.at.label("at"),
            literal("action", String).label("source"),
            ActionOutcome.kind.label("kind"),
            ActionOutcome.status.label("detail"),
        ).where(ActionOutcome.pupil_id.in_(ids), ActionOutcome.at <= up_to)
        attempts = select(
            ContactAttempt.pupil_id,
            ContactAttempt.at,
            literal("contact", String),
            ContactAttempt.outcome,
            literal("", String),
        ).where(ContactAttempt.pupil_id.in_(ids), ContactAttempt.at <= up_to)
        both = union_all(outcomes, attempts).subquery()
        ranked = select(
            both,
            func.row_number()
            .over(partition_by=both.c.pupil_id, order_by=both.c.at.desc())
            .label("rank"),
        ).subquery()
        for row in session.execute(select(ranked).where(ranked.c.rank == 1)):
            what = _describe(row.source, row.kind, row.detail, viewer)
            out[row.pupil_id] = LastAction(row.at, what)
    return out


def _describe(source: str, kind: str, detail: str, viewer: User) -> str:
    if source == "contact":
        label = OUTCOMES.get(kind, kind.replace("_", " "))
        return f"Contact: {label[0].lower()}{label[1:]}"
    label = action_label(kind, KIND_LABELS.get(kind, kind.replace("_", " ")), viewer)
    return f"{label}: {detail}"


def concern_lists_from(
    session: Session, tally: RangeTally, *, viewer: User, up_to: datetime | None = None
) -> ConcernLists:
    """The two lists from a tally made with `watch_from=AT_RISK_FROM` (or lower), as
    `viewer` may read them.

    `up_to` bounds the "last action" (default: the end of the range's last day).
    """
    up_to = up_to or datetime.combine(tally.end, time.max)
    ids = sorted(tally.pupils)
    stages = pathway_stages(session, ids)
    actions = last_actions(session, ids, up_to=up_to, viewer=viewer)
    persistent: list[ListedPupil] = []
    at_risk: list[ListedPupil] = []
    for ids_chunk in _chunks(ids):
        rows = session.execute(
            select(Pupil, RegGroup.name, YearGroup.code, YearGroup.sort_order)
            .join(RegGroup, RegGroup.id == Pupil.reg_group_id)
            .join(YearGroup, YearGroup.id == Pupil.year_group_id)
            .where(Pupil.id.in_(ids_chunk))
        )
        for pupil, form, year, year_order in rows:
            summary = tally.pupils[pupil.id]
            listed = ListedPupil(
                pupil_id=pupil.id,
                upn=pupil.upn,
                name=pupil.display_name,
                surname=pupil.legal_surname,
                year_group=year,
                year_order=year_order,
                reg_group=form,
                summary=summary,
                left_on=_left(pupil, up_to.date()),
                stage=stages.get(pupil.id),
                last_action=actions.get(pupil.id),
            )
            if summary.persistent:
                persistent.append(listed)
            elif _absence_at_least(summary, AT_RISK_FROM):
                at_risk.append(listed)
    return ConcernLists(tally.start, tally.end, _ordered(persistent), _ordered(at_risk))


def _left(pupil: Pupil, by: date) -> date | None:
    return pupil.on_roll_to if pupil.on_roll_to is not None and pupil.on_roll_to < by else None


def _absence_at_least(summary: Summary, pct: float) -> bool:
    f = summary.figures
    return f.possible > 0 and (f.authorised + f.unauthorised) * 100 >= pct * f.possible


def _ordered(pupils: list[ListedPupil]) -> tuple[ListedPupil, ...]:
    return tuple(
        sorted(pupils, key=lambda p: (p.attendance_pct or 0.0, p.surname.lower(), p.name, p.upn))
    )


def concern_lists(
    session: Session, start: date, end: date, *, viewer: User, up_to: datetime | None = None
) -> ConcernLists:
    """The PA and at-risk lists between two dates (one aggregate query for the figures)."""
    tally = range_tally(
        session, start, end, groupings=(), with_codes=False, watch_from=AT_RISK_FROM
    )
    return concern_lists_from(session, tally, viewer=viewer, up_to=up_to)


CSV_COLUMNS = (
    "upn",
    "name",
    "year_group",
    "reg_group",
    "possible_sessions",
    "attendance_pct",
    "authorised_sessions",
    "unauthorised_sessions",
    "severe",
    "left_on",
    "stage",
    "last_action_date",
    "last_action",
)


def csv_rows(pupils: Iterable[ListedPupil]) -> Iterator[list[object]]:
    """The CSV cells for each pupil, in `CSV_COLUMNS` order (percentages to 1 d.p.)."""
    for p in pupils:
        f = p.summary.figures
        yield [
            p.upn,
            p.name,
            p.year_group,
            p.reg_group,
            f.possible,
            stats.rounded(p.attendance_pct),
            f.authorised,
            f.unauthorised,
            "Y" if p.severe else "N",
            p.left_on.isoformat() if p.left_on else None,
            p.stage,
            p.last_action.at.date().isoformat() if p.last_action else None,
            p.last_action.what if p.last_action else None,
        ]


def write_csv(path: Path, pupils: Iterable[ListedPupil]) -> int:
    """Write a list as UTF-8 CSV (replacing the file only when complete); returns the rows."""
    return write_table(path, CSV_COLUMNS, csv_rows(pupils))


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]
