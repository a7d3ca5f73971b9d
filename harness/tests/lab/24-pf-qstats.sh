#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# iovpf per-queue statistics over netdev netlink (qstats-get, the standard per-queue stats):
# a tiny static genetlink client is built on the host and copied into the guest. Checks that
# queue ids are dense, device-scope rx/tx bytes equal the rtnl counters (ip -s link) after
# VF-to-PF traffic, RX checksum offload and TSO are reported, and device totals stay monotonic
# across PF down/up.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

guest 'modinfo iovpf >/dev/null 2>&1' 30 || skip "iovpf is not in the lab image"
command -v gcc >/dev/null || skip "no host gcc to build the qstats client"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/qstats.c" <<'CSRC'
/* qstats IFINDEX [queue]: dump netdev netlink qstats as key=value lines */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

static const char *names[] = {
	[8] = "rx-packets", [9] = "rx-bytes", [10] = "tx-packets", [11] = "tx-bytes",
	[12] = "rx-alloc-fail", [13] = "rx-hw-drops", [15] = "rx-csum-complete",
	[16] = "rx-csum-unnecessary", [17] = "rx-csum-none", [18] = "rx-csum-bad",
	[25] = "tx-hw-drop-errors", [27] = "tx-needs-csum", [28] = "tx-hw-gso-packets",
	[29] = "tx-hw-gso-bytes", [33] = "tx-stop", [34] = "tx-wake",
};

static int sk;
static char buf[65536];

static void put_attr(char *msg, int type, const void *data, int len)
{
	struct nlmsghdr *n = (struct nlmsghdr *)msg;
	struct nlattr *a = (struct nlattr *)(msg + NLMSG_ALIGN(n->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void start(char *msg, int type, int flags, int cmd)
{
	struct nlmsghdr *n = (struct nlmsghdr *)msg;
	struct genlmsghdr *g = NLMSG_DATA(n);

	memset(msg, 0, 256);
	n->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	n->nlmsg_type = type;
	n->nlmsg_flags = NLM_F_REQUEST | flags;
	g->cmd = cmd;
	g->version = 1;
}

int main(int argc, char **argv)
{
	char msg[256];
	unsigned int ifindex, scope = argc > 2;
	int fam = -1, len, done = 0;

	if (argc < 2)
		return 2;
	ifindex = atoi(argv[1]);
	sk = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	start(msg, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY);
	put_attr(msg, CTRL_ATTR_FAMILY_NAME, "netdev", 7);
	send(sk, msg, ((struct nlmsghdr *)msg)->nlmsg_len, 0);
	len = recv(sk, buf, sizeof(buf), 0);
	for (struct nlmsghdr *n = (void *)buf; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
		struct nlattr *a = (void *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);
		int rem = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

		for (; rem >= NLA_HDRLEN; rem -= NLA_ALIGN(a->nla_len),
		     a = (void *)((char *)a + NLA_ALIGN(a->nla_len)))
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				fam = *(unsigned short *)((char *)a + NLA_HDRLEN);
	}
	if (fam < 0) {
		fprintf(stderr, "no netdev genl family\n");
		return 1;
	}
	start(msg, fam, NLM_F_DUMP, 12 /* NETDEV_CMD_QSTATS_GET */);
	put_attr(msg, 1, &ifindex, 4);
	if (scope)
		put_attr(msg, 4, &scope, 4);
	send(sk, msg, ((struct nlmsghdr *)msg)->nlmsg_len, 0);
	while (!done) {
		len = recv(sk, buf, sizeof(buf), 0);
		if (len <= 0)
			return 1;
		for (struct nlmsghdr *n = (void *)buf; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (n->nlmsg_type == NLMSG_ERROR) {
				fprintf(stderr, "netlink error %d\n", ((struct nlmsgerr *)NLMSG_DATA(n))->error);
				return 1;
			}
			struct nlattr *a = (void *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);
			int rem = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			const char *sep = "";

			for (; rem >= NLA_HDRLEN; rem -= NLA_ALIGN(a->nla_len),
			     a = (void *)((char *)a + NLA_ALIGN(a->nla_len))) {
				unsigned long long v = a->nla_len - NLA_HDRLEN == 8 ?
					*(unsigned long long *)((char *)a + NLA_HDRLEN) :
					*(unsigned int *)((char *)a + NLA_HDRLEN);
				int t = a->nla_type;

				if (t == 2)
					printf("%squeue-type=%s", sep, v ? "tx" : "rx");
				else if (t == 3)
					printf("%squeue-id=%llu", sep, v);
				else if (t < (int)(sizeof(names) / sizeof(names[0])) && names[t])
					printf("%s%s=%llu", sep, names[t], v);
				else
					continue;
				sep = " ";
			}
			printf("\n");
		}
	}
	return 0;
}
CSRC
gcc -static -O2 -o "$tmp/qstats" "$tmp/qstats.c" || skip "cannot build the qstats client"
"$IOVBENCH" lab put "$tmp/qstats" /tmp/qstats >/dev/null || fail "lab put failed"

out=$(guest '
chmod +x /tmp/qstats
iov_reset
modprobe igbvf
pf=$(iov_pf_up iovpf)
iov_enable_vfs 1
vf0=$(iov_netdev_of "$(iov_vf_bdf 0)")
iov_guest_ns g1 "$vf0" 10.99.0.1/24
ip addr add 10.99.0.254/24 dev "$pf"
iov_wait_carrier g1 "$vf0" 60
iperf3 -s -D -B 10.99.0.254
ip netns exec g1 iperf3 -s -D -B 10.99.0.1
sleep 0.5
ip netns exec g1 iperf3 -c 10.99.0.254 -t 2 >/dev/null
iperf3 -c 10.99.0.1 -t 2 >/dev/null
killall iperf3 2>/dev/null || true
sleep 0.5
i=$(cat /sys/class/net/$pf/ifindex)
/tmp/qstats $i q | sed "s/^/q: /"
dev=$(/tmp/qstats $i)
echo "dev: $dev"
f() { printf "%s\n" "$2" | tr " " "\n" | sed -n "s/^$1=//p"; }
echo "nl_rx_bytes=$(f rx-bytes "$dev")"
echo "nl_tx_bytes=$(f tx-bytes "$dev")"
echo "nl_csum_ok=$(f rx-csum-unnecessary "$dev")"
echo "nl_gso=$(f tx-hw-gso-packets "$dev")"
echo "rtnl_rx_bytes=$(cat /sys/class/net/$pf/statistics/rx_bytes)"
echo "rtnl_tx_bytes=$(cat /sys/class/net/$pf/statistics/tx_bytes)"
echo "queue_ids=$(/tmp/qstats $i q | sed -n "s/.*queue-id=\([0-9]*\).*/\1/p" | sort -u | tr "\n" ,)"
ip link set "$pf" down; ip link set "$pf" up
echo "nl_rx_bytes_after_bounce=$(f rx-bytes "$(/tmp/qstats $i)")"
iov_reset
' 300) || fail "guest steps failed"
echo "$out"
[ "$(kv nl_rx_bytes "$out")" = "$(kv rtnl_rx_bytes "$out")" ] || fail "qstats rx-bytes differ from rtnl"
[ "$(kv nl_tx_bytes "$out")" = "$(kv rtnl_tx_bytes "$out")" ] || fail "qstats tx-bytes differ from rtnl"
check_gt "qstats rx-bytes" "$(kv nl_rx_bytes "$out")" 1000000
check_gt "rx-csum-unnecessary" "$(kv nl_csum_ok "$out")" 0
check_gt "tx-hw-gso-packets" "$(kv nl_gso "$out")" 0
[ "$(kv queue_ids "$out")" = "0," ] || fail "queue ids $(kv queue_ids "$out"), expected 0 (one pair with VFs)"
awk -v a="$(kv nl_rx_bytes_after_bounce "$out")" -v b="$(kv nl_rx_bytes "$out")" 'BEGIN { exit !(a >= b) }' ||
	fail "device rx-bytes went backwards across down/up"
echo "ok: qstats per queue and per device, equal to rtnl, monotonic across down/up"
