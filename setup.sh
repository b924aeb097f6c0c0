#!/usr/bin/env bash
# Installs Attendance Desk into ./.venv and either opens it on a demo school or runs every test.
#   bash setup.sh demo   install, build a demo school in demo.db (once) and open the window
#   bash setup.sh test   install with the test tools and run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"
what=${1:-}
case "$what" in demo|test) ;; *) echo "usage: bash setup.sh demo|test" >&2; exit 64 ;; esac

# Qt needs a few system libraries that a server or a minimal install may lack.
qt_libs="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0"
if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for pkg in $qt_libs; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    echo "Installing Qt's system libraries:$missing"
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq $missing >/dev/null
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$what" = demo ]; then
  .venv/bin/python -m pip install -q -e .
  exec .venv/bin/attendance-desk --db demo.db demo --open
fi
.venv/bin/python -m pip install -q -e ".[test]"
exec .venv/bin/python -m pytest
