#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A VM guest killed mid-stream (issue 13): two VM guests with a VF each (iovvf) stream to the
# driver domain; 2 s in, VM guest 1's QEMU gets SIGKILL. Guest 1's stream fails and says how
# the guest ended (iov_vm_gone: its QEMU exited, the end of its console); guest 2's stream
# completes and the driver domain and guest 2 keep working (pings answered after the kill);
# the killed guest's VF can be started in a new VM guest, which passes traffic.
# lab-up-options: --iommu
set -euo pipefail
. "$(dirname "$0")/lib.sh"

keep_consoles() {
	mkdir -p "$IOVBENCH_LAB_DIR/vm-guests"
	for i in 1 2; do
		"$IOVBENCH" lab get /run/iov/vm$i.console "$IOVBENCH_LAB_DIR/vm-guests/vm$i.console" >/dev/null 2>&1 || true
	done
}
trap keep_consoles EXIT

# shellcheck disable=SC2016 # the guest script's $ expand in the guest (guest() in lib.sh)
out=$(guest '
iov_reset
iov_vm_topology vf 2 guest-to-domain >/tmp/topo
cat /tmp/topo
iperf3 -s -D -p 5201 -B 10.99.0.254
iperf3 -s -D -p 5202 -B 10.99.0.254
iov_wait_listen - 5202 20
( iov_in vm1 iperf3 -c 10.99.0.254 -p 5201 -t 6 >/tmp/c1.out 2>/tmp/c1.err; echo $? >/tmp/c1.rc ) &
( iov_in vm2 iperf3 -c 10.99.0.254 -p 5202 -t 6 -J >/tmp/c2.out 2>/tmp/c2.err; echo $? >/tmp/c2.rc ) &
sleep 2
kill -9 "$(cat /run/iov/vm1.pid)"
wait
echo "c1_rc=$(cat /tmp/c1.rc)"
echo "c2_rc=$(cat /tmp/c2.rc)"
grep -q "QEMU of VM guest vm1 exited" /tmp/c1.err && echo c1_said_gone=1
echo "c2_bytes=$(sed -n "/\"sum_received\"/,/}/s/.*\"bytes\":[[:space:]]*\([0-9]*\).*/\1/p" /tmp/c2.out | head -n1)"
iov_in vm2 ping -c 3 -W 5 10.99.0.254 >/dev/null && echo vm2_ping_after=ok
# the VF of the killed guest serves a new VM guest
iov_vm_stop 1
iov_vm_start 1 vf 0 "$(iov_vf_bdf 0)"
iov_vm_wait 1 180
iov_in vm1 modprobe iovvf
n=0
until d=$(iov_in vm1 ls /sys/class/net | grep -v "^lo$" | head -n1) && [ -n "$d" ]; do
	n=$((n + 1)); [ $n -lt 100 ]; sleep 0.1
done
iov_in vm1 ip addr add 10.99.0.1/24 dev "$d"
iov_in vm1 ip link set "$d" up
iov_wait_carrier vm1 "$d" 30
iov_in vm1 ping -c 3 -W 5 10.99.0.254 >/dev/null && echo vm1_restarted_ping=ok
cat /tmp/c1.err | tail -n 4
iov_reset
' 360) || { echo "$out"; fail "guest steps failed"; }
echo "$out"
[ "$(kv c1_rc "$out")" != 0 ] || fail "the killed guest's stream reported success"
[ "$(kv c1_said_gone "$out")" = 1 ] || fail "the killed guest's failure does not say its QEMU exited"
[ "$(kv c2_rc "$out")" = 0 ] || fail "the other guest's stream failed (exit $(kv c2_rc "$out"))"
check_gt "bytes the other guest's stream delivered" "$(kv c2_bytes "$out")" 0
[ "$(kv vm2_ping_after "$out")" = ok ] || fail "the other guest lost the driver domain after the kill"
[ "$(kv vm1_restarted_ping "$out")" = ok ] || fail "the killed guest's VF did not serve a new VM guest"
echo "ok: killed VM guest reported as gone, the other's stream delivered $(kv c2_bytes "$out") bytes, the VF served a new guest"
