/* SPDX-License-Identifier: MIT */
/*
 * kvm.h - the hypervisor's work for one VM guest, counted by KVM's tracepoints in the driver
 * domain through in-kernel histograms (hist triggers: exact counts, nothing sampled), summed
 * over the guest's QEMU threads, as guest-lib's iov_kvm_counts prints them:
 *
 *   exit ISA REASON N   VM exits with that exit code (ISA 1 = VMX, 2 = SVM)
 *   inj N               interrupts injected into the guest (kvm_inj_virq)
 *   userspace N         exits to QEMU, the device model (kvm_userspace_exit)
 *   host_irq N          interrupts the guest's assigned device raised in the driver domain
 *                       (its vfio-msix vectors), which KVM forwards to the guest
 */
#ifndef IOV_COLLECT_KVM_H
#define IOV_COLLECT_KVM_H

#include <stddef.h>
#include <stdint.h>

#include "collect/kvm_reasons.h"
#include "util.h"

#define IOV_KVM_MAX_REASONS 48

struct iov_kvm_counts {
	size_t nreasons;
	struct {
		unsigned isa, code;
		uint64_t n;
	} reason[IOV_KVM_MAX_REASONS];
	uint64_t exits; /* sum over reasons */
	uint64_t inj, userspace, host_irq;
	bool has_host_irq;
};

int iov_kvm_parse(const char *text, struct iov_kvm_counts *c, struct iov_err *err);
/* after - before, reason by reason (a reason new in after counts from zero); a counter going
 * down (the guest's QEMU was restarted) is an error. */
int iov_kvm_delta(const struct iov_kvm_counts *before, const struct iov_kvm_counts *after,
		  struct iov_kvm_counts *delta, struct iov_err *err);

#endif
