#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# iovvf through PF events, with traffic running (PF driver: $PF_DRIVER, default in-tree igb;
# 35-vf-iovpf-events.sh runs this with iovpf):
#   1. PF link down for 3 s: a mailbox request made meanwhile (VF MTU change) must return
#      quickly instead of hanging; after PF up the VF renegotiates and traffic resumes.
#   2. PF reset (ethtool -r): the VF notices (RSTI/RSTD or a ping without CTS) and recovers.
#   3. PF driver unload with both VFs bound and traffic running: rmmod returns, VFs go away.
# No kernel warnings at any point.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
PF_DRIVER=${PF_DRIVER:-igb}

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest "PF_DRIVER=$PF_DRIVER"'
iov_reset
dmesg -c >/dev/null
modprobe iovvf
pf=$(iov_pf_up $PF_DRIVER)
iov_enable_vfs 2
vf0=$(iov_netdev_of "$(iov_vf_bdf 0)"); vf1=$(iov_netdev_of "$(iov_vf_bdf 1)")
iov_guest_ns g1 "$vf0" 10.99.0.1/24
iov_guest_ns g2 "$vf1" 10.99.0.2/24
iov_wait_carrier g1 "$vf0" 20; iov_wait_carrier g2 "$vf1" 20
ip netns exec g2 iperf3 -s -D -B 10.99.0.2
sleep 0.5
# 1. PF link down/up during traffic
ip netns exec g1 iperf3 -c 10.99.0.2 -t 8 >/tmp/t1.txt 2>&1 &
p=$!
sleep 2
ip link set "$pf" down
sleep 0.5
t0=$(date +%s)
ip -n g1 link set "$vf0" mtu 1400 2>/dev/null && echo "mtu_while_down=ok" || echo "mtu_while_down=refused"
echo "mtu_call_s=$(($(date +%s) - t0))"
sleep 2
ip link set "$pf" up
wait $p || true
iov_wait_carrier g1 "$vf0" 30 && iov_wait_carrier g2 "$vf1" 30 || echo "carrier1=0"
ip netns exec g1 ping -c 3 -W 2 10.99.0.2 >/dev/null && echo "ping1=1" || echo "ping1=0"
echo "pf_resets1=$(ip netns exec g1 ethtool -S "$vf0" | awk "/ pf_resets:/ {print \$2}")"
# 2. PF reset
ethtool -r "$pf" 2>/dev/null || { ip link set "$pf" down; ip link set "$pf" up; }
sleep 3
iov_wait_carrier g1 "$vf0" 30 && iov_wait_carrier g2 "$vf1" 30 || echo "carrier2=0"
ip netns exec g1 ping -c 3 -W 2 10.99.0.2 >/dev/null && echo "ping2=1" || echo "ping2=0"
ip netns exec g1 iperf3 -c 10.99.0.2 -t 2 >/dev/null 2>&1 && echo "iperf2=1" || echo "iperf2=0"
echo "vf_resets=$(ip netns exec g1 ethtool -S "$vf0" | awk "/ vf_resets:/ {print \$2}")"
# 3. PF driver unload during traffic
ip netns exec g1 iperf3 -c 10.99.0.2 -t 6 >/dev/null 2>&1 &
p=$!
sleep 2
t0=$(date +%s)
rmmod $PF_DRIVER && echo "rmmod=ok" || echo "rmmod=fail"
echo "rmmod_s=$(($(date +%s) - t0))"
# the client may block forever on a socket whose device vanished
sleep 1
kill -9 $p 2>/dev/null || true
wait $p 2>/dev/null || true
echo "vfs_left=$(ls -d /sys/bus/pci/devices/0000:01:1* 2>/dev/null | wc -l)"
echo "warnings=$(dmesg | grep -cE "WARNING|BUG|Call Trace|hung task")"
dmesg | grep -E "WARNING|BUG" | head -n 3
iov_reset
' 400) || fail "guest steps failed"
echo "$out"
check_gt "seconds the MTU request may take while the PF is down (limit 5)" 5 "$(kv mtu_call_s "$out")"
[ "$(kv ping1 "$out")" = 1 ] || fail "no traffic after PF link down/up"
check_gt "PF resets noticed by VF0" "$(kv pf_resets1 "$out")" 0
[ "$(kv ping2 "$out")" = 1 ] || fail "no traffic after PF reset"
[ "$(kv iperf2 "$out")" = 1 ] || fail "iperf3 failed after PF reset"
[ "$(kv rmmod "$out")" = ok ] || fail "rmmod $PF_DRIVER failed with VFs bound by iovvf"
check_gt "seconds rmmod $PF_DRIVER may take (limit 30)" 30 "$(kv rmmod_s "$out")"
[ "$(kv vfs_left "$out")" = 0 ] || fail "VFs still present after PF driver unload"
[ "$(kv warnings "$out")" = 0 ] || fail "kernel warnings during PF events"
echo "ok ($PF_DRIVER): PF link down/up, PF reset and PF unload survived (MTU request while PF down: $(kv mtu_while_down "$out") in $(kv mtu_call_s "$out") s)"
