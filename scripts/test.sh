#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine: installs what the tests need
# (PostgreSQL 15, ffmpeg, nginx and chromium from Debian packages, Gemini CLI from npm) if missing, starts a throwaway PostgreSQL
# cluster on a free loopback port, runs `dotnet test` on the solution, and stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Debian packages the tests use.
need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
# nginx plays the CDN edge in front of the scripted providers (routes by Host, TLS with HTTP/2).
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
# The code skeleton tests check their output with python3 and node.
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v node >/dev/null 2>&1 || need+=(nodejs)
# Chromium renders the dashboard in its browser test (driven headless by Playwright; no browser download).
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]} from Debian packages"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. A throwaway PostgreSQL cluster on loopback (initdb and postgres refuse to run as root).
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
PGDIR=$(mktemp -d /tmp/headroom-pg.XXXXXX)
free_port() { local p; for p in $(seq 55432 55532); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; return 1; }
PGPORT=$(free_port)
run_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PGDIR"; su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
run_pg "'$PGBIN/initdb' -D '$PGDIR/data' -A trust -U postgres >/dev/null"
run_pg "'$PGBIN/pg_ctl' -D '$PGDIR/data' -l '$PGDIR/log' -o \"-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off\" -w start >/dev/null"
trap 'run_pg "\"$PGBIN/pg_ctl\" -D \"$PGDIR/data\" -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$PGDIR"' EXIT
export HEADROOM_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres;Pooling=true"
export HEADROOM_TEST_PG_BIN="$PGBIN" HEADROOM_TEST_PG_DATA="$PGDIR/data"
echo "test.sh: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"

# 3. Source files of other repositories (Go, Java, Rust, Python stdlib, rxjs, express) for the code
#    compressor's held-out test, assembled by the shared data's own script from Debian and npm packages.
#    Kept in the cache directory between runs; when it cannot be built the test is skipped with the reason.
collect=../shared/data/code/collect.sh
if [ -z "${HEADROOM_CODE_CORPUS:-}" ] && [ -f "$collect" ]; then
  corpus="${XDG_CACHE_HOME:-$HOME/.cache}/headroom/code-corpus"
  if [ ! -d "$corpus/go" ]; then
    echo "test.sh: collecting the held-out code corpus into $corpus"
    rm -rf "$corpus"
    as_root bash "$collect" "$corpus" >/dev/null 2>&1 || { echo "test.sh: $collect failed; the held-out code test will be skipped"; rm -rf "$corpus"; }
  fi
  if [ -d "$corpus/go" ]; then export HEADROOM_CODE_CORPUS="$corpus"; fi
fi

# 4. Real agent clients the client tests drive (npm packages, kept in the cache directory between runs).
#    When npm cannot install one, the test that needs it fails and says how to get it.
clients="${XDG_CACHE_HOME:-$HOME/.cache}/headroom/clients"
if [ -z "${HEADROOM_GEMINI_CLI:-}" ] && [ ! -x "$clients/node_modules/.bin/gemini" ]; then
  echo "test.sh: installing @google/gemini-cli@0.61.0 into $clients"
  mkdir -p "$clients"
  if ! npm install --prefix "$clients" --no-audit --no-fund --loglevel=error @google/gemini-cli@0.61.0 >"$clients/npm-install.log" 2>&1; then
    echo "test.sh: npm install @google/gemini-cli@0.61.0 failed (the Gemini CLI test will fail):"
    tail -n 20 "$clients/npm-install.log" || true
  fi
fi

# 5. The suite.
dotnet test Headroom.Gateway.sln -c Release --nologo "$@"
