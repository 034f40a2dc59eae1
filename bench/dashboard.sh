#!/bin/sh
# Dashboard benchmark: with 10,000 workers, frames per second and the
# process's CPU share while it runs (at a speed the engines keep up with,
# and at max speed, where they take all the time a frame allows), and
# its CPU share over 10 s paused. Figures only, nothing passes or fails.
# Needs tmux (the dashboard needs a terminal). Usage: dashboard.sh FASTSYNC
set -eu
prog=$(cd "$(dirname "${1:-./fastsync}")" && pwd)/$(basename "${1:-./fastsync}")
src=$(cd "$(dirname "$0")/.." && pwd)
secs=${SECS:-10}
workers=${WORKERS:-10000}
command -v tmux >/dev/null || { echo "dashboard bench: needs tmux"; exit 0; }
tmp=$(mktemp -d)
sock=$tmp/sock
trap 'tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
hz=$(getconf CLK_TCK)
name_n=0

# cpu PID: user + system clock ticks so far
cpu() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# one NAME ARGS...: run the dashboard for $secs s, print its figures
one() {
	name=$1
	shift
	tmux -S "$sock" kill-server 2>/dev/null || true
	sock=$tmp/sock.$name_n
	name_n=$((name_n + 1))
	tmux -S "$sock" -f /dev/null new-session -d -s b -x 160 -y 50 \
	    "cd '$src' && LANG=C.UTF-8 '$prog' --no-db -v -w $workers $* \
	    2>'$tmp/err'; sleep 60"
	sleep 2		# start-up and the first frames
	pid=$(pgrep -f "^$prog --no-db -v -w $workers" | head -n 1)
	c0=$(cpu "$pid")
	sleep "$secs"
	c1=$(cpu "$pid")
	tmux -S "$sock" send-keys -t b q
	sleep 1
	awk -v n="$name" -v c0="$c0" -v c1="$c1" -v hz="$hz" -v s="$secs" '
	/dashboard:/ { fps = $0; sub(/.*\(/, "", fps); sub(/ fps.*/, "", fps)
		dr = $0; sub(/.*drawing /, "", dr); sub(/%.*/, "", dr)
		st = $0; sub(/.*stepping /, "", st); sub(/%.*/, "", st)
		ev = $(NF - 1) }
	END { f = "%-22s %5s fps  CPU %5.1f%% of a core"
		f = f " (drawing %4s%%, stepping %4s%%)  %s events\n"
		printf f, n, fps, 100 * (c1 - c0) / hz / s, dr, st, ev }' "$tmp/err"
}

echo "dashboard, $workers workers, ${secs} s each (the whole run, fps over it):"
one "running at 100 ms/s" --speed 100
one "running at 1000 ms/s" --speed 1000
one "running at max speed" --speed max
one "paused" --paused
