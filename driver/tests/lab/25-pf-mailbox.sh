#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# iovpf mailbox validation: a user-space VF (a static tool built on the host that drives a
# VF's mailbox through sysfs resource0, no VF driver bound) sends well-formed and malformed
# requests. Every request gets a reply; malformed ones are NACKed and counted by reason
# (INVALID, BADLEN, NOCTS); over the rate limit requests wait for the next window (RATE) and
# are served; a VF that keeps its buffer lock loses it and the request (LOCK); an
# administrator-pinned MAC is refused; the VF_RESET reply is igb's 3-word ACK + MAC.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_module iovpf

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
pf=$(iov_pf_up iovpf)
iov_enable_vfs 1
b=$(iov_vf_bdf 0)
[ -e /sys/bus/pci/devices/$b/driver ] && echo "$b" >/sys/bus/pci/devices/$b/driver/unbind
echo 1 >/sys/bus/pci/devices/$b/enable
S=/sys/kernel/debug/iovbench/$IOV_PF_BDF/stats
echo reset >$S
r() { iovmbx $b "$@" | sed -n "s/^reply=\([^ ]*\).*/\1/p"; }
echo "nocts=$(r rst 0x3)"
echo "reset=$(r 0x1)"
iovmbx $b 0x1 | sed -n "s/.* w1=\(0x[0-9a-f]*\) .*/reset_w1=\1/p"
echo "unknown=$(r 0x7)"
echo "flags=$(r 0x80000003)"
echo "mc31=$(r 0x1f0003)"
echo "lpe_big=$(r 0x5,100000)"
echo "lpe_ok=$(r 0x5,1522)"
echo "mc_ok=$(r 0x20003,0x01230456)"
echo "mac_pf=$(r 0x2,0x10005452,0)"
echo "uc_add=$(r 0x20002,0x33221102,0x8855)"
echo "uc_add_pf=$(r 0x20002,0x10005452,0)"
echo "uc_clr=$(r 0x10002)"
ip link set "$pf" vf 0 mac 02:11:22:33:44:55
echo "uc_add_pinned=$(r 0x20002,0x33221102,0x8855)"
echo "mac_pinned=$(r 0x2,0x33221102,0x6655)"
echo "mac_same=$(r 0x2,0x33221102,0x5544)"
echo 3 >/sys/kernel/debug/iovbench/$IOV_PF_BDF/mbx_rate
sleep 1.1
t0=$(cut -d" " -f1 /proc/uptime)
acks=$(iovmbx $b 0x3 0x3 0x3 0x3 0x3 0x3 0x3 0x3 | grep -c "^reply=0xa0000003 ")
t1=$(cut -d" " -f1 /proc/uptime)
echo "rate_acks=$acks"
echo "rate_ms=$(awk -v a="$t0" -v b="$t1" "BEGIN { printf \"%d\", (b - a) * 1000 }")"
echo 1000 >/sys/kernel/debug/iovbench/$IOV_PF_BDF/mbx_rate
iovmbx $b hold:0x3 | sed "s/^hold /hold_/; s/ vfu=/\nhold_vfu=/"
echo "after_hold=$(r 0x3)"
grep "^mbx " $S | sed "s/^/stat: /"
rej() { sed -n "s/^mbx vf=0 dir=rejected op=$1 count=\([0-9]*\)$/\1/p" $S; }
echo "rej_invalid=$(rej INVALID)"
echo "rej_badlen=$(rej BADLEN)"
echo "rej_nocts=$(rej NOCTS)"
echo "rej_rate=$(rej RATE)"
echo "rej_lock=$(rej LOCK)"
sed -n "s/^mbx vf=0 dir=service op=SET_MAC .* nack=\([0-9]*\) .*/mac_nacks=\1/p" $S
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
e() { [ "$(kv "$1" "$out")" = "$2" ] || fail "$1: got '$(kv "$1" "$out")', expected $2 ($3)"; }
e nocts 0x40000003 "request before VF_RESET: NACK without CTS"
e reset 0x80000001 "VF_RESET: ACK"
e reset_w1 0x1000d452 "VF_RESET: MAC 52:d4:00:10:00:00 in words 1-2"
e unknown 0x60000007 "unknown opcode: NACK|CTS"
e flags 0x60000003 "reply flags in a request: NACK|CTS"
e mc31 0x601f0003 "31 multicast hashes: NACK"
e lpe_big 0x60000005 "SET_LPE 100000: NACK"
e lpe_ok 0xa0000005 "SET_LPE 1522: ACK|CTS"
e mc_ok 0xa0020003 "2 multicast hashes: ACK|CTS"
e mac_pf 0x60000002 "the PF's own MAC: NACK"
e uc_add 0xa0020002 "extra unicast filter: ACK"
e uc_add_pf 0x60020002 "extra filter with the PF's MAC: NACK"
e uc_clr 0xa0010002 "clear extra filters: ACK"
e uc_add_pinned 0x60020002 "extra filter on a pinned, untrusted VF: NACK"
e mac_pinned 0x60000002 "change of a pinned MAC: NACK"
e mac_same 0xa0000002 "the pinned MAC itself: ACK"
# 8 messages at 3/s need 3 windows: the limiter defers, it never NACKs
e rate_acks 8 "every request under the rate limit served"
check_gt "time for 8 messages at 3/s (ms)" "$(kv rate_ms "$out")" 1500
e hold_reply none "a request posted with the lock kept: dropped"
e hold_vfu 0 "the lock a VF kept: taken back"
e after_hold 0xa0000003 "the next request after a taken-back lock: served"
check_gt "rejected INVALID" "$(kv rej_invalid "$out")" 1
check_gt "rejected BADLEN" "$(kv rej_badlen "$out")" 1
check_gt "rejected NOCTS" "$(kv rej_nocts "$out")" 0
check_gt "rejected RATE (deferred)" "$(kv rej_rate "$out")" 0
e rej_lock 1 "one request dropped for a kept lock"
check_gt "SET_MAC NACKs" "$(kv mac_nacks "$out")" 3
echo "ok: mailbox requests validated, NACKed and counted (INVALID/BADLEN/NOCTS), rate deferred, kept lock taken back, pinned MAC kept"
