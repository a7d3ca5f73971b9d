#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# iovpf per-queue statistics over netdev netlink (qstats-get, the standard per-queue stats):
# the image's iovqstats (harness/agent/iovqstats.c) reads them. Checks that
# queue ids are dense, device-scope rx/tx bytes lie between rtnl readings around them
# (ip -s link) after VF-to-PF traffic, RX checksum offload and TSO are reported, and device
# totals stay monotonic across PF down/up.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_module iovpf

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
modprobe igbvf
pf=$(iov_pf_up iovpf)
iov_enable_vfs 1
vf0=$(iov_netdev_of "$(iov_vf_bdf 0)")
iov_guest_ns g1 "$vf0" 10.99.0.1/24
ip addr add 10.99.0.254/24 dev "$pf"
iov_wait_carrier g1 "$vf0" 60
iperf3 -s -D -B 10.99.0.254
ip netns exec g1 iperf3 -s -D -B 10.99.0.1
sleep 0.5
ip netns exec g1 iperf3 -c 10.99.0.254 -t 2 >/dev/null
iperf3 -c 10.99.0.1 -t 2 >/dev/null
killall iperf3 2>/dev/null || true
sleep 0.5
i=$(cat /sys/class/net/$pf/ifindex)
iovqstats $i queue | sed "s/^/q: /"
echo "rtnl_rx_bytes_before=$(cat /sys/class/net/$pf/statistics/rx_bytes)"
echo "rtnl_tx_bytes_before=$(cat /sys/class/net/$pf/statistics/tx_bytes)"
dev=$(iovqstats $i)
echo "dev: $dev"
f() { printf "%s\n" "$2" | tr " " "\n" | sed -n "s/^$1=//p"; }
echo "nl_rx_bytes=$(f rx-bytes "$dev")"
echo "nl_tx_bytes=$(f tx-bytes "$dev")"
echo "nl_csum_ok=$(f rx-csum-unnecessary "$dev")"
echo "nl_gso=$(f tx-hw-gso-packets "$dev")"
echo "rtnl_rx_bytes=$(cat /sys/class/net/$pf/statistics/rx_bytes)"
echo "rtnl_tx_bytes=$(cat /sys/class/net/$pf/statistics/tx_bytes)"
echo "queue_ids=$(iovqstats $i queue | sed -n "s/.*queue-id=\([0-9]*\).*/\1/p" | sort -u | tr "\n" ,)"
ip link set "$pf" down; ip link set "$pf" up
echo "nl_rx_bytes_after_bounce=$(f rx-bytes "$(iovqstats $i)")"
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
check_qstats "$out"
echo "ok: qstats per queue and per device, equal to rtnl, monotonic across down/up"
