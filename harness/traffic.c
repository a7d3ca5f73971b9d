// SPDX-License-Identifier: MIT
/* traffic.c - workload + topology -> the shell of a repetition, the tool's parts from its ops (traffic.h). */
#include <stdio.h>
#include <string.h>

#include "traffic.h"
#include "toggles/toggles.h"
#include "tools/tools.h"

/* The line has exactly the link's 8 fields after "guest", none cut by its width (a cut one would
 * spill into the next). */
static bool fields_whole(const char *line, const struct traffic_link *l)
{
	const char *const f[] = { "guest", l->ns,      l->dev,	     l->addr,	   l->bdf,
				  l->peer_ns, l->peer_dev, l->peer_addr, l->peer_bdf };
	char words[512], *save = NULL, *w = words;
	size_t i = 0;

	iov_strlcpy(words, line, sizeof(words));
	for (char *tok; (tok = strtok_r(w, " \t", &save)); w = NULL)
		if (i == IOV_ARRAY_SIZE(f) || strcmp(tok, f[i++]))
			return false;
	return i == IOV_ARRAY_SIZE(f);
}

int traffic_parse_topology(const char *text, struct traffic_link *links, size_t max, size_t *n,
			   struct iov_err *err)
{
	const char *cur = text, *line;
	size_t len;

	*n = 0;
	while ((line = iov_next_line(&cur, &len))) {
		struct traffic_link *l;
		char buf[512];

		if (len < 6 || strncmp(line, "guest ", 6))
			continue;
		if (*n == max) {
			iov_err_set(err, "topology: more than %zu links", max);
			return -1;
		}
		l = &links[*n];
		memset(l, 0, sizeof(*l));
		iov_strlcpy_n(buf, sizeof(buf), line, len);
		if (sscanf(buf, "guest %15s %31s %19s %31s %15s %31s %19s %31s", l->ns, l->dev, l->addr,
			   l->bdf, l->peer_ns, l->peer_dev, l->peer_addr, l->peer_bdf) != 8 ||
		    !fields_whole(buf, l)) {
			iov_err_set(err, "topology: malformed line '%s'", buf);
			return -1;
		}
		snprintf(l->instance, sizeof(l->instance), "%s-%s", l->ns,
			 strcmp(l->peer_ns, "-") ? l->peer_ns : "domain");
		(*n)++;
	}
	if (*n == 0) {
		iov_err_set(err, "topology: no guest links in the output");
		return -1;
	}
	return 0;
}

const char *traffic_in_ns(const char *ns, char *buf, size_t len)
{
	if (!strcmp(ns, "-"))
		return "";
	snprintf(buf, len, "iov_in %s ", ns);
	return buf;
}

int traffic_servers_script(const struct iov_workload *wl, const struct traffic_link *links,
			   size_t n, struct iov_buf *out)
{
	if (wl->tool->servers && wl->tool->servers(wl, links, n, out))
		return -1;
	return iov_buf_ok(out, NULL);
}

/* A toggle over the measured time, in the background. */
static int toggle_script(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
			 const struct iov_toggle_ops *toggle, struct iov_buf *out)
{
	/* half a second off each end of the measured time: the tools' own start and stop */
	if (iov_buf_printf(out, "( sleep %u.5; iov_toggle %s %u %u %s/%s", wl->omit_s, toggle->switch_fn,
			   iov_workload_uint(wl, toggle->key), wl->duration_s - 1, TRAFFIC_OUTDIR, toggle->file))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (iov_buf_printf(out, " %s/%s", wl->reverse ? links[i].ns : links[i].peer_ns,
				   wl->reverse ? links[i].dev : links[i].peer_dev))
			return -1;
	return iov_buf_printf(out, " ) &\ntoggler=$!\n");
}

int traffic_rep_script(const struct iov_workload *wl, const struct traffic_link *links, size_t n,
		       const struct iov_toggle_ops *toggle, struct iov_buf *out)
{
	const struct iov_tool_ops *tool = wl->tool;

	if (iov_buf_printf(out, "rm -rf %s && mkdir -p %s\nlisteners= clients=\n", TRAFFIC_OUTDIR,
			   TRAFFIC_OUTDIR))
		return -1;
	if (tool->rep_setup && tool->rep_setup(wl, links, n, out))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (iov_buf_printf(out, "( ") || tool->client(wl, &links[i], i, out) ||
		    iov_buf_printf(out,
				   " >%s/client-%zu.out 2>%s/client-%zu.err; echo $? >%s/client-%zu.rc ) &\n"
				   "clients=\"$clients $!\"\n",
				   TRAFFIC_OUTDIR, i, TRAFFIC_OUTDIR, i, TRAFFIC_OUTDIR, i))
			return -1;
	if (toggle && toggle_script(wl, links, n, toggle, out))
		return -1;
	/* Wait for the clients (and the toggler) only: what the tool left running, it stops. */
	if (iov_buf_printf(out, "wait $clients%s\n", toggle ? " $toggler" : "") ||
	    (tool->rep_cleanup && tool->rep_cleanup(wl, links, n, out)))
		return -1;
	/* the one check of the whole script: a failed append anywhere leaves the buffer failed */
	return iov_buf_ok(out, NULL);
}

int traffic_rep_timeout_s(const struct iov_workload *wl)
{
	return (int)wl->tool->rep_seconds(wl) + 90;
}
