#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# iovpf instrumentation: debugfs stats format v1 (header, dev/irq/napi/mbx records, histogram
# sums), "reset", the static key (debugfs enable=0 freezes every counter), the iovbench
# tracepoints (iov_napi_poll, iov_mbx_msg) and ethtool -S.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_module iovpf

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
modprobe igbvf
pf=$(iov_pf_up iovpf)
iov_enable_vfs 1
b0=$(iov_vf_bdf 0)
vf0=$(iov_netdev_of "$b0")
iov_guest_ns g1 "$vf0" 10.99.0.1/24
ip addr add 10.99.0.254/24 dev "$pf"
iov_wait_carrier g1 "$vf0" 60
ip netns exec g1 ping -c 3 -W 2 10.99.0.254 >/dev/null
D=/sys/kernel/debug/iovbench
S=$D/$IOV_PF_BDF/stats
head -n1 $S | sed "s/^/header=/"
grep -q "^dev driver=iovpf bdf=$IOV_PF_BDF netdev=$pf role=pf num_vfs=1 enabled=1\$" $S && echo "dev_line=ok"
# the work histogram sums to polls
awk "/^napi / { for (i = 2; i <= NF; i++) { split(\$i, kv, \"=\"); f[kv[1]] = kv[2] }
	n = split(f[\"work\"], b, \",\"); s = 0
	for (j = 1; j <= n; j++) { split(b[j], p, \":\"); s += p[2] }
	print (s == f[\"polls\"] && f[\"polls\"] > 0) ? \"napi_hist=ok\" : \"napi_hist=bad\" }" $S | head -n1
grep -q "^mbx vf=0 dir=service op=VF_RESET count=[1-9]" $S && echo "mbx_line=ok"
echo reset >$S
echo "after_reset_nonzero=$(grep -E "^(irq|napi)" $S | grep -c -E "count=[1-9]|polls=[1-9]" || true)"
echo bogus >$S 2>/dev/null && echo "bogus_write=accepted" || echo "bogus_write=refused"
echo 0 >$D/enable
ip netns exec g1 ping -c 3 -W 2 10.99.0.254 >/dev/null
echo "key_off_nonzero=$(grep -E "^(irq|napi)" $S | grep -c -E "count=[1-9]|polls=[1-9]" || true)"
grep -q " enabled=0\$" $S && echo "dev_enabled0=ok"
echo 1 >$D/enable
ip netns exec g1 ping -c 3 -W 2 10.99.0.254 >/dev/null
echo "key_on_nonzero=$(grep -E "^(irq|napi)" $S | grep -c -E "count=[1-9]|polls=[1-9]" || true)"
T=/sys/kernel/tracing
echo >$T/trace
echo 1 >$T/events/iovbench/iov_napi_poll/enable
echo 1 >$T/events/iovbench/iov_mbx_msg/enable
ip netns exec g1 ping -c 2 -W 2 10.99.0.254 >/dev/null
ip netns del g1
echo "$b0" >/sys/bus/pci/drivers/igbvf/unbind
echo "$b0" >/sys/bus/pci/drivers/igbvf/bind
sleep 3
echo 0 >$T/events/iovbench/enable
echo "trace_napi=$(grep -c "iov_napi_poll: napi=$pf-q0 work=" $T/trace)"
echo "trace_mbx=$(grep -c "iov_mbx_msg: dev=$IOV_PF_BDF vf=0" $T/trace)"
echo "ethtool_rx0_bytes=$(ethtool -S "$pf" | awk "/ rx0_bytes:/ {print \$2}")"
echo "ethtool_q0_irqs=$(ethtool -S "$pf" | awk "/ q0_irqs:/ {print \$2}")"
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
[ "$(kv header "$out")" = "# iovbench-stats 1" ] || fail "bad header"
[ "$(kv dev_line "$out")" = ok ] || fail "bad dev record"
[ "$(kv napi_hist "$out")" = ok ] || fail "napi work histogram does not sum to polls"
[ "$(kv mbx_line "$out")" = ok ] || fail "no VF_RESET mbx record"
[ "$(kv after_reset_nonzero "$out")" = 0 ] || fail "reset left counters non-zero"
[ "$(kv bogus_write "$out")" = refused ] || fail "stats accepted a write other than reset"
[ "$(kv key_off_nonzero "$out")" = 0 ] || fail "counters moved with instrumentation off"
[ "$(kv dev_enabled0 "$out")" = ok ] || fail "dev record does not show enabled=0"
check_gt "counters after re-enable" "$(kv key_on_nonzero "$out")" 0
check_gt "iov_napi_poll events" "$(kv trace_napi "$out")" 0
check_gt "iov_mbx_msg events" "$(kv trace_mbx "$out")" 0
check_gt "ethtool rx0_bytes" "$(kv ethtool_rx0_bytes "$out")" 0
check_gt "ethtool q0_irqs" "$(kv ethtool_q0_irqs "$out")" 0
echo "ok: stats v1 format, reset, static key, tracepoints, ethtool -S"
