#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Unload/reload loops: iovpf with 2 VFs; 6 rounds of "load iovvf, namespaces, ping VF to VF
# with traffic, unload iovvf". No kernel warnings, no stalled page_pool, every round pings,
# and slab memory after round 6 is within 512 KiB of round 1 (no leak per round).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
dmesg -c >/dev/null
iov_pf_up iovpf >/dev/null
iov_enable_vfs 2
slab() { awk "/^Slab:/ {print \$2}" /proc/meminfo; }
ok=0
r=1
while [ $r -le 6 ]; do
	modprobe iovvf
	vf0=$(iov_netdev_of "$(iov_vf_bdf 0)"); vf1=$(iov_netdev_of "$(iov_vf_bdf 1)")
	iov_guest_ns g1 "$vf0" 10.99.0.1/24
	iov_guest_ns g2 "$vf1" 10.99.0.2/24
	iov_wait_carrier g1 "$vf0" 20 && iov_wait_carrier g2 "$vf1" 20 &&
		ip netns exec g1 ping -c 2 -W 2 10.99.0.2 >/dev/null &&
		ip netns exec g1 ping -c 200 -i 0.01 -s 1400 -q 10.99.0.2 >/dev/null && ok=$((ok + 1))
	ip netns del g1
	ip netns del g2
	sleep 0.5
	rmmod iovvf
	sleep 0.5
	echo 3 >/proc/sys/vm/drop_caches
	[ $r = 1 ] && s1=$(slab)
	r=$((r + 1))
done
s6=$(slab)
echo "rounds_ok=$ok"
echo "slab_growth_kb=$((s6 - s1))"
echo "warnings=$(dmesg | grep -cE "WARNING|BUG|Call Trace|stalled pool|leak")"
dmesg | grep -E "WARNING|BUG|stalled pool|leak" | head -n 3
iov_reset
' 600) || fail "guest steps failed"
echo "$out"
[ "$(kv rounds_ok "$out")" = 6 ] || fail "only $(kv rounds_ok "$out") of 6 load/ping/unload rounds passed"
[ "$(kv warnings "$out")" = 0 ] || fail "kernel warnings during reload loops"
g=$(kv slab_growth_kb "$out")
awk -v g="$g" 'BEGIN { exit !(g < 512) }' || fail "slab grew by $g KiB over 5 reload rounds"
echo "ok: 6 reload rounds, slab growth $g KiB, no warnings"
