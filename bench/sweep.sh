#!/bin/sh
# Sweep throughput: runs per second at -j 1 and -j 2, and the cost of
# 4 shards + merge against one process (make bench-sweep). Events are
# recorded as by default (record.events), so the merge copies them too.
#   bench/sweep.sh FASTSYNC [SRCDIR]
set -eu
fs=$1
src=${2:-.}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-bsweep.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$src"
SW="--vary models.quorum.quorum=0.5,0.7,0.9 --vary workers.count=20,40
    --seeds 4 -r 100 -q"
now() { date +%s.%N; }
# seconds between two `now`s, and a ratio, with awk (no bc needed)
dt() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
runs=24
for j in 1 2; do
	t0=$(now)
	# shellcheck disable=SC2086
	"$fs" sweep $SW -j $j --db "$TMP/j$j.db"
	t1=$(now)
	eval "s$j=$(dt "$t0" "$t1")"
	eval "echo \"sweep -j $j: $runs runs in \$s$j s, \$(div $runs \$s$j) runs/s\""
done
echo "-j 2 / -j 1 wall time: $(div "$s2" "$s1")"
t0=$(now)
for i in 1 2 3 4; do
	# shellcheck disable=SC2086
	"$fs" sweep $SW -j 1 --shard $i/4 --db "$TMP/s$i.db"
done
t1=$(now)
"$fs" merge -q "$TMP/m.db" "$TMP/s1.db" "$TMP/s2.db" "$TMP/s3.db" "$TMP/s4.db"
t2=$(now)
sh=$(dt "$t0" "$t1")
mg=$(dt "$t1" "$t2")
echo "4 shards one after another (-j 1): $sh s; merge: $mg s"
echo "(shards + merge) / one process at -j 1: $(div "$(awk -v a="$sh" \
    -v b="$mg" 'BEGIN { print a + b }')" "$s1")"
