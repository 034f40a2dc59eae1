#!/bin/sh
# Bad databases, files, environment, output and signals, end to end: a
# database in a read-only place is readable and refuses recording; a busy
# one says busy; --db "" is refused; a damaged one is said and left
# alone; no HOME means no default database; an IDX header too large is
# refused; a full stdout is exit 1; SIGHUP records the run interrupted.
# One table of cases: DESCRIPTION|STATUS|STDERR PATTERN|COMMAND (a
# status of 2 also wants exactly one line on stderr). Needs FASTSYNC,
# SRCDIR and sqlite3 (SKIP, exit 77, without it).
# shellcheck disable=SC2016	# the table's commands expand when they run
set -u

: "${FASTSYNC:?FASTSYNC must name the fastsync binary}"
: "${SRCDIR:?SRCDIR must name the source directory}"
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "# sqlite3 is not installed: the database cases cannot run"
	exit 77
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-baddb.XXXXXX") || exit 1
[ -n "${KEEP:-}" ] || trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM
chmod 755 "$TMP"
CFG=$(cd "$SRCDIR" && pwd)/configs/default.cfg
export XDG_CACHE_HOME="$TMP/cache"

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
	sed 's/^/#   stderr: /' "$TMP/err" 2>/dev/null | head -n 3
}

check() {
	_desc=$1
	shift
	if "$@"; then
		pass "$_desc"
	else
		fail "$_desc"
	fi
}

rec() {
	"$FASTSYNC" run --headless -q -c "$CFG" -r 3 -w 4 -m bsp,asp "$@" \
	    >/dev/null 2>"$TMP/err"
}

# ---- Fixtures.
# A database in a folder that cannot be written (and the file with it).
RODIR=$TMP/ro
mkdir "$RODIR"
RODB=$RODIR/runs.db
rec --db "$RODB" || echo "# could not record $RODB"
chmod 644 "$RODB"
mkdir -m 777 "$TMP/w"
mkdir "$TMP/cwd"
# ro CMD...: CMD where RODIR cannot be written. Root is not stopped by
# permissions, so: a read-only bind mount in a mount namespace, else
# the command as nobody; a user other than root: the folder's mode.
ro_mount() {
	unshare -m sh -c 'd=$1; shift; mount --bind -o ro "$d" "$d" &&
	    exec "$@"' sh "$RODIR" "$@"
}
ro_nobody() {
	setpriv --reuid 65534 --regid 65534 --clear-groups "$@"
}
ro_plain() {
	"$@"
}
ro=
if [ "$(id -u)" -ne 0 ]; then
	chmod 555 "$RODIR"
	ro=ro_plain
else
	# BAD_DB_RO=ro_nobody tries the other way
	for way in ${BAD_DB_RO:-ro_mount ro_nobody}; do
		if $way true 2>/dev/null && ! $way sh -c \
		    ': >"$1/probe"' sh "$RODIR" 2>/dev/null &&
		    $way test -x "$FASTSYNC" && $way test -r "$RODB"; then
			ro=$way
			break
		fi
	done
	rm -f "$RODIR/probe"
fi
rosum=$(cksum <"$RODB")
# A read-only file in a folder that can be written (SQLite can make its
# -shm there): as nobody when root, else by the file's mode.
ROFDIR=$TMP/rof
mkdir -m 777 "$ROFDIR"
ROFDB=$ROFDIR/runs.db
cp "$RODB" "$ROFDB"
chmod 644 "$ROFDB"
rof=
if [ "$(id -u)" -ne 0 ]; then
	chmod 444 "$ROFDB"
	rof=ro_plain
elif ro_nobody test -x "$FASTSYNC" 2>/dev/null &&
    ! ro_nobody sh -c ': >>"$1"' sh "$ROFDB" 2>/dev/null; then
	rof=ro_nobody
fi
rofsum=$(cksum <"$ROFDB")

# A damaged database: a page in the middle of the file overwritten.
DMG=$TMP/damaged.db
rec --db "$DMG" -w 20 -r 30 || echo "# could not record $DMG"
pages=$(($(wc -c <"$DMG") / 4096))
head -c 4096 /dev/zero | tr '\000' '\377' |
    dd of="$DMG" bs=4096 seek=$((pages / 2)) conv=notrunc 2>/dev/null
dmgsum=$(cksum <"$DMG")

# A good database, and a holder of its write lock for the busy cases.
GOOD=$TMP/good.db
rec --db "$GOOD" || echo "# could not record $GOOD"
# A database one of whose event chunks is not what fastsync writes.
EVDMG=$TMP/evchunk.db
cp "$GOOD" "$EVDMG"
sqlite3 "$EVDMG" "UPDATE event_chunks SET data = CAST('[[1,[0,' AS BLOB),
    size = 7 WHERE rowid = (SELECT min(rowid) FROM event_chunks)" ||
    echo "# could not damage $EVDMG"
# locked CMD...: CMD while sqlite3 holds GOOD's write lock.
locked() {
	mkfifo "$TMP/lock.fifo"
	sqlite3 "$GOOD" <"$TMP/lock.fifo" >/dev/null 2>&1 &
	_holder=$!
	exec 9>"$TMP/lock.fifo"
	echo "BEGIN IMMEDIATE; INSERT INTO meta VALUES ('lock', 'held');" >&9
	sleep 0.3
	FASTSYNC_BUSY_TIMEOUT=200 "$@"
	_rc=$?
	echo "ROLLBACK;" >&9
	exec 9>&-
	wait "$_holder"
	rm -f "$TMP/lock.fifo"
	return $_rc
}

# An IDX images file whose header claims 1,369,569 28x28 images (1 GB of
# bytes, 4.3 GB as floats) with little data behind it, and a small set.
BOMB=$TMP/bomb
mkdir "$BOMB"
printf '\000\000\010\003\000\024\345\341\000\000\000\034\000\000\000\034' |
    cat - /dev/zero | head -c 1048576 | gzip -c \
    >"$BOMB/train-images-idx3-ubyte.gz"
printf '\000\000\010\001\000\024\345\341' |
    gzip -c >"$BOMB/train-labels-idx1-ubyte.gz"
for f in t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
	cp "$BOMB/train-${f#t10k-}.gz" "$BOMB/$f.gz"
done
SMALL=$TMP/small
mkdir "$SMALL"
for f in train t10k; do
	{ printf '\000\000\010\003\000\000\000\002\000\000\000\004\000\000\000\004'
	    head -c 32 /dev/zero; } >"$SMALL/$f-images-idx3-ubyte"
	printf '\000\000\010\001\000\000\000\002\000\001' \
	    >"$SMALL/$f-labels-idx1-ubyte"
done
TRAIN="--set workload=train --set train.network=softmax"

# ---- The table.
if [ -z "$ro" ]; then
	echo "# no way to make $RODIR read-only here (unshare, setpriv):" \
	    "the read-only cases are not checked"
fi
while IFS='|' read -r desc want pat cmd; do
	case $desc in "" | "#"*) continue ;; esac
	case $cmd in
	*'$ro '*) [ -n "$ro" ] || continue ;;
	*'$rof '*) [ -n "$rof" ] || continue ;;
	esac
	eval "$cmd" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "$desc: exit $want${pat:+, says '$pat'}" eval \
	    '[ "$rc" -eq "$want" ] &&
	    { [ -z "$pat" ] || grep -q -e "$pat" "$TMP/err"; } &&
	    { [ "$want" -ne 2 ] || [ "$(wc -l <"$TMP/err")" -eq 1 ]; }'
done <<'TABLE'
# A read-only folder: the readers read, the writers say why not.
runs reads a read-only folder's database|0||$ro "$FASTSYNC" --db "$RODB" runs && grep -q "^ *1 " "$TMP/out"
show reads it|0||$ro "$FASTSYNC" --db "$RODB" show 1 && grep -q "^bsp " "$TMP/out"
export reads it|0||$ro "$FASTSYNC" --db "$RODB" export 1 && [ "$(wc -l <"$TMP/out")" -eq 3 ]
compare reads it|0||$ro "$FASTSYNC" --db "$RODB" compare 1 1
plot reads it|0||$ro "$FASTSYNC" --db "$RODB" plot 1 -o "$TMP/w/ro.svg" && [ -s "$TMP/w/ro.svg" ]
run refuses to record there|2|cannot write here|$ro "$FASTSYNC" run --headless -q -c "$CFG" -r 2 --db "$RODB"
sweep refuses to record there|2|cannot write here|$ro "$FASTSYNC" sweep -q -c "$CFG" -r 2 --vary rounds=2,3 --db "$RODB"
run refuses a new file there|2|cannot write here|$ro "$FASTSYNC" run --headless -q -c "$CFG" -r 2 --db "$RODIR/new.db"
delete says read-only, not busy|2|runs.db: cannot write here|$ro "$FASTSYNC" --db "$RODB" delete 1
vacuum says read-only|2|runs.db: cannot write here|$ro "$FASTSYNC" --db "$RODB" vacuum
# A read-only file in a writable folder: the same.
runs reads a read-only file|0||$rof "$FASTSYNC" --db "$ROFDB" runs && grep -q "^ *1 " "$TMP/out"
export reads it|0||$rof "$FASTSYNC" --db "$ROFDB" export 1 --table rounds && [ "$(wc -l <"$TMP/out")" -eq 7 ]
run refuses to record into it|2|rof/runs.db: cannot write here (Permission denied)|$rof "$FASTSYNC" run --headless -q -c "$CFG" -r 2 --db "$ROFDB"
delete says read-only|2|rof/runs.db: cannot write here (Permission denied)|$rof "$FASTSYNC" --db "$ROFDB" delete 1
# A damaged event chunk: the exports of the event tables stop there.
export of a damaged event chunk names it|2|evchunk.db: exporting: event chunk (run 1, model [a-z]*, seq [0-9]*) is damaged|"$FASTSYNC" --db "$EVDMG" export 1 --table events
so does export --table updates|2|evchunk.db: exporting: event chunk|"$FASTSYNC" --db "$EVDMG" export 1 --table updates
the other tables still export|0||"$FASTSYNC" --db "$EVDMG" export 1 --table rounds && [ "$(wc -l <"$TMP/out")" -gt 2 ]
# A busy database: readers read, delete says busy and names the file.
delete on a busy database says busy|1|good.db: the database is busy|locked "$FASTSYNC" --db "$GOOD" delete 1
runs on a busy database reads|0||locked "$FASTSYNC" --db "$GOOD" runs
# --db "": SQLite's temporary database would lose the run.
run --db ""|2|--db: expected a file name|"$FASTSYNC" run --headless -q -c "$CFG" -r 2 --db ""
the dashboard --db ""|2|--db: expected a file name|"$FASTSYNC" run -c "$CFG" -r 2 --db "" </dev/null
sweep --db ""|2|--db: expected a file name|"$FASTSYNC" sweep -q -c "$CFG" -r 2 --vary rounds=2,3 --db ""
runs --db ""|2|--db: expected a file name|"$FASTSYNC" runs --db ""
show --db ""|2|--db: expected a file name|"$FASTSYNC" show 1 --db ""
export --db ""|2|--db: expected a file name|"$FASTSYNC" export 1 --db ""
delete --db ""|2|--db: expected a file name|"$FASTSYNC" delete 1 --db ""
# A page in the middle of the file damaged: said on open, never written.
runs on a damaged database|2|damaged.db: the database is damaged|"$FASTSYNC" --db "$DMG" runs
show on a damaged database|2|damaged.db: the database is damaged|"$FASTSYNC" --db "$DMG" show 1
export on a damaged database|2|damaged.db: the database is damaged|"$FASTSYNC" --db "$DMG" export 1 --table events
compare on a damaged database|2|damaged.db: the database is damaged|"$FASTSYNC" --db "$DMG" compare 1
recording into a damaged database|2|damaged.db: the database is damaged|"$FASTSYNC" run --headless -q -c "$CFG" -r 2 --db "$DMG"
delete on a damaged database|2|damaged.db: the database is damaged|"$FASTSYNC" --db "$DMG" delete 1
# No HOME, no XDG_DATA_HOME: no default database (never the current folder).
run without HOME or XDG_DATA_HOME|2|set one, or give --db|(cd "$TMP/cwd" && env -u HOME -u XDG_DATA_HOME "$FASTSYNC" run --headless -q -c "$CFG" -r 2; s=$?; [ -z "$(ls -A)" ] || s=99; exit $s)
runs without HOME or XDG_DATA_HOME|2|set one, or give --db|env -u HOME -u XDG_DATA_HOME "$FASTSYNC" runs
sweep without HOME or XDG_DATA_HOME|2|set one, or give --db|env -u HOME -u XDG_DATA_HOME "$FASTSYNC" sweep -q -c "$CFG" -r 2 --vary rounds=2,3
a relative HOME is no HOME|2|set one, or give --db|env -u XDG_DATA_HOME HOME=rel "$FASTSYNC" runs
without HOME, --db still records|0||env -u HOME -u XDG_DATA_HOME "$FASTSYNC" run --headless -q -c "$CFG" -r 2 --db "$TMP/nohome.db"
# IDX files: a header beyond train.max_pixels is refused before reading.
an IDX header claiming 1,369,569 images|2|train-images-idx3-ubyte.gz: the header says 1073742096 values, more than train.max_pixels|"$FASTSYNC" run --headless -q --no-db -c "$CFG" -r 2 $TRAIN --set train.data="$BOMB"
train.max_pixels below a small set's 32|2|small/train-images-idx3-ubyte: the header says 32 values, more than train.max_pixels (31)|"$FASTSYNC" run --headless -q --no-db -c "$CFG" -w 2 -r 2 -m bsp $TRAIN --set train.data="$SMALL" --set train.max_pixels=31
train.max_pixels at a small set's 32 trains|0||"$FASTSYNC" run --headless -q --no-db -c "$CFG" -w 2 -r 2 -m bsp $TRAIN --set train.data="$SMALL" --set train.max_pixels=32 --set train.batch=1
train.max_pixels = 0|2|train.max_pixels must be in \[1, 2147483647\]|"$FASTSYNC" run --headless -q --no-db -c "$CFG" -r 2 --set train.max_pixels=0
# Output that cannot be written: exit 1, as GNU tools do.
--help to a full disk|1|^fastsync: write error|"$FASTSYNC" --help >/dev/full
--version to a full disk|1|^fastsync: write error|"$FASTSYNC" --version >/dev/full
check to a full disk|1|^fastsync: write error|"$FASTSYNC" check "$CFG" >/dev/full
lesson to a full disk|1|^fastsync: write error|(cd "$SRCDIR" && "$FASTSYNC" lesson >/dev/full)
runs to a full disk|1|No space left|"$FASTSYNC" --db "$GOOD" runs >/dev/full
TABLE

# Nothing the cases did wrote to the read-only or the damaged file.
check "the read-only database is unchanged, nothing beside it" eval \
    '[ "$(cksum <"$RODB")" = "$rosum" ] && [ "$(ls -A "$RODIR")" = runs.db ]'
if [ -n "$rof" ]; then
	check "the read-only file is unchanged" eval \
	    '[ "$(cksum <"$ROFDB")" = "$rofsum" ]'
else
	echo "# no way to make $ROFDB read-only here: its cases are not checked"
fi
check "the damaged database is unchanged" eval \
    '[ "$(cksum <"$DMG")" = "$dmgsum" ]'
check "the busy database still has its run" eval \
    '[ "$("$FASTSYNC" --db "$GOOD" runs 2>"$TMP/err" | wc -l)" -eq 2 ]'

# ---- Signals: each stop is recorded interrupted, exit 128 + n.
# SIGNAL|EXIT
while IFS='|' read -r sig want; do
	db=$TMP/sig-$sig.db
	"$FASTSYNC" run --headless -q -c "$CFG" --db "$db" -r 10000000 \
	    >/dev/null 2>"$TMP/err" &
	pid=$!
	i=0
	until [ -s "$db" ] && [ "$(sqlite3 "$db" "SELECT status FROM runs" \
	    2>/dev/null)" = running ] || [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.2
	kill -s "$sig" $pid
	wait $pid
	rc=$?
	check "SIG$sig: exits $want, recorded interrupted" eval \
	    '[ "$rc" -eq "$want" ] && [ "$(sqlite3 "$db" \
	    "SELECT status FROM runs")" = interrupted ]'
done <<'TABLE'
TERM|143
HUP|129
INT|130
TABLE

echo "bad_db: $passed passed, $failed failed${ro:+ (read-only by $ro${rof:+, $rof})}"
[ "$failed" -eq 0 ]
