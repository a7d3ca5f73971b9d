// SPDX-License-Identifier: MIT
/* kvm_reasons.c - KVM exit reason names (kvm_reasons.h). */
#include "collect/kvm_reasons.h"

#include <stdio.h>

/* io: the reasons the I/O path explains, which iovperf counts one by one */
static const struct {
	unsigned isa, code;
	const char *name;
	bool io;
} reason_names[] = {
	/* SVM exit codes (AMD APM vol. 2, appendix C) */
	{ IOV_KVM_ISA_SVM, 0x060, "intr", true },
	{ IOV_KVM_ISA_SVM, 0x061, "nmi", false },
	{ IOV_KVM_ISA_SVM, 0x062, "smi", false },
	{ IOV_KVM_ISA_SVM, 0x063, "init", false },
	{ IOV_KVM_ISA_SVM, 0x064, "vintr", true },
	{ IOV_KVM_ISA_SVM, 0x065, "cr0_sel_write", false },
	{ IOV_KVM_ISA_SVM, 0x06e, "rdtsc", false },
	{ IOV_KVM_ISA_SVM, 0x072, "cpuid", false },
	{ IOV_KVM_ISA_SVM, 0x073, "rsm", false },
	{ IOV_KVM_ISA_SVM, 0x077, "pause", true },
	{ IOV_KVM_ISA_SVM, 0x078, "hlt", true },
	{ IOV_KVM_ISA_SVM, 0x079, "invlpg", false },
	{ IOV_KVM_ISA_SVM, 0x07b, "io", true },
	{ IOV_KVM_ISA_SVM, 0x07c, "msr", true },
	{ IOV_KVM_ISA_SVM, 0x07f, "shutdown", false },
	{ IOV_KVM_ISA_SVM, 0x081, "vmmcall", false },
	{ IOV_KVM_ISA_SVM, 0x089, "wbinvd", false },
	{ IOV_KVM_ISA_SVM, 0x08b, "mwait", false },
	{ IOV_KVM_ISA_SVM, 0x08d, "xsetbv", false },
	{ IOV_KVM_ISA_SVM, 0x08f, "efer_write_trap", false },
	{ IOV_KVM_ISA_SVM, 0x400, "npf", true },
	{ IOV_KVM_ISA_SVM, 0x401, "avic_incomplete_ipi", true },
	{ IOV_KVM_ISA_SVM, 0x402, "avic_unaccelerated_access", true },
	/* VMX basic exit reasons (Intel SDM vol. 3, appendix C) */
	{ IOV_KVM_ISA_VMX, 1, "intr", true },
	{ IOV_KVM_ISA_VMX, 7, "interrupt_window", true },
	{ IOV_KVM_ISA_VMX, 10, "cpuid", false },
	{ IOV_KVM_ISA_VMX, 12, "hlt", true },
	{ IOV_KVM_ISA_VMX, 30, "io", true },
	{ IOV_KVM_ISA_VMX, 31, "msr_read", false },
	{ IOV_KVM_ISA_VMX, 32, "msr_write", true },
	{ IOV_KVM_ISA_VMX, 44, "apic_access", true },
	{ IOV_KVM_ISA_VMX, 45, "eoi_induced", true },
	{ IOV_KVM_ISA_VMX, 48, "ept_violation", true },
	{ IOV_KVM_ISA_VMX, 49, "ept_misconfig", true },
	{ IOV_KVM_ISA_VMX, 52, "preemption_timer", false },
	{ IOV_KVM_ISA_VMX, 56, "apic_write", true },
};
#define NREASONS (sizeof(reason_names) / sizeof(reason_names[0]))

const char *iov_kvm_reason_name(unsigned isa, unsigned code, char *buf, size_t len)
{
	for (size_t i = 0; i < NREASONS; i++)
		if (reason_names[i].isa == isa && reason_names[i].code == code)
			return reason_names[i].name;
	if (isa == IOV_KVM_ISA_SVM && code < 0x60)
		/* control and debug register accesses and exceptions come in ranges */
		snprintf(buf, len, "%s%u", code < 0x10 ? "cr_read" : code < 0x20 ? "cr_write" : code < 0x30 ? "dr_read"
				      : code < 0x40 ? "dr_write" : "exception",
			 code < 0x40 ? code % 16 : code - 0x40);
	else if (isa == IOV_KVM_ISA_SVM)
		snprintf(buf, len, "svm_0x%x", code);
	else
		snprintf(buf, len, "%s_%u", isa == IOV_KVM_ISA_VMX ? "vmx" : "isa", code);
	return buf;
}

bool iov_kvm_io_reason(unsigned isa, size_t i, unsigned *code, const char **name)
{
	for (size_t r = 0; r < NREASONS; r++) {
		if (reason_names[r].isa != isa || !reason_names[r].io)
			continue;
		if (i-- == 0) {
			*code = reason_names[r].code;
			*name = reason_names[r].name;
			return true;
		}
	}
	return false;
}
