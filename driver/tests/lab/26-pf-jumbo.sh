#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# iovpf with MTU 9000 (frames span several 2 KiB RX buffers; VFs raise their limit with
# SET_LPE): 8000-byte pings VF->PF, VF->VF and PF->VF, and a TCP stream VF->PF whose average
# received frame on the PF must be larger than one RX buffer.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_module iovpf

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
modprobe igbvf
pf=$(iov_pf_up iovpf)
ip link set "$pf" mtu 9000
iov_enable_vfs 2
vf0=$(iov_netdev_of "$(iov_vf_bdf 0)"); vf1=$(iov_netdev_of "$(iov_vf_bdf 1)")
iov_guest_ns g1 "$vf0" 10.99.0.1/24
iov_guest_ns g2 "$vf1" 10.99.0.2/24
ip -n g1 link set "$vf0" mtu 9000
ip -n g2 link set "$vf1" mtu 9000
ip addr add 10.99.0.254/24 dev "$pf"
iov_wait_carrier g1 "$vf0" 60
iov_wait_carrier g2 "$vf1" 60
sleep 1
ip netns exec g1 ping -c 2 -W 3 -s 8000 10.99.0.254 >/dev/null && echo "ping_vf_pf=ok"
ip netns exec g1 ping -c 2 -W 3 -s 8000 10.99.0.2 >/dev/null && echo "ping_vf_vf=ok"
ping -c 2 -W 3 -s 8000 10.99.0.1 >/dev/null && echo "ping_pf_vf=ok"
iperf3 -s -1 -D -B 10.99.0.254
sleep 0.5
p0=$(ethtool -S "$pf" | awk "/ rx0_packets:/ {print \$2}")
b0=$(ethtool -S "$pf" | awk "/ rx0_bytes:/ {print \$2}")
ip netns exec g1 iperf3 -c 10.99.0.254 -t 2 >/dev/null
p1=$(ethtool -S "$pf" | awk "/ rx0_packets:/ {print \$2}")
b1=$(ethtool -S "$pf" | awk "/ rx0_bytes:/ {print \$2}")
echo "avg_rx_frame=$(( (b1 - b0) / (p1 - p0 + 1) ))"
echo "hw_drops=$(ethtool -S "$pf" | awk "/ rx0_hw_drops:/ {print \$2}")"
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
[ "$(kv ping_vf_pf "$out")" = ok ] || fail "8000-byte ping VF->PF failed"
[ "$(kv ping_vf_vf "$out")" = ok ] || fail "8000-byte ping VF->VF failed"
[ "$(kv ping_pf_vf "$out")" = ok ] || fail "8000-byte ping PF->VF failed"
check_gt "average RX frame on the PF (bytes)" "$(kv avg_rx_frame "$out")" 2048
[ "$(kv hw_drops "$out")" = 0 ] || fail "RX frames dropped with error bits"
echo "ok: MTU 9000 through iovpf, average RX frame $(kv avg_rx_frame "$out") bytes"
