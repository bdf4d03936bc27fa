#!/usr/bin/env bash
# Admin API benchmark (issue 13): builds bench/Keywarden.Bench.Admin in Release and runs it (in-process: sandbox
# upstream, SQLite vault in a temporary directory, admin API on 127.0.0.1:0 with real operator sessions, 10 000 tokens),
# then writes the markdown report, with the machine's load (`uptime`) before and after, to bench/results/admin.md.
# Settings (environment, passed through): BENCH_TOKENS, BENCH_REQUESTS, BENCH_CLIENTS, BENCH_WARMUP, BENCH_LOGINS,
# BENCH_CAP_SECONDS (see bench/Keywarden.Bench.Admin/Program.cs). All traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/results/admin.md
dotnet build bench/Keywarden.Bench.Admin -c Release -nologo -v q >&2
bin=bench/Keywarden.Bench.Admin/bin/Release/net10.0/Keywarden.Bench.Admin
load_before=$(uptime)
report=$("$bin")
load_after=$(uptime)
{
  printf '%s\n\n' "$report"
  printf 'Run %s, commit %s. Load before: `%s`; after: `%s`.\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$(git rev-parse --short HEAD)" "${load_before# }" "${load_after# }"
} >"$out"
cat "$out"
