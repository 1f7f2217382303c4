#!/usr/bin/env bash
# `make test` / `make bench` driver.
#
#   .ci/test.sh test    gofmt check, go vet, services, go test -race
#   .ci/test.sh bench   services, go test -run '^$' -bench
#
# Services: PostgreSQL 15 + pgvector and Tesseract are installed when missing
# (root only), a throwaway PostgreSQL cluster is started on 127.0.0.1 and
# CHORUS_TEST_DATABASE_URL points at its database chorus_test. The cluster is
# stopped and its data deleted on exit, whether the tests pass or not.
#
# Environment:
#   CHORUS_TEST_DATABASE_URL  already set: use that database, start no cluster
#   CHORUS_SKIP_SERVICES=1    install and start nothing (integration tests skip)
#   CHORUS_REQUIRE_SERVICES   1: fail when services cannot be set up
#                             (default 1 as root, 0 otherwise)
#   GOTESTFLAGS               extra flags for go test
#   CHORUS_BENCH_PKG, CHORUS_BENCH   packages and -bench pattern for bench
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=.ci/services.sh
. .ci/services.sh

mode=${1:-test}
case $mode in test | bench) ;; *) log "usage: $0 test|bench"; exit 2 ;; esac

for d in /usr/local/go/bin "${HOME:-/root}/go/bin"; do
  case ":$PATH:" in *":$d:"*) ;; *) [ -d "$d" ] && PATH=$PATH:$d ;; esac
done
export PATH
command -v go >/dev/null || { log "go not found (looked in PATH and /usr/local/go/bin)"; exit 1; }

if [ -z "${CHORUS_REQUIRE_SERVICES:-}" ]; then
  if is_root; then CHORUS_REQUIRE_SERVICES=1; else CHORUS_REQUIRE_SERVICES=0; fi
fi

started_at=$SECONDS
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  pg_stop || true
  ci_log_discard
  if [ "$rc" -eq 0 ]; then
    log "$mode: OK ($((SECONDS - started_at)) s)"
  else
    log "$mode: FAILED with status $rc ($((SECONDS - started_at)) s)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "$(go version)"

# Packages of the module (empty while there is no Go code yet). When go list
# itself fails (broken code) we go on and let vet/test report the errors.
pkgs_ok=1
pkgs=$(go list ./... 2>/dev/null) || pkgs_ok=0
have_pkgs=1
if [ "$pkgs_ok" = 1 ] && [ -z "$pkgs" ]; then have_pkgs=0; fi

if [ "$mode" = test ]; then
  log "gofmt"
  unformatted=$(find . -type f -name '*.go' -not -path './.*' -not -path '*/testdata/*' \
    -not -path './vendor/*' -print0 | xargs -0 -r gofmt -l)
  if [ -n "$unformatted" ]; then
    log "gofmt: these files need formatting (run 'make fmt'):"
    printf '%s\n' "$unformatted" | sed 's/^/  /' >&2
    exit 1
  fi

  if [ "$have_pkgs" = 1 ]; then
    log "go vet ./..."
    go vet ./...
  else
    log "go vet: no Go packages yet, skipped"
  fi
fi

# ---- services
if [ "${CHORUS_SKIP_SERVICES:-0}" = 1 ]; then
  log "services: skipped (CHORUS_SKIP_SERVICES=1)"
elif [ -n "${CHORUS_TEST_DATABASE_URL:-}" ]; then
  log "services: using the database in CHORUS_TEST_DATABASE_URL, starting none"
  services_install || [ "$CHORUS_REQUIRE_SERVICES" = 0 ] || exit 1
else
  svc_start=$SECONDS
  if services_install && pg_start; then
    export CHORUS_TEST_DATABASE_URL=$PG_URL
    log "services ready ($((SECONDS - svc_start)) s)"
  elif [ "$CHORUS_REQUIRE_SERVICES" = 1 ]; then
    log "services could not be set up (set CHORUS_SKIP_SERVICES=1 to run without them)"
    exit 1
  else
    log "WARNING: running without PostgreSQL; integration tests will skip"
  fi
fi

# ---- go test
if [ "$have_pkgs" = 0 ]; then
  log "no Go packages yet: nothing to test"
  exit 0
fi

# shellcheck disable=SC2086
if [ "$mode" = test ]; then
  log "go test -race -count=1 -timeout 20m ${GOTESTFLAGS:-} ./..."
  go test -race -count=1 -timeout 20m ${GOTESTFLAGS:-} ./...
else
  log "go test -run '^\$' -bench '${CHORUS_BENCH:-.}' -benchmem ${GOTESTFLAGS:-} ${CHORUS_BENCH_PKG:-./...}"
  go test -run '^$' -bench "${CHORUS_BENCH:-.}" -benchmem ${GOTESTFLAGS:-} ${CHORUS_BENCH_PKG:-./...}
fi
