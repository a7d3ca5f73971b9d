/* SPDX-License-Identifier: MIT */
/*
 * workload.h - workload definitions, driven by one declarative key table.
 *
 * Every key a workload file may set is one row of the table in workload.c (name, type, default,
 * range or choices, unit, whether it changes what is measured, help). That row alone drives
 * parsing, validation, defaults, the JSON record of the parameters, comparisons between runs and
 * the reference that workloads/REFERENCE.md is generated from: adding a key is adding a row and a
 * struct field. Which tools a key applies to, and the tool's own rules, come from the tool's ops
 * (tools/tools.h).
 *
 * A workload file holds one or more sections (see ini.h for the line syntax):
 *
 *   [workload tcp-stream]
 *   tool = iperf3
 *   protocol = tcp
 *   streams = 1
 *
 * Values are layered: table defaults, then the workload file, then a suite, then the command
 * line (iov_workload_set with a different origin each time), and finally iov_workload_validate
 * checks required keys and the rules between keys. Every message reads "file:line: key: problem".
 */
#ifndef IOV_WORKLOAD_H
#define IOV_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "nics/nics.h"
#include "util.h"

/* The traffic tool (iperf3, fio, mailbox): tools/tools.h. */
struct iov_tool_ops;
/* Topology: pairs of guests talk to each other, or every guest talks to the driver domain. */
enum iov_pattern { IOV_PATTERN_GUEST_TO_GUEST, IOV_PATTERN_GUEST_TO_DOMAIN, IOV_PATTERN_COUNT };
/* NIC kinds (vf, vf-inbox, ..., veth): nics/nics.h, one file per kind. */
enum iov_protocol { IOV_PROTO_TCP, IOV_PROTO_UDP };
enum iov_fio_rw { IOV_FIO_WRITE, IOV_FIO_READ };

#define IOV_MAX_GUESTS 7 /* the 82576 (QEMU igb) offers 7 VFs, one per guest */
#define IOV_WORKLOAD_NAME_MAX 64

struct iov_uint_list {
	unsigned n;
	unsigned v[8];
};

/* Where a key's current value came from, for messages. */
struct iov_origin {
	char file[160]; /* "(default)", "workloads/x.workload", "command line" */
	int line;
	bool explicit; /* set by a file or the command line, not by the table default */
};

enum iov_workload_key {
	IOV_KEY_DESCRIPTION,
	IOV_KEY_TOOL,
	IOV_KEY_PATTERN,
	IOV_KEY_GUESTS,
	IOV_KEY_NIC,
	IOV_KEY_GUEST_KIND,
	IOV_KEY_REPS,
	IOV_KEY_DURATION_S,
	IOV_KEY_OMIT_S,
	IOV_KEY_INTERLEAVE,
	IOV_KEY_PROTOCOL,
	IOV_KEY_STREAMS,
	IOV_KEY_UDP_DATAGRAM_BYTES,
	IOV_KEY_BITRATE,
	IOV_KEY_REVERSE,
	IOV_KEY_IPERF3_CLIENT_CPU,
	IOV_KEY_IPERF3_SERVER_CPU,
	IOV_KEY_INSTR_TOGGLE_S,
	IOV_KEY_HOSTILE_VF_TOGGLE_S,
	IOV_KEY_HOSTILE_VF_SPIN_TOGGLE_S,
	IOV_KEY_VF_FLR_TOGGLE_S,
	IOV_KEY_PF_LINK_TOGGLE_S,
	IOV_KEY_FIO_RW,
	IOV_KEY_FIO_BS,
	IOV_KEY_FIO_IODEPTH,
	IOV_KEY_FIO_NUMJOBS,
	IOV_KEY_FIO_PINGPONG,
	IOV_KEY_FIO_NODELAY,
	IOV_KEY_MBX_REQUESTS,
	IOV_KEY_COUNT
};

struct iov_workload {
	char name[IOV_WORKLOAD_NAME_MAX];
	char file[160]; /* file and line of the [workload NAME] header */
	int line;

	char description[256];
	const struct iov_tool_ops *tool; /* NULL until `tool` is set */
	unsigned pattern_mask;	/* 1 << enum iov_pattern */
	struct iov_uint_list guests;
	unsigned nic_mask;	/* 1 << enum iov_nic */
	int guest_kind;		/* enum iov_guest_kind (guests/guests.h) */
	unsigned reps;
	unsigned duration_s;
	unsigned omit_s;
	unsigned interleave_mask; /* 1 << enum iov_nic: kinds measured repetition by repetition */
	int protocol;		/* enum iov_protocol */
	unsigned streams;
	uint64_t udp_datagram_bytes; /* optional: 0 while unset (iperf3 picks) */
	uint64_t bitrate_bps;	     /* 0 = unlimited */
	bool reverse;
	unsigned iperf3_client_cpu; /* valid when set explicitly (iov_workload_is_set) */
	unsigned iperf3_server_cpu;
	unsigned instr_toggle_s; /* 0: off */
	unsigned hostile_vf_toggle_s; /* 0: off */
	unsigned hostile_vf_spin_toggle_s; /* 0: off */
	unsigned vf_flr_toggle_s; /* 0: off */
	unsigned pf_link_toggle_s; /* 0: off */
	int fio_rw;		/* enum iov_fio_rw */
	uint64_t fio_bs;
	unsigned fio_iodepth;
	unsigned fio_numjobs;
	bool fio_pingpong;
	bool fio_nodelay;
	unsigned mbx_requests;

	struct iov_origin origin[IOV_KEY_COUNT];
};

/* Fill name and every default of the table; "(default)" origins. */
void iov_workload_init(struct iov_workload *wl, const char *name, const char *file, int line);

/* Set one key from text; errors read "file:line: key: message". */
int iov_workload_set(struct iov_workload *wl, const char *key, const char *value, const char *file,
		     int line, struct iov_err *err);

/* Required keys present, keys fit the tool, rules between keys hold. */
int iov_workload_validate(const struct iov_workload *wl, struct iov_err *err);

/*
 * Error located where key was set (or at the workload header when it never was): "file:line:
 * key: problem". Returns -1. For the tools' validate.
 */
int iov_workload_key_error(const struct iov_workload *wl, enum iov_workload_key key, struct iov_err *err,
			   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Was this key set explicitly (file, suite or command line)? Unknown key names: false. */
bool iov_workload_is_set(const struct iov_workload *wl, const char *key);

/*
 * Parse every [workload NAME] section of a file, each validated on its own; other section
 * kinds are an error. *out is a malloc'ed array of *n workloads.
 */
int iov_workload_parse(const char *file, const char *text, struct iov_workload **out, size_t *n,
		       struct iov_err *err);
int iov_workload_load(const char *path, struct iov_workload **out, size_t *n, struct iov_err *err);

/* Every parameter (all keys, unset optional ones as null) plus "name": for the result document. */
json_t *iov_workload_to_json(const struct iov_workload *wl);

/* Markdown reference of the file format and every key: the content of workloads/REFERENCE.md. */
int iov_workload_reference(struct iov_buf *out);

/* Names used in files, ids and results. */
const char *iov_pattern_name(enum iov_pattern pattern);
const char *iov_pattern_short(enum iov_pattern pattern); /* "g2g", "g2d" */
/*
 * Does this member of a result's workload record change what is measured (the key table's
 * .measured)? Repetitions, NIC kinds, guest counts, patterns, interleaving and the description
 * choose or label experiments: runs that differ only there measured the same thing. Names that
 * are no key (the workload's "name", keys of other versions) count, to be safe.
 */
bool iov_workload_key_measured(const char *key);
const char *iov_protocol_name(enum iov_protocol protocol);
const char *iov_workload_key_name(enum iov_workload_key key);
/* The value of a whole-number key (type uint in the reference); 0 for a key of another type. */
unsigned iov_workload_uint(const struct iov_workload *wl, enum iov_workload_key key);

#endif
