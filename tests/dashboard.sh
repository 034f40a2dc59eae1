#!/bin/sh
# End-to-end tests of the dashboard, driven in tmux the way a person
# would: keys in with send-keys, the screen out with capture-pane. Needs
# FASTSYNC and SRCDIR (exported by "make check") and tmux; without tmux
# it reports SKIP (exit 77), never a pass. One TAP-like line per check.
# shellcheck disable=SC2016	# check's eval strings expand when they run
set -u

: "${FASTSYNC:?FASTSYNC must name the fastsync binary}"
: "${SRCDIR:?SRCDIR must name the source directory}"

if ! command -v tmux >/dev/null 2>&1; then
	echo "# tmux is not installed: the dashboard tests cannot run"
	exit 77
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-dash.XXXXXX") || exit 1
SOCK=$TMP/tmux.sock
DB=$TMP/runs.db
trap 'tmux -S "$SOCK" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM

n=0
failed=0
sessions=0

pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}

fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	screen | sed 's/^/#   screen: /' | head -n 30
	[ -s "$TMP/err" ] && sed 's/^/#   stderr: /' "$TMP/err" | head -n 5
}

check() {
	_desc=$1
	shift
	if "$@"; then
		pass "$_desc"
	else
		fail "$_desc"
	fi
}

t() {
	tmux -S "$SOCK" "$@"
}

# launch COLS LINES [VAR=value...] -- [fastsync arguments...]: the
# dashboard in a fresh tmux session; its status goes to $TMP/status.
launch() {
	_cols=$1
	_lines=$2
	shift 2
	_env="LANG=C.UTF-8"
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_env="$_env $1"
		shift
	done
	[ $# -gt 0 ] && shift
	# a fresh server each time: a dying one may still hold the old socket
	t kill-server 2>/dev/null
	sessions=$((sessions + 1))
	SOCK=$TMP/tmux.$sessions.sock
	rm -f "$TMP/status" "$TMP/err"
	# the pane outlives the program, so its status and screen stay
	t -f /dev/null new-session -d -s fs -x "$_cols" -y "$_lines" \
	    "cd '$SRCDIR' && env $_env '$FASTSYNC' --db '$DB' $* \
	    2>'$TMP/err'; echo \$? >'$TMP/status'; sleep 600"
}

# start COLS LINES [VAR=value...] -- [fastsync arguments...]: launch,
# then wait for the dashboard's first frame.
start() {
	launch "$@"
	wait_for 'q quit' || wait_for 'terminal too small'
}

screen() {
	t capture-pane -p -t fs 2>/dev/null
}

# wait_for PATTERN: up to 10 s for the screen to show it.
wait_for() {
	_i=0
	while [ $_i -lt 100 ]; do
		screen | grep -q -- "$1" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# wait_gone PATTERN: up to 10 s for the screen to stop showing it.
wait_gone() {
	_i=0
	while [ $_i -lt 100 ]; do
		screen | grep -q -- "$1" || return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

keys() {
	t send-keys -t fs "$@"
	sleep 0.3
}

# click X Y: a left-button press and release at column X, line Y (from
# 0), as an xterm sends them (X10 mouse protocol).
click() {
	_x=$(printf "\\%03o" $((33 + $1)))
	_y=$(printf "\\%03o" $((33 + $2)))
	t send-keys -t fs -l "$(printf "\033[M %b%b\033[M#%b%b" "$_x" "$_y" \
	    "$_x" "$_y")"
	sleep 0.3
}

# until_changes CMD OLD: up to 10 s for CMD's output to differ from OLD
# (and not be empty); prints the new value.
until_changes() {
	_i=0
	while [ $_i -lt 100 ]; do
		_v=$($1)
		if [ -n "$_v" ] && [ "$_v" != "$2" ]; then
			echo "$_v"
			return 0
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "$2"
}

# bar_x TEXT: the column where the key bar (the last line) shows TEXT.
bar_x() {
	screen | tail -n 1 | awk -v s="$1" '{ print index($0, s) - 1 }'
}

# The header's figures: simulated time, events, round, speed.
sim_t() {
	screen | sed -n '1s/.*t=\([0-9.]*\) ms.*/\1/p'
}
events() {
	screen | sed -n '1s/.* ev \([0-9]*\).*/\1/p'
}
round() {
	screen | sed -n '1s/.*round \([0-9]*\)\/.*/\1/p'
}
speed() {
	screen | sed -n '1s/.*│ \([0-9.e+]*\) ms\/s.*/\1/p'
}

# wait_status: up to 10 s for the program to end; its status in $rc.
wait_status() {
	_i=0
	while [ ! -s "$TMP/status" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	rc=$(cat "$TMP/status" 2>/dev/null || echo none)
}

# The newest run's status, from the database.
run_status() {
	"$FASTSYNC" --db "$DB" export last --table runs -f csv |
	    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status")
	    c = i } NR == 2 { print $c }'
}

every_model() {
	_s=$(screen)
	for m in asp bsp ssp dssp quorum fastsync; do
		echo "$_s" | grep -q "[ >]$m " || return 1
	done
	echo "$_s" | grep -q '│w0 ' && echo "$_s" | grep -q '│w9 '
}

# ---- It starts and shows every model and the worker rows.
start 100 32 -- --paused
check "starts paused, showing every model and worker rows" every_model
check "the header shows the run, the seed and PAUSED" eval \
    'screen | head -n 1 | grep -q "run 1 .*seed 42.*PAUSED"'

# ---- n: exactly one engine event.
e0=$(events)
keys n
e1=$(until_changes events "$e0")
check "n advances exactly one event ($e0 -> $e1)" \
    test "$e1" -eq $((e0 + 1))
keys n n n
sleep 0.3
e2=$(events)
check "three more n: three more events ($e1 -> $e2)" \
    test "$e2" -eq $((e1 + 3))

# ---- Clicks on the key bar.
e0=$(events)
click 11 31
click 11 31
sleep 0.3
e1=$(events)
check "two clicks on the bar's 'n step': two events ($e0 -> $e1)" \
    test "$e1" -eq $((e0 + 2))

# ---- r: to the focus model's next sync point.
r0=$(round)
keys r
r1=$(until_changes round "$r0")
check "r runs asp to its next round ($r0 -> $r1)" test "$r1" -eq $((r0 + 1))
check "r leaves the dashboard paused" eval 'screen | head -n 1 |
    grep -q PAUSED'
keys Tab Tab Tab Tab Tab
check "Tab five times focuses fastsync" eval \
    'screen | head -n 1 | grep -q "focus fastsync"'
r0=$(round)
keys r
r1=$(until_changes round "$r0")
check "r runs fastsync to its next sync ($r0 -> $r1)" \
    test "$r1" -eq $((r0 + 1))
check "the log says the round synced at a sync point" eval \
    'screen | grep -q "round $r0 synced at ts"'
check "the quorum panel shows clusters and the gauge" eval \
    'screen | grep -q "clusters & quorum" && screen | grep -q "ready [0-9]*/20 need 14"'

# ---- space: run, then pause; simulated time stops.
keys Space
sleep 0.5
check "space runs: RUNNING and the time moves" eval \
    'screen | head -n 1 | grep -q RUNNING'
ta=$(sim_t)
sleep 0.4
tb=$(sim_t)
check "running, simulated time advances ($ta -> $tb)" \
    awk "BEGIN { exit !($tb > $ta) }"
keys Space
check "space again shows PAUSED" wait_for 'PAUSED'
ta=$(sim_t)
sleep 0.6
keys C-l		# a redraw: the time shown is the time now
tb=$(sim_t)
check "paused, simulated time stays ($ta = $tb)" eval \
    '[ -n "$ta" ] && [ "$ta" = "$tb" ]'

# ---- + and -: the speed ladder.
s0=$(speed)
keys +
s1=$(speed)
check "+ raises the speed ($s0 -> $s1 ms/s)" \
    awk "BEGIN { exit !($s1 > $s0) }"
keys - -
s2=$(speed)
check "- lowers it ($s1 -> $s2 ms/s)" awk "BEGIN { exit !($s2 < $s1) }"

# ---- ?: help opens and closes.
keys '?'
check "? opens the help" wait_for 'help (.*closes)'
check "the help lists the keys" eval 'screen | grep -q "step one engine event"'
t resize-window -t fs -x 60 -y 15
check "resize to 60x15 on the help screen: too small" \
    wait_for 'terminal too small: need 80x24, have 60x15'
t resize-window -t fs -x 80 -y 24
check "back to 80x24: the help again" wait_for 'help (.*closes)'
keys '?'
check "? closes the help" wait_for 'models: the race'
click "$(bar_x '? help')" 23
check "a click on the bar's '? help' opens the help" wait_for 'help (.*closes)'
keys Escape
check "Esc closes it" wait_for 'models: the race'

# ---- Resize on the main screen, down and back.
t resize-window -t fs -x 60 -y 15
check "resize to 60x15: 'terminal too small: need 80x24, have 60x15'" \
    wait_for 'terminal too small: need 80x24, have 60x15'
t resize-window -t fs -x 80 -y 24
check "back to 80x24: every panel again" wait_for 'models: the race'
check "at 80x24 the key bar shows q quit and ? help" eval \
    'screen | tail -n 1 | grep -q "? help q quit"'

# ---- l: the full event log; t: the next theme.
keys l
check "l opens the full event log" wait_for 'event log, every model'
keys l
check "l closes it" wait_for 'models: the race'
keys t l
check "t switches to the next theme (the log says which)" \
    eval 'screen | grep -q "theme light"'
keys Escape

# ---- Resizes in the log and in the go-to prompt.
keys l
t resize-window -t fs -x 60 -y 15
check "resize to 60x15 in the log: too small" \
    wait_for 'terminal too small: need 80x24, have 60x15'
t resize-window -t fs -x 80 -y 24
check "back to 80x24: the log again" wait_for 'event log, every model'
keys l
keys g
t resize-window -t fs -x 60 -y 15
check "resize to 60x15 in the go-to prompt: too small" \
    wait_for 'terminal too small: need 80x24, have 60x15'
t resize-window -t fs -x 80 -y 24
check "back to 80x24: the prompt again" wait_for 'go to (round'
keys Escape

# ---- g to a round of the focus model (asp).
keys Tab
check "Tab wraps back to asp" eval 'screen | head -n 1 | grep -q "focus asp"'
keys g 4 0 Enter
check "g 40 stops asp at round 40, paused" eval \
    'wait_for "round 40/200" && screen | head -n 1 | grep -q PAUSED'

# ---- g: go to a time past the end, then q: complete, exit 0.
keys g
check "g asks where to go" wait_for 'go to (round'
keys 1 0 0 0 s Enter
check "g 1000s runs every model to the end: DONE" wait_for 'DONE'
keys q
wait_status
check "q exits 0 (got $rc)" test "$rc" = 0
check "the run is in the database as complete" test "$(run_status)" = \
    complete
check "the screen is given back (no panels left)" wait_gone 'models: the race'

# ---- The dashboard's figures are the headless ones.
# (the summary table only: show goes on with the sync models' split)
"$FASTSYNC" --db "$DB" show last | awk 'NF == 0 { exit } NR > 1 {
    print $1, $2, $3, $6, $9 }' >"$TMP/dash.txt"
"$FASTSYNC" run --headless --no-db -q -c "$SRCDIR/configs/default.cfg" |
    tail -n +2 | awk '{ print $1, $2, $3, $6, $9 }' >"$TMP/headless.txt"
check "the recorded dashboard run equals a headless run" \
    cmp -s "$TMP/dash.txt" "$TMP/headless.txt"

# ---- q before the end: interrupted, still exit 0.
start 80 24 -- -r 50
sleep 0.5
keys q
wait_status
check "q mid-run exits 0 (got $rc)" test "$rc" = 0
check "... and the run is recorded as interrupted" test "$(run_status)" = \
    interrupted

# ---- Replay: the recorded run again, checked against the record.
start 80 24 -- replay 1 --paused
check "replay shows 'replay of run 1'" eval \
    'screen | head -n 1 | grep -q "replay of run 1"'
keys g 1 0 0 0 s Enter
check "replay runs to the end" wait_for 'DONE'
keys q
wait_status
check "replay exits 0 (got $rc)" test "$rc" = 0
check "replay says every model matches the record" \
    grep -q 'every model matches the record' "$TMP/err"

# ---- Replay of a run cut short (run 2, quit at once): no false alarm.
start 80 24 -- replay 2 --paused
keys g 1 0 0 0 s Enter
check "replay of an interrupted run runs to the end" wait_for 'DONE'
keys q
wait_status
check "... exits 0 (got $rc)" test "$rc" = 0
check "... and says the record stops early, not that it differs" eval \
    'grep -q "recorded only in part" "$TMP/err" &&
    ! grep -q DIFFERS "$TMP/err"'

# ---- g can be cancelled: a long go-to, then space.
start 80 24 -- --paused --no-db -w 3000
keys g 1 0 0 0 s Enter Space
check "space cancels a go-to under way" wait_for 'go to cancelled'
check "... and pauses there" eval 'screen | head -n 1 | grep -q PAUSED'
keys q
wait_status

# ---- Signals: the terminal comes back, the run is interrupted.
start 80 24 -- -r 50
keys C-c
wait_status
check "Ctrl-C exits 130 (got $rc)" test "$rc" = 130
check "... the run is recorded as interrupted" test "$(run_status)" = \
    interrupted
check "... the screen is given back" wait_gone 'models: the race'
for sig in TERM:143 HUP:129; do
	start 80 24 -- -r 50
	pkill -"${sig%%:*}" -f "$FASTSYNC --db $DB -r 50"
	wait_status
	check "SIG${sig%%:*} exits ${sig#*:} (got $rc)" test "$rc" = "${sig#*:}"
	check "... the run is recorded as interrupted" \
	    test "$(run_status)" = interrupted
	check "... the screen is given back" wait_gone 'models: the race'
done

# ---- Colour and glyphs: TERM=xterm (8 colours), NO_COLOR, --ascii.
for env in TERM=xterm NO_COLOR=1 TERM=xterm-256color; do
	start 80 24 "$env" -- --paused -r 20
	check "$env: every model and the worker rows" every_model
	keys t
	keys q
	wait_status
	check "$env: q exits 0 (got $rc)" test "$rc" = 0
done
start 80 24 -- --paused --ascii -r 20
check "--ascii: no box-drawing or block glyphs" eval \
    '! screen | grep -q "[│─█▁⣀]"'
check "--ascii: ASCII frames" eval 'screen | grep -q "^+-"'
keys q
wait_status
check "--ascii: q exits 0" test "$rc" = 0
start 80 24 LANG=C -- --paused -r 20
check "a non-UTF-8 locale picks the ASCII glyphs" eval \
    '! screen | grep -q "[│─█▁⣀]" && screen | grep -q "^+-"'
keys q
wait_status

# ---- Many workers: a heat strip and scrolling rows.
start 100 30 -- --paused -w 500 -r 5 --no-db
check "500 workers: a scroll position 1-N/500" wait_for ' 1-[0-9]*/500 '
keys NPage
check "PgDn scrolls the worker rows" eval 'screen | grep -q " [0-9][0-9]*-[0-9]*/500 " &&
    ! screen | grep -q " 1-[0-9]*/500 "'
keys q

# ---- Real training in the dashboard (when Fashion-MNIST is installed).
if [ -r /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
	start 100 30 -- --paused --no-db -w 4 -r 10 -m bsp,fastsync \
	    --set workload=train --set train.network=softmax \
	    --set train.eval_samples=200 --set train.eval_every=2
	check "training: the race has an acc% column, the charts accuracy" \
	    eval 'screen | grep -q "acc%" && screen | grep -q "charts: round .* accuracy %"'
	keys g 1 0 0 0 s Enter
	check "training: runs to the end" wait_for 'DONE'
	check "training: each model shows an accuracy" eval \
	    'screen | grep -E -q "bsp[^0-9]*10[^ ]* +[0-9]+\.[0-9]" &&
	    screen | grep -E -q "fastsync +10[^ ]* +[0-9]+\.[0-9]"'
	# going back would retrain from the start: refused, said, unchanged
	e0=$(events)
	keys b
	check "training: b is refused on the status line, nothing changes" eval \
	    'wait_for "no going back in a training run" && [ "$(events)" = "$e0" ]'
	keys g 3 Enter
	check "training: g to an earlier round is refused the same way" eval \
	    'wait_for "no going back in a training run" && [ "$(events)" = "$e0" ] &&
	    screen | head -n 1 | grep -q DONE'
	keys q
	wait_status
	check "training: q exits 0 (got $rc)" test "$rc" = 0
else
	echo "# dataset-fashion-mnist not installed: no training in the dashboard"
fi

# ---- The quorum model: its panel, from the model's own count.
start 100 32 -- --paused --no-db -c configs/paper-20-workers.cfg -m quorum
keys g 3 0 0 m s Enter
check "quorum: the panel says the quorum model and its k" eval \
    'wait_for "quorum: quorum (quorum 0.7)" &&
    screen | grep -q "syncs at the 14-th gradient" &&
    screen | grep -q "ready [0-9]*/20 need 14"'
check "quorum: no clusters for a model that does not cluster" eval \
    '! screen | grep -q "clusters & quorum"'
check "quorum: held workers wait for the quorum" eval \
    'screen | grep -q "│w[0-9]* *quorum"'
keys q
wait_status
check "quorum: q exits 0 (got $rc)" test "$rc" = 0

# ---- Teaching: find a decision, see why, go back (issue 14).
# panel_text: the left column's text (workers, quorum panel) joined,
# so a sentence wrapped over lines reads as one.
panel_text() {
	screen | sed -n 's/^│\([^│]*\)│.*/\1/p' | tr -d '\n' | tr -s ' '
}
# fastsync's first failed check from the model's own record: a headless
# run with every event recorded (the same draws as the dashboard's), and
# from it the check (round, t, point, ready, needed), the gradients at
# the PS since the last sync, and who was present and missing.
first_fail() {
	_db=$TMP/events.$2.db
	rm -f "$_db"
	"$FASTSYNC" run --headless -m fastsync -c "$SRCDIR/$1" --db "$_db" \
	    --set record.events=true >/dev/null 2>&1 || return 1
	sqlite3 -separator '|' "$_db" "
	WITH c AS (SELECT seq, t, round, point, ready, needed FROM events
	    WHERE model = 'fastsync' AND type = 'quorum' AND pass = 0
	    ORDER BY seq LIMIT 1),
	s AS (SELECT COALESCE(MAX(e.seq), -1) AS seq FROM events e, c
	    WHERE e.model = 'fastsync' AND e.type = 'sync' AND e.seq < c.seq),
	w AS (SELECT DISTINCT e.worker FROM events e, c
	    WHERE e.model = 'fastsync' AND e.worker IS NOT NULL AND e.seq < c.seq
	    AND COALESCE((SELECT l.type FROM events l WHERE l.model = 'fastsync'
	    AND l.worker = e.worker AND l.type IN ('leave', 'join')
	    AND l.seq < c.seq ORDER BY l.seq DESC LIMIT 1), 'join') = 'join'),
	a AS (SELECT DISTINCT e.worker FROM events e, c, s
	    WHERE e.model = 'fastsync' AND e.type = 'arrive' AND e.seq > s.seq
	    AND e.seq < c.seq)
	SELECT c.round, printf('%.1f', c.t), c.point, c.ready, c.needed,
	    (SELECT COUNT(*) FROM a), (SELECT group_concat('w' || worker, ' ')
	    FROM (SELECT worker FROM w WHERE worker NOT IN
	    (SELECT worker FROM a) ORDER BY worker))
	FROM c;"
}
# The quorum panel at each size, on three configs: C goes to the first
# failed check, and the panel says it whole (round, time, point, ready
# against needed, every missing worker by name, what comes next), each
# figure equal to the recorded run's.
for cfg in paper-5-workers teaching default; do
	if ! command -v sqlite3 >/dev/null 2>&1; then
		echo "# sqlite3 is not installed: the panel cannot be checked"
		failed=$((failed + 1))
		break
	fi
	rec=$(first_fail "configs/$cfg.cfg" "$cfg")
	IFS='|' read -r fr ft fp fready fneed farrived fmissing <<EOF2
$rec
EOF2
	check "$cfg: the recorded run has a failed check, ready = gradients at the PS ($fready = $farrived)" eval \
	    '[ -n "$fr" ] && [ "$fready" = "$farrived" ]'
	for size in 80x24 120x40 200x60; do
		start "${size%x*}" "${size#*x}" -- --paused --no-db \
		    -c "configs/$cfg.cfg"
		keys C
		check "$cfg $size: C stops at the recorded first failed check" \
		    wait_for "fastsync's $fp check for round $fr failed at t=$ft ms: $fready ready, $fneed needed"
		check "$cfg $size: the header is at its time and on fastsync" eval \
		    'screen | head -n 1 | grep -q "t=$ft ms.*focus fastsync"'
		check "$cfg $size: the panel says the check whole, every missing worker ($fmissing), what comes next" eval \
		    'panel_text | grep -q "last check: $fp for round $fr at t=$ft failed: $fready ready < $fneed needed; missing $fmissing; so [^;]* next"'
		keys q
		wait_status
	done
done

start 120 40 -- --paused --no-db -c configs/paper-5-workers.cfg
check "Spc resume on the bar while paused" wait_for 'Spc resume'
keys c
check "c: to fastsync's next quorum check" wait_for "check for round 1 "
check "the panel shows the plan's inputs: ts1 = mean + sd" eval \
    'panel_text | grep -q "ts[12] = .*mean [0-9.]* + sd [0-9.]* = [0-9.]*"'
check "... and the gauge with fresh and deferred apart" eval \
    'panel_text | grep -q "ready [0-9]/5 need 4 ([0-9] fresh, [0-9] deferred)"'
keys C
t1=$(sim_t)
keys C
check "C again: the next failed check, later" eval \
    't2=$(until_changes sim_t "$t1"); awk "BEGIN { exit !($t2 > $t1) }"'
keys K
check "K: to the next re-clustering" wait_for 're-clustered before round'
e0=$(events)
keys n
keys b
check "b: back to the same event count ($e0)" eval \
    'wait_for "back one event" && test "$(events)" = "$e0"'
keys f
check "f: n steps only the focus model's events" \
    wait_for 'only the focus model'
keys n n
check "... told in words with the gradient's versions and tau" eval \
    '! screen | grep -q "w-1\|round -1"'
keys g 0 Enter
check "g 0 goes back to the start" eval \
    'wait_for "back at round 0" && screen | head -n 1 | grep -q "t=0.0 ms"'
keys g a b c Enter
check "a bad g is an error on the status line" \
    wait_for 'go to: expected a round'
keys j Enter
check "Enter opens the selected worker's card" eval \
    'wait_for "w1 of fastsync" && screen | grep -q "Class: "'
keys j
check "j: the next worker's card" wait_for 'w2 of fastsync'
keys Escape
check "Esc closes it" wait_gone 'w2 of fastsync'
click 2 6
check "a click on a worker's row opens its card" wait_for 'w2 of fastsync'
keys Escape
keys C l
check "l: the log" wait_for 'event log, every model'
keys '&' q u o r u m Enter
check "& quorum: only the quorum checks" eval \
    'wait_for "only .quorum." && ! screen | sed -n "2,38p" | grep -v "check for round\|^│ *[a-z]" | grep -q "t= "'
keys '&' Enter / n o t i f i e d Enter
check "/ notified: the first match, said on the status line" \
    wait_for "'notified': line"
m1=$(screen | tail -n 1)
keys n
check "n: the next match back" eval \
    'wait_for "'"'"'notified'"'"': line" && [ "$(screen | tail -n 1)" != "$m1" ]'
keys N
check "N: forward again, to the same match" eval \
    '[ "$(screen | tail -n 1)" = "$m1" ]'
keys G g Escape
check "G, g, Esc: back to the panels" wait_for 'models: the race'
keys F1
check "F1 opens the help" wait_for 'help (.*closes)'
keys F1
check "F1 closes it" wait_for 'models: the race'
keys F10
wait_status
check "F10 quits with 0 (got $rc)" test "$rc" = 0

# Going somewhere that takes a while says where; staleness abbreviated.
start 120 40 -- --no-db -c configs/large.cfg
keys g 4 0 Enter
check "GOING shows its target" wait_for 'GOING to round 40 of asp'
check "... and Spc cancels it (the bar says so)" wait_for 'Spc cancel'
keys Space
# then to round 3, whatever the machine's speed: ASP's stale gradients are
# in the tens of thousands by then
keys g 3 Enter
wait_gone 'GOING to round'
check "at 120 columns, 10,000 workers: staleness with a unit, never cut" \
    eval 'wait_for "stale [0-9.]*k " && ! screen | grep -q "stale [0-9]\{4,\}"'
keys q
wait_status

# The race's figures at the end of a 10,000-worker run, at 120 and 80
# columns: each cell, read with its unit (11.8k, 12.3s), equals the
# headless run's figure (within the abbreviation's precision): a cut or
# run-on number fails. The charts' latest values share one column.
"$FASTSYNC" run --headless -c "$SRCDIR/configs/large.cfg" -r 8 -f csv \
    --no-db >"$TMP/large.csv" 2>/dev/null
models_vs_csv() {
	# a glyph a column (awk counts bytes)
	screen | sed -n 's/^│[^│]*││\([^│]*\)│.*/\1/p' |
	    LC_ALL=C.UTF-8 sed 's/[^ -~]/#/g' | awk -F'\n' -v csv="$TMP/large.csv" '
	function val(s, unit,   n, u) {
		# the cell is right-aligned under its head: its last word
		sub(/ +$/, "", s)
		sub(/.* /, "", s)
		if (s !~ /^[0-9.]+[kMGsmhd]?$/)
			return "bad"
		u = substr(s, length(s))
		n = s + 0
		if (u == "k") n *= 1e3; else if (u == "M") n *= 1e6
		else if (u == "G") n *= 1e9
		else if (u == "s") n *= (unit == "ms" ? 1e3 : 1)
		else if (u == "m") n *= (unit == "ms" ? 6e4 : 60)
		else if (u == "h") n *= (unit == "ms" ? 3.6e6 : 3600)
		return n
	}
	BEGIN {
		while ((getline line < csv) > 0) {
			nf = split(line, f, ",")
			if (f[1] == "model") { for (i = 1; i <= nf; i++) h[f[i]] = i; continue }
			want[f[1], "stale%"] = f[h["stale_pct"]]
			want[f[1], "sync ms"] = f[h["round_mean_ms"]]
			want[f[1], "grad/s"] = f[h["throughput"]]
			want[f[1], "time s"] = f[h["time_ms"]] / 1000
			want[f[1], "max"] = f[h["staleness_max"]]
			want[f[1], "fresh"] = f[h["fresh"]]
			want[f[1], " stale"] = f[h["stale"]]
		}
		nl = split("rnd,stale%,sync ms,rounds,grad/s,time s,max,fresh, stale", lab, ",")
	}
	/^model/ {
		at = 1
		for (k = 1; k <= nl; k++) {
			p = index(substr($0, at), lab[k])
			if (p == 0) { end[k] = 0; continue }
			end[k] = at + p - 1 + length(lab[k]) - 1
			at = end[k] + 1
		}
		prev = 0
		for (k = 1; k <= nl; k++) if (end[k]) { beg[k] = prev + 1; prev = end[k] }
		next
	}
	/^[> ][a-z]/ {
		name = substr($0, 2, 8); gsub(/ .*/, "", name)
		for (k = 1; k <= nl; k++) {
			if (!end[k] || lab[k] == "rnd" || lab[k] == "rounds") continue
			cell = substr($0, beg[k] + 1, end[k] - beg[k])
			v = val(cell, lab[k] == "sync ms" ? "ms" : "s")
			w = want[name, lab[k]]
			checked++
			if (v == "bad" || v - w > 0.05 * w + 0.051 || w - v > 0.05 * w + 0.051) {
				printf "%s %s: shows \"%s\", the run has %s\n", name, lab[k], cell, w
				bad++
			}
		}
	}
	END { if (checked < 12) { print "only " checked " cells"; bad++ }; exit bad > 0 }'
}
charts_aligned() {
	screen | sed -n 's/^│[^│]*││\([^│]*\)│.*/\1/p' |
	    LC_ALL=C.UTF-8 sed 's/[^ -~]/#/g' |
	    grep -E '^(asp|bsp|ssp|dssp|quorum|fastsync) ' | awk '
	# the latest values: right-aligned in the last 5 columns, after a
	# space; the round times end in one column too
	{ v = $NF
	  if (v !~ /^[0-9.]+[kMG]?$/ || length(v) > 5 ||
	      substr($0, length($0) - 5, 1) != " ") bad++
	  if (!match($0, / [0-9.]+[kMG]? /)) bad++
	  n = RSTART + RLENGTH
	  if (last != "" && n != last) bad++
	  last = n; rows++ }
	END { exit !(rows >= 2 && !bad) }'
}
for size in 120x40 80x24; do
	start "${size%x*}" "${size#*x}" -- --no-db -c configs/large.cfg -r 8 \
	    --speed max
	check "large.cfg $size: runs to the end" eval 'wait_for DONE || wait_for DONE'
	check "large.cfg $size: the race's figures equal the run's, with units, never cut" \
	    models_vs_csv
	check "large.cfg $size: the charts' latest values in one column, with units" \
	    charts_aligned
	keys q
	wait_status
done

# ---- Lessons, end to end: every step's box, then the end.
for lesson in staleness barriers ssp-bound quorum; do
	start 120 40 -- lesson "$lesson"
	check "lesson $lesson: the intro's box" wait_for "lesson $lesson: "
	keys Space
	check "lesson $lesson: step 1's box" wait_for "step 1 of [0-9]"
	steps=$(screen | sed -n 's/.*step 1 of \([0-9]*\).*/\1/p' | head -n 1)
	k=1
	while [ "$k" -lt "${steps:-1}" ]; do
		k=$((k + 1))
		keys Space
		wait_for "step $k of $steps" || break
	done
	check "lesson $lesson: all $steps steps, each decision reached" eval \
	    'screen | grep -q "step $steps of $steps" &&
	    ! screen | grep -q "The run ended before"'
	check "lesson $lesson: the box points at its panel" \
	    wait_for 'panel: look here'
	keys Space
	check "lesson $lesson: then the end" wait_for 'end of the lesson'
	keys q
	wait_status
	check "lesson $lesson: q exits 0 (got $rc)" test "$rc" = 0
done
# The quorum lesson's boxes name the decision the dashboard is at: the
# failed check's point and round are the quorum panel's last check, the
# notification is that check's (same round and point, a worker the log
# says was notified), the syncs' rounds are the header's.
right_text() {
	screen | sed -n 's/.*│\([^│]*\)│ *$/\1/p' | tr -d '\n' | tr -s ' '
}
# box_text: the lesson box's text joined, wherever the box is (the
# columns before its corner cut off, counted in characters).
box_text() {
	screen >"$TMP/scr"
	_pre=$(grep -m 1 '┌─ lesson' "$TMP/scr" | sed 's/┌─ lesson.*//' |
	    LC_ALL=C.UTF-8 wc -m)
	sed -n '/┌─ lesson/,$p' "$TMP/scr" |
	    LC_ALL=C.UTF-8 sed "s/^.\{$((_pre - 1))\}//" |
	    sed -n '2,/^└/s/^│\([^│]*\)│.*/\1/p' | tr -d '\n' | tr -s ' '
}
start 120 40 -- lesson quorum
keys Space
wait_for "step 1 of"
keys Space
wait_for "step 2 of"
set -- $(box_text | sed -n 's/.*The \(ts[123]\) check for round \([0-9]*\) failed: only \([0-9]*\) gradients.*/\1 \2 \3/p')
lp=${1:-none} lr=${2:-none} lready=${3:-none}
check "lesson quorum step 2: the box's check ($lp, round $lr) is the panel's last check" eval \
    'panel_text | grep -q "last check: $lp for round $lr at t=[0-9.]* failed: $lready ready <"'
keys Space
wait_for "step 3 of"
set -- $(box_text | sed -n "s/.*Round \([0-9]*\)'s \(ts[123]\) check failed, so \(w[0-9]*\) (in C2).*/\1 \2 \3/p")
nr=${1:-none} np=${2:-none} nw=${3:-none}
check "lesson quorum step 3: the notification is that check's (round $lr $lp = $nr $np), and the log says $nw was notified" eval \
    '[ "$nr" = "$lr" ] && [ "$np" = "$lp" ] &&
    right_text | grep -q "$nw is notified late ($lp failed)"'
# the box may cover the log: the header's round and the quorum panel's
for point in fallback ts1; do
	keys Space
	wait_for "step [45] of"
	r=$(box_text | sed -n "s/.*Round \([0-9]*\) synced at \(the \)*$point.*/\1/p")
	check "lesson quorum: the $point sync's round (${r:-none}) is the one just synced (header, quorum panel)" eval \
	    '[ -n "$r" ] && [ "$(round)" = "$((r + 1))" ] &&
	    panel_text | grep -q "round $((r + 1)): "'
done
keys q
wait_status

start 120 40 -- lesson quorum
keys Space Escape
check "Esc closes a lesson's box; L brings it back" eval \
    'wait_gone "step 1 of" && { keys L; wait_for "step 1 of"; }'
keys q
wait_status

# ---- Too small from the start: it says so and q still quits.
start 70 20 -- --paused --no-db
check "too small at start: says need 80x24, have 70x20" \
    wait_for 'terminal too small: need 80x24, have 70x20'
keys q
wait_status
check "... and q quits with 0 (got $rc)" test "$rc" = 0

# ---- Terminals the dashboard cannot draw on (the bad-input table's
# "terminal" rows; "too small" is just above): refused before the screen
# is touched, one line, exit 2, nothing recorded. A type without cursor
# addressing is made with tic (ncurses ships few such entries).
TI=$TMP/terminfo
printf 'nocup|a terminal without cursor addressing,\n\tam, cols#80, lines#24, bel=^G, clear=\\E[H\\E[2J, cr=\\r,\n' |
    tic -o "$TI" - 2>/dev/null
while IFS='|' read -r term want; do
	rm -f "$DB"
	launch 100 30 "TERM=$term" "TERMINFO=$TI" -- run --paused
	wait_status
	check "TERM=$term: exit 2 (got $rc), one line: $want" eval \
	    '[ "$rc" = 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
	    grep -q "^fastsync: $want" "$TMP/err"'
	check "TERM=$term: the screen untouched, nothing recorded" eval \
	    '! screen | grep -q "q quit" && [ ! -e "$DB" ]'
done <<EOF
dumb|terminal type .dumb. cannot address the cursor.*use a headless command.*or another TERM
nocup|terminal type .nocup. cannot address the cursor.*use a headless command.*or another TERM
no-such-term|cannot use terminal type .no-such-term.; set TERM, or use --headless
EOF

echo "1..$n"
[ "$failed" -eq 0 ]
