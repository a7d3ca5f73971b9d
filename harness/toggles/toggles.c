// SPDX-License-Identifier: MIT
/* toggles.c - the table of toggles and which one an experiment runs (toggles.h). */
#include <string.h>

#include "guests/guests.h"
#include "toggles/toggles.h"

extern const struct iov_toggle_ops iov_toggle_instrumentation, iov_toggle_hostile_vf, iov_toggle_hostile_vf_spin,
	iov_toggle_vf_flr, iov_toggle_pf_link;

/* One line per toggle; the ops are in toggles/NAME.c. */
static const struct iov_toggle_ops *const table[] = {
	&iov_toggle_instrumentation,
	&iov_toggle_hostile_vf,
	&iov_toggle_hostile_vf_spin,
	&iov_toggle_vf_flr,
	&iov_toggle_pf_link,
};

int iov_toggle_validate(const struct iov_workload *wl, struct iov_err *err)
{
	const struct iov_toggle_ops *on = NULL;

	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++) {
		const struct iov_toggle_ops *t = table[i];
		unsigned p = iov_workload_uint(wl, t->key);

		if (!p)
			continue;
		if (on)
			return iov_workload_key_error(wl, t->key, err, "excludes %s (one toggle per experiment)",
						      iov_workload_key_name(on->key));
		on = t;
		if (t->netns_only && wl->guest_kind != IOV_GUEST_NETNS)
			return iov_workload_key_error(wl, t->key, err, "needs guest_kind = netns");
		if (wl->duration_s < 4 * p)
			return iov_workload_key_error(wl, t->key, err,
						      "needs duration_s (%u) of at least 4 periods (3 segments make one "
						      "on/off ratio)",
						      wl->duration_s);
		for (unsigned g = 0; t->spare_vfs && g < wl->guests.n; g++)
			if (wl->guests.v[g] + t->spare_vfs > IOV_MAX_GUESTS)
				return iov_workload_key_error(wl, t->key, err,
							      "needs a spare VF: at most %u guests, not %u",
							      IOV_MAX_GUESTS - t->spare_vfs, wl->guests.v[g]);
	}
	return 0;
}

const struct iov_toggle_ops *iov_toggle_of(enum iov_nic nic, const struct iov_workload *wl)
{
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++)
		if (iov_workload_uint(wl, table[i]->key) && table[i]->applies(nic))
			return table[i];
	return NULL;
}

const struct iov_toggle_ops *iov_toggle_of_doc(enum iov_nic nic, json_t *workload)
{
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++)
		if (json_integer_value(json_object_get(workload, iov_workload_key_name(table[i]->key))) > 0 &&
		    table[i]->applies(nic))
			return table[i];
	return NULL;
}

const struct iov_toggle_ops *iov_toggle_of_notes(json_t *notes)
{
	for (size_t i = 0; i < IOV_ARRAY_SIZE(table); i++)
		if (json_object_get(notes, table[i]->note))
			return table[i];
	return NULL;
}

size_t iov_toggle_count(void)
{
	return IOV_ARRAY_SIZE(table);
}

const struct iov_toggle_ops *iov_toggle_at(size_t i)
{
	return i < IOV_ARRAY_SIZE(table) ? table[i] : NULL;
}
