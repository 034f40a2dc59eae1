#!/bin/sh
# A fastsync sweep fanned out with GNU parallel: N shards, each into its
# own database file on local disk, then merged into OUT.db.
#   parallel-sweep.sh -n N -o OUT.db [-d SHARDDIR] -- SWEEP OPTIONS...
# e.g. parallel-sweep.sh -n 4 -o runs.db -- --vary quorum=0.5,0.7 --seeds 10
# FASTSYNC names the binary (default: fastsync on the PATH). Each shard
# runs with -j 1 (one process per CPU slot that parallel gives it).
set -eu

# shellcheck source=configs/cluster/sweep-args.sh
. "$(cd "$(dirname "$0")" && pwd)/sweep-args.sh"
dir=${dir:-$(mktemp -d "${TMPDIR:-/tmp}/fastsync-shards.XXXXXX")}
mkdir -p "$dir"
seq 1 "$n" | parallel --halt now,fail=1 -j "$n" \
    "$fs" sweep "$@" -j 1 -q --shard "{}/$n" --db "$dir/shard-{}.db"
# shellcheck disable=SC2046	# the shard files, in order
"$fs" merge "$out" $(seq 1 "$n" | sed "s|.*|$dir/shard-&.db|")
