#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# iovvf against the in-tree igb as PF: 2 VFs bound by iovvf, each in its own namespace,
# ping and iperf3 VF to VF. Checks: throughput > 0; the reset handshake went through the
# mailbox (VF_RESET round trip recorded); our per-vector interrupt counters (debugfs) agree
# with /proc/interrupts; the receiver's byte counter (ethtool -S, qstats source) agrees with
# what iperf3 received; the mailbox vector really fires (interrupt-driven client).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
modprobe iovvf
iov_pf_up igb >/dev/null
iov_enable_vfs 2
b0=$(iov_vf_bdf 0); b1=$(iov_vf_bdf 1)
vf0=$(iov_netdev_of "$b0"); vf1=$(iov_netdev_of "$b1")
[ "$(basename "$(readlink /sys/bus/pci/devices/$b0/driver)")" = iovvf ] || iov_die "$b0 not bound to iovvf"
iov_guest_ns g1 "$vf0" 10.99.0.1/24
iov_guest_ns g2 "$vf1" 10.99.0.2/24
iov_wait_carrier g1 "$vf0" 20 || iov_die "no carrier on $vf0"
iov_wait_carrier g2 "$vf1" 20 || iov_die "no carrier on $vf1"
ip netns exec g1 ping -c 3 -W 2 10.99.0.2 >/dev/null || iov_die "ping VF0 -> VF1 failed"
ip netns exec g2 iperf3 -s -1 -D -B 10.99.0.2
sleep 0.5
D=/sys/kernel/debug/iovbench
snap() { # vector counts "name count" from debugfs and /proc/interrupts, both VFs
	for b in $b0 $b1; do sed -n "s/^irq vec=[0-9]* name=\([^ ]*\) count=\([0-9]*\)/dbg \1 \2/p" $D/$b/stats; done
	awk "NR > 1 && /$vf0-|$vf1-/ { s = 0; for (i = 2; i <= NF; i++) if (\$i ~ /^[0-9]+\$/) s += \$i; print \"proc\", \$NF, s }" /proc/interrupts
}
snap >/tmp/s0
rx0=$(ip netns exec g2 ethtool -S "$vf1" | awk "/ rx_bytes:/ {print \$2}")
ip netns exec g1 iperf3 -c 10.99.0.2 -t 3 -J >/tmp/iperf.json
rx1=$(ip netns exec g2 ethtool -S "$vf1" | awk "/ rx_bytes:/ {print \$2}")
snap >/tmp/s1
echo "bps=$(sed -n "/\"sum_received\"/,/}/s/.*\"bits_per_second\":[[:space:]]*\([0-9.e+]*\).*/\1/p" /tmp/iperf.json | head -n1)"
echo "iperf_bytes=$(sed -n "/\"sum_received\"/,/}/s/.*\"bytes\":[[:space:]]*\([0-9]*\).*/\1/p" /tmp/iperf.json | head -n1)"
echo "rx_bytes_delta=$((rx1 - rx0))"
# per vector: debugfs delta vs /proc/interrupts delta
awk "FNR == NR { a[\$1 \" \" \$2] = \$3; next } { d[\$1 \" \" \$2] = \$3 - a[\$1 \" \" \$2] }
	END { worst = 0; n = 0; for (k in d) { split(k, p, \" \"); if (p[1] != \"dbg\") continue;
		n++; x = d[k] - d[\"proc \" p[2]]; if (x < 0) x = -x; if (x > worst) worst = x; tot += d[k] }
		print \"vectors=\" n; print \"irq_mismatch_max=\" worst; print \"irq_total=\" tot }" /tmp/s0 /tmp/s1
echo "reset_rtt=$(grep -c "op=VF_RESET .*lat_ns=[0-9]" $D/$b0/stats)"
echo "mbx_irqs=$(sed -n "s/^irq vec=0 name=[^ ]* count=//p" $D/$b0/stats)"
echo "timeouts=$(cat $D/$b0/stats $D/$b1/stats | sed -n "s/.* timeout=\([0-9]*\).*/\1/p" | awk "{s += \$1} END {print s + 0}")"
iov_reset
' 240) || fail "guest steps failed"
echo "$out"
bps=$(kv bps "$out")
[ -n "$bps" ] || fail "no throughput in iperf3 output"
check_gt "VF-to-VF iperf3 bits/s" "$bps" 0
[ "$(kv vectors "$out")" = 4 ] || fail "expected 4 MSI-X vectors (mailbox and TxRx per VF) in debugfs, got $(kv vectors "$out")"
check_gt "queue interrupts during iperf3" "$(kv irq_total "$out")" 100
mis=$(kv irq_mismatch_max "$out")
awk -v m="$mis" 'BEGIN { exit !(m <= 3) }' || fail "debugfs irq counts differ from /proc/interrupts by $mis"
check_gt "VF_RESET round trip recorded" "$(kv reset_rtt "$out")" 0
check_gt "mailbox vector interrupts" "$(kv mbx_irqs "$out")" 0
ib=$(kv iperf_bytes "$out") rb=$(kv rx_bytes_delta "$out")
awk -v i="$ib" -v r="$rb" 'BEGIN { exit !(r >= i && r <= i * 1.15 + 100000) }' ||
	fail "receiver rx_bytes delta $rb does not match iperf3's $ib received bytes"
echo "ok: $(awk -v b="$bps" 'BEGIN { printf "%.0f Mbit/s", b / 1e6 }'), irq counters match /proc/interrupts (max diff $mis), rx_bytes/iperf3 = $(awk -v i="$ib" -v r="$rb" 'BEGIN { printf "%.3f", r / i }')"
