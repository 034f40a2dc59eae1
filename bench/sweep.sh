#!/bin/sh
# Sweep throughput: runs per second at -j 1 and -j 2, and the cost of
# 4 shards + merge against one process (make bench-sweep).
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
runs=24
for j in 1 2; do
	t0=$(now)
	# shellcheck disable=SC2086
	"$fs" sweep $SW -j $j --db "$TMP/j$j.db"
	t1=$(now)
	echo "sweep -j $j: $runs runs in $(echo "$t1 - $t0" | bc) s," \
	    "$(echo "scale=2; $runs / ($t1 - $t0)" | bc) runs/s"
done
t0=$(now)
for i in 1 2 3 4; do
	# shellcheck disable=SC2086
	"$fs" sweep $SW -j 1 --shard $i/4 --db "$TMP/s$i.db"
done
t1=$(now)
"$fs" merge -q "$TMP/m.db" "$TMP/s1.db" "$TMP/s2.db" "$TMP/s3.db" "$TMP/s4.db"
t2=$(now)
echo "4 shards one after another (-j 1): $(echo "$t1 - $t0" | bc) s;" \
    "merge: $(echo "$t2 - $t1" | bc) s"
