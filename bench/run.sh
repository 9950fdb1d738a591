#!/usr/bin/env bash
# docnorm's end-to-end benchmark: pages/s, MB/s, CPU time and peak RSS of `docnorm run` on
# real HTML pages and on a generated plain-text corpus, side by side with trafilatura on the same
# pages with the same number of processes, from one run (compare ratios: the machine is shared
# and noisy).
#
# usage: bench/run.sh [--text-mb N] [--small-mb N] [--jobs N] [--repeat N] [--pages DIR]
#                     [--no-trafilatura]
#   --pages DIR   WCXB-style folder with html/*.html(.gz) (default ../shared/corpus/wcxb-dev)
#   --repeat N    runs of each measurement; the table shows the one of median wall time (default 3)
#   --text-mb N   size of the large plain-text corpus (default 1000)
#   --small-mb N  size of the small corpus for the memory-flatness check (default 100)
# Everything generated goes to a temporary folder (BENCH_TMP, default a mktemp dir), never the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
TEXT_MB=1000 SMALL_MB=100 JOBS=2 REPEAT=3 PAGES=../shared/corpus/wcxb-dev TRAF=1
while [ $# -gt 0 ]; do
  case "$1" in
    --text-mb) TEXT_MB=$2; shift 2 ;;
    --small-mb) SMALL_MB=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --pages) PAGES=$2; shift 2 ;;
    --no-trafilatura) TRAF=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
TMP=${BENCH_TMP:-$(mktemp -d -t docnorm-bench.XXXXXX)}
mkdir -p "$TMP"
echo "bench: working in $TMP"
cargo build --release --quiet
BIN=$PWD/target/release/docnorm

# Runs a command under /usr/bin/time -v; prints "seconds max_rss_kb cpu_seconds" (user + system,
# all threads and child processes: on a busy machine the CPU time moves less than the wall time).
measure() {
  local log=$TMP/time.log
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; return 1; }
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ t = (NF == 3) ? $1*3600 + $2*60 + $3 : $1*60 + $2; print (t < 0.01 ? 0.01 : t) }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {t += $2} END {printf "%.2f", t}' "$log")
  echo "$wall $rss $cpu"
}
# measure, REPEAT times, removing the folder $1 before each run (a run's output, so that every
# run writes a fresh one); prints the run of median wall time, with the highest peak RSS of all.
measure_median() {
  local out=$1; shift
  local runs=() i
  for ((i = 0; i < REPEAT; i++)); do
    [ -n "$out" ] && rm -rf "$out"
    runs+=("$(measure "$@")")
  done
  local rss_max
  rss_max=$(printf '%s\n' "${runs[@]}" | awk '$2 > m {m = $2} END {print m}')
  printf '%s\n' "${runs[@]}" | sort -n | awk -v n="$REPEAT" -v rss="$rss_max" \
    'NR == int((n + 1) / 2) {print $1, rss, $3}'
}
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
du_mb() { du -sb "$1" | awk '{printf "%.1f", $1/1e6}'; }

rows=()
row() { rows+=("$(printf '%-34s %8s %10s %9s %9s %9s %s' "$@")"); }
row "run" "inputs" "seconds" "CPU s" "pages/s" "MB/s" "peak RSS MB"

if [ -d "$PAGES/html" ]; then
  mkdir -p "$TMP/html"
  for f in "$PAGES"/html/*; do
    base=$(basename "$f"); base=${base%.gz}
    [ -f "$TMP/html/$base" ] || { case "$f" in *.gz) gzip -dc "$f" >"$TMP/html/$base" ;; *) cp "$f" "$TMP/html/$base" ;; esac; }
  done
  n_pages=$(ls "$TMP/html" | wc -l); mb=$(du_mb "$TMP/html")
  read -r secs rss cpu < <(measure_median "$TMP/out-html" "$BIN" run --no-progress --jobs "$JOBS" --input "$TMP/html" --output "$TMP/out-html")
  dn_pps=$(calc "$n_pages / $secs" 3)
  row "docnorm run, HTML pages" "$n_pages" "$secs" "$cpu" "$(calc "$dn_pps" 0)" "$(calc "$mb / $secs" 1)" "$((rss / 1024))"
  if [ "$TRAF" = 1 ]; then
    VENV=${TRAFILATURA_VENV:-$HOME/.cache/docnorm-bench/venv}
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    # lxml 5.2+ ships its HTML cleaner (which trafilatura's justext needs) as a separate package.
    "$VENV/bin/python" -c 'import trafilatura' 2>/dev/null ||
      "$VENV/bin/pip" install --quiet trafilatura lxml_html_clean
    read -r tsecs trss tcpu < <(measure_median "$TMP/out-traf" "$VENV/bin/python" bench/trafilatura_batch.py "$TMP/html" "$TMP/out-traf" "$JOBS")
    tr_pps=$(calc "$n_pages / $tsecs" 3)
    row "trafilatura, HTML pages" "$n_pages" "$tsecs" "$tcpu" "$(calc "$tr_pps" 0)" "$(calc "$mb / $tsecs" 1)" "$((trss / 1024)) (largest process)"
    ratio=$(calc "$dn_pps / $tr_pps" 1)
  fi
else
  echo "bench: no HTML pages at $PAGES/html; skipping the HTML comparison" >&2
fi

for size in "$SMALL_MB" "$TEXT_MB"; do
  dir=$TMP/text-$size
  [ -d "$dir" ] || python3 bench/gen_text_corpus.py raw "$dir" "$size" >/dev/null
  n=$(find "$dir" -type f | wc -l); mb=$(du_mb "$dir")
  # What reading the files alone costs, first (so from disk when the cache does not hold them):
  # the floor under any tool's figure on this machine.
  read -r secs rss cpu < <(measure sh -c 'find "$1" -type f -print0 | xargs -0 -P "$2" -n 256 cat' sh "$dir" "$JOBS")
  row "cat of the files, ${size} MB" "$n" "$secs" "$cpu" "$(calc "$n / $secs" 0)" "$(calc "$mb / $secs" 1)" "-"
  read -r secs rss cpu < <(measure_median "$TMP/out-text-$size" "$BIN" run --no-progress --jobs "$JOBS" --input "$dir" --output "$TMP/out-text-$size")
  row "docnorm run, plain text ${size} MB" "$n" "$secs" "$cpu" "$(calc "$n / $secs" 0)" "$(calc "$mb / $secs" 1)" "$((rss / 1024))"
  eval "rss_$size=$rss"
done

echo
printf '%s\n' "${rows[@]}"
echo "(each row but cat's: the run of median wall time of $REPEAT; peak RSS the highest of them)"
[ -n "${ratio:-}" ] && echo "docnorm / trafilatura pages/s: ${ratio}x (both with $JOBS processes or threads)"
small=rss_$SMALL_MB big=rss_$TEXT_MB
echo "peak RSS ${TEXT_MB} MB / ${SMALL_MB} MB: $(calc "${!big} / ${!small}" 2)"
echo "(outputs and generated corpora are in $TMP; delete it when done)"
