#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mailbox round-trip instrumentation of iovvf (in-tree igb as PF, 1 VF): 40 SET_MAC requests
# (MAC address changes) issued from the CPU that does not service the PF's mailbox interrupt
# (as when VF and PF live in different VMs). Checks that debugfs counts them (count = ack +
# nack + timeout, histogram sum = ack + nack) and that the iovbench:iov_mbx_msg tracepoint
# carries the same round trips. Then times the same operation the same way (function_graph
# on the request function) for iovvf (iovvf_mbx_request) and igbvf (e1000_rar_set_vf) and
# prints both p50s; the ratio is informational here (make bench owns the gate).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
T=/sys/kernel/tracing
setup() { # VFDRIVER -> prints VF netdev and request CPU
	iov_reset
	modprobe $1
	pf=$(iov_pf_up igb)
	iov_enable_vfs 1
	vf=$(iov_netdev_of "$(iov_vf_bdf 0)")
	ip link set "$vf" up
	sleep 2
	irq=$(awk -v p="$pf" -F: "NR > 1 && /PCI-MSIX-0000:01:00.0/ && \$0 ~ (p \"\$\") {gsub(/ /, \"\", \$1); print \$1; exit}" /proc/interrupts)
	cpu=$((1 - $(cat /proc/irq/$irq/effective_affinity_list)))
}
toggle() { taskset -c $cpu sh -c "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	ip link set $vf address 02:00:00:00:00:01; ip link set $vf address 02:00:00:00:00:02; done"; }
graph() { # FUNC -> p50 in us of its durations
	echo "$1" >$T/set_ftrace_filter; echo function_graph >$T/current_tracer; echo >$T/trace
	echo 1 >$T/tracing_on; toggle; echo 0 >$T/tracing_on
	grep "$1" $T/trace | grep -v "{" | awk "{for (i = 1; i <= NF; i++) if (\$i == \"us\") print \$(i - 1)}" |
		sort -n | awk "{a[NR] = \$1} END {print a[int(NR / 2) + 1] + 0}"
	echo nop >$T/current_tracer; echo >$T/set_ftrace_filter
}
setup iovvf
b=$(iov_vf_bdf 0)
echo reset >/sys/kernel/debug/iovbench/$b/stats
echo >$T/trace; echo 1 >$T/events/iovbench/iov_mbx_msg/enable; echo 1 >$T/tracing_on
toggle
echo 0 >$T/tracing_on; echo 0 >$T/events/iovbench/iov_mbx_msg/enable
line=$(grep "op=SET_MAC " /sys/kernel/debug/iovbench/$b/stats)
echo "line=$line"
for k in count ack nack timeout; do echo "$k=$(echo "$line" | sed -n "s/.* $k=\([0-9]*\).*/\1/p")"; done
echo "hist_sum=$(echo "$line" | sed -n "s/.*lat_ns=//p" | tr , "\n" | awk -F: "{s += \$2} END {print s + 0}")"
grep "iov_mbx_msg:.*dir=to_vf.*op=0x2 " $T/trace | sed -n "s/.*lat_ns=//p" | sort -n >/tmp/lat
echo "trace_replies=$(wc -l </tmp/lat)"
echo "trace_p50_ns=$(awk "{a[NR] = \$1} END {print a[int(NR / 2) + 1] + 0}" /tmp/lat)"
echo "iovvf_p50_us=$(graph iovvf_mbx_request)"
setup igbvf
echo "igbvf_p50_us=$(graph e1000_rar_set_vf)"
echo "req_cpu=$cpu"
iov_reset
' 400) || fail "guest steps failed"
echo "$out"
c=$(kv count "$out") a=$(kv ack "$out") n=$(kv nack "$out") t=$(kv timeout "$out")
check_gt "SET_MAC requests counted" "$c" 39
[ "$c" = $((a + n + t)) ] || fail "count $c != ack $a + nack $n + timeout $t"
[ "$(kv hist_sum "$out")" = $((a + n)) ] || fail "histogram sum $(kv hist_sum "$out") != replies $((a + n))"
[ "$(kv trace_replies "$out")" = $((a + n)) ] || fail "tracepoint saw $(kv trace_replies "$out") replies, debugfs $((a + n))"
check_gt "tracepoint p50 (ns)" "$(kv trace_p50_ns "$out")" 0
iv=$(kv iovvf_p50_us "$out") ib=$(kv igbvf_p50_us "$out")
check_gt "iovvf p50 (us)" "$iv" 0
check_gt "igbvf p50 (us)" "$ib" 0
echo "ok: SET_MAC round trip p50 iovvf $(awk -v v="$(kv trace_p50_ns "$out")" 'BEGIN { printf "%.0f", v / 1000 }') us (tracepoint);" \
	"function_graph p50 iovvf $iv us vs igbvf $ib us (x$(awk -v a="$iv" -v b="$ib" 'BEGIN { printf "%.1f", b / a }'))"
