#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# iovvf per-queue statistics over netdev netlink (qstats-get), with in-tree igb as PF: after
# iperf3 both ways between two VFs, the VF's device-scope rx/tx bytes lie between its rtnl
# counters read around them, the only queue id is 0, RX checksum offload and TSO show up, and
# the totals do not go back across down/up. The netlink client is the image's iovqstats
# (harness/agent/iovqstats.c).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

guest 'command -v iovqstats >/dev/null' 30 || fail "the image has no iovqstats tool"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
modprobe iovvf
iov_topology vf 2 guest-to-guest >/tmp/topo
vf0=$(awk "\$2 == \"g1\" {print \$3}" /tmp/topo)
ip netns exec g1 iperf3 -s -D -B 10.99.0.1
ip netns exec g2 iperf3 -s -D -B 10.99.0.2
iov_wait_listen g1 5201 20
iov_wait_listen g2 5201 20
ip netns exec g1 iperf3 -c 10.99.0.2 -t 2 >/dev/null
ip netns exec g2 iperf3 -c 10.99.0.1 -t 2 >/dev/null
for ns in g1 g2; do ip netns pids $ns | xargs -r kill; done
sleep 0.5
i=$(ip netns exec g1 cat /sys/class/net/$vf0/ifindex)
q() { ip netns exec g1 iovqstats "$@"; }
q $i queue | sed "s/^/q: /"
echo "rtnl_rx_bytes_before=$(ip netns exec g1 cat /sys/class/net/$vf0/statistics/rx_bytes)"
echo "rtnl_tx_bytes_before=$(ip netns exec g1 cat /sys/class/net/$vf0/statistics/tx_bytes)"
dev=$(q $i)
echo "dev: $dev"
f() { printf "%s\n" "$2" | tr " " "\n" | sed -n "s/^$1=//p"; }
echo "nl_rx_bytes=$(f rx-bytes "$dev")"
echo "nl_tx_bytes=$(f tx-bytes "$dev")"
echo "nl_csum_ok=$(f rx-csum-unnecessary "$dev")"
echo "nl_gso=$(f tx-hw-gso-packets "$dev")"
echo "rtnl_rx_bytes=$(ip netns exec g1 cat /sys/class/net/$vf0/statistics/rx_bytes)"
echo "rtnl_tx_bytes=$(ip netns exec g1 cat /sys/class/net/$vf0/statistics/tx_bytes)"
echo "queue_ids=$(q $i queue | sed -n "s/.*queue-id=\([0-9]*\).*/\1/p" | sort -u | tr "\n" ,)"
ip -n g1 link set "$vf0" down; ip -n g1 link set "$vf0" up
echo "nl_rx_bytes_after_bounce=$(f rx-bytes "$(q $i)")"
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
check_qstats "$out"
echo "ok: VF qstats per queue and per device, equal to rtnl, monotonic across down/up"
