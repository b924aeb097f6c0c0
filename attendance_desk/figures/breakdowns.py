"""The headline against the school's target, and the same figures broken down by group.

Every group shows how many pupils it holds: a group of three where one child was ill reads
as a crisis, so groups under `SMALL_GROUP` pupils are flagged for the reader to treat with
care. Within one breakdown every pupil is in exactly one group, so the groups' counts add up
to the whole school's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.figures.compulsory import compulsory_age_figures
from attendance_desk.figures.tally import GROUPINGS, RangeTally, Summary, range_tally
from attendance_desk.models import RegGroup, YearGroup
from attendance_desk.register.stats import SchoolFigures
from attendance_desk.school import settings

#: Groups with fewer pupils than this are flagged: one absence moves their figures a lot.
SMALL_GROUP = 5

#: (title, label when the flag is set, label when it is not) for the yes/no groupings.
FLAG_LABELS: dict[str, tuple[str, str, str]] = {
    "fsm": ("Free school meals", "FSM", "Not FSM"),
    "pupil_premium": ("Pupil premium", "Pupil premium", "Not pupil premium"),
    "social_care": ("Known to social care (CP, CIN or CLA)", "CP, CIN or CLA", "None of these"),
    "cp": ("Child protection plan", "CP plan", "No CP plan"),
    "cin": ("Child in need", "Child in need", "Not CIN"),
    "cla": ("Child looked after", "Looked after", "Not looked after"),
}
SEX_LABELS = {"F": "Female", "M": "Male", "U": "Not recorded"}
#: SEN provision as the census codes it, in the order the DfE reports it.
SEN_LABELS = {"E": "EHC plan", "K": "SEN support", "N": "No SEN"}
TITLES: dict[str, str] = {
    "year_group": "Year group",
    "reg_group": "Registration group",
    "sex": "Sex",
    "sen": "SEN provision",
    **{name: title for name, (title, _, _) in FLAG_LABELS.items()},
}
assert set(TITLES) == set(GROUPINGS), "every grouping needs a title"


@dataclass(frozen=True, slots=True)
class Headline:
    """The whole school over a range, with the attendance target it is read against, and
    the same figures for pupils of compulsory school age only (as the DfE publishes them)."""

    start: date
    end: date
    target: float
    summary: Summary
    compulsory: Summary | None = None

    @property
    def attendance_pct(self) -> float | None:
        return self.summary.attendance_pct

    @property
    def gap_to_target(self) -> float | None:
        """Attendance minus the target, in percentage points (negative when below it)."""
        pct = self.attendance_pct
        return None if pct is None else pct - self.target

    @property
    def meets_target(self) -> bool:
        gap = self.gap_to_target
        return gap is not None and gap >= 0


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """One group within a breakdown: its name, its place in the order, and its figures."""

    key: str
    label: str
    order: tuple[int, str]
    summary: Summary

    @property
    def small(self) -> bool:
        """True when the group has too few pupils for its percentages to mean much."""
        return self.summary.pupils < SMALL_GROUP


@dataclass(frozen=True, slots=True)
class Breakdown:
    """The school split one way (by year group, by FSM…), each pupil in one group."""

    name: str
    title: str
    groups: tuple[GroupFigures, ...]

    @property
    def pupils(self) -> int:
        return sum(g.summary.pupils for g in self.groups)


def headline_from(tally: RangeTally, target: float, compulsory: Summary | None = None) -> Headline:
    return Headline(tally.start, tally.end, target, tally.school, compulsory)


def compulsory_from(session: Session, tally: RangeTally) -> Summary:
    """The tally's whole-school figures for pupils of compulsory school age only."""
    s = tally.school
    whole = SchoolFigures(s.figures, s.pupils, s.persistent, s.severe)
    c = compulsory_age_figures(session, tally.start, tally.end, whole)
    return Summary(c.totals, c.pupils, c.persistent_count, c.severe_count)


def breakdowns_from(session: Session, tally: RangeTally) -> list[Breakdown]:
    """Each grouping in the tally as a `Breakdown`, groups in their natural order."""
    years = {
        str(id_): (order, name)
        for id_, order, name in session.execute(
            select(YearGroup.id, YearGroup.sort_order, YearGroup.name)
        )
    }
    forms = {
        str(id_): (order, name)
        for id_, order, name in session.execute(
            select(RegGroup.id, YearGroup.sort_order, RegGroup.name).join(RegGroup.year_group)
        )
    }
    out = []
    for name, by_key in tally.groups.items():
        groups = []
        for key, summary in by_key.items():
            order = _place(name, key, years, forms)
            groups.append(GroupFigures(key, order[1], order, summary))
        groups.sort(key=lambda g: g.order)
        out.append(Breakdown(name, TITLES[name], tuple(groups)))
    return out


def _place(
    name: str, key: str, years: dict[str, tuple[int, str]], forms: dict[str, tuple[int, str]]
) -> tuple[int, str]:
    """(sort position, label) for one group: years in NC order, forms within their year."""
    if name == "year_group":
        return years.get(key, (999, f"Year group {key}"))
    if name == "reg_group":
        return forms.get(key, (999, f"Group {key}"))
    for grouping, named in (("sex", SEX_LABELS), ("sen", SEN_LABELS)):
        if name == grouping:
            labels = list(named)
            return (labels.index(key), named[key]) if key in labels else (9, key)
    _, yes, no = FLAG_LABELS[name]
    return (0, yes) if key == "1" else (1, no)


def school_target(session: Session) -> float:
    """The whole-school attendance target from Settings (percent)."""
    return float(settings.get(session, settings.ATTENDANCE_TARGET))


def headline(session: Session, start: date, end: date) -> Headline:
    """The whole school's figures for a range against the target (one aggregate query)."""
    tally = range_tally(session, start, end, groupings=(), with_codes=False)
    return headline_from(tally, school_target(session))


def breakdowns(session: Session, start: date, end: date) -> list[Breakdown]:
    """Every breakdown for a range (one aggregate query over the range's marks)."""
    return breakdowns_from(session, range_tally(session, start, end, with_codes=False))
