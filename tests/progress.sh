#!/bin/sh
# A headless run's progress on stderr, seen in tmux: while the run goes,
# each model has its own line, with the time so far and an ETA; the lines
# are gone at the end; nothing is printed when stderr is not a terminal
# or with -q. Needs FASTSYNC and SRCDIR (exported by "make check") and
# tmux; without tmux it reports SKIP (exit 77). One TAP-like line a check.
# shellcheck disable=SC2016	# check's eval strings expand when they run
set -u

: "${FASTSYNC:?FASTSYNC must name the fastsync binary}"
: "${SRCDIR:?SRCDIR must name the source directory}"

if ! command -v tmux >/dev/null 2>&1; then
	echo "# tmux is not installed: the progress tests cannot run"
	exit 77
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-progress.XXXXXX") || exit 1
SOCK=$TMP/tmux.sock
trap 'tmux -S "$SOCK" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM

n=0
failed=0

check() {
	_desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $_desc"
	else
		failed=$((failed + 1))
		echo "not ok $n - $_desc"
		screen | sed 's/^/#   screen: /' | head -n 20
	fi
}

screen() {
	tmux -S "$SOCK" capture-pane -p -t fs 2>/dev/null
}

# wait_for PATTERN: up to 30 s for the screen to show it.
wait_for() {
	_i=0
	while [ $_i -lt 300 ]; do
		screen | grep -q -- "$1" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# A run long enough to be seen going (~3-6 s a model), stdout to
# a file: only the progress is on the pane.
RUN="'$FASTSYNC' --headless --no-db -w 1000 -r 1000 -j 2 -m asp,bsp,ssp,quorum"
tmux -S "$SOCK" -f /dev/null new-session -d -s fs -x 100 -y 30 \
    "cd '$SRCDIR' && $RUN >'$TMP/out'; echo \$? >'$TMP/status'; sleep 600"
check "a line per model while the run goes" eval \
    'wait_for "^asp  .*/1000 running" && screen | grep -q "^bsp " &&
    screen | grep -q "^ssp  .*/1000 waiting" && screen | grep -q "^quorum "'
check "the time so far and an ETA" eval \
    'wait_for "^elapsed [0-9.ms]*  ETA [0-9.ms]*$"'
check "the rounds move" eval \
    'a=$(screen | grep "^asp "); sleep 0.7; b=$(screen | grep "^asp ");
    [ -n "$b" ] && [ "$a" != "$b" ]'
i=0
while [ ! -s "$TMP/status" ] && [ $i -lt 1200 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the run ends with 0" eval '[ "$(cat "$TMP/status")" = 0 ]'
check "... and its lines are gone" eval \
    '! screen | grep -q "ETA" && ! screen | grep -q "running"'
check "stdout has the table alone" eval \
    'grep -q "^quorum" "$TMP/out" && ! grep -q "ETA" "$TMP/out"'

# -q in a terminal, and stderr not a terminal: nothing at all
tmux -S "$SOCK" kill-server 2>/dev/null
rm -f "$TMP/status"
tmux -S "$SOCK" -f /dev/null new-session -d -s fs -x 100 -y 30 \
    "cd '$SRCDIR' && $RUN -q >/dev/null; echo \$? >'$TMP/status'; sleep 600"
check "-q: no progress" eval \
    'sleep 2; ! screen | grep -q "running\|ETA"'
(cd "$SRCDIR" && eval "$RUN -r 20" >/dev/null 2>"$TMP/err")
check "stderr not a terminal: nothing on it" eval '[ ! -s "$TMP/err" ]'

echo "1..$n"
[ "$failed" -eq 0 ]
