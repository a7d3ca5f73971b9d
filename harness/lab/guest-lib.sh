# SPDX-License-Identifier: MIT
# shellcheck shell=dash
# guest-lib.sh - shell functions for work inside the lab guest (installed as
# /usr/lib/iovbench/guest-lib.sh). Lab tests and experiments source it, so each guest-side
# step (enable VFs, find a netdev, build a namespace "guest", count interrupts) is written once.
# POSIX sh (the guest's /bin/sh is dash). Functions print errors on stderr and return non-zero.

IOV_PF_BDF=${IOV_PF_BDF:-0000:01:00.0}
# The NIC kinds (harness/nics/): iov_nic_drivers, iov_nic_hook, iov_nic_sriov, iov_nic_offered,
# iov_pair_mac and IOV_NIC_MODULES, generated from the harness's table by `iovbench list nics
# --shell` (the lab image installs it beside this file; the host target names the build's).
IOV_NICS_SH=${IOV_NICS_SH:-/usr/lib/iovbench/nics.sh}
# shellcheck source=/dev/null # generated at build time
. "$IOV_NICS_SH"
# shellcheck disable=SC2034 # for the guest scripts that source this file
IOV_PF_MAC=52:54:00:10:00:00

iov_die() {
	echo "guest: $*" >&2
	exit 1
}

# iov_wait_path PATH SECONDS: wait for a file to exist.
iov_wait_path() {
	local _n
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
	# shellcheck disable=SC2012 # sysfs netdev names have no blanks or newlines
	ls "/sys/bus/pci/devices/$1/net" | head -n1
}

# iov_netdev_by_mac MAC: the netdev with that permanent address (baseline NICs).
iov_netdev_by_mac() {
	local _d
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
	local _pf
	modprobe "$1" || iov_die "modprobe $1 failed"
	_pf=$(iov_netdev_of "$IOV_PF_BDF") || return 1
	ip link set "$_pf" up || return 1
	echo "$_pf"
}

# iov_enable_vfs N: enable N VFs on the PF (0 disables them).
iov_enable_vfs() {
	local _cur
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

# iov_wait_carrier GUEST DEV SECONDS: wait until the link reports carrier.
iov_wait_carrier() {
	local _n
	_n=$(($3 * 10))
	until [ "$(iov_in "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)" = 1 ]; do
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
	local _m _ns
	iov_vm_stop_all
	iov_perf_stop
	for _ns in $(ip netns list 2>/dev/null | cut -d' ' -f1); do
		ip netns pids "$_ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$_ns"
	done
	if [ -e "/sys/bus/pci/devices/$IOV_PF_BDF/sriov_numvfs" ] &&
		[ "$(cat "/sys/bus/pci/devices/$IOV_PF_BDF/sriov_numvfs")" != 0 ]; then
		echo 0 >"/sys/bus/pci/devices/$IOV_PF_BDF/sriov_numvfs"
	fi
	# iovcore last: both of our drivers hold it
	for _m in $IOV_NIC_MODULES iovcore; do
		grep -q "^$_m " /proc/modules && rmmod "$_m"
	done
	return 0
}

# The driver domain's perf-event counters (iovperf, harness/agent/iovperf.c) live in
# IOV_PERF_DIR. While they count they hold our drivers' tracepoints (iovbench:*), which keeps
# iovcore loaded: iov_reset stops them before it unloads the drivers.
IOV_PERF_DIR=/run/iovperf

# iov_perf_start [BDF...] [--napi-hist]: start counting, each MSI-X vector of these PCI functions
# on its own (irq:irq_handler_entry/IRQ); --napi-hist adds the per-poll work histogram (a sample
# ring). Prints iovperf's line and the events it cannot count here.
iov_perf_start() {
	local _b _irq _args=
	for _b in "$@"; do
		case $_b in --*) _args="$_args $_b" && continue ;; esac
		for _irq in "/sys/bus/pci/devices/$_b/msi_irqs"/*; do
			[ -e "$_irq" ] && _args="$_args --irq ${_irq##*/}"
		done
	done
	# shellcheck disable=SC2086 # split on purpose: the --irq options
	iovperf start "$IOV_PERF_DIR" $_args
}

# iov_perf_read: the counts of this instant ("EVENT[/INSTANCE] TOTAL cpuN=V..." or
# "EVENT not-supported REASON").
iov_perf_read() {
	iovperf read "$IOV_PERF_DIR"
}

# iov_perf_stop: close the counters, if any are open (the VM guests' too).
iov_perf_stop() {
	[ ! -e "$IOV_PERF_DIR/pid" ] || iovperf stop "$IOV_PERF_DIR" >/dev/null 2>&1 || true
	[ ! -e "$IOV_PERF_KVM_DIR/pid" ] || iovperf stop "$IOV_PERF_KVM_DIR" >/dev/null 2>&1 || true
}

# KVM's events on the VM guests' vCPU threads, counted by perf events (iovperf --vm) beside
# the hist triggers of iov_kvm_count_start: the two counts of one repetition cross-check.
IOV_PERF_KVM_DIR=/run/iovperf-kvm

# iov_perf_kvm_start: count for every running VM guest (once all are up: the vCPU threads
# exist then). Without iovperf, says so; the hist triggers still count.
iov_perf_kvm_start() {
	local _p _n _args=
	command -v iovperf >/dev/null || { echo "guest: no iovperf: KVM counted by hist triggers only" >&2; return 0; }
	for _p in "$IOV_VM_RUN"/vm*.pid; do
		[ -e "$_p" ] || continue
		_n=${_p##*/}
		_args="$_args --vm ${_n%.pid}=$(cat "$_p")"
	done
	[ -n "$_args" ] || return 0
	# shellcheck disable=SC2086 # split on purpose: the --vm options
	iovperf start "$IOV_PERF_KVM_DIR" $_args >/dev/null
}

# iov_instrumentation 0|1: switch our drivers' instrumentation static key (both drivers share
# it through iovcore; default on after load). The harness sets it before every repetition, so
# vf and vf-noinstr run interleaved on one topology.
iov_instrumentation() {
	echo "$1" >/sys/kernel/debug/iovbench/enable ||
		iov_die "cannot switch our drivers' instrumentation to $1"
}

# iov_irq_pin BDF GUEST: put every interrupt of PCI function BDF on the CPU of guest GUEST
# (guest i: CPU (i-1) mod ncpus; 0, the driver domain: the last CPU). The kernel places a new
# vector on the least loaded CPU, so where a VF's vectors land depends on how many vectors the
# PF driver took: under igb (3) and iovpf (2) a VF's RX vector landed on different CPUs, which
# alone moved VF-to-PF throughput by 15 % on 2 CPUs. A fixed rule makes every kind comparable.
iov_irq_pin() {
	local _n _cpu _irq
	_n=$(grep -c '^processor' /proc/cpuinfo)
	if [ "$2" = 0 ]; then _cpu=$((_n - 1)); else _cpu=$((($2 - 1) % _n)); fi
	for _irq in "/sys/bus/pci/devices/$1/msi_irqs"/*; do
		[ -e "$_irq" ] || continue
		_irq=${_irq##*/}
		echo "$_cpu" >"/proc/irq/$_irq/smp_affinity_list" ||
			{ echo "guest: cannot pin irq $_irq of $1 to CPU $_cpu" >&2; return 1; }
	done
}

# iov_topology KIND GUESTS PATTERN: build the experiment's topology and print one line per
# client guest: "guest NS DEV ADDR BDF PEER_NS PEER_DEV PEER_ADDR PEER_BDF". PEER_NS "-" is the
# driver domain (the root namespace), BDF "none" a NIC without a PCI function (no interrupt
# rows). The kind's hook (iov_nic_hook: iov_sriov_topology, iov_pair_topology,
# iov_veth_topology) builds it. Every kind and pattern gets the same shape, so numbers compare:
#   guest-to-guest: guests 2k+1 and 2k+2 form pair k; an odd last guest talks to the domain.
#   guest-to-domain: guest i's peer is in the root namespace.
# Every NIC's interrupts go to its namespace's CPU (iov_irq_pin): guest i's on CPU (i-1) mod
# ncpus, the driver domain's on the last CPU, whatever the drivers' vector counts.
iov_topology() {
	local _hook
	iov_nic_offered "$1" netns
	_hook=$(iov_nic_hook "$1") || return 1
	"$_hook" "$@"
}

# iov_sriov_topology KIND GUESTS PATTERN: VF i in namespace g<i+1>, all in 10.99.0.0/24,
# switched inside the adapter; guest-to-domain peers are the PF netdev (10.99.0.254).
iov_sriov_topology() {
	local _kind=$1 _n=$2 _pat=$3 _pf _i _dev _bdf _d _p _pb
	# shellcheck disable=SC2046 # split on purpose: the PF and VF driver names
	set -- $(iov_nic_drivers "$_kind")
	modprobe "$2" || iov_die "modprobe $2 failed"
	_pf=$(iov_pf_up "$1") || return 1
	# vf-noinstr is this topology with the instrumentation off: see iov_instrumentation.
	[ "$(iov_nic_instrumentation "$_kind")" != 0 ] || iov_instrumentation 0 || return 1
	iov_enable_vfs $((_n + ${IOV_SPARE_VFS:-0})) || iov_die "enabling $_n VFs failed"
	_i=1
	while [ $_i -le "$_n" ]; do
		_bdf=$(iov_vf_bdf $((_i - 1)))
		_dev=$(iov_netdev_of "$_bdf") || return 1
		iov_guest_ns g$_i "$_dev" 10.99.0.$_i/24 || return 1
		eval "_dev$_i=$_dev _bdf$_i=$_bdf"
		_i=$((_i + 1))
	done
	ip addr add 10.99.0.254/24 dev "$_pf"
	iov_irq_pin "$IOV_PF_BDF" 0 || return 1
	_i=1
	while [ $_i -le "$_n" ]; do
		eval "_d=\$_dev$_i _bdf=\$_bdf$_i"
		iov_wait_carrier g$_i "$_d" 30 || iov_die "no carrier on $_d (g$_i)"
		if [ "$_pat" = guest-to-guest ] && [ $((_i % 2)) = 1 ] && [ $_i -lt "$_n" ]; then
			eval "_p=\$_dev$((_i + 1)) _pb=\$_bdf$((_i + 1))"
			iov_irq_pin "$_bdf" $_i && iov_irq_pin "$_pb" $((_i + 1)) || return 1
			echo "guest g$_i $_d 10.99.0.$_i $_bdf g$((_i + 1)) $_p 10.99.0.$((_i + 1)) $_pb"
		elif [ "$_pat" != guest-to-guest ] || [ $((_i % 2)) = 1 ]; then
			iov_irq_pin "$_bdf" $_i || return 1
			echo "guest g$_i $_d 10.99.0.$_i $_bdf - $_pf 10.99.0.254 $IOV_PF_BDF"
		fi
		_i=$((_i + 1))
	done
}

# iov_pairs_topology GUESTS PATTERN PAIR_FN [ARG]: the pairs' shape of the baselines and veth:
# guest-to-guest pair k = guests 2k+1 and 2k+2, subnet 10.99.<k+1>.0/24; guest-to-domain:
# pair i-1 for guest i, side a in the guest, side b in the root namespace at 10.99.<i>.254.
# PAIR_FN K [ARG] makes or finds pair K's two NICs and prints "A A_BDF B B_BDF" (BDF "none": no
# PCI function, nothing to pin).
iov_pairs_topology() {
	local _n=$1 _pat=$2 _fn=$3 _arg=${4:-} _i _k _p _a _b _abdf _bbdf
	_i=1
	while [ $_i -le "$_n" ]; do
		if [ "$_pat" = guest-to-guest ] && [ $_i -lt "$_n" ]; then
			_k=$(((_i - 1) / 2))
		else
			_k=$((_i - 1))
		fi
		_p=$("$_fn" $_k "$_arg") || return 1
		# shellcheck disable=SC2086 # split on purpose: the pair's four words
		set -- $_p
		_a=$1 _abdf=$2 _b=$3 _bbdf=$4
		iov_guest_ns g$_i "$_a" 10.99.$((_k + 1)).1/24 || return 1
		if [ "$_pat" = guest-to-guest ] && [ $_i -lt "$_n" ]; then
			iov_guest_ns g$((_i + 1)) "$_b" 10.99.$((_k + 1)).2/24 || return 1
			{ iov_wait_carrier g$_i "$_a" 30 && iov_wait_carrier g$((_i + 1)) "$_b" 30; } ||
				iov_die "no carrier on pair $_k"
			iov_irq_pin "$_abdf" $_i && iov_irq_pin "$_bbdf" $((_i + 1)) || return 1
			echo "guest g$_i $_a 10.99.$((_k + 1)).1 $_abdf g$((_i + 1)) $_b 10.99.$((_k + 1)).2 $_bbdf"
			_i=$((_i + 2))
		else
			ip addr add 10.99.$((_k + 1)).254/24 dev "$_b"
			ip link set "$_b" up
			iov_wait_carrier g$_i "$_a" 30 || iov_die "no carrier on $_a (g$_i)"
			iov_irq_pin "$_abdf" $_i && iov_irq_pin "$_bbdf" 0 || return 1
			echo "guest g$_i $_a 10.99.$((_k + 1)).1 $_abdf - $_b 10.99.$((_k + 1)).254 $_bbdf"
			_i=$((_i + 1))
		fi
	done
}

# iov_lab_pair K KIND: the lab's NIC pair K of KIND (QEMU cables its two NICs back to back),
# found by MAC, for iov_pairs_topology.
iov_lab_pair() {
	local _a _b
	_a=$(iov_netdev_by_mac "$(iov_pair_mac "$2" "$1" a)") || return 1
	_b=$(iov_netdev_by_mac "$(iov_pair_mac "$2" "$1" b)") || return 1
	echo "$_a $(iov_dev_bdf "$_a") $_b $(iov_dev_bdf "$_b")"
}

# iov_pair_topology KIND GUESTS PATTERN: the lab's NIC pairs of KIND (e1000e, virtio).
iov_pair_topology() {
	modprobe "$(iov_nic_drivers "$1")" || iov_die "modprobe $(iov_nic_drivers "$1") failed"
	iov_pairs_topology "$2" "$3" iov_lab_pair "$1"
}

# iov_veth_pair K: a new veth pair iovvethKa/iovvethKb in the driver domain's kernel.
iov_veth_pair() {
	ip link add "iovveth$1a" type veth peer name "iovveth$1b" || iov_die "cannot create veth pair $1"
	echo "iovveth$1a none iovveth$1b none"
}

# iov_veth_topology veth GUESTS PATTERN: the lab's ceiling, no device model: the pairs and
# subnets of the baselines, each pair a veth pair inside the driver domain's kernel. No PCI
# function, no interrupt: BDF "none". A packet crosses from one namespace's stack to the
# other's on the sending CPU.
iov_veth_topology() {
	modprobe veth || iov_die "modprobe veth failed"
	iov_pairs_topology "$2" "$3" iov_veth_pair
}

# iov_snapshot NS...: every counter source of one instant, in sections "=== NAME [ARG]":
# uptime (the window's clock), interrupts, stat, netdev and snmp per namespace ("-" = root), and the
# debugfs statistics of every function our drivers bound (drv BDF).
iov_snapshot() {
	local _ns _f _own
	echo "=== uptime"
	cat /proc/uptime
	echo "=== interrupts"
	cat /proc/interrupts
	echo "=== stat"
	cat /proc/stat
	for _ns in - "$@"; do
		# one entry into the guest reads all of its counter files; a VM guest runs its own
		# kernel, so its interrupts and our drivers' statistics are read there too
		_own=
		iov_is_vm "$_ns" && _own="echo '=== interrupts $_ns'; cat /proc/interrupts;
			for f in /sys/kernel/debug/iovbench/*/stats; do [ -e \$f ] || continue;
			echo \"=== drv $_ns/\$(basename \$(dirname \$f))\"; cat \$f; done"
		iov_in "$_ns" sh -c "echo '=== netdev $_ns'; cat /proc/net/dev; echo '=== snmp $_ns'; cat /proc/net/snmp; $_own"
	done
	for _ns in "$@"; do
		iov_is_vm "$_ns" || continue
		echo "=== kvm $_ns"
		iov_kvm_counts "$_ns"
	done
	# right after the hist triggers' reading: the two counts of the same events a moment apart
	if [ -S "$IOV_PERF_KVM_DIR/sock" ] && _f=$(iovperf read "$IOV_PERF_KVM_DIR" 2>/dev/null); then
		echo "=== perf_kvm"
		echo "$_f"
	fi
	for _f in /sys/kernel/debug/iovbench/*/stats; do
		[ -e "$_f" ] || continue
		echo "=== drv $(basename "$(dirname "$_f")")"
		cat "$_f"
	done
	# perf-event counts, while iovperf counts (the harness starts it with each topology)
	if [ -S "$IOV_PERF_DIR/sock" ] && _f=$(iov_perf_read 2>/dev/null); then
		echo "=== perf"
		echo "$_f"
	fi
}

# iov_kernel_log: the kernel log's warning lines printed since the previous call (the collector
# kernel_log, harness/collect/kernel_log.c): "line UPTIME TEXT" each, "log UPTIME TEXT" for every
# line of that window when one warned, then "warnings N". The window starts after the newest
# line the previous call saw (its timestamp kept in /run); the first call counts from boot.
iov_kernel_log() {
	local _f=/run/iovbench-kernel-log.last _last=-1
	[ -r "$_f" ] && _last=$(cat "$_f")
	dmesg -r 2>/dev/null | awk -v last="$_last" -v f="$_f" '
		{
			l = $0
			if (!sub(/^<[0-9]+>\[ */, "", l)) next
			ts = l + 0
			sub(/^[0-9.]+\] ?/, "", l)
			if (ts > max) max = ts
			if (ts <= last) next
			win[++nw] = ts " " l
			if (l ~ /WARNING:|BUG:|Oops|general protection|UBSAN|refcount_t:|list_(add|del) corruption|soft lockup|hung_task|blocked for more than|rcu_.*(stall|self-detected)|Kernel panic|Out of memory|oom-kill|segfault at/) {
				print "line " ts " " l
				n++
			}
		}
		END {
			if (n) for (i = 1; i <= nw; i++) print "log " win[i]
			printf "%.6f\n", (max > last ? max : last) > f
			print "warnings " n + 0
		}'
}

IOV_TRACING=/sys/kernel/tracing

# The NAPI trace switched on and off in one kernel: the driver domain's, or a VM guest's own
# (run there through iov_in, so plain sh, tracefs mounted if its init did not).
IOV_NAPI_TRACE_ON="t=$IOV_TRACING; [ -d \$t/events ] || mount -t tracefs nodev \$t; echo 0 >\$t/tracing_on;
	echo 16384 >\$t/buffer_size_kb; echo >\$t/trace; echo 1 >\$t/events/napi/napi_poll/enable;
	echo 1 >\$t/tracing_on"
IOV_NAPI_TRACE_OFF="t=$IOV_TRACING; echo 0 >\$t/tracing_on; echo 0 >\$t/events/napi/napi_poll/enable"
IOV_TRACE_OVERRUN="cat $IOV_TRACING/per_cpu/cpu*/stats | awk '/^overrun:/ { s += \$2 } END { print s + 0 }'"

# iov_trace_start [GUEST...]: record napi:napi_poll (work and budget of every poll, for any
# driver) in the driver domain and inside every VM guest named.
iov_trace_start() {
	local _g
	sh -c "$IOV_NAPI_TRACE_ON" || return 1
	for _g in "$@"; do
		iov_is_vm "$_g" || continue
		iov_in "$_g" sh -c "$IOV_NAPI_TRACE_ON" || return 1
	done
}

# iov_trace_stop FILE [GUEST...]: stop recording, save the traces (a VM guest's devices named
# "GUEST/DEV", as its counters are), print "trace_overrun=N" (events lost because a buffer
# filled: the trace is then incomplete and must not be used).
iov_trace_stop() {
	local _f=$1 _g _ov
	shift
	sh -c "$IOV_NAPI_TRACE_OFF"
	cat $IOV_TRACING/trace >"$_f"
	_ov=$(sh -c "$IOV_TRACE_OVERRUN")
	for _g in "$@"; do
		iov_is_vm "$_g" || continue
		iov_in "$_g" sh -c "$IOV_NAPI_TRACE_OFF"
		iov_in "$_g" cat $IOV_TRACING/trace | sed "s| for device | for device $_g/|" >>"$_f"
		_ov=$((_ov + $(iov_in "$_g" sh -c "$IOV_TRACE_OVERRUN")))
	done
	echo "trace_overrun=$_ov"
}

# iov_dev_bdf DEV: the PCI function behind a netdev (virtio: the virtio-pci device), whose
# address names its MSI-X rows in /proc/interrupts. Call it before the netdev leaves the root
# namespace (sysfs shows a namespace's own netdevs only).
iov_dev_bdf() {
	local _p
	_p=$(readlink -f "/sys/class/net/$1/device")
	case $(basename "$_p") in
	virtio*) _p=$(dirname "$_p") ;;
	esac
	basename "$_p"
}

# iov_wait_listen NS PORT SECONDS: wait until a TCP or UDP server listens on PORT in NS ("-":
# the root namespace), so clients never race a server that is still starting.
iov_wait_listen() {
	local _n=$(($3 * 10))
	until iov_in "$1" ss -Hltun "sport = :$2" 2>/dev/null | grep -q .; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || { echo "guest: nothing listens on port $2 in $1" >&2; return 1; }
		sleep 0.1
	done
}

# iov_netdev_rx_field DEV: DEV's received bytes from /proc/net/dev text on stdin.
iov_netdev_rx_field() {
	awk -v d="$1" '{ sub(/^ +/, ""); split($0, a, ":") } a[1] == d { split(a[2], f, " "); print f[1] }'
}

# iov_toggle FN PERIOD_S WINDOW_S OUT NS/DEV...: switch something on and off every PERIOD_S
# seconds for WINDOW_S seconds with `FN 1|0 OUT` (first on; no segment starts that would end past
# the window), `FN end OUT` after the last, and write a line "STATE UPTIME RX_BYTES" at each switch
# and "end UPTIME RX_BYTES" after the last, RX_BYTES summed over the listed receivers
# (harness/collect/toggle.h reads it). Segments seconds apart share the host's state, so their
# ratio on/off is free of the per-repetition throughput modes of a TCG guest. The counters come
# from /proc/PID/net/dev of a process in each namespace (no fork of ip netns exec per sample).
iov_toggle() {
	local _fn=$1 _p=$2 _w=$3 _out=$4 _st=1 _x _pids='' _devs='' _t0 _now
	shift 4
	# the receivers, for switches that act on one of them (iov_toggle_vf_flr)
	IOV_TOGGLE_RX="$*"
	for _x in "$@"; do
		if [ "${_x%%/*}" = - ]; then
			_pids="$_pids self"
		else
			_pids="$_pids $(ip netns pids "${_x%%/*}" | head -n1)"
		fi
		_devs="$_devs ${_x#*/}"
	done
	_rx() {
		# shellcheck disable=SC2086 # split on purpose: one word per device
		set -- $_devs
		for _x in $_pids; do
			iov_netdev_rx_field "$1" <"/proc/$_x/net/dev"
			shift
		done | awk '{ s += $1 } END { printf "%.0f", s }'
	}
	: >"$_out"
	_t0=$(cut -d' ' -f1 /proc/uptime)
	_now=$_t0
	# a segment lasts a little over PERIOD_S (the sampling itself): count 1.25 periods
	while awk -v n="$_now" -v t="$_t0" -v p="$_p" -v w="$_w" 'BEGIN { exit !(n + 1.25 * p <= t + w) }'; do
		"$_fn" $_st "$_out"
		echo "$_st $(cut -d' ' -f1 /proc/uptime) $(_rx)" >>"$_out"
		sleep "$_p"
		_st=$((1 - _st))
		_now=$(cut -d' ' -f1 /proc/uptime)
	done
	echo "end $(cut -d' ' -f1 /proc/uptime) $(_rx)" >>"$_out"
	"$_fn" end "$_out"
}

# iov_toggle_instrumentation 1|0|end OUT: our drivers' instrumentation (a toggle of
# iov_toggle); on again at the end.
iov_toggle_instrumentation() {
	if [ "$1" = end ]; then iov_instrumentation 1; else iov_instrumentation "$1"; fi
}

# iov_pf_mbx_counted VF: the mailbox messages iovpf read from VF (served and rejected; the PF's
# own PF_CONTROL, its rate deferrals and the requests it dropped on taking back a kept lock left
# out: one count per message it read); nothing when the PF driver keeps no such counters (igb).
iov_pf_mbx_counted() {
	local _s=/sys/kernel/debug/iovbench/$IOV_PF_BDF/stats
	[ -r "$_s" ] || return 0
	awk -v vf="vf=$1" '$1 == "mbx" && $2 == vf && !/op=PF_CONTROL/ && !/op=RATE/ && !/op=LOCK/ &&
		($3 == "dir=service" || $3 == "dir=rejected") { split($5, c, "="); n += c[2] }
		END { print n + 0 }' "$_s"
}

# iov_toggle_hostile_vf 1|0|end OUT: a hostile VF (a toggle of iov_toggle): the topology's spare
# VF (the last one, IOV_SPARE_VFS), taken from its driver, has its mailbox fuzzed from user
# space by iovmbx while on, each reply awaited 100 ms at most (a hostile VF does not wait for a
# PF that leaves it unanswered), under SCHED_IDLE: the guests share this kernel's CPUs, and a
# hostile guest would have CPUs of its own. Each stop appends iovmbx's "fuzz sent=.." line with its seed to
# OUT's sibling NAME-messages.txt; the first start and the end add what the PF counted from that
# VF (iov_pf_mbx_counted), so the harness can check that every message was accounted for.
iov_toggle_hostile_vf() {
	iov_hostile_vf fuzz "$@"
}

# iov_toggle_hostile_vf_spin 1|0|end OUT: the control of iov_toggle_hostile_vf: the same
# process on the same spare VF reading the VF's STATUS register as fast as the fuzz polls its
# mailbox, posting nothing: what the attacker's CPU and BAR reads alone cost the guests.
iov_toggle_hostile_vf_spin() {
	iov_hostile_vf spin "$@"
}

# iov_rx_bytes NS DEV: DEV's received bytes in namespace NS ("-": the root).
iov_rx_bytes() {
	iov_in "$1" cat /proc/net/dev | iov_netdev_rx_field "$2"
}

# iov_fault FAULTS NS/DEV CMD...: a fault of a fault toggle, in the background: run CMD (the
# fault), then watch DEV's received bytes in NS: recovered when they grow again after CMD
# returned, timed from CMD's start, or unrecovered after 30 s. Appends "fault UPTIME recovered
# SECONDS" or "fault UPTIME unrecovered" to FAULTS (collect: toggles/fault.c); the watcher's pid
# joins IOV_FAULT_WATCHERS, which iov_fault_wait waits for.
iov_fault() {
	local _faults=$1 _ns=${2%%/*} _dev=${2#*/}
	shift 2
	[ -e "$_faults" ] || : >"$_faults"
	(
		t0=$(cut -d' ' -f1 /proc/uptime)
		"$@" || { echo "fault $t0 unrecovered" >>"$_faults"; exit 0; }
		b0=$(iov_rx_bytes "$_ns" "$_dev")
		while :; do
			now=$(cut -d' ' -f1 /proc/uptime)
			b=$(iov_rx_bytes "$_ns" "$_dev")
			# a counter the driver's recovery set back is the new start
			case $(awk -v b="${b:-x}" -v b0="${b0:-x}" 'BEGIN {
				if (b == "x" || b0 == "x") print "none"; else if (b + 0 > b0 + 0) print "up";
				else if (b + 0 < b0 + 0) print "down"; else print "same" }') in
			up)
				echo "fault $t0 recovered $(awk -v a="$t0" -v b="$now" 'BEGIN { printf "%.3f", b - a }')" >>"$_faults"
				exit 0
				;;
			down | none) b0=$b ;;
			esac
			if awk -v a="$t0" -v b="$now" 'BEGIN { exit !(b - a > 30) }'; then
				echo "fault $t0 unrecovered" >>"$_faults"
				exit 0
			fi
			sleep 0.05
		done
	) &
	IOV_FAULT_WATCHERS="${IOV_FAULT_WATCHERS:-} $!"
}

iov_fault_wait() {
	# shellcheck disable=SC2086 # split on purpose: one pid per word
	[ -z "${IOV_FAULT_WATCHERS:-}" ] || wait $IOV_FAULT_WATCHERS
}

# iov_toggle_vf_flr 1|0|end OUT: a function level reset of the first receiver's VF (a toggle of
# iov_toggle) at the start of every on segment, namespace guests, each one's recovery timed
# (iov_fault) into OUT's sibling NAME-faults.txt.
iov_toggle_vf_flr() {
	local _v=${IOV_TOGGLE_RX%% *} _bdf
	case $1 in
	1)
		_bdf=$(basename "$(iov_in "${_v%%/*}" readlink "/sys/class/net/${_v#*/}/device")") ||
			iov_die "no PCI function behind $_v"
		iov_fault "${2%.txt}-faults.txt" "$_v" sh -c "echo 1 >/sys/bus/pci/devices/$_bdf/reset"
		;;
	end) iov_fault_wait ;;
	esac
}

# iov_toggle_pf_link 1|0|end OUT: the PF's link taken down for a second and up again (a toggle of
# iov_toggle) at the start of every on segment: every VF loses its link; the first receiver's
# recovery is timed (iov_fault) into OUT's sibling NAME-faults.txt.
iov_toggle_pf_link() {
	local _pf
	case $1 in
	1)
		_pf=$(iov_netdev_of "$IOV_PF_BDF") || iov_die "no PF netdev"
		iov_fault "${2%.txt}-faults.txt" "${IOV_TOGGLE_RX%% *}" \
			sh -c "ip link set $_pf down && sleep 1 && ip link set $_pf up"
		;;
	end) iov_fault_wait ;;
	esac
}

# iov_hostile_vf fuzz|spin 1|0|end OUT: the two toggles above.
iov_hostile_vf() {
	local _how=$1 _msgs=${3%.txt}-messages.txt _pid=${3%.txt}.pid _n _vf _b _seed
	_n=$(cat "/sys/bus/pci/devices/$IOV_PF_BDF/sriov_numvfs")
	_vf=$((_n - 1))
	_b=$(iov_vf_bdf $_vf)
	case $2 in
	1)
		if [ ! -e "$_msgs" ]; then
			[ ! -e "/sys/bus/pci/devices/$_b/driver" ] || echo "$_b" >"/sys/bus/pci/devices/$_b/driver/unbind"
			echo 1 >"/sys/bus/pci/devices/$_b/enable"
			echo "vf=$_vf bdf=$_b" >"$_msgs"
			echo "pf_counted_before=$(iov_pf_mbx_counted $_vf)" >>"$_msgs"
		fi
		if [ "$_how" = fuzz ]; then
			_seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
			echo "seed=$_seed" >>"$_msgs"
			iovmbx "$_b" idle fuzz:0:"$_seed":100 >>"$_msgs" 2>&1 &
		else
			iovmbx "$_b" idle spin >>"$_msgs" 2>&1 &
		fi
		echo $! >"$_pid"
		;;
	0 | end)
		if [ -e "$_pid" ]; then
			kill -TERM "$(cat "$_pid")" 2>/dev/null || true
			wait "$(cat "$_pid")" 2>/dev/null || true
			rm -f "$_pid"
		fi
		[ "$2" = 0 ] || echo "pf_counted_after=$(iov_pf_mbx_counted $_vf)" >>"$_msgs"
		;;
	esac
}

# The VF drivers' mailbox request functions, each timed from request written to reply read:
# in-tree igbvf sends SET_MULTICAST in e1000_update_mc_addr_list_vf (posted write, wait for
# the ACK, read the reply); iovvf sends every request through iovvf_mbx_request.
# shellcheck disable=SC2034 # used by guest scripts: harness/run.c runs iov_fgraph_start "$IOV_MBX_FUNCS"
IOV_MBX_FUNCS="e1000_update_mc_addr_list_vf iovvf_mbx_request"

# function_graph timing (depth 1: one line per call with its wall time, sleeping included) of
# the functions named in $0 that are loaded, switched on in one kernel: the driver domain's or
# a VM guest's own (run there through iov_in, so plain sh). Prints how many are loaded.
IOV_FGRAPH_ON="t=$IOV_TRACING; [ -d \$t/events ] || mount -t tracefs nodev \$t; n=0
	echo 0 >\$t/tracing_on; echo nop >\$t/current_tracer; echo >\$t/set_ftrace_filter
	for f in \$0; do grep -q \"^\$f \" \$t/available_filter_functions || continue
		echo \$f >>\$t/set_ftrace_filter && n=\$((n + 1)); done
	if [ \$n -gt 0 ]; then echo 16384 >\$t/buffer_size_kb; echo 1 >\$t/max_graph_depth
		echo function_graph >\$t/current_tracer; echo >\$t/trace; echo 1 >\$t/tracing_on; fi
	echo \$n"
IOV_FGRAPH_OFF="t=$IOV_TRACING; echo 0 >\$t/tracing_on; cat \$t/trace >\$0; echo nop >\$t/current_tracer
	echo >\$t/set_ftrace_filter; echo 0 >\$t/max_graph_depth"

# iov_fgraph_start FUNCS [GUEST...]: time every call of the functions named in FUNCS (one
# word each) in the driver domain and inside every VM guest named, wherever they are loaded;
# an error when they are loaded nowhere.
iov_fgraph_start() {
	local _funcs=$1 _g _n _m
	shift
	_n=$(sh -c "$IOV_FGRAPH_ON" "$_funcs") || return 1
	for _g in "$@"; do
		iov_is_vm "$_g" || continue
		_m=$(iov_in "$_g" sh -c "$IOV_FGRAPH_ON" "$_funcs") || return 1
		_n=$((_n + _m))
	done
	[ "$_n" -gt 0 ] || { echo "guest: none of '$_funcs' is loaded" >&2; return 1; }
}

# iov_fgraph_stop FILE [GUEST...]: stop, save the traces (the driver domain's, then each VM
# guest's), restore the nop tracer, print trace_overrun=N summed over the kernels.
iov_fgraph_stop() {
	local _f=$1 _g _ov
	shift
	sh -c "$IOV_FGRAPH_OFF" "$_f"
	_ov=$(sh -c "$IOV_TRACE_OVERRUN")
	for _g in "$@"; do
		iov_is_vm "$_g" || continue
		iov_in "$_g" sh -c "$IOV_FGRAPH_OFF" /tmp/iov-fgraph.trace
		iov_in "$_g" cat /tmp/iov-fgraph.trace >>"$_f"
		_ov=$((_ov + $(iov_in "$_g" sh -c "$IOV_TRACE_OVERRUN")))
	done
	echo "trace_overrun=$_ov"
}

# iov_mcast_churn NS DEV N: N multicast-list changes on DEV, alternately joining and leaving
# one group address; each makes the VF driver send SET_MULTICAST to the PF.
iov_mcast_churn() {
	local _i=0
	while [ $_i -lt "$3" ]; do
		if [ $((_i % 2)) = 0 ]; then
			iov_in "$1" ip maddr add 01:00:5e:00:00:fb dev "$2" || return 1
		else
			iov_in "$1" ip maddr del 01:00:5e:00:00:fb dev "$2" || return 1
		fi
		_i=$((_i + 1))
	done
}

# iov_qstats NS/DEV...: per-queue statistics from netdev netlink (qstats) of each netdev, in
# sections "=== qstats NS DEV"; a section stays empty when the driver reports none.
iov_qstats() {
	local _x _ns _dev
	for _x in "$@"; do
		_ns=${_x%%/*}
		_dev=${_x#*/}
		# a VM guest's NIC is named as the guest's (every one may be eth0)
		if iov_is_vm "$_ns"; then echo "=== qstats $_ns $_ns/$_dev"; else echo "=== qstats $_ns $_dev"; fi
		iov_in "$_ns" sh -c "iovqstats \$(cat /sys/class/net/$_dev/ifindex) queue 2>/dev/null" || true
	done
}

# iov_is_vm GUEST: is GUEST a VM guest (started, not stopped: it has a pid file)?
iov_is_vm() {
	[ -e "$IOV_VM_RUN/$1.pid" ]
}

# iov_in GUEST CMD...: run CMD inside a guest, the one way into one: "-" is the driver domain
# itself, a VM guest is reached through its agent socket (iovvmexec), any other name is a
# network namespace.
iov_in() {
	local _g=$1 _rc
	shift
	if [ "$_g" = - ]; then
		"$@"
	elif iov_is_vm "$_g"; then
		iovvmexec "$IOV_VM_RUN/$_g.sock" "$@" || {
			_rc=$?
			# 255: the channel is gone, the guest with it; say how it ended
			[ $_rc != 255 ] || iov_vm_gone "$_g" >&2
			return $_rc
		}
	else
		ip netns exec "$_g" "$@"
	fi
}

# iov_vm_gone GUEST: why a VM guest stopped answering: its QEMU's state, log and console end.
iov_vm_gone() {
	local _base=$IOV_VM_RUN/$1 _pid _n=20
	_pid=$(cat "$_base.pid" 2>/dev/null)
	# the channel closes while a dying QEMU is still being torn down: give it 2 s
	while iov_vm_alive "$_pid" && [ $_n -gt 0 ]; do
		sleep 0.1
		_n=$((_n - 1))
	done
	if iov_vm_alive "$_pid"; then
		echo "guest: VM guest $1 closed its agent channel; its QEMU still runs"
	else
		echo "guest: the QEMU of VM guest $1 exited; its log, the driver domain's kernel on it and its console end:"
		tail -n 3 "$_base.qemu.log" 2>/dev/null
		# a QEMU killed by a signal writes nothing itself: the OOM killer or a fault says why
		dmesg 2>/dev/null | grep -E "Out of memory|oom-kill|Killed process ${_pid:-x}|segfault at|traps: qemu" | tail -n 3
	fi
	tail -n 15 "$_base.console" 2>/dev/null
}

# iov_vm_check: can this driver domain run VM guests? Fails naming the first missing piece:
# what iov_vm_modules loads, and an IOMMU.
iov_vm_check() {
	iov_vm_modules || return 1
	[ -n "$(ls /sys/kernel/iommu_groups 2>/dev/null)" ] ||
		iov_die "no IOMMU groups: the driver domain runs without an IOMMU (boot it with intel_iommu=on or amd_iommu=on)"
}

# iov_kvm_count_start: count KVM's events per thread in in-kernel histograms (hist triggers:
# exact counts, nothing sampled): exits by ISA and exit code, injected interrupts, exits to
# QEMU. Cumulative from the first call; iov_kvm_counts reads a guest's share. Idempotent.
iov_kvm_count_start() {
	local _e=$IOV_TRACING/events/kvm
	[ -d "$_e/kvm_exit" ] || { echo "guest: no kvm trace events (kvm not loaded)" >&2; return 1; }
	grep -q '^hist:' "$_e/kvm_exit/trigger" && return 0
	if ! { echo 'hist:keys=common_pid,isa,exit_reason:size=8192' >"$_e/kvm_exit/trigger" &&
		echo 'hist:keys=common_pid:size=1024' >"$_e/kvm_inj_virq/trigger" &&
		echo 'hist:keys=common_pid:size=1024' >"$_e/kvm_userspace_exit/trigger"; }; then
		echo "guest: cannot attach the kvm hist triggers" >&2
		return 1
	fi
}

# iov_kvm_counts GUEST: what KVM did for VM guest GUEST, summed over its QEMU's threads, as
# collect/kvm.h reads it: "exit ISA CODE N", "inj N", "userspace N", and for an assigned VF
# "host_irq N", the interrupts it raised in the driver domain (its vfio-msix rows).
iov_kvm_counts() {
	local _pid _tids='' _t _e=$IOV_TRACING/events/kvm _kind _bdf
	_pid=$(cat "$IOV_VM_RUN/$1.pid" 2>/dev/null)
	if [ -z "$_pid" ] || [ ! -d "/proc/$_pid/task" ]; then
		echo "guest: no QEMU for VM guest $1" >&2
		return 1
	fi
	for _t in "/proc/$_pid/task"/*; do _tids="$_tids ${_t##*/}"; done
	# one pass over the three histograms, lines like
	#   { common_pid:        202, isa:          2, exit_reason:        123 } hitcount:     19757
	awk -v tids=" $_tids " '
		function field(name,   v) {
			if (!match($0, name ": *[0-9]+")) return ""
			v = substr($0, RSTART, RLENGTH); sub(/.*: */, "", v); return v
		}
		FNR == 1 { f = FILENAME; sub(/\/hist$/, "", f); sub(/.*\/kvm_/, "", f); sums[f] = 0 }
		/^\{/ && index(tids, " " field("common_pid") " ") {
			n = $0; sub(/.*hitcount: */, "", n)
			if (f == "exit") exits[field("isa") " " field("exit_reason")] += n
			else sums[f] += n
		}
		END {
			for (k in exits) print "exit " k " " exits[k]
			print "inj " sums["inj_virq"] + 0
			print "userspace " sums["userspace_exit"] + 0
		}' "$_e/kvm_exit/hist" "$_e/kvm_inj_virq/hist" "$_e/kvm_userspace_exit/hist"
	read -r _kind _bdf _ <"$IOV_VM_RUN/$1.info" 2>/dev/null
	# an assigned function's interrupts arrive in the driver domain first
	case $(iov_nic_vm_nic "$_kind" 2>/dev/null) in *" vfio") ;; *) return 0 ;; esac
	awk -v dev="($_bdf)" 'index($0, "vfio-msix") && index($0, dev) {
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i }
		END { print "host_irq " s + 0 }' /proc/interrupts
}

# iov_vm_topology KIND GUESTS PATTERN: iov_topology's experiment shape with VM guests vm1..vmN
# (same addresses, pairs and lines), guest i's QEMU on CPU (i-1) mod ncpus:
#   SR-IOV kinds: the PF driver in the driver domain, VF i-1 (its MAC set by the
#     administrator, here) assigned to vm<i> through vfio-pci; the VF driver loads in the guest.
#   baselines: vm<i>'s own QEMU gives it the kind's NIC (iov_nic_vm_nic: e1000e emulated,
#     virtio-net with vhost), on a tap in bridge iovbr0; guest-to-domain talks to the bridge's
#     address.
# The BDF column is the guest's own view, scoped "vmI/BDF" (its /proc/interrupts is its own).
iov_vm_topology() {
	local _kind=$1 _n=$2 _pat=$3 _pf='' _i _ncpu _drv _net _dom _dev _bdf _t _p _pb
	_ncpu=$(grep -c '^processor' /proc/cpuinfo)
	# shellcheck disable=SC2046 # the PF and VF driver names, one word each
	set -- $(iov_nic_drivers "$_kind")
	iov_nic_offered "$_kind" vm
	iov_vm_modules || return 1
	if iov_nic_sriov "$_kind"; then
		_pf=$(iov_pf_up "$1") || return 1
		_drv=$2
		iov_enable_vfs $((_n + ${IOV_SPARE_VFS:-0})) || iov_die "enabling $_n VFs failed"
		ip addr add 10.99.0.254/24 dev "$_pf"
		iov_irq_pin "$IOV_PF_BDF" 0 || return 1
		_net=10.99.0
		_dom="- $_pf 10.99.0.254 $IOV_PF_BDF"
	else
		_drv=$1
		iov_vm_bridge || return 1
		_net=${IOV_VM_BRIDGE_ADDR%.*}
		# the bridge has no interrupts of its own: "none" selects no row
		_dom="- $IOV_VM_BRIDGE ${IOV_VM_BRIDGE_ADDR%/*} none"
	fi
	iov_kvm_count_start || return 1
	_i=1
	while [ $_i -le "$_n" ]; do
		# one guest booting at a time: on 2 CPUs concurrent boots take as long in all, and
		# four at once crashed TCG's nested SVM twice (#DF in exc_page_fault, L1 and L2)
		if [ -n "$_pf" ]; then
			ip link set "$_pf" vf $((_i - 1)) mac "$(iov_vm_mac $_i)" || return 1
			iov_vm_start $_i "$_kind" $(((_i - 1) % _ncpu)) "$(iov_vf_bdf $((_i - 1)))" || return 1
		else
			iov_vm_start $_i "$_kind" $(((_i - 1) % _ncpu)) || return 1
		fi
		iov_vm_wait $_i || return 1
		iov_in vm$_i modprobe "$_drv" || iov_die "modprobe $_drv failed in vm$_i"
		_dev='' _t=100
		while [ -z "$_dev" ] && [ $_t -gt 0 ]; do
			_dev=$(iov_in vm$_i ls /sys/class/net | grep -v '^lo$' | head -n1)
			[ -n "$_dev" ] || sleep 0.1
			_t=$((_t - 1))
		done
		[ -n "$_dev" ] || iov_die "no netdev in vm$_i after loading $_drv"
		_bdf=$(iov_in vm$_i readlink -f "/sys/class/net/$_dev/device")
		case ${_bdf##*/} in virtio*) _bdf=${_bdf%/*} ;; esac
		iov_in vm$_i ip link set lo up
		iov_in vm$_i ip addr add "$_net.$_i/24" dev "$_dev" || return 1
		iov_in vm$_i ip link set "$_dev" up || return 1
		eval "_dev$_i=$_dev _bdf$_i=vm$_i/${_bdf##*/}"
		_i=$((_i + 1))
	done
	_i=1
	while [ $_i -le "$_n" ]; do
		eval "_dev=\$_dev$_i _bdf=\$_bdf$_i"
		iov_wait_carrier vm$_i "$_dev" 30 ||
			iov_die "no carrier on $_dev (vm$_i); its kernel log ends: $(iov_in vm$_i dmesg | tail -n 6)"
		if [ "$_pat" = guest-to-guest ] && [ $((_i % 2)) = 1 ] && [ $_i -lt "$_n" ]; then
			eval "_p=\$_dev$((_i + 1)) _pb=\$_bdf$((_i + 1))"
			echo "guest vm$_i $_dev $_net.$_i $_bdf vm$((_i + 1)) $_p $_net.$((_i + 1)) $_pb"
		elif [ "$_pat" != guest-to-guest ] || [ $((_i % 2)) = 1 ]; then
			echo "guest vm$_i $_dev $_net.$_i $_bdf $_dom"
		fi
		_i=$((_i + 1))
	done
	iov_perf_kvm_start || iov_die "iovperf cannot count the VM guests' KVM events"
}

# --- VM guests (issue 13): KVM guests (L2) started in the lab guest (L1) -------------------
# Guest I is a QEMU in L1 whose agent socket is /run/iov/vmI.sock: `iovvmexec
# /run/iov/vmI.sock CMD...` runs CMD in it, as `ip netns exec gI CMD` does in a namespace
# guest. Its console is /run/iov/vmI.console, QEMU's own messages /run/iov/vmI.qemu.log.
# Needs the lab booted with `iovbench lab up --iommu` (the add-on image: QEMU, L2 kernel and
# image; an emulated IOMMU for VFIO). A VF guest's MAC/VLAN is the administrator's: set them
# from L1 (`ip link set PF vf N mac ...`) before iov_vm_start.
IOV_VM_DIR=/usr/lib/iovbench/vm
IOV_VM_RUN=/run/iov
# Guest memory in MB (LAB_VM_GUEST_MB in harness/lab/lab.h). The image (93 MB unpacked, most
# of it fio's libraries; 33 MB as zstd) is unpacked into RAM; rootfstype=ramfs because a
# tmpfs rootfs is capped at half the RAM ("Initramfs unpacking failed: write error" at 256 and
# 320). Measured: 256 boots (19 MB used, 95 MB files), 192 and 160 panic in unpack_to_rootfs
# ("System is deadlocked on memory"). VFIO pins all of a VF guest's memory in L1.
IOV_VM_MEM=${IOV_VM_MEM:-256}
IOV_VM_INITRD=${IOV_VM_INITRD:-$IOV_VM_DIR/vmguest.cpio.zst}
IOV_VM_BRIDGE=iovbr0
IOV_VM_BRIDGE_ADDR=${IOV_VM_BRIDGE_ADDR:-10.99.200.254/24}

# iov_vm_modules: KVM (on the SVM TCG emulates), VFIO and the tap backends, loaded once.
iov_vm_modules() {
	[ -x /usr/bin/qemu-system-x86_64 ] || {
		echo "guest: no qemu-system-x86_64 in the driver domain (VM guests need it; the lab has it with its IOMMU option)" >&2
		return 1
	}
	[ -e /dev/kvm ] || modprobe -q kvm-amd 2>/dev/null || modprobe -q kvm-intel 2>/dev/null
	[ -e /dev/kvm ] || { echo "guest: no /dev/kvm: KVM is missing in the driver domain (no SVM/VMX, or no kvm module)" >&2; return 1; }
	# vfio asks for its IOMMU backend by request_module, which finds no /sbin/modprobe here.
	modprobe -a vfio_iommu_type1 vfio-pci tun vhost_net bridge ||
		{ echo "guest: loading vfio_iommu_type1/vfio-pci/tun/vhost_net/bridge failed" >&2; return 1; }
	mkdir -p "$IOV_VM_RUN"
}

# iov_vm_bind_vfio BDF: hand PCI function BDF to vfio-pci (driver_override, so no other
# driver takes it back), wait for its /dev/vfio group node.
iov_vm_bind_vfio() {
	local _d=/sys/bus/pci/devices/$1 _g
	[ -e "$_d" ] || { echo "guest: no PCI function $1" >&2; return 1; }
	_g=$(basename "$(readlink "$_d/iommu_group" 2>/dev/null)")
	if [ -z "$_g" ] || [ "$_g" = . ]; then
		echo "guest: $1 has no IOMMU group (lab booted without --iommu?)" >&2
		return 1
	fi
	[ "$(basename "$(readlink "$_d/driver" 2>/dev/null)")" = vfio-pci ] || {
		echo vfio-pci >"$_d/driver_override"
		[ ! -e "$_d/driver" ] || echo "$1" >"$_d/driver/unbind"
		echo "$1" >/sys/bus/pci/drivers_probe
	}
	[ "$(basename "$(readlink "$_d/driver" 2>/dev/null)")" = vfio-pci ] ||
		{ echo "guest: $1 did not bind to vfio-pci" >&2; return 1; }
	iov_wait_path "/dev/vfio/$_g" 10 || { echo "guest: no /dev/vfio/$_g for $1" >&2; return 1; }
}

# iov_vm_release_vf BDF: give a VF back to whatever VF driver L1 has loaded (iov_vm_stop
# leaves it on vfio-pci, ready for the next VM guest).
iov_vm_release_vf() {
	local _d=/sys/bus/pci/devices/$1
	echo >"$_d/driver_override"
	[ ! -e "$_d/driver" ] || echo "$1" >"$_d/driver/unbind"
	echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null || true
}

# iov_vm_bridge: the bridge the baseline VM guests' taps join, with the driver domain's
# address (IOV_VM_BRIDGE_ADDR) on it. Idempotent.
iov_vm_bridge() {
	[ -e "/sys/class/net/$IOV_VM_BRIDGE" ] && return 0
	ip link add "$IOV_VM_BRIDGE" type bridge || return 1
	ip addr add "$IOV_VM_BRIDGE_ADDR" dev "$IOV_VM_BRIDGE" || return 1
	ip link set "$IOV_VM_BRIDGE" up
}

# iov_vm_mac I: the MAC of baseline VM guest I's NIC.
iov_vm_mac() {
	printf '52:54:00:b0:00:%02x' "$1"
}

# iov_vm_start I KIND CPU [BDF]: start VM guest I (1..7), its QEMU pinned to L1's CPU CPU,
# daemonised (pid in /run/iov/vmI.pid). KIND is a NIC kind VM guests offer; its NIC is the
# table's (iov_nic_vm_nic, harness/nics/):
#   vfio    the VF at BDF assigned (the guest loads iovvf or igbvf itself: no udev)
#   tap     the model emulated by QEMU on tap iovtapI in bridge iovbr0 (MAC: iov_vm_mac I)
#   vhost   the same with vhost-net serving the tap (virtio-net)
# Returns once QEMU runs; iov_vm_wait waits for the guest's agent.
iov_vm_start() {
	local _i=$1 _kind=$2 _cpu=$3 _bdf=${4:-} _nic _tap=iovtap$1 _base _model _backend
	[ -n "$_cpu" ] || { echo "guest: usage: iov_vm_start I KIND CPU [BDF]" >&2; return 1; }
	_nic=$(iov_nic_vm_nic "$_kind") || return 1
	_model=${_nic% *} _backend=${_nic#* }
	iov_vm_modules || return 1
	_base=$IOV_VM_RUN/vm$_i
	! iov_vm_alive "$(cat "$_base.pid" 2>/dev/null)" ||
		{ echo "guest: VM guest $_i is already running" >&2; return 1; }
	rm -f "$_base.sock" "$_base.console" "$_base.qemu.log" "$_base.pid" "$_base.boot"
	case $_backend in
	vfio)
		[ -n "$_bdf" ] || { echo "guest: iov_vm_start $_i $_kind needs the VF's BDF" >&2; return 1; }
		iov_vm_bind_vfio "$_bdf" || return 1
		_nic="-device $_model,host=$_bdf"
		;;
	tap | vhost)
		iov_vm_bridge || return 1
		[ -e "/sys/class/net/$_tap" ] || ip tuntap add "$_tap" mode tap || return 1
		ip link set "$_tap" master "$IOV_VM_BRIDGE" up || return 1
		_nic="-netdev tap,id=n0,ifname=$_tap,script=no,downscript=no"
		[ "$_backend" = tap ] || _nic="$_nic,vhost=on"
		# romfile=: no iPXE option ROM to run; the guest boots its kernel directly.
		_nic="$_nic -device $_model,netdev=n0,mac=$(iov_vm_mac "$_i"),romfile="
		;;
	*) echo "guest: NIC kind '$_kind': unknown VM NIC backend '$_backend'" >&2; return 1 ;;
	esac
	# the boot's clock starts before QEMU does: its setup (VFIO pins all guest memory) counts
	cut -d' ' -f1 /proc/uptime >"$_base.started"
	# shellcheck disable=SC2086 # _nic is a list of options
	# debug-threads: the vCPU threads are named "CPU N/KVM", which iovperf --vm counts on
	taskset -c "$_cpu" /usr/bin/qemu-system-x86_64 -name "iovvm$_i,debug-threads=on" \
		-accel kvm -cpu host -machine q35 -m "$IOV_VM_MEM" -smp 1 \
		-nodefaults -no-user-config -display none -no-reboot -L "$IOV_VM_DIR/firmware" \
		-kernel "$IOV_VM_DIR/vmlinux" -initrd "$IOV_VM_INITRD" \
		-append "console=ttyS0 panic=-1 loglevel=4 net.ifnames=0 rootfstype=ramfs iovname=vm$_i" \
		-serial "file:$_base.console" \
		-device virtio-serial-pci \
		-chardev "socket,id=agent,path=$_base.sock,server=on,wait=off" \
		-device virtserialport,chardev=agent,name=org.iovbench.agent \
		$_nic \
		-daemonize -pidfile "$_base.pid" >"$_base.qemu.log" 2>&1 || {
		echo "guest: QEMU for VM guest $_i did not start:" >&2
		tail -n 5 "$_base.qemu.log" >&2
		return 1
	}
	echo "$_kind ${_bdf:-$_tap} cpu=$_cpu mem=$IOV_VM_MEM" >"$_base.info"
}

# iov_vm_wait I [SECONDS]: wait (default 90 s) until guest I's agent answers; on failure say
# whether QEMU still runs and show the console's end. On success the boot is recorded in
# /run/iov/vmI.boot (iov_vm_boot_report).
iov_vm_wait() {
	local _base=$IOV_VM_RUN/vm$1 _end _kernel
	_end=$(($(cut -d. -f1 /proc/uptime) + ${2:-90}))
	while [ "$(cut -d. -f1 /proc/uptime)" -lt "$_end" ]; do
		if ! iov_vm_alive "$(cat "$_base.pid" 2>/dev/null)"; then
			echo "guest: QEMU of VM guest $1 is gone; its log:" >&2
			tail -n 5 "$_base.qemu.log" >&2
			tail -n 20 "$_base.console" >&2 2>/dev/null
			return 1
		fi
		if _kernel=$(iovvmexec -n -w 3 -t 10 "$_base.sock" cut -d' ' -f1 /proc/uptime 2>/dev/null); then
			iov_vm_boot_record "$1" "$_kernel"
			return 0
		fi
		# A guest that cannot come up says so on its console: do not wait out the timeout.
		if grep -qE "Kernel panic|iovagent: not found|Initramfs unpacking failed" "$_base.console" 2>/dev/null; then
			echo "guest: VM guest $1 ($(cat "$_base.info" 2>/dev/null)) failed to boot; console:" >&2
			tail -n 20 "$_base.console" >&2
			return 1
		fi
		sleep 1
	done
	echo "guest: VM guest $1's agent did not answer within ${2:-90} s; console:" >&2
	tail -n 20 "$_base.console" >&2
	return 1
}

# iov_vm_boot_record I KERNEL_S: VM guest I's boot, from its QEMU's start (iov_vm_start) to its
# agent's first answer, timed by the driver domain's clock, beside the guest kernel's own uptime
# in that answer (a second clock: it starts later, after QEMU's setup and the firmware).
iov_vm_boot_record() {
	local _base=$IOV_VM_RUN/vm$1
	awk -v t0="$(cat "$_base.started")" -v now="$(cut -d' ' -f1 /proc/uptime)" -v k="$2" \
		'BEGIN { printf "boot_s %.3f\nkernel_s %s\n", now - t0, k }' >"$_base.boot.tmp" &&
		mv "$_base.boot.tmp" "$_base.boot"
}

# iov_vm_boot_report: the boots recorded since the last report, a section "=== vm_boot vmI"
# each (collector vm_boot), then forgotten: a boot is reported by the first snapshot after it,
# so the repetition whose topology booted the guests carries their boot times, and only it.
iov_vm_boot_report() {
	local _f _g
	for _f in "$IOV_VM_RUN"/vm*.boot; do
		[ -e "$_f" ] || continue
		_g=${_f##*/}
		echo "=== vm_boot ${_g%.boot}"
		cat "$_f"
		rm -f "$_f"
	done
}

# iov_vm_alive PID: the process runs (a zombie left for init to reap counts as gone).
iov_vm_alive() {
	[ -n "$1" ] && [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# iov_vm_stop I: stop VM guest I's QEMU (SIGTERM: QEMU exits at once, the guest has nothing
# to save), remove its tap. A VF stays bound to vfio-pci for the next VM guest; give it back
# to L1 with iov_vm_release_vf.
iov_vm_stop() {
	local _base=$IOV_VM_RUN/vm$1 _pid _n=50
	_pid=$(cat "$_base.pid" 2>/dev/null) || true
	if iov_vm_alive "$_pid"; then
		kill "$_pid" 2>/dev/null || true # it may be on its way out already
		while iov_vm_alive "$_pid" && [ $_n -gt 0 ]; do
			sleep 0.1
			_n=$((_n - 1))
		done
		! iov_vm_alive "$_pid" || kill -9 "$_pid" 2>/dev/null || true
		_n=50
		while iov_vm_alive "$_pid" && [ $_n -gt 0 ]; do
			sleep 0.1
			_n=$((_n - 1))
		done
		! iov_vm_alive "$_pid" || { echo "guest: QEMU $_pid of VM guest $1 will not die" >&2; return 1; }
	fi
	rm -f "$_base.pid" "$_base.sock" "$_base.boot"
	[ ! -e "/sys/class/net/iovtap$1" ] || ip link del "iovtap$1"
	return 0
}

# iov_vm_stop_all: every VM guest of this lab (iov_reset calls it: a VF held by a QEMU keeps
# sriov_numvfs from going back to 0).
iov_vm_stop_all() {
	local _p _i
	for _p in "$IOV_VM_RUN"/vm*.pid; do
		[ -e "$_p" ] || continue
		_i=${_p##*/vm}
		iov_vm_stop "${_i%.pid}"
	done
	[ ! -e "/sys/class/net/$IOV_VM_BRIDGE" ] || ip link del "$IOV_VM_BRIDGE"
	return 0
}

# iov_vm_sh I SCRIPT [TIMEOUT_S]: run SCRIPT in VM guest I with guest-lib.sh sourced and
# `set -e` (what `guest` in harness/tests/lab/lib.sh does for the lab guest).
iov_vm_sh() {
	iovvmexec -t "${3:-300}" "$IOV_VM_RUN/vm$1.sock" sh -c ". /usr/lib/iovbench/guest-lib.sh; set -e; $2"
}

# iov_vm_nic_bdf: inside a VM guest, the PCI address of its one Ethernet function (the VF,
# the e1000e or the virtio-net: PCI class 0x0200).
iov_vm_nic_bdf() {
	local _f
	for _f in /sys/bus/pci/devices/*; do
		case $(cat "$_f/class") in 0x0200*) basename "$_f"; return 0 ;; esac
	done
	echo "guest: no Ethernet PCI function in this VM guest" >&2
	return 1
}
