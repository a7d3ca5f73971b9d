// SPDX-License-Identifier: MIT
/* fgraph.c - call durations from an ftrace function_graph trace (see fgraph.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/fgraph.h"

static struct iov_fgraph_func *func_slot(struct iov_fgraph *g, const char *name, size_t len,
					 struct iov_err *err)
{
	struct iov_fgraph_func *f;

	for (size_t i = 0; i < g->nfuncs; i++)
		if (strlen(g->funcs[i].name) == len && !strncmp(g->funcs[i].name, name, len))
			return &g->funcs[i];
	if (g->nfuncs == IOV_FGRAPH_MAX_FUNCS) {
		iov_err_set(err, "function_graph trace: more than %d functions", IOV_FGRAPH_MAX_FUNCS);
		return NULL;
	}
	f = &g->funcs[g->nfuncs++];
	iov_strlcpy_n(f->name, sizeof(f->name), name, len);
	return f;
}

/* The called function's name in "name [mod]();" or "} /\* name [mod] *\/". */
static const char *call_name(const char *s, size_t *len)
{
	while (*s == ' ')
		s++;
	if (!strncmp(s, "} /* ", 5))
		s += 5;
	else if (!strstr(s, "();"))
		return NULL; /* an entry "name() {": its duration comes with the closing line */
	*len = strcspn(s, " ([*");
	return *len ? s : NULL;
}

int iov_fgraph_parse(const char *text, struct iov_fgraph *g, struct iov_err *err)
{
	const char *cur = text, *line;
	size_t len;

	memset(g, 0, sizeof(*g));
	while ((line = iov_next_line(&cur, &len))) {
		char buf[512], *us, *bar, *p;
		const char *name;
		struct iov_fgraph_func *f;
		size_t nlen;
		double v;

		if (len == 0 || len >= sizeof(buf) || line[0] == '#')
			continue;
		memcpy(buf, line, len);
		buf[len] = '\0';
		us = strstr(buf, " us ");
		bar = us ? strchr(us, '|') : NULL;
		if (!bar)
			continue;
		/* The duration is the number right before " us", after any !#*@+$ marker. */
		*us = '\0';
		p = strrchr(buf, ' ');
		if (!p || iov_parse_double(p + 1, &v) || v < 0)
			continue;
		name = call_name(bar + 1, &nlen);
		if (!name)
			continue;
		f = func_slot(g, name, nlen, err);
		if (!f) {
			iov_fgraph_free(g);
			return -1;
		}
		if (iov_grow(&f->ns, f->n, &f->cap, sizeof(*f->ns))) {
			iov_fgraph_free(g);
			iov_err_set(err, "out of memory");
			return -1;
		}
		f->ns[f->n++] = v * 1000.0;
	}
	return 0;
}

void iov_fgraph_free(struct iov_fgraph *g)
{
	for (size_t i = 0; i < g->nfuncs; i++)
		free(g->funcs[i].ns);
	memset(g, 0, sizeof(*g));
}
