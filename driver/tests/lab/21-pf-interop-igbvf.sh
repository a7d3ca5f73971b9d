#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# iovpf as PF with the in-tree igbvf on its VFs: iperf3 VF to VF (two namespaces), VF to PF
# and PF to VF. Cross-checks iovpf's counters: every debugfs "irq" record against its row in
# /proc/interrupts, the PF's RX byte counter (ethtool -S) and VF 0's pool TX bytes (ip -s link,
# ndo_get_vf_stats) against iperf3's received bytes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_module iovpf

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
modprobe igbvf
pf=$(iov_pf_up iovpf)
iov_enable_vfs 2
vf0=$(iov_netdev_of "$(iov_vf_bdf 0)")
vf1=$(iov_netdev_of "$(iov_vf_bdf 1)")
iov_guest_ns g1 "$vf0" 10.99.0.1/24
iov_guest_ns g2 "$vf1" 10.99.0.2/24
ip addr add 10.99.0.254/24 dev "$pf"
iov_wait_carrier g1 "$vf0" 60
iov_wait_carrier g2 "$vf1" 60
ip netns exec g2 iperf3 -s -D -B 10.99.0.2
iperf3 -s -D -B 10.99.0.254
sleep 0.5
ip netns exec g1 ping -c 1 -W 2 10.99.0.254 >/dev/null
jbytes() { sed -n "/\"sum_received\"/,/}/s/.*\"bytes\":[[:space:]]*\([0-9]*\).*/\1/p" "$1" | head -n1; }
jbps() { sed -n "/\"sum_received\"/,/}/s/.*\"bits_per_second\":[[:space:]]*\([0-9.e+]*\).*/\1/p" "$1" | head -n1; }
rxb() { ethtool -S "$pf" | awk "/ rx0_bytes:/ {print \$2}"; }
ip netns exec g1 iperf3 -c 10.99.0.2 -t 3 -J >/tmp/v2v.json
echo "vf2vf_bps=$(jbps /tmp/v2v.json)"
vftx() { ip -s link show "$pf" | awk "/ vf 0 /{f=1} f && /TX:/ {getline; print \$1; exit}"; }
r0=$(rxb); t0=$(vftx)
ip netns exec g1 iperf3 -c 10.99.0.254 -t 3 -J >/tmp/v2p.json
r1=$(rxb); t1=$(vftx)
echo "vf0_pool_tx_bytes=$((t1 - t0))"
echo "vf2pf_bps=$(jbps /tmp/v2p.json)"
echo "vf2pf_iperf_bytes=$(jbytes /tmp/v2p.json)"
echo "vf2pf_pf_rx_bytes=$((r1 - r0))"
ip netns exec g1 iperf3 -c 10.99.0.254 -t 3 -R -J >/tmp/p2v.json
echo "pf2vf_bps=$(jbps /tmp/p2v.json)"
killall iperf3 2>/dev/null || true
sleep 0.5
# every irq record vs /proc/interrupts (same moment, no traffic)
bad=0 n=0
S=/sys/kernel/debug/iovbench/$IOV_PF_BDF/stats
for rec in $(sed -n "s/^irq vec=[0-9]* name=\([^ ]*\) count=\([0-9]*\)$/\1:\2/p" $S); do
	name=${rec%%:*} cnt=${rec##*:}
	p=$(iov_irq_sum " $name\$")
	n=$((n + 1))
	d=$((p - cnt)); [ $d -lt 0 ] && d=$((-d))
	[ $d -le 2 ] || { bad=$((bad + 1)); echo "mismatch $name debugfs=$cnt proc=$p" >&2; }
	echo "irq_$name=$cnt/$p"
done
echo "irq_records=$n"; echo "irq_mismatch=$bad"
grep -q "^napi id=0 .* polls=[1-9]" $S && echo "napi_polls=ok"
grep -q "^mbx vf=0 dir=service op=VF_RESET count=[1-9][0-9]* ack=[1-9]" $S && echo "mbx_reset=ok"
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
check_gt "VF-to-VF bits/s" "$(kv vf2vf_bps "$out")" 0
check_gt "VF-to-PF bits/s" "$(kv vf2pf_bps "$out")" 0
check_gt "PF-to-VF bits/s" "$(kv pf2vf_bps "$out")" 0
[ "$(kv irq_mismatch "$out")" = 0 ] || fail "debugfs irq counts differ from /proc/interrupts"
check_gt "irq records" "$(kv irq_records "$out")" 1
[ "$(kv napi_polls "$out")" = ok ] || fail "no NAPI polls counted"
[ "$(kv mbx_reset "$out")" = ok ] || fail "no ACKed VF_RESET counted for VF 0"
ib=$(kv vf2pf_iperf_bytes "$out")
pb=$(kv vf2pf_pf_rx_bytes "$out")
# the PF counts frames (headers, retransmissions): at least iperf3's payload, at most ~15% more
awk -v p="$pb" -v i="$ib" 'BEGIN { exit !(p >= i && p <= i * 1.15 + 2097152) }' ||
	fail "PF rx bytes $pb vs iperf3 received $ib"
vb=$(kv vf0_pool_tx_bytes "$out")
# ip -s link's per-VF counters (the pool's registers, read by iovpf) against iperf3
awk -v p="$vb" -v i="$ib" 'BEGIN { exit !(p >= i && p <= i * 1.15 + 2097152) }' ||
	fail "VF 0 pool TX bytes $vb (ip -s link) vs iperf3 received $ib"
echo "ok: igbvf on iovpf: traffic all ways, irq counters match /proc/interrupts, rx bytes $pb and VF 0 pool tx bytes $vb vs iperf3 $ib"
