#!/bin/sh
# Engine benchmark: events/s, ns/event and peak memory per model at 1,000
# and 100,000 workers x 100 rounds (FASTSYNC_BENCH_BIG=1 adds 1,000,000
# workers, ~2 minutes a model), then the scaling ratios; FastSync's
# clustering alone; and the cost of recording a run in SQLite. Figures
# only: nothing here passes or fails.
# FASTSYNC_BENCH_BASE=OLD-fastsync-bench runs an older build's benchmark
# interleaved with this one and prints each model's ratio (new / old, the
# median over the pairs): the machine is shared, so only ratios measured
# in one run compare.
# Usage: bench.sh PATH-TO-fastsync-bench [PATH-TO-fastsync]
set -eu
bin=${1:-./bench/fastsync-bench}
prog=${2:-./fastsync}
rounds=${ROUNDS:-100}
sizes=${SIZES:-"1000 100000"}
[ "${FASTSYNC_BENCH_BIG:-0}" = 1 ] && sizes="$sizes 1000000"
base=${FASTSYNC_BENCH_BASE:-}
runs=${RUNS:-3}
out=$(mktemp)
pairs=$(mktemp)
trap 'rm -f "$out" "$pairs"' EXIT

# median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

printf '%-5s %8s %6s %12s %8s %8s %8s %10s %8s\n' model workers rounds \
    events seconds ns/event Mev/s peak_kB cpu_ns/ev
for m in asp bsp ssp dssp quorum fastsync; do
	for n in $sizes; do
		# the median run of several (by wall ns/event): the machine is
		# shared and noisy; a million workers once
		k=$runs
		[ "$n" -ge 1000000 ] && k=1
		: >"$pairs"
		for _ in $(seq "$k"); do
			line=$("$bin" "$m" "$n" "$rounds")
			if [ -n "$base" ]; then
				old=$("$base" "$m" "$n" "$rounds")
				echo "$line" | awk -v o="$old" '{ split(o, f, " ")
				    printf "%s %s %s\n", $6 / f[6],
				    (f[9] != "" ? $9 / f[9] : "-"), f[6] }' >>"$pairs"
			fi
			echo "$line"
		done | sort -g -k6 | awk -v k="$k" 'NR == int((k + 1) / 2)' |
		    tee -a "$out"
		if [ -n "$base" ]; then
			printf '      %8s  vs base: wall x%.3f  cpu x%.5s  (base %s ns/event;' \
			    "$n" "$(awk '{print $1}' "$pairs" | median)" \
			    "$(awk '{print $2}' "$pairs" | median)" \
			    "$(awk '{print $3}' "$pairs" | median)"
			echo " median of $k pairs)"
		fi
	done
done
echo
echo "targets: <= 30 ns/event at 1,000 workers, <= 130 at 1,000,000;" \
    "1,000,000 x 100 rounds within 1 GB (1048576 kB)"
# what the pinned task-time draws alone cost (the same draws, without
# the engine): the floor under ns/event at 1,000 workers
"$bin" draws
echo
# FastSync's clustering alone: cost per n log n should stay flat.
for n in 1000 10000 100000 1000000; do
	"$bin" cluster "$n"
done
echo
awk '
{ ns[$1, $2] = $6; kb[$1, $2] = $8; models[$1] = 1; if (!($2 in seen)) { seen[$2] = 1; sz[++k] = $2 } }
END {
	lo = sz[1]; hi = sz[k]
	for (m in models) {
		printf "%-5s ns/event %s->%s workers: x%.2f   memory per worker: %.0f bytes\n", m, lo, hi,
		    ns[m, hi] / ns[m, lo], (kb[m, hi] - kb[m, lo]) * 1024 / (hi - lo)
	}
}' "$out"

# Real training (28x28 inputs, 10 classes): minibatch gradients and test-set
# evaluation images per second, each with the GFLOP/s its multiply-adds make.
echo
for net in softmax mlp cnn; do
	"$bin" grad "$net" 16
done
"$bin" grad cnn 1

# Recording: 1,000 workers x 200 rounds, every model, default -j; each
# setting timed RUNS times, interleaved (the machine is shared), medians.
# Then configs/large.cfg recorded (wall time and database size), and -j 1
# against -j 2 with events off. RUNS=3 by default.
[ -x "$prog" ] || exit 0
runs=${RUNS:-3}
db=$(mktemp -u /tmp/fastsync-bench-XXXXXX.db)
times=$(mktemp)
trap 'rm -f "$out" "$times" "$db" "$db-wal" "$db-shm"' EXIT
# timed NAME ARGS...: one run's wall seconds appended as "NAME seconds"
timed() {
	name=$1
	shift
	rm -f "$db" "$db-wal" "$db-shm"
	s=$( { /usr/bin/time -f %e "$prog" run --headless -q "$@" \
	    >/dev/null; } 2>&1 | tail -n 1)
	echo "$name $s" >>"$times"
}
median() {
	awk -v k="$1" '$1 == k { v[++n] = $2 } END {
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		print n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}' "$times"
}
w="-w 1000 -r 200"
for _ in $(seq "$runs"); do
	# shellcheck disable=SC2086
	{
	timed bare $w --no-db
	timed off $w --db "$db" --set record.events=false
	timed on $w --db "$db"
	timed text $w --db "$db" --set record.compress=false
	timed off_j1 $w --db "$db" --set record.events=false -j 1
	timed off_j2 $w --db "$db" --set record.events=false -j 2
	}
done
# what events on wrote: as -v says it, and (sqlite3 shell) exactly
vline=$("$prog" run --headless -v $w --db "$db" 2>&1 >/dev/null |
    grep 'recorded run .*events' | sed 's/^fastsync: //')
events=$(sqlite3 "$db" "SELECT sum(n) FROM event_chunks" 2>/dev/null ||
    echo 0)
size_on=$(stat -c %s "$db")
# reading it back in the sqlite3 shell: one model's events, counted and
# every column (the events view sums each chunk's groups in a window)
read_s() {
	/usr/bin/time -f %e sqlite3 "$db" "$1" 2>&1 >/dev/null | tail -n 1
}
bsp_n=$(sqlite3 "$db" "SELECT count(*) FROM events WHERE model = 'bsp'" \
    2>/dev/null || echo 0)
read_count=$(read_s "SELECT count(*) FROM events WHERE model = 'bsp'")
read_all=$(read_s "SELECT * FROM events WHERE model = 'bsp'")
# fastsync export reads the chunks in C (fs_events), not through the view
upd_n=$(sqlite3 "$db" "SELECT sum(n) FROM event_chunks" >/dev/null 2>&1 &&
    "$prog" export last --db "$db" --table updates -f csv | wc -l)
upd_s=$( { /usr/bin/time -f %e "$prog" export last --db "$db" --table \
    updates -f csv >/dev/null; } 2>&1 | tail -n 1)
upd_bsp=$(sqlite3 "$db" "SELECT count(*) FROM updates WHERE model = 'bsp'" \
    2>/dev/null || echo 0)
upd_view=$(read_s "SELECT * FROM updates WHERE model = 'bsp'")
rm -f "$db" "$db-wal" "$db-shm"
"$prog" run --headless -q $w --db "$db" --set record.compress=false >/dev/null
size_text=$(stat -c %s "$db")
echo
echo "recording, 1000 workers x 200 rounds, all models (seconds, median of" \
    "$runs, interleaved); -v: $vline"
awk -v n="$(median bare)" -v f="$(median off)" -v o="$(median on)" \
    -v t="$(median text)" -v so="$size_on" -v st="$size_text" \
    -v ev="$events" 'BEGIN {
	printf "  --no-db                %7.2f s\n", n
	printf "  events off             %7.2f s  x%.2f of --no-db\n", f, f / n
	printf "  events on (default)    %7.2f s  x%.2f of --no-db  %6.1f MB  %4.1f bytes/event\n", o, o / n, so / 1e6, (ev > 0 ? so / ev : 0)
	printf "  events on, JSON text   %7.2f s  x%.2f of --no-db  %6.1f MB  %4.1f bytes/event\n", t, t / n, st / 1e6, (ev > 0 ? st / ev : 0)
}'
awk -v n="$bsp_n" -v c="$read_count" -v a="$read_all" 'BEGIN {
	printf "  reading bsp, %d events (sqlite3): count %.2f s (%.0f events/s), every column %.2f s (%.0f events/s)\n",
	    n, c, (c > 0 ? n / c : 0), a, (a > 0 ? n / a : 0)
}'
awk -v n="$((upd_n - 1))" -v s="$upd_s" -v b="$upd_bsp" -v v="$upd_view" 'BEGIN {
	e = s > 0 ? n / s : 0
	w = v > 0 ? b / v : 0
	printf "  fastsync export --table updates: %d rows in %.2f s (%.0f rows/s); the updates view in sqlite3, bsp: %d rows in %.2f s (%.0f rows/s): x%.1f\n",
	    n, s, e, b, v, w, (w > 0 ? e / w : 0)
}'
awk -v a="$(median off_j1)" -v b="$(median off_j2)" 'BEGIN {
	printf "  events off, -j 1 %5.2f s, -j 2 %5.2f s: -j 2 / -j 1 x%.2f\n", a, b, b / a
}'
# configs/large.cfg (10,000 workers x 50 rounds), recorded with events
src=$(dirname "$0")/..
rm -f "$times"
for _ in $(seq "${LARGE_RUNS:-1}"); do
	timed lbare -c "$src/configs/large.cfg" --no-db
	timed large -c "$src/configs/large.cfg" --db "$db"
done
echo "configs/large.cfg: --no-db $(median lbare) s, recorded $(median large) s," \
    "$(stat -c %s "$db" | awk '{ printf "%.0f MB", $1 / 1e6 }') database"
