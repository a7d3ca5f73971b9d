#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# iovpf's knobs, now that it has no module parameters:
#  - ethtool -L combined 2 (no VFs): the MSI-X vectors follow (msi_irqs 2 -> 3), both queue
#    vectors are requested, ethtool -S shows the second pair; back to 1: 2 vectors again;
#    with VFs a change is refused and the PF keeps one pair and its mailbox;
#  - ethtool -G: below 64 refused, 100 rounded up to 104 (the policy iovvf shares);
#  - debugfs quirks (the QEMU mask) and mbx_rate (default 1000); no parameters directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_module iovpf

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
dmesg -c >/dev/null
pf=$(iov_pf_up iovpf)
D=/sys/kernel/debug/iovbench/$IOV_PF_BDF
nvec() { ls /sys/bus/pci/devices/$IOV_PF_BDF/msi_irqs | wc -l; }
qirqs() { grep -c "$pf-q" /proc/interrupts || true; }
echo "params_dir=$([ -d /sys/module/iovpf/parameters ] && echo yes || echo no)"
echo "quirks=$(cat $D/quirks)"
echo "mbx_rate=$(cat $D/mbx_rate)"
echo "vec_1=$(nvec)"
echo "max_combined=$(ethtool -l "$pf" | awk "/^Pre-set/ {p=1} p && /^Combined:/ {print \$2; exit}")"
ethtool -L "$pf" combined 2
echo "vec_2=$(nvec)"
echo "qirqs_2=$(qirqs)"
echo "cur_combined_2=$(ethtool -l "$pf" | awk "/^Current/ {p=1} p && /^Combined:/ {print \$2; exit}")"
echo "stats_q1=$(ethtool -S "$pf" | grep -c " rx1_packets:")"
n=0; until [ "$(cat /sys/class/net/$pf/carrier 2>/dev/null)" = 1 ] || [ $n -ge 100 ]; do n=$((n + 1)); sleep 0.1; done
echo "carrier_2=$(cat /sys/class/net/$pf/carrier 2>/dev/null || echo 0)"
ethtool -L "$pf" combined 1
echo "vec_back=$(nvec)"
echo "qirqs_back=$(qirqs)"
ethtool -G "$pf" rx 32 2>/dev/null && echo "ring_32=accepted" || echo "ring_32=refused"
ethtool -G "$pf" rx 100 tx 100
echo "ring_100=$(ethtool -g "$pf" | awk "/^Current/ {p=1} p && /^RX:/ {print \$2; exit}")"
iov_enable_vfs 2
ethtool -L "$pf" combined 2 2>/dev/null && echo "with_vfs=accepted" || echo "with_vfs=refused"
echo "vec_vfs=$(nvec)"
iov_enable_vfs 0
echo "warnings=$(dmesg | grep -cE "WARNING|BUG|Call Trace" || true)"
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
[ "$(kv params_dir "$out")" = no ] || fail "iovpf still has module parameters"
[ "$(kv quirks "$out")" = 0x0000001f ] || fail "quirks $(kv quirks "$out"), expected 0x0000001f"
[ "$(kv mbx_rate "$out")" = 1000 ] || fail "debugfs mbx_rate $(kv mbx_rate "$out"), expected 1000"
[ "$(kv max_combined "$out")" = 2 ] || fail "ethtool -l maximum $(kv max_combined "$out"), expected 2"
[ "$(kv vec_1 "$out")" = 2 ] || fail "$(kv vec_1 "$out") MSI-X vectors with one pair, expected 2"
[ "$(kv vec_2 "$out")" = 3 ] || fail "$(kv vec_2 "$out") MSI-X vectors after combined 2, expected 3"
[ "$(kv qirqs_2 "$out")" = 2 ] || fail "$(kv qirqs_2 "$out") queue vectors requested, expected 2"
[ "$(kv cur_combined_2 "$out")" = 2 ] || fail "ethtool -l shows $(kv cur_combined_2 "$out") pairs"
[ "$(kv stats_q1 "$out")" = 1 ] || fail "ethtool -S has no second pair"
[ "$(kv carrier_2 "$out")" = 1 ] || fail "no link within 10 s after ethtool -L"
[ "$(kv vec_back "$out")" = 2 ] || fail "$(kv vec_back "$out") MSI-X vectors back at one pair"
[ "$(kv qirqs_back "$out")" = 1 ] || fail "$(kv qirqs_back "$out") queue vectors back at one pair"
[ "$(kv ring_32 "$out")" = refused ] || fail "a 32-descriptor ring was accepted"
[ "$(kv ring_100 "$out")" = 104 ] || fail "ethtool -G rx 100 gave $(kv ring_100 "$out"), expected 104"
[ "$(kv with_vfs "$out")" = refused ] || fail "ethtool -L combined 2 accepted with VFs"
[ "$(kv vec_vfs "$out")" = 2 ] || fail "$(kv vec_vfs "$out") vectors with VFs, expected 2"
[ "$(kv warnings "$out")" = 0 ] || fail "kernel warnings"
echo "ok: ethtool -L moves the vectors with the pairs (refused with VFs), -G follows the shared policy, debugfs knobs there"
