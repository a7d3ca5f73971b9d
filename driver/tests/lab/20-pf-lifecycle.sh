#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# iovpf lifecycle, repeated: load, PF up, enable 7 VFs (in-tree igbvf binds them), pass
# traffic VF to VF and VF to PF, disable SR-IOV, unload; 3 rounds plus one unload with VFs
# still enabled. Fails on any kernel warning/BUG in the log, on unreclaimable slab growth
# above 2 MiB across the rounds, or on a VF count/traffic problem.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_module iovpf

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
modprobe igbvf
# a warm-up round so first-load allocations (modules, caches) do not count as a leak
iov_pf_up iovpf >/dev/null; iov_enable_vfs 7; sleep 2; iov_reset; modprobe igbvf
sync; echo 2 >/proc/sys/vm/drop_caches
slab0=$(awk "/^SUnreclaim:/ {print \$2}" /proc/meminfo)
log0=$(dmesg | wc -l)
round=1
while [ $round -le 3 ]; do
	pf=$(iov_pf_up iovpf)
	iov_enable_vfs 7
	n=0
	for i in 0 1 2 3 4 5 6; do iov_netdev_of "$(iov_vf_bdf $i)" >/dev/null && n=$((n + 1)); done
	echo "round${round}_vfs=$n"
	vf0=$(iov_netdev_of "$(iov_vf_bdf 0)")
	vf6=$(iov_netdev_of "$(iov_vf_bdf 6)")
	iov_guest_ns g1 "$vf0" 10.99.0.1/24
	iov_guest_ns g7 "$vf6" 10.99.0.7/24
	ip addr add 10.99.0.254/24 dev "$pf"
	iov_wait_carrier g1 "$vf0" 60
	iov_wait_carrier g7 "$vf6" 60
	ip netns exec g7 iperf3 -s -1 -D -B 10.99.0.7
	sleep 0.5
	ip netns exec g1 ping -c 3 -W 3 10.99.0.254 >/dev/null && echo "round${round}_ping_pf=ok"
	b=$(ip netns exec g1 iperf3 -c 10.99.0.7 -t 2 -f m | sed -n "s/.* \([0-9.]*\) Mbits\/sec.*receiver/\1/p")
	echo "round${round}_vf2vf_mbps=${b:-0}"
	for ns in g1 g7; do ip netns del $ns; done
	iov_enable_vfs 0
	rmmod iovpf
	round=$((round + 1))
done
# unload with VFs enabled and bound
iov_pf_up iovpf >/dev/null
iov_enable_vfs 3
iov_netdev_of "$(iov_vf_bdf 2)" >/dev/null
rmmod iovpf && echo "unload_with_vfs=ok"
[ -e /sys/bus/pci/devices/$IOV_PF_BDF/virtfn0 ] && echo "vfs_left=yes" || echo "vfs_left=no"
rmmod igbvf; rmmod iovcore
sleep 3	# namespace teardown is asynchronous (cleanup_net)
sync; echo 2 >/proc/sys/vm/drop_caches
slab1=$(awk "/^SUnreclaim:/ {print \$2}" /proc/meminfo)
echo "slab_growth_kb=$((slab1 - slab0))"
echo "warnings=$(dmesg | tail -n +$((log0 + 1)) | grep -c -E "WARNING|BUG|Call Trace|kmemleak|refcount_t|list_add corruption" || true)"
dmesg | tail -n +$((log0 + 1)) | grep -E "WARNING|BUG|Call Trace" | head -5 >&2 || true
iov_reset
' 600) || fail "guest steps failed"
echo "$out"
for r in 1 2 3; do
	[ "$(kv round${r}_vfs "$out")" = 7 ] || fail "round $r: $(kv round${r}_vfs "$out") of 7 VF netdevs"
	[ "$(kv round${r}_ping_pf "$out")" = ok ] || fail "round $r: VF could not ping the PF"
	check_gt "round $r VF-to-VF Mbit/s" "$(kv round${r}_vf2vf_mbps "$out")" 0
done
[ "$(kv unload_with_vfs "$out")" = ok ] || fail "rmmod iovpf with VFs enabled failed"
[ "$(kv vfs_left "$out")" = no ] || fail "VFs left behind after unload"
[ "$(kv warnings "$out")" = 0 ] || fail "$(kv warnings "$out") kernel warnings in the log"
growth=$(kv slab_growth_kb "$out")
[ "$growth" -lt 2048 ] || fail "unreclaimable slab grew by ${growth} kB over 3 rounds"
echo "ok: 3 rounds of load/7 VFs/traffic/disable/unload, slab growth ${growth} kB, no warnings"
