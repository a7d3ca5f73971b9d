// SPDX-License-Identifier: MIT
/* report/writer.c - the report's HTML and Markdown writer: paragraphs, headings, tables, figures (internal.h). */
#include "internal.h"

#include "result.h"

#include <stdio.h>
#include <string.h>

/* ---- text helpers ---- */

void rpt_html_esc(struct iov_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': iov_buf_printf(b, "&lt;"); break;
		case '>': iov_buf_printf(b, "&gt;"); break;
		case '&': iov_buf_printf(b, "&amp;"); break;
		case '"': iov_buf_printf(b, "&quot;"); break;
		default: iov_buf_append(b, s, 1);
		}
	}
}

void rpt_md_esc(struct iov_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\n' || *s == '\r') { /* a line break would end a table row */
			iov_buf_append(b, " ", 1);
			continue;
		}
		if (strchr("|*_`<>[]\\", *s))
			iov_buf_append(b, "\\", 1);
		iov_buf_append(b, s, 1);
	}
}

/* A paragraph in both outputs; text is plain (escaped for each). */
void rpt_para(struct report *r, const char *text)
{
	iov_buf_printf(&r->html, "<p>");
	rpt_html_esc(&r->html, text);
	iov_buf_printf(&r->html, "</p>\n");
	rpt_md_esc(&r->md, text);
	iov_buf_printf(&r->md, "\n\n");
}

void rpt_heading(struct report *r, int level, const char *text, const char *anchor)
{
	iov_buf_printf(&r->html, "<h%d id=\"%s\">", level, anchor);
	rpt_html_esc(&r->html, text);
	iov_buf_printf(&r->html, "</h%d>\n", level);
	iov_buf_printf(&r->md, "%.*s ", level, "######");
	rpt_md_esc(&r->md, text);
	iov_buf_printf(&r->md, "\n\n");
}

/* Tables: header then rows of cells; the caption goes above, as in a thesis. */
void rpt_table_begin(struct report *r, const char *caption, const char *const *head, size_t ncol)
{
	char cap[512];

	r->tables++;
	snprintf(cap, sizeof(cap), "Table %u: %s", r->tables, caption);
	iov_buf_printf(&r->html, "<table id=\"table-%u\">\n<caption>", r->tables);
	rpt_html_esc(&r->html, cap);
	iov_buf_printf(&r->html, "</caption>\n<thead><tr>");
	for (size_t i = 0; i < ncol; i++) {
		iov_buf_printf(&r->html, "<th>");
		rpt_html_esc(&r->html, head[i]);
		iov_buf_printf(&r->html, "</th>");
	}
	iov_buf_printf(&r->html, "</tr></thead>\n<tbody>\n");
	iov_buf_printf(&r->md, "**");
	rpt_md_esc(&r->md, cap);
	iov_buf_printf(&r->md, "**\n\n|");
	for (size_t i = 0; i < ncol; i++) {
		iov_buf_printf(&r->md, " ");
		rpt_md_esc(&r->md, head[i]);
		iov_buf_printf(&r->md, " |");
	}
	iov_buf_printf(&r->md, "\n|");
	for (size_t i = 0; i < ncol; i++)
		iov_buf_printf(&r->md, "%s|", i ? "---:" : "---");
	iov_buf_printf(&r->md, "\n");
}

/* cls: CSS class of the row's last cell ("" for none): "regressed", "improved". */
void rpt_table_row(struct report *r, const char *const *cells, size_t ncol, const char *cls)
{
	iov_buf_printf(&r->html, "<tr>");
	for (size_t i = 0; i < ncol; i++) {
		if (i == ncol - 1 && cls && *cls)
			iov_buf_printf(&r->html, "<td class=\"%s\">", cls);
		else
			iov_buf_printf(&r->html, "<td>");
		rpt_html_esc(&r->html, cells[i]);
		iov_buf_printf(&r->html, "</td>");
	}
	iov_buf_printf(&r->html, "</tr>\n");
	iov_buf_printf(&r->md, "|");
	for (size_t i = 0; i < ncol; i++) {
		iov_buf_printf(&r->md, " ");
		rpt_md_esc(&r->md, cells[i]);
		iov_buf_printf(&r->md, " |");
	}
	iov_buf_printf(&r->md, "\n");
}

void rpt_table_end(struct report *r)
{
	iov_buf_printf(&r->html, "</tbody>\n</table>\n");
	iov_buf_printf(&r->md, "\n");
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(struct iov_buf *b, const unsigned char *d, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);
		char out[4] = { b64[v >> 18 & 63], b64[v >> 12 & 63], i + 1 < n ? b64[v >> 6 & 63] : '=',
				i + 2 < n ? b64[v & 63] : '=' };

		iov_buf_append(b, out, 4);
	}
}

/* ---- figures ---- */

void rpt_figure(struct report *r, const char *name, const char *title, const char *caption)
{
	char path[PATH_MAX + 64], text[1024];
	size_t len;
	char *svg;

	r->figures++;
	if (r->figures < IOV_ARRAY_SIZE(r->fig_title))
		iov_strlcpy(r->fig_title[r->figures], title, sizeof(r->fig_title[0]));
	snprintf(text, sizeof(text), "Figure %u: %s", r->figures, caption);
	snprintf(path, sizeof(path), "%s/%s.svg", r->fig_dir, name);
	svg = iov_read_file(path, &len, NULL);
	iov_buf_printf(&r->html, "<figure id=\"figure-%u\">\n<img alt=\"", r->figures);
	rpt_html_esc(&r->html, text);
	iov_buf_printf(&r->html, "\" src=\"data:image/svg+xml;base64,");
	if (svg)
		base64(&r->html, (const unsigned char *)svg, len);
	iov_buf_printf(&r->html, "\">\n<figcaption>");
	rpt_html_esc(&r->html, text);
	iov_buf_printf(&r->html, "</figcaption>\n</figure>\n");
	free(svg);
	iov_buf_printf(&r->md, "![");
	rpt_md_esc(&r->md, text);
	iov_buf_printf(&r->md, "](figures/%s.png)\n\n*", name);
	rpt_md_esc(&r->md, text);
	iov_buf_printf(&r->md, "* (figures/%s.svg)\n\n", name);
}

void rpt_no_figure(struct report *r, const char *what, const char *why)
{
	char text[768];

	snprintf(text, sizeof(text), "No figure for %s: %s", what, why);
	iov_buf_printf(&r->html, "<p class=\"nodata\">");
	rpt_html_esc(&r->html, text);
	iov_buf_printf(&r->html, "</p>\n");
	iov_buf_printf(&r->md, "> ");
	rpt_md_esc(&r->md, text);
	iov_buf_printf(&r->md, "\n\n");
}

void rpt_plot_failed(struct report *r, const char *what, const struct iov_err *err)
{
	rpt_no_figure(r, what, err->msg);
}

/* Put a paragraph that names the entry's figures before them (known only once drawn). */
void rpt_refer_to_figures(struct report *r, const char *entry, unsigned first, size_t html_at, size_t md_at)
{
	struct iov_buf text = { 0 }, html_tail = { 0 }, md_tail = { 0 };

	if (first > r->figures)
		return;
	iov_buf_printf(&text, "For %s, ", entry);
	for (unsigned f = first; f <= r->figures && f < IOV_ARRAY_SIZE(r->fig_title); f++) {
		/* Titles are "ENTRY: what" or "ENTRY, PATTERN: what": say "what (PATTERN)". */
		const char *t = r->fig_title[f], *what = strstr(t, ": ");
		size_t elen = strlen(entry);

		iov_buf_printf(&text, "%sFigure %u shows ", f == first ? "" : f == r->figures ? " and " : ", ", f);
		if (what && !strncmp(t, entry, elen) && t[elen] == ',')
			iov_buf_printf(&text, "%s (%.*s)", what + 2, (int)(what - t - elen - 2), t + elen + 2);
		else
			iov_buf_printf(&text, "%s", what ? what + 2 : t);
	}
	iov_buf_printf(&text, ".");
	iov_buf_append(&html_tail, r->html.data + html_at, r->html.len - html_at);
	iov_buf_append(&md_tail, r->md.data + md_at, r->md.len - md_at);
	r->html.len = html_at;
	r->html.data[html_at] = '\0';
	r->md.len = md_at;
	r->md.data[md_at] = '\0';
	rpt_para(r, text.data);
	iov_buf_append(&r->html, html_tail.data ?: "", html_tail.len);
	iov_buf_append(&r->md, md_tail.data ?: "", md_tail.len);
	iov_buf_free(&text);
	iov_buf_free(&html_tail);
	iov_buf_free(&md_tail);
}

const char *rpt_jstr(json_t *o, const char *key)
{
	return iov_jstr(o, key) ?: "";
}
