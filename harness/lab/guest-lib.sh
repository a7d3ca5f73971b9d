# SPDX-License-Identifier: MIT
# guest-lib.sh - shell functions for work inside the lab guest (installed as
# /usr/lib/iovbench/guest-lib.sh). Lab tests and experiments source it, so each guest-side
# step (enable VFs, find a netdev, build a namespace "guest", count interrupts) is written once.
# POSIX sh (the guest's /bin/sh is dash). Functions print errors on stderr and return non-zero.

IOV_PF_BDF=${IOV_PF_BDF:-0000:01:00.0}
IOV_PF_MAC=52:54:00:10:00:00

iov_die() {
	echo "guest: $*" >&2
	exit 1
}

# iov_wait_path PATH SECONDS: wait for a file to exist.
iov_wait_path() {
	_n=$(($2 * 10))
	while [ ! -e "$1" ]; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# iov_netdev_of BDF [SECONDS]: the netdev name a PCI function registered.
iov_netdev_of() {
	iov_wait_path "/sys/bus/pci/devices/$1/net" "${2:-20}" || {
		echo "guest: no netdev for $1" >&2
		return 1
	}
	ls "/sys/bus/pci/devices/$1/net" | head -n1
}

# iov_netdev_by_mac MAC: the netdev with that permanent address (baseline NICs).
iov_netdev_by_mac() {
	for _d in /sys/class/net/*; do
		[ "$(cat "$_d/address")" = "$1" ] && { basename "$_d"; return 0; }
	done
	echo "guest: no netdev with MAC $1" >&2
	return 1
}

# iov_vf_bdf INDEX: PCI address of VF INDEX of the PF (from the PF's virtfnN link).
iov_vf_bdf() {
	basename "$(readlink "/sys/bus/pci/devices/$IOV_PF_BDF/virtfn$1")"
}

# iov_pf_up PF_DRIVER: load the PF driver and bring its netdev up (VFs need the PF up first).
iov_pf_up() {
	modprobe "$1" || iov_die "modprobe $1 failed"
	_pf=$(iov_netdev_of "$IOV_PF_BDF") || return 1
	ip link set "$_pf" up || return 1
	echo "$_pf"
}

# iov_enable_vfs N: enable N VFs on the PF (0 disables them).
iov_enable_vfs() {
	_cur=$(cat "/sys/bus/pci/devices/$IOV_PF_BDF/sriov_numvfs")
	[ "$_cur" = "$1" ] && return 0
	[ "$_cur" = 0 ] || echo 0 >"/sys/bus/pci/devices/$IOV_PF_BDF/sriov_numvfs" || return 1
	[ "$1" = 0 ] || echo "$1" >"/sys/bus/pci/devices/$IOV_PF_BDF/sriov_numvfs"
}

# iov_guest_ns NAME DEV ADDR/PREFIX: a "guest": a namespace owning exactly one NIC.
iov_guest_ns() {
	ip netns add "$1" || return 1
	ip link set "$2" netns "$1" || return 1
	ip -n "$1" link set lo up
	ip -n "$1" addr add "$3" dev "$2" || return 1
	ip -n "$1" link set "$2" up
}

# iov_wait_carrier NS DEV SECONDS: wait until the link reports carrier.
iov_wait_carrier() {
	_n=$(($3 * 10))
	until [ "$(ip netns exec "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)" = 1 ]; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# iov_irq_sum PATTERN: interrupts summed over CPUs for /proc/interrupts rows matching PATTERN.
iov_irq_sum() {
	awk -v pat="$1" 'NR == 1 { ncpu = NF; next }
		$0 ~ pat { for (i = 2; i <= ncpu + 1; i++) s += $i }
		END { print s + 0 }' /proc/interrupts
}

# iov_irq_rows PATTERN: "irq count name" per matching MSI-X row.
iov_irq_rows() {
	awk -v pat="$1" 'NR == 1 { ncpu = NF; next }
		$0 ~ pat { s = 0; for (i = 2; i <= ncpu + 1; i++) s += $i; print $1, s, $NF }' /proc/interrupts
}

# iov_reset: remove every namespace, disable VFs and unload NIC drivers, so the next
# experiment or test starts from a freshly booted state.
iov_reset() {
	for _ns in $(ip netns list 2>/dev/null | cut -d' ' -f1); do
		ip netns pids "$_ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$_ns"
	done
	if [ -e "/sys/bus/pci/devices/$IOV_PF_BDF/sriov_numvfs" ] &&
		[ "$(cat "/sys/bus/pci/devices/$IOV_PF_BDF/sriov_numvfs")" != 0 ]; then
		echo 0 >"/sys/bus/pci/devices/$IOV_PF_BDF/sriov_numvfs"
	fi
	for _m in iovvf igbvf iovpf igb iovcore e1000e virtio_net; do
		grep -q "^$_m " /proc/modules && rmmod "$_m"
	done
	return 0
}
