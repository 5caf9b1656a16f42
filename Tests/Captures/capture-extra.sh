#!/usr/bin/env bash
# Captures the real-etcd transcripts of the cases ../../shared/reference lacks, with the functions
# of shared/tools/capture-real-etcd.sh (Debian's etcd-server and etcd-client 3.4; loopback only;
# every etcd started here is stopped by pid). Usage: Tests/Captures/capture-extra.sh [10|11|12|13|14|15]
# (13-15 were captured inside unshare --user --map-root-user --net --pid --fork --mount-proc, lo up)
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
. "$here/../../../shared/tools/capture-real-etcd.sh"
trap - EXIT
CAP_OUTDIR=$here

# ---- 10: removing members, a removed member's restart, quorum loss, start-up refusals
s10() {
  scenario_begin 10-remove-and-quorum.txt "Scenario 10: remove a member, restart it on its old data dir, lose quorum, start-up refusals"
  start_cluster3
  rec 'sleep 6'
  rec "etcdctl --endpoints=$EP0 put k v"
  rec "etcdctl --endpoints=$EP0 member remove $(idof infra2)"
  wait_exit infra2
  rec "etcdctl --endpoints=$EP0 member list"
  note "(infra2 restarted on its old data dir: the cluster answers that it was removed)"
  rec_for 5 "$(etcd_cmd infra2 new 'infra0 infra1 infra2')"
  rec "etcdctl --endpoints=$EP0 member remove $(idof infra2)"
  note "(the same flags as the running infra0: its listeners are taken)"
  rec "$(etcd_cmd infra0 new 'infra0 infra1 infra2' | sed 's/--data-dir infra0.etcd/--data-dir other.etcd/')"
  rec_env 'export ETCD_NAME=infra9'
  rec "$(etcd_cmd infra9 existing 'infra0 infra1 infra9')"
  rec_env 'unset ETCD_NAME'
  stop_member infra1
  rec "etcdctl --endpoints=$EP0 put k v2"
  rec "etcdctl --endpoints=$EP0 member add infra3 --peer-urls=$(peer infra3)"
  rec "etcdctl --endpoints=$EP0 get k --consistency=s"
  rec "etcdctl --endpoints=$EP0 member list"
  scenario_end
}

# ---- 11: the output formats of the commands the reference shows only in simple form
s11() {
  scenario_begin 11-output-formats.txt "Scenario 11: put/get/del, member add/update/remove and endpoint status/health in every output format"
  start_cluster3
  rec 'sleep 6'
  rec "etcdctl --endpoints=$EP0 put foo bar -w json"
  rec "etcdctl --endpoints=$EP0 put foo baz -w fields"
  rec "etcdctl --endpoints=$EP0 put foo qux -w table"
  rec "etcdctl --endpoints=$EP0 get foo -w json"
  rec "etcdctl --endpoints=$EP0 get foo -w fields"
  rec "etcdctl --endpoints=$EP0 get nothing -w json"
  rec "etcdctl --endpoints=$EP0 get foo --print-value-only"
  rec "etcdctl --endpoints=$EP0 del foo -w json"
  rec "etcdctl --endpoints=$EP0 del foo"
  rec "etcdctl --endpoints=$EP0 endpoint status -w json"
  rec "etcdctl --endpoints=$EP0 endpoint health -w json"
  rec "etcdctl --endpoints=$EP0 member update $(idof infra2) --peer-urls=$(peer infra2) -w json"
  rec "etcdctl --endpoints=$EP0 member add infra3 --peer-urls=$(peer infra3) -w table"
  learn_ids "$EP0"
  rec "etcdctl --endpoints=$EP0 member remove $(idof infra3) -w json"
  rec "etcdctl --endpoints=$EP0 member add infra4 --peer-urls=$(peer infra4) --learner -w json"
  learn_ids "$EP0"
  rec "etcdctl --endpoints=$EP0 member remove $(idof infra4) -w table"
  rec "etcdctl --endpoints=$EP0 member list -w json"
  scenario_end
}

# ---- 12: snapshot files changed after the save, copied databases, unwritable targets, dead endpoints
s12() {
  scenario_begin 12-snapshot-files.txt "Scenario 12: snapshot save/status/restore with changed, copied and foreign files, and dead endpoints"
  start_cluster3
  rec 'sleep 6'
  rec "etcdctl --endpoints=$EP0 put a 1"
  rec "etcdctl --endpoints=$EP0 put b 2"
  rec "etcdctl --endpoints=$EP0 del a"
  rec "etcdctl --endpoints=$EP0 put c 3"
  rec "etcdctl --endpoints=$EP0 snapshot save snap.db"
  rec "etcdctl snapshot status snap.db -w json"
  rec 'cp snap.db app.db && echo hello >> app.db'
  rec 'etcdctl snapshot status app.db'
  rec 'etcdctl snapshot restore app.db --data-dir r1'
  rec 'etcdctl snapshot restore app.db --data-dir r1'
  rec 'ls r1/member/snap'
  rec 'echo hi > text.txt'
  rec 'etcdctl snapshot status text.txt'
  rec 'mkdir d'
  rec "etcdctl --endpoints=$EP0 snapshot save d"
  rec 'ls d.part'
  rec 'etcdctl snapshot restore snap.db --data-dir r2 --skip-hash-check'
  rec "etcdctl --endpoints=http://127.0.0.25:2379 --command-timeout=2s snapshot save dead.db"
  rec 'ls dead.db dead.db.part'
  rec_hang 3 "etcdctl --endpoints=http://127.0.0.25:2379 snapshot save dead2.db"
  rec 'ls dead2.db.part'
  scenario_end
}

# ---- 13: a removed member stops by itself; restarted on its old data dir it stops again
s13() {
  scenario_begin 13-removed-member.txt "Scenario 13: a removed member notices, logs why and exits 0; restarted on its old data dir it exits again; cleared and added back it joins"
  start_cluster3
  rec 'sleep 6'
  rec "etcdctl --endpoints=$EP0 put k v"
  rec "etcdctl --endpoints=$EP0 member remove $(idof infra2)"
  rec 'sleep 1'
  wait_exit infra2
  rec "grep -E 'etcdserver: (the member has been permanently removed|the data-dir used by this member)' infra2.log"
  rec "grep -o 'rejected the stream from peer [0-9a-f]* since it was removed' infra0.log | sort -u"
  rec "etcdctl --endpoints=$(client infra2) endpoint health"
  rec "etcdctl --endpoints=$EP0 member list"
  rec "etcdctl --endpoints=$EP0 get k"
  note "(restarted in the background on its old data dir: the cluster rejects it, it logs the same and exits again)"
  start_bg infra2 "$(etcd_cmd infra2 new 'infra0 infra1 infra2')"
  rec 'sleep 1'
  wait_exit infra2
  rec "grep -E 'etcdserver: (the member has been permanently removed|the data-dir used by this member)' infra2.log"
  rec "grep -o 'rejected the stream from peer [0-9a-f]* since it was removed' infra1.log | sort -u"
  rec "etcdctl --endpoints=$EP0 member list"
  note "(the data dir removed, as the log asks, and the member added back: it joins with 'existing')"
  rec 'rm -rf infra2.etcd'
  rec "etcdctl --endpoints=$EP0 member add infra2 --peer-urls=$(peer infra2)"
  learn_ids "$EP0"
  start_bg infra2 "$(etcd_cmd infra2 existing 'infra0 infra1 infra2')"
  wait_ready infra2
  rec "etcdctl --endpoints=$EP0 member list"
  rec "etcdctl --endpoints=$(client infra2) get k"
  scenario_end
}

# ---- 14: a member started with 'new' next to a running cluster
s14() {
  scenario_begin 14-stray-cluster.txt "Scenario 14: a member started with --initial-cluster-state new next to a running cluster forms a cluster of its own; both sides reject each other until it stops"
  start_cluster3
  rec 'sleep 6'
  note "(infra3 started with 'new' and the three running members in --initial-cluster, without member add)"
  start_bg infra3 "$(etcd_cmd infra3 new 'infra0 infra1 infra2 infra3')"
  rec 'sleep 5'
  rec "etcdctl --endpoints=$(client infra3) member list"
  rec "etcdctl --endpoints=$(client infra3) endpoint status"
  rec "etcdctl --endpoints=$(client infra3) put x y"
  rec "etcdctl --endpoints=$EP0 member list"
  rec "etcdctl --endpoints=$EP0 put k v"
  rec "grep -m1 'request cluster ID mismatch' infra0.log"
  rec "grep -m1 'request sent was ignored' infra3.log"
  rec "grep -m1 'request cluster ID mismatch' infra3.log"
  note "(how often each side logs the mismatch: lines per 5 s)"
  rec "grep -c 'request cluster ID mismatch' infra0.log > a.txt; sleep 5; grep -c 'request cluster ID mismatch' infra0.log > b.txt; cat a.txt b.txt"
  rec "grep -c 'cluster ID mismatch' infra3.log > a.txt; sleep 5; grep -c 'cluster ID mismatch' infra3.log > b.txt; cat a.txt b.txt"
  stop_member infra3
  note "(once infra3 has stopped, nothing more is logged)"
  rec "grep -c 'cluster ID mismatch' infra0.log > a.txt; sleep 3; grep -c 'cluster ID mismatch' infra0.log > b.txt; cat a.txt b.txt | uniq | wc -l"
  rec "etcdctl --endpoints=$EP0 member list"
  scenario_end
}

# restore_to NAME TOKEN "MEMBERS..." - snapshot restore of snap.db for NAME into NAME.restored
restore_to() {
  rec "etcdctl snapshot restore snap.db --name $1 --initial-cluster $(ic $3) --initial-cluster-token $2 --initial-advertise-peer-urls $(peer "$1") --data-dir $1.restored"
}

# start_restored NAME... - start members on their NAME.restored data dirs, logs in NAME.log
start_restored() {
  local n
  for n in "$@"; do
    start_bg "$n" "etcd --name $n --data-dir $n.restored --initial-advertise-peer-urls $(peer "$n") --listen-peer-urls $(peer "$n") --listen-client-urls $(client "$n") --advertise-client-urls $(client "$n")"
  done
}

# ---- 15: restores that disagree, and the correction
s15() {
  local EP1; EP1=$(client infra1)
  scenario_begin 15-split-restore.txt "Scenario 15: members restored with different tokens or member lists form clusters of their own; stopped, cleared and restored alike they form one"
  start_cluster3
  rec 'sleep 6'
  rec "etcdctl --endpoints=$EP0 put k v"
  rec "etcdctl --endpoints=$EP0 snapshot save snap.db"
  stop_member infra0
  stop_member infra1
  stop_member infra2
  note "=== 15a: infra0 restored with token etcd-cluster-a, infra1 and infra2 with etcd-cluster-b"
  restore_to infra0 etcd-cluster-a 'infra0 infra1 infra2'
  restore_to infra1 etcd-cluster-b 'infra0 infra1 infra2'
  restore_to infra2 etcd-cluster-b 'infra0 infra1 infra2'
  start_restored infra0 infra1 infra2
  rec 'sleep 5'
  learn_ids "$EP1" " (b)" "cluster b"
  learn_ids "$EP0" " (a)" "cluster a"
  rec "etcdctl --endpoints=$EP0 member list"
  rec "etcdctl --endpoints=$EP1 member list"
  rec "etcdctl --endpoints=$EP1 get k"
  rec "etcdctl --endpoints=$EP0 get k"
  rec "grep -m1 'request cluster ID mismatch' infra0.log"
  rec "grep -m1 'request cluster ID mismatch' infra1.log"
  stop_member infra0
  stop_member infra1
  stop_member infra2
  rec 'rm -rf infra0.restored infra1.restored infra2.restored'
  note "=== 15b: infra0 restored with all three members, infra1 and infra2 with only the two of them"
  restore_to infra0 etcd-cluster-r 'infra0 infra1 infra2'
  restore_to infra1 etcd-cluster-r 'infra1 infra2'
  restore_to infra2 etcd-cluster-r 'infra1 infra2'
  start_restored infra0 infra1 infra2
  rec 'sleep 5'
  learn_ids "$EP0" " (r)" "cluster r (three members)"
  learn_ids "$EP1" " (r2)" "cluster r (two members)"
  rec "etcdctl --endpoints=$EP0 member list"
  rec "etcdctl --endpoints=$EP1 member list"
  rec "etcdctl --endpoints=$EP0 get k"
  rec "grep -m1 'request cluster ID mismatch' infra0.log"
  stop_member infra0
  stop_member infra1
  stop_member infra2
  note "=== 15c: corrected: cleared and restored alike, then started"
  rec 'rm -rf infra0.restored infra1.restored infra2.restored'
  restore_to infra0 etcd-cluster-r 'infra0 infra1 infra2'
  restore_to infra1 etcd-cluster-r 'infra0 infra1 infra2'
  restore_to infra2 etcd-cluster-r 'infra0 infra1 infra2'
  start_restored infra0 infra1 infra2
  wait_ready infra0 infra1 infra2
  rec "etcdctl --endpoints=$EP0 member list"
  rec "etcdctl --endpoints=$EP0 get k"
  rec "etcdctl --endpoints=$EPS endpoint status -w table"
  rec "grep -c 'cluster ID mismatch' infra0.log"
  scenario_end
}

cap_setup
case "${1:-all}" in
  10) s10 ;;
  11) s11 ;;
  12) s12 ;;
  13) s13 ;;
  14) s14 ;;
  15) s15 ;;
  *) s10; s11; s12; s13; s14; s15 ;;
esac
