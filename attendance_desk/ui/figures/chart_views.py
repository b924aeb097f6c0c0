"""The Reports tab's charts (QtCharts) and the panel that shows one and saves it as a PNG.

Calm on purpose: one hue per measure from `figures.palette`, the target as a dashed grey
line, values printed on the bars, no animation, no 3-D. Percentage axes start near the
lowest value rather than at 0 (attendance lives between 85 % and 100 %), and say so by
their labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QAreaSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from attendance_desk.figures import palette
from attendance_desk.figures.breakdowns import Breakdown
from attendance_desk.figures.formatting import short_year
from attendance_desk.figures.ranges import DateRange, monday_of
from attendance_desk.figures.trends import HalfTermPoint, WeekdayPoint, WeekPoint
from attendance_desk.register.stats import percent_text, rounded
from attendance_desk.ui.widgets.date_editors import MONTH_NAMES

#: Half a week, in milliseconds (the x axis of the weekly chart is time).
HALF_WEEK = 3.5 * 24 * 3600 * 1000


def _pen(colour: str, width: float, dashed: bool = False) -> QPen:
    pen = QPen(QColor(colour))
    pen.setWidthF(width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    chart.setTitleFont(font)
    chart.setTitleBrush(QBrush(QColor(palette.TEXT)))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setBackgroundRoundness(0)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _percent_axis(values: Sequence[float]) -> QValueAxis:
    axis = QValueAxis()
    low, step = palette.percent_scale(values)
    axis.setRange(low, 100.0)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(low)
    axis.setTickInterval(step)
    axis.setLabelFormat("%.0f%%" if step >= 1 and step % 1 == 0 else "%.1f%%")
    axis.setGridLinePen(_pen(palette.GRID, 1))
    return axis


def _msecs(day: date) -> float:
    return datetime.combine(day, time(12)).timestamp() * 1000


def weekly_chart(
    weeks: Sequence[WeekPoint], target: float, shown: DateRange | None = None
) -> QChart:
    """Attendance week by week across the year, the target dashed, the range shaded."""
    chart = _chart("Attendance week by week")
    points = [
        (p.monday, p.sessions.attendance_pct)
        for p in weeks
        if p.sessions.attendance_pct is not None
    ]
    series = QLineSeries()
    series.setName("Attendance")
    for monday, value in points:
        series.append(_msecs(monday), value)
    series.setPen(_pen(palette.ATTENDANCE, 2.5))
    series.setPointsVisible(True)
    axis_y = _percent_axis([v for _, v in points] + [target])
    axis_x = QDateTimeAxis()
    chart.setLocale(MONTH_NAMES)
    axis_x.setFormat("d MMM")
    axis_x.setTickCount(min(max(len(points), 2), 7))
    axis_x.setGridLinePen(_pen(palette.GRID, 1))
    first, last = (points[0][0], points[-1][0]) if points else (date.today(), date.today())
    # Each week is a point on its Monday; half a week either side keeps the ends clear.
    axis_x.setRange(_when(first, -HALF_WEEK), _when(last, HALF_WEEK))
    # Shade the range only when it is part of the year: a whole year shaded says nothing.
    if shown and points and (shown.start > first + timedelta(days=6) or shown.end < last):
        chart.addSeries(_shade(shown, axis_y.min(), axis_y.max()))
    chart.addSeries(series)
    chart.addSeries(_target_series(target, _msecs(first) - HALF_WEEK, _msecs(last) + HALF_WEEK))
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    for s in chart.series():
        s.attachAxis(axis_x)
        s.attachAxis(axis_y)
    _hide_unnamed_legend(chart)
    return chart


def _when(day: date, shift_ms: float = 0.0) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(_msecs(day) + shift_ms))


def _shade(shown: DateRange, low: float, high: float) -> QAreaSeries:
    """A pale band over the weeks of the range (each week's point sits on its Monday)."""
    area = QAreaSeries()
    # Parented to the area, so the bounds live exactly as long as it does.
    upper, lower = QLineSeries(area), QLineSeries(area)
    for day, shift in ((monday_of(shown.start), -HALF_WEEK), (monday_of(shown.end), HALF_WEEK)):
        upper.append(_msecs(day) + shift, high)
        lower.append(_msecs(day) + shift, low)
    area.setUpperSeries(upper)
    area.setLowerSeries(lower)
    area.setName("Weeks chosen")
    area.setBrush(QBrush(QColor(palette.GRID)))
    area.setPen(QPen(Qt.PenStyle.NoPen))
    return area


def _target_series(target: float, x_from: float, x_to: float) -> QLineSeries:
    line = QLineSeries()
    line.setName(f"Target {percent_text(target)}")
    line.append(x_from, target)
    line.append(x_to, target)
    line.setPen(_pen(palette.TARGET, 1.6, dashed=True))
    return line


def _hide_unnamed_legend(chart: QChart) -> None:
    for marker in chart.legend().markers():
        if not marker.label():
            marker.setVisible(False)


def _bar_chart(
    title: str,
    categories: Sequence[str],
    sets: Sequence[tuple[str, str, Sequence[float]]],
    *,
    axis: QValueAxis,
    target: float | None = None,
    suffix: str = "%",
) -> QChart:
    """Bars per category for each (name, colour, values) set, values written on the bars."""
    chart = _chart(title)
    bars = QBarSeries()
    for name, colour, values in sets:
        bar_set = QBarSet(name)
        bar_set.append([float(rounded(v) or 0.0) for v in values])
        bar_set.setColor(QColor(colour))
        bar_set.setBorderColor(QColor(colour))
        bar_set.setLabelColor(QColor(palette.TEXT))
        bars.append(bar_set)
    bars.setLabelsVisible(True)
    bars.setLabelsFormat(f"@value{suffix}")
    bars.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    bars.setBarWidth(0.6)
    chart.addSeries(bars)
    axis_x = QBarCategoryAxis()
    axis_x.append(list(categories))
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(axis_x)
    bars.attachAxis(axis)
    if target is not None and categories:
        line = _target_series(target, -0.5, len(categories) - 0.5)
        chart.addSeries(line)
        # A line on a category axis: x runs over the categories' indices.
        hidden_x = QValueAxis()
        hidden_x.setRange(-0.5, len(categories) - 0.5)
        hidden_x.setVisible(False)
        chart.addAxis(hidden_x, Qt.AlignmentFlag.AlignBottom)
        line.attachAxis(hidden_x)
        line.attachAxis(axis)
    return chart


def weekday_chart(points: Sequence[WeekdayPoint], target: float) -> QChart:
    """Attendance on each day of the week over the range."""
    shown = [p for p in points if p.sessions.attendance_pct is not None]
    values = [p.sessions.attendance_pct or 0.0 for p in shown]
    return _bar_chart(
        "Attendance by day of the week",
        [p.name[:3] for p in shown],
        [("Attendance", palette.ATTENDANCE, values)],
        axis=_percent_axis([*values, target]),
        target=target,
    )


def year_group_chart(breakdown: Breakdown, target: float) -> QChart:
    """Attendance by year group over the range."""
    groups = [g for g in breakdown.groups if g.summary.attendance_pct is not None]
    values = [g.summary.attendance_pct or 0.0 for g in groups]
    return _bar_chart(
        "Attendance by year group",
        [short_year(g.label) for g in groups],
        [("Attendance", palette.ATTENDANCE, values)],
        axis=_percent_axis([*values, target]),
        target=target,
    )


def pa_trend_chart(points: Sequence[HalfTermPoint]) -> QChart:
    """Persistent absentees in each half-term, as a share of that half-term's pupils."""
    years = {p.start.year if p.start.month >= 8 else p.start.year - 1 for p in points}
    labels = [p.name if len(years) == 1 else f"{p.name} {p.start:%y}" for p in points]
    values = [p.summary.persistent_pct or 0.0 for p in points]
    axis = QValueAxis()
    highest = max([*values, 10.0]) * 1.15
    step = palette.nice_step(highest)
    axis.setRange(0, step * math.ceil(highest / step))
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%.0f%%")
    axis.setGridLinePen(_pen(palette.GRID, 1))
    return _bar_chart(
        "Persistent absence by half-term",
        labels,
        [("Pupils missing 10 %+ of sessions in the half-term", palette.PERSISTENT, values)],
        axis=axis,
    )


class ChartPanel(QWidget):
    """A chart with a "Save as PNG…" button under it."""

    def __init__(self, name: str, file_stem: str) -> None:
        super().__init__()
        self.setObjectName(f"chart_{name}")
        self.file_stem = file_stem
        self.view = QChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(240)
        self.view.setAccessibleName(file_stem.replace("-", " ").capitalize())
        self.save_button = QPushButton("Save as PNG…")
        self.save_button.setAccessibleName(f"Save the {file_stem.replace('-', ' ')} chart")
        self.save_button.clicked.connect(self.ask_and_save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def set_chart(self, chart: QChart) -> None:
        old = self.view.chart()
        self.view.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()

    def chart(self) -> QChart:
        return self.view.chart()

    def save_png(self, path: Path) -> bool:
        """Write the chart as it is drawn on screen to a PNG file."""
        return self.view.grab().save(str(path), "PNG")

    def ask_and_save(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save chart", f"{self.file_stem}.png", "PNG images (*.png)"
        )
        if not name:
            return None
        path = Path(name if name.lower().endswith(".png") else f"{name}.png")
        return path if self.save_png(path) else None
