// SPDX-License-Identifier: MIT
/*
 * iovvmexec - run a command in a VM guest (L2) from the driver domain (L1), as a prefix:
 *
 *   iovvmexec [-t S] [-w S] [-n] SOCKET COMMAND [ARG...]
 *
 * SOCKET is the unix socket L2's QEMU exposes for the guest's virtio-serial agent port
 * (/run/iov/vmI.sock, see iov_vm_start in guest-lib.sh). The command runs in L2 under the
 * same iovagent the lab runs; its stdout and stderr are relayed once it ends and iovvmexec
 * exits with its status, so `iovvmexec /run/iov/vm1.sock CMD` stands where
 * `ip netns exec g1 CMD` stands for a namespace guest.
 *
 *   -t S  kill the command in the guest after S seconds (default 300)
 *   -w S  the guest must answer a ping within S seconds first (default 20)
 *   -n    do not forward standard input (it is forwarded, read to EOF, unless it is a tty)
 *
 * Exit status: the command's (128+signal if it died of one), or
 *   255  the socket is gone or refuses connections, or the channel closed (QEMU exited)
 *   254  the guest did not answer in time (hung, still booting, or another client holds the
 *        channel: QEMU serves one connection at a time, later ones wait in the backlog)
 *   253  usage error, or a malformed reply
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lab/agent_client.h"
#include "util.h"

#define EXIT_GONE 255
#define EXIT_NO_ANSWER 254
#define EXIT_USAGE 253

static void usage(void)
{
	fprintf(stderr, "usage: iovvmexec [-t S] [-w S] [-n] SOCKET COMMAND [ARG...]\n");
}

/* Standard input to EOF, for the command's stdin in the guest (bounded like a payload). */
static int slurp_stdin(char **data, size_t *len)
{
	size_t cap = 0;
	ssize_t r;

	*data = NULL;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			char *p;

			cap = cap ? cap * 2 : 65536;
			if (cap > PROTO_MAX_PAYLOAD / 2)
				return -EFBIG;
			p = realloc(*data, cap);
			if (!p)
				return -ENOMEM;
			*data = p;
		}
		r = read(0, *data + *len, cap - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EBADF ? 0 : -errno; /* a closed stdin is an empty one */
		if (r == 0)
			return 0;
		*len += (size_t)r;
	}
}

static int fail_code(int rc)
{
	return rc == -ETIMEDOUT ? EXIT_NO_ANSWER : rc == -EPROTO ? EXIT_USAGE : EXIT_GONE;
}

int main(int argc, char **argv)
{
	int timeout_s = 300, wait_s = 20, read_input = 1, opt, rc;
	struct agent_conn c = { .fd = -1 };
	struct exec_result res;
	char err[1024] = "";
	char *input = NULL;
	size_t input_len = 0;
	const char *sock;

	/* '+': options stop at the socket, so the command's own options are left alone. */
	while ((opt = getopt(argc, argv, "+t:w:n")) != -1) {
		switch (opt) {
		case 't': if (iov_parse_int(optarg, 1, 86400, &timeout_s)) timeout_s = 0; break;
		case 'w': if (iov_parse_int(optarg, 1, 86400, &wait_s)) wait_s = 0; break;
		case 'n': read_input = 0; break;
		default: usage(); return EXIT_USAGE;
		}
	}
	if (argc - optind < 2 || timeout_s <= 0 || wait_s <= 0) {
		usage();
		return EXIT_USAGE;
	}
	sock = argv[optind];
	if (read_input && !isatty(0) && (rc = slurp_stdin(&input, &input_len))) {
		fprintf(stderr, "iovvmexec: reading standard input: %s\n", strerror(-rc));
		return EXIT_USAGE;
	}
	/* A full listen backlog (QEMU busy with another client) is EAGAIN: wait, it is not gone. */
	for (int ms = 0; (rc = agent_connect(&c, sock, err, sizeof(err))) == -EAGAIN && ms < wait_s * 1000;
	     ms += 100)
		usleep(100000);
	if (rc == -EAGAIN) {
		fprintf(stderr, "iovvmexec: %s (another client holds the guest's channel)\n", err);
		free(input);
		return EXIT_NO_ANSWER;
	}
	if (rc) {
		fprintf(stderr, "iovvmexec: %s (is the VM guest running?)\n", err);
		free(input);
		return EXIT_GONE;
	}
	/*
	 * Request ids start past any an earlier client used: the guest may still send the reply
	 * to a request whose client went away, and it must not pass for the answer to ours.
	 */
	c.next_id = (uint32_t)getpid() << 12 ^ (uint32_t)time(NULL) << 20;
	if ((rc = agent_ping(&c, wait_s * 1000, NULL, 0, err, sizeof(err)))) {
		fprintf(stderr, "iovvmexec: the guest behind %s did not answer a ping within %d s: %s\n",
			sock, wait_s, err);
		agent_close(&c);
		free(input);
		return fail_code(rc);
	}
	rc = agent_exec(&c, (const char *const *)argv + optind + 1, input, input_len, timeout_s * 1000,
			&res, err, sizeof(err));
	free(input);
	agent_close(&c);
	if (rc) {
		fprintf(stderr, "iovvmexec: %s: %s\n", sock, err);
		return rc == -EREMOTEIO ? EXIT_USAGE : fail_code(rc);
	}
	exec_result_relay(&res, "iovvmexec", timeout_s);
	rc = res.status & 0xff;
	exec_result_free(&res);
	return rc;
}
