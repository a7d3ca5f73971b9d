#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# iovpf VF administration and recovery, with in-tree igbvf on the VFs:
#  - link_state disable stops a VF's traffic, auto restores it
#  - spoofchk on is refused (the model cannot enforce it) and ip link says "spoof checking off"
#  - a pinned MAC (ip link set PF vf 0 mac) cannot be changed by the VF (NACK counted) and is
#    what the VF uses after its driver reloads; traffic works with it
#  - PF down/up with VFs active: VF traffic recovers; VF FLR: the VF recovers
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_module iovpf

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
iov_reset
modprobe igbvf
pf=$(iov_pf_up iovpf)
iov_enable_vfs 2
b0=$(iov_vf_bdf 0); b1=$(iov_vf_bdf 1)
vf0=$(iov_netdev_of "$b0"); vf1=$(iov_netdev_of "$b1")
iov_guest_ns g1 "$vf0" 10.99.0.1/24
iov_guest_ns g2 "$vf1" 10.99.0.2/24
ip addr add 10.99.0.254/24 dev "$pf"
iov_wait_carrier g1 "$vf0" 60
iov_wait_carrier g2 "$vf1" 60
S=/sys/kernel/debug/iovbench/$IOV_PF_BDF/stats
pingw() { # NS ADDR SECONDS: seconds until a ping answers, or FAIL
	_i=0
	while [ $_i -lt $3 ]; do
		ip netns exec $1 ping -c 1 -W 1 $2 >/dev/null 2>&1 && { echo $_i; return 0; }
		_i=$((_i + 1))
	done
	echo FAIL
}
echo "ping_initial=$(pingw g1 10.99.0.2 5)"
ip link set "$pf" vf 1 state disable
ip netns exec g1 ping -c 2 -W 1 10.99.0.2 >/dev/null 2>&1 && echo "disabled_vf_reachable=yes" || echo "disabled_vf_reachable=no"
ip link set "$pf" vf 1 state auto
echo "ping_reenabled=$(pingw g1 10.99.0.2 5)"
ip link set "$pf" vf 0 spoofchk on 2>/dev/null && echo "spoofchk_on=accepted" || echo "spoofchk_on=refused"
ip link show "$pf" | grep -q "vf 0 .*spoof checking off" && echo "spoofchk_shown=off"
ip link set "$pf" vf 0 trust on
ip link show "$pf" | grep -q "vf 0 .*trust on" && echo "trust_shown=on"
ip link set "$pf" vf 0 trust off
# administrator pins VF 0 MAC
ip link set "$pf" vf 0 mac 02:11:22:33:44:55
ip link show "$pf" | grep -q "vf 0 .*02:11:22:33:44:55" && echo "pinned_shown=yes"
nack0=$(sed -n "s/^mbx vf=0 dir=service op=SET_MAC .* nack=\([0-9]*\) .*/\1/p" $S)
ip netns exec g1 ip link set "$vf0" address 02:66:66:66:66:66 2>/dev/null && echo "vf_override=accepted" || echo "vf_override=refused"
nack1=$(sed -n "s/^mbx vf=0 dir=service op=SET_MAC .* nack=\([0-9]*\) .*/\1/p" $S)
echo "set_mac_nacks=$((nack1 - ${nack0:-0}))"
ip netns del g1
echo "$b0" >/sys/bus/pci/drivers/igbvf/unbind
echo "$b0" >/sys/bus/pci/drivers/igbvf/bind
vf0=$(iov_netdev_of "$b0")
echo "vf0_mac_after_reload=$(cat /sys/class/net/$vf0/address)"
iov_guest_ns g1 "$vf0" 10.99.0.1/24
iov_wait_carrier g1 "$vf0" 60
echo "ping_pinned=$(pingw g1 10.99.0.2 30)"
# PF down/up with VFs active
ip link set "$pf" down; sleep 1; ip link set "$pf" up
echo "ping_after_pf_bounce=$(pingw g1 10.99.0.2 40)"
echo "ping_pf_after_pf_bounce=$(pingw g1 10.99.0.254 30)"
# function level reset of VF 1
echo 1 >/sys/bus/pci/devices/$b1/reset
echo "ping_after_flr=$(pingw g1 10.99.0.2 60)"
dmesg | grep -c -E "WARNING|BUG|Call Trace" | sed "s/^/warnings=/" || true
iov_reset
' 400) || fail "guest steps failed"
echo "$out"
nfail() { { [ "$(kv "$1" "$out")" != FAIL ] && [ -n "$(kv "$1" "$out")" ]; } || fail "$2"; }
nfail ping_initial "VF to VF ping failed"
[ "$(kv disabled_vf_reachable "$out")" = no ] || fail "link_state disable did not stop the VF"
nfail ping_reenabled "link_state auto did not restore the VF"
[ "$(kv spoofchk_on "$out")" = refused ] || fail "spoofchk on was accepted but cannot be enforced"
[ "$(kv spoofchk_shown "$out")" = off ] || fail "ip link does not show spoof checking off"
[ "$(kv trust_shown "$out")" = on ] || fail "trust on not reported"
[ "$(kv pinned_shown "$out")" = yes ] || fail "pinned MAC not shown by ip link"
[ "$(kv vf_override "$out")" = refused ] || fail "VF changed an administrator-pinned MAC"
check_gt "SET_MAC NACKs counted" "$(kv set_mac_nacks "$out")" 0
[ "$(kv vf0_mac_after_reload "$out")" = 02:11:22:33:44:55 ] || fail "VF does not use the pinned MAC after reload"
nfail ping_pinned "no traffic with the pinned MAC"
nfail ping_after_pf_bounce "VF to VF traffic did not recover after PF down/up"
nfail ping_pf_after_pf_bounce "VF to PF traffic did not recover after PF down/up"
nfail ping_after_flr "VF did not recover after FLR"
[ "$(kv warnings "$out")" = 0 ] || fail "kernel warnings in the log"
echo "ok: link_state, spoofchk refused, pinned MAC enforced, recovery after PF bounce ($(kv ping_after_pf_bounce "$out") s) and FLR ($(kv ping_after_flr "$out") s)"
