#!/bin/sh
# The Slurm job array for real: a single-node cluster on this machine
# (munged, slurmctld and slurmd on localhost, configured in a temporary
# folder, started here and stopped at the end), the shipped
# configs/cluster/slurm-sweep.sh submitting a sweep as a 4-task array and an
# afterok merge job; the merged rows must equal a one-process sweep's.
# Without Slurm and munge installed, or when the cluster cannot start,
# it reports SKIP (exit 77) with the reason, never a pass.
set -u
: "${FASTSYNC:?FASTSYNC must name the fastsync binary}"
: "${SRCDIR:?SRCDIR must name the source directory}"
for c in slurmctld slurmd munged sbatch squeue sinfo sqlite3; do
	if ! command -v $c >/dev/null 2>&1 && [ ! -x /usr/sbin/$c ]; then
		echo "# $c is not installed (Debian: slurm-wlm, munge): the Slurm" \
		    "test cannot run"
		exit 77
	fi
done
PATH=$PATH:/usr/sbin
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastsync-slurm.XXXXXX") || exit 1
chmod 755 "$TMP"
stop() {
	for p in slurmd slurmctld munged; do
		[ -s "$TMP/$p.pid" ] && kill "$(cat "$TMP/$p.pid")" 2>/dev/null
	done
	sleep 1
	for p in slurmd slurmctld munged; do
		[ -s "$TMP/$p.pid" ] && kill -9 "$(cat "$TMP/$p.pid")" \
		    2>/dev/null
	done
	[ -n "${KEEP:-}" ] || rm -rf "$TMP"
}
trap stop EXIT
trap 'exit 1' HUP INT TERM
cd "$SRCDIR" || exit 1
# shellcheck source=tests/sweep_lib.sh
. "$SRCDIR/tests/sweep_lib.sh"

skip() {
	echo "# SKIP: $1"
	for f in munged.log slurmctld.log slurmd.log; do
		[ -f "$TMP/$f" ] && tail -n 5 "$TMP/$f" | sed "s|^|# $f: |"
	done
	exit 77
}

# munge: a key and a socket of our own
mkdir -p "$TMP/munge" "$TMP/state" "$TMP/spool" "$TMP/shards"
chmod 700 "$TMP/munge"
dd if=/dev/urandom of="$TMP/munge/key" bs=1024 count=1 2>/dev/null
chmod 400 "$TMP/munge/key"
munged --force --key-file="$TMP/munge/key" \
    --socket="$TMP/munge/sock" --pid-file="$TMP/munged.pid" \
    --log-file="$TMP/munged.log" --seed-file="$TMP/munge/seed" ||
    skip "munged did not start"

host=$(hostname -s)
cpus=$(nproc)
# ports of our own, so a system Slurm is left alone
port=$((20000 + $$ % 20000))
cat >"$TMP/slurm.conf" <<CONF
ClusterName=fastsync-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$(id -un)
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$TMP/munge/sock
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool/%n
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/slurmctld.log
SlurmdLogFile=$TMP/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SchedulerType=sched/builtin
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$TMP/slurm.conf
slurmctld -i 2>>"$TMP/slurmctld.log" || skip "slurmctld did not start"
slurmd 2>>"$TMP/slurmd.log" || skip "slurmd did not start"
i=0
until sinfo -h -o %T 2>/dev/null | grep -q idle; do
	i=$((i + 1))
	[ $i -gt 60 ] && skip "the node did not come up idle in 30 s ($(sinfo \
	    -h -o %T 2>&1 | head -n 1))"
	sleep 0.5
done
echo "# a single-node cluster: $host, $cpus CPUs, port $port"

# shellcheck disable=SC2086
fs sweep $SW -q --db "$TMP/one.db"
# shellcheck disable=SC2086
jid=$(FASTSYNC=$FASTSYNC sh "$SRCDIR/configs/cluster/slurm-sweep.sh" -n 4 \
    -o "$TMP/out.db" -d "$TMP/shards" -- $SW 2>"$TMP/submit.err")
check "slurm-sweep.sh submits the array and the merge job" \
    test -n "$jid"
i=0
while squeue -h 2>/dev/null | grep -q .; do
	i=$((i + 1))
	[ $i -gt 600 ] && break
	sleep 0.5
done
check "every job left the queue within 300 s" eval "! squeue -h | grep -q ."
check "four shard files, one per array task" test \
    "$(ls "$TMP"/shards/shard-*.db 2>/dev/null | wc -l)" = 4
check "the merge job ran after them and merged" test -s "$TMP/out.db"
rows "$TMP/one.db" >"$TMP/one"
rows "$TMP/out.db" >"$TMP/out" 2>/dev/null
check "merged rows equal the one-process sweep's" cmp -s "$TMP/one" \
    "$TMP/out"
if [ "$failed" -ne 0 ]; then
	for f in "$TMP/submit.err" "$TMP"/shards/*.out; do
		[ -f "$f" ] && sed "s|^|# $(basename "$f"): |" "$f" | tail -n 5
	done
fi
echo "1..$n"
[ "$failed" -eq 0 ]
