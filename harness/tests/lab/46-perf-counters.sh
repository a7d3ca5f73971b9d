#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# iovperf (perf events through libperf) counts around a short TCP stream VF to VF on our pair
# (iovpf + iovvf, 2 namespace guests), cross-checked against the sources it may replace:
#   - napi:napi_poll against the ftrace NAPI trace (every poll of every NAPI, as iov_trace_*
#     records it), and iovbench:iov_napi_poll against our drivers' debugfs poll counters (both
#     come from one driver function, so they count the same polls);
#   - irq:irq_handler_entry per vector (a filter irq==N) against the vector's /proc/interrupts row.
# Exact equality cannot be asked of two readers that cannot read at one instant, so the windows
# are nested: ftrace on, debugfs and /proc/interrupts read, [iovperf read, traffic, iovperf read],
# debugfs and /proc/interrupts read, ftrace off. The iovperf count must then be at most the outer
# one, and the outer one exceed it only by what happened in the gaps between the readers, with no
# traffic running: at most 2 % of the count plus 50 (TCG: each gap is one or two process starts).
# The sample ring on napi:napi_poll (--napi-hist): its decoded polls plus those it lost over the
# window are the polls counted, within 2 % + 50 both ways (iovperf reads the ring just after its
# counters, at both ends of the window), and its histogram adds up to them.
# And: hardware events (cycles, instructions, cache-misses, branch-misses) are "not-supported"
# under TCG (no PMU), never 0; with a PMU (KVM) each is a count above 0 or not-supported.
# Collection cost, both paths on the same repetition (issue 14's benchmark): the wall time of the
# two iovperf reads against the ftrace text path's, which is the trace dumped to a file in the
# guest (iov_trace_stop) and copied to the host (lab get, as a run fetches it); the counting
# path must cost less. And in guest CPU: each path's readers run in a cgroup of their own
# (cgroup v2 cpu.stat usage_usec: every process in it, exited ones too, at microseconds), and
# iovperf's background process, which serves the reads and drains its sample ring every 50 ms,
# adds its scheduler run time over the whole window (traffic included). The guest CPU the agent
# spends copying the trace to the host is not in the ftrace figure: the counting path is
# charged in full, the ftrace path only in part.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

accel=$("$IOVBENCH" lab status | sed -n 's/.* accel=\([a-z]*\).*/\1/p')
[ -n "$accel" ] || fail "lab status names no accelerator"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
iov_topology vf 2 guest-to-guest >/tmp/topo
read _ ns1 dev1 addr1 bdf1 ns2 dev2 addr2 bdf2 </tmp/topo
ip netns exec "$ns2" iperf3 -s -D -p 5346 -B "$addr2"
iov_wait_listen "$ns2" 5346 20
iov_perf_start "$bdf1" "$bdf2" --napi-hist >/tmp/perf-start
[ -e /sys/bus/event_source/devices/cpu ] && echo pmu=yes || echo pmu=no
polls() { cat /sys/kernel/debug/iovbench/*/stats | awk "/^napi / { for (i = 2; i <= NF; i++) if (\$i ~ /^polls=/) { sub(/polls=/, \"\", \$i); s += \$i } } END { print s + 0 }"; }
vectors() { for b in "$bdf1" "$bdf2"; do for v in /sys/bus/pci/devices/$b/msi_irqs/*; do echo "${v##*/}"; done; done; }
irqs() { awk "NR == 1 { n = NF; next } { sub(/:/, \"\", \$1); s = 0; for (i = 2; i <= n + 1; i++) s += \$i; print \$1, s }" /proc/interrupts; }
now_us() { d=$(date +%s%N); case $d in *N*) awk "{ printf \"%d\\n\", \$1 * 1e6 }" /proc/uptime ;; *) echo $((d / 1000)) ;; esac; }
cg=/sys/fs/cgroup
[ -e "$cg/cgroup.procs" ] || mount -t cgroup2 none "$cg"
mkdir -p "$cg/iov-perf-read" "$cg/iov-trace-dump"
# in_cg NAME SCRIPT: SCRIPT (guest-lib loaded) in cgroup NAME; cg_us NAME: its CPU so far (us)
in_cg() { sh -c ". /usr/lib/iovbench/guest-lib.sh; echo \$\$ >$cg/$1/cgroup.procs && $2"; }
cg_us() { sed -n "s/^usage_usec //p" "$cg/$1/cpu.stat"; }
server_ns() { cut -d" " -f1 "/proc/$(cat "$IOV_PERF_DIR/pid")/schedstat"; }
iov_trace_start
polls >/tmp/drv-before
irqs >/tmp/irq-before
s0=$(server_ns)
t0=$(now_us)
in_cg iov-perf-read "iov_perf_read >/tmp/perf-before"
t1=$(now_us)
ip netns exec "$ns1" iperf3 -c "$addr2" -p 5346 -t 3 -J >/tmp/i.json
t2=$(now_us)
in_cg iov-perf-read "iov_perf_read >/tmp/perf-after"
t3=$(now_us)
s1=$(server_ns)
polls >/tmp/drv-after
irqs >/tmp/irq-after
t4=$(now_us)
in_cg iov-trace-dump "iov_trace_stop /tmp/napi.trace"
t5=$(now_us)
echo "perf_read_us=$((t1 - t0 + t3 - t2))"
echo "trace_dump_us=$((t5 - t4))"
echo "perf_cpu_us=$(($(cg_us iov-perf-read) + (s1 - s0) / 1000))"
echo "perf_server_cpu_us=$(((s1 - s0) / 1000))"
echo "trace_cpu_us=$(cg_us iov-trace-dump)"
rmdir "$cg/iov-perf-read" "$cg/iov-trace-dump"
echo "trace_bytes=$(wc -c </tmp/napi.trace)"
echo "clock=$(date +%N | grep -q N && echo uptime-10ms || echo ns)"
iov_perf_stop
echo "bits_per_second=$(sed -n "/\"sum_received\"/,/}/s/.*\"bits_per_second\":[[:space:]]*\([0-9.e+]*\).*/\1/p" /tmp/i.json | tail -n1)"
# delta NAME: the iovperf count over the window, or its not-supported line
delta() { awk -v n="$1" "FNR == NR { if (\$1 == n) b = \$2; next } \$1 == n { print (\$2 ~ /^[0-9]+\$/ && b ~ /^[0-9]+\$/) ? \$2 - b : \$2 }" /tmp/perf-before /tmp/perf-after; }
echo "perf_napi_poll=$(delta napi:napi_poll)"
echo "perf_iov_napi_poll=$(delta iovbench:iov_napi_poll)"
echo "perf_irq_total=$(delta irq:irq_handler_entry)"
echo "perf_net_rx=$(delta irq:softirq_entry/NET_RX)"
echo "perf_receive_skb=$(delta net:netif_receive_skb)"
echo "perf_ctxsw=$(delta context-switches)"
echo "ring_polls=$(delta napi:napi_poll/work)"
lost() { sed -n "s/^napi:napi_poll\/work .* lost=\([0-9]*\).*/\1/p" "$1"; }
echo "ring_lost=$(($(lost /tmp/perf-after) - $(lost /tmp/perf-before)))"
grep "^napi:napi_poll/work " /tmp/perf-after | sed "s/.* hist=/ring_hist_after=/"
echo "ftrace_napi_poll=$(grep -c " napi_poll: " /tmp/napi.trace || true)"
echo "drv_polls=$(($(cat /tmp/drv-after) - $(cat /tmp/drv-before)))"
for v in $(vectors); do
	echo "vec_$v=$(delta "irq:irq_handler_entry/$v") $(awk -v v="$v" "FNR == NR { if (\$1 == v) b = \$2; next } \$1 == v { print \$2 - b }" /tmp/irq-before /tmp/irq-after)"
done
for e in cycles instructions cache-misses branch-misses; do
	echo "hw_$e=$(grep "^$e " /tmp/perf-after | cut -d" " -f2-)"
done
' 300) || fail "guest steps failed"
echo "$out"
# the trace's copy to the host, as a run fetches it (target_get)
fetch_dir=$(mktemp -d)
t0=$(date +%s%N)
"$IOVBENCH" lab get /tmp/napi.trace "$fetch_dir/trace" || fail "cannot copy the trace from the lab"
fetch_us=$((($(date +%s%N) - t0) / 1000))
rm -rf "$fetch_dir"
guest 'iov_reset' 120 >/dev/null || fail "iov_reset failed"

# within NAME INNER OUTER: INNER <= OUTER <= INNER + 2 % + 50 (the nested windows above)
within() {
	awk -v i="$2" -v o="$3" 'BEGIN { exit !(i ~ /^[0-9]+$/ && o ~ /^[0-9]+$/ && i + 0 <= o + 0 && o - i <= i * 0.02 + 50) }' ||
		fail "$1: iovperf counted $2 inside a window where the outer reader counted $3 (want at most that, and at most 2 % + 50 less)"
	echo "ok: $1 iovperf $2, outer $3 (gap $(($3 - $2)))"
}

[ "$(kv trace_overrun "$out")" = 0 ] || fail "the ftrace NAPI trace lost events: the comparison would prove nothing"
check_gt "TCP throughput (bit/s)" "$(kv bits_per_second "$out")" 1000000
check_gt "napi:napi_poll counted by iovperf" "$(kv perf_napi_poll "$out")" 100
within "napi:napi_poll against the ftrace trace" "$(kv perf_napi_poll "$out")" "$(kv ftrace_napi_poll "$out")"
within "iovbench:iov_napi_poll against debugfs polls" "$(kv perf_iov_napi_poll "$out")" "$(kv drv_polls "$out")"
ring=$(($(kv ring_polls "$out") + $(kv ring_lost "$out")))
awk -v r="$ring" -v c="$(kv perf_napi_poll "$out")" 'BEGIN { d = r - c; if (d < 0) d = -d; exit !(d <= c * 0.02 + 50) }' ||
	fail "the napi:napi_poll sample ring saw $ring polls (lost included), the counter $(kv perf_napi_poll "$out")"
echo "ok: sample ring $(kv ring_polls "$out") polls decoded + $(kv ring_lost "$out") lost, counter $(kv perf_napi_poll "$out"); histogram at the end $(kv ring_hist_after "$out")"
check_gt "NET_RX softirqs" "$(kv perf_net_rx "$out")" 0
nvec=0
while read -r line; do
	v=${line%%=*} v=${v#vec_}
	# shellcheck disable=SC2086 # split on purpose: "PERF PROC" counts
	set -- ${line#*=}
	within "irq $v against /proc/interrupts" "$1" "$2"
	nvec=$((nvec + 1))
done < <(printf '%s\n' "$out" | grep '^vec_')
[ "$nvec" -ge 4 ] || fail "$nvec vectors counted one by one, expected 2 per VF (mailbox, TxRx)"

perf_us=$(kv perf_read_us "$out")
ftrace_us=$(($(kv trace_dump_us "$out") + fetch_us))
echo "collection cost: iovperf 2 reads ${perf_us} us; ftrace text path ${ftrace_us} us (dump $(kv trace_dump_us "$out") us in the guest, fetch ${fetch_us} us, $(kv trace_bytes "$out") bytes; guest clock $(kv clock "$out"))"
[ "$perf_us" -lt "$ftrace_us" ] || fail "the counting path (${perf_us} us) cost no less than the ftrace text path (${ftrace_us} us)"
perf_cpu=$(kv perf_cpu_us "$out") trace_cpu=$(kv trace_cpu_us "$out")
echo "collection guest CPU: iovperf ${perf_cpu} us (its background process $(kv perf_server_cpu_us "$out") us over the window), ftrace dump ${trace_cpu} us"
check_gt "guest CPU of the ftrace dump (us)" "$trace_cpu" 0
[ "$perf_cpu" -lt "$trace_cpu" ] || fail "the counting path took ${perf_cpu} us of guest CPU, the ftrace dump alone ${trace_cpu} us"

pmu=$(kv pmu "$out")
for e in cycles instructions cache-misses branch-misses; do
	v=$(kv "hw_$e" "$out")
	if [ "$accel" = tcg ]; then
		[ "$pmu" = no ] || fail "under TCG the guest shows a CPU PMU"
		[[ $v == not-supported* ]] || fail "$e under TCG: '$v', expected not-supported (no PMU)"
	else
		[[ $v == not-supported* ]] || check_gt "$e with a PMU" "${v%% *}" 0
	fi
	echo "ok: $e: $v"
done
