#!/bin/sh
# End-to-end tests of the fastsync binary: exit codes, messages, output
# formats and determinism. Needs FASTSYNC (the binary) and SRCDIR (the
# source tree), which "make check" exports. Prints one TAP-like line per
# check and exits non-zero if any failed.
#
# Bad input: every kind has its table-driven cases (each one line naming
# file, line and key or the flag, with its exit status, nothing recorded):
#   CLI flag     here, "Usage errors" and the bad-input table below
#   --set        tests/test_config.c bad_cases (line 0: names the --set)
#   config       tests/test_config.c bad_cases; the table below
#   theme        tests/test_ui.c bad[]; the table below (headless --theme)
#   trace        tests/test_trace.c bad_files; the table below
#   IDX          tests/test_idx.c test_bad, test_bad_gzip, test_limit
#                (train.max_pixels); the table below
#   database     tests/bad_db.sh (read-only places, busy, damaged, --db '',
#                no HOME); tests/test_db.c test_bad_paths, test_damaged,
#                test_orphans (reused pids); the table below
#   environment  tests/bad_db.sh (HOME/XDG unset); the table below
#   signals      tests/bad_db.sh (TERM, HUP, INT: recorded interrupted)
#   terminal     tests/dashboard.sh (TERM rows, too small); "needs a
#                terminal" below
#   output       the table below and tests/bad_db.sh (a full device);
#                tests/plot.sh (an unwritable figure)
#   lessons      tests/test_lesson.c bad[]
# The table below ("---- Bad input, every kind") has one row or more
# per kind, each with its exit status and message.
# shellcheck disable=SC2016	# check's eval strings expand when they run
set -u

: "${FASTSYNC:?FASTSYNC must name the fastsync binary}"
: "${SRCDIR:?SRCDIR must name the source directory}"

CFG=$SRCDIR/configs/default.cfg
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-cli.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM

n=0
passed=0
failed=0

pass() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $1"
}

fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	if [ -s "$TMP/err" ]; then
		sed 's/^/#   stderr: /' "$TMP/err" | head -n 5
	fi
}

# check DESCRIPTION COMMAND...: one result line for the command's status.
check() {
	_desc=$1
	shift
	if "$@"; then
		pass "$_desc"
	else
		fail "$_desc"
	fi
}

# Run fastsync: stdout in $TMP/out, stderr in $TMP/err, status in $rc.
fs() {
	"$FASTSYNC" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# Run the simulation headless on the default config, plus "$@".
fsrun() {
	fs run --headless -q -c "$CFG" "$@"
}

# A usage or configuration error: status 2, first stderr line "fastsync: ".
usage_failed() {
	[ "$rc" -eq 2 ] && head -n 1 "$TMP/err" | grep -q '^fastsync: '
}

# Does the csv in $1 have a header starting "model", $2 data rows, and
# as many fields in every row as in the header?
csv_shape() {
	awk -F, -v want="$2" '
		NR == 1 { n = NF; if ($1 != "model") bad = 1 }
		NF != n { bad = 1 }
		END { exit (bad || NR != want + 1) }' "$1"
}

# The csv in $1 without its "run" column (each recording is a new run).
no_run() {
	awk -F, -v OFS=, '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == "run") c = i }
		{ if (c) { for (i = c; i < NF; i++) $i = $(i + 1); NF-- }
		  print }' "$1"
}

# The value of column $2 (by header name) in the row whose model is $3.
csv_field() {
	awk -F, -v col="$2" -v model="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		$1 == model && c { print $c; found = 1 }
		END { exit !found }' "$1"
}


# ---- Help and version.
fs --help
check "--help exits 0 and mentions --set and check" eval \
    '[ "$rc" -eq 0 ] && grep -q -e "--set" "$TMP/out" &&
    grep -q "check" "$TMP/out"'

version=$(sed -n 's/^AC_INIT(\[fastsync\], *\[\([^]]*\)\].*/\1/p' \
    "$SRCDIR/configure.ac")
fs --version
check "--version prints 'fastsync ${version:-VERSION}'" eval \
    '[ "$rc" -eq 0 ] && [ -n "$version" ] &&
    [ "$(cat "$TMP/out")" = "fastsync $version" ]'

# ---- Output formats.
fsrun --rounds 20
check "run prints a table with rows asp, bsp, ssp, dssp, quorum, fastsync" eval \
    '[ "$rc" -eq 0 ] &&
    [ "$(awk "NR > 1 { print \$1 }" "$TMP/out" | tr "\n" " ")" = \
    "asp bsp ssp dssp quorum fastsync " ] && [ "$(awk "NR == 1 { print \$1 }" "$TMP/out")" = model ]'

fsrun --rounds 20 --format csv
cp "$TMP/out" "$TMP/csv1"
check "csv: header starts with model, 6 rows of as many fields" eval \
    '[ "$rc" -eq 0 ] && csv_shape "$TMP/csv1" 6'

fsrun --rounds 20 --format json
if command -v python3 >/dev/null 2>&1; then
	check "json parses: 6 objects, each with \"model\", no key twice" eval \
	    '[ "$rc" -eq 0 ] && python3 -c "
import json, sys
def unique(pairs):
    keys = [k for k, v in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)
d = json.load(open(sys.argv[1]), object_pairs_hook=unique)
assert isinstance(d, list) and len(d) == 6
assert [o[\"model\"] for o in d] == [\"asp\", \"bsp\", \"ssp\", \"dssp\", \"quorum\", \"fastsync\"]
for o in d:
    assert o[\"workers\"] == 20 and o[\"rounds\"] == 20
    assert len(o[\"per_worker\"]) == 20 and len(o[\"per_round\"]) == 20
    assert all(w[\"wait_ms\"] >= 0 and w[\"idle_ms\"] >= 0 for w in o[\"per_worker\"])
fs = d[5][\"per_round\"]
assert all(r[\"quorum\"] >= 0.7 for r in fs if r[\"point\"] in (\"ts1\", \"ts2\", \"ts3\"))
" "$TMP/out" 2>/dev/null'
else
	check "json looks like an array of 6 objects with \"model\"" eval \
	    '[ "$rc" -eq 0 ] && [ "$(head -c 1 "$TMP/out")" = "[" ] &&
	    [ "$(tr -d " \n" <"$TMP/out" | tail -c 1)" = "]" ] &&
	    [ "$(grep -o "\"model\":" "$TMP/out" | wc -l)" -eq 6 ]'
fi

printf 'models = ( { model = "ssp"; name = "a\\"b"; } );\n' >"$TMP/q.cfg"
fs run -q --no-db -c "$TMP/q.cfg" -r 3 -w 2 -f csv >"$TMP/out" 2>"$TMP/err"; rc=$?
check "a model name with a quote is quoted in CSV" eval \
    '[ "$rc" -eq 0 ] && [ "$(sed -n 2p "$TMP/out" | cut -d, -f1)" = '"'"'"a""b"'"'"' ]'

fsrun --rounds 20 --model bsp
check "--model bsp gives exactly one row" eval \
    '[ "$rc" -eq 0 ] && [ "$(wc -l <"$TMP/out")" -eq 2 ] &&
    [ "$(awk "NR == 2 { print \$1 }" "$TMP/out")" = bsp ]'

fsrun --rounds 20 --model nosuch
check "--model nosuch exits 2 with one line on stderr" eval \
    'usage_failed && [ "$(wc -l <"$TMP/err")" -eq 1 ]'

# ---- Usage errors: status 2, "fastsync: " first.
for args in "--workers 0" "--workers abc" "--rounds -1" "--seed x" \
    "--format xml" "--set noequals" "--no-such-option" "-Z"; do
	# shellcheck disable=SC2086	# split into separate arguments
	fsrun $args
	check "$args: exits 2 with 'fastsync: ...'" usage_failed
done

fsrun --set roundz=3
check "--set roundz=3: exits 2 suggesting rounds" eval \
    'usage_failed && grep -q "did you mean .rounds." "$TMP/err"'

fs frobnicate
check "unknown subcommand exits 2 with 'fastsync: ...'" usage_failed

fsrun --set rounds=0
check "a --set range error exits 2 (not 1) and names the --set" eval \
    'usage_failed && grep -q "^fastsync: --set rounds=0: " "$TMP/err"'

# ---- lesson: the list, and bad lessons refused with FILE:LINE.
(cd "$SRCDIR" && "$FASTSYNC" lesson) >"$TMP/out" 2>"$TMP/err"
rc=$?
check "lesson lists the four shipped lessons" eval \
    '[ "$rc" -eq 0 ] && [ "$(wc -l <"$TMP/out")" -eq 4 ] &&
    grep -q "^quorum  *FastSync" "$TMP/out" && [ ! -s "$TMP/err" ]'
lesson=$TMP/bad.lesson
printf 'name = "b"; title = "t"; intro = "i";\nconfig = "x.cfg";\nsteps = (\n  { until = "snyc"; text = "a"; } );\n' >"$lesson"
fs lesson "$lesson"
check "lesson on a bad file exits 2 with FILE:LINE:" eval \
    'usage_failed && grep -q "^fastsync: $lesson:4: unknown until .snyc." "$TMP/err"'
# bad lesson files, one row each: CONTENT (printf format) | the error
# after "fastsync: FILE" (grep -E), one line, exit 2, no screen taken
H='name = "b"; title = "t"; intro = "i";\nconfig = "%s";\n'
T=$SRCDIR/configs/teaching.cfg
while IFS='|' read -r content want; do
	[ -z "$content" ] && continue
	# shellcheck disable=SC2059	# the row is the format
	printf "$content" "$T" >"$lesson"
	fs lesson "$lesson" </dev/null
	check "bad lesson, ${want#:*: }: exit 2, one line" eval \
	    'usage_failed && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
	    grep -Eq "^fastsync: $lesson$want" "$TMP/err"'
done <<EOF2
${H}steps = ( { until = "sync"; text = "a" } ;|:3: syntax error
${H}colour = 1;\nsteps = ( { until = "sync"; text = "a"; } );|:3: unknown lesson key .colour.
${H}steps = (\n { until = "sync"; text = "a"; point = "ts9"; } );|:4: unknown point .ts9.
${H}steps = (\n { until = "quorum"; text = "a"; pass = 2; } );|:4: .pass. must be in \\[0, 1\\], got 2
${H}steps = (\n { until = "sync"; text = "a"; min_tau = 1; } );|:4: .min_tau. applies to until = "apply" only
${H}steps = (\n { until = "sync"; text = 4; } );|:4: .text. must be a string
${H}focus = "dssp";\nsteps = ( { until = "sync"; text = "a"; } );|:3: focus model .dssp. is not in
${H}steps = (\n { until = "sync"; text = "a"; },\n { until = "sync"; model = "dssp"; text = "a"; } );|:5: model .dssp. is not in
name = "b"; title = "t"; intro = "i";\nconfig = "no-such.cfg"; steps = ( { until = "sync"; text = "a"; } );|:2: config: .*no-such.cfg: cannot read
name = "b"; title = "t";\n\n\n|:1: .intro. is missing
name = "b";\n\000 title = "t";|:2: a NUL byte: not a text file
EOF2
fs lesson "$TMP" </dev/null
check "lesson on a directory exits 2 and says so (no abort)" eval \
    'usage_failed && grep -q "^fastsync: $TMP: is a directory" "$TMP/err"'
fs lesson no-such-lesson
check "lesson on an unknown name exits 2 and says how to list them" eval \
    'usage_failed && grep -q "fastsync lesson lists" "$TMP/err"'

# ---- check.
fs check "$CFG"
check "check default.cfg exits 0" eval \
    '[ "$rc" -eq 0 ] && grep -q "ok" "$TMP/out" && [ ! -s "$TMP/err" ]'

bad=$TMP/bad.cfg
printf 'rounds = 10;\nworkers = { count = 0; };\n' >"$bad"
fs check "$bad"
check "check on a bad file exits 2 with FILE:LINE:" eval \
    'usage_failed && grep -q "^fastsync: $bad:2: workers.count" "$TMP/err"'

printf 'rounds = 10\nworkers = ;\n' >"$bad"
fs check "$bad"
check "check on a syntax error exits 2 with FILE:LINE:" eval \
    'usage_failed && grep -q "^fastsync: $bad:[0-9][0-9]*: " "$TMP/err"'

fs check "$TMP/no-such.cfg"
check "check on a missing file exits 2" eval \
    'usage_failed && grep -q "no-such.cfg" "$TMP/err"'

# FastSync's min_points and eps cannot cluster 5 workers in two: said,
# by check and by run, naming the model's line; -q keeps it quiet.
P20=$SRCDIR/configs/paper-20-workers.cfg
fs check -w 5 "$P20"
check "check -w 5 warns that min_points 3 cannot form two clusters" eval \
    '[ "$rc" -eq 0 ] && grep -q "^fastsync: $P20:[0-9]*: warning: model fastsync: min_points 3 cannot form two clusters of 5 workers" "$TMP/err"'
fs run --headless --no-db -r 5 -w 5 -m fastsync -c "$P20"
check "run -w 5 says so too, and runs" eval \
    '[ "$rc" -eq 0 ] && grep -q "warning: model fastsync: min_points 3" "$TMP/err"'
fs run --headless --no-db -q -r 5 -w 5 -m fastsync -c "$P20"
check "run -q -w 5 says nothing" eval '[ "$rc" -eq 0 ] && [ ! -s "$TMP/err" ]'
fs check -w 2 "$P20"
check "check -w 2: no cluster at all, every sync falls back" eval \
    '[ "$rc" -eq 0 ] && grep -q "cannot form a cluster of 2 workers: every sync falls back" "$TMP/err"'

printf 'rounds = 0;\n' >"$bad"
fs run --headless -q -c "$bad"
check "run with a bad config exits 2, not 1" eval \
    '[ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] &&
    grep -q "^fastsync: $bad:1: " "$TMP/err"'

# ---- The dashboard's input errors (no terminal needed to see them).
fs run -c "$CFG" --db "$TMP/dash.db" </dev/null
check "the dashboard without a terminal exits 2 hinting --headless" eval \
    'usage_failed && grep -q "needs a terminal.*--headless" "$TMP/err"'
check "... and records nothing" test ! -e "$TMP/dash.db"

badtheme=$TMP/bad.theme
printf 'name = "bad";\ncolors = {\n  stale = { fg = "purple"; };\n};\n' \
    >"$badtheme"
fs run -c "$CFG" --no-db --theme "$badtheme" </dev/null
check "a bad theme exits 2 with FILE:LINE and the key" eval \
    'usage_failed && grep -q "^fastsync: $badtheme:3: .*stale" "$TMP/err"'
fs run -c "$CFG" --no-db --theme no-such-theme </dev/null
check "an unknown theme name exits 2 naming it" eval \
    'usage_failed && grep -q "no-such-theme" "$TMP/err"'
for sp in 0 -5 fast 2e6; do
	fs run -c "$CFG" --no-db --speed "$sp" </dev/null
	check "--speed $sp exits 2 naming --speed" eval \
	    'usage_failed && grep -q "^fastsync: --speed" "$TMP/err"'
done
fs replay
check "replay without RUN exits 2" usage_failed
fsrun --db "$TMP/r.db" -r 2
fs --db "$TMP/r.db" replay 99 </dev/null
check "replay of a missing run exits 2 naming it" eval \
    'usage_failed && grep -q "no run .99." "$TMP/err"'
fs --db "$TMP/r.db" replay 1 </dev/null
check "replay without a terminal exits 2 hinting --headless" eval \
    'usage_failed && grep -q "needs a terminal" "$TMP/err"'

# csv_col NAME FILE: the values of a CSV file's column NAME.
csv_col() {
	awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++)
	    if ($i == n) c = i } NR > 1 && c { print $c }' "$2"
}

# ---- Training: data errors before anything is recorded, and a run.
fsrun --db "$TMP/t.db" --set workload=train --set train.data="$TMP/nodata"
check "training with no data folder exits 2 naming the file it wants" eval \
    'usage_failed && grep -q "nodata: no train-images-idx3-ubyte" "$TMP/err" &&
    [ ! -e "$TMP/t.db" ]'
mkdir -p "$TMP/idx"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte \
    t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
	printf '\000\000\010\001\000\000\000\003\001\002' >"$TMP/idx/$f"
done
fsrun --no-db --set workload=train --set train.data="$TMP/idx"
check "a truncated IDX file exits 2 naming it" eval \
    'usage_failed && grep -q "idx/train-images-idx3-ubyte: truncated" "$TMP/err"'
fmnist=/usr/share/datasets/fashion-mnist
if [ -r "$fmnist/train-images-idx3-ubyte.gz" ]; then
	fsrun --db "$TMP/train.db" -w 3 -r 6 -m bsp,asp -f csv \
	    --set workload=train --set train.network=softmax \
	    --set train.eval_samples=300 --set train.eval_every=3
	check "a small training run reports accuracy in (0, 1] per model" \
	    eval '[ "$rc" -eq 0 ] && awk -F, "NR == 1 { for (i = 1; i <= NF;
	    i++) if (\$i == \"accuracy\") c = i } NR > 1 { n++; if (!(\$c > 0 &&
	    \$c <= 1)) exit 1 } END { exit n != 2 }" "$TMP/out"'
	cp "$TMP/out" "$TMP/train.csv"
	fs --db "$TMP/train.db" show last
	check "show of the recorded training run has the acc% column" eval \
	    '[ "$rc" -eq 0 ] && head -n 1 "$TMP/out" | grep -q "acc%"'
	fs --db "$TMP/train.db" export last --table accuracy
	check "export --table accuracy: 3 evaluations per model (rounds 0, 3, 6)" \
	    eval '[ "$rc" -eq 0 ] && [ "$(tail -n +2 "$TMP/out" | wc -l)" -eq 6 ]'
	fsrun --no-db -w 3 -r 6 -f csv -j 1 --set workload=train \
	    --set train.network=cnn --set train.eval_samples=200 \
	    --set train.eval_every=2
	cp "$TMP/out" "$TMP/tj1"
	fsrun --no-db -w 3 -r 6 -f csv -j 2 --set workload=train \
	    --set train.network=cnn --set train.eval_samples=200 \
	    --set train.eval_every=2
	check "training: -j 1 and -j 2 give byte-identical rows" eval \
	    '[ -n "$(csv_col accuracy "$TMP/tj1")" ] && cmp -s "$TMP/tj1" "$TMP/out"'
	cp "$TMP/train.db" "$TMP/both.db"
	fsrun --db "$TMP/both.db" -w 3 -r 6 -m bsp,asp
	fs --db "$TMP/both.db" compare 1 2
	check "compare of a training and a timing run: accuracy in the first" \
	    eval '[ "$rc" -eq 0 ] && grep -E -q "accuracy % +[0-9.]+ +- " \
	    "$TMP/out" && grep -q "to target s" "$TMP/out"'
	fs --db "$TMP/train.db" show last -f csv
	check "the recorded accuracy is the printed one" eval \
	    '[ -n "$(csv_col accuracy "$TMP/out")" ] &&
	    [ "$(csv_col accuracy "$TMP/out")" = \
	    "$(csv_col accuracy "$TMP/train.csv")" ]'
else
	echo "# dataset-fashion-mnist not installed: the training run is not checked"
fi

# ---- Threads: the same rows whatever --jobs.
fsrun --rounds 20 -f csv -j 1
no_run "$TMP/out" >"$TMP/j1"
fsrun --rounds 20 -f csv -j 2
no_run "$TMP/out" >"$TMP/j2"
check "-j 1 and -j 2 give byte-identical output (but the run's id)" eval \
    '[ -s "$TMP/j1" ] && cmp -s "$TMP/j1" "$TMP/j2"'
fsrun -j 0
check "-j 0 exits 2" usage_failed
for j in 1 2; do
	fsrun --db "$TMP/j$j.db" --rounds 10 -w 6 -j $j
	for t in models rounds updates clusters quorum events accuracy; do
		"$FASTSYNC" --db "$TMP/j$j.db" export last --table $t
	done >"$TMP/export$j"
done
check "recorded at -j 1 and -j 2, every table exports the same" eval \
    '[ -s "$TMP/export1" ] && cmp -s "$TMP/export1" "$TMP/export2"'
# the events' encoding changes no row: compressed or JSON text
fsrun --db "$TMP/plain.db" --rounds 10 -w 6 -j 2 --set record.compress=false
for t in models rounds updates clusters quorum events accuracy; do
	"$FASTSYNC" --db "$TMP/plain.db" export last --table $t
done >"$TMP/export3"
check "record.compress=false exports the same events" eval \
    'cmp -s "$TMP/export1" "$TMP/export3"'
if command -v sqlite3 >/dev/null 2>&1; then
	# the events view needs nothing the sqlite3 shell lacks
	nev=$(sqlite3 "$TMP/j1.db" "SELECT count(*) FROM events WHERE type =
	    'task_end'" 2>&1)
	check "the sqlite3 shell reads the events view" eval \
	    '[ "$nev" = "$(grep -c ",task_end," "$TMP/export1")" ] &&
	    [ "$nev" -gt 0 ]'
fi

# ---- Determinism and the models.
fsrun --rounds 20 --seed 7 -f csv
no_run "$TMP/out" >"$TMP/seed7a"
fsrun --rounds 20 --seed 7 -f csv
no_run "$TMP/out" >"$TMP/seed7b"
fsrun --rounds 20 --seed 8 -f csv
no_run "$TMP/out" >"$TMP/seed8"
check "same seed, byte-identical output (but the run's id)" eval \
    '[ -s "$TMP/seed7a" ] && cmp -s "$TMP/seed7a" "$TMP/seed7b"'
check "different seed, different output" eval \
    '[ -s "$TMP/seed8" ] && ! cmp -s "$TMP/seed7a" "$TMP/seed8"'

fsrun --rounds 20 --set models.ssp.staleness=1000000 -f csv \
    --model asp,ssp
check "SSP with huge staleness has ASP's time_ms" eval \
    '[ "$rc" -eq 0 ] && csv_shape "$TMP/out" 2 &&
    a=$(csv_field "$TMP/out" time_ms asp) &&
    s=$(csv_field "$TMP/out" time_ms ssp) && [ -n "$a" ] && [ "$a" = "$s" ]'

# ---- Each way a run ends: its exit code and the status it is recorded with.
# last_status DB: the status of DB's newest run.
last_status() {
	"$FASTSYNC" --db "$1" export last --table runs -f csv >"$TMP/runs" \
	    2>/dev/null && csv_col status "$TMP/runs" | head -n 1
}

fsrun --db "$TMP/end.db" -r 3
check "every model ran: exits 0, recorded complete" eval \
    '[ "$rc" -eq 0 ] && [ "$(last_status "$TMP/end.db")" = complete ]'
"$FASTSYNC" run --headless -q -c "$CFG" --db "$TMP/end.db" -r 3 \
    >/dev/full 2>"$TMP/err"
rc=$?
check "output error (a full disk): exits 1, recorded complete" eval \
    '[ "$rc" -eq 1 ] && grep -q "^fastsync: writing output: " "$TMP/err" &&
    [ "$(last_status "$TMP/end.db")" = complete ]'
# training and test images of different sizes: found once a model starts
mkdir -p "$TMP/mis"
for f in train:4 t10k:5; do
	side=${f#*:}
	{ printf '\000\000\010\003\000\000\000\002'
	    printf '\000\000\000%b\000\000\000%b' "\\00$side" "\\00$side"
	    head -c $((2 * side * side)) /dev/zero; } \
	    >"$TMP/mis/${f%:*}-images-idx3-ubyte"
	printf '\000\000\010\001\000\000\000\002\000\001' \
	    >"$TMP/mis/${f%:*}-labels-idx1-ubyte"
done
fsrun --db "$TMP/end.db" -w 2 -r 2 -m asp --set workload=train \
    --set train.network=softmax --set train.data="$TMP/mis"
check "runtime error (a model fails): exits 1, recorded failed" eval \
    '[ "$rc" -eq 1 ] && grep -q "^fastsync: .*test images are 5x5" "$TMP/err" &&
    [ "$(last_status "$TMP/end.db")" = failed ]'
"$FASTSYNC" --db "$TMP/end.db" runs >"$TMP/runs0"
printf 'rounds = 0;\n' >"$bad"
fs run --headless -q -c "$bad" --db "$TMP/end.db"
"$FASTSYNC" --db "$TMP/end.db" runs >"$TMP/runs1"
check "input error (a bad config): exits 2, records nothing" eval \
    'usage_failed && cmp -s "$TMP/runs0" "$TMP/runs1"'
# term_when_running DB: the run started last ($!) is sent SIGTERM once DB
# records it as running (and a little after); its status is rc.
term_when_running() {
	pid=$!
	i=0
	while [ "$(last_status "$1")" != running ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.2
	kill -TERM $pid
	wait $pid
	rc=$?
}
"$FASTSYNC" run --headless -q -c "$CFG" --db "$TMP/sig.db" -r 10000000 \
    >/dev/null 2>"$TMP/err" &
term_when_running "$TMP/sig.db"
check "SIGTERM: exits 143, recorded interrupted" eval \
    '[ "$rc" -eq 143 ] && [ "$(last_status "$TMP/sig.db")" = interrupted ]'

# A large event log is announced before the run (not with -q, nor without
# the event log, nor for a small one). big_run ARGS: started, stopped by
# SIGTERM once it is recorded as running; its stderr in $TMP/err.
big_run() {
	rm -f "$TMP/big.db"*
	"$FASTSYNC" run --headless -c "$CFG" --db "$TMP/big.db" -w 1000000 \
	    -r 100 -m bsp "$@" >/dev/null 2>"$TMP/err" &
	term_when_running "$TMP/big.db"
}
big_run
check "a large event log is announced: its events and size, how to skip it" \
    eval '[ "$rc" -eq 143 ] && grep -q "^fastsync: recording every event:'\
' about [0-9][0-9]*M events, some [0-9][0-9]* MB (record.events=false'\
' keeps every per-round figure without them)$" "$TMP/err"'
big_run --set record.events=false
check "... not without the event log" eval \
    '[ "$rc" -eq 143 ] && ! grep -q "recording every event" "$TMP/err"'
big_run -q
check "... nor with -q" eval '[ "$rc" -eq 143 ] && [ ! -s "$TMP/err" ]'
fs run --headless -c "$CFG" --db "$TMP/big.db" -r 20
check "... nor for a small one" eval \
    '[ "$rc" -eq 0 ] && ! grep -q "recording every event" "$TMP/err"'

# runs: the headline is the fastest model against BSP, whatever it is.
fsrun --db "$TMP/head.db" -r 30
fsrun --db "$TMP/head.db" -r 30 -m asp,ssp
fsrun --db "$TMP/head.db" -r 30 -m bsp,fastsync
fs --db "$TMP/head.db" runs
check "runs: headlines name the fastest model against bsp, or -" eval \
    '[ "$rc" -eq 0 ] && cut -c110-133 "$TMP/out" | sed "s/ *\$//" \
    >"$TMP/heads" &&
    [ "$(awk "NR > 1 { print \$NF }" "$TMP/heads" | tr "\n" " ")" = "bsp - bsp " ] &&
    awk "NR == 2" "$TMP/heads" | grep -E -q "quorum -[0-9.]+% vs bsp$" &&
    awk "NR == 4" "$TMP/heads" | grep -E -q "fastsync [+-][0-9.]+% vs bsp$"'

check "runs: each run says what it was (config, workload, overrides)" eval \
    'awk "NR == 3" "$TMP/out" | grep -q " sim rounds=30\$"'
# compare: columns headed by what differs, and -m honoured
fs --db "$TMP/head.db" compare 1 2 -m bsp,asp
check "compare -m: only those models" eval \
    '[ "$rc" -eq 0 ] && ! grep -q "^quorum " "$TMP/out" &&
    ! grep -q "^fastsync " "$TMP/out" && grep -q "^asp " "$TMP/out" &&
    grep -q "^bsp " "$TMP/out"'
# runs differing only in -m (not an override): headed "run N"
check "compare: nothing differs in the overrides: headed by run id" eval \
    'head -n 1 "$TMP/out" | grep -q "^model  *metric  *run 1  *run 2"'
fsrun --db "$TMP/head.db" -r 30 --seed 5
fsrun --db "$TMP/head.db" -r 30 --seed 6
fs --db "$TMP/head.db" compare 4 5
check "compare: columns headed by what differs (seed=5, seed=6)" eval \
    'head -n 1 "$TMP/out" | grep -q "^model  *metric  *seed=5  *seed=6"'

# show: where each sync model's round time went, term by term.
fs run --headless -q -c "$SRCDIR/configs/paper-20-workers.cfg" -r 40 \
    --db "$TMP/split.db" --name split
fs --db "$TMP/split.db" show split
check "show splits each sync model's rounds: the terms add up, the round is the table's" eval \
    '[ "$rc" -eq 0 ] && grep -q "^where each sync.s time went" "$TMP/out" &&
    awk "/^where each/ { on = 1; next } on && /^(bsp|quorum|fastsync) +[0-9]/ {
        n++; if (\$2 - \$3 - \$4 - \$5 > 0.011 || \$3 + \$4 + \$5 - \$2 > 0.011) bad = 1 }
        !on && /^(bsp|quorum|fastsync) +[0-9]/ { rm[\$1] = \$3 }
        on && /^(bsp|quorum|fastsync) +[0-9]/ { if (rm[\$1] != \$2) bad = 1 }
        END { exit !(n == 3 && !bad) }" "$TMP/out" &&
    grep -E -q "^fastsync - bsp: to quorum [+-][0-9.]+, alignment [+-][0-9.]+, reconfig \+[0-9.]+ = [+-][0-9.]+ ms a round$" "$TMP/out" &&
    awk "/^bsp  / && on { exit !(\$4 == 0 && \$5 == 0) } /^where each/ { on = 1 }" "$TMP/out"'
fs --db "$TMP/split.db" show split -f csv
check "show -f csv has no breakdown (the table only)" eval \
    '[ "$rc" -eq 0 ] && ! grep -q "where each" "$TMP/out"'
check "show -f csv carries the run: its id on every row" eval \
    '[ "$rc" -eq 0 ] && [ "$(csv_col run "$TMP/out" | sort -u)" = 1 ] &&
    [ "$(csv_col run "$TMP/out" | wc -l)" -eq 7 ]'
fs --db "$TMP/split.db" show split -f json
check "show -f json carries the run" eval \
    '[ "$rc" -eq 0 ] && [ "$(grep -o "\"run\": 1," "$TMP/out" | wc -l)" -eq 7 ]'
fs run --headless -c "$SRCDIR/configs/default.cfg" -r 5 --db "$TMP/split.db" \
    -f csv
check "a recorded headless run's csv carries the id it was recorded as" eval \
    '[ "$rc" -eq 0 ] && [ "$(csv_col run "$TMP/out" | sort -u)" = 2 ] &&
    grep -q "recorded as run 2 " "$TMP/err"'
fs run --headless -c "$SRCDIR/configs/default.cfg" -r 5 --no-db -f csv
check "an unrecorded run's csv leaves the run empty" eval \
    '[ "$rc" -eq 0 ] && head -n 1 "$TMP/out" | tr , "\n" | grep -qx run &&
    [ "$(csv_col run "$TMP/out" | sort -u)" = "" ] &&
    [ "$(wc -l <"$TMP/out")" -eq 7 ]'

# ---- Bad input, every kind (the index is at the top of this file).
# bad KIND STATUS PATTERN COMMAND...: COMMAND exits STATUS, its first
# stderr line is "fastsync: " and matches PATTERN (grep -E), the message
# is one line (besides "Try 'fastsync --help'.") with no control byte.
bad() {
	_kind=$1
	_want=$2
	_pat=$3
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "bad $_kind: $_pat (exit $_want, got $rc)" eval \
	    '[ "$rc" -eq "$_want" ] &&
	    head -n 1 "$TMP/err" | grep -E -q -- "^fastsync: $_pat" &&
	    [ "$(grep -c -v "^Try .fastsync --help.\.$" "$TMP/err")" -eq 1 ] &&
	    ! LC_ALL=C grep -q "[[:cntrl:]]" "$TMP/err"'
}
ESC=$(printf '\033')
NL='
'
TCFG=$SRCDIR/configs/traces.cfg
esctheme=$TMP/esc.theme
printf 'colors = {\n  stale = { fg = "\\x1b[2Jred\\nblue"; };\n};\n' >"$esctheme"
zcfg=$TMP/zero.cfg
printf 'seed = 1;\nrounds = 0;\n' >"$zcfg"
longcfg=$TMP/long.cfg
awk 'BEGIN { s = ""; for (i = 0; i < 2000; i++) s = s "A"
    printf "rounds = 3;\nworkload = \"%s\";\n", s }' >"$longcfg"
longkey=$TMP/longkey.cfg
awk 'BEGIN { s = ""; for (i = 0; i < 2000; i++) s = s "k"
    printf "rounds = 3;\n%s = 1;\n", s }' >"$longkey"
longtrace=$TMP/long.csv
awk 'BEGIN { s = ""; for (i = 0; i < 2000; i++) s = s "S"
    printf "start,end,duration\n1,2,%s\n", s }' >"$longtrace"
longtcfg=$TMP/longtrace.cfg
printf 'classes = { short = { dist = "trace"; files = "%s"; }; };\n' \
    "$longtrace" >"$longtcfg"
longafter=$TMP/longafter.cfg
awk 'BEGIN { s = ""; for (i = 0; i < 2000; i++) s = s "Q"
    printf "tasks = (\n { name = \"a\"; kind = \"async\"; class = \"short\"; },"
    printf "\n { name = \"s\"; kind = \"sync\"; after = \"%s\"; });\n", s }' \
    >"$longafter"
inccfg=$TMP/inc.cfg
printf '@include "%s/no-such.cfg"\n' "$TMP" >"$inccfg"
inccsv=$TMP/inccsv.cfg
printf 'rounds = 3;\n@include "%s"\n' "$longtrace" >"$inccsv"
mkdir -p "$TMP/badidx" "$TMP/dir.db"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte \
    t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
	printf 'garbage' >"$TMP/badidx/$f"
done
echo "not a database" >"$TMP/garbage.db"
FS=$FASTSYNC
H="run --headless -q --no-db -r 2 -m bsp"
# shellcheck disable=SC2086	# $H splits into arguments on purpose
{
bad "CLI flag" 2 "--workers: expected an integer" "$FS" $H -c "$CFG" --workers 0
bad "CLI flag" 2 "--format: expected" "$FS" $H -c "$CFG" --format xml
bad "--set" 2 "--set rounds=0: rounds must be in" "$FS" $H -c "$CFG" --set rounds=0
bad "--set" 2 "--set tasks.compute.after=nope: tasks: task 'compute' depends on unknown task 'nope'" \
    "$FS" $H -c "$CFG" --set tasks.compute.after=nope
bad "--set" 2 "--set classes.short.dist=trace: classes.short.sd does not apply" \
    "$FS" $H -c "$CFG" --set classes.short.dist=trace
bad "--set" 2 "--set workload=a\\\\e\[2Jb\\\\nc: workload must be one of timing, train, got 'a\\\\e\[2Jb\\\\nc'" \
    "$FS" $H -c "$CFG" --set "workload=a${ESC}[2Jb${NL}c"
bad "config" 2 "$zcfg:2: rounds must be in" "$FS" check "$zcfg"
bad "config" 2 "$longcfg:2: workload must be one of timing, train, got 'A{40,44}\.\.\.'$" \
    "$FS" check "$longcfg"
bad "config" 2 "$longkey:2: unknown key 'k{40,44}\.\.\.'" "$FS" check "$longkey"
bad "config" 2 "$longafter:3: tasks: task 's' depends on unknown task 'Q{40,44}\.\.\.'$" \
    "$FS" check "$longafter"
bad "config" 2 "$inccfg:1: syntax error: cannot open include file" "$FS" check "$inccfg"
bad "config" 2 "$longtrace:1: syntax error" "$FS" check "$inccsv"
check "... an included file's content is not echoed" eval \
    '! grep -q "start,end\|SSSS" "$TMP/err"'
bad "theme" 2 "$badtheme:3: .*stale" "$FS" $H -c "$CFG" --theme "$badtheme"
bad "theme" 2 ".*no-such-theme.*" "$FS" $H -c "$CFG" --theme no-such-theme
bad "theme" 2 "$esctheme:2: unknown colour '\\\\e\[2Jred\\\\nblue' in colors.stale.fg" \
    "$FS" run -f csv -q --no-db -r 2 -m bsp -c "$CFG" --theme "$esctheme"
bad "theme" 2 "$esctheme:2: unknown colour '\\\\e\[2Jred\\\\nblue'" \
    "$FS" run -c "$CFG" --no-db --theme "$esctheme"
bad "trace" 2 "$longtcfg:1: classes.short.files: $longtrace:2: duration is not a number: 'S{40,44}\.\.\.'$" \
    "$FS" check "$longtcfg"
bad "IDX" 2 "$TMP/badidx/train-images-idx3-ubyte: not an IDX file" \
    "$FS" $H -c "$CFG" --set workload=train --set train.data="$TMP/badidx"
bad "database" 2 "$TMP/dir.db: is a folder, not a database" \
    "$FS" run --headless -q -r 2 -m bsp -c "$CFG" --db "$TMP/dir.db"
bad "database" 2 "$TMP/garbage.db: not readable as a database" \
    "$FS" --db "$TMP/garbage.db" runs
bad "environment" 2 "$TCFG:[0-9]+: classes.load.files: no file matches /nonexistent/" \
    env FASTSYNC_TRACES=/nonexistent "$FS" check "$TCFG"
bad "terminal" 2 "the dashboard needs a terminal" "$FS" run -c "$CFG" --no-db
bad "output" 1 "writing output: No space left on device" sh -c \
    '"$0" run --headless -q --no-db -r 2 -m bsp -c "$1" >/dev/full' "$FS" "$CFG"
} </dev/null

# ---- Names with escapes and newlines: stored as given, shown escaped in
# the tables (runs, show, compare, the headless table), quoted by CSV and
# JSON (which carry them whole).
ndb=$TMP/names.db
ename="x${ESC}[2Jy${NL}z"
emodel="s${ESC}[31mq"
fs run --headless -q -c "$CFG" -r 2 -m bsp,ssp --db "$ndb" --name "$ename" \
    --set "models.ssp.name=$emodel"
check "the headless table shows a model name's ESC as an escape" eval \
    '[ "$rc" -eq 0 ] && grep -q "^s\\\\e\[31mq  " "$TMP/out" &&
    ! grep -q "$ESC" "$TMP/out"'
for c in runs "show last" "compare 1 1"; do
	# shellcheck disable=SC2086	# the command's words
	fs --db "$ndb" $c
	check "$c: names shown escaped (ESC, newline), no control byte" eval \
	    '[ "$rc" -eq 0 ] && grep -q "s\\\\e\[31mq" "$TMP/out" &&
	    ! LC_ALL=C grep -q "[[:cntrl:]]" "$TMP/out"'
done
fs --db "$ndb" runs
check "runs: the run's name escaped, on its row" eval \
    'grep -q "^ *1  .*  x\\\\e\[2Jy\\\\nz  " "$TMP/out"'
fs --db "$ndb" export last --table runs -f csv
check "export -f csv: the name quoted, carried whole (the newline too)" eval \
    '[ "$rc" -eq 0 ] && grep -q ",\"x${ESC}\[2Jy$" "$TMP/out" &&
    grep -q "^z\"," "$TMP/out"'
fs --db "$ndb" export last --table runs -f json
check "export -f json: the name with JSON escapes for ESC and newline" eval \
    '[ "$rc" -eq 0 ] && grep -q "\"name\": \"x\\\\u001b\[2Jy\\\\u000az\"" "$TMP/out"'
ecfg="$TMP/e${ESC}[2Jx.cfg"
cp "$CFG" "$ecfg"
fs check "$ecfg"
check "check: a config path's ESC printed as an escape" eval \
    '[ "$rc" -eq 0 ] && grep -q "e\\\\e\[2Jx.cfg: ok" "$TMP/out" &&
    ! LC_ALL=C grep -q "[[:cntrl:]]" "$TMP/out"'
fs --db "$ndb" export last -f csv
check "export -f csv: the model name kept as stored" eval \
    '[ "$rc" -eq 0 ] && grep -q "^1,s${ESC}\[31mq,ssp," "$TMP/out"'

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
