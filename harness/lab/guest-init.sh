#!/bin/busybox sh
# shellcheck shell=dash # busybox ash, which shellcheck checks as dash
# SPDX-License-Identifier: MIT
# /init of the lab guest, and of the VM guests (L2) started in it: mount the pseudo
# filesystems the collectors read, then keep the agent running. Nothing else is started:
# experiments configure the guest through the agent. A VM guest is named by iovname=NAME on
# its kernel command line (the hostname; the lab is iovlab).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing
ip link set lo up
name=$(sed -n 's/.*\biovname=\([^ ]*\).*/\1/p' /proc/cmdline)
hostname "${name:-iovlab}"
echo "iovbench-${name:-lab}: init done, starting agent" >/dev/kmsg
while :; do
	/sbin/iovagent
	echo "iovbench-${name:-lab}: agent exited with $?, restarting" >/dev/kmsg
	sleep 1
done
