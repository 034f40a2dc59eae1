#!/bin/sh
# The fuzz harnesses, built with their driver (not libFuzzer), run once
# on every seed input and every regression input (tests/fuzz/regress/NAME/,
# one file per crash fuzzing ever found): each must finish cleanly, which
# an ASan+UBSan build checks for memory errors too. One line per set.
set -u
: "${SRCDIR:?SRCDIR must name the source directory}"
B=${BUILDDIR:-.}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
# libconfig's own leak on some syntax errors (see the file)
LSAN_OPTIONS=suppressions=$SRCDIR/tests/fuzz/lsan.supp:print_suppressions=0
export LSAN_OPTIONS
n=0
failed=0
run() {
	name=$1
	shift
	n=$((n + 1))
	if "$B/tests/fuzz/fuzz_$name" "$@" >/dev/null 2>"$TMP/$name.err"; then
		echo "ok $n - fuzz_$name on $# inputs"
	else
		failed=$((failed + 1))
		echo "not ok $n - fuzz_$name on $# inputs"
		sed 's/^/#   /' "$TMP/$name.err" | head -n 20
	fi
}
regress() {
	[ -d "$SRCDIR/tests/fuzz/regress/$1" ] && ls "$SRCDIR/tests/fuzz/regress/$1"/* 2>/dev/null
}
# shellcheck disable=SC2046	# the file lists split on purpose
run config "$SRCDIR"/configs/*.cfg $(regress config)
# shellcheck disable=SC2046
run theme "$SRCDIR"/themes/*.theme $(regress theme)
# shellcheck disable=SC2046
run trace "$SRCDIR"/tests/fuzz/corpus/trace/* $(regress trace)
# shellcheck disable=SC2046
run idx "$SRCDIR"/tests/fuzz/corpus/idx/* $(regress idx)
# shellcheck disable=SC2046
run lesson "$SRCDIR"/configs/lessons/*.lesson $(regress lesson)
# shellcheck disable=SC2046
run events "$SRCDIR"/tests/fuzz/corpus/events/* $(regress events)
echo "fuzz_regress: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
