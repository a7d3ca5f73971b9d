/* SPDX-License-Identifier: MIT */
/*
 * fgraph.h - durations of function calls from an ftrace function_graph trace (depth 1), as
 * guest-lib's iov_fgraph_start/stop records them: one duration per call, entry to return,
 * sleeping included. Lines look like
 *    1) ! 411.729 us  |  e1000_update_mc_addr_list_vf [igbvf]();
 * or, when a call's entry and return were printed apart (it slept and others ran),
 *    0) * 10149.10 us |  } /\* iovvf_mbx_request [iovvf] *\/
 */
#ifndef IOV_COLLECT_FGRAPH_H
#define IOV_COLLECT_FGRAPH_H

#include <stddef.h>

#include "util.h"

#define IOV_FGRAPH_MAX_FUNCS 8

struct iov_fgraph_func {
	char name[64]; /* without the [module] suffix */
	size_t n, cap;
	double *ns;    /* one duration per call, in trace order */
};

struct iov_fgraph {
	size_t nfuncs;
	struct iov_fgraph_func funcs[IOV_FGRAPH_MAX_FUNCS];
};

/* Parse a trace; lines that are not completed calls (headers, task switches) are skipped. */
int iov_fgraph_parse(const char *text, struct iov_fgraph *g, struct iov_err *err);
void iov_fgraph_free(struct iov_fgraph *g);

#endif
