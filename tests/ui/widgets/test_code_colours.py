"""Register colours stay apart for colour-blind staff; the legend names every code."""

from __future__ import annotations

import itertools
import math

from PySide6.QtGui import QColor

from attendance_desk.catalogues.codes import CODES, Category
from attendance_desk.ui.widgets import code_colours

#: Machado, Oliveira and Fernandes (2009) full-severity simulation matrices, linear RGB.
SIMULATIONS = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}  # fmt: skip
#: Smallest CIELAB distance between two categories' cells as a colour-blind person sees them.
MIN_DISTANCE = 6.0


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _seen(colour: QColor, matrix: tuple[tuple[float, ...], ...]) -> tuple[float, float, float]:
    linear = [_linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF())]
    r, g, b = (
        min(max(sum(m * v for m, v in zip(row, linear, strict=True)), 0.0), 1.0) for row in matrix
    )
    return _lab((r, g, b))


def test_categories_stay_apart_with_colour_blindness():
    """Every pair of differently coloured categories is at least 6 CIELAB units apart under
    simulated protanopia, deuteranopia and tritanopia (pale tints, so 6 is a real gap)."""
    colours = {c: code_colours.BACKGROUND[c] for c in Category}
    closest = min(
        (math.dist(_seen(colours[a], m), _seen(colours[b], m)), kind, a.name, b.name)
        for kind, m in SIMULATIONS.items()
        for a, b in itertools.combinations(colours, 2)
        if colours[a] != colours[b]
    )
    assert closest[0] >= MIN_DISTANCE, closest


def test_only_the_uncounted_categories_share_a_colour():
    """Dual registration and administrative codes share the grey; all else differ."""
    by_colour: dict[str, set[Category]] = {}
    for category, colour in code_colours.BACKGROUND.items():
        by_colour.setdefault(colour.name(), set()).add(category)
    shared = [group for group in by_colour.values() if len(group) > 1]
    assert shared == [{Category.NOT_POSSIBLE_ELSEWHERE, Category.ADMINISTRATIVE}]


def test_legend_lists_every_code_once_with_its_colour():
    """The legend under the grid names each code in the chip of its category's colour."""
    listed: list[str] = []
    for label, _full, colour in code_colours.legend():
        codes = label.split("  ", 1)[1].split()
        assert all(code_colours.for_code(code) == colour for code in codes)
        listed.extend(codes)
    assert sorted(listed) == sorted(c.code for c in CODES)
