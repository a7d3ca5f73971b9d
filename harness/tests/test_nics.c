// SPDX-License-Identifier: MIT
/*
 * test_nics.c - the NIC kinds' table: its facts agree with one another, with the result schema,
 * with the driver pairs compare.c names, and its shell form is valid and says the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "guests/guests.h"
#include "nics/nics.h"
#include "suite.h"
#include "tests/unit.h"
#include "toggles/toggles.h"

/* Every kind's facts hold together: a kind that breaks a rule is named. */
static void test_table_consistent(void)
{
	int ceilings = 0;

	for (int i = 0; i < IOV_NIC_COUNT; i++) {
		const struct iov_nic_ops *k = iov_nic(i);
		bool ours = k->domain.ours || k->guest.ours, all_offered = true;

		for (int g = 0; g < IOV_GUEST_COUNT; g++)
			all_offered &= iov_nic_offered(i, g);
		CU_ASSERT_EQUAL(iov_nic_lookup(k->name), i);
		CU_ASSERT_PTR_NOT_NULL(k->help && strstr(k->help, k->name));
		CU_ASSERT(k->domain.module && k->guest.module);
		/* our instrumentation exists only where one of our drivers is loaded */
		CU_ASSERT_EQUAL(k->instrumentation != -1, ours);
		/* the toggle measures both our drivers' instrumentation, from on */
		CU_ASSERT(!k->instr_toggle || (k->instrumentation == 1 && k->domain.ours && k->guest.ours));
		/* a kind offered by namespace guests has a namespace topology */
		CU_ASSERT_EQUAL(k->netns_hook != NULL, iov_nic_offered(i, IOV_GUEST_NETNS));
		/* a guest kind that lacks it is told why */
		CU_ASSERT_EQUAL(k->not_offered_why != NULL, !all_offered);
		CU_ASSERT_EQUAL(k->lab_only, k->lab_pair.model != NULL);
		/* a VM guest gets a NIC of every kind it offers, and an SR-IOV kind's is its VF, assigned */
		CU_ASSERT_EQUAL(k->vm_nic.model != NULL, iov_nic_offered(i, IOV_GUEST_VM));
		CU_ASSERT_EQUAL(k->vm_nic.backend != IOV_NIC_VM_NONE, k->vm_nic.model != NULL);
		CU_ASSERT(!k->vm_nic.model || (k->vm_nic.backend == IOV_NIC_VM_VFIO) == k->sriov);
		/* SR-IOV: a PF driver and a VF driver; the others drive both ends alike */
		CU_ASSERT(k->sriov ? strcmp(k->domain.module, k->guest.module) != 0
				   : !strcmp(k->domain.module, k->guest.module));
		if (k->topology_of) {
			/* sharing a topology means sharing its drivers: only the switch differs */
			CU_ASSERT_STRING_EQUAL(k->topology_of->domain.module, k->domain.module);
			CU_ASSERT_STRING_EQUAL(k->topology_of->guest.module, k->guest.module);
			CU_ASSERT_EQUAL((int)iov_nic_topology(i), iov_nic_lookup(k->topology_of->name));
		} else {
			CU_ASSERT_EQUAL((int)iov_nic_topology(i), i);
		}
		/* no device, no interrupts: only a kind without a device model may say so */
		CU_ASSERT(!k->no_device_irqs || k->role == IOV_NIC_ROLE_CEILING);
		ceilings += k->role == IOV_NIC_ROLE_CEILING;
	}
	CU_ASSERT_EQUAL(ceilings, 1);
	/* the toggle rules read the table: the instrumentation's the subject alone, a hostile VF's
	 * every SR-IOV kind, and only with a period */
	for (int i = 0; i < IOV_NIC_COUNT; i++) {
		struct iov_workload wl = { .instr_toggle_s = 5 };
		const struct iov_toggle_ops *t = iov_toggle_of(i, &wl);

		CU_ASSERT_EQUAL(t != NULL, iov_nic(i)->instr_toggle);
		wl = (struct iov_workload){ .hostile_vf_toggle_s = 5 };
		t = iov_toggle_of(i, &wl);
		CU_ASSERT_EQUAL(t != NULL, iov_nic_is_sriov(i));
		wl = (struct iov_workload){ 0 };
		CU_ASSERT_PTR_NULL(iov_toggle_of(i, &wl));
	}
	CU_ASSERT_STRING_EQUAL(iov_nic_name(iov_nic_with_role(IOV_NIC_ROLE_CEILING)), "veth");
	CU_ASSERT_STRING_EQUAL(iov_nic_name(iov_nic_with_role(IOV_NIC_ROLE_SUBJECT)), "vf");
	CU_ASSERT_STRING_EQUAL(iov_nic_role_name(IOV_NIC_ROLE_CEILING), "ceiling");
	CU_ASSERT_PTR_NULL(iov_nic(IOV_NIC_COUNT));
	CU_ASSERT_EQUAL(iov_nic_lookup("sriov"), -1);
	CU_ASSERT(!iov_nic_offered(IOV_NIC_VETH, IOV_GUEST_VM) && !iov_nic_offered(IOV_NIC_VF_NOINSTR, IOV_GUEST_VM));
}

/* The first "enum" of the schema's $defs member key. */
static json_t *schema_enum(json_t *schema, const char *key)
{
	return json_object_get(json_object_get(json_object_get(schema, "$defs"), key), "enum");
}

/* A new kind is also a value of the result schema's "nic", in the table's order. */
static void test_schema_lists_kinds(void)
{
	json_t *schema = json_load_file("../../results-schema/result.schema.json", 0, NULL), *e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(schema);
	e = schema_enum(schema, "nic");
	CU_ASSERT_PTR_NOT_NULL(e);
	CU_ASSERT_EQUAL(json_array_size(e), IOV_NIC_COUNT);
	for (size_t i = 0; e && i < json_array_size(e) && i < IOV_NIC_COUNT; i++)
		CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(e, i)), iov_nic_name(i));
	json_decref(schema);
}

static const struct iov_nic_ops *kind(const char *name)
{
	return iov_nic(iov_nic_lookup(name));
}

/*
 * compare.c's paired ratios swap one driver with the other fixed: each pair's two kinds share
 * one driver, differ in the other (ours over the in-tree one), and the label names both.
 */
static void test_driver_pairs(void)
{
	for (size_t p = 0; p < IOV_DRIVER_PAIRS; p++) {
		const struct iov_driver_pair *dp = &iov_driver_pairs[p];
		const struct iov_nic_ops *num = kind(dp->a), *den = kind(dp->b);
		bool same_pf, same_vf;
		const struct iov_nic_driver *ours, *theirs, *fixed;

		CU_ASSERT_PTR_NOT_NULL_FATAL(num);
		CU_ASSERT_PTR_NOT_NULL_FATAL(den);
		CU_ASSERT(num->sriov && den->sriov);
		same_pf = !strcmp(num->domain.module, den->domain.module);
		same_vf = !strcmp(num->guest.module, den->guest.module);
		CU_ASSERT_FATAL(same_pf != same_vf);
		ours = same_pf ? &num->guest : &num->domain;
		theirs = same_pf ? &den->guest : &den->domain;
		fixed = same_pf ? &num->domain : &num->guest;
		CU_ASSERT(ours->ours && !theirs->ours);
		/* "PF iovpf over igb, VF iovvf": the swapped drivers first, then the fixed one */
		{
			char want[128];

			snprintf(want, sizeof(want), "%s %s over %s, %s %s", same_pf ? "VF" : "PF", ours->module,
				 theirs->module, same_pf ? "PF" : "VF", fixed->module);
			CU_ASSERT_STRING_EQUAL(dp->what, want);
		}
	}
}

/* The shell form parses, and says for each kind what the table says. */
static void test_shell(void)
{
	struct iov_buf sh = { 0 };
	struct iov_err err;
	char path[] = "/tmp/iov-nics-XXXXXX", cmd[1024], *out;
	int fd;
	FILE *p;
	size_t len = 0;

	CU_ASSERT_EQUAL_FATAL(iov_nic_shell(&sh), 0);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_EQUAL_FATAL(iov_write_file_atomic(path, sh.data, sh.len, &err), 0);
	/* every kind through the functions guest-lib calls, in the guest's dash if there is one */
	snprintf(cmd, sizeof(cmd),
		 "sh -c 'iov_die() { echo \"die: $*\"; exit 1; }; . %s; for k in vf vf-noinstr e1000e veth; do "
		 "echo \"$k $(iov_nic_drivers $k) $(iov_nic_hook $k) $(iov_nic_instrumentation $k)\"; "
		 "iov_nic_sriov $k && echo \"$k sriov\"; done; iov_pair_mac virtio 3 b; echo; "
		 "(iov_nic_offered vf vm && echo vf vm ok); (iov_nic_offered veth vm); "
		 "for k in vf-inbox e1000e virtio; do iov_nic_vm_nic $k; done; (iov_nic_vm_nic veth); "
		 "echo \"$IOV_NIC_MODULES / $IOV_NIC_INTREE_MODULES / $IOV_NIC_VM_GUEST_MODULES\"' 2>&1",
		 path);
	p = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	out = calloc(1, 4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	len = fread(out, 1, 4095, p);
	out[len] = '\0';
	pclose(p);
	CU_ASSERT_STRING_EQUAL(out,
			       "vf iovpf iovvf iov_sriov_topology 1\nvf sriov\n"
			       "vf-noinstr iovpf iovvf iov_sriov_topology 0\nvf-noinstr sriov\n"
			       "e1000e e1000e iov_pair_topology -1\n"
			       "veth veth iov_veth_topology -1\n"
			       "52:54:00:f0:03:0b\nvf vm ok\n"
			       "die: veth: no vm guest form: a veth pair joins namespaces of one kernel, and a VM "
			       "guest runs its own\n"
			       "vfio-pci vfio\ne1000e tap\nvirtio-net-pci vhost\n"
			       "die: veth: no vm guest form: a veth pair joins namespaces of one kernel, and a VM "
			       "guest runs its own\n"
			       "iovvf igbvf e1000e virtio_net veth iovpf igb / igb igbvf e1000e virtio_net veth / "
			       "igbvf e1000e virtio_net\n");
	free(out);
	unlink(path);
	iov_buf_free(&sh);
}

IOV_SUITE(nics,
	  { "every kind's facts agree with one another", test_table_consistent },
	  { "the result schema lists the same kinds", test_schema_lists_kinds },
	  { "compare's driver pairs swap one driver of the table's kinds", test_driver_pairs },
	  { "the shell form for guest-lib parses and says the same", test_shell })
