/* SPDX-License-Identifier: MIT */
/*
 * kvm_reasons.h - the names of KVM's exit reasons (kvm:kvm_exit's isa and exit_reason), for the
 * hist triggers' counts (collect/kvm.c) and for iovperf, which counts the reasons the I/O path
 * explains one by one (agent/iovperf.c). No libperf or harness dependency: iovperf is static.
 */
#ifndef IOV_COLLECT_KVM_REASONS_H
#define IOV_COLLECT_KVM_REASONS_H

#include <stdbool.h>
#include <stddef.h>

#define IOV_KVM_ISA_VMX 1
#define IOV_KVM_ISA_SVM 2

/* "hlt", "npf", "io", ... for the common exit codes of both ISAs; else "vmx_N"/"svm_0xN". */
const char *iov_kvm_reason_name(unsigned isa, unsigned code, char *buf, size_t len);

/*
 * The i-th exit reason of isa that the I/O path explains (interrupts, interrupt windows, halts,
 * port and MMIO accesses, MSR writes, nested page faults): false past the last one.
 */
bool iov_kvm_io_reason(unsigned isa, size_t i, unsigned *code, const char **name);

#endif
