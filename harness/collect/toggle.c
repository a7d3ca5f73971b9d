// SPDX-License-Identifier: MIT
/* toggle.c - on/off ratios from a toggle's segments (toggle.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/toggle.h"

#define MAX_SAMPLES 4096

struct sample {
	int state; /* 1 on, 0 off, -1 end */
	double t, bytes;
};

static int parse_samples(const char *text, struct sample *s, size_t *ns, struct iov_err *err)
{
	const char *cur = text, *line;
	size_t len;

	*ns = 0;
	while ((line = iov_next_line(&cur, &len))) {
		char buf[128], state[8], extra[2];
		struct sample *x = &s[*ns];

		if (!len)
			continue;
		if (*ns && s[*ns - 1].state < 0) {
			iov_err_set(err, "toggle: a line after \"end\"");
			return -1;
		}
		if (*ns == MAX_SAMPLES) {
			iov_err_set(err, "toggle: more than %d samples", MAX_SAMPLES);
			return -1;
		}
		iov_strlcpy_n(buf, sizeof(buf), line, len);
		if (sscanf(buf, "%7s %lf %lf %1s", state, &x->t, &x->bytes, extra) != 3 ||
		    (strcmp(state, "0") && strcmp(state, "1") && strcmp(state, "end"))) {
			iov_err_set(err, "toggle: malformed line '%s'", buf);
			return -1;
		}
		x->state = !strcmp(state, "end") ? -1 : state[0] - '0';
		if (*ns) {
			const struct sample *p = &s[*ns - 1];

			if (x->t <= p->t || x->bytes < p->bytes) {
				iov_err_set(err, "toggle: time or bytes going backwards at '%s'", buf);
				return -1;
			}
			if (x->state >= 0 && x->state == p->state) {
				iov_err_set(err, "toggle: state %d twice in a row", x->state);
				return -1;
			}
		}
		(*ns)++;
	}
	if (!*ns || s[*ns - 1].state >= 0) {
		iov_err_set(err, "toggle: no \"end\" line (the toggler did not finish)");
		return -1;
	}
	return 0;
}

int iov_toggle_ratios(const char *text, double **ratios, size_t *n, struct iov_err *err)
{
	struct sample *s = malloc(MAX_SAMPLES * sizeof(*s));
	size_t ns, segs;
	double *r;
	int rc = -1;

	if (!s) {
		iov_err_set(err, "out of memory");
		return -1;
	}
	if (parse_samples(text, s, &ns, err))
		goto out;
	segs = ns - 1;
	r = realloc(*ratios, (*n + segs / 3 + 1) * sizeof(*r));
	if (!r) {
		iov_err_set(err, "out of memory");
		goto out;
	}
	*ratios = r;
	for (size_t j = 0; j + 2 < segs; j += 3) {
		double rate[3];

		for (int k = 0; k < 3; k++)
			rate[k] = (s[j + k + 1].bytes - s[j + k].bytes) / (s[j + k + 1].t - s[j + k].t);
		if (rate[0] + rate[2] <= 0 || rate[1] <= 0) {
			iov_err_set(err, "toggle: a segment without traffic (segments %zu-%zu)",
				    j, j + 2);
			goto out;
		}
		r[(*n)++] = s[j + 1].state ? rate[1] / ((rate[0] + rate[2]) / 2)
					   : ((rate[0] + rate[2]) / 2) / rate[1];
	}
	rc = 0;
out:
	free(s);
	return rc;
}
