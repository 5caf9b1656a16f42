#!/bin/bash
# The holder of `--backend real`: PID 1 of a private pid, mount and network namespace (RealHosts.swift
# starts it with setpriv --pdeathsig and unshare --kill-child, so it dies with etcdlab). It builds the
# world's hosts and then waits; when its stdin closes it kills everything, and its end ends the
# namespace: nothing it or a host started outlives it.
#
# usage: real-hosts.bash DIR NAME ADDRS [NAME ADDRS ...]
#   DIR    an empty directory on a tmpfs; each host's folders live in DIR/hosts/NAME
#   ADDRS  the host's IPv4 addresses, comma-separated (127.x ones need nothing: lo holds 127/8)
# Each host gets a network, mount and pid namespace of its own (its keeper, `sleep infinity`, is
# PID 1 there), a veth pair on the bridge etcdlab0 (its end is eth0, with the host's addresses and a
# default route), lo with 127.0.0.1, and /var/lib, /etc/systemd/system, /root and /var/log
# bind-mounted from DIR/hosts/NAME. Everything else is read-only in every namespace here.
# Output, one line each: `host NAME PID` (the keeper's pid in this namespace), then `ready`.
set -u
export LC_ALL=C
dir=$1
shift
fail() {
  echo "$*" >&2
  exit 3
}
mount --bind "$dir" "$dir" || fail "cannot bind $dir"
while read -r mountpoint; do
  [[ $mountpoint == "$dir" || $mountpoint == /proc || $mountpoint == /proc/* ]] && continue
  mount -o remount,bind,ro "$mountpoint" 2>/dev/null || fail "cannot make $mountpoint read-only"
done < <(awk '{ gsub(/\\040/, " ", $5); print $5 }' /proc/self/mountinfo | sort -u)
ip link set lo up || fail "cannot bring lo up"
ip link add etcdlab0 type bridge && ip link set etcdlab0 up || fail "cannot make a bridge"
folders=(var/lib etc/systemd/system root var/log)
n=0
while (($# >= 2)); do
  name=$1 addresses=$2
  shift 2
  [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || fail "bad host name: $name"
  h=$dir/hosts/$name
  for f in "${folders[@]}"; do mkdir -p "$h/$f" || fail "cannot make $h/$f"; done
  chmod 700 "$h/root"
  unshare --net --mount --pid --fork --mount-proc --propagation private -- sleep infinity </dev/null &
  u=$!
  keeper=
  for ((i = 0; i < 500; i++)); do
    keeper=$(cat "/proc/$u/task/$u/children" 2>/dev/null)
    keeper=${keeper// /}
    [[ -n $keeper ]] && [[ $(readlink "/proc/$keeper/ns/pid") != $(readlink /proc/self/ns/pid) ]] && break
    keeper=
    sleep 0.01
  done
  [[ -n $keeper ]] || fail "cannot start host $name"
  on() { nsenter -t "$keeper" "$@"; }
  ip link add "h$n" type veth peer name eth0 netns "$keeper" || fail "cannot make a veth pair for $name"
  ip link set "h$n" master etcdlab0 up || fail "cannot attach $name to the bridge"
  on -n ip link set lo up && on -n ip link set eth0 up || fail "cannot bring up $name's links"
  IFS=, read -r -a list <<<"$addresses"
  for a in "${list[@]}"; do
    [[ $a =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || fail "bad address for $name: $a"
    [[ $a == 127.* ]] && continue
    on -n ip addr add "$a/32" dev eth0 || fail "cannot give $name the address $a"
  done
  on -n ip route add default dev eth0 || fail "cannot route $name"
  for f in "${folders[@]}"; do
    on -m mount --bind "$h/$f" "/$f" || fail "cannot mount $name's /$f"
  done
  echo "host $name $keeper"
  n=$((n + 1))
done
echo ready
cat >/dev/null
kill -KILL -1
