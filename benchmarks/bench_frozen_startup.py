"""Packaged-app benchmark: start-up of the PyInstaller build on the 2,000-pupil demo school.

Builds the one-folder app with `packaging/build.py` (reused while no source file is newer
than it), builds or reuses the benchmark school (`bench_foundation.ensure_demo`), then
times, over several runs, launching the packaged `attendance-desk --db DB --startup-probe`
to the moment it reports its main window shown and its event loop running (offscreen
Qt), the same mechanism `bench_foundation.py` uses for the source tree. The same probe from
the source tree (`python -m attendance_desk`) is timed too, for comparison, and the
bundle's size is reported. Run from the project root:

    python benchmarks/bench_frozen_startup.py [--db /tmp/attendance-bench.db] [--onefile]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).parent))
from bench_foundation import DEFAULT_DB, ensure_demo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIST = Path("/tmp/attendance-desk-frozen")
STARTUP_TARGET_S = 2.0
RUNS = 5
#: What the packaged app is made of: a change to any of these means building again.
SOURCES = ("attendance_desk", "resources", "packaging")


def build_script() -> ModuleType:
    """packaging/build.py as a module (the packaging folder is not a package)."""
    spec = importlib.util.spec_from_file_location("build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def newest_source() -> float:
    return max(
        path.stat().st_mtime
        for folder in SOURCES
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def packaged_app(dist: Path, *, onefile: bool, rebuild: bool) -> tuple[Path, float | None]:
    """The built program and the seconds the build and self-test took (None when reused)."""
    build = build_script()
    program: Path = build.executable(dist / "dist", onefile=onefile)
    if program.exists() and not rebuild and program.stat().st_mtime > newest_source():
        print(f"reusing the packaged app at {program}", file=sys.stderr)
        return program, None
    options = ["--dist", str(dist / "dist"), "--work", str(dist / "work")]
    start = time.perf_counter()
    if build.main(options + (["--onefile"] if onefile else [])) != 0:
        raise SystemExit("the packaged app did not build or failed its self-test")
    return program, time.perf_counter() - start


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_start(command: list[str]) -> tuple[float, float]:
    """Seconds from launching `command` to its one-line report that the window is up, and
    the processor seconds the whole run took (which a busy machine disturbs far less)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    cpu = children_cpu_s()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert process.stdout is not None
    report = None
    for line in process.stdout:
        if line.startswith("{"):
            report = json.loads(line)
            break
    shown = time.perf_counter() - start
    _, errors = process.communicate(timeout=120)
    if process.returncode or report is None:
        raise SystemExit(f"{command[0]} did not start (exit {process.returncode}):\n{errors}")
    return shown, children_cpu_s() - cpu


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, list[tuple[float, float]]]:
    """`runs` timed starts of each command, taken in turn so that whatever else the machine
    is doing weighs on each alike; one untimed start each first, to warm the disk cache."""
    for command in commands.values():
        time_start(command)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(time_start(command))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST, help="where to build")
    parser.add_argument("--onefile", action="store_true", help="time the one-file build")
    parser.add_argument("--rebuild", action="store_true", help="build even if up to date")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()

    ensure_demo(args.db)
    dist = args.dist / ("onefile" if args.onefile else "onefolder")
    program, built_s = packaged_app(dist, onefile=args.onefile, rebuild=args.rebuild)
    size, files = build_script().bundle_size(program, onefile=args.onefile)
    probe = ["--db", str(args.db), "--startup-probe"]
    times = measure(
        {
            "packaged app": [str(program), *probe],
            "source tree (for comparison)": [sys.executable, "-m", "attendance_desk", *probe],
        },
        args.runs,
    )

    kind = "one-file" if args.onefile else "one-folder"
    print(
        f"packaged-app benchmark ({kind}) on {args.db}: "
        f"{args.runs} runs each, taken in turn after one warm-up"
    )
    if built_s is not None:
        print(f"build and self-test: {built_s:.0f} s")
    print(f"bundle size: {size / 1024**2:.0f} MB in {files:,} files ({program})")
    print(
        f"{'start-up to a usable window':30} {'median':>7} {'min':>6} {'max':>6} {'cpu':>6}  target"
    )
    for name, runs in times.items():
        wall = [shown for shown, _ in runs]
        median = statistics.median(wall)
        cpu = statistics.median(cpu for _, cpu in runs)
        verdict = "pass" if median <= STARTUP_TARGET_S else "FAIL"
        tail = f"{STARTUP_TARGET_S:.1f} s  {verdict}" if name == "packaged app" else ""
        print(
            f"{name:30} {median:6.2f}s {min(wall):5.2f}s {max(wall):5.2f}s {cpu:5.2f}s"
            f"  {tail}".rstrip()
        )
    print("(cpu: the median processor time of a whole run, start to exit)")


if __name__ == "__main__":
    main()
