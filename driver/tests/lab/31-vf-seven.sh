#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The reference pair at full width: iovpf with 7 VFs, every VF bound by iovvf, each in its
# own namespace. Traffic through each VF: ping to the PF (10.99.0.254, switched inside the
# adapter) and a 1 s iperf3 to the next VF (g7 wraps to g1). Every VF must have moved
# packets both ways and completed its reset handshake without mailbox timeouts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
modprobe iovvf
iov_topology vf 7 guest-to-domain >/tmp/topo
[ "$(wc -l </tmp/topo)" = 7 ] || iov_die "topology has $(wc -l </tmp/topo) guests"
i=1
while [ $i -le 7 ]; do
	ip netns exec g$i iperf3 -s -D -B 10.99.0.$i
	i=$((i + 1))
done
sleep 1
bad=0
while read -r _ ns dev _; do
	n=${ns#g}; nxt=$((n % 7 + 1))
	ip netns exec "$ns" ping -c 2 -W 2 10.99.0.254 >/dev/null || { echo "ping_fail=$ns"; bad=$((bad + 1)); }
	bps=$(ip netns exec "$ns" iperf3 -c 10.99.0.$nxt -t 1 -J |
		sed -n "/\"sum_received\"/,/}/s/.*\"bits_per_second\":[[:space:]]*\([0-9.e+]*\).*/\1/p" | head -n1)
	echo "bps_$ns=${bps:-0}"
	tx=$(ip netns exec "$ns" ethtool -S "$dev" | awk "/ tx_packets:/ {print \$2}")
	rx=$(ip netns exec "$ns" ethtool -S "$dev" | awk "/ rx_packets:/ {print \$2}")
	echo "pkts_$ns=$tx/$rx"
done </tmp/topo
echo "bad=$bad"
echo "bound=$(ls -l /sys/bus/pci/drivers/iovvf | grep -c "0000:01:1")"
echo "timeouts=$(cat /sys/kernel/debug/iovbench/0000:01:1*/stats | sed -n "s/^mbx.* timeout=\([0-9]*\).*/\1/p" | awk "{s += \$1} END {print s + 0}")"
echo "resets=$(cat /sys/kernel/debug/iovbench/0000:01:1*/stats | grep -c "op=VF_RESET .* ack=[1-9]")"
# the device table gives the QEMU model every IOV_QUIRK_QEMU_* workaround (driver/common/iov_quirks.h)
echo "pf_quirks=$(cat /sys/kernel/debug/iovbench/$IOV_PF_BDF/quirks)"
echo "vf_quirks=$(cat /sys/kernel/debug/iovbench/0000:01:1*/quirks | sort -u | tr "\n" " ")"
iov_reset
' 600) || fail "guest steps failed"
echo "$out"
[ "$(kv bound "$out")" = 7 ] || fail "$(kv bound "$out") of 7 VFs bound to iovvf"
[ "$(kv bad "$out")" = 0 ] || fail "$(kv bad "$out") VFs could not ping the PF"
[ "$(kv resets "$out")" = 7 ] || fail "only $(kv resets "$out") of 7 VFs got an ACKed VF_RESET"
for i in 1 2 3 4 5 6 7; do
	check_gt "iperf3 from g$i" "$(kv bps_g$i "$out")" 0
	p=$(kv pkts_g$i "$out")
	check_gt "g$i tx packets" "${p%/*}" 0
	check_gt "g$i rx packets" "${p#*/}" 0
done
[ "$(kv pf_quirks "$out")" = 0x0000001f ] || fail "iovpf quirks $(kv pf_quirks "$out"), expected 0x0000001f"
[ "$(kv vf_quirks "$out")" = "0x0000001f " ] || fail "iovvf quirks $(kv vf_quirks "$out"), expected 0x0000001f on every VF"
[ "$(kv timeouts "$out")" = 0 ] || echo "note: $(kv timeouts "$out") mailbox timeouts (retried)"
echo "ok: 7 VFs bound by iovvf, each passed ping to the PF and iperf3 to its neighbour"
