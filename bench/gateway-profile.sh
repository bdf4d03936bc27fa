#!/usr/bin/env bash
# Where the gateway's CPU goes: Keywarden (`keywarden serve`, Release) under the load of bench/gateway.sh (wrk, GET
# /3.0/ping at 8 connections against the fixed fast upstream), sampled with `perf record` once warm, with the .NET
# JIT's perf map so managed frames have names (and W^X off, without which JIT'd code has no name). Prints the hottest symbols (self time) and the share of samples in
# Keywarden's own code, for comparing two builds: run it once per build (BENCH_ROOT=another worktree, built in
# Release) on the same machine, and compare the shares, which host noise moves much less than req/s.
#
#   bash bench/gateway-profile.sh            # this tree
#   BENCH_ROOT=/path/to/worktree bash bench/gateway-profile.sh
#
# Settings: BENCH_ROOT (this tree), BENCH_TARGET (keywarden; bare: the bare YARP proxy of bench/gateway.sh, to see
# what Keywarden adds to the same path), BENCH_WARMUP (40s), BENCH_SAMPLE (20: seconds sampled), BENCH_PORT (5611),
# BENCH_TOP (40: symbols listed), BENCH_SYSCALLS (0; 1: count the process's system calls per request with
# `perf trace -s` instead of sampling), BENCH_CALLGRAPH (0; 1: record call stacks and list the hottest symbols by
# inclusive time too), BENCH_OUT (a directory to keep perf.data, the reports with sample counts and wrk's output in,
# e.g. to compare bare and keywarden symbol by symbol with bench/profile-diff.py). All traffic stays on 127.0.0.1; every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${BENCH_ROOT:-$PWD}
warmup=${BENCH_WARMUP:-40s}
sample=${BENCH_SAMPLE:-20}
port=${BENCH_PORT:-5611}
top=${BENCH_TOP:-40}
target=${BENCH_TARGET:-keywarden}
syscalls=${BENCH_SYSCALLS:-0}
callgraph=${BENCH_CALLGRAPH:-0}
out=${BENCH_OUT:-}
upstream_url=http://127.0.0.1:$port
gateway_url=http://127.0.0.1:$((port + 1))
say() { printf '[profile] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }
command -v perf >/dev/null || die "perf is needed (apt-get install linux-perf)"
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"

upstream_bin=$root/bench/Keywarden.Bench.Upstream/bin/Release/net10.0/Keywarden.Bench.Upstream
keywarden_bin=$root/src/Keywarden.Cli/bin/Release/net10.0/keywarden
proxy_bin=$root/bench/Keywarden.Bench.BareProxy/bin/Release/net10.0/Keywarden.Bench.BareProxy
for bin in "$upstream_bin" "$keywarden_bin" "$proxy_bin"; do [ -x "$bin" ] || die "missing $bin (build it in Release)"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/keywarden-profile.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

taskset -c 1 "$upstream_bin" "$upstream_url" >"$work/upstream.log" 2>&1 &
pids+=("$!")
export KEYWARDEN_DATA=$work/data
KEYWARDEN_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
export KEYWARDEN_MASTER_KEY
"$keywarden_bin" init >"$work/setup.log" 2>&1 || die "init failed"
printf '%s\n' 0123456789abcdef0123456789abcdef-us1 | # FAKE key, never valid anywhere
  "$keywarden_bin" upstream add bench --kind marketing --base-url "$upstream_url" --no-verify >>"$work/setup.log" 2>&1 || die "upstream add failed"
token=$("$keywarden_bin" token issue --upstream bench --name bench --path '/**' --rate 1000000/s --json 2>>"$work/setup.log" |
  sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "no token"
auth="Basic $(printf 'bench:%s' "$token" | base64 -w0)"

case $target in
  keywarden) DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 0 "$keywarden_bin" serve --listen "$gateway_url" >"$work/keywarden.log" 2>&1 & ;;
  bare) DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 0 "$proxy_bin" "$gateway_url" "$upstream_url" >"$work/bare.log" 2>&1 & ;;
  *) die "BENCH_TARGET is keywarden or bare" ;;
esac
gateway_pid=$!
pids+=("$gateway_pid")
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $auth" "$gateway_url/3.0/ping" || true)" = 200 ] && break
  sleep 0.1
done

say "profiling $target; warming up for $warmup"
taskset -c 1 wrk -t2 -c8 -d"$warmup" -H "Authorization: $auth" "$gateway_url/3.0/ping" >/dev/null
say "sampling for ${sample}s under load"
taskset -c 1 wrk -t2 -c8 -d"$((sample + 4))s" -H "Authorization: $auth" "$gateway_url/3.0/ping" >"$work/wrk.txt" &
wrk_pid=$!
sleep 2
if [ "$syscalls" = 1 ]; then
  perf trace -s -p "$gateway_pid" -o "$work/trace.txt" -- sleep "$sample" >/dev/null 2>&1 || die "perf trace failed"
  wait "$wrk_pid"
  rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
  echo "requests/s under trace: $rps (the trace slows the process; the counts per request hold)"
  echo "system calls per request (all threads, ${sample}s):"
  awk -v n="$(awk -v r="$rps" -v s="$sample" 'BEGIN { print r * s }')" '
    $1 ~ /^[a-z_0-9]+$/ && $2 ~ /^[0-9]+$/ { calls[$1] += $2; ms[$1] += $4 }
    END { for (c in calls) printf "  %-20s %8.3f per request  %8.2f µs per request\n", c, calls[c] / n, ms[c] * 1000 / n }' "$work/trace.txt" | sort -k2 -rn | head -n 15
  exit 0
fi
graph=()
[ "$callgraph" = 1 ] && graph=(-g)
perf record -F 499 "${graph[@]}" -p "$gateway_pid" -o "$work/perf.data" -- sleep "$sample" >"$work/perf.log" 2>&1 || die "perf record failed: $(tail -3 "$work/perf.log")"
wait "$wrk_pid"
grep -E 'Requests/sec' "$work/wrk.txt" >&2 || true

perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' >"$work/report.txt" || true
[ -s "$work/report.txt" ] || die "perf recorded no samples"
keywarden=$(awk '/Keywarden\./ { gsub("%", "", $1); s += $1 } END { printf "%.1f", s }' "$work/report.txt")
echo "samples in Keywarden's own code (self time): ${keywarden}%"
echo "by module (self time):"
perf report -i "$work/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' | head -n 12 || true
echo "hottest symbols (self time):"
head -n "$top" "$work/report.txt"
echo "Keywarden's symbols:"
grep -F 'Keywarden.' "$work/report.txt" | head -n "$top" || true
if [ "$callgraph" = 1 ]; then
  echo "hottest symbols (inclusive time: the symbol and what it calls):"
  perf report -i "$work/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9.]+%' | head -n "$top" || true
fi
if [ -n "$out" ]; then
  mkdir -p "$out"
  cp "$work/perf.data" "$work/wrk.txt" "$out/"
  perf report -i "$work/perf.data" --no-children -n --sort dso,symbol --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' >"$out/self.txt" || true
  [ "$callgraph" = 1 ] && { perf report -i "$work/perf.data" --children -n --sort symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9.]+%' >"$out/inclusive.txt" || true; }
  echo "$sample" >"$out/seconds"
  say "kept in $out"
fi
