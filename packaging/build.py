"""Build the packaged app with PyInstaller, then prove it works with its own self-test.

    python packaging/build.py [--onefile] [--dist DIR] [--work DIR]

Runs PyInstaller on `packaging/attendance_desk.spec` (one folder by default, `--onefile`
for a single executable), runs the built `attendance-desk --self-test`, and prints how
long the build took and how big the bundle is. Exits non-zero when either step fails, so
a build that would not start on the office PC is never handed over. Build on the system
the app is for: Windows for the office PC, Linux for CI.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "attendance_desk.spec"
NAME = "attendance-desk"
SELF_TEST_TIMEOUT_S = 300


class BuildFailed(Exception):
    """PyInstaller or the built app's self-test failed; the message says which."""


def executable(dist: Path, *, onefile: bool) -> Path:
    """Where the spec puts the program inside `dist`."""
    suffix = ".exe" if sys.platform == "win32" else ""
    return dist / f"{NAME}{suffix}" if onefile else dist / NAME / f"{NAME}{suffix}"


def build(dist: Path, work: Path, *, onefile: bool = False) -> Path:
    """Run PyInstaller on the spec into `dist` (scratch files in `work`); the program."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={dist}",
        f"--workpath={work}",
        str(SPEC),
    ]
    if onefile:
        command += ["--", "--onefile"]
    result = subprocess.run(command, cwd=ROOT, check=False)
    program = executable(dist, onefile=onefile)
    if result.returncode != 0 or not program.exists():
        raise BuildFailed(f"PyInstaller failed (exit {result.returncode})")
    return program


def self_test(program: Path) -> str:
    """Run the built program's `--self-test`; its report, or `BuildFailed` with it."""
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not env.get("DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = subprocess.run(
        [str(program), "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=SELF_TEST_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        raise BuildFailed(
            f"the built app's self-test failed (exit {result.returncode}):\n"
            f"{result.stdout}{result.stderr}"
        )
    return result.stdout


def bundle_size(program: Path, *, onefile: bool) -> tuple[int, int]:
    """Bytes and files of what is handed over: the executable, or its whole folder (the
    links PyInstaller makes between its folders on Linux and macOS are not counted twice)."""
    if onefile:
        return program.stat().st_size, 1
    files = [p for p in program.parent.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(path.stat().st_size for path in files), len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onefile", action="store_true", help="one executable, not a folder")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default ./dist")
    parser.add_argument(
        "--work", type=Path, help="PyInstaller's scratch folder (default ./build/pyinstaller)"
    )
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    work = (args.work or ROOT / "build" / "pyinstaller").resolve()
    start = time.perf_counter()
    try:
        program = build(dist, work, onefile=args.onefile)
        built_s = time.perf_counter() - start
        print(f"built {program} in {built_s:.0f} s; running its self-test", flush=True)
        print(self_test(program), end="", flush=True)
    except (BuildFailed, subprocess.TimeoutExpired) as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 1
    size, files = bundle_size(program, onefile=args.onefile)
    what = "executable" if args.onefile else f"folder {program.parent} ({files:,} files)"
    print(f"bundle size: {size / 1024**2:.0f} MB, {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
