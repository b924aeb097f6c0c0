"""The SLT pack's charts, drawn with ReportLab's own graphics so the PDF needs no screen.

The same look as the Reports tab (`palette`): attendance in blue, PA in orange, the target
a dashed grey line, values printed on the bars, percentage axes starting near the data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from attendance_desk.figures import palette
from attendance_desk.figures.trends import WeekPoint
from attendance_desk.printing.base import FONT
from attendance_desk.register.stats import percent_text, rounded

LABEL_SIZE = 7.5
#: Room left of the plot for the axis labels, and below it for the labels and legend.
LEFT, BOTTOM, TOP = 30.0, 40.0, 10.0


def _colour(hex_: str) -> colors.Color:
    return colors.HexColor(hex_)


def _day_month(day: date) -> str:
    return f"{day.day} {day:%b}"


def _legend(drawing: Drawing, items: list[tuple[str, str, bool]], x: float) -> None:
    """A one-line legend along the bottom: a swatch and a name for each (colour, name,
    dashed line?) item; the target's swatch is a dashed line, like the target itself."""
    y = 4.0
    for colour, name, dashed in items:
        if dashed:
            drawing.add(
                Line(
                    x,
                    y + 3,
                    x + 14,
                    y + 3,
                    strokeColor=_colour(colour),
                    strokeWidth=1.2,
                    strokeDashArray=(3, 2),
                )
            )
            x += 18
        else:
            swatch = Rect(x, y, 7, 7)
            swatch.fillColor, swatch.strokeColor = _colour(colour), None
            drawing.add(swatch)
            x += 11
        drawing.add(
            String(
                x,
                y + 0.5,
                name,
                fontName=FONT,
                fontSize=LABEL_SIZE,
                fillColor=_colour(palette.TEXT),
            )
        )
        x += stringWidth(name, FONT, LABEL_SIZE) + 12


def _target_item(target: float) -> tuple[str, str, bool]:
    return (palette.TARGET, f"Target {percent_text(target)}", True)


def weekly_line(
    weeks: Sequence[WeekPoint], target: float, *, width: float, height: float
) -> Drawing:
    """Attendance week by week, with the target as a dashed line across."""
    drawing = Drawing(width, height)
    points = [
        (p.monday.toordinal(), float(p.sessions.attendance_pct))
        for p in weeks
        if p.sessions.attendance_pct is not None
    ]
    if not points:
        return drawing
    plot = LinePlot()
    plot.x, plot.y = int(LEFT), int(BOTTOM)
    plot.width, plot.height = int(width - LEFT - 8), int(height - BOTTOM - TOP)
    first, last = points[0][0], points[-1][0]
    if first == last:
        first, last = first - 3, last + 3
    plot.data = [points, [(first, target), (last, target)]]
    plot.lines[0].strokeColor = _colour(palette.ATTENDANCE)
    plot.lines[0].strokeWidth = 1.8
    plot.lines[0].symbol = makeMarker("FilledCircle", size=3)  # type: ignore[no-untyped-call]
    plot.lines[0].symbol.fillColor = _colour(palette.ATTENDANCE)
    plot.lines[0].symbol.strokeColor = _colour(palette.ATTENDANCE)
    plot.lines[1].strokeColor = _colour(palette.TARGET)
    plot.lines[1].strokeWidth = 1.2
    plot.lines[1].strokeDashArray = (4, 3)
    low, step = palette.percent_scale([v for _, v in points] + [target])
    y = plot.yValueAxis
    y.valueMin, y.valueMax, y.valueStep = low, 100, step
    y.labelTextFormat = "%d%%"
    y.labels.fontName, y.labels.fontSize = FONT, LABEL_SIZE
    y.visibleGrid = True
    y.gridStrokeColor = _colour(palette.GRID)
    x = plot.xValueAxis
    x.valueMin, x.valueMax = first, last
    step = max(1, math.ceil(len(points) / 8))
    x.valueSteps = [p[0] for p in points[::step]]
    x.labelTextFormat = lambda v: _day_month(date.fromordinal(int(v)))
    x.labels.fontName, x.labels.fontSize = FONT, LABEL_SIZE
    x.labels.angle = 0
    x.strokeColor = y.strokeColor = _colour(palette.AXIS)
    drawing.add(plot)
    _legend(drawing, [(palette.ATTENDANCE, "Attendance", False), _target_item(target)], LEFT)
    return drawing


def bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    width: float,
    height: float,
    percent_axis: bool = True,
    target: float | None = None,
) -> Drawing:
    """Bars per category for each (name, colour, values) series, each bar labelled.

    With `percent_axis` the axis runs from near the lowest value to 100 %; otherwise from 0
    to a little above the highest (for shares like the PA rate).
    """
    drawing = Drawing(width, height)
    if not categories:
        return drawing
    chart = VerticalBarChart()
    chart.x, chart.y = int(LEFT), int(BOTTOM)
    chart.width, chart.height = int(width - LEFT - 8), int(height - BOTTOM - TOP)
    chart.data = [[float(rounded(v) or 0.0) for v in values] for _, _, values in series]
    values = [v for row in chart.data for v in row]
    axis = chart.valueAxis
    if percent_axis:
        low, step = palette.percent_scale([*values, *([target] if target is not None else [])])
        axis.valueMin, axis.valueMax, axis.valueStep = low, 100, step
    else:
        highest = max([*values, 10.0]) * 1.15
        step = palette.nice_step(highest)
        axis.valueMin, axis.valueMax = 0, step * math.ceil(highest / step)
        axis.valueStep = step
    axis.labelTextFormat = "%d%%"
    axis.labels.fontName, axis.labels.fontSize = FONT, LABEL_SIZE
    axis.visibleGrid = True
    axis.gridStrokeColor = _colour(palette.GRID)
    axis.strokeColor = chart.categoryAxis.strokeColor = _colour(palette.AXIS)
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.groupSpacing = 8
    chart.barSpacing = 1
    for i, (_, colour, _) in enumerate(series):
        chart.bars[i].fillColor = _colour(colour)
        chart.bars[i].strokeColor = None
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = LABEL_SIZE - 1 if len(series) > 1 else LABEL_SIZE
    chart.barLabels.nudge = 5
    drawing.add(chart)
    items = [(colour, name, False) for name, colour, _ in series]
    if target is not None:
        span = axis.valueMax - axis.valueMin
        y = chart.y + (target - axis.valueMin) / span * chart.height
        drawing.add(
            Line(
                chart.x,
                y,
                chart.x + chart.width,
                y,
                strokeColor=_colour(palette.TARGET),
                strokeWidth=1.2,
                strokeDashArray=(4, 3),
            )
        )
        items.append(_target_item(target))
    _legend(drawing, items, LEFT)
    return drawing
