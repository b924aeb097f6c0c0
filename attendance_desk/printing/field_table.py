"""A form's label-and-value rows: how the CME notification and the LA returns print."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from attendance_desk.printing.base import LINE, Styles, text


def field_table(
    rows: list[tuple[str, str]], s: Styles, width: float, *, label_width: float = 55 * mm
) -> Table:
    """Labels on the left, values beside them, a rule under each row: easy for an LA officer
    to read across and to copy into their own system."""
    table = Table(
        [[text(label, s["table_head"]), text(value, s["table"])] for label, value in rows],
        colWidths=[label_width, width - label_width],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table
