#!/usr/bin/env bash
# Scanner benchmark: `keywarden scan` (every detector) against ripgrep searching the same tree for the
# Marketing key pattern alone, warm cache, in one run; writes bench/results/scanner.md.
#
#   bash bench/scanner.sh                  # 1 GiB tree (the figure for docs/benchmarks.md; needs a quiet machine)
#   BENCH_SIZE_MIB=50 bash bench/scanner.sh  # smoke test
#
# The tree comes from bench/scanner_tree.py (deterministic: same size and seed, same bytes) and is kept in
# bench/results/raw/scanner-tree-<size>MiB-s<seed>/ (not committed), reused when present.
# Settings (environment): BENCH_SIZE_MIB (1024), BENCH_SEED (42), BENCH_RUNS (3: best of), BENCH_SKIP_BUILD (0).
# Not part of the test run: CI never calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

size_mib=${BENCH_SIZE_MIB:-1024}
seed=${BENCH_SEED:-42}
runs=${BENCH_RUNS:-3}
pattern='[0-9a-f]{32}-us[0-9]{1,2}'

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- tools -----------------------------------------------------------------------------------
if ! command -v rg >/dev/null 2>&1; then
  say "installing ripgrep"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq ripgrep >/dev/null
fi
[ -x /usr/bin/time ] || die "/usr/bin/time is needed for peak RSS (apt-get install time)"
command -v python3 >/dev/null 2>&1 || die "python3 is needed to generate the tree"

# --- build (Release, ReadyToRun: what `dotnet publish -r RID` ships) ---------------------------
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
publish_dir=$root/bench/results/raw/keywarden-$rid
keywarden_bin=$publish_dir/keywarden
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  say "publishing src/Keywarden.Cli (Release, $rid, ReadyToRun)"
  dotnet publish src/Keywarden.Cli -c Release -r "$rid" --self-contained false -o "$publish_dir" -nologo -v quiet >/dev/null \
    || die "publish failed (run: dotnet publish src/Keywarden.Cli -c Release -r $rid --self-contained false)"
fi
[ -x "$keywarden_bin" ] || die "missing $keywarden_bin"

# --- the tree --------------------------------------------------------------------------------
tree=$root/bench/results/raw/scanner-tree-${size_mib}MiB-s$seed
raw=$root/bench/results/raw/scanner-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$raw"
if [ ! -f "$tree/.complete" ]; then
  say "generating ${size_mib} MiB under $tree (seed $seed)"
  rm -rf "$tree"
  mkdir -p "$tree"
  python3 bench/scanner_tree.py "$tree/src" "$size_mib" "$seed" >"$tree/.complete.tmp"
  mv "$tree/.complete.tmp" "$tree/.complete"
fi
read -r files bytes planted_marketing planted_transactional <"$tree/.complete"
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
say "tree: $files files, $mib MiB, planted: $planted_marketing Marketing + $planted_transactional Transactional keys"

# --- warm the page cache, then time each tool (best of $runs) --------------------------------
say "warming the page cache"
find "$tree/src" -type f -print0 | xargs -0 cat >/dev/null
"$keywarden_bin" scan "$tree/src" --format json --output "$raw/keywarden-warmup.json" >/dev/null 2>&1 || true
rg --no-ignore --hidden -c -e "$pattern" "$tree/src" >/dev/null || true

# measure NAME RUN COMMAND…: appends "seconds max_rss_kib cpu_seconds" to $raw/NAME.runs
measure() {
  local name=$1 i=$2; shift 2
  /usr/bin/time -v -o "$raw/$name-$i.time" "$@" >"$raw/$name-$i.out" 2>"$raw/$name-$i.err" || true
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /Maximum resident set size/ { rss = $2 }
    /User time|System time/ { cpu += $2 }
    END { printf "%.3f %d %.2f\n", s, rss, cpu }' "$raw/$name-$i.time" >>"$raw/$name.runs"
  say "$name run $i: $(tail -1 "$raw/$name.runs" | awk '{ printf "%.2f s, %.2f s CPU, %d MiB RSS", $1, $3, $2 / 1024 }')"
}

# Interleaved, so that both tools see the same machine when it is not quiet.
: >"$raw/keywarden.runs"
: >"$raw/ripgrep.runs"
for i in $(seq 1 "$runs"); do
  measure keywarden "$i" "$keywarden_bin" scan "$tree/src" --format json --output "$raw/keywarden.json"
  measure ripgrep "$i" rg --no-ignore --hidden --no-messages -o -e "$pattern" "$tree/src"
done

# start-up: best of 5 `keywarden --version`
for i in 1 2 3 4 5; do /usr/bin/time -f %e -a -o "$raw/version.runs" "$keywarden_bin" --version >/dev/null 2>&1; done
version_s=$(sort -n "$raw/version.runs" | head -1)

best() { sort -n "$raw/$1.runs" | head -1; }
read -r kw_s kw_rss kw_cpu <<<"$(best keywarden)"
read -r rg_s rg_rss rg_cpu <<<"$(best ripgrep)"
kw_tput=$(awk -v b="$bytes" -v s="$kw_s" 'BEGIN { printf "%.0f", b / 1048576 / s }')
rg_tput=$(awk -v b="$bytes" -v s="$rg_s" 'BEGIN { printf "%.0f", b / 1048576 / s }')
ratio=$(awk -v k="$kw_tput" -v r="$rg_tput" 'BEGIN { printf "%.2f", k / r }')
cpu_ratio=$(awk -v k="$kw_cpu" -v r="$rg_cpu" 'BEGIN { printf "%.2f", r / k }')
kw_marketing=$(grep -c '"rule": "mailchimp-marketing-key"' "$raw/keywarden.json" || true)
kw_transactional=$(grep -c '"rule": "mailchimp-transactional-key"' "$raw/keywarden.json" || true)
rg_matches=$(wc -l <"$raw/ripgrep-1.out")

# --- report ----------------------------------------------------------------------------------
results=$root/bench/results/scanner.md
{
  echo "# Scanner benchmark"
  echo
  echo "Generated by \`bench/scanner.sh\` on $(date -u +%Y-%m-%d) (UTC). Raw output: \`bench/results/raw/$(basename "$raw")/\` (not committed)."
  echo
  echo "- Machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM; $(uname -sr)"
  echo "- Tree: $files files, $mib MiB (\`bench/scanner_tree.py\`, seed $seed): Python, JS/TS, Go, Java, C#, Markdown, JSON, YAML; ~3% one-line minified JS bundles (0.2–2 MiB); git SHAs, UUIDs and bare 32-hex as near-misses; $planted_marketing Marketing and $planted_transactional Transactional keys planted"
  echo "- Warm page cache (every file read once, each tool run once before timing); best of $runs interleaved runs; both tools use every CPU"
  echo "- Keywarden: \`keywarden scan TREE --format json --output F\` (Release, ReadyToRun, \`dotnet publish -r $rid\`): all three detectors (Marketing, Transactional with context, checksummed tokens), placeholders, \`keywarden:allow\`, line/column, fingerprints"
  echo "- ripgrep $(rg --version | awk 'NR == 1 { print $2 }'): \`rg --no-ignore --hidden -o -e '$pattern' TREE\`: the Marketing pattern only"
  echo
  echo "| tool | wall time (s) | CPU time (s, user + sys) | throughput (MiB/s) | peak RSS (MiB) | found |"
  echo "|---|---:|---:|---:|---:|---|"
  echo "| Keywarden | $kw_s | $kw_cpu | $kw_tput | $((kw_rss / 1024)) | $kw_marketing Marketing, $kw_transactional Transactional |"
  echo "| ripgrep | $rg_s | $rg_cpu | $rg_tput | $((rg_rss / 1024)) | $rg_matches Marketing-pattern matches |"
  echo
  echo "Keywarden's throughput is **$ratio×** ripgrep's (target: at least 0.5×). Throughput is tree size / best wall time; Keywarden's includes its start-up (the .NET runtime and the CLI: \`keywarden --version\` took ${version_s} s wall)."
  echo "By CPU time (best runs, user + sys), Keywarden's throughput is **$cpu_ratio×** ripgrep's: the figure a busy machine moves least."
  echo "The CPU column shows what each tool cost when the machine was not quiet (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))."
  if [ "$size_mib" -lt 1024 ]; then
    echo
    echo "_A smoke run on ${size_mib} MiB, not the 1 GiB figure: startup weighs more on a small tree._"
  fi
} >"$results"
say "wrote $results"
cat "$results"
