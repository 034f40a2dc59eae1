#!/bin/sh
# Engine benchmark: events/s, ns/event and peak memory per model at 1,000
# and 100,000 workers x 100 rounds, then the scaling ratios. Figures only:
# nothing here passes or fails. Usage: bench.sh PATH-TO-fastsync-bench
set -eu
bin=${1:-./bench/fastsync-bench}
rounds=${ROUNDS:-100}
sizes=${SIZES:-"1000 100000"}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

printf '%-5s %8s %6s %12s %8s %8s %8s %10s\n' model workers rounds events \
    seconds ns/event Mev/s peak_kB
for m in asp bsp ssp dssp fastsync; do
	for n in $sizes; do
		# best of three runs: the machine is shared and noisy
		best=""
		for _ in 1 2 3; do
			line=$("$bin" "$m" "$n" "$rounds")
			ns=$(echo "$line" | awk '{print $6}')
			if [ -z "$best" ] || awk -v a="$ns" -v b="$(echo "$best" |
			    awk '{print $6}')" 'BEGIN{exit !(a < b)}'; then
				best=$line
			fi
		done
		echo "$best" | tee -a "$out"
	done
done
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
