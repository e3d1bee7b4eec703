#!/usr/bin/env bash
# Run the whole suite and say which database it used.
#   DATABASE_URL set      -> that database
#   DB=sqlite             -> an SQLite file under var/ (the only way to get SQLite:
#                            the COPY import path and constraints need PostgreSQL)
#   otherwise             -> the local PostgreSQL on 127.0.0.1:5432, or stop.
# COVERAGE=1 measures coverage and fails under the floor in pyproject.toml.
# WORKERS=N runs N pytest-xdist workers (each with its own test database).
#   Default: one per core for the whole suite, none when you name tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

if [[ "${DB:-}" == "sqlite" ]]; then
  export DATABASE_URL="sqlite:///var/test.sqlite3"
elif [[ -z "${DATABASE_URL:-}" ]]; then
  if "$BIN/python" - <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
  then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/arp"
  else
    echo "make test: no DATABASE_URL and no PostgreSQL answering on 127.0.0.1:5432." >&2
    echo "Start PostgreSQL, set DATABASE_URL, or run 'make test DB=sqlite'." >&2
    exit 2
  fi
fi
echo "make test: database ${DATABASE_URL%%://*} at $(printf '%s' "$DATABASE_URL" | sed -E 's#^[a-z+]+://([^@/]*@)?##')"

cov=()
if [[ "${COVERAGE:-}" == "1" ]]; then
  cov=(--cov --cov-report=term:skip-covered)
fi

workers=()
if [[ -z "${WORKERS:-}" && $# -eq 0 ]]; then
  WORKERS=auto
fi
if [[ -n "${WORKERS:-}" && "${WORKERS}" != "0" && "${WORKERS}" != "1" ]]; then
  # loadfile: a test file runs on one worker, so a module's fixtures and
  # its tests' order hold as in one process
  workers=(-n "$WORKERS" --dist loadfile)
  echo "make test: ${WORKERS} pytest-xdist workers"
fi

export ARP_TESTING=1
export DJANGO_ALLOW_ASYNC_UNSAFE=true
exec "$BIN/pytest" "${workers[@]}" "${cov[@]}" "$@"
