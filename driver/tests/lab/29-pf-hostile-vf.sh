#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A hostile VF beside well-behaved ones (iovpf PF, iovvf on VFs 0 and 1, VF 2 driven from user
# space by harness/agent/iovmbx.c):
#  - isolation: VF 2 cannot take, as primary or extra MAC filter, an address that VF 0 or the
#    PF (a macvlan on the PF) filters; it gets its share of MAC filters
#    (9 / num_vfs) and of VLAN filters ((32 - num_vfs - 1) / num_vfs), no more, and a repeated
#    VLAN does not count twice; revoking trust takes back multicast promiscuous mode and, on a
#    pinned MAC, the extra filters (debugfs vf_state)
#  - robustness: a seeded fuzz of malformed, unknown and out-of-CTS messages with CTRL.RST and
#    kept buffer locks, while VFs 0 and 1 carry a TCP stream and keep changing their multicast
#    list: every hostile message gets a reply and the PF's counters account for each one; the
#    stream never stalls for an interval; the bystanders' requests are all ACKed, none times out;
#    the kernel log from the storm on holds no warning, BUG or oops
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_module iovpf iovvf
# the seed is printed: a failure can be replayed with IOVBENCH_FUZZ_SEED
seed=${IOVBENCH_FUZZ_SEED:-$(date +%s)}
fuzz_n=${IOVBENCH_FUZZ_MESSAGES:-1500}

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
iov_topology vf 3 guest-to-guest >/tmp/topo
read -r _ _ vf0 _ b0 _ vf1 _ b1 </tmp/topo
pf=$(iov_netdev_of "$IOV_PF_BDF")
b=$(iov_vf_bdf 2)
echo "$b" >/sys/bus/pci/devices/$b/driver/unbind
echo 1 >/sys/bus/pci/devices/$b/enable
D=/sys/kernel/debug/iovbench/$IOV_PF_BDF
r() { iovmbx $b "$@" | sed -n "s/^reply=\([^ ]*\).*/\1/p"; }
# MAC aa:bb:cc:dd:ee:ff as the two message words 0xddccbbaa,0xffee
w() { echo "$1" | awk -F: "{ printf \"0x%s%s%s%s,0x%s%s\", \$4, \$3, \$2, \$1, \$6, \$5 }"; }
st() { sed -n "s/^vf=$1 .* $2=\([0-9]*\).*/\1/p" $D/vf_state; }
echo "reset=$(r 0x1)"

modprobe macvlan
ip link add link "$pf" name mvpf address 02:00:00:00:dd:01 type macvlan
ip link set mvpf up
sleep 0.5
mac0=$(ip -n g1 -br link show "$vf0" | awk "{ print \$3 }")
echo "uc_vf0=$(r 0x20002,$(w "$mac0"))"
echo "uc_pf2=$(r 0x20002,$(w 02:00:00:00:dd:01))"
echo "mac_pf2=$(r 0x2,$(w 02:00:00:00:dd:01))"
for i in 1 2 3 4; do echo "uc_quota$i=$(r 0x20002,$(w 02:00:00:00:ee:0$i))"; done
echo "uc_owned=$(st 2 uc_filters)"
echo "uc_clear=$(r 0x10002)"
i=100
while [ $i -le 110 ]; do echo "vlan$i=$(r 0x10004,$i)"; i=$((i + 1)); done
echo "vlan_again=$(r 0x10004,100)"
echo "vlans=$(st 2 vlans)"
i=100
while [ $i -le 110 ]; do r 0x4,$i >/dev/null; i=$((i + 1)); done
echo "vlans_after_del=$(st 2 vlans)"

ip link set "$pf" vf 2 mac 02:00:00:00:ee:02
ip link set "$pf" vf 2 trust on
echo "reset_pinned=$(r 0x1)"
echo "uc_trusted=$(r 0x20002,$(w 02:00:00:00:ee:03))"
echo "promisc_trusted=$(r 0x20006)"
echo "trusted_state=$(st 2 promisc_mc)/$(st 2 uc_filters)"
ip link set "$pf" vf 2 trust off
echo "revoked_state=$(st 2 promisc_mc)/$(st 2 uc_filters)"
echo "promisc_revoked=$(r 0x20006)"
ip link set "$pf" vf 2 mac 00:00:00:00:00:00
ip link del mvpf

# the storm, beside a stream and mailbox requests of the bystanders
S0=/sys/kernel/debug/iovbench/$b0/stats
S1=/sys/kernel/debug/iovbench/$b1/stats
echo reset >$S0; echo reset >$S1; echo reset >$D/stats
echo "iovbench: storm starts" >/dev/kmsg
ip netns exec g2 iperf3 -s -1 -D -B 10.99.0.2
iov_wait_listen g2 5201 20
ip netns exec g1 iperf3 -c 10.99.0.2 -t 600 -i 1 -f k --forceflush >/tmp/stream 2>&1 &
sp=$!
(
	n=0
	while [ ! -e /tmp/storm-done ]; do
		ip -n g1 maddr add 01:00:5e:00:00:0$((n % 8 + 1)) dev "$vf0"
		ip -n g2 maddr add 01:00:5e:00:00:0$((n % 8 + 1)) dev "$vf1"
		ip -n g1 maddr del 01:00:5e:00:00:0$((n % 8 + 1)) dev "$vf0"
		ip -n g2 maddr del 01:00:5e:00:00:0$((n % 8 + 1)) dev "$vf1"
		n=$((n + 1))
		sleep 0.2
	done
	echo "bystander_rounds=$n"
) >/tmp/bystanders 2>&1 &
bp=$!
rm -f /tmp/storm-done
sleep 2
t0=$(cut -d" " -f1 /proc/uptime)
iovmbx $b fuzz:'"$fuzz_n"':'"$seed"' hold:0x3 0x1 hold:0x20002,0x12345602,0x1 0x1 >/tmp/fuzz
t1=$(cut -d" " -f1 /proc/uptime)
sleep 2
touch /tmp/storm-done
wait $bp
kill -INT $sp; wait $sp 2>/dev/null || true	# iperf3 cut by SIGINT exits non-zero
cat /tmp/bystanders
echo "storm_s=$(awk -v a="$t0" -v b="$t1" "BEGIN { printf \"%.1f\", b - a }")"
sed -n "s/^fuzz sent=\([0-9]*\) ack=\([0-9]*\) nack=\([0-9]*\) unanswered=\([0-9]*\) unread=\([0-9]*\) lockfail=\([0-9]*\) rst=\([0-9]*\)/fuzz_sent=\1\nfuzz_ack=\2\nfuzz_nack=\3\nfuzz_none=\4\nfuzz_unread=\5\nfuzz_lockfail=\6\nfuzz_rst=\7/p" /tmp/fuzz
echo "after_replies=$(grep -c "^reply=0x8" /tmp/fuzz)"
echo "holds_dropped=$(grep -c "^hold reply=none vfu=0" /tmp/fuzz)"
# every message the hostile VF posted, as the PF counted it: those it read, and the requests it
# dropped on taking back a kept lock
lock=$(sed -n "s/^mbx vf=2 dir=rejected op=LOCK count=\([0-9]*\).*/\1/p" $D/stats)
echo "pf_counted=$(($(iov_pf_mbx_counted 2) + ${lock:-0}))"
grep "^mbx vf=2 " $D/stats | sed "s/^/stat: /"
awk "/^mbx vf=-1 dir=rtt / && !/op=PF_CONTROL/ { for (i = 5; i <= NF; i++) { split(\$i, c, \"=\"); t[c[1]] += c[2] } }
     END { printf \"bystander_count=%d\nbystander_nack=%d\nbystander_timeout=%d\n\", t[\"count\"], t[\"nack\"], t[\"timeout\"] }" $S0 $S1
# intervals of the stream while the storm ran (iperf3 prints one line per second)
awk "/sec .*Kbits\\/sec/ && !/sender|receiver/ { split(\$3, t, \"-\"); if (t[2] - t[1] < 0.5) next; n++; if (\$7 + 0 == 0) z++ } END { printf \"stream_intervals=%d\nstream_stalls=%d\n\", n, z + 0 }" /tmp/stream
echo "reset_after=$(r 0x1)"
echo "kernel_warnings=$(dmesg | sed -n "/iovbench: storm starts/,\$p" |
	grep -cE "WARNING:|BUG:|Oops|general protection|UBSAN|refcount_t|list_(add|del) corruption" || true)"
ip netns exec g1 ping -c 2 -W 3 10.99.0.2 >/dev/null && echo "ping_after=ok"
iov_reset
' 900) || { echo "$out"; fail "guest steps failed"; }
echo "$out"
echo "fuzz seed=$seed messages=$fuzz_n (replay: IOVBENCH_FUZZ_SEED=$seed)"
e() { [ "$(kv "$1" "$out")" = "$2" ] || fail "$1: got '$(kv "$1" "$out")', expected $2 ($3)"; }
e reset 0x80000001 "VF_RESET of the hostile VF"
e uc_vf0 0x60020002 "extra filter with VF 0's MAC: NACK"
e uc_pf2 0x60020002 "extra filter with the PF's secondary address: NACK"
e mac_pf2 0x60000002 "MAC = the PF's secondary address: NACK"
e uc_quota1 0xa0020002 "extra filter 1 of a share of 3: ACK"
e uc_quota3 0xa0020002 "extra filter 3 of a share of 3: ACK"
e uc_quota4 0x60020002 "extra filter 4 over a share of 3: NACK"
e uc_owned 3 "extra filters held: the share"
e uc_clear 0xa0010002 "clear extra filters: ACK"
e vlan108 0xa0010004 "VLAN 9 of a share of 9: ACK"
e vlan109 0x60010004 "VLAN 10 over a share of 9: NACK"
e vlan_again 0xa0010004 "a VLAN already held: ACK"
e vlans 9 "VLANs held: the share, a repeat not counted twice"
e vlans_after_del 0 "VLANs after deleting them all"
e reset_pinned 0x80000001 "VF_RESET after the MAC was pinned"
e uc_trusted 0xa0020002 "extra filter of a trusted VF with a pinned MAC: ACK"
e promisc_trusted 0xa0020006 "multicast promiscuous of a trusted VF: ACK"
e trusted_state 1/1 "trusted: promisc_mc/uc_filters"
e revoked_state 0/0 "trust revoked: both taken back"
e promisc_revoked 0x60020006 "multicast promiscuous after trust off: NACK"
fuzz_sent=$(kv fuzz_sent "$out")
e fuzz_sent "$fuzz_n" "fuzz messages sent"
e fuzz_none 0 "fuzz messages read by the PF and not answered within 15 s"
e fuzz_unread 0 "fuzz messages the PF had not read within 15 s"
e fuzz_lockfail 0 "fuzz messages never posted (the buffer never came free)"
e holds_dropped 2 "requests posted with the lock kept: dropped, lock taken back"
e after_replies 2 "VF_RESET after each kept lock: ACK"
# fuzz messages + 2 kept-lock requests + 2 VF_RESETs
e pf_counted $((fuzz_sent + 4)) "every hostile message counted once by the PF"
check_gt "bystander mailbox requests during the storm" "$(kv bystander_count "$out")" 3
e bystander_nack 0 "bystander requests NACKed"
e bystander_timeout 0 "bystander requests timed out"
check_gt "stream intervals during the storm" "$(kv stream_intervals "$out")" 2
e stream_stalls 0 "one-second intervals without a byte of the bystanders' stream"
e reset_after 0x80000001 "VF_RESET after the storm"
e kernel_warnings 0 "kernel warnings, BUGs or oopses in dmesg from the storm on"
e ping_after ok "bystanders reachable after the storm"
echo "ok: hostile VF isolated (filters, shares, trust) and survived: $fuzz_sent fuzz messages in $(kv storm_s "$out") s, all answered and counted, bystanders unharmed"
