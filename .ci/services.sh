#!/usr/bin/env bash
# Test services for chorus: PostgreSQL 15 + pgvector (>= 0.8) and Tesseract.
#
# Usage (as a command):
#   .ci/services.sh install   install what is missing (root), or say what to install
#   .ci/services.sh start     start a throwaway PostgreSQL cluster on 127.0.0.1;
#                             prints `export CHORUS_TEST_DATABASE_URL=...` on stdout
#   .ci/services.sh stop      stop the cluster started by `start`, delete its data
#   .ci/services.sh up        install + start       (`eval "$(.ci/services.sh up)"`)
#   .ci/services.sh down      same as stop
#   .ci/services.sh status    show the running cluster, if any
#
# .ci/test.sh sources this file and calls services_install / pg_start / pg_stop
# directly, keeping its cluster apart from one started with `up`.
#
# Progress goes to stderr as "[chorus-ci] ..." lines; apt/make/initdb output goes
# to a log file that is printed only when a step fails.
#
# Environment knobs:
#   CHORUS_DEBIAN_MIRROR  Debian mirror for the trixie pgvector source package
#                         (default: read from /etc/apt/sources.list{,.d/*.sources})
#   CHORUS_PG_VERSION     PostgreSQL major version (default 15)
#   CHORUS_STATE_FILE     state file for start/stop
#                         (default ${XDG_CACHE_HOME:-$HOME/.cache}/chorus/services.env)

CHORUS_PG_VERSION=${CHORUS_PG_VERSION:-15}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$CHORUS_PG_VERSION/bin}
PG_EXT_DIR=/usr/share/postgresql/$CHORUS_PG_VERSION/extension
PGVECTOR_MIN=0.8.0

# Globals set by pg_start (read by pg_stop / callers).
PG_DIR=${PG_DIR:-}
PG_PORT=${PG_PORT:-}
PG_URL=${PG_URL:-}

_APT_UPDATED=0
_CI_LOG=${_CI_LOG:-}

log() { printf '[chorus-ci] %s\n' "$*" >&2; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# ci_log_init: create the log file once (sets _CI_LOG in the current shell,
# so call it outside of subshells before they use run_logged).
ci_log_init() {
  if [ -z "$_CI_LOG" ]; then
    _CI_LOG=$(mktemp "${TMPDIR:-/tmp}/chorus-ci.XXXXXX.log")
  fi
}

# run_logged DESC CMD...: run CMD with its output in the log; on failure print
# the end of the log and return the command's status.
run_logged() {
  local desc=$1 logf rc=0
  shift
  ci_log_init
  logf=$_CI_LOG
  printf '\n### %s\n### $ %s\n' "$desc" "$*" >>"$logf"
  "$@" >>"$logf" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    log "FAILED ($rc): $desc"
    log "---- last 150 lines of $logf ----"
    tail -n 150 "$logf" >&2
    log "---- end of log ----"
  fi
  return "$rc"
}

ci_log_discard() {
  if [ -n "$_CI_LOG" ]; then rm -f "$_CI_LOG"; _CI_LOG=; fi
}

# ---------------------------------------------------------------- installing

pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"
}

apt_update_once() {
  [ "$_APT_UPDATED" = 1 ] && return 0
  run_logged "apt-get update" apt_get update || return 1
  _APT_UPDATED=1
}

# Version of the pgvector extension installed for our PostgreSQL, or empty.
pgvector_installed_version() {
  local ctl=$PG_EXT_DIR/vector.control
  [ -f "$ctl" ] || return 0
  sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$ctl"
}

pgvector_ok() {
  local v
  v=$(pgvector_installed_version)
  [ -n "$v" ] && dpkg --compare-versions "$v" ge "$PGVECTOR_MIN"
}

# The machine's Debian mirror: first URI of an enabled entry for this release's
# suite, from one-line .list files or deb822 .sources files.
debian_mirror() {
  if [ -n "${CHORUS_DEBIAN_MIRROR:-}" ]; then
    printf '%s\n' "$CHORUS_DEBIAN_MIRROR"
    return 0
  fi
  local codename f uri
  codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-bookworm}")
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    uri=$(awk -v c="$codename" '
      $1 == "deb" || $1 == "deb-src" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == c) { print $i; exit }
      }' "$f")
    if [ -n "$uri" ]; then printf '%s\n' "$uri"; return 0; fi
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk -v c="$codename" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; suites = ""; types = ""; enabled = 1
        for (n = 1; n <= NF; n++) {
          line = $n
          if (line ~ /^[ \t]*#/) continue
          if (line ~ /^URIs:/)    { sub(/^URIs:[ \t]*/, "", line); uris = line }
          if (line ~ /^Suites:/)  { sub(/^Suites:[ \t]*/, "", line); suites = line }
          if (line ~ /^Types:/)   { sub(/^Types:[ \t]*/, "", line); types = line }
          if (line ~ /^Enabled:[ \t]*[Nn]o/) enabled = 0
        }
        if (enabled && uris != "" && (" " types " ") ~ / deb(-src)? / &&
            (" " suites " ") ~ (" " c " ")) {
          split(uris, u, /[ \t]+/); print u[1]; exit
        }
      }' "$f")
    if [ -n "$uri" ]; then printf '%s\n' "$uri"; return 0; fi
  done
  return 1
}

# Build pgvector from Debian trixie's source package using a private apt
# configuration (nothing under /etc/apt or /var/lib/apt is touched).
build_pgvector() {
  local mirror work opts srcdir v
  mirror=$(debian_mirror) || {
    log "cannot find the Debian mirror in /etc/apt; set CHORUS_DEBIAN_MIRROR"
    return 1
  }
  mirror=${mirror%/}
  log "building pgvector from trixie sources ($mirror)"
  ci_log_init
  work=$(mktemp -d "${TMPDIR:-/tmp}/chorus-pgvector.XXXXXX")
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/src"
  printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg check-valid-until=no] %s trixie main\n' \
    "$mirror" >"$work/apt/sources.list"
  opts=(
    -o "Dir::Etc::SourceList=$work/apt/sources.list"
    -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$work/apt/lists"
    -o "Dir::Cache=$work/apt/cache"
    -o "Dir::Cache::pkgcache="
    -o "Dir::Cache::srcpkgcache="
    -o "APT::Sandbox::User=root"
  )
  # (set -e does not apply inside a function called from a condition, hence
  # the explicit "|| exit 1")
  (
    cd "$work/src" || exit 1
    run_logged "apt-get update (private trixie deb-src list)" apt-get "${opts[@]}" update || exit 1
    run_logged "apt-get source pgvector" apt-get "${opts[@]}" source --download-only pgvector || exit 1
    run_logged "dpkg-source -x" dpkg-source -x ./pgvector_*.dsc || exit 1
  ) || { rm -rf "$work"; return 1; }
  srcdir=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
  v=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$srcdir/vector.control")
  if [ -z "$v" ] || ! dpkg --compare-versions "$v" ge "$PGVECTOR_MIN"; then
    log "trixie ships pgvector '${v:-?}', need >= $PGVECTOR_MIN (HNSW, halfvec)"
    rm -rf "$work"
    return 1
  fi
  (
    cd "$srcdir" || exit 1
    run_logged "make pgvector $v" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j"$(nproc 2>/dev/null || echo 2)" with_llvm=no PG_CONFIG="$PG_BIN/pg_config" || exit 1
    run_logged "make install pgvector $v" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make install with_llvm=no PG_CONFIG="$PG_BIN/pg_config" || exit 1
  ) || { rm -rf "$work"; return 1; }
  rm -rf "$work"
  log "pgvector $v installed"
}

# services_install: make sure Tesseract, PostgreSQL and pgvector are there.
# Returns 0 when everything is usable, 1 otherwise (having said what is missing).
services_install() {
  local base=(tesseract-ocr tesseract-ocr-eng "postgresql-$CHORUS_PG_VERSION")
  local build=("postgresql-server-dev-$CHORUS_PG_VERSION" build-essential dpkg-dev)
  local need=() p need_vector=0
  pgvector_ok || need_vector=1
  for p in "${base[@]}"; do pkg_installed "$p" || need+=("$p"); done
  if [ "$need_vector" = 1 ]; then
    for p in "${build[@]}"; do pkg_installed "$p" || need+=("$p"); done
  fi

  if [ "${#need[@]}" -eq 0 ] && [ "$need_vector" = 0 ]; then
    log "services already installed: postgresql-$CHORUS_PG_VERSION, pgvector $(pgvector_installed_version), $(tesseract --version 2>&1 | head -n 1)"
    return 0
  fi

  if ! is_root; then
    log "WARNING: not root, cannot install test dependencies. Missing:"
    [ "${#need[@]}" -gt 0 ] && log "  apt packages: ${need[*]}"
    [ "$need_vector" = 1 ] && log "  pgvector >= $PGVECTOR_MIN for PostgreSQL $CHORUS_PG_VERSION (run 'sudo .ci/services.sh install')"
    log "  tests that need them will be skipped"
    return 1
  fi

  if [ "${#need[@]}" -gt 0 ]; then
    log "installing: ${need[*]}"
    apt_update_once || return 1
    run_logged "apt-get install ${need[*]}" \
      apt_get install -y --no-install-recommends "${need[@]}" || return 1
  fi
  if [ "$need_vector" = 1 ]; then
    build_pgvector || return 1
  fi
  pgvector_ok || { log "pgvector still missing after install"; return 1; }
  command -v tesseract >/dev/null || { log "tesseract missing after install"; return 1; }
  log "installed: postgresql-$CHORUS_PG_VERSION, pgvector $(pgvector_installed_version), $(tesseract --version 2>&1 | head -n 1)"
  return 0
}

# ---------------------------------------------------------------- the cluster

port_free() {
  local p=$1
  if command -v ss >/dev/null 2>&1; then
    [ -z "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]
  else
    # a successful connect means something listens there
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then return 1; fi
    return 0
  fi
}

pick_port() {
  local _ p
  for _ in $(seq 1 200); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 30000))
    if port_free "$p"; then printf '%s\n' "$p"; return 0; fi
  done
  return 1
}

# Run a PostgreSQL server binary as the cluster owner: postgres when we are
# root (PostgreSQL refuses root), else ourselves.
as_pg() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_start: initdb + start a throwaway cluster; sets PG_DIR, PG_PORT, PG_URL.
pg_start() {
  local _ started=0
  if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
    log "WARNING: PostgreSQL $CHORUS_PG_VERSION server not found in $PG_BIN (apt-get install postgresql-$CHORUS_PG_VERSION)"
    return 1
  fi
  if ! pgvector_ok; then
    log "WARNING: pgvector >= $PGVECTOR_MIN is not installed for PostgreSQL $CHORUS_PG_VERSION"
    return 1
  fi
  if is_root && ! id postgres >/dev/null 2>&1; then
    log "WARNING: running as root but there is no 'postgres' user to run the server"
    return 1
  fi
  # Always under /tmp: short enough for the unix socket path and traversable
  # by the postgres user (a $TMPDIR under /root would not be).
  PG_DIR=$(mktemp -d /tmp/chorus-pg.XXXXXX)
  if is_root; then chown postgres: "$PG_DIR"; fi
  log "starting PostgreSQL $CHORUS_PG_VERSION in $PG_DIR"
  run_logged "initdb" as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres \
    -E UTF8 --locale=C --no-sync || { pg_stop; return 1; }
  for _ in 1 2 3; do
    PG_PORT=$(pick_port) || { log "no free port found"; pg_stop; return 1; }
    if run_logged "pg_ctl start (port $PG_PORT)" as_pg "$PG_BIN/pg_ctl" start -w -t 60 \
      -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; then
      started=1
      break
    fi
    log "server log:"; tail -n 30 "$PG_DIR/server.log" >&2 || true
  done
  if [ "$started" != 1 ]; then pg_stop; return 1; fi
  for _ in $(seq 1 60); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 0.5
  done
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || { log "server not ready"; pg_stop; return 1; }
  local v
  if ! run_logged "create database chorus_test" \
        "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
        -c "CREATE DATABASE chorus_test" ||
     ! run_logged "create extension vector" \
        "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d chorus_test \
        -c "CREATE EXTENSION IF NOT EXISTS vector"; then
    pg_stop
    return 1
  fi
  v=$("$PG_BIN/psql" -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d chorus_test \
        -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/chorus_test?sslmode=disable"
  log "PostgreSQL ready on 127.0.0.1:$PG_PORT (vector $v): $PG_URL"
}

# pg_stop: stop the cluster in PG_DIR and delete it. Safe to call twice.
pg_stop() {
  local dir=$PG_DIR pid
  [ -n "$dir" ] || return 0
  PG_DIR=
  if [ -f "$dir/data/postmaster.pid" ]; then
    if ! as_pg "$PG_BIN/pg_ctl" stop -D "$dir/data" -m fast -w -t 30 >/dev/null 2>&1; then
      as_pg "$PG_BIN/pg_ctl" stop -D "$dir/data" -m immediate -w -t 10 >/dev/null 2>&1 || {
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
        if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
      }
    fi
    log "PostgreSQL on port ${PG_PORT:-?} stopped"
  fi
  case $dir in
    /tmp/chorus-pg.*) rm -rf "$dir" ;;
  esac
}

# ---------------------------------------------------------------- CLI

state_file() {
  printf '%s\n' "${CHORUS_STATE_FILE:-${XDG_CACHE_HOME:-$HOME/.cache}/chorus/services.env}"
}

cli_start() {
  local sf
  sf=$(state_file)
  if [ -f "$sf" ]; then
    # shellcheck disable=SC1090
    . "$sf"
    if [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ] &&
       "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
      log "already running (state in $sf)"
      printf 'export CHORUS_TEST_DATABASE_URL=%q\n' "$PG_URL"
      return 0
    fi
    pg_stop
    rm -f "$sf"
  fi
  pg_start || return 1
  mkdir -p "$(dirname "$sf")"
  printf 'PG_DIR=%q\nPG_PORT=%q\nPG_URL=%q\n' "$PG_DIR" "$PG_PORT" "$PG_URL" >"$sf"
  ci_log_discard
  printf 'export CHORUS_TEST_DATABASE_URL=%q\n' "$PG_URL"
}

cli_stop() {
  local sf
  sf=$(state_file)
  if [ ! -f "$sf" ]; then log "no cluster recorded in $sf"; return 0; fi
  # shellcheck disable=SC1090
  . "$sf"
  pg_stop
  rm -f "$sf"
}

services_main() {
  set -euo pipefail
  case "${1:-}" in
    install) services_install; ci_log_discard ;;
    start) cli_start ;;
    stop | down) cli_stop ;;
    up) services_install; ci_log_discard; cli_start ;;
    status)
      local sf; sf=$(state_file)
      if [ -f "$sf" ]; then cat "$sf"; else log "no cluster recorded in $sf"; fi ;;
    *)
      sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
      return 2 ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  services_main "$@"
fi
