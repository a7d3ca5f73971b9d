// SPDX-License-Identifier: MIT
/* qemu.c - the lab's QEMU command line (see lab.h for the topology it builds). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lab.h"
#include "nics/nics.h"

struct argv_builder {
	char **v;
	size_t n, cap;
};

static void add(struct argv_builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct argv_builder *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (b->n + 2 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = realloc(b->v, b->cap * sizeof(*b->v));
		if (!b->v)
			abort();
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	b->v[b->n++] = s;
	b->v[b->n] = NULL;
}

void lab_free_argv(char **argv)
{
	for (char **p = argv; p && *p; p++)
		free(*p);
	free(argv);
}

/*
 * One baseline pair: two NICs of `model` whose dgram netdevs send to each other's socket.
 * Sockets are relative paths: QEMU runs with the lab directory as its cwd, which keeps them
 * short whatever the directory's depth (sun_path is 108 bytes).
 */
static void add_pair(struct argv_builder *b, const struct iov_nic_lab_pair *p, int i)
{
	for (int side = 0; side < 2; side++) {
		char me = side ? 'b' : 'a', peer = side ? 'a' : 'b';

		add(b, "-netdev");
		add(b, "dgram,id=%c%d%c,local.type=unix,local.path=%c%d%c.sock,"
		       "remote.type=unix,remote.path=%c%d%c.sock",
		    p->tag, i, me, p->tag, i, me, p->tag, i, peer);
		add(b, "-device");
		add(b, "%s,netdev=%c%d%c,mac=52:54:00:%02x:%02x:0%c,bus=pcie.0,addr=0x%x.%d%s", p->model, p->tag, i,
		    me, p->mac_byte, i, me, p->slot + i, side, side ? "" : ",multifunction=on");
	}
}

char **lab_qemu_argv(const struct lab_config *cfg, const char *accel)
{
	struct argv_builder b = { 0 };

	add(&b, "%s", cfg->qemu ? cfg->qemu : "qemu-system-x86_64");
	add(&b, "-name");
	add(&b, "iovbench-lab,debug-threads=on"); /* "CPU N/TCG": perf_qemu tells vCPU threads by name */
	add(&b, "-nodefaults");
	add(&b, "-display");
	add(&b, "none");
	add(&b, "-no-reboot");
	/* Run-state changes go to qemu.log: a QEMU that vanished without a "new_state ...
	 * (shutdown)" line there died abruptly (a signal such as SIGSEGV or SIGKILL), not because
	 * the guest reset or powered off. */
	add(&b, "-trace");
	add(&b, "runstate_set");
	add(&b, "-machine");
	/* Interrupt remapping (intremap=on) under KVM needs the split irqchip; TCG ignores it. */
	add(&b, "%s", cfg->iommu ? "q35,kernel-irqchip=split" : "q35");
	if (!strcmp(accel, "kvm")) {
		add(&b, "-accel");
		add(&b, "kvm");
		add(&b, "-cpu");
		add(&b, "host");
	} else {
		add(&b, "-accel");
		add(&b, "tcg,thread=multi");
		/*
		 * Without ERMS/FSRM the guest kernel copies with 8-byte moves instead of
		 * `rep movsb`, which TCG runs one byte at a time through its soft TLB. With
		 * them, whenever a copy's source and destination pages collided in that TLB
		 * every byte took the slow path (perf: helper_ldub_mmu/helper_stb_mmu): a whole
		 * repetition then ran at half speed, at random after a topology change (7 of the
		 * 60 driver-anchor repetitions of one make bench, every SR-IOV kind). Without
		 * them: no dip in 32 runs with a rebuild before each, TCP VF to PF 1.3-1.6
		 * instead of 0.9-1.1 Gbit/s.
		 */
		add(&b, "-cpu");
		add(&b, "max,-erms,-fsrm");
	}
	add(&b, "-m");
	add(&b, "%d", cfg->mem_mb);
	add(&b, "-smp");
	add(&b, "%d", cfg->cpus);
	add(&b, "-kernel");
	add(&b, "%s", cfg->kernel);
	add(&b, "-initrd");
	add(&b, "%s", lab_initrd(cfg));
	/* panic=-1 + -no-reboot: a guest panic ends QEMU, which the harness sees as a crash. */
	add(&b, "-append");
	add(&b, "console=ttyS0 panic=-1 loglevel=4 net.ifnames=0%s",
	    cfg->iommu ? " intel_iommu=on iommu=pt" : "");
	add(&b, "-serial");
	add(&b, "file:console.log");
	add(&b, "-pidfile");
	add(&b, "qemu.pid");

	/*
	 * The IOMMU comes before every PCI device it translates for. caching-mode=on makes the
	 * guest report each mapping change, which VFIO in the guest needs to assign a VF to L2;
	 * intremap=on gives L2's VF interrupts remapping entries (vfio-pci wants them for MSI-X).
	 */
	if (cfg->iommu) {
		add(&b, "-device");
		add(&b, "intel-iommu,intremap=on,caching-mode=on");
	}

	/* The PF alone behind a root port: PF 01:00.0, VFs from 01:10.0 (offset 0x80, stride 2). */
	add(&b, "-device");
	add(&b, "pcie-root-port,id=rp0,slot=1,chassis=1,bus=pcie.0,addr=0x2");
	add(&b, "-netdev");
	add(&b, "hubport,id=pf0,hubid=0");
	add(&b, "-device");
	add(&b, "igb,bus=rp0,netdev=pf0,mac=52:54:00:10:00:00");

	/* the NIC kinds whose NICs are the lab's pairs (nics/nics.h: .lab_pair) */
	for (int i = 0; i < cfg->pairs; i++)
		for (int k = 0; k < IOV_NIC_COUNT; k++)
			if (iov_nic(k)->lab_pair.model)
				add_pair(&b, &iov_nic(k)->lab_pair, i);

	add(&b, "-device");
	add(&b, "virtio-serial-pci,bus=pcie.0,addr=0x3");
	add(&b, "-chardev");
	add(&b, "socket,id=agent,path=agent.sock,server=on,wait=off");
	add(&b, "-device");
	add(&b, "virtserialport,chardev=agent,name=" AGENT_PORT_NAME);
	return b.v;
}
