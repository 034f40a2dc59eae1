#!/bin/sh
# Concurrent writers: four headless fastsync processes on configs/large.cfg
# and a paused dashboard (a round recorded, then left paused) record into
# one database at once. Every run must finish complete, none "busy".
# Needs FASTSYNC and SRCDIR; the dashboard needs tmux (SKIP, exit 77,
# without it: never a pass).
set -u

: "${FASTSYNC:?FASTSYNC must name the fastsync binary}"
: "${SRCDIR:?SRCDIR must name the source directory}"

if ! command -v tmux >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1
then
	echo "# tmux or sqlite3 is not installed: the concurrency test cannot run"
	exit 77
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-conc.XXXXXX") || exit 1
SOCK=$TMP/tmux.sock
DB=$TMP/runs.db
trap 'tmux -S "$SOCK" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM

# shellcheck source=tests/sweep_lib.sh
. "$SRCDIR/tests/sweep_lib.sh"
t() {
	tmux -S "$SOCK" "$@"
}
q() {
	sqlite3 "$DB" "$1"
}

# the dashboard: paused, one round stepped and recorded, left paused
t -f /dev/null new-session -d -s fs -x 100 -y 30 \
    "cd '$SRCDIR' && env LANG=C.UTF-8 '$FASTSYNC' --db '$DB' --paused \
    -w 200 -r 50 2>'$TMP/dash.err'; echo \$? >'$TMP/dash.status'; sleep 600"
i=0
until t capture-pane -p -t fs 2>/dev/null | grep -q 'q quit'; do
	i=$((i + 1))
	[ $i -gt 100 ] && break
	sleep 0.1
done
t send-keys -t fs r
sleep 1
check "the dashboard recorded its first round" \
    test "$(q "SELECT count(*) FROM rounds")" -gt 0

# four recording processes at once, while the dashboard stays paused
for k in 1 2 3 4; do
	(cd "$SRCDIR" && "$FASTSYNC" run --headless -q -c configs/large.cfg \
	    -w 3000 -r 2 -j 1 --name "w$k" --db "$DB" \
	    >"$TMP/out.$k" 2>"$TMP/err.$k"; echo $? >"$TMP/status.$k") &
done
wait
for k in 1 2 3 4; do
	check "writer $k exits 0" test "$(cat "$TMP/status.$k")" = 0
	check "writer $k: no busy error" eval "! grep -q busy '$TMP/err.$k'"
done
check "four complete runs, six models each" test \
    "$(q "SELECT count(*) FROM runs r JOIN run_models m ON m.run = r.id
    WHERE r.name LIKE 'w_' AND r.status = 'complete'
    AND m.status = 'complete'")" = 24
check "every worker row of every model" test \
    "$(q "SELECT count(*) FROM workers w JOIN runs r ON r.id = w.run
    WHERE r.name LIKE 'w_'")" = 72000
# the dashboard goes on recording after them, and quits cleanly
t send-keys -t fs r
sleep 0.5
t send-keys -t fs q
i=0
while [ ! -s "$TMP/dash.status" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the dashboard exits 0" test "$(cat "$TMP/dash.status" 2>/dev/null)" = 0
check "the dashboard: no busy error" eval "! grep -q busy '$TMP/dash.err'"
check "the dashboard's run ended, not left running" test \
    "$(q "SELECT count(*) FROM runs WHERE name IS NULL AND status
    IN ('complete', 'interrupted')")" = 1
echo "1..$n"
[ "$failed" -eq 0 ]
