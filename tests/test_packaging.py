"""The packaged app: `packaging/build.py` builds it with PyInstaller, the built program passes
its own `--self-test` away from the source tree, and the self-test itself reports honestly."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from attendance_desk import self_test
from attendance_desk.cli import main

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "packaging" / "build.py"
CHECKS = ("resources", "database", "demo school", "login", "letter", "figures", "window")
VERSIONS = ROOT / "attendance_desk" / "migrations" / "versions"
MIGRATED = f"{len(list(VERSIONS.glob('*.py')))} migrations applied"
BUILD_TIMEOUT_S = 900


def passed(report: str) -> list[str]:
    """The names of the checks a self-test report says passed, in order."""
    return [line[5:17].strip() for line in report.splitlines() if line.startswith("ok   ")]


def test_self_test_command_passes_and_names_each_check(qapp, capsys):
    """`attendance-desk --self-test` runs every check, window included, and exits 0."""
    assert main(["--self-test"]) == 0
    report = capsys.readouterr().out
    assert passed(report) == list(CHECKS)
    assert MIGRATED in report
    assert report.rstrip().endswith("self-test passed")


def test_self_test_stops_at_a_failing_check_and_exits_1():
    """A failing check is named with its reason, later checks do not run, the exit is 1."""

    def broken(context: self_test.Context) -> str:
        raise self_test.CheckFailed("the printer is on fire")

    def never(context: self_test.Context) -> str:
        raise AssertionError("ran after a failure")

    out = io.StringIO()
    assert self_test.run([("broken", broken), ("never", never)], out=out) == 1
    report = out.getvalue()
    assert passed(report) == list(CHECKS[:-1])
    assert "FAIL broken: CheckFailed: the printer is on fire" in report
    assert "never" not in report and "self-test passed" not in report


def test_pdf_pages_counts_pages_and_refuses_a_truncated_file():
    """The letter check counts a PDF's pages and rejects a file cut short."""
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >>\n2 0 obj << /Type /Page >>\n"
    pdf += b"3 0 obj <</Type/Page/Parent 1 0 R>>\n%%EOF\n"
    assert self_test.pdf_pages(pdf) == 2
    with pytest.raises(self_test.CheckFailed, match="not a complete PDF"):
        self_test.pdf_pages(pdf[:-7])


@dataclass(frozen=True)
class Built:
    program: Path
    output: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The one-folder app, built once for this module by `python packaging/build.py`."""
    pytest.importorskip(
        "PyInstaller", reason="PyInstaller is not installed (pip install -e .[test])"
    )
    folder = tmp_path_factory.mktemp("packaged")
    result = subprocess.run(
        [
            sys.executable,
            str(BUILD),
            "--dist",
            str(folder / "dist"),
            "--work",
            str(folder / "work"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    suffix = ".exe" if sys.platform == "win32" else ""
    return Built(folder / "dist" / "attendance-desk" / f"attendance-desk{suffix}", result.stdout)


@pytest.mark.packaging
def test_build_script_reports_the_self_test_and_the_bundle_size(built: Built):
    """build.py builds, runs the packaged self-test and reports the bundle's size."""
    assert "(packaged) self-test" in built.output
    assert passed(built.output) == list(CHECKS)
    size = re.search(r"^bundle size: (\d+) MB, folder .* \(([\d,]+) files\)$", built.output, re.M)
    assert size is not None, built.output
    assert 20 < int(size.group(1)) < 400


@pytest.mark.packaging
def test_packaged_app_passes_its_self_test_away_from_the_source(built: Built, tmp_path: Path):
    """The built program, run from an empty folder with no Python path, passes --self-test:
    migrations, templates, fonts and Qt's plugins all come from the bundle."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    result = subprocess.run(
        [str(built.program), "--self-test"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(packaged) self-test" in result.stdout
    assert passed(result.stdout) == list(CHECKS)
    assert MIGRATED in result.stdout


@pytest.mark.packaging
def test_bundle_leaves_out_qt_the_app_does_not_use(built: Built):
    """No Qt WebEngine, Quick/QML, 3D or Multimedia libraries are shipped; the ones used are."""
    names = [path.name for path in built.program.parent.rglob("*")]
    unwanted = [n for n in names if re.search(r"Qt6?(WebEngine|Quick|Qml|3D|Multimedia)", n)]
    assert unwanted == []
    for used in ("Qt6Widgets", "Qt6Pdf", "Qt6Charts", "Qt6PrintSupport"):
        assert any(used in n for n in names), used
    bundled = built.program.parent / "_internal" / "attendance_desk" / "migrations" / "versions"
    assert sorted(p.name for p in bundled.glob("*.py")) == sorted(
        p.name for p in VERSIONS.glob("*.py")
    )
