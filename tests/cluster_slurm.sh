#!/bin/sh
# The README's Slurm recipe on a real one-node cluster: slurmctld and slurmd from Debian's
# packages start on a slurm.conf generated in a temporary directory (no munge: auth/none),
# the array job of 16 shards runs, the merge runs after it (--dependency=afterok), and the
# merged files equal the unsharded run's, byte for byte. Skipped (77) without Slurm or
# root; scripts/test.sh installs slurm-wlm. Needs $EDSL and $TMP.
set -u
for t in slurmctld slurmd sbatch squeue sinfo; do
  command -v $t >/dev/null 2>&1 || { echo "$t is not installed: skipped"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "slurmd needs root: skipped"; exit 77; }
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
d=$TMP/slurm w=$TMP/slurm/work
mkdir -p "$d/state" "$d/spool" "$w/bin"
host=$(hostname -s)
set -- $(python3 -c 'import socket
ports = []
for _ in range(2):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); ports.append(s); 
print(*[s.getsockname()[1] for s in ports])')
cat >"$d/slurm.conf" <<CONF
ClusterName=edsltest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
SLURM_CONF=$d/slurm.conf
export SLURM_CONF
slurmctld -D -i -f "$SLURM_CONF" >"$d/ctld.out" 2>&1 &
ctld=$!
slurmd -D -f "$SLURM_CONF" >"$d/d.out" 2>&1 &
sd=$!
trap 'scancel --quiet --user=root 2>/dev/null; kill $sd $ctld 2>/dev/null; wait 2>/dev/null' EXIT
up=0
for _ in $(seq 1 60); do
  sinfo -h -o '%T' 2>/dev/null | grep -q '^idle' && { up=1; break; }
  sleep 0.5
done
[ $up = 1 ] || { no "the cluster did not come up: $(tail -3 "$d/slurmctld.log" "$d/slurmd.log" 2>&1)"; exit 1; }
ln -sf "$(cd "$(dirname "$EDSL")" && pwd)/$(basename "$EDSL")" "$w/bin/edsl"
cp tests/sweep/cache.edsl "$w/scenario.edsl"
# the README's array job and, after it, its merge
cat >"$w/array.sh" <<JOB
#!/bin/sh
#SBATCH --array=1-16
#SBATCH --output=$w/array-%a.out
PATH=$w/bin:\$PATH
cd $w
edsl run scenario.edsl --shard \${SLURM_ARRAY_TASK_ID}/16 --out shards/
JOB
cat >"$w/merge.sh" <<JOB
#!/bin/sh
#SBATCH --output=$w/merge.out
PATH=$w/bin:\$PATH
cd $w
edsl merge shards/scenario.shard-*-of-16.json --out results/
JOB
array=$(sbatch --parsable "$w/array.sh" 2>"$TMP/e") && [ -n "$array" ] && ok || no "sbatch the array: $(cat "$TMP/e")"
merge=$(sbatch --parsable --dependency=afterok:$array "$w/merge.sh" 2>"$TMP/e") && ok ||
  no "sbatch the merge: $(cat "$TMP/e")"
for _ in $(seq 1 240); do
  [ "$(squeue -h 2>/dev/null | wc -l)" -eq 0 ] && break
  sleep 0.5
done
[ "$(squeue -h 2>/dev/null | wc -l)" -eq 0 ] && ok || no "jobs still queued after 2 minutes: $(squeue)"
[ "$(ls "$w/shards" 2>/dev/null | grep -c '^scenario\.shard-[0-9]*-of-16\.json$')" -eq 16 ] && ok ||
  no "16 shard files: $(ls "$w/shards" 2>&1 | head -3)"
(cd "$w" && PATH=$w/bin:$PATH edsl run scenario.edsl --out full/ >/dev/null 2>&1)
[ -d "$w/results" ] && diff -r "$w/full" "$w/results" >/dev/null && ok ||
  no "the merged files differ from the unsharded run's: $(cat "$w/merge.out" 2>&1 | head -3)"
echo "cluster_slurm: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
