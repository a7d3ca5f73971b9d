// SPDX-License-Identifier: MIT
/* nics.c - the table of NIC kinds (nics.h), and its shell form for guest-lib.sh. */
#include <stdio.h>
#include <string.h>

#include "guests/guests.h"
#include "nics/nics.h"

#define IOV_NIC_ENTRY_(e, ops) [e] = &ops,
static const struct iov_nic_ops *const kinds[IOV_NIC_COUNT] = { IOV_NIC_KINDS(IOV_NIC_ENTRY_) };

static const char *const role_names[IOV_NIC_ROLE_COUNT] = {
	[IOV_NIC_ROLE_SUBJECT] = "subject",	[IOV_NIC_ROLE_ANCHOR] = "anchor",
	[IOV_NIC_ROLE_MIX] = "mix",		[IOV_NIC_ROLE_INSTR_OFF] = "instrumentation-off",
	[IOV_NIC_ROLE_BASELINE] = "baseline",	[IOV_NIC_ROLE_CEILING] = "ceiling",
};

const char *const iov_nic_vm_backend_names[IOV_NIC_VM_BACKEND_COUNT] = {
	[IOV_NIC_VM_NONE] = "none",
	[IOV_NIC_VM_VFIO] = "vfio",
	[IOV_NIC_VM_TAP] = "tap",
	[IOV_NIC_VM_VHOST] = "vhost",
};

const struct iov_nic_ops *iov_nic(int nic)
{
	return nic >= 0 && nic < IOV_NIC_COUNT ? kinds[nic] : NULL;
}

int iov_nic_lookup(const char *name)
{
	for (int i = 0; i < IOV_NIC_COUNT; i++)
		if (!strcmp(kinds[i]->name, name))
			return i;
	return -1;
}

const char *iov_nic_name(enum iov_nic nic)
{
	return kinds[nic]->name;
}

const char *iov_nic_name_at(int i)
{
	return i >= 0 && i < IOV_NIC_COUNT ? kinds[i]->name : NULL;
}

bool iov_nic_is_sriov(enum iov_nic nic)
{
	return kinds[nic]->sriov;
}

enum iov_nic iov_nic_topology(enum iov_nic nic)
{
	const struct iov_nic_ops *of = kinds[nic]->topology_of;

	return of ? (enum iov_nic)iov_nic_lookup(of->name) : nic;
}

int iov_nic_instrumentation(enum iov_nic nic)
{
	return kinds[nic]->instrumentation;
}

bool iov_nic_offered(enum iov_nic nic, int guest_kind)
{
	return kinds[nic]->guest_kinds & (1u << guest_kind);
}

int iov_nic_with_role(enum iov_nic_role role)
{
	for (int i = 0; i < IOV_NIC_COUNT; i++)
		if (kinds[i]->role == role)
			return i;
	return -1;
}

const char *iov_nic_role_name(enum iov_nic_role role)
{
	return role < IOV_NIC_ROLE_COUNT ? role_names[role] : "?";
}

static bool have_driver(const struct iov_nic_driver *const *list, size_t n, const char *module)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i]->module, module))
			return true;
	return false;
}

size_t iov_nic_drivers(const struct iov_nic_driver **out, size_t max)
{
	size_t n = 0;

	for (int i = 0; i < IOV_NIC_COUNT; i++) {
		const struct iov_nic_driver *d[2] = { &kinds[i]->domain, &kinds[i]->guest };

		for (int k = 0; k < 2; k++)
			if (n < max && d[k]->module && !have_driver(out, n, d[k]->module))
				out[n++] = d[k];
	}
	return n;
}

/* "a | b | c": the kinds for which a test holds, as one shell case pattern; "" if none. */
static void case_pattern(bool (*test)(const struct iov_nic_ops *, const void *), const void *arg, char *out,
			 size_t size)
{
	out[0] = '\0';
	for (int i = 0; i < IOV_NIC_COUNT; i++) {
		size_t used = strlen(out);

		if (test(kinds[i], arg))
			snprintf(out + used, size - used, "%s%s", used ? " | " : "", kinds[i]->name);
	}
}

static bool is_sriov(const struct iov_nic_ops *k, const void *arg)
{
	(void)arg;
	return k->sriov;
}

static bool offered_by(const struct iov_nic_ops *k, const void *guest_kind)
{
	return k->guest_kinds & (1u << *(const int *)guest_kind);
}

static int shell_offered(struct iov_buf *out)
{
	int rc = iov_buf_printf(out, "# iov_nic_offered KIND GUEST_KIND: dies saying why a guest kind lacks KIND\n"
				     "iov_nic_offered() {\n\tcase $2 in\n");

	for (int g = 0; g < IOV_GUEST_COUNT; g++) {
		char pat[512];

		case_pattern(offered_by, &g, pat, sizeof(pat));
		rc |= iov_buf_printf(out, "\t%s) case $1 in %s) return 0 ;; esac ;;\n", iov_guest_kind_names[g],
				     pat[0] ? pat : "''");
	}
	rc |= iov_buf_printf(out, "\tesac\n\tcase $1 in\n");
	for (int i = 0; i < IOV_NIC_COUNT; i++)
		if (kinds[i]->not_offered_why)
			rc |= iov_buf_printf(out, "\t%s) iov_die \"%s: no $2 guest form: %s\" ;;\n", kinds[i]->name,
					     kinds[i]->name, kinds[i]->not_offered_why);
	rc |= iov_buf_printf(out, "\t*) iov_die \"NIC kind '$1' has no $2 guest form\" ;;\n\tesac\n}\n");
	return rc;
}

static int shell_pair_mac(struct iov_buf *out)
{
	int rc = iov_buf_printf(out, "# iov_pair_mac KIND PAIR SIDE: MAC of side a|b of the lab's NIC pair PAIR\n"
				     "iov_pair_mac() {\n\tcase $1 in\n");

	for (int i = 0; i < IOV_NIC_COUNT; i++)
		if (kinds[i]->lab_pair.model)
			rc |= iov_buf_printf(out, "\t%s) printf '52:54:00:%02x:%%02x:0%%s' \"$2\" \"$3\" ;;\n",
					     kinds[i]->name, kinds[i]->lab_pair.mac_byte);
	rc |= iov_buf_printf(out, "\t*) iov_die \"NIC kind '$1' has no NIC pairs in the lab\" ;;\n\tesac\n}\n");
	return rc;
}

static int shell_vm_nic(struct iov_buf *out)
{
	int rc = iov_buf_printf(out, "# iov_nic_vm_nic KIND: \"MODEL BACKEND\", the QEMU -device a VM guest's NIC of KIND is\n"
				     "# and how it is connected: vfio (assigned, host=BDF), tap, vhost (tap with vhost-net)\n"
				     "iov_nic_vm_nic() {\n\tcase $1 in\n");

	for (int i = 0; i < IOV_NIC_COUNT; i++)
		if (kinds[i]->vm_nic.model)
			rc |= iov_buf_printf(out, "\t%s) echo \"%s %s\" ;;\n", kinds[i]->name, kinds[i]->vm_nic.model,
					     iov_nic_vm_backend_names[kinds[i]->vm_nic.backend]);
	rc |= iov_buf_printf(out, "\t*) iov_nic_offered \"$1\" vm ;;\n\tesac\n}\n");
	return rc;
}

int iov_nic_shell(struct iov_buf *out)
{
	char sriov[512];
	int rc = iov_buf_printf(out, "# shellcheck shell=dash\n"
				     "# nics.sh - the NIC kinds of harness/nics/ for guest-lib.sh. Generated by\n"
				     "# `iovbench list nics --shell` (harness/nics/nics.c): edit the table, not this.\n\n");

	rc |= iov_buf_printf(out, "# iov_nic_drivers KIND: \"PF_DRIVER VF_DRIVER\" for SR-IOV kinds, the driver for others\n"
				  "iov_nic_drivers() {\n\tcase $1 in\n");
	for (int i = 0; i < IOV_NIC_COUNT; i++)
		rc |= iov_buf_printf(out, "\t%s) echo \"%s%s%s\" ;;\n", kinds[i]->name,
				     kinds[i]->sriov ? kinds[i]->domain.module : "", kinds[i]->sriov ? " " : "",
				     kinds[i]->guest.module);
	rc |= iov_buf_printf(out, "\t*) iov_die \"unknown NIC kind '$1'\" ;;\n\tesac\n}\n\n");
	rc |= iov_buf_printf(out, "# iov_nic_instrumentation KIND: our drivers' instrumentation, 1 on, 0 off, -1 none loaded\n"
				  "iov_nic_instrumentation() {\n\tcase $1 in\n");
	for (int i = 0; i < IOV_NIC_COUNT; i++)
		rc |= iov_buf_printf(out, "\t%s) echo %d ;;\n", kinds[i]->name, kinds[i]->instrumentation);
	rc |= iov_buf_printf(out, "\t*) iov_die \"unknown NIC kind '$1'\" ;;\n\tesac\n}\n\n");
	rc |= iov_buf_printf(out, "# iov_nic_hook KIND: the function that builds a namespace topology of KIND\n"
				  "iov_nic_hook() {\n\tcase $1 in\n");
	for (int i = 0; i < IOV_NIC_COUNT; i++)
		if (kinds[i]->netns_hook)
			rc |= iov_buf_printf(out, "\t%s) echo %s ;;\n", kinds[i]->name, kinds[i]->netns_hook);
	rc |= iov_buf_printf(out, "\t*) iov_die \"NIC kind '$1' has no namespace topology\" ;;\n\tesac\n}\n\n");
	case_pattern(is_sriov, NULL, sriov, sizeof(sriov));
	rc |= iov_buf_printf(out, "# iov_nic_sriov KIND: is KIND a PF and VFs of the SR-IOV adapter?\n"
				  "iov_nic_sriov() {\n\tcase $1 in %s) return 0 ;; esac\n\treturn 1\n}\n\n",
			     sriov[0] ? sriov : "''");
	rc |= shell_offered(out);
	rc |= iov_buf_printf(out, "\n");
	rc |= shell_pair_mac(out);
	rc |= iov_buf_printf(out, "\n");
	rc |= shell_vm_nic(out);
	rc |= iov_buf_printf(out, "\n# every module of the table, guests' drivers before the domain's (unload order)\n"
				  "# shellcheck disable=SC2034 # used by guest-lib.sh\nIOV_NIC_MODULES=\"");
	{
		const struct iov_nic_driver *d[2 * IOV_NIC_COUNT];
		size_t n = iov_nic_drivers(d, IOV_ARRAY_SIZE(d)), used = 0;

		/* a PF driver goes after every VF driver: a VF bound to it would hold it */
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < n; i++) {
				bool domain_only = false;

				for (int k = 0; k < IOV_NIC_COUNT; k++)
					domain_only |= kinds[k]->sriov && !strcmp(kinds[k]->domain.module, d[i]->module);
				if (domain_only == (pass == 1))
					rc |= iov_buf_printf(out, "%s%s", used++ ? " " : "", d[i]->module);
			}
	}
	rc |= iov_buf_printf(out, "\"\n# the in-tree ones among them (the lab image's build installs these)\n"
				  "# shellcheck disable=SC2034 # used by scripts/build-image.sh\nIOV_NIC_INTREE_MODULES=\"");
	{
		const struct iov_nic_driver *d[2 * IOV_NIC_COUNT];
		size_t n = iov_nic_drivers(d, IOV_ARRAY_SIZE(d)), used = 0;

		for (size_t i = 0; i < n; i++)
			if (!d[i]->ours)
				rc |= iov_buf_printf(out, "%s%s", used++ ? " " : "", d[i]->module);
	}
	rc |= iov_buf_printf(out, "\"\n# the in-tree drivers of a VM guest's NIC (the VM guest image installs these)\n"
				  "# shellcheck disable=SC2034 # used by scripts/build-vm-image.sh\n"
				  "IOV_NIC_VM_GUEST_MODULES=\"");
	for (int i = 0, used = 0; i < IOV_NIC_COUNT; i++) {
		const struct iov_nic_driver *g = &kinds[i]->guest;
		bool seen = false;

		for (int j = 0; j < i; j++)
			seen |= iov_nic_offered(j, IOV_GUEST_VM) && !strcmp(kinds[j]->guest.module, g->module);
		if (iov_nic_offered(i, IOV_GUEST_VM) && !g->ours && !seen)
			rc |= iov_buf_printf(out, "%s%s", used++ ? " " : "", g->module);
	}
	rc |= iov_buf_printf(out, "\"\n");
	return rc ? -1 : 0;
}

int iov_nic_reference(struct iov_buf *out)
{
	int rc = iov_buf_printf(out, "| kind | role | SR-IOV | driver domain | guest | guest kinds | VM guest's NIC |\n"
				     "|------|------|--------|---------------|-------|-------------|----------------|\n");

	for (int i = 0; i < IOV_NIC_COUNT; i++) {
		const struct iov_nic_ops *k = kinds[i];
		char gk[64] = "";

		for (int g = 0; g < IOV_GUEST_COUNT; g++) {
			size_t used = strlen(gk);

			if (k->guest_kinds & (1u << g))
				snprintf(gk + used, sizeof(gk) - used, "%s%s", used ? ", " : "", iov_guest_kind_names[g]);
		}
		char vm[64] = "-";

		if (k->vm_nic.model)
			snprintf(vm, sizeof(vm), "`%s` (%s)", k->vm_nic.model, iov_nic_vm_backend_names[k->vm_nic.backend]);
		rc |= iov_buf_printf(out, "| `%s` | %s | %s | %s | %s | %s | %s |\n", k->name, role_names[k->role],
				     k->sriov ? "yes" : "no", k->domain.module, k->guest.module, gk, vm);
	}
	return rc ? -1 : 0;
}
