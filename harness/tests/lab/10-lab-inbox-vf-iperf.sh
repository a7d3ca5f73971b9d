#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab's first end-to-end path, with the in-tree anchor drivers: igb as PF, 2 VFs bound by
# igbvf, each VF in its own namespace, iperf3 VF to VF; throughput must be above zero and every
# VF's MSI-X vectors must have fired during the transfer (/proc/interrupts before and after).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
modprobe igbvf
iov_pf_up igb >/dev/null
iov_enable_vfs 2
vf0=$(iov_netdev_of "$(iov_vf_bdf 0)")
vf1=$(iov_netdev_of "$(iov_vf_bdf 1)")
iov_guest_ns g1 "$vf0" 10.99.0.1/24
iov_guest_ns g2 "$vf1" 10.99.0.2/24
iov_wait_carrier g1 "$vf0" 20
iov_wait_carrier g2 "$vf1" 20
ip netns exec g2 iperf3 -s -1 -D -B 10.99.0.2
sleep 0.5
before0=$(iov_irq_sum "$vf0(-|\$)")
before1=$(iov_irq_sum "$vf1(-|\$)")
ip netns exec g1 iperf3 -c 10.99.0.2 -t 3 -J >/tmp/iperf.json
echo "irq_delta_vf0=$(( $(iov_irq_sum "$vf0(-|\$)") - before0 ))"
echo "irq_delta_vf1=$(( $(iov_irq_sum "$vf1(-|\$)") - before1 ))"
echo "vectors_vf0=$(iov_irq_rows "$vf0(-|\$)" | wc -l)"
echo "bps=$(sed -n "/\"sum_received\"/,/}/s/.*\"bits_per_second\":[[:space:]]*\([0-9.e+]*\).*/\1/p" /tmp/iperf.json | head -n1)"
iov_reset
' 180) || fail "guest steps failed"
echo "$out"
bps=$(kv bps "$out")
[ -n "$bps" ] || fail "no throughput in iperf3 output"
check_gt "VF-to-VF iperf3 bits/s" "$bps" 0
check_gt "interrupts on VF0's vectors" "$(kv irq_delta_vf0 "$out")" 0
check_gt "interrupts on VF1's vectors" "$(kv irq_delta_vf1 "$out")" 0
check_gt "MSI-X vectors of VF0" "$(kv vectors_vf0 "$out")" 1
