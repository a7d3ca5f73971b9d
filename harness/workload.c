// SPDX-License-Identifier: MIT
/* workload.c - the workload key table and everything it drives: parse, validate, record, document. */
#include "workload.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guests/guests.h"
#include "ini.h"
#include "tools/tools.h"

enum key_type {
	KT_STRING,   /* char[] field */
	KT_ENUM,     /* int field, index into choices */
	KT_ENUMSET,  /* unsigned bit mask over choices; "all" selects every choice */
	KT_BOOL,     /* bool field */
	KT_UINT,     /* unsigned field */
	KT_UINTLIST, /* struct iov_uint_list field, distinct values */
	KT_SIZE,     /* uint64_t bytes, binary suffixes k/m/g */
	KT_BITRATE,  /* uint64_t bits/s, decimal suffixes K/M/G */
	KT_TOOL,     /* const struct iov_tool_ops * field, by name from the tools' table */
};

struct key_def {
	const char *name;
	enum key_type type;
	const char *def;	    /* text parsed like a file value; NULL: required or optional */
	bool optional;		    /* with def == NULL: may stay unset, the tool's default applies */
	uint64_t min, max;	    /* numbers and list elements */
	const char *const *choices; /* KT_ENUM, KT_ENUMSET; NULL-terminated */
	const char *(*choice_at)(int i); /* instead of choices: the i-th, NULL past the last */
	const char *unit;
	/* Changes what is measured: runs differing here are not compared (compare.c, history). */
	bool measured;
	size_t offset;
	size_t size; /* of the field, for strings */
	const char *help;
};

static const char *const pattern_choices[] = { "guest-to-guest", "guest-to-domain", NULL };
static const char *const protocol_choices[] = { "tcp", "udp", NULL };
static const char *const fio_rw_choices[] = { "write", "read", NULL };

#define FIELD(f) .offset = offsetof(struct iov_workload, f), .size = sizeof(((struct iov_workload *)0)->f)

/* Indexed by enum iov_workload_key: the order is also the order of the reference. */
static const struct key_def keys[IOV_KEY_COUNT] = {
	[IOV_KEY_DESCRIPTION] = {
		.name = "description", .type = KT_STRING, .def = "", FIELD(description),
		.help = "One line saying what the workload measures; shown by `iovbench list`." },
	[IOV_KEY_TOOL] = {
		.name = "tool", .type = KT_TOOL, .measured = true, FIELD(tool),
		.help = "Traffic generator" /* and each tool's .help (tools/tools.h) */ },
	[IOV_KEY_PATTERN] = {
		.name = "pattern", .type = KT_ENUMSET, .def = "guest-to-guest", .choices = pattern_choices,
		FIELD(pattern_mask),
		.help = "Topology, one or more: `guest-to-guest` pairs guests (1 with 2, 3 with 4, ...), each pair "
			"running the workload between its two namespaces; `guest-to-domain` runs it between every "
			"guest and the driver domain (the PF's side). `all` selects both." },
	[IOV_KEY_GUESTS] = {
		.name = "guests", .type = KT_UINTLIST, .def = "2", .min = 1, .max = IOV_MAX_GUESTS,
		.unit = "guests", FIELD(guests),
		.help = "Guest counts to run, each one experiment, e.g. `2, 6`. A guest (see guest_kind) has "
			"exactly one NIC. guest-to-guest needs even counts (pairs): with both patterns an odd "
			"count runs guest-to-domain only, with guest-to-guest alone it is an error." },
	[IOV_KEY_NIC] = {
		.name = "nic", .type = KT_ENUMSET, .def = "vf", .choice_at = iov_nic_name_at, FIELD(nic_mask),
		.help = "NIC kinds to compare, one or more" /* and each kind's .help (nics/nics.h) */ },
	[IOV_KEY_GUEST_KIND] = {
		.name = "guest_kind", .type = KT_ENUM, .def = "netns", .measured = true,
		.choices = iov_guest_kind_names, FIELD(guest_kind),
		.help = "What plays a guest: `netns`, a network namespace of the driver domain holding one "
			"NIC (no hypervisor on the path), or `vm`, a KVM virtual machine started in the driver "
			"domain, its VF assigned through vfio-pci and the IOMMU, its baseline NIC emulated by "
			"its own QEMU (e1000e) or served by vhost-net (virtio). Every experiment records it." },
	[IOV_KEY_REPS] = {
		.name = "reps", .type = KT_UINT, .def = "5", .min = 1, .max = 1000, .unit = "repetitions",
		FIELD(reps),
		.help = "Repetitions per experiment; results keep every repetition's value and the summary." },
	[IOV_KEY_DURATION_S] = {
		.name = "duration_s", .type = KT_UINT, .def = "10", .min = 1, .max = 86400, .unit = "s",
		.measured = true, FIELD(duration_s),
		.help = "Measured time of one repetition (iperf3 `-t`, fio `runtime` with `time_based`); the "
			"warm-up omit_s comes on top, so a repetition lasts omit_s + duration_s." },
	[IOV_KEY_OMIT_S] = {
		.name = "omit_s", .type = KT_UINT, .def = "1", .min = 0, .max = 3600, .unit = "s",
		.measured = true, FIELD(omit_s),
		.help = "Warm-up before the measured time, excluded from the tools' figures (iperf3 `-O`, fio "
			"`ramp_time`); must be less than duration_s. Counters sampled around the whole run "
			"(interrupts, CPU) are divided by the sampled interval, not by duration_s." },
	[IOV_KEY_INTERLEAVE] = {
		.name = "interleave", .type = KT_ENUMSET, .optional = true, .choice_at = iov_nic_name_at,
		FIELD(interleave_mask),
		.help = "NIC kinds (among `nic`; others listed are ignored) measured interleaved, repetition by "
			"repetition: for each guest count and pattern, repetition k of every listed kind runs "
			"before repetition k + 1 of any, in an order that reverses every repetition (ABBA), and "
			"the topology is rebuilt between kinds that need other drivers (`vf` and `vf-noinstr` "
			"share one). A drift of the host then falls on all kinds alike, so the ratio of the "
			"paired repetitions compares them more finely than whole experiments run minutes apart "
			"(the summary and the report show those ratios with a CI). Costs a topology rebuild per "
			"kind and repetition. Unset: each kind runs all its repetitions in a row." },
	[IOV_KEY_PROTOCOL] = {
		.name = "protocol", .type = KT_ENUM, .def = "tcp", .choices = protocol_choices,
		.measured = true, FIELD(protocol),
		.help = "Transport: `tcp` or `udp` (iperf3 `-u`, fio net `protocol`)." },
	[IOV_KEY_STREAMS] = {
		.name = "streams", .type = KT_UINT, .def = "1", .min = 1, .max = 128, .unit = "streams",
		.measured = true, FIELD(streams),
		.help = "Parallel streams per client (iperf3 `-P`)." },
	[IOV_KEY_UDP_DATAGRAM_BYTES] = {
		.name = "udp_datagram_bytes", .type = KT_SIZE, .optional = true, .min = 16, .max = 65507,
		.unit = "bytes", .measured = true, FIELD(udp_datagram_bytes),
		.help = "UDP payload per datagram (iperf3 `-l`); only with `protocol = udp`. Unset: iperf3 "
			"chooses from the path MTU. 64 measures packet rate rather than bandwidth." },
	[IOV_KEY_BITRATE] = {
		.name = "bitrate", .type = KT_BITRATE, .def = "0", .min = 0, .max = 100000000000ull,
		.unit = "bit/s", .measured = true, FIELD(bitrate_bps),
		.help = "Target rate per stream (iperf3 `-b`), decimal suffixes K, M, G; `0` is unlimited, also for "
			"UDP (iperf3's own UDP default of 1 Mbit/s is never used implicitly)." },
	[IOV_KEY_REVERSE] = {
		.name = "reverse", .type = KT_BOOL, .def = "false", .measured = true, FIELD(reverse),
		.help = "Server sends, client receives (iperf3 `-R`). In guest-to-domain the client is the guest." },
	[IOV_KEY_IPERF3_CLIENT_CPU] = {
		.name = "iperf3_client_cpu", .type = KT_UINT, .optional = true, .min = 0, .max = 1023,
		.unit = "CPU", .measured = true, FIELD(iperf3_client_cpu),
		.help = "Pin every iperf3 client to this CPU (iperf3 `-A`). Unset: the scheduler places it. Under "
			"TCG, where the processes land makes throughput jump between modes from one repetition "
			"to the next; pinning both ends removes most of that noise." },
	[IOV_KEY_IPERF3_SERVER_CPU] = {
		.name = "iperf3_server_cpu", .type = KT_UINT, .optional = true, .min = 0, .max = 1023,
		.unit = "CPU", .measured = true, FIELD(iperf3_server_cpu),
		.help = "Pin the iperf3 server of each client to this CPU (iperf3 `-A client,server`, sent by the "
			"client); needs iperf3_client_cpu." },
	[IOV_KEY_INSTR_TOGGLE_S] = {
		.name = "instr_toggle_s", .type = KT_UINT, .def = "0", .min = 0, .max = 60, .unit = "s",
		.measured = true, FIELD(instr_toggle_s),
		.help = "Measure the cost of our drivers' instrumentation inside each repetition: on the `vf` kind "
			"(other kinds run the workload plainly), "
			"switch it on and off every instr_toggle_s seconds during the measured time and sample the "
			"receivers' byte counters at each switch. Neighbouring segments share the host's state, so "
			"their on/off ratio escapes the repetition-to-repetition noise of a TCG guest. Driver "
			"counter metrics are left out of such an experiment (they freeze while off), and it is never "
			"interleaved. `0`: off; needs duration_s of at least 4 periods." },
	[IOV_KEY_HOSTILE_VF_TOGGLE_S] = {
		.name = "hostile_vf_toggle_s", .type = KT_UINT, .def = "0", .min = 0, .max = 60, .unit = "s",
		.measured = true, FIELD(hostile_vf_toggle_s),
		.help = "Measure what a hostile VF costs the guests, inside each repetition: on SR-IOV kinds "
			"(other kinds run the workload plainly) one more VF than guests is enabled, taken from "
			"its driver and, every other hostile_vf_toggle_s seconds of the measured time, its "
			"mailbox is fuzzed from user space (iovmbx: malformed, unknown, oversized and "
			"out-of-state messages, VF resets, kept locks). The receivers' byte counters are "
			"sampled at each switch: the ratio with/without is the bystanders' throughput kept "
			"(bound 0.9). The messages sent, unanswered and, with iovpf, counted by the PF are "
			"metrics. `0`: off; needs duration_s of at least 4 periods, at most 6 guests, and "
			"excludes instr_toggle_s." },
	[IOV_KEY_HOSTILE_VF_SPIN_TOGGLE_S] = {
		.name = "hostile_vf_spin_toggle_s", .type = KT_UINT, .def = "0", .min = 0, .max = 60, .unit = "s",
		.measured = true, FIELD(hostile_vf_spin_toggle_s),
		.help = "The control of hostile_vf_toggle_s: the same process on the same spare VF reads the "
			"VF's STATUS register as fast as the fuzz polls its mailbox and posts nothing, toggled "
			"the same way: the cost of the attacker's CPU and register reads alone, which guests "
			"sharing the driver domain's CPUs pay. Same rules as hostile_vf_toggle_s." },
	[IOV_KEY_VF_FLR_TOGGLE_S] = {
		.name = "vf_flr_toggle_s", .type = KT_UINT, .def = "0", .min = 0, .max = 60, .unit = "s",
		.measured = true, FIELD(vf_flr_toggle_s),
		.help = "Survive VF function level resets under traffic (namespace guests, SR-IOV kinds): at "
			"the start of every other vf_flr_toggle_s seconds of the measured time the first "
			"receiver's VF is reset through sysfs, and each reset's recovery (until that receiver's "
			"byte counter grows again, 30 s at most) is timed: fault_count, fault_unrecovered_count, "
			"fault_recovery_p50_s and _max_s. Driver counter metrics are left out (they cross the "
			"resets). `0`: off; needs duration_s of at least 4 periods." },
	[IOV_KEY_PF_LINK_TOGGLE_S] = {
		.name = "pf_link_toggle_s", .type = KT_UINT, .def = "0", .min = 0, .max = 60, .unit = "s",
		.measured = true, FIELD(pf_link_toggle_s),
		.help = "Survive the PF's link going down for a second under traffic (SR-IOV kinds): at the "
			"start of every other pf_link_toggle_s seconds of the measured time the PF netdev is "
			"set down and up again, and the first receiver's recovery is timed as with "
			"vf_flr_toggle_s (the fault metrics). `0`: off; needs duration_s of at least 4 periods." },
	[IOV_KEY_FIO_RW] = {
		.name = "fio_rw", .type = KT_ENUM, .def = "write", .choices = fio_rw_choices,
		.measured = true, FIELD(fio_rw),
		.help = "Direction of the initiating side (fio net `rw`): `write` sends to the listening peer, "
			"`read` receives from it." },
	[IOV_KEY_FIO_BS] = {
		.name = "fio_bs", .type = KT_SIZE, .def = "4k", .min = 1, .max = 16777216, .unit = "bytes",
		.measured = true, FIELD(fio_bs),
		.help = "Bytes per I/O, i.e. per message (fio `bs`); binary suffixes k, m, g (4k = 4096)." },
	[IOV_KEY_FIO_IODEPTH] = {
		.name = "fio_iodepth", .type = KT_UINT, .def = "1", .min = 1, .max = 1024, .unit = "I/Os",
		.measured = true, FIELD(fio_iodepth),
		.help = "fio `iodepth`. The net engine is synchronous, so fio keeps one I/O in flight per job "
			"whatever this says; use fio_numjobs for concurrency. Recorded for completeness." },
	[IOV_KEY_FIO_NUMJOBS] = {
		.name = "fio_numjobs", .type = KT_UINT, .def = "1", .min = 1, .max = 64, .unit = "jobs",
		.measured = true, FIELD(fio_numjobs),
		.help = "Concurrent fio jobs (connections) per client (fio `numjobs`)." },
	[IOV_KEY_FIO_PINGPONG] = {
		.name = "fio_pingpong", .type = KT_BOOL, .def = "false", .measured = true,
		FIELD(fio_pingpong),
		.help = "Request/response: each message is echoed back before the next is sent (fio net "
			"`pingpong`); completion latency is then the round trip." },
	[IOV_KEY_FIO_NODELAY] = {
		.name = "fio_nodelay", .type = KT_BOOL, .def = "true", .measured = true, FIELD(fio_nodelay),
		.help = "Disable Nagle's algorithm on TCP (fio net `nodelay`)." },
	[IOV_KEY_MBX_REQUESTS] = {
		.name = "mbx_requests", .type = KT_UINT, .def = "100", .min = 1, .max = 100000,
		.unit = "requests", .measured = true, FIELD(mbx_requests),
		.help = "Multicast-list changes per guest and repetition (alternately adding and removing one "
			"group address). Each makes the VF driver send SET_MULTICAST to the PF and wait for the "
			"reply; a driver that defers the update may merge changes into fewer requests." },
};

static const char *const type_names[] = {
	[KT_STRING] = "string", [KT_ENUM] = "one of", [KT_ENUMSET] = "list of", [KT_BOOL] = "boolean",
	[KT_UINT] = "integer", [KT_UINTLIST] = "list of integers", [KT_SIZE] = "size", [KT_BITRATE] = "bit rate",
	[KT_TOOL] = "one of",
};

static const struct key_def *find_key(const char *name, int *index)
{
	for (int i = 0; i < IOV_KEY_COUNT; i++)
		if (!strcmp(keys[i].name, name)) {
			if (index)
				*index = i;
			return &keys[i];
		}
	return NULL;
}

static const char *choice(const struct key_def *k, int i)
{
	return k->choice_at ? k->choice_at(i) : k->choices[i];
}

static int choice_index(const struct key_def *k, const char *s, size_t len)
{
	for (int i = 0; choice(k, i); i++)
		if (strlen(choice(k, i)) == len && !strncmp(choice(k, i), s, len))
			return i;
	return -1;
}

static void choices_join(const struct key_def *k, const char *sep, char *out, size_t size)
{
	out[0] = '\0';
	for (int i = 0; choice(k, i); i++) {
		size_t used = strlen(out);

		snprintf(out + used, size - used, "%s%s", i ? sep : "", choice(k, i));
	}
}

static void choices_text(const struct key_def *k, char *out, size_t size)
{
	choices_join(k, "|", out, size);
}

/* Number with an optional one-letter suffix; binary: k=1024, else K=1000. Integral results only. */
static int parse_scaled(const char *s, bool binary, uint64_t *out)
{
	char *end;
	double v, mult = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtod(s, &end);
	if (*end) {
		switch (*end) {
		case 'k': case 'K': mult = binary ? 1024.0 : 1e3; break;
		case 'm': case 'M': mult = binary ? 1048576.0 : 1e6; break;
		case 'g': case 'G': mult = binary ? 1073741824.0 : 1e9; break;
		default: return -1;
		}
		if (end[1])
			return -1;
	}
	v *= mult;
	if (!isfinite(v) || v != floor(v) || v > 1.8e19)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* Split a comma list; calls fn for each trimmed element; empty elements are errors. */
static int for_each_element(const char *value, int (*fn)(const char *s, size_t len, void *ctx), void *ctx)
{
	const char *p = value;

	for (;;) {
		const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
		const char *b = p, *e = end;

		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (b == e || fn(b, (size_t)(e - b), ctx))
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

struct list_ctx {
	const struct key_def *k;
	unsigned mask;
	struct iov_uint_list list;
	char problem[160];
};

static int add_set_element(const char *s, size_t len, void *vctx)
{
	struct list_ctx *ctx = vctx;
	int i = choice_index(ctx->k, s, len);

	if (len == 3 && !strncmp(s, "all", 3)) {
		for (i = 0; choice(ctx->k, i); i++)
			ctx->mask |= 1u << i;
		return 0;
	}
	if (i < 0) {
		char allowed[128];

		choices_text(ctx->k, allowed, sizeof(allowed));
		snprintf(ctx->problem, sizeof(ctx->problem), "'%.*s' is not one of %s|all", (int)len, s, allowed);
		return -1;
	}
	if (ctx->mask & (1u << i)) {
		snprintf(ctx->problem, sizeof(ctx->problem), "'%.*s' listed twice", (int)len, s);
		return -1;
	}
	ctx->mask |= 1u << i;
	return 0;
}

static int add_uint_element(const char *s, size_t len, void *vctx)
{
	struct list_ctx *ctx = vctx;
	char tmp[32];
	uint64_t v;

	if (!iov_strlcpy_n(tmp, sizeof(tmp), s, len) || iov_parse_u64(tmp, &v)) {
		snprintf(ctx->problem, sizeof(ctx->problem), "'%.*s' is not a non-negative integer", (int)len, s);
		return -1;
	}
	if (v < ctx->k->min || v > ctx->k->max) {
		snprintf(ctx->problem, sizeof(ctx->problem), "%llu is out of range %llu..%llu",
			 (unsigned long long)v, (unsigned long long)ctx->k->min, (unsigned long long)ctx->k->max);
		return -1;
	}
	for (unsigned i = 0; i < ctx->list.n; i++)
		if (ctx->list.v[i] == v) {
			snprintf(ctx->problem, sizeof(ctx->problem), "%llu listed twice", (unsigned long long)v);
			return -1;
		}
	if (ctx->list.n == IOV_ARRAY_SIZE(ctx->list.v)) {
		snprintf(ctx->problem, sizeof(ctx->problem), "more than %zu values",
			 IOV_ARRAY_SIZE(ctx->list.v));
		return -1;
	}
	ctx->list.v[ctx->list.n++] = (unsigned)v;
	return 0;
}

/* Parse value for key k into the workload; on error, problem explains (without location). */
static int parse_value(struct iov_workload *wl, const struct key_def *k, const char *value, char *problem,
		       size_t psize)
{
	char *field = (char *)wl + k->offset, allowed[128];
	struct list_ctx ctx = { .k = k };
	uint64_t v;
	int idx;

	switch (k->type) {
	case KT_TOOL:
		*(const struct iov_tool_ops **)field = iov_tool_lookup(value);
		if (!*(const struct iov_tool_ops **)field) {
			iov_tool_names("|", allowed, sizeof(allowed));
			snprintf(problem, psize, "'%s' is not one of %s", value, allowed);
			return -1;
		}
		return 0;
	case KT_STRING:
		if (!iov_strlcpy(field, value, k->size)) {
			snprintf(problem, psize, "longer than %zu characters", k->size - 1);
			return -1;
		}
		return 0;
	case KT_ENUM:
		idx = choice_index(k, value, strlen(value));
		if (idx < 0) {
			choices_text(k, allowed, sizeof(allowed));
			snprintf(problem, psize, "'%s' is not one of %s", value, allowed);
			return -1;
		}
		*(int *)field = idx;
		return 0;
	case KT_ENUMSET:
		if (for_each_element(value, add_set_element, &ctx)) {
			snprintf(problem, psize, "%s", ctx.problem[0] ? ctx.problem : "empty list element");
			return -1;
		}
		*(unsigned *)field = ctx.mask;
		return 0;
	case KT_BOOL:
		if (!strcmp(value, "true") || !strcmp(value, "1"))
			*(bool *)field = true;
		else if (!strcmp(value, "false") || !strcmp(value, "0"))
			*(bool *)field = false;
		else {
			snprintf(problem, psize, "'%s' is not a boolean (true|false|1|0)", value);
			return -1;
		}
		return 0;
	case KT_UINTLIST:
		if (for_each_element(value, add_uint_element, &ctx)) {
			snprintf(problem, psize, "%s", ctx.problem[0] ? ctx.problem : "empty list element");
			return -1;
		}
		*(struct iov_uint_list *)field = ctx.list;
		return 0;
	case KT_UINT:
	case KT_SIZE:
	case KT_BITRATE:
		if (k->type == KT_UINT ? iov_parse_u64(value, &v) : parse_scaled(value, k->type == KT_SIZE, &v)) {
			snprintf(problem, psize, "'%s' is not %s", value,
				 k->type == KT_UINT ? "a non-negative integer"
				 : k->type == KT_SIZE ? "a size (integer bytes, optional suffix k, m, g)"
						      : "a bit rate (bits/s, optional suffix K, M, G)");
			return -1;
		}
		if (v < k->min || v > k->max) {
			snprintf(problem, psize, "%s is out of range %llu..%llu", value,
				 (unsigned long long)k->min, (unsigned long long)k->max);
			return -1;
		}
		if (k->type == KT_UINT)
			*(unsigned *)field = (unsigned)v;
		else
			*(uint64_t *)field = v;
		return 0;
	}
	snprintf(problem, psize, "internal: unknown key type");
	return -1;
}

void iov_workload_init(struct iov_workload *wl, const char *name, const char *file, int line)
{
	char problem[256];

	memset(wl, 0, sizeof(*wl));
	iov_strlcpy(wl->name, name, sizeof(wl->name));
	iov_strlcpy(wl->file, file ? file : "(none)", sizeof(wl->file));
	wl->line = line;
	for (int i = 0; i < IOV_KEY_COUNT; i++) {
		iov_strlcpy(wl->origin[i].file, "(default)", sizeof(wl->origin[i].file));
		/* A default that does not parse is a bug in the table: every unit test would stop here. */
		if (keys[i].def && parse_value(wl, &keys[i], keys[i].def, problem, sizeof(problem))) {
			fprintf(stderr, "workload key table: %s: bad default: %s\n", keys[i].name, problem);
			abort();
		}
	}
}

int iov_workload_set(struct iov_workload *wl, const char *key, const char *value, const char *file,
		     int line, struct iov_err *err)
{
	char problem[256];
	const struct key_def *k;
	int idx;

	k = find_key(key, &idx);
	if (!k) {
		iov_err_set(err, "%s:%d: %s: unknown key (every key is listed in workloads/REFERENCE.md)", file,
			    line, key);
		return -1;
	}
	if (parse_value(wl, k, value, problem, sizeof(problem))) {
		iov_err_set(err, "%s:%d: %s: %s", file, line, key, problem);
		return -1;
	}
	iov_strlcpy(wl->origin[idx].file, file, sizeof(wl->origin[idx].file));
	wl->origin[idx].line = line;
	wl->origin[idx].explicit = true;
	return 0;
}

bool iov_workload_is_set(const struct iov_workload *wl, const char *key)
{
	int idx;

	return find_key(key, &idx) && wl->origin[idx].explicit;
}

int iov_workload_key_error(const struct iov_workload *wl, enum iov_workload_key idx, struct iov_err *err,
			   const char *fmt, ...)
{
	const struct iov_origin *o = &wl->origin[idx];
	char problem[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	if (o->explicit)
		iov_err_set(err, "%s:%d: %s: %s", o->file, o->line, keys[idx].name, problem);
	else
		iov_err_set(err, "%s:%d: %s: %s (workload %s)", wl->file, wl->line, keys[idx].name, problem,
			    wl->name);
	return -1;
}

int iov_workload_validate(const struct iov_workload *wl, struct iov_err *err)
{
	for (int i = 0; i < IOV_KEY_COUNT; i++) {
		const struct key_def *k = &keys[i];

		if (!k->def && !k->optional && !wl->origin[i].explicit)
			return iov_workload_key_error(wl, i, err, "missing required key");
	}
	for (int i = 0; i < IOV_KEY_COUNT; i++) {
		char owners[64];

		if (!wl->origin[i].explicit || iov_tool_key_applies(wl->tool, i))
			continue;
		iov_tool_key_owners(i, owners, sizeof(owners));
		return iov_workload_key_error(wl, i, err, "does not apply to tool = %s (only to %s)",
					      wl->tool->name, owners);
	}
	if (wl->tool->validate && wl->tool->validate(wl, err))
		return -1;
	if (wl->omit_s >= wl->duration_s)
		return iov_workload_key_error(wl, wl->origin[IOV_KEY_OMIT_S].explicit ? IOV_KEY_OMIT_S
										  : IOV_KEY_DURATION_S,
					      err, "omit_s (%u) must be less than duration_s (%u)", wl->omit_s,
					      wl->duration_s);
	if (!wl->pattern_mask || !wl->nic_mask || !wl->guests.n)
		return iov_workload_key_error(wl, !wl->pattern_mask ? IOV_KEY_PATTERN
					      : !wl->nic_mask	    ? IOV_KEY_NIC
								    : IOV_KEY_GUESTS,
					      err, "empty");
	{
		const struct iov_guest_ops *g = iov_guest_kind(wl->guest_kind);

		for (int nic = 0; nic < IOV_NIC_COUNT; nic++)
			if ((wl->nic_mask & (1u << nic)) && !iov_nic_offered(nic, wl->guest_kind))
				return iov_workload_key_error(wl, IOV_KEY_NIC, err, "%s has no form with guest_kind = %s%s%s",
							      iov_nic_name(nic), g->name,
							      iov_nic(nic)->not_offered_why ? ": " : "",
							      iov_nic(nic)->not_offered_why ?: "");
	}
	/* With both patterns an odd count runs guest-to-domain only; with pairs only, it cannot run. */
	if (wl->pattern_mask == 1u << IOV_PATTERN_GUEST_TO_GUEST)
		for (unsigned i = 0; i < wl->guests.n; i++)
			if (wl->guests.v[i] % 2)
				return iov_workload_key_error(wl, IOV_KEY_GUESTS, err,
							      "%u guests cannot form guest-to-guest pairs (use "
							      "even counts, or pattern = guest-to-domain)",
							      wl->guests.v[i]);
	return 0;
}

static int parse_section(const struct iov_ini *ini, const struct iov_ini_section *sec, struct iov_workload *wl,
			 struct iov_err *err)
{
	if (strcmp(sec->kind, "workload")) {
		iov_err_set(err, "%s:%d: [%s %s]: unexpected section kind (a workload file holds [workload NAME])",
			    ini->file, sec->line, sec->kind, sec->name);
		return -1;
	}
	if (strlen(sec->name) >= IOV_WORKLOAD_NAME_MAX) {
		iov_err_set(err, "%s:%d: workload name longer than %d characters", ini->file, sec->line,
			    IOV_WORKLOAD_NAME_MAX - 1);
		return -1;
	}
	iov_workload_init(wl, sec->name, ini->file, sec->line);
	for (size_t i = 0; i < sec->n; i++)
		if (iov_workload_set(wl, sec->entries[i].key, sec->entries[i].value, ini->file, sec->entries[i].line,
				     err))
			return -1;
	return iov_workload_validate(wl, err);
}

static int parse_ini(const struct iov_ini *ini, struct iov_workload **out, size_t *n, struct iov_err *err)
{
	struct iov_workload *wls;

	*out = NULL;
	*n = 0;
	if (!ini->n) {
		iov_err_set(err, "%s: no [workload NAME] section", ini->file);
		return -1;
	}
	wls = calloc(ini->n, sizeof(*wls));
	if (!wls) {
		iov_err_set(err, "%s: out of memory", ini->file);
		return -1;
	}
	for (size_t i = 0; i < ini->n; i++)
		if (parse_section(ini, &ini->sections[i], &wls[i], err)) {
			free(wls);
			return -1;
		}
	*out = wls;
	*n = ini->n;
	return 0;
}

int iov_workload_parse(const char *file, const char *text, struct iov_workload **out, size_t *n,
		       struct iov_err *err)
{
	struct iov_ini ini;
	int rc;

	*out = NULL;
	*n = 0;
	if (iov_ini_parse(file, text, &ini, err))
		return -1;
	rc = parse_ini(&ini, out, n, err);
	iov_ini_free(&ini);
	return rc;
}

int iov_workload_load(const char *path, struct iov_workload **out, size_t *n, struct iov_err *err)
{
	struct iov_ini ini;
	int rc;

	*out = NULL;
	*n = 0;
	if (iov_ini_load(path, &ini, err))
		return -1;
	rc = parse_ini(&ini, out, n, err);
	iov_ini_free(&ini);
	return rc;
}

static json_t *set_to_json(const struct key_def *k, unsigned mask)
{
	json_t *a = json_array();

	for (int i = 0; choice(k, i); i++)
		if (mask & (1u << i))
			json_array_append_new(a, json_string(choice(k, i)));
	return a;
}

json_t *iov_workload_to_json(const struct iov_workload *wl)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(wl->name));
	for (int i = 0; i < IOV_KEY_COUNT; i++) {
		const struct key_def *k = &keys[i];
		const char *field = (const char *)wl + k->offset;
		json_t *v = NULL;

		if (k->optional && !wl->origin[i].explicit) {
			json_object_set_new(o, k->name, json_null());
			continue;
		}
		switch (k->type) {
		case KT_TOOL: v = json_string((*(const struct iov_tool_ops *const *)field)->name); break;
		case KT_STRING: v = json_string(field); break;
		case KT_ENUM: v = json_string(choice(k, *(const int *)field)); break;
		case KT_ENUMSET: v = set_to_json(k, *(const unsigned *)field); break;
		case KT_BOOL: v = json_boolean(*(const bool *)field); break;
		case KT_UINT: v = json_integer(*(const unsigned *)field); break;
		case KT_SIZE:
		case KT_BITRATE: v = json_integer((json_int_t) * (const uint64_t *)field); break;
		case KT_UINTLIST: {
			const struct iov_uint_list *l = (const struct iov_uint_list *)field;

			v = json_array();
			for (unsigned j = 0; j < l->n; j++)
				json_array_append_new(v, json_integer(l->v[j]));
			break;
		}
		}
		json_object_set_new(o, k->name, v);
	}
	return o;
}

static const char reference_intro[] =
	"<!-- Generated by iov_workload_reference() in harness/workload.c: edit the key table, not this\n"
	"     file. The unit test 'workload: REFERENCE.md is current' fails when they differ;\n"
	"     regenerate with: IOV_UPDATE_REFERENCE=1 make unit -->\n"
	"# Workload and suite files: reference\n"
	"\n"
	"A **workload** says what traffic to generate and over which topologies; a **suite** lists\n"
	"workloads to run together (`iovbench run --suite NAME`). Both are plain text files in this\n"
	"directory: `NAME.workload` and `suite-NAME.suite`.\n"
	"\n"
	"## Syntax\n"
	"\n"
	"```\n"
	"# A comment. A '#' after whitespace also starts a comment.\n"
	"[workload tcp-stream]        # section header: [KIND NAME], NAME of A-Z a-z 0-9 _ . -\n"
	"tool = iperf3                # key = value, one per line\n"
	"guests = 2, 6                # lists are comma-separated\n"
	"nic = all                    # sets of choices accept `all`\n"
	"```\n"
	"\n"
	"A file is rejected as a whole, with `file:line: key: problem`, when it has text outside a\n"
	"section, a malformed header or key, an empty value, an unknown key, a value of the wrong type or\n"
	"out of range, a key set twice in one section, a missing required key, a key that does not\n"
	"apply to the workload's tool, or values that contradict each other. Nothing runs\n"
	"half-configured.\n"
	"\n"
	"Values are layered: the defaults below, then the workload file, then the suite's `[suite]`\n"
	"section, then the suite's `[entry]` section, then the command line (`--reps`, `--duration`,\n"
	"`--guests`, `--nic`); the result records every key's final value.\n"
	"\n"
	"## Suites\n"
	"\n"
	"```\n"
	"[suite default]              # exactly one, first; its name is the file's suite-NAME\n"
	"description = ...            # about the suite; any workload key here overrides every entry\n"
	"reps = 3\n"
	"\n"
	"[entry tcp-g2g]              # one per workload run; NAME is unique in the suite\n"
	"workload = tcp-stream        # required: the [workload NAME] to run\n"
	"pattern = guest-to-guest     # any workload key except `tool` overrides the workload\n"
	"guests = 2, 6\n"
	"```\n"
	"\n"
	"An entry expands into one experiment per (nic, guests, pattern) combination, guest-to-guest\n"
	"only for even guest counts; each experiment runs `reps` repetitions. Experiment ids read\n"
	"`ENTRY.NIC.g2g|g2d.Ng`.\n"
	"\n"
	"## Keys\n"
	"\n"
	"| key | type | default | range / choices | unit | tools |\n"
	"|-----|------|---------|-----------------|------|-------|\n";

int iov_workload_reference(struct iov_buf *out)
{
	int rc = iov_buf_append(out, reference_intro, sizeof(reference_intro) - 1);

	for (int i = 0; i < IOV_KEY_COUNT; i++) {
		const struct key_def *k = &keys[i];
		char range[160] = "", owners[64];

		/* No '|' inside a Markdown table cell. */
		if (k->choices || k->choice_at)
			choices_join(k, ", ", range, sizeof(range));
		if (k->type == KT_TOOL)
			iov_tool_names(", ", range, sizeof(range));
		if (k->type == KT_ENUMSET)
			strcat(range, ", all");
		if (k->type == KT_UINT || k->type == KT_UINTLIST || k->type == KT_SIZE || k->type == KT_BITRATE)
			snprintf(range, sizeof(range), "%llu..%llu", (unsigned long long)k->min,
				 (unsigned long long)k->max);
		iov_tool_key_owners(i, owners, sizeof(owners));
		rc |= iov_buf_printf(out, "| `%s` | %s | %s | %s | %s | %s |\n", k->name, type_names[k->type],
				     k->def ? (k->def[0] ? k->def : "(empty)")
				     : k->optional ? "(unset)" : "**required**",
				     range[0] ? range : "-", k->unit ? k->unit : "-",
				     owners);
	}
	rc |= iov_buf_printf(out, "\n");
	for (int i = 0; i < IOV_KEY_COUNT; i++) {
		rc |= iov_buf_printf(out, "### `%s`\n\n%s", keys[i].name, keys[i].help);
		/* The tool key's text is the tools' own: "A: x, y, or z." */
		for (size_t t = 0; keys[i].type == KT_TOOL && t < iov_tool_count(); t++)
			rc |= iov_buf_printf(out, "%s%s", !t ? ": " : t + 1 < iov_tool_count() ? ", " : ", or ",
					     iov_tool_at(t)->help);
		/* The nic key's likewise: each kind's phrase, then the table of what each one is. */
		for (int n = 0; i == IOV_KEY_NIC && n < IOV_NIC_COUNT; n++)
			rc |= iov_buf_printf(out, "%s%s", !n ? ": " : ", ", iov_nic(n)->help);
		if (i == IOV_KEY_NIC)
			rc |= iov_buf_printf(out, ". `all` selects every kind; the roles (the summary reads each "
						  "kind's figures by it), drivers and guest kinds:\n\n") |
			      iov_nic_reference(out);
		/* the nic key's table ends its own line */
		rc |= iov_buf_printf(out, "%s\n%s", keys[i].type == KT_TOOL ? "." : "", i == IOV_KEY_NIC ? "" : "\n");
	}
	return rc ? -1 : 0;
}

const char *iov_pattern_name(enum iov_pattern pattern)
{
	return pattern_choices[pattern];
}

const char *iov_pattern_short(enum iov_pattern pattern)
{
	return pattern == IOV_PATTERN_GUEST_TO_GUEST ? "g2g" : "g2d";
}

bool iov_workload_key_measured(const char *key)
{
	const struct key_def *k = find_key(key, NULL);

	return !k || k->measured;
}

const char *iov_protocol_name(enum iov_protocol protocol)
{
	return protocol_choices[protocol];
}

const char *iov_workload_key_name(enum iov_workload_key key)
{
	return keys[key].name;
}

unsigned iov_workload_uint(const struct iov_workload *wl, enum iov_workload_key key)
{
	return keys[key].type == KT_UINT ? *(const unsigned *)((const char *)wl + keys[key].offset) : 0;
}
