#!/usr/bin/env bash
# Start or stop a local doccano 1.8.4 server (webserver + task worker) on 127.0.0.1.
#   tools/doccano.sh install | start | stop | status | adduser NAME
# Environment: DOCCANO_HOME (.doccano: database, logs, pids), DOCCANO_VENV (.doccano/venv),
# DOCCANO_PORT (8000), DOCCANO_ADMIN_USERNAME, DOCCANO_ADMIN_PASSWORD, DOCCANO_ADMIN_EMAIL;
# adduser reads DOCCANO_NEW_PASSWORD. Credentials are never printed.
set -euo pipefail
cd "$(dirname "$0")/.."
home=${DOCCANO_HOME:-.doccano}
port=${DOCCANO_PORT:-8000}
venv=${DOCCANO_VENV:-.doccano/venv}
mkdir -p "$home"
home=$(cd "$home" && pwd)
export DATABASE_URL="sqlite:///$home/db.sqlite3"
export DJANGO_SETTINGS_MODULE=config.settings.production
export ALLOW_SIGNUP=False DEBUG=False
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$port"

install() {
  # doccano pins libraries that clash with the project's (marshmallow, numpy): own venv.
  if [ ! -x "$venv/bin/doccano" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q "doccano==1.8.4" "marshmallow<3.20" "numpy<2"
  fi
}

# Create a doccano user whose password is read from the environment variable named by $2,
# inside Python: `doccano createuser --password ...` would put it on a command line,
# where `ps` shows it to every user of the machine.
create_user() {
  "$venv/bin/python" - "$1" "$2" "$3" <<'PY'
import os, sys
import backend.cli  # noqa: F401  (doccano's own settings, DOCCANO_HOME and sys.path)
import django
from django.core import management
django.setup()
username, password_variable, email = sys.argv[1:4]
management.call_command("create_admin", "--noinput", username=username,
                        password=os.environ[password_variable], email=email)
PY
}

running() { [ -f "$home/$1.pid" ] && kill -0 "$(cat "$home/$1.pid")" 2>/dev/null; }

start() {
  install
  # ${VAR:+set} expands to a constant: the secret never reaches a (traced) command line.
  [ -n "${DOCCANO_ADMIN_USERNAME:-}" ] || { echo "set DOCCANO_ADMIN_USERNAME" >&2; exit 2; }
  [ -n "${DOCCANO_ADMIN_PASSWORD:+set}" ] || { echo "set DOCCANO_ADMIN_PASSWORD" >&2; exit 2; }
  if running webserver; then echo "doccano already running on 127.0.0.1:$port"; return; fi
  "$venv/bin/doccano" init > "$home/init.log" 2>&1
  create_user "$DOCCANO_ADMIN_USERNAME" DOCCANO_ADMIN_PASSWORD "${DOCCANO_ADMIN_EMAIL:-admin@example.org}" \
    >> "$home/init.log" 2>&1 || true
  backend=$("$venv/bin/python" -c 'import backend, os; print(os.path.dirname(backend.__file__))')
  # `doccano webserver` binds 0.0.0.0; run the same WSGI app through gunicorn on loopback only.
  setsid "$venv/bin/gunicorn" --bind "127.0.0.1:$port" --workers 2 --chdir "$backend" --timeout 120 \
    config.wsgi > "$home/webserver.log" 2>&1 < /dev/null &
  echo $! > "$home/webserver.pid"
  setsid "$venv/bin/doccano" task --concurrency 1 > "$home/task.log" 2>&1 < /dev/null &
  echo $! > "$home/task.pid"
  for _ in $(seq 120); do
    if curl -fs "http://127.0.0.1:$port/v1/health" > /dev/null 2>&1 || curl -fs "http://127.0.0.1:$port/" > /dev/null 2>&1; then
      echo "doccano running on http://127.0.0.1:$port (pids $(cat "$home/webserver.pid") $(cat "$home/task.pid"))"
      return
    fi
    sleep 1
  done
  echo "doccano did not answer on 127.0.0.1:$port; see $home/webserver.log" >&2
  exit 1
}

stop() {
  for name in webserver task; do
    if running "$name"; then
      # Each was started in its own session: end that process group, nothing else.
      pid=$(cat "$home/$name.pid")
      kill -- "-$pid" 2>/dev/null || kill "$pid"
      for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$home/$name.pid"
  done
  echo "doccano stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running webserver && echo "running on 127.0.0.1:$port" || { echo "stopped"; exit 1; } ;;
  install) install ;;
  adduser)
    [ -n "${2:-}" ] || { echo "usage: $0 adduser NAME" >&2; exit 2; }
    [ -n "${DOCCANO_NEW_PASSWORD:+set}" ] || { echo "set DOCCANO_NEW_PASSWORD" >&2; exit 2; }
    create_user "$2" DOCCANO_NEW_PASSWORD "$2@example.org" >> "$home/init.log" 2>&1
    echo "user $2 ready" ;;
  *) echo "usage: $0 install|start|stop|status|adduser NAME" >&2; exit 2 ;;
esac
