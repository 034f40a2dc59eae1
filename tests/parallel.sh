#!/bin/sh
# The GNU parallel recipe (configs/cluster/parallel-sweep.sh): three shards at
# once, merged, give the rows of a one-process sweep. Needs FASTSYNC,
# SRCDIR, GNU parallel and sqlite3: without them SKIP (exit 77).
set -u
: "${FASTSYNC:?FASTSYNC must name the fastsync binary}"
: "${SRCDIR:?SRCDIR must name the source directory}"
for c in parallel sqlite3; do
	if ! command -v $c >/dev/null 2>&1; then
		echo "# $c is not installed: the GNU parallel test cannot run"
		exit 77
	fi
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-par.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM
cd "$SRCDIR" || exit 1
# shellcheck source=tests/sweep_lib.sh
. "$SRCDIR/tests/sweep_lib.sh"

# shellcheck disable=SC2086
fs sweep $SW -q --db "$TMP/one.db"
# shellcheck disable=SC2086
HOME=$TMP FASTSYNC=$FASTSYNC sh "$SRCDIR/configs/cluster/parallel-sweep.sh" -n 3 \
    -o "$TMP/out.db" -d "$TMP/shards" -- $SW >"$TMP/log" 2>&1
check "parallel-sweep.sh exits 0" test $? -eq 0
check "three shard files" test "$(ls "$TMP"/shards/shard-*.db | wc -l)" = 3
rows "$TMP/one.db" >"$TMP/one"
rows "$TMP/out.db" >"$TMP/out"
check "merged rows equal the one-process sweep's" cmp -s "$TMP/one" \
    "$TMP/out"
check "eight runs, each with a UUID" test "$(sqlite3 "$TMP/out.db" \
    "SELECT count(DISTINCT uuid) FROM runs")" = 8
echo "1..$n"
[ "$failed" -eq 0 ] || sed 's/^/# /' "$TMP/log"
[ "$failed" -eq 0 ]
