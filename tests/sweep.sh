#!/bin/sh
# fastsync sweep end to end: bad input (one line naming the option, exit
# 2, nothing recorded), the same rows at -j 1, -j 2 and one run at a time,
# resume, the points' queryable values, show SWEEP and export SWEEP.
# Needs FASTSYNC and SRCDIR, and sqlite3 (SKIP, exit 77, without it).
set -u

: "${FASTSYNC:?FASTSYNC must name the fastsync binary}"
: "${SRCDIR:?SRCDIR must name the source directory}"
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "# sqlite3 is not installed: the sweep tests cannot run"
	exit 77
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-sweep.XXXXXX") || exit 1
[ -n "${KEEP:-}" ] || trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM
cd "$SRCDIR" || exit 1

# shellcheck source=tests/sweep_lib.sh
. "$SRCDIR/tests/sweep_lib.sh"

# bad input: OPTIONS | what the one line must say
while IFS='|' read -r args says; do
	[ -z "$args" ] && continue
	# shellcheck disable=SC2086	# the table's arguments split on purpose
	fs sweep $args --db "$TMP/bad.db" -q >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "sweep $args: exit 2, one line naming $says, nothing recorded" \
	    eval "[ $rc -eq 2 ] && [ \$(grep -c '^fastsync:' '$TMP/err') -eq 1 ] &&
	    grep -q -- '$says' '$TMP/err' && [ ! -e '$TMP/bad.db' ]"
done <<'TABLE'
--name just-a-name|nothing to sweep
--vary rounds|--vary
--vary =1,2|--vary
--vary rounds=1,,2|--vary
--vary rounds=1:5|--vary
--vary rounds=5:1:1|--vary
--vary rounds=1:5:0|--vary
--vary rounds=a:5:1|--vary
--vary rounds=1,2 --vary rounds=3|--vary
--vary seed=1,2|--seeds
--vary no.such.key=1,2|unknown key
--vary rounds=0,5|--vary rounds=0
--vary rounds=5 --seeds 0|--seeds
--vary rounds=5 --seeds 2-1|--seeds
--vary rounds=5 --seeds x|--seeds
--vary rounds=5 --shard 0/2|--shard
--vary rounds=5 --shard 3/2|--shard
--vary rounds=5 --shard 1|--shard
--vary rounds=5 --name 12|--name
TABLE

# shellcheck disable=SC2086
fs sweep $SW -j 2 --db "$TMP/j2.db" -q
check "sweep -j 2 exits 0" test $? -eq 0
# shellcheck disable=SC2086
fs sweep $SW -j 1 --db "$TMP/j1.db" -q
check "sweep -j 1 exits 0" test $? -eq 0
check "eight runs, all complete" test "$(sqlite3 "$TMP/j2.db" \
    "SELECT count(*) FROM runs WHERE status = 'complete'
    AND sweep IS NOT NULL")" = 8
rows "$TMP/j2.db" >"$TMP/j2"
rows "$TMP/j1.db" >"$TMP/j1"
check "-j 2 and -j 1 give the same rows" cmp -s "$TMP/j1" "$TMP/j2"
# the same points one run at a time, then marked as the sweep's
for q in 0.5 0.7; do
	for w in 6 9; do
		for s in 1 2; do
			fs run --headless -q -r 12 \
			    --set models.quorum.quorum=$q \
			    --set workers.count=$w --seed $s \
			    --db "$TMP/one.db" >/dev/null
		done
	done
done
sqlite3 "$TMP/one.db" "ATTACH '$TMP/j1.db' AS j; UPDATE main.runs SET
    point = (id - 1) / 2, point_values = (SELECT x.point_values FROM
    j.runs x WHERE x.id = main.runs.id)"
rows "$TMP/one.db" >"$TMP/one"
check "the rows of one run at a time (fastsync run --set ... --seed)" \
    cmp -s "$TMP/j1" "$TMP/one"
check "run_points: each run's keys and seed, typed" test "$(sqlite3 \
    "$TMP/j1.db" "SELECT count(*) FROM run_points WHERE key = 'workers.count'
    AND typeof(value) = 'integer'")-$(sqlite3 "$TMP/j1.db" "SELECT
    count(*) FROM run_points WHERE key = 'models.quorum.quorum' AND
    typeof(value) = 'real'")-$(sqlite3 "$TMP/j1.db" "SELECT count(*)
    FROM run_points WHERE key = 'seed'")" = 8-8-8

# resume: an interrupted run is run again, the complete ones are kept
sqlite3 "$TMP/j1.db" "UPDATE runs SET status = 'interrupted' WHERE id = 3"
# shellcheck disable=SC2086
fs sweep $SW -j 2 --db "$TMP/j1.db" 2>"$TMP/err"
check "resume exits 0" test $? -eq 0
check "resume: 7 complete kept, 1 run again, the interrupted one gone" \
    test "$(sqlite3 "$TMP/j1.db" "SELECT count(*), sum(id = 3),
    sum(status = 'complete') FROM runs")" = "8|0|8"
rows "$TMP/j1.db" >"$TMP/j1r"
check "resume: the same rows as before" cmp -s "$TMP/j1" "$TMP/j1r"
# shellcheck disable=SC2086
fs sweep $SW --db "$TMP/j1.db" 2>"$TMP/err"
check "a complete sweep again runs nothing" grep -q \
    "0 runs recorded.*8 already complete" "$TMP/err"
# shellcheck disable=SC2086
fs sweep $SW --seeds 3 --name sweep-x --db "$TMP/j1.db" -q
fs sweep --vary rounds=3 --name sweep-x --db "$TMP/j1.db" -q 2>"$TMP/err"
check "a name taken by another sweep: exit 2, said" eval \
    "[ $? -eq 2 ] && grep -q 'other settings' '$TMP/err'"
# statistics and the tidy table
name=$(sqlite3 "$TMP/j2.db" "SELECT name FROM sweeps")
fs show "$name" --db "$TMP/j2.db" >"$TMP/show"
check "show SWEEP: four points, six models each, with intervals" eval \
    "[ \$(grep -c '^point ' '$TMP/show') -eq 4 ] &&
    [ \$(grep -c '^  fastsync  *2 ' '$TMP/show') -eq 4 ] &&
    grep -q '±' '$TMP/show'"
check "show SWEEP: bsp against itself is exactly 1, paired ratios said" \
    eval "grep -q '^  bsp .*1.000 \[1.000, 1.000\]' '$TMP/show' &&
    grep -q 'common random numbers' '$TMP/show'"
fs show "$name" --baseline asp --db "$TMP/j2.db" >"$TMP/show"
check "show SWEEP --baseline asp" grep -q '^  asp .*1.000 \[1.000, 1.000\]' \
    "$TMP/show"
fs export "$name" --db "$TMP/j2.db" >"$TMP/csv"
check "export SWEEP: the keys and seed as columns, a row per run and model" \
    eval "head -n 1 '$TMP/csv' | grep -q \
    '^run,uuid,point,models.quorum.quorum,workers.count,seed,model,kind,' &&
    [ \$(wc -l <'$TMP/csv') -eq 49 ]"
fs export "$name" -f json --db "$TMP/j2.db" >"$TMP/json"
check "export SWEEP -f json: 48 objects" test "$(sqlite3 :memory: \
    "SELECT json_array_length(readfile('$TMP/json'))")" = 48
# shards: three slices into their own files, merged, are the sweep
for i in 1 2 3; do
	# shellcheck disable=SC2086
	fs sweep $SW -q --shard $i/3 --db "$TMP/shard$i.db"
done
fs merge "$TMP/m.db" "$TMP/shard1.db" "$TMP/shard2.db" "$TMP/shard3.db" -q
check "merge exits 0" test $? -eq 0
rows "$TMP/m.db" >"$TMP/m"
check "three shards merged: the one-process sweep's rows" \
    cmp -s "$TMP/j1" "$TMP/m"
fs merge "$TMP/m.db" "$TMP/shard2.db" "$TMP/shard1.db" 2>"$TMP/err"
check "merging again adds nothing" eval "[ \$(sqlite3 '$TMP/m.db' \
    'SELECT count(*) FROM runs') -eq 8 ] && grep -q '0 runs added' '$TMP/err'"
fs show "$name" --db "$TMP/m.db" >"$TMP/mshow"
fs show "$name" --db "$TMP/j2.db" >"$TMP/show"
check "show SWEEP of the merged file: the same" cmp -s "$TMP/show" \
    "$TMP/mshow"
# SIGKILL-free sweep resumed into the merged file: nothing left to run
# shellcheck disable=SC2086
fs sweep $SW --db "$TMP/m.db" 2>"$TMP/err"
check "the merged sweep is complete" grep -q "0 runs recorded" "$TMP/err"
sqlite3 "$TMP/shard1.db" "UPDATE run_models SET time_ms = time_ms + 1"
fs merge "$TMP/m.db" "$TMP/shard1.db" 2>"$TMP/err"
check "a run differing under the same UUID: refused, exit 2, said" eval \
    "[ $? -eq 2 ] && grep -q 'differs from run' '$TMP/err' &&
    [ \$(sqlite3 '$TMP/m.db' 'SELECT count(*) FROM runs') -eq 8 ]"
fs merge "$TMP/m.db" "$TMP/nothing.db" 2>"$TMP/err"
check "merging a missing file: exit 2" test $? -eq 2
echo "1..$n"
[ "$failed" -eq 0 ]
