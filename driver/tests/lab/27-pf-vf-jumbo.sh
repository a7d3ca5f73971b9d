#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Jumbo frames between two VFs on iovpf while the PF itself stays at MTU 1500: a VF's SET_LPE
# must be enough (igb behaves so). With iovvf and with the in-tree igbvf on the VFs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_module iovpf iovvf

for vfdrv in iovvf igbvf; do
	out=$(guest "
iov_reset
modprobe $vfdrv
pf=\$(iov_pf_up iovpf)
iov_enable_vfs 2
vf0=\$(iov_netdev_of \"\$(iov_vf_bdf 0)\")
vf1=\$(iov_netdev_of \"\$(iov_vf_bdf 1)\")
iov_guest_ns g1 \"\$vf0\" 10.99.0.1/24
iov_guest_ns g2 \"\$vf1\" 10.99.0.2/24
ip -n g1 link set \"\$vf0\" mtu 9000
ip -n g2 link set \"\$vf1\" mtu 9000
iov_wait_carrier g1 \"\$vf0\" 60
iov_wait_carrier g2 \"\$vf1\" 60
echo pf_mtu=\$(cat /sys/class/net/\$pf/mtu)
ip netns exec g1 ping -c 3 -W 3 -s 8000 10.99.0.2 >/dev/null && echo jumbo=ok || echo jumbo=lost
iov_reset
" 240) || fail "guest steps failed ($vfdrv)"
	echo "$vfdrv: $out"
	[ "$(kv pf_mtu "$out")" = 1500 ] || fail "$vfdrv: the PF MTU changed: $(kv pf_mtu "$out")"
	[ "$(kv jumbo "$out")" = ok ] || fail "$vfdrv: 8000-byte pings between VFs lost with the PF at MTU 1500"
done
