// SPDX-License-Identifier: MIT
/* lab.c - boot, attach to, talk to and stop the lab guest. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab/lab.h"
#include "util.h"

/* A working KVM boots this guest in about a second; TCG needs about 4 s on 2 cores. */
#define KVM_PROBE_TIMEOUT_S 10
/* An idle agent answers a ping in milliseconds; this much silence means a hung guest. */
#define ATTACH_PING_MS 10000

/* DIR/NAME in the lab directory, NAME under LAB_NAME_MAX: it fits, init_lab refused a longer DIR. */
static char *lab_file(const struct lab *lab, const char *name, char out[PATH_MAX])
{
	if (iov_path_join(out, PATH_MAX, lab->dir, name))
		out[0] = '\0';
	return out;
}

const char *lab_initrd(const struct lab_config *cfg)
{
	return cfg->iommu && cfg->vm_initrd ? cfg->vm_initrd : cfg->initrd;
}

void lab_config_defaults(struct lab_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->accel = "auto";
	cfg->mem_mb = 2048;
	cfg->cpus = 2;
	cfg->pairs = LAB_MAX_PAIRS;
	cfg->boot_timeout_s = 120;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The last size-1 bytes at most of a file, NUL-terminated in chunk; their length, or -1. */
static ssize_t read_end(const char *path, char *chunk, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t end, start;
	ssize_t n;

	if (fd < 0)
		return -1;
	end = lseek(fd, 0, SEEK_END);
	start = end > (off_t)size - 1 ? end - (off_t)size + 1 : 0;
	n = pread(fd, chunk, size - 1, start);
	close(fd);
	if (n <= 0)
		return -1;
	chunk[n] = '\0';
	return n;
}

/* Up to `lines` lines of text from p, under a heading naming path, appended to buf. */
static void append_lines(char *buf, size_t buflen, const char *heading, const char *path,
			 const char *p, int lines)
{
	size_t used = strlen(buf);
	const char *q = p;

	while (*q && lines > 0)
		if (*q++ == '\n')
			lines--;
	snprintf(buf + used, buflen - used, "\n--- %s %s ---\n%.*s", heading, path, (int)(q - p), p);
}

/* Last `lines` lines of a file, appended to buf. */
static void file_tail(const char *path, char *buf, size_t buflen, int lines)
{
	char chunk[8192];
	ssize_t n = read_end(path, chunk, sizeof(chunk));
	char *p;

	if (n < 0)
		return;
	p = chunk + n;
	while (p > chunk && lines >= 0) {
		p--;
		if (*p == '\n')
			lines--;
	}
	if (*p == '\n')
		p++;
	append_lines(buf, buflen, "last lines of", path, p, INT_MAX);
}

/*
 * The console's last lines, or, when the kernel oopsed, the oops from its first line: the
 * faulting function and the first frames are what explain a crash, and a panic's tail holds
 * only the registers.
 */
void lab_console_tail(const struct lab *lab, char *buf, size_t buflen, int lines)
{
	static const char *const oops_marks[] = {
		"BUG: ", "Oops: ", "general protection fault", "kernel BUG at", "WARNING: CPU: ",
	};
	char chunk[16384];
	const char *first = NULL;

	if (read_end(lab->console_log, chunk, sizeof(chunk)) < 0)
		return;
	for (size_t i = 0; i < sizeof(oops_marks) / sizeof(oops_marks[0]); i++) {
		const char *m = strstr(chunk, oops_marks[i]);

		if (m && (!first || m < first))
			first = m;
	}
	if (!first) {
		file_tail(lab->console_log, buf, buflen, lines);
		return;
	}
	while (first > chunk && first[-1] != '\n')
		first--;
	append_lines(buf, buflen, "the kernel's oops in", lab->console_log, first, 2 * lines);
}

/* True if pid is the QEMU of this lab directory (not a recycled pid). */
bool lab_qemu_alive(const struct lab *lab)
{
	char link[64], cwd[PATH_MAX];
	ssize_t n;

	if (lab->qemu_pid <= 0)
		return false;
	/* Reap it if it is our child, so a dead QEMU is not mistaken for a live zombie. */
	waitpid(lab->qemu_pid, NULL, WNOHANG);
	if (kill(lab->qemu_pid, 0) < 0)
		return false;
	snprintf(link, sizeof(link), "/proc/%d/cwd", (int)lab->qemu_pid);
	n = readlink(link, cwd, sizeof(cwd) - 1);
	if (n < 0)
		return false;
	cwd[n] = '\0';
	return strcmp(cwd, lab->dir) == 0;
}

static void wait_gone(struct lab *lab, int ms)
{
	for (int t = 0; t < ms && lab_qemu_alive(lab); t += 100)
		sleep_ms(100);
}

/*
 * One client per lab: its agent channel (a virtio-serial port) serves one connection at a
 * time, so a second client's ping would wait for the first to finish and read as a hung guest.
 * The lock, DIR/agent.lock holding the client's pid, lasts until lab_kill or the process ends.
 */
static int lab_lock(struct lab *lab, char *err, size_t errlen)
{
	char path[PATH_MAX], holder[32] = "";
	ssize_t n;
	int fd;

	lab_file(lab, "agent.lock", path);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		n = pread(fd, holder, sizeof(holder) - 1, 0);
		holder[n > 0 ? n : 0] = '\0';
		holder[strcspn(holder, "\n")] = '\0';
		snprintf(err, errlen,
			 "the lab in %s is in use by another client (pid %s): its agent serves one at a time; "
			 "wait for it, or 'iovbench lab down' stops the lab", lab->dir, holder[0] ? holder : "?");
		close(fd);
		return -EBUSY;
	}
	n = snprintf(holder, sizeof(holder), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, holder, (size_t)n, 0) != n)
		/* the pid only names the holder in another client's message: the lock holds without it */
		fprintf(stderr, "iovbench: warning: %s: %s\n", path, strerror(errno));
	lab->lock_fd = fd;
	return 0;
}

static void lab_unlock(struct lab *lab)
{
	if (lab->lock_fd >= 0)
		close(lab->lock_fd);
	lab->lock_fd = -1;
}

void lab_kill(struct lab *lab)
{
	agent_close(&lab->conn);
	lab_unlock(lab);
	if (lab_qemu_alive(lab)) {
		kill(lab->qemu_pid, SIGTERM);
		kill(lab->qemu_pid, SIGCONT); /* a stopped QEMU acts on SIGTERM only when continued */
		wait_gone(lab, 5000);
		if (lab_qemu_alive(lab))
			kill(lab->qemu_pid, SIGKILL);
		wait_gone(lab, 5000);
	}
	lab->qemu_pid = 0;
}

static pid_t spawn_qemu(const struct lab_config *cfg, const struct lab *lab, const char *accel,
			char *err, size_t errlen)
{
	char **argv = lab_qemu_argv(cfg, accel);
	char log[PATH_MAX];
	FILE *cmdf;
	pid_t pid;

	/* Keep the exact command line with the logs: a run must be reproducible by hand. */
	lab_file(lab, "qemu.cmdline", log);
	cmdf = fopen(log, "w");
	if (cmdf) {
		for (char **a = argv; *a; a++)
			fprintf(cmdf, "%s'%s'", a == argv ? "" : " ", *a);
		fputc('\n', cmdf);
		fclose(cmdf);
	}
	lab_file(lab, "qemu.log", log);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		lab_free_argv(argv);
		return -1;
	}
	if (pid == 0) {
		int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		int in = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (cfg->tie_to_parent)
			prctl(PR_SET_PDEATHSIG, SIGKILL);
		setsid();
		if (chdir(lab->dir) < 0 || out < 0 || in < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		execvp(argv[0], argv);
		dprintf(2, "iovbench: cannot execute %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	lab_free_argv(argv);
	return pid;
}

static bool log_has(const char *path, const char *needle, char *line, size_t linelen)
{
	FILE *f = fopen(path, "r");
	char buf[1024];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(buf, sizeof(buf), f)) {
		if (strstr(buf, needle)) {
			buf[strcspn(buf, "\n")] = '\0';
			snprintf(line, linelen, "%.*s", (int)linelen - 1, buf);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/*
 * Boot on one accelerator and wait for the agent. Returns 0 when it answers; otherwise
 * QEMU is stopped and err says why (exit status, KVM failure, timeout).
 */
static int boot_on(const struct lab_config *cfg, struct lab *lab, const char *accel, int timeout_s,
		   char *err, size_t errlen)
{
	char qlog[PATH_MAX], line[512];
	double start = iov_now_s();
	int status;

	lab_file(lab, "qemu.log", qlog);
	unlink(qlog);
	unlink(lab->console_log);
	lab->qemu_pid = spawn_qemu(cfg, lab, accel, err, errlen);
	if (lab->qemu_pid < 0)
		return -1;
	snprintf(lab->accel, sizeof(lab->accel), "%s", accel);
	lab->conn.fd = -1;
	while (iov_now_s() - start < timeout_s) {
		char cerr[256];

		if (waitpid(lab->qemu_pid, &status, WNOHANG) == lab->qemu_pid) {
			snprintf(err, errlen, "QEMU (%s) exited with %s %d before the agent answered", accel,
				 WIFEXITED(status) ? "status" : "signal",
				 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
			file_tail(qlog, err, errlen, 5);
			lab_console_tail(lab, err, errlen, 15);
			lab->qemu_pid = 0;
			/* TCG aborting on one of its own assertions (seen: iotlb_to_section in
			 * physmem.c at boot) is the emulator's fault, not the guest's */
			return !strcmp(accel, "tcg") && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT
				       ? -ECHILD
				       : -1;
		}
		/* Under KVM these machines fail with an emulation error and QEMU just stops. */
		if (!strcmp(accel, "kvm") && log_has(qlog, "KVM internal error", line, sizeof(line))) {
			snprintf(err, errlen, "%s", line);
			lab_kill(lab);
			return -1;
		}
		if (lab->conn.fd < 0) {
			char sock[PATH_MAX];

			lab_file(lab, "agent.sock", sock);
			if (access(sock, F_OK) == 0)
				agent_connect(&lab->conn, sock, cerr, sizeof(cerr));
		}
		if (lab->conn.fd >= 0) {
			if (agent_ping(&lab->conn, 500, lab->agent_info, sizeof(lab->agent_info), cerr,
				       sizeof(cerr)) == 0) {
				lab->boot_s = iov_now_s() - start;
				return 0;
			}
			/* Not up yet: drop the unanswered ping with the connection, so pings
			 * never pile up in a guest that does not read. */
			agent_close(&lab->conn);
		}
		sleep_ms(100);
	}
	snprintf(err, errlen, "the guest agent did not answer within %d s (%s)", timeout_s, accel);
	lab_console_tail(lab, err, errlen, 15);
	lab_kill(lab);
	return -ETIMEDOUT;
}

static bool kvm_usable(char *why, size_t len)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, len, "/dev/kvm: %s", strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

/*
 * The probe's verdict holds for one QEMU binary, host kernel and guest kernel: key the
 * cache on them so a changed setup is probed again.
 */
static void probe_key(const struct lab_config *cfg, char *key, size_t len)
{
	struct stat q = { 0 }, k = { 0 };
	struct utsname u;
	char qemu[PATH_MAX] = "";
	const char *path = getenv("PATH");

	uname(&u);
	stat(cfg->kernel, &k);
	if (cfg->qemu && strchr(cfg->qemu, '/'))
		snprintf(qemu, sizeof(qemu), "%s", cfg->qemu);
	while (!qemu[0] && path && *path) {
		size_t n = strcspn(path, ":");
		char cand[PATH_MAX];

		snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, path,
			 cfg->qemu ? cfg->qemu : "qemu-system-x86_64");
		if (access(cand, X_OK) == 0)
			snprintf(qemu, sizeof(qemu), "%s", cand);
		path += n + (path[n] == ':');
	}
	stat(qemu, &q);
	snprintf(key, len, "host=%s qemu=%s:%ld kernel=%s:%ld", u.release, qemu, (long)q.st_mtime,
		 cfg->kernel, (long)k.st_mtime);
}

/* Returns 1 if the cache says KVM failed for this key (reason in why), else 0. */
static int probe_cache_says_no(const struct lab_config *cfg, char *why, size_t len)
{
	char key[PATH_MAX * 2 + 256], line[PATH_MAX * 2 + 512];
	size_t klen;
	FILE *f;
	int no = 0;

	if (!cfg->probe_cache || !(f = fopen(cfg->probe_cache, "r")))
		return 0;
	probe_key(cfg, key, sizeof(key));
	klen = strlen(key);
	if (fgets(line, sizeof(line), f) && !strncmp(line, key, klen) && line[klen] == '\n' &&
	    fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(why, len, "%.*s (cached probe verdict, %s)", (int)(len / 2), line,
			 cfg->probe_cache);
		no = 1;
	}
	fclose(f);
	return no;
}

static void probe_cache_store(const struct lab_config *cfg, const char *why)
{
	char key[PATH_MAX * 2 + 256], tmp[PATH_MAX + 8];
	FILE *f;

	if (!cfg->probe_cache)
		return;
	probe_key(cfg, key, sizeof(key));
	snprintf(tmp, sizeof(tmp), "%s.tmp", cfg->probe_cache);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%s\n%s\n", key, why);
	if (fclose(f) == 0)
		rename(tmp, cfg->probe_cache);
}

static int write_state(const struct lab *lab)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	FILE *f;

	lab_file(lab, "lab.state", path);
	lab_file(lab, "lab.state.tmp", tmp);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "pid=%d\naccel=%s\naccel_reason=%s\nboot_s=%.3f\npairs=%d\nagent=%s\n",
		(int)lab->qemu_pid, lab->accel, lab->accel_reason, lab->boot_s, lab->pairs,
		lab->agent_info);
	if (fclose(f) || rename(tmp, path))
		return -errno;
	return 0;
}

static int init_lab(struct lab *lab, const char *dir, char *err, size_t errlen)
{
	char real[PATH_MAX];

	memset(lab, 0, sizeof(*lab));
	lab->conn.fd = -1;
	lab->lock_fd = -1;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create lab directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!realpath(dir, real)) {
		snprintf(err, errlen, "lab directory %s: %s", dir, strerror(errno));
		return -1;
	}
	/* Every file of the lab is DIR/NAME with NAME under LAB_NAME_MAX: they all fit PATH_MAX. */
	if (strlen(real) + 1 + LAB_NAME_MAX >= PATH_MAX) {
		snprintf(err, errlen, "lab directory %s: path too long", real);
		return -1;
	}
	snprintf(lab->dir, sizeof(lab->dir), "%s", real);
	lab_file(lab, "agent.sock", lab->agent_sock);
	lab_file(lab, "console.log", lab->console_log);
	return 0;
}

int lab_up(const struct lab_config *cfg, struct lab *lab, char *err, size_t errlen)
{
	char why[768] = "";
	const char *accel = cfg->accel;
	int rc;

	if (init_lab(lab, cfg->dir, err, errlen))
		return -1;
	lab->pairs = cfg->pairs;
	if (cfg->pairs < 0 || cfg->pairs > LAB_MAX_PAIRS) {
		snprintf(err, errlen, "baseline pairs must be 0..%d", LAB_MAX_PAIRS);
		return -1;
	}
	if (access(cfg->kernel, R_OK) || access(lab_initrd(cfg), R_OK)) {
		snprintf(err, errlen, "guest kernel %s or image %s missing: run 'make lab'", cfg->kernel,
			 lab_initrd(cfg));
		return -1;
	}
	{
		struct lab old;
		char e2[64];

		if (lab_attach(cfg->dir, &old, e2, sizeof(e2)) == 0 || lab_qemu_alive(&old)) {
			agent_close(&old.conn);
			lab_unlock(&old);
			snprintf(err, errlen, "a lab is already running in %s (pid %d): 'iovbench lab down' first",
				 lab->dir, (int)old.qemu_pid);
			return -1;
		}
		lab_unlock(&old);
	}
	if (lab_lock(lab, err, errlen))
		return -1;
	if (!strcmp(accel, "auto")) {
		accel = "tcg";
		if (kvm_usable(why, sizeof(why)) && !probe_cache_says_no(cfg, why, sizeof(why))) {
			if (boot_on(cfg, lab, "kvm", KVM_PROBE_TIMEOUT_S, why, sizeof(why)) == 0) {
				snprintf(lab->accel_reason, sizeof(lab->accel_reason),
					 "KVM probe boot succeeded");
				goto ready;
			}
			why[strcspn(why, "\n")] = '\0';
			probe_cache_store(cfg, why);
		}
		why[strcspn(why, "\n")] = '\0';
		snprintf(lab->accel_reason, sizeof(lab->accel_reason), "KVM unusable (%.200s), using TCG",
			 why);
		fprintf(stderr, "iovbench: %s\n", lab->accel_reason);
	} else if (strcmp(accel, "kvm") && strcmp(accel, "tcg")) {
		snprintf(err, errlen, "--accel must be auto, kvm or tcg, not '%s'", accel);
		lab_unlock(lab);
		return -1;
	} else {
		snprintf(lab->accel_reason, sizeof(lab->accel_reason), "requested");
	}
	rc = boot_on(cfg, lab, accel, cfg->boot_timeout_s, err, errlen);
	if (rc == -ETIMEDOUT || rc == -ECHILD) {
		/* A TCG guest on an overloaded host can stall early in boot (RCU stalls in the
		 * console), and TCG itself can abort: one more boot, keeping the failed one's
		 * console and QEMU log for the record. */
		char old_log[PATH_MAX], old_qlog[PATH_MAX], qlog[PATH_MAX];

		lab_file(lab, "console-failed-boot.log", old_log);
		lab_file(lab, "qemu-failed-boot.log", old_qlog);
		lab_file(lab, "qemu.log", qlog);
		rename(lab->console_log, old_log);
		rename(qlog, old_qlog);
		fprintf(stderr, "iovbench: %s; booting once more (logs of the failed boot: %s, %s)\n",
			rc == -ETIMEDOUT ? "the guest did not answer in time" : "QEMU (TCG) aborted", old_log,
			old_qlog);
		err[0] = '\0';
		rc = boot_on(cfg, lab, accel, cfg->boot_timeout_s, err, errlen);
	}
	if (rc) {
		lab_unlock(lab);
		return -1;
	}
ready:
	if (write_state(lab)) {
		snprintf(err, errlen, "cannot write %s/lab.state: %s", lab->dir, strerror(errno));
		lab_kill(lab);
		return -1;
	}
	return 0;
}

static int lab_failure(struct lab *lab, int rc, char *err, size_t errlen);

int lab_attach(const char *dir, struct lab *lab, char *err, size_t errlen)
{
	char path[PATH_MAX], line[512];
	FILE *f;
	int rc;

	if (init_lab(lab, dir, err, errlen))
		return -1;
	lab_file(lab, "lab.state", path);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "no lab running in %s ('iovbench lab up' starts one)", lab->dir);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, '=');
		int n;

		if (!v)
			continue;
		*v++ = '\0';
		v[strcspn(v, "\n")] = '\0';
		if (!strcmp(line, "pid") && !iov_parse_int(v, 1, INT_MAX, &n))
			lab->qemu_pid = n;
		else if (!strcmp(line, "accel"))
			snprintf(lab->accel, sizeof(lab->accel), "%s", v);
		else if (!strcmp(line, "accel_reason"))
			snprintf(lab->accel_reason, sizeof(lab->accel_reason), "%s", v);
		else if (!strcmp(line, "boot_s"))
			iov_parse_double(v, &lab->boot_s);
		else if (!strcmp(line, "pairs") && !iov_parse_int(v, 0, LAB_MAX_PAIRS, &n))
			lab->pairs = n;
		else if (!strcmp(line, "agent"))
			snprintf(lab->agent_info, sizeof(lab->agent_info), "%s", v);
	}
	fclose(f);
	if (!lab_qemu_alive(lab)) {
		snprintf(err, errlen, "the lab in %s is not running any more (QEMU pid %d is gone)",
			 lab->dir, (int)lab->qemu_pid);
		lab_console_tail(lab, err, errlen, 10);
		return -1;
	}
	if (lab_lock(lab, err, errlen))
		return -1;
	rc = agent_connect(&lab->conn, lab->agent_sock, err, errlen);
	if (!rc)
		rc = agent_ping(&lab->conn, ATTACH_PING_MS, NULL, 0, err, errlen);
	if (rc) {
		lab_failure(lab, rc == -ECONNREFUSED ? -ETIMEDOUT : rc, err, errlen);
		agent_close(&lab->conn);
		lab_unlock(lab);
		return -1;
	}
	return 0;
}

int lab_down(struct lab *lab, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int rc = 0;

	if (lab->conn.fd >= 0) {
		const char *const argv[] = { "sh", "-c", "sync; poweroff -f", NULL };
		struct exec_result res;
		char e2[256];

		/* poweroff -f does not return: the channel closing is the expected answer. */
		if (agent_exec(&lab->conn, argv, NULL, 0, 5000, &res, e2, sizeof(e2)) == 0)
			exec_result_free(&res);
		agent_close(&lab->conn);
	}
	wait_gone(lab, 15000);
	if (lab_qemu_alive(lab)) {
		snprintf(err, errlen, "the guest did not power off within 15 s; QEMU killed");
		rc = -1;
	}
	lab_kill(lab);
	lab_file(lab, "lab.state", path);
	unlink(path);
	return rc;
}

/* After a failed request: was it the guest (crash or hang) or the request? */
static int lab_failure(struct lab *lab, int rc, char *err, size_t errlen)
{
	size_t used = strlen(err);

	/* A panicking guest closes the channel a moment before QEMU has exited. */
	if (rc == -EPIPE)
		wait_gone(lab, 3000);
	if (!lab_qemu_alive(lab)) {
		char qlog[PATH_MAX + 16], line[512];

		lab_file(lab, "qemu.log", qlog);
		/* QEMU logs its run-state changes (see lab_qemu_argv): no shutdown there means it
		 * was killed or crashed, so the guest is not to blame. */
		if (log_has(qlog, "(shutdown)", line, sizeof(line)))
			snprintf(err + used, errlen - used,
				 "; the guest crashed or QEMU exited (console: %s)", lab->console_log);
		else
			snprintf(err + used, errlen - used,
				 "; QEMU died without shutting down (killed by a signal?), the guest "
				 "did not stop it (console: %s)", lab->console_log);
		/* QEMU's own stderr says why it left when the guest did not (an assertion in a
		 * device model, a signal it caught). */
		file_tail(qlog, err, errlen, 5);
		lab_console_tail(lab, err, errlen, 20);
		agent_close(&lab->conn);
		lab_unlock(lab); /* nothing left to serve: the next lab_up may claim the directory */
		lab->qemu_pid = 0;
		return -EPIPE;
	}
	if (rc == -ETIMEDOUT || rc == -EPIPE) {
		snprintf(err + used, errlen - used, "; the guest is hung, QEMU stopped (console: %s)",
			 lab->console_log);
		lab_console_tail(lab, err, errlen, 20);
		lab_kill(lab);
	}
	return rc;
}

int lab_exec(struct lab *lab, const char *const *argv, int timeout_s, struct exec_result *res,
	     char *err, size_t errlen)
{
	int rc;

	memset(res, 0, sizeof(*res));
	if (lab->conn.fd < 0) {
		snprintf(err, errlen, "lab: not connected to the agent");
		return -ENOTCONN;
	}
	rc = agent_exec(&lab->conn, argv, NULL, 0, timeout_s * 1000, res, err, errlen);
	return rc ? lab_failure(lab, rc, err, errlen) : 0;
}

int lab_sh(struct lab *lab, const char *script, int timeout_s, struct exec_result *res, char *err,
	   size_t errlen)
{
	const char *const argv[] = { "sh", "-c", script, NULL };

	return lab_exec(lab, argv, timeout_s, res, err, errlen);
}
