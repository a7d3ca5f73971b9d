#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# iovpf mailbox validation: a user-space VF (a static tool built on the host that drives a
# VF's mailbox through sysfs resource0, no VF driver bound) sends well-formed and malformed
# requests. Every request gets a reply; malformed ones are NACKed and counted by reason
# (INVALID, BADLEN, NOCTS, RATE); an administrator-pinned MAC is refused; the VF_RESET reply
# is igb's 3-word ACK + MAC.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

require_module iovpf
command -v gcc >/dev/null || skip "no host gcc to build the mailbox tool"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/mbxtool.c" <<'CSRC'
/*
 * mbxtool BDF CMD...: speak the 82576 VF side of the mailbox from user space through the
 * VF's BAR0 (sysfs resource0), to feed the PF well-formed and malformed requests.
 * CMD: "rst" (VF CTRL.RST), or a message as comma-separated hex words ("0x1", "0x20003,0").
 * Prints one line per message: "reply=0xXXXXXXXX rtt_us=N" or "reply=none" (none in 15 s).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile uint32_t *bar;
#define R(o)		(bar[(o) / 4])
#define MBX		0x0C40
#define VMBMEM		0x0800

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int lock_vfu(void)
{
	for (int i = 0; i < 10000; i++) {
		R(MBX) = 0x4;
		if (R(MBX) & 0x4)
			return 0;
		usleep(50);
	}
	return -1;
}

int main(int argc, char **argv)
{
	char path[256];
	int fd;

	if (argc < 3)
		return 2;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", argv[1]);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	bar = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (bar == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (int a = 2; a < argc; a++) {
		uint32_t msg[16] = { 0 }, seen = 0;
		int n = 0;
		double t0;
		char *s = argv[a], *tok;

		if (!strcmp(s, "rst")) {
			R(0) = 0x04000000;
			usleep(20000);
			(void)R(MBX);	/* clear RSTD */
			printf("rst\n");
			continue;
		}
		for (tok = strtok(s, ","); tok && n < 16; tok = strtok(NULL, ","))
			msg[n++] = strtoul(tok, NULL, 0);
		(void)R(MBX);	/* drop stale PFSTS/PFACK */
		if (lock_vfu()) {
			printf("reply=lockfail\n");
			continue;
		}
		for (int i = 0; i < 16; i++)
			R(VMBMEM + 4 * i) = msg[i];
		t0 = now_us();
		R(MBX) = 0x1;	/* REQ, releases VFU */
		uint32_t r0 = 0, r1 = 0, r2 = 0;
		double rtt = 0;

		for (;;) {
			seen = 0;
			/* every request must get a reply: the wait only ends a hung PF, and
			 * a loaded TCG host has delayed the PF's service by over a second */
			while (!(seen & 0x10) && now_us() - t0 < 15e6)
				seen |= R(MBX);
			if (!(seen & 0x10))
				break;
			rtt = now_us() - t0;
			lock_vfu();
			r0 = R(VMBMEM), r1 = R(VMBMEM + 4), r2 = R(VMBMEM + 8);
			R(MBX) = 0x2;	/* ACK, releases VFU */
			/* an unsolicited PF_CONTROL (link change, renegotiate) may come first
			 * under load: acknowledged, and the reply still awaited */
			if ((r0 & 0xffff) != 0x0100)
				break;
			fprintf(stderr, "pf_control=0x%08x before the reply\n", r0);
			seen = 0;
		}
		if (!(seen & 0x10)) {
			printf("reply=none\n");
			continue;
		}
		printf("reply=0x%08x w1=0x%08x w2=0x%08x rtt_us=%.0f\n", r0, r1, r2, rtt);
		fflush(stdout);
	}
	return 0;
}
CSRC
gcc -static -O2 -o "$tmp/mbxtool" "$tmp/mbxtool.c" || skip "cannot build the mailbox tool"
"$IOVBENCH" lab put "$tmp/mbxtool" /tmp/mbxtool >/dev/null || fail "lab put failed"

# shellcheck disable=SC2016 # single quotes on purpose: the script is expanded by the guest's shell (guest in lib.sh)
out=$(guest '
chmod +x /tmp/mbxtool
iov_reset
pf=$(iov_pf_up iovpf)
iov_enable_vfs 1
b=$(iov_vf_bdf 0)
[ -e /sys/bus/pci/devices/$b/driver ] && echo "$b" >/sys/bus/pci/devices/$b/driver/unbind
echo 1 >/sys/bus/pci/devices/$b/enable
S=/sys/kernel/debug/iovbench/$IOV_PF_BDF/stats
echo reset >$S
r() { /tmp/mbxtool $b "$@" | sed -n "s/^reply=\([^ ]*\).*/\1/p"; }
echo "nocts=$(r rst 0x3)"
echo "reset=$(r 0x1)"
/tmp/mbxtool $b 0x1 | sed -n "s/.* w1=\(0x[0-9a-f]*\) .*/reset_w1=\1/p"
echo "unknown=$(r 0x7)"
echo "flags=$(r 0x80000003)"
echo "mc31=$(r 0x1f0003)"
echo "lpe_big=$(r 0x5,100000)"
echo "lpe_ok=$(r 0x5,1522)"
echo "mc_ok=$(r 0x20003,0x01230456)"
echo "mac_pf=$(r 0x2,0x10005452,0)"
echo "uc_add=$(r 0x20002,0x33221102,0x8855)"
echo "uc_add_pf=$(r 0x20002,0x10005452,0)"
echo "uc_clr=$(r 0x10002)"
ip link set "$pf" vf 0 mac 02:11:22:33:44:55
echo "uc_add_pinned=$(r 0x20002,0x33221102,0x8855)"
echo "mac_pinned=$(r 0x2,0x33221102,0x6655)"
echo "mac_same=$(r 0x2,0x33221102,0x5544)"
echo 3 >/sys/kernel/debug/iovbench/$IOV_PF_BDF/mbx_rate
sleep 1.1
n=0
for i in 1 2 3 4 5 6; do [ "$(r 0x3)" = 0x60000003 ] && n=$((n + 1)); done
echo 1000 >/sys/kernel/debug/iovbench/$IOV_PF_BDF/mbx_rate
echo "rate_nacks=$n"
grep "^mbx " $S | sed "s/^/stat: /"
rej() { sed -n "s/^mbx vf=0 dir=rejected op=$1 count=\([0-9]*\)$/\1/p" $S; }
echo "rej_invalid=$(rej INVALID)"
echo "rej_badlen=$(rej BADLEN)"
echo "rej_nocts=$(rej NOCTS)"
echo "rej_rate=$(rej RATE)"
sed -n "s/^mbx vf=0 dir=service op=SET_MAC .* nack=\([0-9]*\) .*/mac_nacks=\1/p" $S
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
e() { [ "$(kv "$1" "$out")" = "$2" ] || fail "$1: got '$(kv "$1" "$out")', expected $2 ($3)"; }
e nocts 0x40000003 "request before VF_RESET: NACK without CTS"
e reset 0x80000001 "VF_RESET: ACK"
e reset_w1 0x1000d452 "VF_RESET: MAC 52:d4:00:10:00:00 in words 1-2"
e unknown 0x60000007 "unknown opcode: NACK|CTS"
e flags 0x60000003 "reply flags in a request: NACK|CTS"
e mc31 0x601f0003 "31 multicast hashes: NACK"
e lpe_big 0x60000005 "SET_LPE 100000: NACK"
e lpe_ok 0xa0000005 "SET_LPE 1522: ACK|CTS"
e mc_ok 0xa0020003 "2 multicast hashes: ACK|CTS"
e mac_pf 0x60000002 "the PF's own MAC: NACK"
e uc_add 0xa0020002 "extra unicast filter: ACK"
e uc_add_pf 0x60020002 "extra filter with the PF's MAC: NACK"
e uc_clr 0xa0010002 "clear extra filters: ACK"
e uc_add_pinned 0x60020002 "extra filter on a pinned, untrusted VF: NACK"
e mac_pinned 0x60000002 "change of a pinned MAC: NACK"
e mac_same 0xa0000002 "the pinned MAC itself: ACK"
check_gt "NACKs under rate limit 3/s" "$(kv rate_nacks "$out")" 2
check_gt "rejected INVALID" "$(kv rej_invalid "$out")" 1
check_gt "rejected BADLEN" "$(kv rej_badlen "$out")" 1
check_gt "rejected NOCTS" "$(kv rej_nocts "$out")" 0
check_gt "rejected RATE" "$(kv rej_rate "$out")" 2
check_gt "SET_MAC NACKs" "$(kv mac_nacks "$out")" 3
echo "ok: mailbox requests validated, NACKed and counted (INVALID/BADLEN/NOCTS/RATE), pinned MAC kept"
