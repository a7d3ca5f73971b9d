// SPDX-License-Identifier: MIT
/* plot.c - gnuplot figures, PNG and SVG from one script per figure (plot.h). */
#include "plot.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

bool iov_plot_available(void)
{
	const char *path = getenv("PATH");
	char *copy, *save = NULL, *dir;
	bool found = false;

	if (!path)
		return false;
	copy = strdup(path);
	for (dir = strtok_r(copy, ":", &save); copy && dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char exe[4096];

		snprintf(exe, sizeof(exe), "%s/gnuplot", dir);
		found = access(exe, X_OK) == 0;
	}
	free(copy);
	return found;
}

/*
 * gnuplot string literal: single quotes (gnuplot expands backquotes only outside them), a quote
 * doubled inside, control characters as spaces (a newline would end the command).
 */
static void gp_str(struct iov_buf *b, const char *s)
{
	iov_buf_append(b, "'", 1);
	for (; *s; s++)
		if (*s == '\'')
			iov_buf_append(b, "''", 2);
		else
			iov_buf_append(b, iscntrl((unsigned char)*s) ? " " : s, 1);
	iov_buf_append(b, "'", 1);
}

/*
 * A string column of an inline data block: double quotes, in which a data line has no escape,
 * so a double quote becomes a single one; control characters as spaces, so that no text can end
 * the block ("EOD" on a line of its own). Data lines are not subject to backquote substitution.
 */
static void gp_data_str(struct iov_buf *b, const char *s)
{
	iov_buf_append(b, "\"", 1);
	for (; *s; s++)
		iov_buf_append(b, *s == '"' ? "'" : iscntrl((unsigned char)*s) ? " " : s, 1);
	iov_buf_append(b, "\"", 1);
}

/* Okabe-Ito colours: distinguishable with colour-blindness, printed in grey. */
static const char *const colours[] = { "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442" };

static void preamble(struct iov_buf *b, const struct iov_figure *fig)
{
	iov_buf_printf(b, "# Written by iovbench report; re-plot with: gnuplot %s.gp\n", fig->name);
	iov_buf_printf(b, "set encoding utf8\nset title ");
	gp_str(b, fig->title);
	iov_buf_printf(b, "\nset xlabel ");
	gp_str(b, fig->xlabel);
	iov_buf_printf(b, "\nset ylabel ");
	gp_str(b, fig->ylabel);
	iov_buf_printf(b, "\nset grid ytics lc rgb '#dddddd'\nset key outside right top box opaque\n"
			  "set border 3\nset tics nomirror\n");
	if (!isnan(fig->ymin) || !isnan(fig->ymax)) {
		char lo[32] = "*", hi[32] = "*";

		if (!isnan(fig->ymin))
			snprintf(lo, sizeof(lo), "%.17g", fig->ymin);
		if (!isnan(fig->ymax))
			snprintf(hi, sizeof(hi), "%.17g", fig->ymax);
		iov_buf_printf(b, "set yrange [%s:%s]\n", lo, hi);
	}
}

/* Render the plot commands twice: PNG for the Markdown report, SVG for the HTML one. */
static void render_both(struct iov_buf *b, const struct iov_figure *fig, const char *plot_cmd)
{
	char out[IOV_NAME_MAX + 8];

	snprintf(out, sizeof(out), "%s.png", fig->name);
	iov_buf_printf(b, "set terminal pngcairo size 1000,560 font 'DejaVu Sans,12' noenhanced\nset output ");
	gp_str(b, out);
	iov_buf_printf(b, "\n%s\n", plot_cmd);
	snprintf(out, sizeof(out), "%s.svg", fig->name);
	iov_buf_printf(b, "set terminal svg size 1000,560 dynamic font 'DejaVu Sans,12' noenhanced\nset output ");
	gp_str(b, out);
	iov_buf_printf(b, "\nreplot\nset output\n");
}

static int run_gnuplot(const struct iov_figure *fig, const struct iov_buf *script, struct iov_err *err)
{
	char path[4096], log[4096];
	int status;
	pid_t pid;

	/* The name is a file name in fig->dir and is written into the script. */
	if (!iov_plain_name(fig->name)) {
		iov_err_set(err, "plot: figure name '%.80s' is not a plain name (A-Z a-z 0-9 _ . -)", fig->name);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s.gp", fig->dir, fig->name);
	if (iov_write_file_atomic(path, script->data, script->len, err))
		return -1;
	snprintf(log, sizeof(log), "%s/%s.gnuplot.log", fig->dir, fig->name);
	pid = fork();
	if (pid < 0) {
		iov_err_set(err, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (chdir(fig->dir) == 0) {
			char gp[512];

			snprintf(gp, sizeof(gp), "%s.gp", fig->name);
			execlp("gnuplot", "gnuplot", gp, (char *)NULL);
		}
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		char *out = iov_read_file(log, NULL, NULL);

		iov_err_set(err, "gnuplot %s.gp failed: %.300s", fig->name, out ? out : "(no output)");
		free(out);
		return -1;
	}
	unlink(log);
	return 0;
}

/* Unique strings in first-seen order. */
static size_t index_of(const char **list, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i], s))
			return i;
	list[*n] = s;
	return (*n)++;
}

int iov_plot_bars(const struct iov_figure *fig, const struct iov_bar *bars, size_t n, struct iov_err *err)
{
	const char **cats = calloc(n + 1, sizeof(*cats)), **series = calloc(n + 1, sizeof(*series));
	struct iov_buf b = { 0 }, cmd = { 0 };
	size_t ncat = 0, nser = 0;
	double width;
	int rc = -1;

	if (!cats || !series || !n) {
		iov_err_set(err, "plot %s: no data", fig->name);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		index_of(cats, &ncat, bars[i].category);
		index_of(series, &nser, bars[i].series);
	}
	width = 0.8 / (double)nser;
	preamble(&b, fig);
	iov_buf_printf(&b, "set style fill solid 0.85 border -1\nset boxwidth %.4f absolute\nset xrange [-0.6:%.1f]\n",
		       width, (double)ncat - 0.4);
	iov_buf_printf(&b, "set yrange [0:*]\nset xtics (");
	for (size_t c = 0; c < ncat; c++) {
		iov_buf_printf(&b, "%s", c ? ", " : "");
		gp_str(&b, cats[c]);
		iov_buf_printf(&b, " %zu", c);
	}
	iov_buf_printf(&b, ")%s\n", ncat > 6 ? " rotate by -35\nset bmargin 9" : "");
	if (!isnan(fig->ymax))
		iov_buf_printf(&b, "set yrange [0:%.17g]\n", fig->ymax);
	for (size_t s = 0; s < nser; s++) {
		iov_buf_printf(&b, "$s%zu << EOD\n", s);
		for (size_t i = 0; i < n; i++) {
			size_t c = 0;

			if (strcmp(bars[i].series, series[s]))
				continue;
			while (strcmp(cats[c], bars[i].category))
				c++;
			iov_buf_printf(&b, "%.6f %.17g %.17g\n", (double)c + ((double)s - (double)(nser - 1) / 2) * width,
				       bars[i].value, isnan(bars[i].err) ? 0.0 : bars[i].err);
		}
		iov_buf_printf(&b, "EOD\n");
	}
	iov_buf_printf(&cmd, "plot ");
	for (size_t s = 0; s < nser; s++) {
		iov_buf_printf(&cmd, "%s$s%zu using 1:2:3 with boxerrorbars lc rgb '%s' title ", s ? ", " : "", s,
			       colours[s % IOV_ARRAY_SIZE(colours)]);
		gp_str(&cmd, series[s]);
	}
	render_both(&b, fig, cmd.data);
	/* a script cut short by a failed append would draw the wrong figure */
	rc = iov_buf_ok(&b, err) || iov_buf_ok(&cmd, err) ? -1 : run_gnuplot(fig, &b, err);
out:
	free(cats);
	free(series);
	iov_buf_free(&b);
	iov_buf_free(&cmd);
	return rc;
}

static int cmp_x(const void *a, const void *b)
{
	const struct iov_point *p = a, *q = b;

	return (p->x > q->x) - (p->x < q->x);
}

int iov_plot_lines(const struct iov_figure *fig, const struct iov_point *pts, size_t n, struct iov_err *err)
{
	const char **series = calloc(n + 1, sizeof(*series));
	struct iov_point *sorted = malloc((n + 1) * sizeof(*sorted));
	struct iov_buf b = { 0 }, cmd = { 0 };
	size_t nser = 0;
	int rc = -1;

	if (!series || !sorted || !n) {
		iov_err_set(err, "plot %s: no data", fig->name);
		goto out;
	}
	memcpy(sorted, pts, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_x);
	for (size_t i = 0; i < n; i++)
		index_of(series, &nser, pts[i].series);
	preamble(&b, fig);
	/* Long series names would squeeze the plot from the side: put the legend under it. */
	for (size_t i = 0, longest = 0; i < nser; i++) {
		if (strlen(series[i]) > longest && (longest = strlen(series[i])) > 20) {
			size_t rows = nser > 4 ? (nser + 1) / 2 : nser;

			iov_buf_printf(&b, "set key at screen 0.5, screen 0.02 center bottom vertical maxrows %zu\n"
					   "set bmargin %zu\n",
				       rows, 5 + rows + rows / 3);
			break;
		}
	}
	if (fig->logx)
		iov_buf_printf(&b, "set logscale x 2\nset format x '%%.0s%%c'\n");
	else
		iov_buf_printf(&b, "set xtics 1\nset offsets 0.3, 0.3, 0, 0\n");
	if (isnan(fig->ymin) && isnan(fig->ymax))
		iov_buf_printf(&b, "set yrange [0:*]\n");
	for (size_t s = 0; s < nser; s++) {
		iov_buf_printf(&b, "$s%zu << EOD\n", s);
		for (size_t i = 0; i < n; i++)
			if (!strcmp(sorted[i].series, series[s]))
				iov_buf_printf(&b, "%.17g %.17g %.17g\n", sorted[i].x, sorted[i].y,
					       isnan(sorted[i].err) ? 0.0 : sorted[i].err);
		iov_buf_printf(&b, "EOD\n");
	}
	iov_buf_printf(&cmd, "plot ");
	for (size_t s = 0; s < nser; s++) {
		const char *c = colours[s % IOV_ARRAY_SIZE(colours)];

		if (fig->steps)
			iov_buf_printf(&cmd, "%s$s%zu using 1:2 with points pt 7 ps 1.2 lc rgb '%s' notitle, $s%zu using 1:2 "
					     "with steps lw 2 lc rgb '%s' title ",
				       s ? ", " : "", s, c, s, c);
		else
			iov_buf_printf(&cmd, "%s$s%zu using 1:2:3 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '%s' title ",
				       s ? ", " : "", s, c);
		gp_str(&cmd, series[s]);
	}
	render_both(&b, fig, cmd.data);
	/* a script cut short by a failed append would draw the wrong figure */
	rc = iov_buf_ok(&b, err) || iov_buf_ok(&cmd, err) ? -1 : run_gnuplot(fig, &b, err);
out:
	free(series);
	free(sorted);
	iov_buf_free(&b);
	iov_buf_free(&cmd);
	return rc;
}

int iov_plot_stacked(const struct iov_figure *fig, const char *const *categories, size_t ncat,
		     const char *const *part_names, size_t nparts, const double *values, struct iov_err *err)
{
	struct iov_buf b = { 0 }, cmd = { 0 };
	int rc;

	if (!ncat || !nparts) {
		iov_err_set(err, "plot %s: no data", fig->name);
		return -1;
	}
	preamble(&b, fig);
	iov_buf_printf(&b, "set style data histograms\nset style histogram rowstacked\n"
			  "set style fill solid 0.85 border -1\nset boxwidth 0.7\nset yrange [0:100]\n");
	iov_buf_printf(&b, "set key outside top center horizontal\n");
	if (ncat > 6)
		iov_buf_printf(&b, "set xtics rotate by -35\nset bmargin 9\nset rmargin 10\n");
	iov_buf_printf(&b, "$d << EOD\n");
	for (size_t c = 0; c < ncat; c++) {
		gp_data_str(&b, categories[c]); /* column 1, the x tic label */
		for (size_t p = 0; p < nparts; p++)
			iov_buf_printf(&b, " %.17g", values[c * nparts + p]);
		iov_buf_printf(&b, "\n");
	}
	iov_buf_printf(&b, "EOD\n");
	iov_buf_printf(&cmd, "plot ");
	for (size_t p = 0; p < nparts; p++) {
		iov_buf_printf(&cmd, "%s$d using %zu%s lc rgb '%s' title ", p ? ", " : "", p + 2, p ? "" : ":xtic(1)",
			       colours[p % IOV_ARRAY_SIZE(colours)]);
		gp_str(&cmd, part_names[p]);
	}
	render_both(&b, fig, cmd.data);
	/* a script cut short by a failed append would draw the wrong figure */
	rc = iov_buf_ok(&b, err) || iov_buf_ok(&cmd, err) ? -1 : run_gnuplot(fig, &b, err);
	iov_buf_free(&b);
	iov_buf_free(&cmd);
	return rc;
}
