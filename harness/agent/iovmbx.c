// SPDX-License-Identifier: MIT
/*
 * iovmbx BDF CMD...: speak the 82576 VF side of the mailbox from user space, through the
 * VF's BAR0 (sysfs resource0, no VF driver bound), to feed the PF well-formed, malformed and
 * hostile requests: a hostile VF, as a guest owning the VF through vfio-pci could be. In the
 * lab image beside the agent (static: the initramfs has no libc); the lab tests of the PF's
 * mailbox and the hostile-VF toggle (guest-lib iov_hostile_vf) drive it.
 *
 * CMD is one of
 *   rst             VF CTRL.RST (the PF must then refuse requests until a VF_RESET)
 *   W,W,...         a message as comma-separated words ("0x1", "0x20003,0"); prints
 *                   "reply=0xXXXXXXXX w1=.. w2=.. rtt_us=N", or "reply=none" if none in 15 s
 *   hold:W,W,...    post the message but keep the buffer lock (REQ|VFU); prints
 *                   "hold reply=0x.. | none vfu=0|1": the PF must take the lock back (vfu=0)
 *                   and drop the message
 *   fuzz:N:SEED     N messages drawn from SEED: random words, unknown opcodes, reply flags,
 *                   bad lengths, known opcodes with random payloads, CTRL.RST now and then;
 *                   prints "fuzz sent=N ack=A nack=K unanswered=U unread=D lockfail=L rst=R"
 *                   (sent = A + K + U + D: unanswered, the PF read it and did not reply in time;
 *                   unread, it had not read it when the next was posted over it; lockfail, the
 *                   buffer never came free, nothing posted). N = 0: until SIGTERM or
 *                   SIGINT, which end the message in flight and print the same line.
 *                   fuzz:N:SEED:WAIT_MS waits WAIT_MS for each reply instead of 15 s: a hostile
 *                   VF need not wait for a PF that leaves it unanswered (igb, without CTS)
 *   idle            run the commands after it under SCHED_IDLE: on CPUs shared with the guests
 *                   (namespace guests), the attacker then only takes what they leave idle, as
 *                   an attacker with a CPU of its own would
 *   spin            until SIGTERM or SIGINT, read the VF's STATUS register as fast as the
 *                   fuzz polls its mailbox, and post nothing: the attacker's CPU and BAR reads
 *                   alone; prints "spin reads=N"
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile uint32_t *bar;
static volatile sig_atomic_t stop;
#define R(o)		(bar[(o) / 4])
#define VF_CTRL		0x0000
#define VF_CTRL_RST	0x04000000
#define VF_STATUS	0x0008
#define MBX		0x0C40
#define VMBMEM		0x0800
#define MBX_REQ		0x01
#define MBX_ACK		0x02
#define MBX_VFU		0x04
#define MBX_PFSTS	0x10
#define MBX_PFACK	0x20
#define MSG_ACK		0x80000000u
#define MSG_NACK	0x40000000u
#define MSG_PF_CONTROL	0x0100

/* every request must get a reply: the wait only ends a hung PF, and a loaded TCG host
 * has delayed the PF's service by over a second */
#define REPLY_WAIT_US	15e6

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Take the buffer (VFU); the mailbox bits its reads clear go to *seen (NULL: dropped). */
static int lock_vfu(uint32_t *seen)
{
	for (int i = 0; i < 10000; i++) {
		uint32_t v;

		R(MBX) = MBX_VFU;
		v = R(MBX);
		if (seen)
			*seen |= v;
		if (v & MBX_VFU)
			return 0;
		usleep(50);
	}
	return -1;
}

static void vf_reset(void)
{
	R(VF_CTRL) = VF_CTRL_RST;
	usleep(20000);
	(void)R(MBX);	/* clear RSTD */
}

static void post(const uint32_t *msg, uint32_t how)
{
	for (int i = 0; i < 16; i++)
		R(VMBMEM + 4 * i) = msg[i];
	R(MBX) = how;
}

/*
 * Wait for the PF's reply to the posted message @req0 (its word 0), up to wait_us; 0 and
 * *reply filled if one came, else -1 with the mailbox bits seen meanwhile in *seen. An unsolicited PF_CONTROL (link change, renegotiate) may come
 * first under load: it is acknowledged and the reply still awaited. A reply keeps the
 * request's opcode, so a request that is itself PF_CONTROL (a hostile VF's) takes the first.
 */
static int await_reply(uint32_t req0, double t0, double wait_us, uint32_t reply[3], double *rtt,
		       uint32_t *seen)
{
	for (;;) {
		*seen = 0;
		while (!(*seen & MBX_PFSTS) && now_us() - t0 < wait_us)
			*seen |= R(MBX);
		if (!(*seen & MBX_PFSTS))
			return -1;
		*rtt = now_us() - t0;
		lock_vfu(NULL);
		reply[0] = R(VMBMEM);
		reply[1] = R(VMBMEM + 4);
		reply[2] = R(VMBMEM + 8);
		R(MBX) = MBX_ACK;	/* releases VFU */
		if ((reply[0] & 0xffff) != MSG_PF_CONTROL || (req0 & 0xffff) == MSG_PF_CONTROL)
			return 0;
		fprintf(stderr, "pf_control=0x%08x before the reply\n", reply[0]);
	}
}

static int parse_words(char *s, uint32_t msg[16])
{
	int n = 0;

	memset(msg, 0, 16 * sizeof(*msg));
	for (char *tok = strtok(s, ","); tok && n < 16; tok = strtok(NULL, ","))
		msg[n++] = strtoul(tok, NULL, 0);
	return n;
}

static void cmd_message(char *s)
{
	uint32_t msg[16], reply[3];
	double t0, rtt = 0;
	uint32_t seen;

	parse_words(s, msg);
	(void)R(MBX);	/* drop stale PFSTS/PFACK */
	if (lock_vfu(NULL)) {
		printf("reply=lockfail\n");
		return;
	}
	t0 = now_us();
	post(msg, MBX_REQ);	/* REQ without VFU releases the lock */
	if (await_reply(msg[0], t0, REPLY_WAIT_US, reply, &rtt, &seen)) {
		printf("reply=none\n");
		return;
	}
	printf("reply=0x%08x w1=0x%08x w2=0x%08x rtt_us=%.0f\n", reply[0], reply[1], reply[2], rtt);
}

static void cmd_hold(char *s)
{
	uint32_t msg[16], reply[3], seen;
	double rtt;

	parse_words(s, msg);
	(void)R(MBX);
	if (lock_vfu(NULL)) {
		printf("hold reply=lockfail\n");
		return;
	}
	post(msg, MBX_REQ | MBX_VFU);
	/* the PF may wait for the lock; 2 s is 100 times its hold limit */
	if (await_reply(msg[0], now_us(), 2e6, reply, &rtt, &seen))
		printf("hold reply=none vfu=%u\n", !!(R(MBX) & MBX_VFU));
	else
		printf("hold reply=0x%08x vfu=%u\n", reply[0], !!(R(MBX) & MBX_VFU));
	R(MBX) = 0;	/* release VFU if the PF did not take it back */
}

/* one hostile message: every class the PF must survive, at about equal odds */
static void fuzz_message(uint32_t msg[16], unsigned int *seed)
{
	static const uint32_t ops[] = { 0x1, 0x2, 0x3, 0x4, 0x5, 0x6 };
	uint32_t op = ops[rand_r(seed) % 6];

	for (int i = 0; i < 16; i++)
		msg[i] = (uint32_t)rand_r(seed) << 16 ^ (uint32_t)rand_r(seed);
	switch (rand_r(seed) % 6) {
	case 0:		/* random words */
		break;
	case 1:		/* unknown opcode, or PF_CONTROL from a VF */
		msg[0] = (rand_r(seed) % 2) ? MSG_PF_CONTROL : 0x7 + rand_r(seed) % 0xf8;
		break;
	case 2:		/* known opcode with reply flags */
		msg[0] = op | (MSG_ACK >> (rand_r(seed) % 3));
		break;
	case 3:		/* known opcode, any MSGINFO (counts past the buffer) */
		msg[0] = op | (rand_r(seed) & 0xff) << 16;
		break;
	default:	/* known opcode, plausible MSGINFO, random payload */
		msg[0] = op | (rand_r(seed) % 4) << 16;
		break;
	}
}

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void cmd_fuzz(const char *s)
{
	unsigned long n = 0, sent = 0, ack = 0, nack = 0, unanswered = 0, unread = 0, lockfail = 0, rst = 0;
	unsigned int seed = 1, wait_ms = REPLY_WAIT_US / 1000;
	uint32_t msg[16], reply[3], seen;
	bool locked = false;
	double rtt;

	if (sscanf(s, "fuzz:%lu:%u:%u", &n, &seed, &wait_ms) < 1 || !wait_ms) {
		fprintf(stderr, "fuzz:N[:SEED[:WAIT_MS]] expected, got %s\n", s);
		exit(2);
	}
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	while (!stop && (!n || sent + lockfail < n)) {
		/* not while holding an unread message: the PF could take it in the reset's 20 ms */
		if (rand_r(&seed) % 64 == 0 && !locked) {
			vf_reset();	/* out of CTS until the next VF_RESET message */
			rst++;
		}
		fuzz_message(msg, &seed);
		if (!locked) {
			(void)R(MBX);
			if (lock_vfu(NULL)) {
				lockfail++;
				continue;
			}
		}
		locked = false;
		post(msg, MBX_REQ);	/* REQ without VFU releases the lock */
		sent++;
		if (!await_reply(msg[0], now_us(), wait_ms * 1e3, reply, &rtt, &seen)) {
			if (reply[0] & MSG_ACK)
				ack++;
			else if (reply[0] & MSG_NACK)
				nack++;
			else
				unanswered++;	/* neither: the PF broke the protocol */
			continue;
		}
		/*
		 * No reply in time. Keep the buffer, so the PF cannot take this message once
		 * the next is written over it, and tell from its ACK whether it ever read it: a
		 * PF that read and kept silent (igb, to a VF without CTS) from one that had not
		 * yet read it (iovpf over its rate, deferring to the next second).
		 */
		if (lock_vfu(&seen)) {
			unanswered++;
			continue;
		}
		locked = true;
		if (seen & MBX_PFACK)
			unanswered++;
		else
			unread++;
	}
	if (locked)
		R(MBX) = 0;	/* release VFU */
	printf("fuzz sent=%lu ack=%lu nack=%lu unanswered=%lu unread=%lu lockfail=%lu rst=%lu\n", sent, ack, nack,
	       unanswered, unread, lockfail, rst);
}

static void cmd_spin(void)
{
	unsigned long reads = 0;

	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	while (!stop) {
		(void)R(VF_STATUS);
		reads++;
	}
	printf("spin reads=%lu\n", reads);
}

int main(int argc, char **argv)
{
	char path[256];
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: iovmbx BDF CMD...\n");
		return 2;
	}
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
		if (!strcmp(argv[a], "rst")) {
			vf_reset();
			printf("rst\n");
		} else if (!strncmp(argv[a], "hold:", 5)) {
			cmd_hold(argv[a] + 5);
		} else if (!strncmp(argv[a], "fuzz:", 5)) {
			cmd_fuzz(argv[a]);
		} else if (!strcmp(argv[a], "idle")) {
			struct sched_param p = { 0 };

			if (sched_setscheduler(0, SCHED_IDLE, &p)) {
				perror("SCHED_IDLE");
				return 1;
			}
		} else if (!strcmp(argv[a], "spin")) {
			cmd_spin();
		} else {
			cmd_message(argv[a]);
		}
		fflush(stdout);
	}
	return 0;
}
