# Shared by the sweep tests (sweep.sh, parallel.sh, slurm.sh): TAP-like
# checks, the test sweep, and a database's sweep rows in sweep order.
# shellcheck shell=sh
n=0
failed=0
check() {
	n=$((n + 1))
	_d=$1
	shift
	if "$@"; then
		echo "ok $n - $_d"
	else
		failed=$((failed + 1))
		echo "not ok $n - $_d"
	fi
}
fs() {
	"$FASTSYNC" "$@"
}
# a 2 x 2 grid x 2 seeds, small enough for a test; FASTSYNC_TEST_SWEEP
# runs another through the same checks (the 3 x 2 x 10, say)
# shellcheck disable=SC2034	# used by the scripts that source this
SW=${FASTSYNC_TEST_SWEEP:-"--vary models.quorum.quorum=0.5,0.7
    --vary workers.count=6:9:3 --seeds 2 -r 12"}
# rows of a database, the run's id and times left out, in sweep order
rows() {
	sqlite3 "$1" "SELECT r.point, r.seed, r.point_values, r.config_path,
	    hex(r.config), hex(r.overrides), m.* FROM runs r JOIN run_models m
	    ON m.run = r.id ORDER BY r.point, r.seed, m.position" |
	    cut -d'|' -f1-6,8-
	sqlite3 "$1" "SELECT r.point, r.seed, o.* FROM runs r JOIN rounds o
	    ON o.run = r.id ORDER BY r.point, r.seed, o.model, o.round" |
	    cut -d'|' -f1-2,4-
}
