// SPDX-License-Identifier: MIT
/*
 * test_wire.c - the agent's wire protocol decoder against truncated and hostile payloads, and
 * the lab's QEMU command line as the configuration asks for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/proto.h"
#include "lab/lab.h"
#include "tests/unit.h"

static void encode_sample(struct pbuf *b)
{
	const char *argv[] = { "sh", "-c", "echo hi" };
	struct exec_request rq = { .timeout_ms = 5000, .argc = 3, .argv = argv,
				   .input = (const uint8_t *)"in", .input_len = 2 };

	memset(b, 0, sizeof(*b));
	exec_request_encode(&rq, b);
	CU_ASSERT_EQUAL_FATAL(b->error, 0);
}

/* A round trip keeps every field; every shorter prefix is refused, never read past. */
static void test_wire_request_truncated(void)
{
	struct pbuf full, cut;
	struct exec_request rq;

	encode_sample(&full);
	full.pos = 0;
	CU_ASSERT_EQUAL_FATAL(exec_request_decode(&full, &rq), 0);
	CU_ASSERT_EQUAL(rq.timeout_ms, 5000);
	CU_ASSERT_EQUAL_FATAL(rq.argc, 3);
	CU_ASSERT_STRING_EQUAL(rq.argv[2], "echo hi");
	CU_ASSERT_EQUAL(rq.input_len, 2);
	free(rq.argv);
	for (size_t n = 0; n < full.len; n++) {
		/* each prefix in a heap block of exactly its size, so an over-read shows under ASan */
		memset(&cut, 0, sizeof(cut));
		pbuf_put_raw(&cut, full.data, n);
		cut.pos = 0;
		memset(&rq, 0, sizeof(rq));
		CU_ASSERT_EQUAL(exec_request_decode(&cut, &rq), -EPROTO);
		free(rq.argv);
		pbuf_free(&cut);
	}
	pbuf_free(&full);
}

/* An argc far beyond the payload, and a string without its NUL, are refused. */
static void test_wire_request_hostile(void)
{
	struct pbuf b = { 0 };
	struct exec_request rq = { 0 };

	pbuf_put_u32(&b, 1000);
	pbuf_put_u32(&b, 0xffffffffu); /* argc */
	CU_ASSERT_EQUAL(exec_request_decode(&b, &rq), -EPROTO);
	free(rq.argv);
	pbuf_free(&b);

	memset(&b, 0, sizeof(b));
	memset(&rq, 0, sizeof(rq));
	pbuf_put_u32(&b, 1000);
	pbuf_put_u32(&b, 1);
	pbuf_put_bytes(&b, "no-nul", 6); /* a string must carry its NUL */
	pbuf_put_bytes(&b, "", 0);
	CU_ASSERT_EQUAL(exec_request_decode(&b, &rq), -EPROTO);
	free(rq.argv);
	pbuf_free(&b);
}

/* A result's lengths are checked against the payload; a good one decodes with its NULs. */
static void test_wire_result(void)
{
	struct exec_result r = { .status = 3, .timed_out = 1, .out = "out", .err = "", .out_len = 3 };
	struct exec_result d;
	struct pbuf b = { 0 }, cut = { 0 };

	exec_result_encode(&r, &b);
	CU_ASSERT_EQUAL_FATAL(b.error, 0);
	b.pos = 0;
	CU_ASSERT_EQUAL_FATAL(exec_result_decode(&b, &d), 0);
	CU_ASSERT_EQUAL(d.status, 3);
	CU_ASSERT_EQUAL(d.timed_out, 1);
	CU_ASSERT_STRING_EQUAL(d.out, "out");
	CU_ASSERT_EQUAL(d.err_len, 0);
	exec_result_free(&d);
	pbuf_put_raw(&cut, b.data, b.len - 1);
	cut.pos = 0;
	memset(&d, 0, sizeof(d));
	CU_ASSERT_EQUAL(exec_result_decode(&cut, &d), -EPROTO);
	exec_result_free(&d);
	pbuf_free(&cut);
	pbuf_free(&b);
}

static bool has_arg(char **argv, const char *arg)
{
	for (; *argv; argv++)
		if (!strcmp(*argv, arg))
			return true;
	return false;
}

static const char *after(char **argv, const char *arg)
{
	for (; *argv; argv++)
		if (!strcmp(*argv, arg))
			return argv[1];
	return NULL;
}

/* TCG gets the CPU model without ERMS/FSRM; the IOMMU and its kernel options only when asked. */
static void test_wire_qemu_argv(void)
{
	struct lab_config cfg;
	char **argv;

	lab_config_defaults(&cfg);
	cfg.kernel = "/k/vmlinux";
	cfg.initrd = "/k/initramfs.cpio";
	cfg.vm_initrd = "/k/initramfs+vm.cpio";
	argv = lab_qemu_argv(&cfg, "tcg");
	CU_ASSERT_PTR_NOT_NULL_FATAL(argv);
	CU_ASSERT_STRING_EQUAL(argv[0], "qemu-system-x86_64");
	CU_ASSERT_STRING_EQUAL(after(argv, "-cpu"), "max,-erms,-fsrm");
	CU_ASSERT_STRING_EQUAL(after(argv, "-machine"), "q35");
	CU_ASSERT_STRING_EQUAL(after(argv, "-initrd"), "/k/initramfs.cpio");
	CU_ASSERT_STRING_EQUAL(after(argv, "-m"), "2048");
	CU_ASSERT_FALSE(has_arg(argv, "intel-iommu,intremap=on,caching-mode=on"));
	CU_ASSERT_PTR_NULL(strstr(after(argv, "-append"), "intel_iommu=on"));
	lab_free_argv(argv);

	cfg.iommu = true;
	cfg.mem_mb = LAB_VM_MEM_MB;
	argv = lab_qemu_argv(&cfg, "kvm");
	CU_ASSERT_PTR_NOT_NULL_FATAL(argv);
	CU_ASSERT_STRING_EQUAL(after(argv, "-cpu"), "host");
	CU_ASSERT_STRING_EQUAL(after(argv, "-machine"), "q35,kernel-irqchip=split");
	CU_ASSERT_STRING_EQUAL(after(argv, "-initrd"), "/k/initramfs+vm.cpio");
	CU_ASSERT(has_arg(argv, "intel-iommu,intremap=on,caching-mode=on"));
	CU_ASSERT_PTR_NOT_NULL(strstr(after(argv, "-append"), "intel_iommu=on iommu=pt"));
	lab_free_argv(argv);
}

IOV_SUITE(wire, { "exec request: round trip, every truncation refused", test_wire_request_truncated },
	  { "exec request: hostile argc and unterminated strings refused", test_wire_request_hostile },
	  { "exec result: round trip, truncation refused", test_wire_result },
	  { "lab QEMU command line: TCG CPU model, IOMMU only when asked", test_wire_qemu_argv })
