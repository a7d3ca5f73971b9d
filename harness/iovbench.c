// SPDX-License-Identifier: MIT
/*
 * iovbench - performance test and verification suite for SR-IOV I/O virtualization.
 * This file is the command line: it parses options and dispatches to the subsystems.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab/lab.h"

#define ERRLEN 8192

/* Where the build put things: the binary lives in BUILD/, the image in BUILD/lab/. */
static char build_dir[PATH_MAX];

static void find_build_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0) {
		snprintf(build_dir, sizeof(build_dir), "build");
		return;
	}
	exe[n] = '\0';
	snprintf(build_dir, sizeof(build_dir), "%s", dirname(exe));
}

/* Read KEY from BUILD/kernel.env (written by scripts/setup.sh). */
static int kernel_env(const char *key, char *out, size_t len)
{
	char path[PATH_MAX + 32], line[PATH_MAX + 64];
	size_t klen = strlen(key);
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/kernel.env", build_dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (rc && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == '=') {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, len, "%.*s", (int)len - 1, line + klen + 1);
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}

static const char *default_lab_dir(void)
{
	static char dir[PATH_MAX + 32];
	const char *env = getenv("IOVBENCH_LAB_DIR");

	if (env && *env)
		return env;
	snprintf(dir, sizeof(dir), "%s/lab/instance", build_dir);
	return dir;
}

static void usage_lab(FILE *f)
{
	fprintf(f,
		"usage: iovbench lab up [--accel auto|kvm|tcg] [--pairs N] [--mem MB] [--cpus N]\n"
		"                       [--boot-timeout S] [--dir DIR]\n"
		"       iovbench lab status [--dir DIR]\n"
		"       iovbench lab exec [--dir DIR] [--timeout S] -- COMMAND [ARG...]\n"
		"       iovbench lab put [--dir DIR] LOCAL REMOTE\n"
		"       iovbench lab get [--dir DIR] REMOTE LOCAL\n"
		"       iovbench lab down [--dir DIR]\n"
		"\n"
		"The lab is one QEMU guest (q35, the igb SR-IOV PF behind a PCIe root port, N pairs of\n"
		"back-to-back e1000e and virtio-net NICs) with the iovbench agent inside. It boots once\n"
		"and serves many commands. DIR defaults to $IOVBENCH_LAB_DIR or BUILD/lab/instance; it\n"
		"holds console.log (the guest's serial console), qemu.log and qemu.cmdline.\n"
		"  --accel auto   probe-boot under KVM, fall back to TCG with a one-line reason (default)\n"
		"  --pairs N      baseline NIC pairs of each kind, 0..%d (default %d)\n"
		"  --timeout S    exec: kill the command after S seconds (default 300)\n"
		"example: iovbench lab up && iovbench lab exec -- lspci && iovbench lab down\n",
		LAB_MAX_PAIRS, LAB_MAX_PAIRS);
}

static int cmd_lab_up(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "accel", required_argument, 0, 'a' }, { "pairs", required_argument, 0, 'p' },
		{ "mem", required_argument, 0, 'm' },   { "cpus", required_argument, 0, 'c' },
		{ "dir", required_argument, 0, 'd' },   { "boot-timeout", required_argument, 0, 't' },
		{ 0, 0, 0, 0 }
	};
	char kernel[PATH_MAX], initrd[PATH_MAX + 32], cache[PATH_MAX + 32], err[ERRLEN] = "";
	struct lab_config cfg;
	struct lab lab;
	int c;

	lab_config_defaults(&cfg);
	cfg.dir = default_lab_dir();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': cfg.accel = optarg; break;
		case 'p': cfg.pairs = atoi(optarg); break;
		case 'm': cfg.mem_mb = atoi(optarg); break;
		case 'c': cfg.cpus = atoi(optarg); break;
		case 'd': cfg.dir = optarg; break;
		case 't': cfg.boot_timeout_s = atoi(optarg); break;
		default: usage_lab(stderr); return 2;
		}
	}
	if (kernel_env("VMLINUX", kernel, sizeof(kernel))) {
		fprintf(stderr, "iovbench: no guest kernel configured (%s/kernel.env): run 'make lab'\n",
			build_dir);
		return 1;
	}
	snprintf(initrd, sizeof(initrd), "%s/lab/initramfs.cpio", build_dir);
	snprintf(cache, sizeof(cache), "%s/lab/accel-probe.cache", build_dir);
	cfg.kernel = kernel;
	cfg.initrd = initrd;
	cfg.probe_cache = cache;
	fprintf(stderr, "iovbench: booting the lab in %s (accel %s, %d baseline pairs)\n", cfg.dir,
		cfg.accel, cfg.pairs);
	if (lab_up(&cfg, &lab, err, sizeof(err))) {
		fprintf(stderr, "iovbench: lab up failed: %s\n", err);
		return 1;
	}
	printf("lab up: accel=%s boot_to_agent_s=%.2f agent=\"%s\" dir=%s\n", lab.accel, lab.boot_s,
	       lab.agent_info, lab.dir);
	agent_close(&lab.conn);
	return 0;
}

/* Common option parsing for the subcommands that attach to a running lab. */
static int attach_from_args(int argc, char **argv, struct lab *lab, int *timeout_s)
{
	static const struct option opts[] = { { "dir", required_argument, 0, 'd' },
					      { "timeout", required_argument, 0, 't' },
					      { 0, 0, 0, 0 } };
	const char *dir = default_lab_dir();
	char err[ERRLEN] = "";
	int c;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 't':
			if (!timeout_s) {
				usage_lab(stderr);
				return 2;
			}
			*timeout_s = atoi(optarg);
			break;
		default: usage_lab(stderr); return 2;
		}
	}
	if (lab_attach(dir, lab, err, sizeof(err))) {
		fprintf(stderr, "iovbench: %s\n", err);
		return 1;
	}
	return 0;
}

static int cmd_lab_exec(int argc, char **argv)
{
	char err[ERRLEN] = "";
	struct exec_result res;
	struct lab lab;
	int timeout_s = 300, rc;

	rc = attach_from_args(argc, argv, &lab, &timeout_s);
	if (rc)
		return rc == 1 ? 125 : rc; /* 125: the lab failed, not the command */
	if (optind >= argc) {
		usage_lab(stderr);
		agent_close(&lab.conn);
		return 2;
	}
	if (lab_exec(&lab, (const char *const *)argv + optind, timeout_s, &res, err, sizeof(err))) {
		fprintf(stderr, "iovbench: %s\n", err);
		agent_close(&lab.conn);
		return 125;
	}
	fwrite(res.out, 1, res.out_len, stdout);
	fwrite(res.err, 1, res.err_len, stderr);
	if (res.timed_out)
		fprintf(stderr, "iovbench: command killed after %d s\n", timeout_s);
	if (res.truncated)
		fprintf(stderr, "iovbench: output truncated at %u bytes\n", PROTO_MAX_OUTPUT);
	rc = res.status;
	exec_result_free(&res);
	agent_close(&lab.conn);
	return rc;
}

static int read_local(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		if (f)
			fclose(f);
		return -1;
	}
	*data = malloc((size_t)n + 1);
	if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(*data);
		return -1;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

static int cmd_lab_copy(int argc, char **argv, int put)
{
	char err[ERRLEN] = "", *data = NULL;
	struct lab lab;
	size_t len = 0;
	int rc = attach_from_args(argc, argv, &lab, NULL);

	if (rc)
		return rc;
	if (argc - optind != 2) {
		usage_lab(stderr);
		agent_close(&lab.conn);
		return 2;
	}
	if (put) {
		if (read_local(argv[optind], &data, &len)) {
			fprintf(stderr, "iovbench: cannot read %s: %s\n", argv[optind], strerror(errno));
			rc = 1;
		} else if (agent_put(&lab.conn, argv[optind + 1],
				     access(argv[optind], X_OK) ? 0644 : 0755, data, len, err,
				     sizeof(err))) {
			fprintf(stderr, "iovbench: %s\n", err);
			rc = 1;
		}
	} else {
		FILE *f;

		if (agent_get(&lab.conn, argv[optind], &data, &len, err, sizeof(err))) {
			fprintf(stderr, "iovbench: %s\n", err);
			rc = 1;
		} else if (!(f = fopen(argv[optind + 1], "wb")) || fwrite(data, 1, len, f) != len ||
			   fclose(f)) {
			fprintf(stderr, "iovbench: cannot write %s: %s\n", argv[optind + 1],
				strerror(errno));
			rc = 1;
		}
	}
	free(data);
	agent_close(&lab.conn);
	return rc;
}

static int cmd_lab_status(int argc, char **argv)
{
	struct lab lab;
	int rc = attach_from_args(argc, argv, &lab, NULL);

	if (rc)
		return rc;
	printf("lab running: pid=%d accel=%s (%s) boot_to_agent_s=%.2f pairs=%d agent=\"%s\" dir=%s\n",
	       (int)lab.qemu_pid, lab.accel, lab.accel_reason, lab.boot_s, lab.pairs, lab.agent_info,
	       lab.dir);
	agent_close(&lab.conn);
	return 0;
}

static int cmd_lab_down(int argc, char **argv)
{
	char err[ERRLEN] = "";
	struct lab lab;
	int rc = attach_from_args(argc, argv, &lab, NULL);

	if (rc) {
		/* Not answering: still make sure no QEMU of this lab is left behind. */
		if (lab.qemu_pid > 0 && lab_qemu_alive(&lab)) {
			fprintf(stderr, "iovbench: stopping unresponsive QEMU pid %d\n", (int)lab.qemu_pid);
			lab_kill(&lab);
		}
		return rc;
	}
	if (lab_down(&lab, err, sizeof(err))) {
		fprintf(stderr, "iovbench: %s\n", err);
		return 1;
	}
	printf("lab down\n");
	return 0;
}

static int cmd_lab(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	argc--;
	argv++;
	optind = 1;
	if (!strcmp(sub, "up"))
		return cmd_lab_up(argc, argv);
	if (!strcmp(sub, "exec"))
		return cmd_lab_exec(argc, argv);
	if (!strcmp(sub, "put"))
		return cmd_lab_copy(argc, argv, 1);
	if (!strcmp(sub, "get"))
		return cmd_lab_copy(argc, argv, 0);
	if (!strcmp(sub, "status"))
		return cmd_lab_status(argc, argv);
	if (!strcmp(sub, "down"))
		return cmd_lab_down(argc, argv);
	usage_lab(!strcmp(sub, "help") || !strcmp(sub, "--help") ? stdout : stderr);
	return !strcmp(sub, "help") || !strcmp(sub, "--help") ? 0 : 2;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: iovbench COMMAND [OPTIONS]\n"
		"\n"
		"commands:\n"
		"  lab up|status|exec|put|get|down   boot and use the software SR-IOV lab\n"
		"  help                              this text; 'iovbench lab help' for the lab\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	find_build_dir();
	if (!strcmp(cmd, "lab"))
		return cmd_lab(argc - 1, argv + 1);
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
