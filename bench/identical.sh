#!/bin/sh
# Two builds give the same rows: runs every shipped simulation config at a
# few seeds with both binaries and compares the summary CSV and the
# recorded per-round, per-worker and per-update tables (and the event log
# where it is small). For an engine change that must not move a result.
# Prints one line per comparison and exits 1 if any differs.
# Usage: identical.sh OLD-fastsync NEW-fastsync [SRCDIR]
set -eu
old=$1
new=$2
src=${3:-$(dirname "$0")/..}
seeds=${SEEDS:-"1 7 42"}
tmp=$(mktemp -d /tmp/fastsync-identical-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
status=0

# out BINARY CONFIG SEED TAG TABLES...: the CSV summary and the tables.
out() {
	bin=$1 conf=$2 seed=$3 tag=$4
	shift 4
	events=true
	case " $* " in *" events "*) ;; *) events=false ;; esac
	"$bin" run -c "$conf" --seed "$seed" -f csv -q --no-db >"$tmp/$tag.csv"
	rm -f "$tmp/$tag.db"
	"$bin" run -c "$conf" --seed "$seed" -q --headless --db "$tmp/$tag.db" \
	    --set record.events=$events >/dev/null
	for t in "$@"; do
		"$bin" --db "$tmp/$tag.db" export last --table "$t" -f csv
	done >"$tmp/$tag.tables"
	rm -f "$tmp/$tag.db" "$tmp/$tag.db-wal" "$tmp/$tag.db-shm"
}

for cfg in default paper-5-workers paper-20-workers churn traces large; do
	tables="models rounds workers updates clusters quorum events"
	# large.cfg's event log is gigabytes: its per-round figures suffice
	[ "$cfg" = large ] && tables="models rounds workers"
	for seed in $seeds; do
		[ "$cfg" = large ] && [ "$seed" != "${seeds%% *}" ] && continue
		out "$old" "$src/configs/$cfg.cfg" "$seed" old $tables
		out "$new" "$src/configs/$cfg.cfg" "$seed" new $tables
		if ! cmp -s "$tmp/old.csv" "$tmp/new.csv"; then
			echo "DIFFERS  $cfg seed $seed: summary CSV"
			status=1
		elif ! cmp -s "$tmp/old.tables" "$tmp/new.tables"; then
			echo "DIFFERS  $cfg seed $seed: exported tables ($tables)"
			status=1
		else
			echo "same     $cfg seed $seed: CSV $(wc -l <"$tmp/old.csv")" \
			    "lines, tables $(wc -l <"$tmp/old.tables") lines"
		fi
	done
done
exit $status
