#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Short UDP frames through our driver pair (iovpf + iovvf), VF to VF and VF to PF, with TX
# checksum offload on: frames under 60 bytes are padded, and the model checksums padding too,
# so a driver that pads before finishing the checksum sends datagrams the receiver drops.
# iperf3's UDP handshake (a 4-byte datagram) is such a frame.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
iov_topology vf 2 guest-to-domain >/tmp/topo
read _ ns1 dev1 addr1 _ _ pfdev pfaddr _ </tmp/topo
ip netns exec g1 ethtool -k "$dev1" | grep -q "tx-checksum-ipv4: on" && echo csum_offload=on
iperf3 -s -D -p 5301 -B 10.99.0.254
ip netns exec g2 iperf3 -s -D -p 5302 -B 10.99.0.2
iov_wait_listen - 5301 20
iov_wait_listen g2 5302 20
for peer in 10.99.0.254:5301 10.99.0.2:5302; do
	ip netns exec g1 iperf3 -c ${peer%:*} -p ${peer#*:} -u -b 2M -l 16 -t 2 -J >/tmp/u.json
	echo "received_$peer=$(sed -n "/\"sum\"/,/}/s/.*\"packets\":[[:space:]]*\([0-9]*\).*/\1/p" /tmp/u.json | tail -n1)"
done
iov_reset
' 240) || fail "guest steps failed"
echo "$out"
[ "$(kv csum_offload "$out")" = on ] || fail "TX checksum offload is not on: the test would prove nothing"
check_gt "16-byte UDP datagrams received VF->PF" "$(kv received_10.99.0.254:5301 "$out")" 1000
check_gt "16-byte UDP datagrams received VF->VF" "$(kv received_10.99.0.2:5302 "$out")" 1000
