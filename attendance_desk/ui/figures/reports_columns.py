"""The columns of each table on the Reports tab (see `report_table_model`)."""

from __future__ import annotations

from attendance_desk.figures.breakdowns import SMALL_GROUP, GroupFigures
from attendance_desk.figures.codes_used import CodeUse
from attendance_desk.figures.formatting import DASH, pct, short_date
from attendance_desk.figures.lists import ListedPupil
from attendance_desk.figures.trends import HalfTermPoint
from attendance_desk.ui.figures.report_table_model import ReportColumn, ReportTableModel

SMALL_TIP = (
    f"Fewer than {SMALL_GROUP} pupils: one child's absence moves these figures a lot; "
    "read them with care"
)


def _sort_pct(value: float | None) -> float:
    return -1.0 if value is None else value


def _pupils_text(group: GroupFigures) -> str:
    return f"{group.summary.pupils:,}{' *' if group.small else ''}"


GROUP_COLUMNS: list[ReportColumn[GroupFigures]] = [
    ReportColumn("Group", lambda g: g.label, lambda g: g.order),
    ReportColumn(
        "Pupils",
        _pupils_text,
        lambda g: g.summary.pupils,
        "Pupils with at least one possible session in the range; * marks a small group",
        numeric=True,
    ),
    ReportColumn(
        "Attendance",
        lambda g: pct(g.summary.attendance_pct),
        lambda g: _sort_pct(g.summary.attendance_pct),
        "Sessions attended (present or an approved activity) of possible sessions",
        numeric=True,
    ),
    ReportColumn(
        "Authorised",
        lambda g: pct(g.summary.authorised_pct),
        lambda g: _sort_pct(g.summary.authorised_pct),
        "Authorised absence, as a share of possible sessions",
        numeric=True,
    ),
    ReportColumn(
        "Unauthorised",
        lambda g: pct(g.summary.unauthorised_pct),
        lambda g: _sort_pct(g.summary.unauthorised_pct),
        "Unauthorised absence, as a share of possible sessions",
        numeric=True,
    ),
    ReportColumn(
        "Persistent",
        lambda g: f"{g.summary.persistent:,}",
        lambda g: g.summary.persistent,
        "Pupils who missed 10 % or more of their possible sessions",
        numeric=True,
    ),
    ReportColumn(
        "Persistent %",
        lambda g: pct(g.summary.persistent_pct),
        lambda g: _sort_pct(g.summary.persistent_pct),
        "Persistent absentees as a share of the group's pupils",
        numeric=True,
    ),
    ReportColumn(
        "Severe",
        lambda g: f"{g.summary.severe:,}",
        lambda g: g.summary.severe,
        "Pupils who missed half or more of their possible sessions",
        numeric=True,
    ),
]


HALF_TERM_COLUMNS: list[ReportColumn[HalfTermPoint]] = [
    ReportColumn("Half-term", lambda h: h.name, lambda h: h.start),
    ReportColumn(
        "Dates",
        lambda h: f"{short_date(h.start)} – {short_date(h.end)} {h.end:%Y}",
        lambda h: h.start,
    ),
    ReportColumn("Pupils", lambda h: f"{h.summary.pupils:,}", lambda h: h.summary.pupils, "", True),
    ReportColumn(
        "Attendance",
        lambda h: pct(h.summary.attendance_pct),
        lambda h: _sort_pct(h.summary.attendance_pct),
        numeric=True,
    ),
    ReportColumn(
        "Authorised",
        lambda h: pct(h.summary.authorised_pct),
        lambda h: _sort_pct(h.summary.authorised_pct),
        numeric=True,
    ),
    ReportColumn(
        "Unauthorised",
        lambda h: pct(h.summary.unauthorised_pct),
        lambda h: _sort_pct(h.summary.unauthorised_pct),
        numeric=True,
    ),
    ReportColumn(
        "Persistent",
        lambda h: f"{h.summary.persistent:,}",
        lambda h: h.summary.persistent,
        "Pupils who missed 10 % or more of their sessions within this half-term",
        numeric=True,
    ),
    ReportColumn(
        "Persistent %",
        lambda h: pct(h.summary.persistent_pct),
        lambda h: _sort_pct(h.summary.persistent_pct),
        numeric=True,
    ),
    ReportColumn(
        "Severe",
        lambda h: f"{h.summary.severe:,}",
        lambda h: h.summary.severe,
        numeric=True,
    ),
]


CODE_COLUMNS: list[ReportColumn[CodeUse]] = [
    ReportColumn("Code", lambda c: c.code, None, "The national attendance code"),
    ReportColumn("Meaning", lambda c: c.meaning),
    ReportColumn("Category", lambda c: c.category_label),
    ReportColumn("Sessions", lambda c: f"{c.sessions:,}", lambda c: c.sessions, "", True),
    ReportColumn(
        "Share",
        lambda c: pct(c.share_pct),
        lambda c: _sort_pct(c.share_pct),
        "Share of all possible sessions; a dash for codes that are not possible sessions",
        numeric=True,
    ),
    ReportColumn(
        "Pupils",
        lambda c: f"{c.pupils:,}",
        lambda c: c.pupils,
        "How many pupils had this code at least once",
        numeric=True,
    ),
]


def _name(p: ListedPupil) -> str:
    return f"{p.name} (left {short_date(p.left_on)})" if p.left_on else p.name


def _attendance_tip(p: ListedPupil) -> str:
    f = p.summary.figures
    missed = f.authorised + f.unauthorised
    words = f"Missed {missed} of {f.possible} possible sessions"
    return f"{words}: severe absence (half or more)" if p.severe else words


PUPIL_COLUMNS: list[ReportColumn[ListedPupil]] = [
    ReportColumn("Name", _name, lambda p: (p.surname.lower(), p.name)),
    ReportColumn("Year", lambda p: p.year_group, lambda p: p.year_order),
    ReportColumn("Group", lambda p: p.reg_group),
    ReportColumn(
        "Attendance",
        lambda p: pct(p.attendance_pct),
        lambda p: _sort_pct(p.attendance_pct),
        "Attendance over the range; bold for severe absence (half or more missed)",
        numeric=True,
        cell_tip=_attendance_tip,
        bold=lambda p: p.severe,
    ),
    ReportColumn(
        "Unauthorised",
        lambda p: f"{p.unauthorised}",
        lambda p: p.unauthorised,
        "Unauthorised sessions (G, N, O, U) in the range",
        numeric=True,
    ),
    ReportColumn(
        "Stage",
        lambda p: p.stage or DASH,
        lambda p: p.stage or "",
        "Where the pupil is on the letters pathway",
    ),
    ReportColumn(
        "Last action",
        lambda p: (
            f"{short_date(p.last_action.at)}: {p.last_action.what}" if p.last_action else DASH
        ),
        lambda p: p.last_action.at.isoformat() if p.last_action else "",
        "The latest call, text or email logged, or worklist action closed",
    ),
]


def group_model() -> ReportTableModel[GroupFigures]:
    return ReportTableModel(GROUP_COLUMNS, muted=lambda g: g.small, muted_tip=SMALL_TIP)


def pupil_model() -> ReportTableModel[ListedPupil]:
    return ReportTableModel(PUPIL_COLUMNS, pupil_id=lambda p: p.pupil_id)
