// SPDX-License-Identifier: MIT
/*
 * iovqstats - per-queue statistics of a netdev from the netdev generic-netlink family
 * (qstats-get, Linux >= 6.9), the standard per-queue counters that iproute2 cannot show yet.
 * Runs in the guest (static, no libraries), in the namespace of the netdev.
 *
 * Usage: iovqstats IFINDEX [queue]
 *   Prints one line of key=value pairs: the device scope, or with "queue" one line per queue
 *   ("queue-type=rx queue-id=0 rx-packets=... rx-bytes=..."). Exit 1 when the kernel or the
 *   driver has no qstats (the reason on stderr), 2 on bad usage.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* From include/uapi/linux/netdev.h (6.10); kept here so older headers build this. */
#define NETDEV_CMD_QSTATS_GET 12
#define NETDEV_A_QSTATS_IFINDEX 1
#define NETDEV_A_QSTATS_QUEUE_TYPE 2
#define NETDEV_A_QSTATS_QUEUE_ID 3
#define NETDEV_A_QSTATS_SCOPE 4
#define NETDEV_QSTATS_SCOPE_QUEUE 1

static const char *const counter_names[] = {
	[8] = "rx-packets",	     [9] = "rx-bytes",	       [10] = "tx-packets",
	[11] = "tx-bytes",	     [12] = "rx-alloc-fail",   [13] = "rx-hw-drops",
	[14] = "rx-hw-drop-overruns", [15] = "rx-csum-complete", [16] = "rx-csum-unnecessary",
	[17] = "rx-csum-none",	     [18] = "rx-csum-bad",     [19] = "rx-hw-gro-packets",
	[20] = "rx-hw-gro-bytes",    [23] = "rx-hw-drop-ratelimits", [24] = "tx-hw-drops",
	[25] = "tx-hw-drop-errors",  [26] = "tx-csum-none",    [27] = "tx-needs-csum",
	[28] = "tx-hw-gso-packets",  [29] = "tx-hw-gso-bytes", [32] = "tx-hw-drop-ratelimits",
	[33] = "tx-stop",	     [34] = "tx-wake",
};

struct request {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char attrs[64];
};

static void start(struct request *r, unsigned short type, unsigned short flags, unsigned char cmd)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = NLM_F_REQUEST | flags;
	r->gh.cmd = cmd;
	r->gh.version = 1;
}

static void put_attr(struct request *r, unsigned short type, const void *data, unsigned short len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

#define for_each_attr(a, n, rem)                                                                 \
	for (a = (struct nlattr *)((char *)NLMSG_DATA(n) + GENL_HDRLEN),                          \
	    rem = (int)(n)->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);                                \
	     rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;                  \
	     rem -= NLA_ALIGN(a->nla_len), a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))

static void print_record(struct nlmsghdr *n)
{
	const char *sep = "";
	struct nlattr *a;
	int rem;

	for_each_attr(a, n, rem) {
		unsigned int plen = a->nla_len - NLA_HDRLEN;
		unsigned long long v = 0;

		if (plen == 8)
			memcpy(&v, (char *)a + NLA_HDRLEN, 8);
		else if (plen == 4)
			v = *(unsigned int *)((char *)a + NLA_HDRLEN);
		else
			continue;
		if (a->nla_type == NETDEV_A_QSTATS_QUEUE_TYPE)
			printf("%squeue-type=%s", sep, v ? "tx" : "rx");
		else if (a->nla_type == NETDEV_A_QSTATS_QUEUE_ID)
			printf("%squeue-id=%llu", sep, v);
		else if (a->nla_type < sizeof(counter_names) / sizeof(counter_names[0]) &&
			 counter_names[a->nla_type])
			printf("%s%s=%llu", sep, counter_names[a->nla_type], v);
		else
			continue;
		sep = " ";
	}
	printf("\n");
}

/*
 * Read replies until NLMSG_DONE (or, for a plain request, the first batch), handing every
 * message of type `type` to fn. Returns 0, or -1 with the reason printed.
 */
static int read_replies(int sk, unsigned short type, bool dump, void (*fn)(struct nlmsghdr *, void *),
			void *arg)
{
	static char buf[65536];

	for (;;) {
		ssize_t len = recv(sk, buf, sizeof(buf), 0);

		if (len < 0) {
			fprintf(stderr, "iovqstats: recv: %s\n", strerror(errno));
			return -1;
		}
		for (struct nlmsghdr *n = (struct nlmsghdr *)buf; NLMSG_OK(n, (size_t)len);
		     n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_type == NLMSG_DONE)
				return 0;
			if (n->nlmsg_type == NLMSG_ERROR) {
				int e = ((struct nlmsgerr *)NLMSG_DATA(n))->error;

				if (!e)
					continue;
				fprintf(stderr, "iovqstats: %s\n",
					e == -EOPNOTSUPP ? "the driver reports no qstats" : strerror(-e));
				return -1;
			}
			if (n->nlmsg_type == type)
				fn(n, arg);
		}
		if (!dump)
			return 0;
	}
}

static void take_family_id(struct nlmsghdr *n, void *arg)
{
	struct nlattr *a;
	int rem;

	for_each_attr(a, n, rem)
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			*(int *)arg = *(unsigned short *)((char *)a + NLA_HDRLEN);
}

static int family_id(int sk)
{
	struct request r;
	int id = -1;

	start(&r, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, "netdev", 7);
	if (send(sk, &r, r.nh.nlmsg_len, 0) < 0 ||
	    read_replies(sk, GENL_ID_CTRL, false, take_family_id, &id))
		return -1;
	if (id < 0)
		fprintf(stderr, "iovqstats: no netdev netlink family (kernel older than 6.9?)\n");
	return id;
}

static void print_cb(struct nlmsghdr *n, void *arg)
{
	(void)arg;
	print_record(n);
}

int main(int argc, char **argv)
{
	unsigned int ifindex, scope = NETDEV_QSTATS_SCOPE_QUEUE;
	struct request r;
	char *end;
	int sk, fam, rc;

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "queue"))) {
		fprintf(stderr, "usage: iovqstats IFINDEX [queue]\n");
		return 2;
	}
	ifindex = (unsigned int)strtoul(argv[1], &end, 10);
	if (*end || !ifindex) {
		fprintf(stderr, "iovqstats: bad ifindex '%s'\n", argv[1]);
		return 2;
	}
	sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (sk < 0) {
		fprintf(stderr, "iovqstats: socket: %s\n", strerror(errno));
		return 1;
	}
	fam = family_id(sk);
	if (fam < 0)
		return 1;
	start(&r, (unsigned short)fam, NLM_F_DUMP, NETDEV_CMD_QSTATS_GET);
	put_attr(&r, NETDEV_A_QSTATS_IFINDEX, &ifindex, 4);
	if (argc == 3)
		put_attr(&r, NETDEV_A_QSTATS_SCOPE, &scope, 4);
	if (send(sk, &r, r.nh.nlmsg_len, 0) < 0) {
		fprintf(stderr, "iovqstats: send: %s\n", strerror(errno));
		return 1;
	}
	rc = read_replies(sk, (unsigned short)fam, true, print_cb, NULL);
	close(sk);
	return rc ? 1 : 0;
}
