#!/bin/sh
# End-to-end tests of fastsync plot: every kind in every format makes a
# valid file (magic bytes; a PNG's size), an SVG holds one line per model
# in its palette colour with a point per database row, and what cannot be
# drawn is refused with one line, exit 2 and no file. Needs FASTSYNC and
# SRCDIR, which "make check" exports.
set -u

: "${FASTSYNC:?FASTSYNC must name the fastsync binary}"
: "${SRCDIR:?SRCDIR must name the source directory}"

CFG=$SRCDIR/configs/default.cfg
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-plot.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM
DB=$TMP/runs.db

n=0
failed=0

check() {
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		sed 's/^/#   stderr: /' "$TMP/err" 2>/dev/null | head -n 3
	fi
}

fs() {
	"$FASTSYNC" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# magic FILE FORMAT: the file starts as a FORMAT file does.
magic() {
	case $2 in
	png) [ "$(od -An -c -j1 -N3 "$1" | tr -d ' ')" = PNG ] ;;
	pdf) [ "$(head -c 5 "$1")" = "%PDF-" ] ;;
	svg) head -n 3 "$1" | grep -q '<svg' ;;
	esac
}

# png_size FILE: "WIDTHxHEIGHT" from the IHDR chunk.
png_size() {
	od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", \
	    (($1 * 256 + $2) * 256 + $3) * 256 + $4, \
	    (($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
}

# refused: exit 2, one line naming the problem, no figure written.
refused() {
	[ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] &&
	    head -n 1 "$TMP/err" | grep -q "^fastsync: .*$1" &&
	    [ -z "$(find "$TMP" -name 'fig*' -print)" ]
}

fs run --headless -q -c "$CFG" --db "$DB" --name timing -w 4 -r 8
check "a timing run is recorded" '[ "$rc" -eq 0 ]'

for kind in time rounds round-dist staleness syncpoints; do
	for fmt in png svg pdf; do
		fs plot timing --db "$DB" --kind "$kind" --size 640x400 \
		    -o "$TMP/$kind.$fmt"
		check "plot --kind $kind makes a $fmt file, quietly" \
		    '[ "$rc" -eq 0 ] && [ ! -s "$TMP/out" ] &&
		    [ ! -s "$TMP/err" ] && magic "$TMP/$kind.$fmt" $fmt'
	done
	check "plot --kind $kind: the PNG is --size" \
	    '[ "$(png_size "$TMP/$kind.png")" = 640x400 ]'
done

fs plot timing --db "$DB" -o "$TMP/default.png"
check "a timing run's default figure is the time figure" \
    '[ "$rc" -eq 0 ] && [ "$(png_size "$TMP/default.png")" = 900x560 ]'

fs plot timing --db "$DB" --kind accuracy -o "$TMP/fig.png"
check "accuracy of a run with no accuracy rows is refused" \
    'refused "run 1 has no accuracy rows"'
fs plot 99 --db "$DB" -o "$TMP/fig.png"
check "an unknown run is refused" 'refused "no run .99."'
fs plot timing --db "$DB" -o "$TMP/none/fig.png"
check "an unwritable output path is refused" 'refused "none/fig.png"'
fs plot timing --db "$DB" -o "$TMP/fig.gif"
check "an unknown format is refused" 'refused "fig.gif"'
fs plot timing --db "$DB" --kind pie -o "$TMP/fig.png"
check "an unknown kind is refused" 'refused "--kind: expected time"'
fs plot timing --db "$DB" -m asp,ssp --kind syncpoints -o "$TMP/fig.png"
check "syncpoints without FastSync are refused" 'refused "FastSync"'

# The palette's colour of a model kind as cairo writes it in an SVG.
svg_colour() {
	case $1 in
	asp) hex=56b4e9 ;; bsp) hex=0072b2 ;; ssp) hex=009e73 ;;
	dssp) hex=cc79a7 ;; quorum) hex=e69f00 ;; fastsync) hex=d55e00 ;;
	esac
	echo "$hex" | awk '{
		s = "rgb(";
		for (i = 0; i < 3; i++) {
			v = sprintf("%.6f", 100 * ("0x" substr($0, 2 * i + 1,
			    2)) / 255);
			sub(/0+$/, "", v); sub(/\.$/, "", v);
			s = s v "%" (i < 2 ? "," : ")");
		}
		print s }' 2>/dev/null
}

# svg_points FILE COLOUR: the most points of one path in that colour.
svg_points() {
	grep -F "stroke:$2;" "$1" | sed 's/.* d="\([^"]*\)".*/\1/' |
	    awk '{ c = 0; for (i = 1; i <= NF; i++) c += ($i == "M" ||
	    $i == "L"); if (c > m) m = c } END { print m + 0 }'
}

# rows TABLE MODEL: that model's rows of run timing (or train).
rows() {
	"$FASTSYNC" export "$3" --db "$DB" --table "$1" -f csv |
	    awk -F, -v m="$2" 'NR > 1 && $2 == m' | wc -l | tr -d ' '
}

for m in asp bsp ssp dssp quorum fastsync; do
	check "the time SVG has $m's line, a point per recorded round" \
	    '[ "$(svg_points "$TMP/time.svg" "$(svg_colour $m)")" -eq \
	    "$(rows rounds $m timing)" ]'
done

fs run --headless -q -c "$CFG" --db "$DB" --name timing6 -w 6 -r 8
fs plot timing timing6 --db "$DB" --kind time -o "$TMP/two.svg"
# a second line of a kind is dashed: PLplot draws dashes as short paths
check "two runs overlay: each model's colour, solid then dashed" \
    '[ "$rc" -eq 0 ] && [ "$(grep -cF "stroke:$(svg_colour bsp);" \
    "$TMP/two.svg")" -gt 4 ] &&
    [ "$(svg_points "$TMP/two.svg" "$(svg_colour bsp)")" -eq 8 ]'
fs plot timing --db "$DB" --kind time --mono -o "$TMP/mono.svg"
check "--mono: black lines, dashed apart" \
    '[ "$rc" -eq 0 ] && ! grep -qF "stroke:$(svg_colour bsp);" \
    "$TMP/mono.svg" && [ "$(grep -c "stroke-width:2;.*stroke:rgb(0%,0%,0%)" \
    "$TMP/mono.svg")" -gt 100 ]'

# ---- A sweep's figure: a metric or the ratio to BSP against a key.
fs sweep -c "$CFG" --db "$DB" --name qs -w 4 -r 8 --seeds 3 \
    --vary models.quorum.quorum=0.5,0.7,0.9 -q
check "a sweep is recorded" '[ "$rc" -eq 0 ]'
for fmt in png svg pdf; do
	fs plot qs --db "$DB" -o "$TMP/sweep.$fmt"
	check "a sweep's default figure, the ratio to bsp, as $fmt, quietly" \
	    '[ "$rc" -eq 0 ] && [ ! -s "$TMP/out" ] && [ ! -s "$TMP/err" ] &&
	    magic "$TMP/sweep.$fmt" $fmt'
done
# the quorum model's line bends at each of the 3 values; the others do
# not use models.quorum.quorum, and PLplot draws a straight line as one
# segment
check "the ratio SVG has quorum's line through the 3 quorum values" \
    '[ "$(svg_points "$TMP/sweep.svg" "$(svg_colour quorum)")" -eq 3 ]'
fs plot qs --db "$DB" --size 640x400 -o "$TMP/sweep-size.png"
check "plot --kind sweep: the PNG is --size" \
    '[ "$rc" -eq 0 ] && [ "$(png_size "$TMP/sweep-size.png")" = 640x400 ]'
for m in asp ssp dssp fastsync; do
	check "the ratio SVG has $m's line" \
	    '[ "$(svg_points "$TMP/sweep.svg" "$(svg_colour $m)")" -ge 2 ]'
done
check "the ratio SVG has no line for the baseline (its ratio is 1)" \
    '[ "$(svg_points "$TMP/sweep.svg" "$(svg_colour bsp)")" -eq 0 ]'
fs plot qs --db "$DB" --kind sweep --y time -m bsp,quorum \
    --x models.quorum.quorum -o "$TMP/sweep-time.svg"
check "--y time -m bsp,quorum: those two lines and no other" \
    '[ "$rc" -eq 0 ] &&
    [ "$(svg_points "$TMP/sweep-time.svg" "$(svg_colour bsp)")" -ge 2 ] &&
    [ "$(svg_points "$TMP/sweep-time.svg" "$(svg_colour quorum)")" -eq 3 ] &&
    [ "$(svg_points "$TMP/sweep-time.svg" "$(svg_colour asp)")" -eq 0 ]'
fs plot qs --db "$DB" --kind time -o "$TMP/fig.png"
check "a sweep with a run's kind is refused" 'refused "is a sweep"'
fs plot timing --db "$DB" --kind sweep -o "$TMP/fig.png"
check "--kind sweep of a run is refused" 'refused "is not a sweep"'
fs plot qs --db "$DB" --y accuracy -o "$TMP/fig.png"
check "the accuracy of a timing sweep is refused" \
    'refused "no accuracy values"'
fs plot qs --db "$DB" --x workers.count -o "$TMP/fig.png"
check "--x a key the sweep does not vary is refused" \
    'refused "--x: expected a key sweep qs varies (models.quorum.quorum)"'
fs plot qs --db "$DB" --y fresh_pct -o "$TMP/fig.png"
check "--y an unknown metric is refused" 'refused "--y: expected ratio"'
fs plot qs --db "$DB" --baseline ssp-9 -o "$TMP/fig.png"
check "--baseline a model the sweep lacks is refused" \
    'refused "--baseline: sweep qs has no model .ssp-9."'
fs plot timing --db "$DB" --y time -o "$TMP/fig.png"
check "--y of a run (not a sweep) is refused" 'refused "--y: only for"'

fmnist=/usr/share/datasets/fashion-mnist
if [ -r "$fmnist/train-images-idx3-ubyte.gz" ]; then
	fs run --headless -q -c "$CFG" --db "$DB" --name train -w 4 -r 10 \
	    --set workload=train --set train.network=softmax \
	    --set train.eval_samples=200 --set train.eval_every=2
	check "a training run is recorded" '[ "$rc" -eq 0 ]'
	for fmt in png svg pdf; do
		fs plot train --db "$DB" -o "$TMP/acc.$fmt"
		check "a training run's default figure, accuracy, as $fmt" \
		    '[ "$rc" -eq 0 ] && [ ! -s "$TMP/err" ] &&
		    magic "$TMP/acc.$fmt" $fmt'
	done
	for m in asp bsp ssp dssp quorum fastsync; do
		check "the accuracy SVG has $m's line, a point per evaluation" \
		    '[ "$(svg_points "$TMP/acc.svg" "$(svg_colour $m)")" -eq \
		    "$(rows accuracy $m train)" ]'
	done
	fs plot train --db "$DB" --x rounds -o "$TMP/acc-rounds.png"
	check "accuracy against rounds" '[ "$rc" -eq 0 ]'
	fs plot train --db "$DB" --x workers -o "$TMP/fig.png"
	check "accuracy against an unknown axis is refused" 'refused "--x"'
else
	echo "# no Fashion-MNIST in $fmnist: accuracy figures not checked"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
