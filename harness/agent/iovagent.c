// SPDX-License-Identifier: MIT
/*
 * iovagent - the guest side of the harness. Runs inside the lab guest (or on a
 * host target under a different transport later), serves one request at a time:
 * run a command with a timeout, write a file, read a file.
 *
 * Usage: iovagent [--port DEV]   default: the virtio-serial port named
 *        org.iovbench.agent, found through /sys/class/virtio-ports/.
 *        iovagent --stdio        serve on standard input (a socket the harness made), for
 *        the host target; exits when the harness closes it.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/proto.h"
#include "util.h"

#define AGENT_VERSION "1"

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logmsg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "iovagent: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int find_port(char *path, size_t len)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *e;
	int found = -1;

	if (!d)
		return -1;
	while (found < 0 && (e = readdir(d))) {
		char npath[PATH_MAX], name[128] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(npath, sizeof(npath), "/sys/class/virtio-ports/%s/name", e->d_name);
		f = fopen(npath, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f))
			name[strcspn(name, "\n")] = '\0';
		fclose(f);
		if (!strcmp(name, AGENT_PORT_NAME)) {
			snprintf(path, len, "/dev/%s", e->d_name);
			found = 0;
		}
	}
	closedir(d);
	return found;
}

static int reply_error(int fd, uint32_t id, int err, const char *what)
{
	struct pbuf b = { 0 };
	char msg[512];
	int rc;

	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(err));
	pbuf_put_u32(&b, (uint32_t)err);
	pbuf_put_str(&b, msg);
	rc = proto_write_frame(fd, MSG_ERROR, id, b.data, b.len, -1);
	pbuf_free(&b);
	return rc;
}

/* Append what fd has to out; drop (but count) beyond the cap. Returns 0 at EOF. */
static int drain(int fd, struct pbuf *out, uint32_t *truncated)
{
	uint8_t chunk[65536];
	ssize_t r = read(fd, chunk, sizeof(chunk));

	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (r == 0)
		return 0;
	if (out->len + (size_t)r > PROTO_MAX_OUTPUT) {
		*truncated = 1;
		return 1;
	}
	pbuf_put_raw(out, chunk, (size_t)r);
	return 1;
}

/* The command as a child, its stdin, stdout and stderr on pipes (ours: in[1], out[0], err[0]); -1: replied. */
static pid_t spawn_command(int fd, uint32_t id, const struct exec_request *rq, int in[2], int out[2], int err[2])
{
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		reply_error(fd, id, errno, "pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		reply_error(fd, id, errno, "fork");
		return -1;
	}
	if (pid == 0) {
		/* Own process group, so a timeout kills the whole pipeline. */
		setsid();
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		signal(SIGPIPE, SIG_DFL);
		execvp(rq->argv[0], (char *const *)rq->argv);
		fprintf(stderr, "iovagent: exec %s: %s\n", rq->argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (rq->input_len == 0) {
		close(in[1]);
		in[1] = -1;
	} else {
		fcntl(in[1], F_SETFL, O_NONBLOCK);
	}
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	return pid;
}

/*
 * After the timeout's SIGKILL to the command's process group, how long its output may take to
 * end: the group's writers are dead, so only a process that left the group (setsid) holds it.
 */
#define KILL_DRAIN_MS 200
/* How often a command whose output is closed is checked for its exit (nothing else wakes us). */
#define EXIT_POLL_MS 20

/* Whether the command has exited, leaving it a zombie: its pid and process group stay ours to kill. */
static bool command_exited(pid_t pid)
{
	siginfo_t si = { 0 };

	return !waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) && si.si_pid == pid;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int min_wait(int wait, long long until, long long now)
{
	return until >= 0 && until - now < wait ? (int)(until > now ? until - now : 0) : wait;
}

/*
 * Kill every process but us that holds one of the pipes of fd[0..nfd) (our ends of them): after
 * the timeout, only what left the command's process group (setsid) can, and it is the command's.
 * The number killed, each process once (one killed holding both pipes may still show the second
 * while it exits).
 */
static int kill_pipe_holders(const int *fd, int nfd)
{
	char want[2][64], path[PATH_MAX], link[64];
	struct dirent *p, *f;
	struct stat st;
	DIR *proc, *fds;
	int killed = 0, nwant = 0;

	for (int i = 0; i < nfd && nwant < 2; i++)
		if (fd[i] >= 0 && !fstat(fd[i], &st))
			snprintf(want[nwant++], sizeof(want[0]), "pipe:[%lu]", (unsigned long)st.st_ino);
	if (!nwant)
		return 0;
	proc = opendir("/proc");
	if (!proc)
		return 0;
	while ((p = readdir(proc))) {
		uint64_t pid;
		bool holds = false;

		if (iov_parse_u64(p->d_name, &pid) || (pid_t)pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while (!holds && (f = readdir(fds))) {
			ssize_t n;

			snprintf(path, sizeof(path), "/proc/%s/fd/%s", p->d_name, f->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			for (int w = 0; w < nwant; w++)
				holds = holds || !strcmp(link, want[w]);
		}
		closedir(fds);
		/* once per process, whichever of the pipes it holds */
		if (holds)
			killed += !kill((pid_t)pid, SIGKILL);
	}
	closedir(proc);
	return killed;
}

/*
 * Run the command to its end or its timeout, whichever comes first, and reply. The reply never
 * waits past the timeout (plus KILL_DRAIN_MS): not for a command that closed its output and
 * runs on, nor for a process that left the command's group and keeps the output open (killed).
 */
static void run_command(int fd, uint32_t id, struct exec_request *rq)
{
	int in[2], out[2], err[2];
	struct pbuf obuf = { 0 }, ebuf = { 0 }, reply = { 0 };
	struct exec_result res = { 0 };
	long long deadline, give_up = -1;
	size_t fed = 0;
	int wstatus = 0;
	pid_t pid;

	/* a command killed at its timeout but not reaped then (uninterruptible sleep) is reaped now */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	pid = spawn_command(fd, id, rq, in, out, err);
	if (pid < 0)
		return;
	deadline = rq->timeout_ms ? iov_now_ms() + rq->timeout_ms : -1;
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = out[0], .events = POLLIN },
			{ .fd = err[0], .events = POLLIN },
			{ .fd = in[1], .events = POLLOUT },
		};
		bool output_open = out[0] >= 0 || err[0] >= 0;
		long long now = iov_now_ms();
		int wait = output_open ? 500 : EXIT_POLL_MS;

		if (!output_open && command_exited(pid))
			break;
		if (deadline >= 0 && now >= deadline && !res.timed_out) {
			res.timed_out = 1;
			kill(-pid, SIGKILL);
			give_up = now + KILL_DRAIN_MS;
		}
		if (give_up >= 0 && now >= give_up)
			break;
		wait = min_wait(wait, give_up >= 0 ? give_up : deadline, now);
		if (poll(p, 3, wait) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++)
			if (p[i].fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !drain(p[i].fd, i ? &ebuf : &obuf, &res.truncated))
				close_fd(i ? &err[0] : &out[0]);
		if (in[1] >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(in[1], rq->input + fed, rq->input_len - fed);

			if (w > 0)
				fed += (size_t)w;
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				fed = rq->input_len;
			if (fed >= rq->input_len)
				close_fd(&in[1]);
		}
	}
	if (out[0] >= 0 || err[0] >= 0) {
		const int open_fds[2] = { out[0], err[0] };
		char held[256];
		int killed = kill_pipe_holders(open_fds, 2);

		snprintf(held, sizeof(held),
			 "iovagent: the output was still open after the timeout's kill: %d process(es) outside "
			 "the command's process group (setsid?) held it, killed; not waiting for them\n", killed);
		pbuf_put_raw(&ebuf, held, strlen(held));
	}
	close_fd(&out[0]);
	close_fd(&err[0]);
	close_fd(&in[1]);
	if (command_exited(pid) && waitpid(pid, &wstatus, 0) == pid)
		res.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	else
		res.status = 128 + SIGKILL; /* killed, not yet gone: reaped by the next request */
	res.out = (char *)obuf.data;
	res.out_len = (uint32_t)obuf.len;
	res.err = (char *)ebuf.data;
	res.err_len = (uint32_t)ebuf.len;
	exec_result_encode(&res, &reply);
	if (reply.error)
		reply_error(fd, id, ENOMEM, "exec reply");
	else
		proto_write_frame(fd, MSG_EXEC_RESULT, id, reply.data, reply.len, -1);
	pbuf_free(&reply);
	pbuf_free(&obuf);
	pbuf_free(&ebuf);
}

static void put_file(int fd, uint32_t id, struct pbuf *b)
{
	const char *path = pbuf_get_str(b);
	uint32_t mode = pbuf_get_u32(b), n;
	const uint8_t *data = pbuf_get_bytes(b, &n);
	char tmp[PATH_MAX];
	int out;

	if (b->error) {
		reply_error(fd, id, EPROTO, "put: malformed request");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.iovagent-tmp", path);
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 07777);
	if (out < 0) {
		reply_error(fd, id, errno, path);
		return;
	}
	while (n) {
		ssize_t w = write(out, data, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;

			close(out);
			unlink(tmp);
			reply_error(fd, id, e, path);
			return;
		}
		data += w;
		n -= (uint32_t)w;
	}
	fchmod(out, mode & 07777);
	if (close(out) || rename(tmp, path)) {
		reply_error(fd, id, errno, path);
		unlink(tmp);
		return;
	}
	proto_write_frame(fd, MSG_OK, id, NULL, 0, -1);
}

static void get_file(int fd, uint32_t id, struct pbuf *b)
{
	const char *path = pbuf_get_str(b);
	struct pbuf data = { 0 };
	uint8_t chunk[65536];
	int in;
	ssize_t r;

	if (b->error) {
		reply_error(fd, id, EPROTO, "get: malformed request");
		return;
	}
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		reply_error(fd, id, errno, path);
		return;
	}
	/* Files in /proc and debugfs report size 0: read to EOF instead of trusting st_size. */
	while ((r = read(in, chunk, sizeof(chunk))) > 0 && data.len < PROTO_MAX_PAYLOAD - sizeof(chunk))
		pbuf_put_raw(&data, chunk, (size_t)r);
	close(in);
	if (r < 0 || data.error) {
		reply_error(fd, id, r < 0 ? errno : data.error, path);
	} else {
		struct pbuf reply = { 0 };

		pbuf_put_bytes(&reply, data.data, data.len);
		proto_write_frame(fd, MSG_DATA, id, reply.data, reply.len, -1);
		pbuf_free(&reply);
	}
	pbuf_free(&data);
}

static void serve(int fd, bool exit_on_eof)
{
	for (;;) {
		struct proto_header h;
		struct pbuf b;
		int rc = proto_read_frame(fd, &h, &b, -1);

		if (rc == -EPIPE && exit_on_eof)
			return;
		if (rc == -EPIPE || rc == -ENODEV) {
			/* No host connected: the port reports EOF/HUP until one is. */
			usleep(50000);
			continue;
		}
		if (rc) {
			logmsg("read: %s", strerror(-rc));
			usleep(50000);
			continue;
		}
		switch (h.type) {
		case MSG_PING: {
			struct utsname u;
			char pong[512];

			uname(&u);
			snprintf(pong, sizeof(pong), "iovagent %s %s %s", AGENT_VERSION, u.release, u.machine);
			proto_write_frame(fd, MSG_PONG, h.id, pong, strlen(pong) + 1, -1);
			break;
		}
		case MSG_EXEC: {
			struct exec_request rq;

			if (exec_request_decode(&b, &rq)) {
				reply_error(fd, h.id, EPROTO, "exec: malformed request");
				break;
			}
			run_command(fd, h.id, &rq);
			free(rq.argv);
			break;
		}
		case MSG_PUT:
			put_file(fd, h.id, &b);
			break;
		case MSG_GET:
			get_file(fd, h.id, &b);
			break;
		default:
			reply_error(fd, h.id, EOPNOTSUPP, "unknown request type");
		}
		pbuf_free(&b);
	}
}

int main(int argc, char **argv)
{
	char port[PATH_MAX] = "";
	int fd;

	signal(SIGPIPE, SIG_IGN);
	if (argc == 2 && !strcmp(argv[1], "--stdio")) {
		serve(0, true);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--port")) {
		snprintf(port, sizeof(port), "%s", argv[2]);
	} else if (argc != 1) {
		fprintf(stderr, "usage: iovagent [--port DEV | --stdio]\n");
		return 2;
	}
	for (int tries = 0; !port[0]; tries++) {
		if (find_port(port, sizeof(port)) == 0)
			break;
		if (tries == 100) {
			logmsg("no virtio-serial port named %s", AGENT_PORT_NAME);
			return 1;
		}
		usleep(100000);
	}
	fd = open(port, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		logmsg("open %s: %s", port, strerror(errno));
		return 1;
	}
	logmsg("serving on %s", port);
	serve(fd, false);
	return 0;
}
