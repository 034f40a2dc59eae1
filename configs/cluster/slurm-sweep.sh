#!/bin/sh
# Submit a fastsync sweep to Slurm: a job array of N tasks (each a shard,
# slurm-sweep.sbatch), then a merge job that runs only if all succeeded
# (--dependency=afterok). Prints the merge job's id.
#   slurm-sweep.sh -n N -o OUT.db -d SHARDDIR [-- sbatch options] \
#       -- SWEEP OPTIONS...
# e.g. slurm-sweep.sh -n 4 -o $HOME/runs.db -d $HOME/shards \
#       -- -c configs/paper-20-workers.cfg --vary quorum=0.5,0.7 --seeds 10
# SHARDDIR must be visible to every node (the tasks copy closed files
# there); OUT.db should be on a local disk of the node that reads it.
# FASTSYNC names the binary (default: fastsync on the PATH).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=configs/cluster/sweep-args.sh
. "$here/sweep-args.sh"
[ -n "$dir" ] || { echo "$0: -d SHARDDIR is needed" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
array=$(sbatch --parsable --array=1-"$n" --output="$dir/task-%a.out" \
    --export=ALL,SHARDDIR="$dir",FASTSYNC="$fs" ${SBATCH_OPTS:-} \
    "$here/slurm-sweep.sbatch" "$@")
array=${array%%;*}
shards=$(seq 1 "$n" | sed "s|.*|$dir/shard-&.db|" | tr '\n' ' ')
merge=$(sbatch --parsable --dependency=afterok:"$array" \
    --job-name=fastsync-merge --output="$dir/merge.out" ${SBATCH_OPTS:-} \
    --wrap="'$fs' merge '$out' $shards")
echo "${merge%%;*}"
