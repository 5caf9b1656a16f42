#!/usr/bin/env bash
# Captures the real-etcd transcripts of the cases ../../shared/reference lacks, with the functions
# of shared/tools/capture-real-etcd.sh (Debian's etcd-server and etcd-client 3.4; loopback only;
# every etcd started here is stopped by pid). Usage: Tests/Captures/capture-extra.sh [-o DIR]
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

cap_setup
case "${1:-all}" in
  10) s10 ;;
  11) s11 ;;
  12) s12 ;;
  *) s10; s11; s12 ;;
esac
