# Shared by parallel-sweep.sh and slurm-sweep.sh (sourced): -n N, -o
# OUT.db, -d SHARDDIR, then "--" and the sweep's options, left in "$@".
# shellcheck shell=sh
n=4 out= dir=
while getopts n:o:d: opt; do
	case $opt in
	n) n=$OPTARG ;;
	o) out=$OPTARG ;;
	d) dir=$OPTARG ;;
	*) echo "usage: $0 -n N -o OUT.db [-d SHARDDIR] -- SWEEP OPTIONS" >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
[ -n "$out" ] || { echo "$0: -o OUT.db is needed" >&2; exit 2; }
fs=${FASTSYNC:-fastsync}
