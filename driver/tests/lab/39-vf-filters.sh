#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Netdev operations that become mailbox requests, against in-tree igb as PF: MTU 9000 (SET_LPE;
# 8000-byte pings and TCP VF to VF), MAC change (SET_MAC; traffic follows the new address),
# multicast join (SET_MULTICAST), allmulticast and promiscuous on/off (SET_PROMISC), and, when
# the image has the 8021q module, a VLAN between the two VFs (SET_VLAN; igb strips the tag,
# the VF restores it). Every request must be ACKed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
iov_topology vf-igb-iovvf 2 guest-to-guest >/tmp/topo
read _ _ vf0 _ b0 _ vf1 _ _ </tmp/topo
S=/sys/kernel/debug/iovbench/$b0/stats
ip -n g1 link set "$vf0" mtu 9000 && ip -n g2 link set "$vf1" mtu 9000 && echo "mtu=ok"
ip netns exec g1 ping -c 2 -W 3 -s 8000 10.99.0.2 >/dev/null && echo "ping_jumbo=ok"
ip netns exec g2 iperf3 -s -1 -D -B 10.99.0.2
iov_wait_listen g2 5201 20
ip netns exec g1 iperf3 -c 10.99.0.2 -t 2 >/dev/null && echo "iperf_jumbo=ok"
ip -n g1 link set "$vf0" address 02:00:00:00:bb:01 && echo "mac=ok"
ip netns exec g1 ping -c 2 -W 3 10.99.0.2 >/dev/null && echo "ping_newmac=ok"
ip -n g1 maddr add 01:00:5e:01:02:03 dev "$vf0" && echo "maddr=ok"
ip -n g1 link set "$vf0" allmulticast on && ip -n g1 link set "$vf0" promisc on &&
	ip -n g1 link set "$vf0" promisc off && ip -n g1 link set "$vf0" allmulticast off && echo "promisc=ok"
sleep 1
if modprobe 8021q 2>/dev/null; then
	ip -n g1 link add link "$vf0" name v10 type vlan id 10
	ip -n g2 link add link "$vf1" name v10 type vlan id 10
	ip -n g1 addr add 10.98.0.1/24 dev v10; ip -n g1 link set v10 up
	ip -n g2 addr add 10.98.0.2/24 dev v10; ip -n g2 link set v10 up
	ip netns exec g1 ping -c 3 -W 3 10.98.0.2 >/dev/null && echo "vlan=ok" || echo "vlan=fail"
else
	echo "vlan=skipped"
fi
for op in SET_LPE SET_MAC SET_MULTICAST SET_PROMISC; do
	echo "ack_$op=$(sed -n "s/^mbx .*op=$op .* ack=\([0-9]*\).*/\1/p" $S)"
	echo "nack_$op=$(sed -n "s/^mbx .*op=$op .* nack=\([0-9]*\).*/\1/p" $S)"
done
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
for k in mtu ping_jumbo iperf_jumbo mac ping_newmac maddr promisc; do
	[ "$(kv $k "$out")" = ok ] || fail "step $k failed"
done
[ "$(kv vlan "$out")" != fail ] || fail "no traffic over VLAN 10"
for op in SET_LPE SET_MAC SET_MULTICAST SET_PROMISC; do
	check_gt "$op ACKs" "$(kv ack_$op "$out")" 0
	[ "$(kv nack_$op "$out")" = 0 ] || fail "$op NACKed by igb"
done
echo "ok: MTU 9000, MAC change, multicast, allmulti/promisc through the mailbox; VLAN: $(kv vlan "$out")"
