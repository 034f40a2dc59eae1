#!/bin/sh
# Each model's time to finish and mean inter-sync time against a
# baseline's, over seeds 1..N: the mean of the paired per-seed ratios and
# its 95% confidence interval (Student t, N - 1 degrees of freedom). The
# models share every seed's draws (common random numbers), so the pairs
# are tight. Figures only: nothing here passes or fails.
# Usage: ratios.sh PATH-TO-fastsync CONFIG [SEEDS [BASELINE [fastsync options]]]
set -eu
prog=$1
cfg=$2
seeds=${3:-20}
base=${4:-bsp}
[ $# -gt 4 ] && shift 4 || shift $#
out=$(mktemp)
trap 'rm -f "$out"' EXIT

s=1
while [ "$s" -le "$seeds" ]; do
	"$prog" run --headless --no-db -q -f csv -c "$cfg" --seed "$s" "$@" |
	    awk -F, -v seed="$s" 'NR == 1 { for (i = 1; i <= NF; i++)
	        col[$i] = i; next }
	    { print seed, $col["model"], $col["time_ms"],
	        $col["round_mean_ms"] }' >>"$out"
	s=$((s + 1))
done

echo "$cfg, $seeds seeds, against $base: mean ratio [95% CI]"
awk -v base="$base" -v n="$seeds" '
# two-sided 97.5% quantiles of Student t, by degrees of freedom
function tq(df) {
	if (df >= 120) return 1.980; if (df >= 60) return 2.000
	if (df >= 40) return 2.021; if (df >= 30) return 2.042
	split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 " \
	    "2.228 2.201 2.179 2.160 2.145 2.131 2.120 2.110 2.101 2.093 " \
	    "2.086 2.080 2.074 2.069 2.064 2.060 2.056 2.052 2.048 2.045", t)
	return t[df]
}
{ time[$1, $2] = $3; rnd[$1, $2] = $4; if (!($2 in seen)) { seen[$2] = 1;
  order[++m] = $2 } }
END {
	printf "%-10s %26s %26s\n", "model", "time to finish", "inter-sync time"
	for (k = 1; k <= m; k++) {
		name = order[k]
		st = sst = sr = ssr = 0
		for (s = 1; s <= n; s++) {
			a = time[s, name] / time[s, base]
			b = rnd[s, name] / rnd[s, base]
			st += a; sst += a * a; sr += b; ssr += b * b
		}
		mt = st / n; mr = sr / n
		ht = tq(n - 1) * sqrt((sst - n * mt * mt) / (n - 1) / n)
		hr = tq(n - 1) * sqrt((ssr - n * mr * mr) / (n - 1) / n)
		printf "%-10s %8.4f [%.4f, %.4f] %8.4f [%.4f, %.4f]\n", name,
		    mt, mt - ht, mt + ht, mr, mr - hr, mr + hr
	}
}' "$out"
