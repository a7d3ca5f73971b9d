// SPDX-License-Identifier: MIT
/* iperf3.c - iperf3 -J client output parser. */
#include "collect/iperf3.h"

#include <jansson.h>
#include <string.h>

/* Numbers in iperf3 JSON are integers or reals depending on the value; accept both. */
static int get_number(json_t *obj, const char *key, double *out)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

static int get_count(json_t *obj, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int parse_sum(json_t *end, const char *name, double *seconds, uint64_t *bytes, double *bps,
		     struct iov_err *err)
{
	json_t *sum = json_object_get(end, name);

	if (!json_is_object(sum) || get_number(sum, "seconds", seconds) || get_count(sum, "bytes", bytes) ||
	    get_number(sum, "bits_per_second", bps)) {
		iov_err_set(err, "end.%s missing or without seconds/bytes/bits_per_second", name);
		return -1;
	}
	return 0;
}

static int parse_doc(json_t *root, struct iov_iperf3_result *r, struct iov_err *err)
{
	json_t *start, *end, *ts, *v, *sum_received, *sum_sent, *cpu;
	double num;

	if (!json_is_object(root)) {
		iov_err_set(err, "top level is not an object");
		return -1;
	}
	v = json_object_get(root, "error");
	if (v) {
		iov_err_set(err, "iperf3 reported: %s", json_is_string(v) ? json_string_value(v) : "(non-string error)");
		return -1;
	}
	start = json_object_get(root, "start");
	end = json_object_get(root, "end");
	if (!json_is_object(start) || !json_is_object(end)) {
		iov_err_set(err, "no start or end section");
		return -1;
	}
	v = json_object_get(start, "version");
	iov_strlcpy(r->version, json_is_string(v) ? json_string_value(v) : "", sizeof(r->version));
	ts = json_object_get(start, "test_start");
	v = json_object_get(ts, "protocol");
	if (!json_is_string(v)) {
		iov_err_set(err, "start.test_start.protocol missing");
		return -1;
	}
	r->udp = !strcmp(json_string_value(v), "UDP");
	if (!r->udp && strcmp(json_string_value(v), "TCP")) {
		iov_err_set(err, "unsupported protocol '%s'", json_string_value(v));
		return -1;
	}
	if (!get_number(ts, "num_streams", &num))
		r->num_streams = (unsigned)num;
	if (!get_number(ts, "duration", &num))
		r->duration_s = (unsigned)num;
	if (!get_number(ts, "omit", &num))
		r->omit_s = (unsigned)num;
	if (!get_number(ts, "reverse", &num))
		r->reverse = num != 0;

	if (parse_sum(end, "sum_sent", &r->sent_seconds, &r->sent_bytes, &r->sent_bps, err) ||
	    parse_sum(end, "sum_received", &r->received_seconds, &r->received_bytes, &r->received_bps, err))
		return -1;
	sum_sent = json_object_get(end, "sum_sent");
	sum_received = json_object_get(end, "sum_received");
	r->retransmits = -1;
	r->udp_out_of_order = -1;
	if (!r->udp) {
		uint64_t retrans;

		if (!get_count(sum_sent, "retransmits", &retrans))
			r->retransmits = (int64_t)retrans;
	} else {
		uint64_t ooo;

		if (get_count(sum_sent, "packets", &r->udp_packets_sent) ||
		    get_count(sum_received, "packets", &r->udp_packets_expected) ||
		    get_count(sum_received, "lost_packets", &r->udp_packets_lost) ||
		    get_number(sum_received, "lost_percent", &r->udp_lost_pct) ||
		    get_number(sum_received, "jitter_ms", &r->udp_jitter_ms)) {
			iov_err_set(err, "UDP: end.sum_sent/sum_received without packets, lost_packets, "
					 "lost_percent or jitter_ms");
			return -1;
		}
		if (r->udp_packets_lost > r->udp_packets_expected) {
			iov_err_set(err, "UDP: %llu lost of %llu packets", (unsigned long long)r->udp_packets_lost,
				    (unsigned long long)r->udp_packets_expected);
			return -1;
		}
		r->udp_packets_received = r->udp_packets_expected - r->udp_packets_lost;
		/* end.sum carries out_of_order in some versions; absent means unknown, not zero. */
		if (!get_count(json_object_get(end, "sum"), "out_of_order", &ooo))
			r->udp_out_of_order = (int64_t)ooo;
	}
	cpu = json_object_get(end, "cpu_utilization_percent");
	if (get_number(cpu, "host_total", &r->cpu_host_total_pct) ||
	    get_number(cpu, "host_user", &r->cpu_host_user_pct) ||
	    get_number(cpu, "host_system", &r->cpu_host_system_pct) ||
	    get_number(cpu, "remote_total", &r->cpu_remote_total_pct) ||
	    get_number(cpu, "remote_user", &r->cpu_remote_user_pct) ||
	    get_number(cpu, "remote_system", &r->cpu_remote_system_pct)) {
		iov_err_set(err, "end.cpu_utilization_percent missing or incomplete");
		return -1;
	}
	return 0;
}

int iov_iperf3_parse(const char *text, size_t len, struct iov_iperf3_result *r, struct iov_err *err)
{
	json_error_t jerr;
	json_t *root;
	int rc;

	memset(r, 0, sizeof(*r));
	root = json_loadb(text, len, 0, &jerr);
	if (!root) {
		iov_err_set(err, "iperf3 JSON: not a complete document (truncated output?): line %d column %d: %s",
			    jerr.line, jerr.column, jerr.text);
		return -1;
	}
	rc = parse_doc(root, r, err);
	if (rc)
		iov_err_prefix(err, "iperf3 JSON");
	json_decref(root);
	return rc;
}
