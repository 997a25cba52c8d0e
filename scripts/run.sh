#!/usr/bin/env bash
# The entry behind every npm script: makes sure what the project needs is installed (npm packages, Deno from
# the `deno` npm package, PostgreSQL 15 with pg_cron and pgTAP from Debian, Chromium for the console's tests),
# then runs the command in Deno.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup/ensure.sh
reserve_stack_ports

command=${1:-start}
shift || true
case "$command" in
  start)
    ensure_node_modules
    ensure_debian_packages postgresql-15 postgresql-15-cron
    ensure_web_modules
    ensure_web_build
    exec "$DENO" run -A scripts/local/main.ts start "$@"
    ;;
  stop)
    ensure_node_modules
    exec "$DENO" run -A scripts/local/main.ts stop "$@"
    ;;
  test)
    ensure_node_modules
    ensure_web_modules
    ensure_web_build
    ensure_debian_packages postgresql-15 postgresql-15-cron postgresql-15-pgtap chromium
    exec "$DENO" run -A scripts/test/run.ts "$@"
    ;;
  bench)
    ensure_node_modules
    # the console benchmark opens the built console in Chromium
    ensure_web_modules
    ensure_web_build
    ensure_debian_packages postgresql-15 postgresql-15-cron postgresql-client-15 chromium wrk
    exec "$DENO" run -A scripts/bench/run.ts "$@"
    ;;
  *)
    echo "unknown command: $command (start, stop, test, bench)" >&2
    exit 2
    ;;
esac
