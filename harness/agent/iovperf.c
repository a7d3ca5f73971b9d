// SPDX-License-Identifier: MIT
/*
 * iovperf - exact per-CPU event counts through perf events (libperf), for the guest side.
 *
 *   iovperf start DIR [--irq N]... [--napi-hist]
 *                                    open and enable every counter, then keep them in a
 *                                    background process (pid in DIR/pid, socket DIR/sock);
 *                                    --napi-hist adds a sample ring on napi:napi_poll
 *   iovperf start DIR --vm NAME=PID...
 *                                    instead, KVM's tracepoints counted per thread on the
 *                                    vCPU threads ("CPU N/KVM") of each VM guest's QEMU, and
 *                                    the CPU of its threads by class (vcpu, io, vhost)
 *   iovperf read DIR                 print the current counts (format below)
 *   iovperf stop DIR                 close the counters and end the background process
 *
 * A tool of its own rather than a mode of the agent: the counters must outlive the command that
 * opened them (the harness reads them before and after every repetition, like its other snapshot
 * sources), while the agent serves one request at a time; and the agent, which also runs on a
 * host (--target host), stays free of libperf.
 *
 * Output of read, one line per event (section "=== perf" in a snapshot):
 *   # iovperf 1 cpus=N
 *   EVENT[/INSTANCE] TOTAL cpu0=V cpu1=V ...
 *   EVENT[/INSTANCE] not-supported REASON
 *   napi:napi_poll/work SAMPLES lost=N hist=0:V,1:V,2:V,4:V,8:V,16:V,32:V,BUDGET:V
 * The last line (with --napi-hist) is the per-poll work histogram of every poll the rings
 * delivered (buckets as in our drivers' debugfs "work", driver/common/stats-format.md) and the
 * polls they lost: SAMPLES + lost is every poll. The rings are drained every 50 ms and before
 * each read, so a read counts every poll up to it.
 * A hardware event (cycles, ...) without a PMU (TCG) and a tracepoint this kernel does not have
 * (our drivers not loaded) are "not-supported", never a zero. A hardware count the PMU had to
 * multiplex is scaled to the enabled time and marked "scaled=RUNNING/ENABLED" (ns).
 *
 * With --vm, one line per guest and event, its count summed over the guest's vCPU threads:
 *   kvm:kvm_exit/NAME TOTAL          (and kvm_entry, kvm_inj_virq, kvm_userspace_exit,
 *                                    kvm_mmio, kvm_halt_poll_ns)
 * exit, inj_virq and userspace_exit being what guest-lib's hist triggers count over the same
 * threads, so each is checked against the other (collect/perf_kvm.c); the exits of each reason
 * the I/O path explains (collect/kvm_reasons.c, of the ISA of the KVM module loaded), each
 * counted by kvm_exit filtered on its exit_reason:
 *   kvm:kvm_exit:REASON/NAME TOTAL   ("kvm:kvm_exit:io-path/NAME not-supported WHY" instead
 *                                    when there is no KVM vendor module to tell the ISA)
 * per guest and thread
 * class CLASS (vcpu, io, vhost; "not-supported no-threads" for a class the QEMU has none of):
 *   qemu:task-clock/NAME:CLASS NS    qemu:context-switches/NAME:CLASS N
 *   qemu:sched-runtime-ns/NAME:CLASS NS (the scheduler's run time of the same threads)
 *   qemu:threads-uncounted/NAME N    (threads seen after start, which nothing counts)
 * and, every guest together, on every CPU:
 *   kvm:kvm_msi_set_irq TOTAL cpu0=V ...
 *
 * The counters count from start on; readings only differ. While iovperf holds the drivers'
 * tracepoints (iovbench:*), iovcore cannot be unloaded: stop it before a driver reload.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <perf/core.h>
#include <perf/cpumap.h>
#include <perf/evlist.h>
#include <perf/event.h>
#include <perf/evsel.h>
#include <perf/mmap.h>
#include <perf/threadmap.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "agent/perf_threads.h"
#include "collect/kvm_reasons.h"
#include "collect/napi_samples.h"

#define MAX_EVENTS 64
#define MAX_IRQS 32

enum ev_kind { EV_TRACEPOINT, EV_SOFTWARE, EV_HARDWARE };

struct ev {
	char name[64];	   /* EVENT[/INSTANCE] as printed */
	enum ev_kind kind;
	const char *tp;	   /* tracepoint "system/name" */
	char filter[32];   /* tracepoint filter, "" for none */
	uint64_t config;   /* software/hardware event number */
	struct perf_evsel *evsel;
	int err;	   /* errno of the failed open (then not counting) */
	const char *why;   /* the reason printed with not-supported */
};

static struct ev evs[MAX_EVENTS];
static int nev;

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("iovperf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static struct ev *ev_add(const char *name, enum ev_kind kind)
{
	struct ev *e;

	if (nev == MAX_EVENTS)
		die("too many events");
	e = &evs[nev++];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->kind = kind;
	return e;
}

static void tp_add(const char *name, const char *tp, const char *filter)
{
	struct ev *e = ev_add(name, EV_TRACEPOINT);

	e->tp = tp;
	snprintf(e->filter, sizeof(e->filter), "%s", filter ? filter : "");
}

static void num_add(const char *name, enum ev_kind kind, uint64_t config)
{
	ev_add(name, kind)->config = config;
}

/* The events the suite uses; irqs: the vectors to count one by one. */
static void ev_table(const int *irqs, int nirq)
{
	char name[64], filter[32];
	int i;

	tp_add("napi:napi_poll", "napi/napi_poll", NULL);
	tp_add("irq:irq_handler_entry", "irq/irq_handler_entry", NULL);
	for (i = 0; i < nirq; i++) {
		snprintf(name, sizeof(name), "irq:irq_handler_entry/%d", irqs[i]);
		snprintf(filter, sizeof(filter), "irq==%d", irqs[i]);
		tp_add(name, "irq/irq_handler_entry", filter);
	}
	/* softirq vector numbers of include/linux/interrupt.h */
	tp_add("irq:softirq_entry/NET_TX", "irq/softirq_entry", "vec==2");
	tp_add("irq:softirq_entry/NET_RX", "irq/softirq_entry", "vec==3");
	tp_add("net:netif_receive_skb", "net/netif_receive_skb", NULL);
	tp_add("net:net_dev_xmit", "net/net_dev_xmit", NULL);
	/* our drivers' own (driver/common/iov_trace.h), while iovcore is loaded */
	tp_add("iovbench:iov_napi_poll", "iovbench/iov_napi_poll", NULL);
	tp_add("iovbench:iov_mbx_msg", "iovbench/iov_mbx_msg", NULL);
	num_add("context-switches", EV_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES);
	num_add("cpu-clock", EV_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK);
	num_add("page-faults", EV_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS);
	num_add("cycles", EV_HARDWARE, PERF_COUNT_HW_CPU_CYCLES);
	num_add("instructions", EV_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS);
	num_add("cache-misses", EV_HARDWARE, PERF_COUNT_HW_CACHE_MISSES);
	num_add("branch-misses", EV_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES);
}

static int silent(enum libperf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (getenv("IOVPERF_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static struct perf_evlist *evlist;
static struct perf_cpu_map *cpus;

/*
 * Open every event on every online CPU, each on its own: one that fails is reported, the rest
 * count. A failure that is not "this machine cannot" fails the start.
 */
static void ev_open_all(void)
{
	struct perf_thread_map *threads;
	struct perf_event_attr attr;
	int i, err;
	long id;

	libperf_init(silent);
	cpus = perf_cpu_map__new_online_cpus();
	threads = perf_thread_map__new_dummy(); /* pid -1: everything on the CPU */
	evlist = perf_evlist__new();
	if (!cpus || !threads || !evlist)
		die("out of memory");
	for (i = 0; i < nev; i++) {
		struct ev *e = &evs[i];

		memset(&attr, 0, sizeof(attr));
		attr.size = sizeof(attr);
		attr.disabled = 1;
		if (e->kind == EV_TRACEPOINT) {
			id = iov_perf_tp_id(e->tp);
			if (id < 0) {
				e->err = ENOENT;
				e->why = "no-such-event";
				continue;
			}
			attr.type = PERF_TYPE_TRACEPOINT;
			attr.config = (uint64_t)id;
		} else {
			attr.type = e->kind == EV_SOFTWARE ? PERF_TYPE_SOFTWARE : PERF_TYPE_HARDWARE;
			attr.config = e->config;
		}
		/* a multiplexed PMU counter must be scaled: ask for its enabled/running times */
		if (e->kind == EV_HARDWARE)
			attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
		e->evsel = perf_evsel__new(&attr);
		if (!e->evsel)
			die("out of memory");
		perf_evlist__add(evlist, e->evsel);
	}
	/* the evlist gives every evsel its CPU map, which the filter setter walks */
	perf_evlist__set_maps(evlist, cpus, threads);
	for (i = 0; i < nev; i++) {
		struct ev *e = &evs[i];

		if (!e->evsel)
			continue;
		err = perf_evsel__open(e->evsel, perf_evsel__cpus(e->evsel),
				       perf_evsel__threads(e->evsel));
		if (err == 0 && e->filter[0])
			err = perf_evsel__apply_filter(e->evsel, e->filter) ? -errno : 0;
		if (err == 0)
			err = perf_evsel__enable(e->evsel) ? -errno : 0;
		if (err == 0)
			continue;
		e->err = -err;
		perf_evsel__close(e->evsel);
		if (e->kind == EV_HARDWARE && (e->err == ENOENT || e->err == ENODEV ||
					       e->err == EOPNOTSUPP || e->err == EINVAL)) {
			e->why = "no-pmu"; /* no PMU answers for it (TCG, most VMs) */
			continue;
		}
		die("cannot open %s: %s", e->name, strerror(e->err));
	}
}

/*
 * --vm: KVM's events on each VM guest's vCPU threads, one counter set per guest and event; and
 * the CPU of its QEMU's threads by class (iov_qemu_threads, perf_threads.h).
 */
#define MAX_VMS 16
#define MAX_VCPUS 64

static const struct iov_pt_event kvm_events[] = {
	{ .name = "kvm:kvm_exit", .tp = "kvm/kvm_exit" },
	{ .name = "kvm:kvm_entry", .tp = "kvm/kvm_entry" },
	{ .name = "kvm:kvm_inj_virq", .tp = "kvm/kvm_inj_virq" },
	{ .name = "kvm:kvm_userspace_exit", .tp = "kvm/kvm_userspace_exit" },
	{ .name = "kvm:kvm_mmio", .tp = "kvm/kvm_mmio" },
	{ .name = "kvm:kvm_halt_poll_ns", .tp = "kvm/kvm_halt_poll_ns" },
};
#define NKVM (sizeof(kvm_events) / sizeof(kvm_events[0]))

/* The exit reasons the I/O path explains, each counted by a filtered kvm:kvm_exit (reasons[]). */
#define MAX_REASONS 16

static struct reason {
	const char *name; /* kvm_reasons.c's: "hlt", "npf", ... */
	char filter[32];
} reasons[MAX_REASONS];
static size_t nreasons;
static const char *reasons_why; /* why no reason is counted: the KVM module is neither ISA's */

/* The host's KVM: its vendor module tells which ISA's exit codes kvm_exit carries. */
static void reasons_table(void)
{
	unsigned isa, code;
	const char *name;

	if (!access("/sys/module/kvm_amd", F_OK))
		isa = IOV_KVM_ISA_SVM;
	else if (!access("/sys/module/kvm_intel", F_OK))
		isa = IOV_KVM_ISA_VMX;
	else {
		reasons_why = "no-kvm-vendor-module";
		return;
	}
	while (nreasons < MAX_REASONS && iov_kvm_io_reason(isa, nreasons, &code, &name)) {
		reasons[nreasons].name = name;
		snprintf(reasons[nreasons].filter, sizeof(reasons[nreasons].filter), "exit_reason==%u", code);
		nreasons++;
	}
}

static struct vm {
	char name[32];
	pid_t pid;
	struct iov_perf_threads *pt[NKVM]; /* NULL: not counted, why[] says why */
	const char *why[NKVM];
	struct iov_perf_threads *reason[MAX_REASONS]; /* kvm_exit per reason; NULL: why_reason */
	const char *why_reason;
	struct iov_qemu_threads *threads;  /* its QEMU's threads by class (perf_threads.h) */
} vms[MAX_VMS];
static int nvm;

static void vm_open_all(void)
{
	pid_t tids[MAX_VCPUS];
	size_t bad;
	int n, err;

	reasons_table();
	for (int v = 0; v < nvm; v++) {
		n = iov_perf_threads_named(vms[v].pid, "CPU ", tids, MAX_VCPUS);
		if (n < 0)
			die("VM guest %s: no process %ld", vms[v].name, (long)vms[v].pid);
		if (n == 0)
			die("VM guest %s: QEMU %ld has no vCPU threads named 'CPU N/KVM' (-name debug-threads=on)",
			    vms[v].name, (long)vms[v].pid);
		for (size_t e = 0; e < NKVM; e++) {
			vms[v].pt[e] = iov_perf_threads_open(&kvm_events[e], 1, tids, (size_t)n, &err, &bad);
			if (vms[v].pt[e])
				continue;
			if (err != ENOENT)
				die("VM guest %s: cannot count %s: %s", vms[v].name, kvm_events[e].name,
				    strerror(err));
			vms[v].why[e] = "no-such-event"; /* this kernel's KVM lacks it */
		}
		vms[v].why_reason = reasons_why;
		for (size_t r = 0; r < nreasons && !vms[v].why_reason; r++) {
			struct iov_pt_event ev = kvm_events[0];

			ev.filter = reasons[r].filter;
			vms[v].reason[r] = iov_perf_threads_open(&ev, 1, tids, (size_t)n, &err, &bad);
			if (vms[v].reason[r])
				continue;
			if (err != ENOENT && err != EINVAL)
				die("VM guest %s: cannot count kvm:kvm_exit with %s: %s", vms[v].name, reasons[r].filter,
				    strerror(err));
			/* no kvm_exit, or one without the exit_reason field */
			vms[v].why_reason = err == ENOENT ? "no-such-event" : "no-exit-reason-field";
		}
		vms[v].threads = iov_qemu_threads_open(vms[v].pid);
		if (!vms[v].threads)
			die("VM guest %s: cannot list the threads of QEMU %ld: %s", vms[v].name, (long)vms[v].pid,
			    strerror(errno));
	}
}

static void print_total(FILE *out, const char *name, const char *inst, const struct iov_perf_threads *pt,
			const char *why)
{
	uint64_t total;
	int rc;

	fprintf(out, "%s/%s ", name, inst);
	if (!pt) {
		fprintf(out, "not-supported %s\n", why);
		return;
	}
	rc = iov_perf_threads_read(pt, 0, &total);
	if (rc)
		fprintf(out, "not-supported read-failed:%s\n", strerror(-rc));
	else
		fprintf(out, "%" PRIu64 "\n", total);
}

static void vm_print(FILE *out)
{
	for (int v = 0; v < nvm; v++) {
		for (size_t e = 0; e < NKVM; e++)
			print_total(out, kvm_events[e].name, vms[v].name, vms[v].pt[e], vms[v].why[e]);
		for (size_t r = 0; r < nreasons; r++) {
			char name[64];

			snprintf(name, sizeof(name), "kvm:kvm_exit:%s", reasons[r].name);
			print_total(out, name, vms[v].name, vms[v].reason[r], vms[v].why_reason);
		}
		if (reasons_why)
			print_total(out, "kvm:kvm_exit:io-path", vms[v].name, NULL, reasons_why);
		iov_qemu_threads_print(vms[v].threads, vms[v].name, out);
	}
}

static void vm_close_all(void)
{
	for (int v = 0; v < nvm; v++) {
		for (size_t e = 0; e < NKVM; e++)
			iov_perf_threads_close(vms[v].pt[e]);
		for (size_t r = 0; r < nreasons; r++)
			iov_perf_threads_close(vms[v].reason[r]);
		iov_qemu_threads_close(vms[v].threads);
	}
}

/* The current counts, as "read" prints them. */
static void ev_print(FILE *out)
{
	struct perf_counts_values c;
	int i, idx, ncpu = perf_cpu_map__nr(cpus);

	fprintf(out, "# iovperf 1 cpus=%d\n", ncpu);
	vm_print(out);
	for (i = 0; i < nev; i++) {
		struct ev *e = &evs[i];
		char line[1024];
		uint64_t total = 0, ena = 0, run = 0;
		size_t n = 0;
		int err = 0;

		if (e->err) {
			fprintf(out, "%s not-supported %s\n", e->name, e->why ? e->why : strerror(e->err));
			continue;
		}
		for (idx = 0; idx < ncpu && !err; idx++) {
			uint64_t v;

			err = perf_evsel__read(e->evsel, idx, 0, &c);
			if (err)
				break;
			v = c.val;
			if (e->kind == EV_HARDWARE && c.run && c.run < c.ena)
				v = (uint64_t)((double)c.val * c.ena / c.run);
			ena += c.ena;
			run += c.run;
			total += v;
			n += (size_t)snprintf(line + n, sizeof(line) - n, " cpu%d=%" PRIu64,
					      perf_cpu_map__cpu(cpus, idx).cpu, v);
			if (n >= sizeof(line))
				n = sizeof(line) - 1;
		}
		if (err) {
			fprintf(out, "%s not-supported read-failed:%s\n", e->name, strerror(-err));
			continue;
		}
		fprintf(out, "%s %" PRIu64 "%s", e->name, total, line);
		if (e->kind == EV_HARDWARE && run < ena)
			fprintf(out, " scaled=%" PRIu64 "/%" PRIu64, run, ena);
		fputc('\n', out);
	}
}

/* The sample ring on napi:napi_poll (--napi-hist): one per CPU, drained into one histogram. */
static struct perf_evlist *ring_list;
static struct iov_napi_layout ring_layout;
static struct iov_napi_hist ring_hist;
static const char *ring_why; /* why there is no ring, when asked for one */
static FILE *ring_dump;	     /* IOVPERF_RING_DUMP: the first records as read, for tests */
static size_t ring_dumped;

#define RING_PAGES 32	/* 128 KiB per CPU: ~2600 samples, 50 ms of TCG's fastest polling x 20 */
#define RING_DUMP_MAX (256 * 1024)

static char *read_text(const char *path)
{
	static char buf[8192];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void ring_open(void)
{
	struct perf_event_attr attr;
	struct perf_evsel *evsel;
	const char *fmt;
	long id = iov_perf_tp_id("napi/napi_poll");

	fmt = read_text("/sys/kernel/tracing/events/napi/napi_poll/format");
	if (!fmt)
		fmt = read_text("/sys/kernel/debug/tracing/events/napi/napi_poll/format");
	if (id < 0 || !fmt) {
		ring_why = "no-such-event";
		return;
	}
	if (iov_napi_layout_parse(fmt, &ring_layout)) {
		ring_why = "no-work-budget-fields";
		return;
	}
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = (uint64_t)id;
	attr.sample_period = 1;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.disabled = 1;
	ring_list = perf_evlist__new();
	evsel = perf_evsel__new(&attr);
	if (!ring_list || !evsel)
		die("out of memory");
	perf_evlist__add(ring_list, evsel);
	perf_evlist__set_maps(ring_list, cpus, perf_thread_map__new_dummy());
	if (perf_evlist__open(ring_list))
		die("cannot open the sample ring on napi:napi_poll: %s", strerror(errno));
}

/*
 * Map and enable the rings: in the background process itself, since the kernel does not copy
 * a perf mapping into a forked child (VM_DONTCOPY). NULL, or what failed.
 */
static const char *ring_map(void)
{
	if (!ring_list)
		return NULL;
	if (perf_evlist__mmap(ring_list, RING_PAGES))
		return "cannot map the sample ring on napi:napi_poll";
	perf_evlist__enable(ring_list);
	if (getenv("IOVPERF_RING_DUMP"))
		ring_dump = fopen(getenv("IOVPERF_RING_DUMP"), "w");
	return NULL;
}

static void ring_drain(void)
{
	union perf_event *event;
	struct perf_mmap *map;

	if (!ring_list)
		return;
	perf_evlist__for_each_mmap(ring_list, map, false) {
		if (perf_mmap__read_init(map) < 0)
			continue;
		while ((event = perf_mmap__read_event(map))) {
			if (iov_napi_record(event, event->header.size, &ring_layout, &ring_hist))
				ring_hist.bad++;
			if (ring_dump && ring_dumped + event->header.size <= RING_DUMP_MAX) {
				fwrite(event, 1, event->header.size, ring_dump);
				ring_dumped += event->header.size;
				fflush(ring_dump);
			}
			perf_mmap__consume(map);
		}
		perf_mmap__read_done(map);
	}
}

static void ring_print(FILE *out)
{
	int i;

	if (ring_why) {
		fprintf(out, "napi:napi_poll/work not-supported %s\n", ring_why);
		return;
	}
	if (!ring_list)
		return;
	ring_drain();
	fprintf(out, "napi:napi_poll/work %" PRIu64 " lost=%" PRIu64 " hist=", ring_hist.samples,
		ring_hist.lost);
	for (i = 0; i < IOV_NAPI_NBUCKETS; i++)
		fprintf(out, "%s%d:%" PRIu64, i ? "," : "", iov_napi_bucket_key(&ring_hist, i),
			ring_hist.bucket[i]);
	if (ring_hist.bad)
		fprintf(out, " bad=%" PRIu64, ring_hist.bad);
	fputc('\n', out);
}

static void sock_path(const char *dir, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if ((size_t)snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/sock", dir) >=
	    sizeof(sa->sun_path))
		die("directory name too long for a socket: %s", dir);
}

/* The background process: one request per connection, "read" or "stop". */
static void serve(int lfd, const char *dir)
{
	char req[16], path[4096];
	ssize_t n;
	FILE *out;
	int cfd;

	for (;;) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };

		/* drain the rings while no one asks, so they do not fill between reads */
		if (poll(&p, 1, ring_list ? 50 : -1) == 0) {
			ring_drain();
			continue;
		}
		cfd = accept(lfd, NULL, NULL);
		if (cfd < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		n = read(cfd, req, sizeof(req) - 1);
		req[n > 0 ? n : 0] = '\0';
		out = fdopen(cfd, "w");
		if (!out) {
			close(cfd);
			continue;
		}
		if (strncmp(req, "stop", 4) == 0) {
			snprintf(path, sizeof(path), "%s/sock", dir);
			unlink(path);
			snprintf(path, sizeof(path), "%s/pid", dir);
			unlink(path);
			perf_evlist__delete(evlist);
			vm_close_all();
			if (ring_list) {
				perf_evlist__munmap(ring_list);
				perf_evlist__delete(ring_list);
			}
			fputs("stopped\n", out);
			fclose(out);
			exit(0);
		}
		if (strncmp(req, "read", 4) == 0) {
			ev_print(out);
			ring_print(out);
		}
		else
			fputs("error: unknown request\n", out);
		fclose(out);
	}
	exit(1);
}

static int alive(pid_t pid);

static pid_t pid_of(const char *dir)
{
	char path[4096];
	long pid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/pid", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0 && alive((pid_t)pid) ? (pid_t)pid : 0;
}

/* Running and not a zombie waiting for its new parent to reap it. */
static int alive(pid_t pid)
{
	char path[64], st = 'Z';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%*d (%*[^)]) %c", &st) != 1)
		st = 'Z';
	fclose(f);
	return st != 'Z';
}

static int cmd_start(const char *dir, const int *irqs, int nirq, int hist)
{
	struct sockaddr_un sa;
	char path[4096], msg[128];
	int lfd, nulfd, i, ready[2];
	ssize_t n;
	pid_t pid;
	FILE *f;

	if (mkdir(dir, 0755) && errno != EEXIST)
		die("cannot create %s: %s", dir, strerror(errno));
	pid = pid_of(dir);
	if (pid)
		die("already counting in %s (pid %ld)", dir, (long)pid);
	if (nvm) {
		vm_open_all();
		/*
		 * An MSI into a guest (irqfd) is set in the context that signals it (the VF's host
		 * interrupt, a vhost worker, QEMU's device model), not on a vCPU thread: counted on
		 * every CPU, for all the guests together.
		 */
		tp_add("kvm:kvm_msi_set_irq", "kvm/kvm_msi_set_irq", NULL);
		ev_open_all();
	} else {
		ev_table(irqs, nirq);
		ev_open_all();
	}
	if (hist)
		ring_open();
	/* listening before the fork: a read right after start waits in the backlog */
	sock_path(dir, &sa);
	unlink(sa.sun_path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 8))
		die("cannot listen on %s: %s", sa.sun_path, strerror(errno));
	fflush(stdout);
	if (pipe2(ready, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		const char *fail = ring_map();

		/* tell the starting process whether counting began, then let it go */
		if (write(ready[1], fail ? fail : "ok", strlen(fail ? fail : "ok")) < 0 || fail)
			_exit(1);
		close(ready[0]);
		close(ready[1]);
		/* the caller (the agent) waits for its command's output to close */
		setsid();
		signal(SIGPIPE, SIG_IGN);
		nulfd = open("/dev/null", O_RDWR);
		if (nulfd >= 0) {
			dup2(nulfd, 0);
			dup2(nulfd, 1);
			dup2(nulfd, 2);
			if (nulfd > 2)
				close(nulfd);
		}
		serve(lfd, dir);
	}
	close(ready[1]);
	n = read(ready[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	if (strcmp(msg, "ok")) {
		kill(pid, SIGTERM);
		die("%s", msg[0] ? msg : "the background process did not start");
	}
	snprintf(path, sizeof(path), "%s/pid", dir);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%ld\n", (long)pid) < 0 || fclose(f)) {
		kill(pid, SIGTERM);
		die("cannot write %s", path);
	}
	printf("iovperf counting, pid %ld\n", (long)pid);
	if (ring_why)
		printf("napi:napi_poll/work not-supported %s\n", ring_why);
	for (i = 0; i < nev; i++)
		if (evs[i].err)
			printf("%s not-supported %s\n", evs[i].name,
			       evs[i].why ? evs[i].why : strerror(evs[i].err));
	return 0;
}

/* Send one request to the background process and copy its answer to stdout. */
static int request(const char *dir, const char *req)
{
	struct sockaddr_un sa;
	char buf[4096];
	ssize_t n;
	int fd;

	sock_path(dir, &sa);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	if (write(fd, req, strlen(req)) < 0)
		die("cannot write to %s: %s", sa.sun_path, strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			die("cannot write the counts");
	close(fd);
	return 0;
}

static int usage(void)
{
	fputs("usage: iovperf start DIR [--irq N]... [--napi-hist] | start DIR --vm NAME=PID... | read DIR | stop DIR\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int irqs[MAX_IRQS], nirq = 0, hist = 0, i;
	pid_t pid;
	char *end;

	if (argc < 3)
		return usage();
	if (strcmp(argv[1], "start") == 0) {
		for (i = 3; i < argc; i++) {
			if (strcmp(argv[i], "--napi-hist") == 0) {
				hist = 1;
				continue;
			}
			if (strcmp(argv[i], "--vm") == 0 && i + 1 < argc) {
				char *eq = strchr(argv[++i], '=');
				long pid = eq ? strtol(eq + 1, &end, 10) : 0;

				if (!eq || *end || pid <= 0 || nvm == MAX_VMS ||
				    (size_t)(eq - argv[i]) >= sizeof(vms[0].name) || eq == argv[i])
					die("bad --vm '%s' (NAME=PID)", argv[i]);
				snprintf(vms[nvm].name, sizeof(vms[nvm].name), "%.*s", (int)(eq - argv[i]), argv[i]);
				vms[nvm++].pid = (pid_t)pid;
				continue;
			}
			if (strcmp(argv[i], "--irq") || i + 1 == argc || nirq == MAX_IRQS)
				return usage();
			irqs[nirq] = (int)strtol(argv[++i], &end, 10);
			if (*end || irqs[nirq] < 0)
				die("bad irq number '%s'", argv[i]);
			nirq++;
		}
		if (nvm && (nirq || hist))
			die("--vm counts KVM's events only: no --irq or --napi-hist with it");
		return cmd_start(argv[2], irqs, nirq, hist);
	}
	if (argc != 3)
		return usage();
	if (strcmp(argv[1], "read") == 0) {
		if (request(argv[2], "read\n"))
			die("not counting in %s (iovperf start first)", argv[2]);
		return 0;
	}
	if (strcmp(argv[1], "stop") == 0) {
		/* "stopped" comes after the counters are closed (the drivers' modules released) */
		if (request(argv[2], "stop\n") == 0)
			return 0;
		pid = pid_of(argv[2]);
		if (!pid)
			die("not counting in %s", argv[2]);
		kill(pid, SIGTERM); /* its socket is gone: end it by its pid */
		for (i = 0; i < 50 && alive(pid); i++)
			usleep(100000);
		return alive(pid) ? 1 : 0;
	}
	return usage();
}
