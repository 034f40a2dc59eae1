#!/bin/sh
# Training figures over seeds: record CONFIG once per seed 1..N into one
# database, then per model the mean and 95% confidence interval (Student
# t, N - 1 degrees of freedom) of the simulated time to the target
# accuracy, of the mean of the last K evaluations, and of the time to
# finish. Figures only: nothing here passes or fails.
# Usage: train_seeds.sh PATH-TO-fastsync CONFIG [SEEDS [K [DB]]]
set -eu
prog=$1
cfg=$2
seeds=${3:-10}
k=${4:-5}
db=${5:-$(mktemp -u "${TMPDIR:-/tmp}/train-seeds.XXXXXX").db}

s=1
while [ "$s" -le "$seeds" ]; do
	if ! sqlite3 "$db" "SELECT 1 FROM runs WHERE name = 'seed-$s' AND
	    status = 'complete'" 2>/dev/null | grep -q 1; then
		"$prog" run --headless -q -c "$cfg" --seed "$s" --name "seed-$s" \
		    --db "$db" >/dev/null
	fi
	s=$((s + 1))
done

echo "$cfg, seeds 1-$seeds ($db): mean [95% CI]"
sqlite3 -separator ' ' "$db" "
  SELECT m.model, r.seed, m.time_to_target, m.time_ms,
    (SELECT avg(a.accuracy) FROM (SELECT accuracy FROM accuracy
      WHERE run = m.run AND model = m.model ORDER BY round DESC
      LIMIT $k) a)
  FROM run_models m JOIN runs r ON r.id = m.run
  WHERE r.name LIKE 'seed-%' AND r.status = 'complete'
  ORDER BY m.position, r.seed;" |
awk -v k="$k" '
function tq(df) {
	split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 " \
	    "2.228 2.201 2.179 2.160 2.145 2.131 2.120 2.110 2.101 2.093", t)
	return df <= 19 ? t[df] : 2.0
}
function ci(sum, sq, n) {
	if (n < 2)
		return sprintf("%8.3f %19s", n ? sum : 0, "")
	m = sum / n
	h = tq(n - 1) * sqrt((sq - n * m * m) / (n - 1) / n)
	return sprintf("%8.3f [%7.3f, %7.3f]", m, m - h, m + h)
}
{ if (!($1 in seen)) { seen[$1] = 1; order[++nm] = $1 }
  if ($3 != "") { tt[$1] += $3 / 1000; tt2[$1] += ($3 / 1000) ^ 2; nt[$1]++ }
  ft[$1] += $4 / 1000; ft2[$1] += ($4 / 1000) ^ 2; nf[$1]++
  acc[$1] += 100 * $5; acc2[$1] += (100 * $5) ^ 2 }
END {
	printf "%-10s %-30s %-30s %-30s\n", "model", "to target, s (seeds reached)",
	    "mean of the last " k " evaluations, %", "time to finish, s"
	for (i = 1; i <= nm; i++) {
		m = order[i]
		printf "%-10s %-26s(%2d) %-30s %-30s\n", m, ci(tt[m], tt2[m], nt[m]),
		    nt[m], ci(acc[m], acc2[m], nf[m]), ci(ft[m], ft2[m], nf[m])
	}
}'
