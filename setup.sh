#!/usr/bin/env bash
# Installs Attendance Desk into ./.venv and either opens it on a demo school or runs every test.
#   bash setup.sh demo   install, build a demo school in demo.db (once) and open the window
#   bash setup.sh test   install with the test tools, check the code (ruff's lint and format,
#                        mypy), then run the whole test suite twice: on SQLite files, then
#                        on a throwaway local PostgreSQL server
set -euo pipefail
cd "$(dirname "$0")"
what=${1:-}
case "$what" in demo|test) ;; *) echo "usage: bash setup.sh demo|test" >&2; exit 64 ;; esac

sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

# Installs the Debian/Ubuntu packages named that are missing (using sudo when not root).
install_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=""
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    echo "Installing system packages:$missing"
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq $missing >/dev/null
  fi
}

# Qt needs a few system libraries that a server or a minimal install may lack.
install_packages libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0

# What the copy in .venv was installed from: installing again is needed only when the project
# file (its dependencies) has changed; the code itself is installed in place ("editable").
stamp=.venv/installed-from-pyproject
wanted=$(cksum < pyproject.toml)

# Runs an install step with its output kept aside (pip and setuptools print pages of
# notices); the output is shown only when the step fails.
quietly() {
  local log
  log=$(mktemp "${TMPDIR:-/tmp}/attendance-desk-setup.XXXXXX")
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "setup failed: $*" >&2
    exit 1
  fi
  rm -f "$log"
}

if [ "$what" = demo ]; then
  if [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && [ -x .venv/bin/attendance-desk ] &&
    .venv/bin/python -c "import attendance_desk" 2>/dev/null; then
    echo "Attendance Desk is installed and up to date."
  else
    echo "Installing Attendance Desk into .venv (a minute or two the first time)…"
    [ -x .venv/bin/python ] || quietly python3 -m venv .venv
    quietly .venv/bin/python -m pip install -q --upgrade pip
    quietly .venv/bin/python -m pip install -q -e .
    echo "$wanted" >"$stamp"
  fi
  if [ -e demo.db ]; then
    echo "Opening the window…"
  else
    echo "Building the demo school in demo.db (once), then opening the window…"
  fi
  exec .venv/bin/attendance-desk --db demo.db demo --open
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
echo "$wanted" >"$stamp"
# PyInstaller (the packaging test builds the app) reads binaries with binutils' objdump.
install_packages binutils

# The quick checks first: a lint, format or type error stops the run before the long suite.
echo "== Lint, format and types"
.venv/bin/ruff check attendance_desk tests benchmarks
.venv/bin/ruff format --check attendance_desk tests benchmarks
.venv/bin/mypy

echo "== The test suite on SQLite files"
sqlite_status=0
# One worker per processor (pytest-xdist): each test has its own database, so they run apart.
.venv/bin/python -m pytest -n auto || sqlite_status=$?

# The same suite on PostgreSQL, as an office with several PCs runs it: a server of our own,
# in a temp folder, listening only on a unix socket there, stopped however this script ends.
# (The packaged-app build does not depend on the database, so it is not repeated.)
echo "== The test suite on PostgreSQL"
pg_bin() {
  local found
  found=$(command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] && echo "$found"
}
pg_bin initdb >/dev/null || install_packages postgresql
initdb=$(pg_bin initdb); pg_ctl=$(pg_bin pg_ctl)
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/attendance-desk-pg.XXXXXX")
run_as=()
if [ "$(id -u)" -eq 0 ]; then  # PostgreSQL refuses to run as root: use its own account
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$pg_dir" postgres
  chown postgres "$pg_dir"
  run_as=(runuser -u postgres --)
fi
stop_server() {
  "${run_as[@]}" "$pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_server EXIT
"${run_as[@]}" "$initdb" -D "$pg_dir/data" -U attendance_test --auth=trust -E UTF8 \
  --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; exit 1; }
# Test databases are thrown away: durability settings off make each one quick to make.
"${run_as[@]}" "$pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w start -o \
  "-k $pg_dir -c listen_addresses='' -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  >/dev/null || { cat "$pg_dir/server.log" >&2; exit 1; }
pg_status=0
ATTENDANCE_DESK_TEST_PG="postgresql://attendance_test@/postgres?host=$pg_dir&port=5432" \
  .venv/bin/python -m pytest -m "not packaging" || pg_status=$?

if [ "$sqlite_status" -ne 0 ] || [ "$pg_status" -ne 0 ]; then
  echo "The suite failed: on SQLite exit $sqlite_status, on PostgreSQL exit $pg_status" >&2
  exit 1
fi
