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

#include "compare.h"
#include "extract.h"
#include "gate.h"
#include "history.h"
#include "lab/lab.h"
#include "report.h"
#include "result.h"
#include "run.h"
#include "suite.h"
#include "summary.h"
#include "tools/tools.h"

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

/* The lab's files from make lab: the kernel is set by the caller; the images and the probe cache
 * (each buffer PATH_MAX + 32). The VM add-on's image is booted only with cfg->iommu. */
static void lab_files(struct lab_config *cfg, const char *kernel, char *initrd, char *vm_initrd, char *cache)
{
	snprintf(initrd, PATH_MAX + 32, "%s/lab/initramfs.cpio", build_dir);
	snprintf(vm_initrd, PATH_MAX + 32, "%s/lab/initramfs+vm.cpio", build_dir);
	snprintf(cache, PATH_MAX + 32, "%s/lab/accel-probe.cache", build_dir);
	cfg->kernel = kernel;
	cfg->initrd = initrd;
	cfg->vm_initrd = vm_initrd;
	cfg->probe_cache = cache;
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
		"                       [--boot-timeout S] [--dir DIR] [--iommu]\n"
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
		"  --iommu        for VM guests (KVM inside the lab, VFs through vfio-pci): an emulated\n"
		"                 intel-iommu, intel_iommu=on iommu=pt, the image with the VM add-on\n"
		"                 (BUILD/lab/initramfs+vm.cpio) and --mem %d unless given\n"
		"  --timeout S    exec: kill the command after S seconds (default 300)\n"
		"example: iovbench lab up && iovbench lab exec -- lspci && iovbench lab down\n",
		LAB_MAX_PAIRS, LAB_MAX_PAIRS, LAB_VM_MEM_MB);
}

/* An option's number, strictly: the whole word an integer in [min, max]; else a message and true. */
static bool int_option(const char *name, const char *value, int min, int max, int *out)
{
	if (!iov_parse_int(value, min, max, out))
		return false;
	fprintf(stderr, "iovbench: --%s: '%s' is not a whole number from %d to %d\n", name, value, min, max);
	return true;
}

static int cmd_lab_up(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "accel", required_argument, 0, 'a' }, { "pairs", required_argument, 0, 'p' },
		{ "mem", required_argument, 0, 'm' },   { "cpus", required_argument, 0, 'c' },
		{ "dir", required_argument, 0, 'd' },   { "boot-timeout", required_argument, 0, 't' },
		{ "iommu", no_argument, 0, 'i' },
		{ 0, 0, 0, 0 }
	};
	char kernel[PATH_MAX], initrd[PATH_MAX + 32], vm_initrd[PATH_MAX + 32], cache[PATH_MAX + 32];
	char err[ERRLEN] = "";
	struct lab_config cfg;
	struct lab lab;
	bool mem_given = false, bad = false;
	int c;

	lab_config_defaults(&cfg);
	cfg.dir = default_lab_dir();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': cfg.accel = optarg; break;
		case 'p': bad |= int_option("pairs", optarg, 0, LAB_MAX_PAIRS, &cfg.pairs); break;
		case 'm': bad |= int_option("mem", optarg, 64, 1 << 20, &cfg.mem_mb); mem_given = true; break;
		case 'c': bad |= int_option("cpus", optarg, 1, 1024, &cfg.cpus); break;
		case 'd': cfg.dir = optarg; break;
		case 't': bad |= int_option("boot-timeout", optarg, 1, 86400, &cfg.boot_timeout_s); break;
		case 'i': cfg.iommu = true; break;
		default: usage_lab(stderr); return 2;
		}
	}
	if (bad)
		return 2;
	if (kernel_env("VMLINUX", kernel, sizeof(kernel))) {
		fprintf(stderr, "iovbench: no guest kernel configured (%s/kernel.env): run 'make lab'\n",
			build_dir);
		return 1;
	}
	lab_files(&cfg, kernel, initrd, vm_initrd, cache);
	if (cfg.iommu && !mem_given)
		cfg.mem_mb = LAB_VM_MEM_MB;
	fprintf(stderr, "iovbench: booting the lab in %s (accel %s, %d baseline pairs%s)\n", cfg.dir,
		cfg.accel, cfg.pairs, cfg.iommu ? ", IOMMU and VM add-on" : "");
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
			if (int_option("timeout", optarg, 1, 86400, timeout_s))
				return 2;
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
	exec_result_relay(&res, "iovbench", timeout_s);
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

/* The tree this binary was built from: BUILD/.. holds workloads/ and harness/. */
static void tree_path(char *out, size_t len, const char *rel)
{
	snprintf(out, len, "%s/../%s", build_dir, rel);
}

static void usage_run(FILE *f)
{
	fprintf(f,
		"usage: iovbench run [OPTIONS] [WORKLOAD...]\n"
		"\n"
		"Runs a suite (default: the 'default' suite) or the named workloads: boots the target once,\n"
		"builds each experiment's topology (one NIC per guest), runs the traffic of every\n"
		"repetition on all guests at once and records every metric. The result is\n"
		"OUT/RUN-ID/result.json (rewritten after every repetition), raw inputs in OUT/RUN-ID/raw/,\n"
		"the lab's console and QEMU logs in OUT/RUN-ID/lab/; OUT/latest points at the newest run.\n"
		"\n"
		"options (they override the workload and suite files):\n"
		"  --suite NAME       run workloads/suite-NAME.suite (default, full)\n"
		"  --guests N[,M..]   guests (one NIC each), 1..7                     e.g. --guests 2,6\n"
		"  --guest-kind K     netns (a namespace of the driver domain) or vm (a KVM virtual\n"
		"                     machine in the driver domain, its VF assigned through vfio-pci)\n"
		"  --nic KIND[,..]    vf (iovpf+iovvf), vf-inbox (igb+igbvf), vf-iovpf-igbvf, vf-igb-iovvf,\n"
		"                     vf-noinstr (ours, instrumentation off), e1000e, virtio, veth (no\n"
		"                     device: the lab's ceiling), all; `iovbench list nics` tells each\n"
		"  --interleave KIND[,..]  measure these kinds repetition by repetition (ABBA), for\n"
		"                     paired ratios between them; all = every kind run\n"
		"  --reps R           repetitions per experiment (the workload's default: 5)\n"
		"  --duration S       seconds of traffic per repetition\n"
		"  --accel A          auto (probe KVM, fall back to TCG), kvm or tcg\n"
		"  --out DIR          results directory (default: results)\n"
		"  --target T         lab (QEMU software lab, default) or host (this machine's SR-IOV NIC)\n"
		"  --workloads DIR    workload directory (default: the tree's workloads/)\n"
		"\n"
		"exit status: 0 all experiments ok, 1 some failed or partial, 2 bad input, no run, or the run not recorded in the history\n"
		"examples:\n"
		"  iovbench run                                   the default suite (what make bench runs)\n"
		"  iovbench run --nic vf,vf-inbox --guests 2 --reps 3 tcp-stream\n"		"  iovbench run --nic vf,vf-igb-iovvf --interleave all --guests 1 --reps 8 tcp-stream\n"
		"  iovbench run --suite full --out /srv/results\n");
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "suite", required_argument, 0, 's' },    { "guests", required_argument, 0, 'g' },
		{ "nic", required_argument, 0, 'n' },      { "reps", required_argument, 0, 'r' },
		{ "duration", required_argument, 0, 'd' }, { "accel", required_argument, 0, 'a' },
		{ "out", required_argument, 0, 'o' },      { "target", required_argument, 0, 't' },
		{ "workloads", required_argument, 0, 'w' }, { "interleave", required_argument, 0, 'i' },
		{ "guest-kind", required_argument, 0, 'k' }, { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	char kernel[PATH_MAX], initrd[PATH_MAX + 32], cache[PATH_MAX + 32], wdir[PATH_MAX + 32];
	char vm_initrd[PATH_MAX + 32];
	char agent[PATH_MAX + 32], glib[PATH_MAX + 32], nics_sh[PATH_MAX + 32], cmdline[4096] = "";
	struct run_options opt = { .out_dir = "results" };
	int c;

	tree_path(wdir, sizeof(wdir), "workloads");
	opt.workload_dir = wdir;
	opt.target.ops = &iov_target_lab;
	lab_config_defaults(&opt.target.lab);
	for (int i = 0; i < argc; i++) {
		size_t used = strlen(cmdline);

		snprintf(cmdline + used, sizeof(cmdline) - used, "%s%s", i ? " " : "iovbench ", argv[i]);
	}
	opt.command_line = cmdline;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': opt.suite = optarg; break;
		case 'g': opt.guests = optarg; break;
		case 'n': opt.nic = optarg; break;
		case 'k': opt.guest_kind = optarg; break;
		case 'i': opt.interleave = optarg; break;
		case 'r': opt.reps = optarg; break;
		case 'd': opt.duration_s = optarg; break;
		case 'a': opt.target.lab.accel = optarg; break;
		case 'o': opt.out_dir = optarg; break;
		case 'w': opt.workload_dir = optarg; break;
		case 't':
			opt.target.ops = iov_target_lookup(optarg);
			if (!opt.target.ops) {
				char names[64];

				iov_target_names(" or ", names, sizeof(names));
				fprintf(stderr, "iovbench: --target must be %s, not '%s'\n", names, optarg);
				return 2;
			}
			break;
		case 'h': usage_run(stdout); return 0;
		default: usage_run(stderr); return 2;
		}
	}
	if (optind < argc) {
		opt.workloads = (const char *const *)argv + optind;
		opt.nworkloads = (size_t)(argc - optind);
		if (opt.suite) {
			fprintf(stderr, "iovbench: give either --suite or workload names, not both\n");
			return 2;
		}
	}
	if (opt.target.ops->boots_image) {
		if (kernel_env("VMLINUX", kernel, sizeof(kernel))) {
			fprintf(stderr, "iovbench: no guest kernel configured (%s/kernel.env): run 'make lab'\n",
				build_dir);
			return 2;
		}
		lab_files(&opt.target.lab, kernel, initrd, vm_initrd, cache);
	}
	snprintf(agent, sizeof(agent), "%s/iovagent", build_dir);
	tree_path(glib, sizeof(glib), "harness/lab/guest-lib.sh");
	opt.target.agent_path = agent;
	opt.target.guestlib = glib;
	snprintf(nics_sh, sizeof(nics_sh), "%s/nics.sh", build_dir);
	opt.target.nics_sh = nics_sh;
	return iov_run(&opt);
}

/* `list nics`: the NIC table; `--shell`: as guest-lib.sh's nics.sh (the lab image installs it). */
static int cmd_list_nics(bool shell)
{
	struct iov_buf out = { 0 };

	if (shell ? iov_nic_shell(&out) : iov_nic_reference(&out)) {
		fprintf(stderr, "iovbench: out of memory\n");
		iov_buf_free(&out);
		return 2;
	}
	fputs(out.data, stdout);
	iov_buf_free(&out);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	char wdir[PATH_MAX + 32];
	struct iov_catalogue cat = { 0 };
	struct iov_err err;

	if (argc >= 2 && !strcmp(argv[1], "nics") && (argc == 2 || (argc == 3 && !strcmp(argv[2], "--shell"))))
		return cmd_list_nics(argc == 3);
	if (argc != 1) {
		fprintf(stderr, "usage: iovbench list [nics [--shell]]\n");
		return 2;
	}
	tree_path(wdir, sizeof(wdir), "workloads");
	if (iov_catalogue_load(wdir, &cat, &err)) {
		fprintf(stderr, "iovbench: %s\n", err.msg);
		return 2;
	}
	printf("workloads (%s):\n", wdir);
	for (size_t i = 0; i < cat.n; i++)
		printf("  %-16s %-6s %s\n", cat.workloads[i].name, cat.workloads[i].tool->name,
		       cat.workloads[i].description);
	printf("suites: run with --suite NAME; files %s/suite-NAME.suite\n", wdir);
	iov_catalogue_free(&cat);
	return 0;
}

static int cmd_show(int argc, char **argv)
{
	char path[PATH_MAX + 32];
	struct iov_err err;
	json_t *doc;

	if (argc != 2) {
		fprintf(stderr, "usage: iovbench show RESULT   (a result.json or its run directory)\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s", argv[1]);
	if (access(path, F_OK) == 0 && !strstr(path, ".json"))
		snprintf(path, sizeof(path), "%s/" IOV_RESULT_FILE, argv[1]);
	doc = iov_result_load(path, &err);
	if (!doc) {
		fprintf(stderr, "iovbench: %s\n", err.msg);
		return 2;
	}
	iov_summary_print(stdout, doc);
	json_decref(doc);
	return 0;
}

static int cmd_extract(int argc, char **argv)
{
	char dir[PATH_MAX];
	struct iov_err err;
	size_t len;

	if (argc != 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fprintf(argc == 2 ? stdout : stderr,
			"usage: iovbench extract RUN   (a run directory, or its result.json)\n"
			"\n"
			"Recomputes every metric of RUN's result from the raw inputs its repetitions kept in\n"
			"RUN/raw/ (snapshots, traces, client outputs) with the code 'run' uses, and rewrites the\n"
			"result atomically; repetitions' statuses and notes stay. The history keeps the values\n"
			"it recorded: 'iovbench history add --replace RUN' records the new ones.\n");
		return argc == 2 ? 0 : 2;
	}
	iov_strlcpy(dir, argv[1], sizeof(dir));
	len = strlen(dir);
	if (len >= strlen(IOV_RESULT_FILE) && !strcmp(dir + len - strlen(IOV_RESULT_FILE), IOV_RESULT_FILE))
		dir[len - strlen(IOV_RESULT_FILE)] = '\0';
	if (!dir[0])
		iov_strlcpy(dir, ".", sizeof(dir));
	if (iov_extract_run(dir, &err)) {
		fprintf(stderr, "iovbench: extract: %s\n", err.msg);
		return 2;
	}
	printf("result: %s/%s\n", dir, IOV_RESULT_FILE);
	return 0;
}

/* A result.json, or a run directory holding one. */
static void result_path(char *out, size_t len, const char *arg)
{
	snprintf(out, len, "%s", arg);
	if (access(arg, F_OK) == 0 && !strstr(arg, ".json"))
		snprintf(out, len, "%s/" IOV_RESULT_FILE, arg);
}

static json_t *load_result_arg(const char *arg, const char *role)
{
	char path[PATH_MAX + 32];
	struct iov_err err;
	json_t *doc;

	result_path(path, sizeof(path), arg);
	doc = iov_result_load(path, &err);
	if (!doc)
		fprintf(stderr, "iovbench: %s %s: %s\n", role, path, err.msg);
	return doc;
}

static void usage_compare(FILE *f)
{
	fprintf(f,
		"usage: iovbench compare [--json] [--all] [--metric NAME]... [--alpha A] [--min-change PCT] BASE NEW\n"
		"\n"
		"Decides per experiment and metric whether NEW regressed against BASE (result files or run\n"
		"directories): better = higher/lower from the result's metric catalogue; a change counts when\n"
		"the two-sided Mann-Whitney U test (exact for few repetitions) rejects at A (default 0.05) or\n"
		"the (1-A) confidence intervals of the means do not overlap, and the mean moved by at least\n"
		"PCT %% (default 5). --all shows unchanged rows too; --json prints the decisions as JSON.\n"
		"exit status: 0 nothing regressed, 1 a regression, 2 bad input (schema version, missing\n"
		"metrics, mismatched workloads)\n");
}

static int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, 0, 'j' },	    { "all", no_argument, 0, 'A' },
		{ "metric", required_argument, 0, 'm' },    { "alpha", required_argument, 0, 'a' },
		{ "min-change", required_argument, 0, 'c' }, { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *metrics[64];
	size_t nmetrics = 0;
	struct iov_compare_params params;
	struct iov_comparison cmp;
	struct iov_err err;
	bool json = false, all = false;
	json_t *base = NULL, *cur = NULL;
	int c, rc = 2;

	iov_compare_params_default(&params);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'A': all = true; break;
		case 'm':
			if (nmetrics == IOV_ARRAY_SIZE(metrics)) {
				fprintf(stderr, "iovbench: too many --metric\n");
				return 2;
			}
			metrics[nmetrics++] = optarg;
			break;
		case 'a':
			if (iov_parse_double(optarg, &params.alpha) || !(params.alpha > 0 && params.alpha < 1)) {
				fprintf(stderr, "iovbench: --alpha wants a number in (0, 1), not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'c':
			if (iov_parse_double(optarg, &params.min_change_pct) || params.min_change_pct < 0) {
				fprintf(stderr, "iovbench: --min-change wants a percentage >= 0, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'h': usage_compare(stdout); return 0;
		default: usage_compare(stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		usage_compare(stderr);
		return 2;
	}
	base = load_result_arg(argv[optind], "BASE");
	cur = base ? load_result_arg(argv[optind + 1], "NEW") : NULL;
	if (!base || !cur)
		goto out;
	if (iov_compare_docs(base, cur, &params, metrics, nmetrics, &cmp, &err)) {
		fprintf(stderr, "iovbench: compare: %s\n", err.msg);
		goto out;
	}
	if (json) {
		json_t *j = iov_comparison_json(&cmp);

		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		putchar('\n');
		json_decref(j);
	} else {
		iov_comparison_print(stdout, &cmp, all);
	}
	rc = cmp.count[IOV_VERDICT_REGRESSED] ? 1 : 0;
	iov_comparison_free(&cmp);
out:
	json_decref(base);
	json_decref(cur);
	return rc;
}

static void usage_history(FILE *f)
{
	fprintf(f,
		"usage: iovbench history [--db PATH] [--machine M] [--metric NAME [--experiment ID]]\n"
		"       iovbench history add [--db PATH] [--machine M] [--replace] RESULT...\n"
		"\n"
		"Every 'iovbench run' records its values in OUT/history.db (SQLite, versioned schema,\n"
		"migrated on open). Without --metric: the runs, oldest first. With --metric: the metric's\n"
		"mean, CoV and repetitions per run and experiment, with change points in the trend marked.\n"
		"'add' records existing results (a machine name other than this host's with --machine);\n"
		"a run already recorded is refused unless --replace.\n"
		"  --db PATH   default results/history.db\n");
}

static int cmd_history(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' },	 { "machine", required_argument, 0, 'M' },
		{ "metric", required_argument, 0, 'm' }, { "experiment", required_argument, 0, 'x' },
		{ "replace", no_argument, 0, 'r' },	 { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *db = "results/" IOV_HISTORY_FILE, *machine = NULL, *metric = NULL, *experiment = NULL;
	bool add = argc > 1 && !strcmp(argv[1], "add"), replace = false;
	struct iov_history *h;
	struct iov_err err;
	int c, rc = 0;

	if (add) {
		argc--;
		argv++;
	}
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'M': machine = optarg; break;
		case 'm': metric = optarg; break;
		case 'x': experiment = optarg; break;
		case 'r': replace = true; break;
		case 'h': usage_history(stdout); return 0;
		default: usage_history(stderr); return 2;
		}
	}
	if (add ? optind >= argc : optind != argc || replace) {
		usage_history(stderr);
		return 2;
	}
	if (!add && access(db, F_OK)) {
		fprintf(stderr, "iovbench: no history at %s (iovbench run records one in OUT/%s)\n", db,
			IOV_HISTORY_FILE);
		return 2;
	}
	h = iov_history_open(db, &err);
	if (!h) {
		fprintf(stderr, "iovbench: %s\n", err.msg);
		return 2;
	}
	if (add) {
		for (int i = optind; i < argc; i++) {
			char path[PATH_MAX + 32], real[PATH_MAX], *m;
			json_t *doc = load_result_arg(argv[i], "result");

			if (!doc) {
				rc = 2;
				continue;
			}
			result_path(path, sizeof(path), argv[i]);
			m = machine ? strdup(machine) : iov_history_machine(doc, NULL);
			if (iov_history_add(h, doc, realpath(path, real) ? real : path, m, replace, &err)) {
				fprintf(stderr, "iovbench: %s: %s\n", path, err.msg);
				rc = 2;
			} else {
				printf("recorded %s (%s)\n", json_string_value(json_object_get(doc, "run_id")), m);
			}
			free(m);
			json_decref(doc);
		}
	} else if (metric) {
		rc = iov_trend_print(h, stdout, machine, metric, experiment, &err) ? 2 : 0;
	} else {
		rc = iov_history_print_runs(h, stdout, machine, &err) ? 2 : 0;
	}
	if (rc && !add)
		fprintf(stderr, "iovbench: %s\n", err.msg);
	iov_history_close(h);
	return rc;
}

static void usage_gate(FILE *f)
{
	fprintf(f,
		"usage: iovbench gate [--db PATH] [--config FILE] [--run RUN-ID | --result RESULT [--replace]] [--json]\n"
		"\n"
		"Judges the newest run of the history (or RUN-ID; --result records RESULT first and judges it,\n"
		"refusing a run already recorded unless --replace)\n"
		"with the gates of FILE (default: the tree's ci/gates.conf). Ratio gates compare NIC kinds\n"
		"measured inside the run and hold on any machine; absolute gates compare the run with a window\n"
		"of earlier runs of the same machine, flag change points in the trend, and are skipped, saying\n"
		"so, while the history of this machine is too short. A gate that finds nothing to judge in\n"
		"the run (no experiment of its entry and NIC kinds with its metric) fails: ci/gates.conf is\n"
		"written for the default suite (make bench); judge other runs with a --config of their own.\n"
		"exit status: 0 no gate failed, 1 a gate failed, 2 bad input (config, history, run)\n");
}

static int cmd_gate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' },  { "config", required_argument, 0, 'c' },
		{ "run", required_argument, 0, 'r' }, { "result", required_argument, 0, 'R' },
		{ "json", no_argument, 0, 'j' },      { "replace", no_argument, 0, 'p' },
		{ "help", no_argument, 0, 'h' },      { 0, 0, 0, 0 }
	};
	const char *db = "results/" IOV_HISTORY_FILE, *run_id = NULL, *result = NULL;
	char config[PATH_MAX + 32];
	struct iov_compare_params params;
	struct iov_gate_config cfg = { 0 };
	struct iov_gate_report rep;
	struct iov_history *h = NULL;
	struct iov_err err;
	bool json = false, replace = false;
	int c, rc = 2;

	tree_path(config, sizeof(config), "ci/gates.conf");
	iov_compare_params_default(&params);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': snprintf(config, sizeof(config), "%s", optarg); break;
		case 'r': run_id = optarg; break;
		case 'R': result = optarg; break;
		case 'j': json = true; break;
		case 'p': replace = true; break;
		case 'h': usage_gate(stdout); return 0;
		default: usage_gate(stderr); return 2;
		}
	}
	if (optind != argc || (run_id && result) || (replace && !result)) {
		usage_gate(stderr);
		return 2;
	}
	if (iov_gate_config_load(config, &cfg, &err)) {
		fprintf(stderr, "iovbench: gate config: %s\n", err.msg);
		return 2;
	}
	if (!result && access(db, F_OK)) {
		fprintf(stderr, "iovbench: no history at %s (iovbench run records one in OUT/%s)\n", db,
			IOV_HISTORY_FILE);
		goto out;
	}
	h = iov_history_open(db, &err);
	if (!h) {
		fprintf(stderr, "iovbench: %s\n", err.msg);
		goto out;
	}
	if (result) {
		char path[PATH_MAX + 32], real[PATH_MAX], *machine;
		json_t *doc = load_result_arg(result, "result");

		if (!doc)
			goto out;
		result_path(path, sizeof(path), result);
		machine = iov_history_machine(doc, NULL);
		if (!machine || iov_history_add(h, doc, realpath(path, real) ? real : path, machine, replace, &err)) {
			fprintf(stderr, "iovbench: %s\n", machine ? err.msg : "out of memory");
			free(machine);
			json_decref(doc);
			goto out;
		}
		snprintf(path, sizeof(path), "%s", json_string_value(json_object_get(doc, "run_id")));
		free(machine);
		json_decref(doc);
		if (iov_gate_evaluate(h, path, &cfg, &params, &rep, &err)) {
			fprintf(stderr, "iovbench: gate: %s\n", err.msg);
			goto out;
		}
	} else if (iov_gate_evaluate(h, run_id, &cfg, &params, &rep, &err)) {
		fprintf(stderr, "iovbench: gate: %s\n", err.msg);
		goto out;
	}
	if (json) {
		json_t *j = iov_gate_report_json(&rep);

		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(j);
	} else {
		iov_gate_report_print(stdout, &rep);
	}
	rc = rep.count[IOV_GATE_FAIL] ? 1 : 0;
	iov_gate_report_free(&rep);
out:
	iov_history_close(h);
	iov_gate_config_free(&cfg);
	return rc;
}

static void usage_report(FILE *f)
{
	fprintf(f,
		"usage: iovbench report [--baseline RESULT] [--out DIR] [--no-pdf] RESULT...\n"
		"\n"
		"Writes the evaluation of the results (result files or run directories) as a thesis chapter:\n"
		"DIR/report.html (self-contained), DIR/report.md, DIR/figures/*.{png,svg,gp} (gnuplot) and\n"
		"DIR/report.pdf when headless Chromium is installed. Environment and method, figures\n"
		"(throughput against guests, CPU per Gbit/s, interrupts, NAPI polls, mailbox latency CDF)\n"
		"and a table per metric; with --baseline each table says how the mean changed and whether\n"
		"the change is significant (as 'iovbench compare' decides).\n"
		"  --out DIR   default: the first result's run directory/report\n");
}

static int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "baseline", required_argument, 0, 'b' }, { "out", required_argument, 0, 'o' },
		{ "no-pdf", no_argument, 0, 'n' },	   { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	struct iov_report_options ro = { .pdf = true };
	struct iov_report_summary sum;
	char out[PATH_MAX + 32];
	struct iov_err err;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': ro.baseline = optarg; break;
		case 'o': ro.out_dir = optarg; break;
		case 'n': ro.pdf = false; break;
		case 'h': usage_report(stdout); return 0;
		default: usage_report(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage_report(stderr);
		return 2;
	}
	ro.results = (const char *const *)argv + optind;
	ro.nresults = (size_t)(argc - optind);
	if (!ro.out_dir) {
		char first[PATH_MAX];

		snprintf(first, sizeof(first), "%s", argv[optind]);
		if (strstr(first, ".json"))
			snprintf(out, sizeof(out), "%s/report", dirname(first));
		else
			snprintf(out, sizeof(out), "%s/report", first);
		ro.out_dir = out;
	}
	if (iov_report_write(&ro, &sum, &err)) {
		fprintf(stderr, "iovbench: report: %s\n", err.msg);
		return 2;
	}
	printf("report: %s/report.html, %s/report.md (%u figures, %u tables)\n", ro.out_dir, ro.out_dir, sum.figures,
	       sum.tables);
	if (sum.pdf_written)
		printf("report: %s/report.pdf\n", ro.out_dir);
	else
		printf("report: %s\n", sum.pdf_note);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: iovbench COMMAND [OPTIONS]\n"
		"\n"
		"commands:\n"
		"  run [OPTIONS] [WORKLOAD...]       run a suite or workloads ('iovbench run --help')\n"
		"  extract RUN                       recompute a run's metrics from its raw/ files\n"
		"  list [nics [--shell]]             the workloads and suites; the NIC kinds (as shell)\n"
		"  show RESULT                       summary table of a result (file or run directory)\n"
		"  report RESULT... [--baseline R]   HTML/Markdown/PDF evaluation report ('report --help')\n"
		"  compare BASE NEW                  did NEW regress against BASE? ('compare --help')\n"
		"  history [add RESULT...]           runs and metrics over time ('history --help')\n"
		"  gate                              CI gates on the newest run ('gate --help')\n"
		"  lab up|status|exec|put|get|down   boot and use the software SR-IOV lab ('lab help')\n"
		"  help                              this text\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	find_build_dir();
	if (!strcmp(cmd, "lab"))
		return cmd_lab(argc - 1, argv + 1);
	if (!strcmp(cmd, "run")) {
		optind = 1;
		return cmd_run(argc - 1, argv + 1);
	}
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "extract"))
		return cmd_extract(argc - 1, argv + 1);
	if (!strcmp(cmd, "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(cmd, "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(cmd, "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(cmd, "history"))
		return cmd_history(argc - 1, argv + 1);
	if (!strcmp(cmd, "gate"))
		return cmd_gate(argc - 1, argv + 1);
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
