#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mailbox timeouts (in-tree igb as PF): iovvf's test hook, debugfs <bdf>/mbx_fault_drop = N,
# writes the next N requests without signalling them, so the PF never answers. One lost request:
# the retry succeeds and the timeout is counted. Three lost requests (more than mbx_retries, 2;
# also debugfs, and checked here to read 2): the
# operation fails quickly with an error instead of hanging, the failure is logged, the VF
# renegotiates with the PF by itself and traffic works again. No kernel warnings.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
dmesg -c >/dev/null
iov_topology vf-igb-iovvf 2 guest-to-guest >/tmp/topo
read _ _ vf0 _ b0 _ vf1 _ _ </tmp/topo
ip netns exec g1 ping -c 2 -W 2 10.99.0.2 >/dev/null
P=/sys/kernel/debug/iovbench/$b0/mbx_fault_drop
S=/sys/kernel/debug/iovbench/$b0/stats
echo reset >$S
echo "retries=$(cat /sys/kernel/debug/iovbench/$b0/mbx_retries)"
echo "fault_neg=$(echo -1 >$P 2>/dev/null && echo accepted || echo refused)"
r0=$(ip netns exec g1 ethtool -S "$vf0" | awk "/ vf_resets:/ {print \$2}")
# one lost request: retried
echo 1 >$P
ip -n g1 link set "$vf0" address 02:00:00:00:aa:01 && echo "one_lost=ok" || echo "one_lost=fail"
echo "t1=$(sed -n "s/^mbx .*op=SET_MAC .* timeout=\([0-9]*\).*/\1/p" $S)"
echo "a1=$(sed -n "s/^mbx .*op=SET_MAC .* ack=\([0-9]*\).*/\1/p" $S)"
# three lost requests: the operation fails, the VF renegotiates
echo 3 >$P
t0=$(date +%s)
ip -n g1 link set "$vf0" address 02:00:00:00:aa:02 2>/dev/null && echo "three_lost=ok" || echo "three_lost=fail"
echo "fail_s=$(($(date +%s) - t0))"
echo "addr_now=$(ip -n g1 link show "$vf0" | awk "/ether/ {print \$2}")"
sleep 4
iov_wait_carrier g1 "$vf0" 30 || echo "carrier=0"
ip netns exec g1 ping -c 3 -W 2 10.99.0.2 >/dev/null && echo "ping_after=1" || echo "ping_after=0"
echo "t3=$(sed -n "s/^mbx .*op=SET_MAC .* timeout=\([0-9]*\).*/\1/p" $S)"
echo "resets=$(( $(ip netns exec g1 ethtool -S "$vf0" | awk "/ vf_resets:/ {print \$2}") - r0 ))"
echo "logged=$(dmesg | grep -c "mailbox SET_MAC: no reply from PF")"
echo "warnings=$(dmesg | grep -cE "WARNING|BUG|Call Trace|hung task")"
echo 0 >$P
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
[ "$(kv retries "$out")" = 2 ] || fail "debugfs mbx_retries reads $(kv retries "$out"), expected the default 2"
[ "$(kv fault_neg "$out")" = refused ] || fail "mbx_fault_drop accepted a negative count"
[ "$(kv one_lost "$out")" = ok ] || fail "a single lost request was not recovered by the retry"
[ "$(kv t1 "$out")" = 1 ] || fail "expected 1 timeout counted after one lost request, got $(kv t1 "$out")"
[ "$(kv three_lost "$out")" = fail ] || fail "three lost requests did not fail the operation"
check_gt "seconds the failing request may take (limit 5)" 5 "$(kv fail_s "$out")"
[ "$(kv addr_now "$out")" = 02:00:00:00:aa:01 ] || fail "MAC changed although the PF never confirmed it"
[ "$(kv ping_after "$out")" = 1 ] || fail "no traffic after the mailbox failure"
check_gt "renegotiations after the failure" "$(kv resets "$out")" 0
check_gt "failure logged" "$(kv logged "$out")" 0
[ "$(kv warnings "$out")" = 0 ] || fail "kernel warnings"
echo "ok: lost request retried; 3 lost requests failed in $(kv fail_s "$out") s, logged, VF renegotiated and passes traffic"
