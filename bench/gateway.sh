#!/usr/bin/env bash
# Gateway benchmark: one fixed fast upstream reached three ways, side by side, in one run:
#   1. directly,
#   2. through a bare YARP proxy (bench/Keywarden.Bench.BareProxy: no auth, no policy, no audit),
#   3. through Keywarden (`keywarden serve`: token auth + policy + rate limit + audit to SQLite).
# wrk drives GET /3.0/ping at 8 connections (the budget of docs/benchmarks.md) and at 64 (for
# information), then the script writes bench/results/gateway.md. At 8 connections bare YARP and
# Keywarden are measured in alternating rounds (bare first in odd rounds, Keywarden first in even
# ones) and the verdict takes the median of the per-round figures: on a shared VM the host's load
# moves both proxies' cost by ±15 % from one minute to the next, and two rounds measured back to
# back see the same host. Raw wrk output goes to
# bench/results/raw/ (not committed). All traffic stays on 127.0.0.1; every process started here
# is stopped on exit. Not part of the test run: CI never calls this.
#
#   bash bench/gateway.sh
#
# Settings (environment): BENCH_DURATION (10s: one measured run), BENCH_ROUNDS (7: alternating
# rounds at BENCH_CONNECTIONS), BENCH_WARMUP (60s: each target's first warm-up),
# BENCH_REWARM (15s: warm-up at the second connection count), BENCH_CONNECTIONS (8),
# BENCH_WIDE_CONNECTIONS (64), BENCH_THREADS (2), BENCH_PORT (5601: upstream; +1 bare YARP;
# +2 Keywarden, +3 its /metrics), BENCH_PIN (1: proxies on CPU 0, upstream and wrk on CPU 1; 0: no pinning),
# BENCH_NICE (-10 as root, else 0), BENCH_MIN_CPU (0.80), BENCH_SKIP_BUILD (0), BENCH_QUICK (0; 1: the
# alternating rounds only, printed, no report: for comparing two builds).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

duration=${BENCH_DURATION:-10s}
rounds=${BENCH_ROUNDS:-7}
# Tiered JIT (with dynamic PGO) needs this long under full load on one core before req/s stops
# climbing, for bare YARP as for Keywarden; measured on the 2-CPU machine of docs/benchmarks.md.
warmup=${BENCH_WARMUP:-60s}
rewarm=${BENCH_REWARM:-15s}
# A proxy measured while it got less than this much of CPU 0 was starved by other load: not valid.
min_cpu=${BENCH_MIN_CPU:-0.80}
connections=${BENCH_CONNECTIONS:-8}
wide_connections=${BENCH_WIDE_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
port=${BENCH_PORT:-5601}
upstream_url=http://127.0.0.1:$port
proxy_url=http://127.0.0.1:$((port + 1))
gateway_url=http://127.0.0.1:$((port + 2))
metrics_url=http://127.0.0.1:$((port + 3))
path=/3.0/ping

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- tools -----------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  say "installing wrk"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq wrk >/dev/null
fi
command -v curl >/dev/null 2>&1 || die "curl is needed"

# Pinning: the process under test (bare YARP or Keywarden) gets CPU 0 to itself, so both
# proxies are measured on the same core; the upstream and wrk share CPU 1. Without two CPUs
# there is nothing to pin.
pin=${BENCH_PIN:-1}
if [ "$pin" = 1 ] && { [ "$(nproc)" -lt 2 ] || ! command -v taskset >/dev/null 2>&1; }; then
  say "fewer than 2 CPUs or no taskset: running unpinned"
  pin=0
fi
# Priority: as root, everything started here runs at nice -10, so builds or tests that happen to
# run on the machine disturb the measurement less (they still run, at a smaller share).
if [ "$(id -u)" -eq 0 ]; then nice_level=${BENCH_NICE:--10}; else nice_level=${BENCH_NICE:-0}; fi
prio=(nice -n "$nice_level")
if [ "$pin" = 1 ]; then
  on_proxy_cpu=("${prio[@]}" taskset -c 0)
  on_load_cpu=("${prio[@]}" taskset -c 1)
  pinning="bare YARP and Keywarden on CPU 0 (one at a time under load); upstream and wrk on CPU 1 (taskset); nice $nice_level"
else
  on_proxy_cpu=("${prio[@]}")
  on_load_cpu=("${prio[@]}")
  pinning="none (all processes share all CPUs); nice $nice_level"
fi

# --- build (Release) -------------------------------------------------------------------------
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  for project in bench/Keywarden.Bench.Upstream bench/Keywarden.Bench.BareProxy src/Keywarden.Cli; do
    say "building $project (Release)"
    dotnet build "$project" -c Release -nologo -v quiet >/dev/null || die "build of $project failed (run: dotnet build $project -c Release)"
  done
fi
upstream_bin=$root/bench/Keywarden.Bench.Upstream/bin/Release/net10.0/Keywarden.Bench.Upstream
proxy_bin=$root/bench/Keywarden.Bench.BareProxy/bin/Release/net10.0/Keywarden.Bench.BareProxy
keywarden_bin=$root/src/Keywarden.Cli/bin/Release/net10.0/keywarden
for bin in "$upstream_bin" "$proxy_bin" "$keywarden_bin"; do
  [ -x "$bin" ] || die "missing $bin"
done

# --- processes -------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/keywarden-bench.XXXXXX")
stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw=$root/bench/results/raw/$stamp
mkdir -p "$raw"
pids=()

cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work" # holds the throw-away vault and its master key
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$port" $((port + 1)) $((port + 2)); do
  port_in_use "$p" && die "127.0.0.1:$p is already in use (set BENCH_PORT)"
done

# wait_ready NAME PID URL [CURL ARGS...]: 200 within 30 s while the process lives, or fail the run.
wait_ready() {
  local name=$1 pid=$2 url=$3
  shift 3
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up (log: $raw/$name.log)"
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" "$url" || true)" = 200 ]; then
      return 0
    fi
    sleep 0.1
  done
  die "$name not ready at $url after 30 s (log: $raw/$name.log)"
}

say "starting the upstream on $upstream_url"
"${on_load_cpu[@]}" "$upstream_bin" "$upstream_url" >"$raw/upstream.log" 2>&1 &
upstream_pid=$!
pids+=("$upstream_pid")

say "starting bare YARP on $proxy_url"
"${on_proxy_cpu[@]}" "$proxy_bin" "$proxy_url" "$upstream_url" >"$raw/bare-yarp.log" 2>&1 &
proxy_pid=$!
pids+=("$proxy_pid")

say "setting up Keywarden in a throw-away data directory"
export KEYWARDEN_DATA=$work/data
KEYWARDEN_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
export KEYWARDEN_MASTER_KEY
"$keywarden_bin" init >"$raw/keywarden-setup.log" 2>&1 || die "keywarden init failed (log: $raw/keywarden-setup.log)"
# The benchmark upstream accepts anything, and --no-verify skips the check.
fake_key=0123456789abcdef0123456789abcdef-us1 # FAKE key, never valid anywhere
printf '%s\n' "$fake_key" |
  "$keywarden_bin" upstream add bench --kind marketing --base-url "$upstream_url" --no-verify >>"$raw/keywarden-setup.log" 2>&1 ||
  die "keywarden upstream add failed (log: $raw/keywarden-setup.log)"
# A rate limit far above what the machine can reach, so the limiter runs on every request but never refuses.
token=$("$keywarden_bin" token issue --upstream bench --name bench --path '/**' --rate 1000000/s --json 2>>"$raw/keywarden-setup.log" |
  sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "keywarden token issue printed no token (log: $raw/keywarden-setup.log)"
# The same header goes to all three targets, so the request bytes are identical; only Keywarden reads it.
auth="Basic $(printf 'bench:%s' "$token" | base64 -w0)"

say "starting Keywarden on $gateway_url"
"${on_proxy_cpu[@]}" "$keywarden_bin" serve --listen "$gateway_url" --metrics-listen "$metrics_url" >"$raw/keywarden.log" 2>&1 &
gateway_pid=$!
pids+=("$gateway_pid")

wait_ready upstream "$upstream_pid" "$upstream_url$path"
wait_ready bare-yarp "$proxy_pid" "$proxy_url$path"
wait_ready keywarden "$gateway_pid" "$gateway_url/readyz"

# Every target must answer the benchmark request with the upstream's body, or the numbers mean nothing.
for url in "$upstream_url" "$proxy_url" "$gateway_url"; do
  body=$(curl -s --max-time 5 -H "Authorization: $auth" "$url$path" || true)
  case $body in
    *"Everything's Chimpy!"*) ;;
    *) die "$url$path did not return the upstream's ping body: ${body:0:200}" ;;
  esac
done

# --- measuring -------------------------------------------------------------------------------
clk_tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Keywarden's audit writer must be idle before a run starts, so one run's records are not
# written on the next run's time.
audit_drained() {
  for _ in $(seq 1 300); do
    if curl -s --max-time 2 "$metrics_url/metrics" | grep -qE '^keywarden_audit_queue_depth 0$'; then
      return 0
    fi
    sleep 0.1
  done
  die "Keywarden's audit queue did not drain within 30 s"
}

# measure NAME URL PID CONNECTIONS WARMUP: warm-up, then the measured run; leaves raw output and
# one line "rps p50 p90 p99 requests errors cpu" (latencies in ms, cpu in cores) in $raw.
measure() {
  local name=$1 url=$2 pid=$3 conns=$4 warm=$5 tag=${6:-} out before after
  if [ "$warm" != 0 ]; then
    say "$name, $conns connections: warm-up $warm"
    "${on_load_cpu[@]}" wrk -t"$threads" -c"$conns" -d"$warm" -H "Authorization: $auth" "$url$path" >"$raw/$name-c$conns-warmup.txt"
  fi
  if [ "$name" = keywarden ]; then audit_drained; fi
  say "$name, $conns connections$tag: measuring $duration"
  out=$raw/$name-c$conns$tag.txt
  before=$(cpu_ticks "$pid")
  "${on_load_cpu[@]}" wrk -t"$threads" -c"$conns" -d"$duration" --latency -H "Authorization: $auth" "$url$path" >"$out"
  after=$(cpu_ticks "$pid")
  kill -0 "$pid" 2>/dev/null || die "$name died during the run"
  awk -v ticks=$((after - before)) -v hz="$clk_tck" '
    function ms(v) {
      if (v ~ /us$/) return v / 1000
      if (v ~ /ms$/) return v + 0
      if (v ~ /s$/) return v * 1000
      return v + 0
    }
    /^ +50% / { p50 = ms($2) }
    /^ +90% / { p90 = ms($2) }
    /^ +99% / { p99 = ms($2) }
    / requests in / { requests = $1; seconds = $4 + 0 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    /^Requests\/sec:/ { rps = $2 }
    END {
      if (rps == "" || p99 == "") exit 1
      printf "%s %.3f %.3f %.3f %d %d %.2f\n", rps, p50, p90, p99, requests, errors, ticks / hz / seconds
    }' "$out" >"$raw/$name-c$conns$tag.line" || die "could not read wrk output $out"
  say "$name, $conns connections$tag: $(cat "$raw/$name-c$conns$tag.line")"
  # Pinned, a proxy under load saturates CPU 0; if it got much less, something else had the core.
  if [ "$pin" = 1 ] && [ "$name" != upstream ]; then
    awk -v cpu="$(cut -d' ' -f7 "$raw/$name-c$conns$tag.line")" -v min="$min_cpu" 'BEGIN { exit !(cpu < min) }' &&
      printf '%s at %s connections%s used only %s cores of CPU 0\n' \
        "$name" "$conns" "$tag" "$(cut -d' ' -f7 "$raw/$name-c$conns$tag.line")" >>"$raw/invalid"
  fi
  return 0
}

# median FILES... COLUMN: the median of one column over several .line files.
median() {
  local column=${*: -1}
  cat "${@:1:$#-1}" | awk -v c="$column" '{ print $c }' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A url_of=([upstream]=$upstream_url [bare-yarp]=$proxy_url [keywarden]=$gateway_url)
declare -A pid_of=([upstream]=$upstream_pid [bare-yarp]=$proxy_pid [keywarden]=$gateway_pid)
measure upstream "$upstream_url" "$upstream_pid" "$connections" "$warmup"
# Both proxies warm (tiered JIT settled) before the first round counts.
for name in bare-yarp keywarden; do
  say "$name, $connections connections: warm-up $warmup"
  "${on_load_cpu[@]}" wrk -t"$threads" -c"$connections" -d"$warmup" -H "Authorization: $auth" "${url_of[$name]}$path" >"$raw/$name-c$connections-warmup.txt"
done
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order="bare-yarp keywarden"; else order="keywarden bare-yarp"; fi
  for name in $order; do
    measure "$name" "${url_of[$name]}" "${pid_of[$name]}" "$connections" 0 "-r$round"
  done
done
# The table's rows at the budget's connection count: the median of each column over the rounds.
for name in bare-yarp keywarden; do
  files=("$raw/$name-c$connections"-r*.line)
  line=""
  for column in 1 2 3 4 5; do line="$line $(median "${files[@]}" "$column")"; done
  errors=$(cat "${files[@]}" | awk '{ e += $6 } END { print e + 0 }')
  echo "$line $errors $(median "${files[@]}" 7)" | sed 's/^ //' >"$raw/$name-c$connections.line"
done
# Per round: Keywarden's share of bare YARP's req/s and the p99 it added, measured back to back.
for round in $(seq 1 "$rounds"); do
  read -r brps _ _ bp99 _ _ bcpu <"$raw/bare-yarp-c$connections-r$round.line"
  read -r krps _ _ kp99 _ _ kcpu <"$raw/keywarden-c$connections-r$round.line"
  awk -v r="$round" -v b="$brps" -v k="$krps" -v bp="$bp99" -v kp="$kp99" -v bc="$bcpu" -v kc="$kcpu" \
    'BEGIN { printf "%d %.2f %.3f %.0f %.0f %.0f %.0f\n", r, 100 * k / b, kp - bp, b, k, 1e6 * bc / b, 1e6 * kc / k }'
done >"$raw/rounds.txt"

# Quick mode (for comparing changes): the alternating rounds only, no 64-connection runs, no report.
if [ "${BENCH_QUICK:-0}" = 1 ]; then
  cat "$raw/rounds.txt"
  read -r _ _ _ _ _ quick_errors _ <"$raw/keywarden-c$connections.line"
  [ "$quick_errors" = 0 ] || say "quick: NOT VALID, Keywarden answered $quick_errors requests with errors"
  [ -f "$raw/invalid" ] && say "quick: NOT VALID, $(tr '\n' ';' <"$raw/invalid")"
  say "quick: Keywarden $(median "$raw/rounds.txt" 2) % of bare YARP, p99 added $(median "$raw/rounds.txt" 3) ms (medians of $rounds rounds)"
  exit 0
fi

warm=$rewarm
for name in upstream bare-yarp keywarden; do
  measure "$name" "${url_of[$name]}" "${pid_of[$name]}" "$wide_connections" "$warm"
done
audit_drained

rss_kib() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
gateway_rss=$(rss_kib "$gateway_pid" VmRSS)
gateway_hwm=$(rss_kib "$gateway_pid" VmHWM)
proxy_rss=$(rss_kib "$proxy_pid" VmRSS)
curl -s --max-time 5 "$metrics_url/metrics" >"$raw/keywarden-metrics.txt" || true
log_lines=$(wc -l <"$raw/keywarden.log")
log_kib=$(( $(wc -c <"$raw/keywarden.log") / 1024 ))

# --- report ----------------------------------------------------------------------------------
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
wrk_version=$(wrk -v 2>&1 | head -1 | awk '{ print $2 }' || true)
machine="$(nproc) CPUs ($cpu_model), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"

# table CONNECTIONS: the markdown table of one connection count, relative to bare YARP.
table() {
  awk -v conns="$1" -v dir="$raw" '
    BEGIN {
      split("upstream bare-yarp keywarden", names, " ")
      label["upstream"] = "upstream, direct"; label["bare-yarp"] = "bare YARP"; label["keywarden"] = "Keywarden (auth + policy + audit)"
      for (i = 1; i <= 3; i++) {
        file = dir "/" names[i] "-c" conns ".line"
        getline line < file; close(file)
        split(line, f, " ")
        rps[i] = f[1]; p50[i] = f[2]; p90[i] = f[3]; p99[i] = f[4]; errors[i] = f[6]; cpu[i] = f[7]
      }
      print "| target | req/s | p50 | p90 | p99 | % of bare YARP req/s | p99 added over bare YARP | errors | CPU of target | CPU per request |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
      for (i = 1; i <= 3; i++) {
        share = (i == 2) ? "100 %" : sprintf("%.1f %%", 100 * rps[i] / rps[2])
        added = (i == 2) ? "0 ms" : sprintf("%+.3f ms", p99[i] - p99[2])
        printf "| %s | %.0f | %.3f ms | %.3f ms | %.3f ms | %s | %s | %d | %.2f cores | %.0f µs |\n", label[names[i]], rps[i], p50[i], p90[i], p99[i], share, added, errors[i], cpu[i], 1e6 * cpu[i] / rps[i]
      }
    }'
}

# verdict CONNECTIONS: the two budgets at that connection count.
verdict() {
  read -r brps _ _ bp99 _ _ bcpu <"$raw/bare-yarp-c$1.line"
  read -r krps _ _ kp99 _ kerrors kcpu <"$raw/keywarden-c$1.line"
  local starved="" share added
  [ -f "$raw/invalid" ] && starved=$(grep " at $1 connections" "$raw/invalid" || true)
  share=$(median "$raw/rounds.txt" 2)
  added=$(median "$raw/rounds.txt" 3)
  awk -v b="$brps" -v k="$krps" -v share="$share" -v added="$added" -v e="$kerrors" -v bc="$bcpu" -v kc="$kcpu" -v starved="$starved" -v rounds="$rounds" 'BEGIN {
    valid = (e == 0 && starved == "")
    printf "- Throughput: Keywarden %.1f %% of bare YARP, median of %d rounds (budget ≥ 85 %%): **%s**\n", share, rounds, (!valid ? "inconclusive" : share >= 85 ? "met" : "not met")
    printf "- Latency: p99 added over bare YARP %+.3f ms, median of %d rounds (budget ≤ 1 ms): **%s**\n", added, rounds, (!valid ? "inconclusive" : added <= 1 ? "met" : "not met")
    if (bc > 0 && kc > 0) printf "- CPU per request: Keywarden %.0f µs, bare YARP %.0f µs (bare YARP needs %.0f %% of what Keywarden needs)\n", 1e6 * kc / k, 1e6 * bc / b, 100 * (bc / b) / (kc / k)
    if (e > 0) printf "- **Not valid: %d Keywarden responses were errors (non-2xx or socket errors).**\n", e
    if (starved != "") { gsub("\n", "; ", starved); printf "- **Not valid: %s (other load on the machine).** Run again on an idle machine.\n", starved }
  }'
}

mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
results=$root/bench/results/gateway.md
{
  echo "# Gateway benchmark: latest run"
  echo
  echo "Written by \`bash bench/gateway.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). What it measures and how to read it:"
  echo "[docs/benchmarks.md](../../docs/benchmarks.md). At the budget's connection count, the median of alternating rounds; see the docs for the spread between runs."
  echo
  echo "- Machine: $machine; load average at start $load_at_start"
  echo "- .NET SDK $(dotnet --version), Release builds; wrk $wrk_version"
  echo "- Load: \`wrk -t$threads -c<N> -d$duration --latency\`, GET $path with the same \`Authorization: Basic …\` header on every target, after a warm-up of each ($warmup at $connections connections, $rewarm more at $wide_connections); at $connections connections $rounds alternating rounds of bare YARP and Keywarden"
  echo "- Pinning: $pinning"
  echo "- Keywarden: \`keywarden serve\` on SQLite, one Marketing token (\`--path '/**' --rate 1000000/s\`), every request authenticated, judged, rate-limited, forwarded with the real key injected and audited (hash-chained SQLite records)"
  echo
  echo "## $connections connections (the budget)"
  echo
  echo "Bare YARP and Keywarden rows: the median of each column over $rounds alternating rounds of $duration (upstream: one run). The verdict below compares the two runs of each round, made seconds apart, and takes the median over the rounds; the table's share and added p99 divide medians that may come from different rounds."
  echo
  table "$connections"
  echo
  verdict "$connections"
  echo
  echo "| round | Keywarden req/s as % of bare YARP | p99 added | bare YARP req/s | Keywarden req/s | bare YARP CPU/request | Keywarden CPU/request |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  awk '{ printf "| %d | %.1f %% | %+.3f ms | %d | %d | %d µs | %d µs |\n", $1, $2, $3, $4, $5, $6, $7 }' "$raw/rounds.txt"
  echo
  echo "## $wide_connections connections (for information)"
  echo
  table "$wide_connections"
  echo
  echo "- Keywarden RSS after the $wide_connections-connection run: $(mib "$gateway_rss") (peak $(mib "$gateway_hwm"); budget ≤ 200 MB). Bare YARP: $(mib "$proxy_rss")."
  echo "- Keywarden holds at most 10 requests per real key in flight upstream (Mailchimp's limit) and queues the rest, so at $wide_connections connections most requests wait in the gateway."
  echo "- Keywarden wrote $log_lines log lines ($log_kib KiB) during the whole run, at \`serve\`'s default level (counted because logging on the request path costs CPU)."
  echo
  echo "p50/p90/p99 are wrk's latency distribution; \"CPU of target\" is the CPU time the process under test used during the measured run, in cores (1.00 = CPU 0 saturated); \"CPU per request\" is that time divided by the requests served: the cost of one request, whatever share of the CPU the process got."
} >"$results"
cat "$results"
say "results: $results (raw output: $raw)"

# A run in which any target answered errors (non-2xx, socket errors) measured the wrong thing.
for conns in "$connections" "$wide_connections"; do
  for name in upstream bare-yarp keywarden; do
    read -r _ _ _ _ _ errors _ <"$raw/$name-c$conns.line"
    [ "$errors" -eq 0 ] || { say "$name answered $errors requests with errors at $conns connections: run not valid"; exit 1; }
  done
done
if [ -f "$raw/invalid" ]; then
  say "run not valid: $(tr '\n' ';' <"$raw/invalid")"
  exit 1
fi
