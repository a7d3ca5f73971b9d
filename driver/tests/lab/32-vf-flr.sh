#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# VF FLR during traffic: iovpf with 4 VFs (iovvf), two iperf3 pairs g1->g2 and g3->g4.
# Mid-transfer, VF0 (g1) gets a function level reset through sysfs. The other pair must keep
# flowing in every 1 s interval; VF0 must recover by itself (reset handshake again, ping
# works afterwards) and the kernel log must stay free of warnings.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
dmesg -c >/dev/null
modprobe iovvf
iov_topology vf 4 guest-to-guest >/tmp/topo
ip netns exec g2 iperf3 -s -1 -D -B 10.99.0.2
ip netns exec g4 iperf3 -s -1 -D -B 10.99.0.4
sleep 0.5
b0=$(iov_vf_bdf 0)
vf0=$(awk "\$2 == \"g1\" {print \$3}" /tmp/topo)
ip netns exec g3 iperf3 -c 10.99.0.4 -t 8 -i 1 -J >/tmp/other.json &
p2=$!
ip netns exec g1 iperf3 -c 10.99.0.2 -t 8 >/tmp/flr.txt 2>&1 &
p1=$!
sleep 3
echo 1 >/sys/bus/pci/devices/$b0/reset
echo "flr_rc=$?"
wait $p2 || true
wait $p1 || true
# bits per 1 s interval of the untouched pair: the sum object of each interval
awk "/\"sum\":/ { f = 1 } f && /bits_per_second/ { sub(/.*:[[:space:]]*/, \"\"); sub(/,.*/, \"\"); print; f = 0 }" \
	/tmp/other.json >/tmp/iv
echo "intervals=$(wc -l </tmp/iv)"
echo "min_interval_bps=$(sort -g /tmp/iv | head -n1)"
iov_wait_carrier g1 "$vf0" 20 || echo "carrier_back=0"
ip netns exec g1 ping -c 3 -W 2 10.99.0.2 >/dev/null && echo "ping_after=1" || echo "ping_after=0"
echo "flr_count=$(ip netns exec g1 ethtool -S "$vf0" | awk "/ flr:/ {print \$2}")"
echo "warnings=$(dmesg | grep -cE "WARNING|BUG|Call Trace|hung task")"
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
[ "$(kv flr_rc "$out")" = 0 ] || fail "FLR through sysfs failed"
check_gt "1 s intervals of the other pair" "$(kv intervals "$out")" 5
check_gt "slowest interval of the other pair (bit/s)" "$(kv min_interval_bps "$out")" 0
[ "$(kv ping_after "$out")" = 1 ] || fail "VF0 did not recover after FLR"
[ "$(kv flr_count "$out")" = 1 ] || fail "ethtool -S flr = $(kv flr_count "$out"), expected 1"
[ "$(kv warnings "$out")" = 0 ] || fail "kernel warnings after FLR"
echo "ok: FLR of VF0 during traffic; other pair never stopped (min $(kv min_interval_bps "$out") bit/s); VF0 recovered"
