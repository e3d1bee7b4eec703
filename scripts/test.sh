#!/usr/bin/env bash
# Run the whole suite. Database: DATABASE_URL if set; otherwise a local
# PostgreSQL on 127.0.0.1:5432 if one answers; otherwise SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

if [[ -z "${DATABASE_URL:-}" ]]; then
  if "$BIN/python" - <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
  then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/arp"
    echo "make test: using the local PostgreSQL at 127.0.0.1:5432 (DATABASE_URL unset)."
  else
    echo "make test: no DATABASE_URL and no PostgreSQL on 127.0.0.1:5432; using SQLite."
  fi
fi

export ARP_TESTING=1
export DJANGO_ALLOW_ASYNC_UNSAFE=true
exec "$BIN/pytest" "$@"
