// SPDX-License-Identifier: MIT
/* report/pdf.c - the PDF, printed by headless Chromium (internal.h). */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- PDF ---- */

static const char *find_browser(void)
{
	static const char *const names[] = { "chromium", "chromium-browser", "google-chrome" };
	static char found[PATH_MAX];
	const char *path = getenv("PATH");

	for (size_t i = 0; path && i < IOV_ARRAY_SIZE(names); i++) {
		char *copy = strdup(path), *save = NULL;

		for (char *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir; dir = strtok_r(NULL, ":", &save)) {
			snprintf(found, sizeof(found), "%s/%s", dir, names[i]);
			if (access(found, X_OK) == 0) {
				free(copy);
				return found;
			}
		}
		free(copy);
	}
	return NULL;
}

void rpt_write_pdf(const char *html_path, const char *pdf_path, struct iov_report_summary *sum)
{
	const char *browser = find_browser();
	char url[PATH_MAX + 16], out[2 * PATH_MAX + 64], profile[] = "/tmp/iovbench-chromium-XXXXXX", dataarg[64];
	int status = 0;
	pid_t pid;

	if (!browser) {
		snprintf(sum->pdf_note, sizeof(sum->pdf_note),
			 "no PDF: no converter installed (headless chromium; apt-get install chromium)");
		return;
	}
	if (!mkdtemp(profile)) {
		snprintf(sum->pdf_note, sizeof(sum->pdf_note), "no PDF: mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(url, sizeof(url), "file://%s", html_path);
	snprintf(out, sizeof(out), "--print-to-pdf=%s", pdf_path);
	snprintf(dataarg, sizeof(dataarg), "--user-data-dir=%s", profile);
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(browser, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		      "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer", dataarg,
		      out, url, (char *)NULL);
		_exit(127);
	}
	/* A browser that hangs must not hang the report: two minutes, then it is stopped. */
	for (int waited = 0; pid > 0; waited++) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (waited >= 1200) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			status = -1;
			break;
		}
		usleep(100 * 1000);
	}
	{
		char cmd[PATH_MAX + 32];
		pid_t rm = fork();

		snprintf(cmd, sizeof(cmd), "%s", profile);
		if (rm == 0) {
			execlp("rm", "rm", "-rf", cmd, (char *)NULL);
			_exit(127);
		}
		if (rm > 0)
			waitpid(rm, NULL, 0);
	}
	struct stat st;

	if (pid > 0 && status == 0 && stat(pdf_path, &st) == 0 && st.st_size > 0)
		sum->pdf_written = true;
	else
		snprintf(sum->pdf_note, sizeof(sum->pdf_note), "no PDF: %.200s --print-to-pdf failed", browser);
}
