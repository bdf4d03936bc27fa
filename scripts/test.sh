#!/usr/bin/env bash
# Runs every test of Keywarden and ends with one line: "N passed, N failed, N skipped".
# Installs the npm clients used as the compatibility referee on first use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -f test/compat/package.json ] && [ ! -d test/compat/node_modules ]; then
  echo "installing the official Mailchimp npm clients (test/compat)..."
  (cd test/compat && npm ci --no-audit --no-fund --loglevel=error)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Keywarden.slnx "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

awk '
  /Test run summary/ { in_summary = 1 }
  in_summary && $1 == "total:"     { total = $2 }
  in_summary && $1 == "failed:"    { failed = $2 }
  in_summary && $1 == "succeeded:" { passed = $2 }
  in_summary && $1 == "skipped:"   { skipped = $2 }
  in_summary && $1 == "error:"     { errors = $2 }
  END {
    if (total == "") { print "0 passed, 1 failed (no test summary: the build or the run failed)"; exit }
    # A test host that crashed ("error: N", "Zero tests ran") ran none of its tests: each such host counts as a failure.
    printf "%d passed, %d failed, %d skipped\n", passed, failed + errors, skipped
  }' "$log"
exit "$rc"
