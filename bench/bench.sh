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

# Recording overhead: 1,000 workers x 200 rounds, every model, best of 3.
[ -x "$prog" ] || exit 0
db=$(mktemp -u /tmp/fastsync-bench-XXXXXX.db)
best() {
	b=""
	for _ in 1 2 3; do
		rm -f "$db" "$db-wal" "$db-shm"
		s=$( { /usr/bin/time -f %e "$prog" run --headless -q -w 1000 -r 200 "$@" \
		    >/dev/null; } 2>&1 | tail -n 1)
		if [ -z "$b" ] || awk -v a="$s" -v b="$b" 'BEGIN{exit !(a < b)}'
		then b=$s; fi
	done
	echo "$b"
}
nodb=$(best --no-db)
off=$(best --db "$db" --set record.events=false)
rows_off=0
for t in models rounds workers; do
	n=$("$prog" export last --db "$db" --table $t | wc -l)
	rows_off=$((rows_off + n - 1))
done
on=$(best --db "$db")
rows_on=0
for t in models rounds workers updates clusters quorum events; do
	n=$("$prog" export last --db "$db" --table $t | wc -l)
	rows_on=$((rows_on + n - 1))
done
rm -f "$db" "$db-wal" "$db-shm"
echo
echo "recording, 1000 workers x 200 rounds, all models (seconds, best of 3):"
awk -v n="$nodb" -v f="$off" -v o="$on" -v rf="$rows_off" -v ro="$rows_on" 'BEGIN {
	printf "  --no-db          %7.2f s\n", n
	printf "  events off       %7.2f s  x%.2f  %9d rows  %9.0f rows/s\n", f, f / n, rf, rf / f
	printf "  events on        %7.2f s  x%.2f  %9d rows  %9.0f rows/s\n", o, o / n, ro, ro / o
}'
