#!/bin/bash
# The shell of `etcdlab conform --real`: PID 1 of a private pid, network and mount namespace
# (NamespaceShell.swift starts it with unshare). It replays transcript commands the way
# shared/tools/capture-real-etcd.sh recorded them: each command with `bash -c` in a fresh working
# directory, stdin from /dev/null, stdout and stderr together; members in the background with
# their log in NAME.log; stops by SIGTERM to the member's pid.
#
# usage: namespace-shell.bash DIR     (DIR: an empty directory, on disk: on a tmpfs, bbolt's files
#                                     grow otherwise, and `endpoint status` shows other DB sizes)
#
# Requests, one per line on stdin (TEXT is base64; NAME is [A-Za-z0-9._-]):
#   env TEXT            eval TEXT here (`export X=...`, `unset X`: they hold for later commands)
#   run SECONDS HOLD TEXT
#                       bash -c TEXT; HOLD=1: SIGTERM after SECONDS, the command's own status
#                       (the capture's rec_for and rec_hang); HOLD=0: a bound, status 124 (rec)
#   bg NAME TEXT        exec TEXT in the background, output to NAME.log (start_bg)
#   stop NAME           SIGTERM, 10 s, SIGKILL; the status it ended with (stop_member)
#   ready NAME,NAME...  until each NAME.log says "ready to serve client requests" (wait_ready)
#   exit NAME           until it ends by itself, 20 s at most, then stop it (wait_exit)
# Each reply is a line `done STATUS LENGTH`, then LENGTH bytes of output.
# Nothing outside DIR can be written from here (the rest is remounted read-only).
# When stdin closes (etcdlab ended, however), every process here is killed and this shell ends,
# which ends the namespace: nothing it started outlives it. etcdlab removes DIR.
set -u
export LC_ALL=C
dir=$1
# lo carries all of 127.0.0.0/8; a default route through it lets etcd find a default host, as on
# the capture's machine (else it logs "failed to detect default host").
ip link set lo up && ip route add default dev lo || exit 3
work=$dir/work
out=$dir/out
mkdir "$work" || exit 3
# Every file system of this mount namespace read-only but DIR: whatever a transcript says, it
# writes nowhere else (/proc, the namespace's own, aside).
mount --bind "$dir" "$dir" || exit 3
while read -r mountpoint; do
  [[ $mountpoint == "$dir" || $mountpoint == /proc || $mountpoint == /proc/* ]] && continue
  mount -o remount,bind,ro "$mountpoint" || { echo "cannot make $mountpoint read-only" >&2; exit 3; }
done < <(awk '{ gsub(/\\040/, " ", $5); print $5 }' /proc/self/mountinfo | sort -u)
declare -A pid=()

# bash gives a background job /dev/null as stdin: hand it etcdlab's pipe as fd 4.
mkfifo "$dir/requests" || exit 3
exec 4<&0 0</dev/null
{
  cat <&4
  kill -KILL -1
} >"$dir/requests" &
exec 3<"$dir/requests" 4<&-

reply() { # reply STATUS [FILE]
  local n=0
  [[ -n ${2:-} ]] && n=$(stat -c %s "$2")
  printf 'done %s %s\n' "$1" "$n"
  [[ -n ${2:-} ]] && cat "$2"
}

alive() { # alive PID: running, not a zombie
  local st
  [[ -r /proc/$1/stat ]] || return 1
  st=$(sed -E 's/^[0-9]+ \(.*\) ([A-Z]).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ $st != Z && $st != X ]]
}

stop_pid() { # stop_pid PID -> its status in $rc
  local i
  if alive "$1"; then
    kill -TERM "$1" 2>/dev/null
    for ((i = 0; i < 100; i++)); do alive "$1" || break; sleep 0.1; done
    alive "$1" && kill -KILL "$1" 2>/dev/null
  fi
  wait "$1" 2>/dev/null
  rc=$?
}

printf 'ready %s\n' "$(etcd --version 2>/dev/null | sed -n 's/^etcd Version: //p')"
while read -r -u 3 op a b c; do
  case $op in
  env)
    eval "$(base64 -d <<<"$a")"
    reply $?
    ;;
  run)
    cmd=$(base64 -d <<<"$c")
    if [[ $b == 1 ]]; then
      (cd "$work" && exec timeout -k 10 --preserve-status "$a" bash -c "$cmd") >"$out" 2>&1 </dev/null
    else
      (cd "$work" && exec timeout -k 5 "$a" bash -c "$cmd") >"$out" 2>&1 </dev/null
    fi
    reply $? "$out"
    ;;
  bg)
    cmd=$(base64 -d <<<"$b")
    (cd "$work" && exec bash -c "exec $cmd") >"$work/$a.log" 2>&1 </dev/null &
    pid[$a]=$!
    reply 0
    ;;
  stop)
    if [[ -n ${pid[$a]:-} ]]; then
      stop_pid "${pid[$a]}"
      reply "$rc"
    else
      reply 255
    fi
    ;;
  ready)
    IFS=, read -r -a names <<<"$a"
    for n in "${names[@]}"; do
      for ((i = 0; i < 300; i++)); do
        grep -q 'ready to serve client requests' "$work/$n.log" 2>/dev/null && break
        [[ -n ${pid[$n]:-} ]] && alive "${pid[$n]}" || break
        sleep 0.1
      done
    done
    reply 0
    ;;
  exit)
    p=${pid[$a]:-}
    if [[ -n $p ]]; then
      for ((i = 0; i < 200; i++)); do alive "$p" || break; sleep 0.1; done
      stop_pid "$p"
      reply "$rc"
    else
      reply 255
    fi
    ;;
  *) reply 255 ;;
  esac
done
