"""Where the app's shipped files live: policy presets, letter templates, samples, icons.

`resources/` sits beside the package in a source checkout and inside the bundle of the
packaged app (PyInstaller sets `sys._MEIPASS`).
"""

from __future__ import annotations

import sys
from pathlib import Path

_frozen = getattr(sys, "_MEIPASS", None)
ROOT = (
    Path(_frozen) / "resources" if _frozen else Path(__file__).resolve().parent.parent / "resources"
)
POLICIES = ROOT / "policies"
PATHWAYS = ROOT / "pathways"
SAMPLES = ROOT / "samples"


def presets(folder: Path) -> dict[str, Path]:
    """The TOML presets shipped in `folder` (policies, letters pathways) by name: file stem."""
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}
