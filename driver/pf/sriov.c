// SPDX-License-Identifier: GPL-2.0
/*
 * iovpf SR-IOV policy: enabling/disabling VFs, per-VF state, and the
 * administrator's ndo_set_vf_* controls. What the QEMU model cannot
 * enforce is refused or reported plainly, never silently pretended.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "iovpf.h"

/* Deterministic, locally administered default MAC per VF. */
static void iovpf_vf_default_mac(struct iovpf *pf, unsigned int vf, u8 *mac)
{
	ether_addr_copy(mac, pf->netdev->perm_addr);
	mac[0] = (mac[0] | 0x02) & ~0x01;
	mac[1] ^= 0x80 | vf;
}

/* Program the VF's MAC filter: RAR 23-vf, pool bit vf. vf_lock held. */
void iovpf_vf_set_rar(struct iovpf *pf, unsigned int vf)
{
	struct iovpf_vf *v = &pf->vf[vf];

	if (is_valid_ether_addr(v->mac))
		pf->hw_ops->mac_filter_set(pf, IOVPF_VF_RAR(vf), v->mac, BIT(vf));
	else
		pf->hw_ops->mac_filter_clear(pf, IOVPF_VF_RAR(vf));
}

/* The administrator's port VLAN of @vf into the filters; vf_lock held. */
static int iovpf_vf_apply_vlan(struct iovpf *pf, unsigned int vf)
{
	struct iovpf_vf *v = &pf->vf[vf];
	int err = 0;

	pf->hw_ops->vlan_filter_clear_pool(pf, vf);
	bitmap_zero(v->vlans, VLAN_N_VID);
	if (v->pf_vlan)
		err = pf->hw_ops->vlan_filter_set(pf, v->pf_vlan, vf, true);
	pf->hw_ops->vf_port_vlan(pf, vf, v->pf_vlan, v->pf_qos);
	pf->hw_ops->vf_rx_mode(pf, vf, !v->pf_vlan, v->promisc_mc,
			  v->pf_vlan || iovpf_vf_nvlans(v), v->max_frame);
	return err;
}

/* Drop the extra unicast filters of one VF. vf_lock held. */
void iovpf_vf_uc_clear(struct iovpf *pf, unsigned int vf)
{
	int i;

	for (i = 0; i < IOVPF_VFMAC_RAR_NUM; i++) {
		if (pf->vf_uc[i].vf != (int)vf)
			continue;
		pf->vf_uc[i].vf = -1;
		pf->hw_ops->mac_filter_clear(pf, IOVPF_VFMAC_RAR_FIRST + i);
	}
}

/*
 * Return a VF to its post-reset state (VFLR, VF_RESET message, PF reset):
 * everything the VF configured is dropped, what the admin pinned stays.
 * vf_lock held.
 */
void iovpf_vf_reset(struct iovpf *pf, unsigned int vf)
{
	struct iovpf_vf *v = &pf->vf[vf];

	v->cts = false;
	v->mc_count = 0;
	v->promisc_mc = false;
	v->max_frame = 0;
	if (!v->pf_set_mac)
		ether_addr_copy(v->mac, v->default_mac);
	pf->hw_ops->vf_enable(pf, vf, false);
	pf->hw_ops->mac_filter_clear(pf, IOVPF_VF_RAR(vf));
	iovpf_vf_uc_clear(pf, vf);
	/* VF requests never take the entries port VLANs need (quota) */
	if (iovpf_vf_apply_vlan(pf, vf))
		netdev_err(pf->netdev, "VF %u: no VLAN filter left for its port VLAN %u\n",
			   vf, v->pf_vlan);
	__iovpf_write_mta(pf);
}

/* Called from iovpf_down(): VFs lose CTS and are told (igb semantics). */
void iovpf_sriov_pf_down(struct iovpf *pf)
{
	unsigned long flags;
	unsigned int vf;

	if (!pf->num_vfs || test_bit(IOVPF_DOWN, &pf->state))
		return;
	iovpf_vf_stats_update(pf, false);
	spin_lock_irqsave(&pf->vf_lock, flags);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		pf->vf[vf].cts = false;
		iovpf_ping_vf(pf, vf, 0);
	}
	pf->hw_ops->vfs_stop(pf);
	spin_unlock_irqrestore(&pf->vf_lock, flags);
}

/* Called from iovpf_up() after the global setup: re-arm per-VF state. */
void iovpf_sriov_restore(struct iovpf *pf)
{
	unsigned long flags;
	unsigned int vf;

	if (!pf->num_vfs)
		return;
	spin_lock_irqsave(&pf->vf_lock, flags);
	for (vf = 0; vf < pf->num_vfs; vf++)
		iovpf_vf_reset(pf, vf);
	spin_unlock_irqrestore(&pf->vf_lock, flags);
	iovpf_vf_stats_update(pf, true);
	/* PF reset done: RSTI -> RSTD in every VF mailbox */
	pf->hw_ops->vfs_reset_done(pf);
}

/* Swap the VF table and pool layout with the interface reconfigured. */
static void iovpf_sriov_switch(struct iovpf *pf, struct iovpf_vf *vfs,
			       unsigned int n)
{
	struct net_device *nd = pf->netdev;
	struct iovpf_vf *old;
	unsigned long flags;
	bool running;
	int i;

	rtnl_lock();
	running = netif_running(nd);
	if (running)
		iovpf_down(pf);
	spin_lock_irqsave(&pf->vf_lock, flags);
	old = pf->vf;
	pf->vf = vfs;
	pf->num_vfs = n;
	pf->pool = n;
	for (i = 0; i < IOVPF_VFMAC_RAR_NUM; i++)
		pf->vf_uc[i].vf = -1;
	spin_unlock_irqrestore(&pf->vf_lock, flags);
	iovpf_set_num_qp(pf);
	netif_set_real_num_tx_queues(nd, pf->num_qp);
	netif_set_real_num_rx_queues(nd, pf->num_qp);
	if (running && iovpf_up(pf)) {
		netdev_err(nd, "reconfiguration failed, interface down\n");
		dev_close(nd);
	}
	rtnl_unlock();
	kfree(old);
}

static int iovpf_sriov_disable(struct iovpf *pf)
{
	struct pci_dev *pdev = pf->pdev;

	if (!pf->num_vfs)
		return 0;
	if (pci_vfs_assigned(pdev)) {
		dev_warn(&pdev->dev,
			 "VFs are assigned to guests: not disabling SR-IOV\n");
		return -EPERM;
	}
	/* VF drivers unbind here, while the PF still serves the mailbox */
	pci_disable_sriov(pdev);
	iovpf_sriov_switch(pf, NULL, 0);
	dev_info(&pdev->dev, "SR-IOV disabled\n");
	return 0;
}

static int iovpf_sriov_enable(struct iovpf *pf, unsigned int n)
{
	struct pci_dev *pdev = pf->pdev;
	struct iovpf_vf *vfs;
	unsigned int i;
	int err;

	if (pf->num_vfs)
		return n == pf->num_vfs ? (int)n : -EBUSY;
	if (!netif_running(pf->netdev))
		dev_warn(&pdev->dev,
			 "PF interface is down: VFs finish their reset only after it is up\n");
	vfs = kcalloc(n, sizeof(*vfs), GFP_KERNEL);
	if (!vfs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		iovpf_vf_default_mac(pf, i, vfs[i].default_mac);
		ether_addr_copy(vfs[i].mac, vfs[i].default_mac);
		vfs[i].link_state = IFLA_VF_LINK_STATE_AUTO;
	}
	iovpf_sriov_switch(pf, vfs, n);

	err = pci_enable_sriov(pdev, n);
	if (err) {
		dev_err(&pdev->dev, "pci_enable_sriov(%u): %d\n", n, err);
		iovpf_sriov_switch(pf, NULL, 0);
		return err;
	}
	dev_info(&pdev->dev, "SR-IOV enabled: %u VFs, PF in pool %u\n", n,
		 pf->pool);
	return n;
}

int iovpf_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct iovpf *pf = pci_get_drvdata(pdev);

	if (num_vfs < 0 || num_vfs > IOV_MAX_VFS)
		return -ERANGE;
	if (!num_vfs)
		return iovpf_sriov_disable(pf);
	return iovpf_sriov_enable(pf, num_vfs);
}

/* Unload: leave assigned VFs alone (cannot pull them from a guest). */
void iovpf_sriov_remove(struct iovpf *pf)
{
	if (!pf->num_vfs)
		return;
	if (pci_vfs_assigned(pf->pdev)) {
		dev_warn(&pf->pdev->dev,
			 "unloading with VFs assigned: VFs stay enabled\n");
		return;
	}
	/* no reinit: the netdev is about to go; remove() frees the table */
	pci_disable_sriov(pf->pdev);
}

/* ---- administrator controls (rtnl held) --------------------------------- */

static struct iovpf_vf *iovpf_get_vf(struct iovpf *pf, int vf)
{
	if (vf < 0 || vf >= pf->num_vfs)
		return NULL;
	return &pf->vf[vf];
}

/*
 * Ask the VF to renegotiate (PF_CONTROL|NACK: igbvf resets unless it did
 * within 10 s). CTS stays: a VF that ignores the hint must keep working;
 * it gets the new settings with its next VF_RESET.
 */
static void iovpf_vf_force_reset(struct iovpf *pf, unsigned int vf)
{
	if (!test_bit(IOVPF_DOWN, &pf->state))
		iovpf_ping_vf(pf, vf, IOV_MSG_NACK);
}

int iovpf_ndo_set_vf_mac(struct net_device *nd, int vf, u8 *mac)
{
	struct iovpf *pf = netdev_priv(nd);
	struct iovpf_vf *v = iovpf_get_vf(pf, vf);
	unsigned long flags;

	if (!v)
		return -EINVAL;
	if (!is_zero_ether_addr(mac) && !is_valid_ether_addr(mac))
		return -EINVAL;
	spin_lock_irqsave(&pf->vf_lock, flags);
	if (is_zero_ether_addr(mac)) {
		v->pf_set_mac = false;
		ether_addr_copy(v->mac, v->default_mac);
	} else {
		v->pf_set_mac = true;
		ether_addr_copy(v->mac, mac);
		/* a pinned, untrusted VF may hold no extra filters: take them */
		if (!v->trusted)
			iovpf_vf_uc_clear(pf, vf);
	}
	if (!test_bit(IOVPF_DOWN, &pf->state) && v->cts)
		iovpf_vf_set_rar(pf, vf);
	iovpf_vf_force_reset(pf, vf);
	spin_unlock_irqrestore(&pf->vf_lock, flags);
	netdev_info(nd, "VF %d MAC %pM%s; the VF uses it after its next reset (reload the VF driver)\n",
		    vf, v->mac, v->pf_set_mac ? " (pinned)" : " (unpinned)");
	return 0;
}

int iovpf_ndo_set_vf_vlan(struct net_device *nd, int vf, u16 vlan, u8 qos,
			  __be16 proto)
{
	struct iovpf *pf = netdev_priv(nd);
	struct iovpf_vf *v = iovpf_get_vf(pf, vf);
	unsigned long flags;
	u16 old_vlan;
	u8 old_qos;
	int err = 0;

	if (!v || vlan >= VLAN_N_VID || qos > 7)
		return -EINVAL;
	if (proto != htons(ETH_P_8021Q))
		return -EPROTONOSUPPORT;
	spin_lock_irqsave(&pf->vf_lock, flags);
	old_vlan = v->pf_vlan;
	old_qos = v->pf_qos;
	v->pf_vlan = vlan;
	v->pf_qos = vlan ? qos : 0;
	if (!test_bit(IOVPF_DOWN, &pf->state))
		err = iovpf_vf_apply_vlan(pf, vf);
	if (err) {
		/* no filter entry left: say so, keep what the VF had */
		v->pf_vlan = old_vlan;
		v->pf_qos = old_qos;
		iovpf_vf_apply_vlan(pf, vf);
	}
	iovpf_vf_force_reset(pf, vf);
	spin_unlock_irqrestore(&pf->vf_lock, flags);
	if (err) {
		netdev_warn(nd, "VF %d port VLAN %u: no VLAN filter entry free (%d)\n",
			    vf, vlan, err);
		return err;
	}
	if (vlan)
		netdev_info(nd, "VF %d port VLAN %u qos %u: TX tag insertion and RX strip are modelled; RX VLAN filtering is not enforced by this device model\n",
			    vf, vlan, qos);
	return 0;
}

int iovpf_ndo_set_vf_trust(struct net_device *nd, int vf, bool on)
{
	struct iovpf *pf = netdev_priv(nd);
	struct iovpf_vf *v = iovpf_get_vf(pf, vf);
	unsigned long flags;

	if (!v)
		return -EINVAL;
	spin_lock_irqsave(&pf->vf_lock, flags);
	WRITE_ONCE(v->trusted, on);
	/* revoked trust takes back what only trust allowed */
	if (!on && !test_bit(IOVPF_DOWN, &pf->state)) {
		if (v->promisc_mc) {
			v->promisc_mc = false;
			pf->hw_ops->vf_rx_mode(pf, vf, !v->pf_vlan, false,
					  v->pf_vlan || iovpf_vf_nvlans(v),
					  v->max_frame);
		}
		if (v->pf_set_mac)
			iovpf_vf_uc_clear(pf, vf);
	}
	spin_unlock_irqrestore(&pf->vf_lock, flags);
	netdev_info(nd, "VF %d is %strusted (trusted VFs may request multicast promiscuous mode; nobody overrides a pinned MAC or VLAN)\n",
		    vf, on ? "" : "not ");
	return 0;
}

int iovpf_ndo_set_vf_spoofchk(struct net_device *nd, int vf, bool on)
{
	struct iovpf *pf = netdev_priv(nd);

	if (!iovpf_get_vf(pf, vf))
		return -EINVAL;
	if (on) {
		netdev_info(nd, "VF %d: anti-spoofing is not modelled by QEMU's igb (DTXSWC anti-spoof ignored); spoofchk stays off\n",
			    vf);
		return -EOPNOTSUPP;
	}
	return 0;
}

int iovpf_ndo_set_vf_link_state(struct net_device *nd, int vf, int state)
{
	struct iovpf *pf = netdev_priv(nd);
	struct iovpf_vf *v = iovpf_get_vf(pf, vf);
	unsigned long flags;

	if (!v)
		return -EINVAL;
	if (state != IFLA_VF_LINK_STATE_AUTO &&
	    state != IFLA_VF_LINK_STATE_ENABLE &&
	    state != IFLA_VF_LINK_STATE_DISABLE)
		return -EINVAL;
	spin_lock_irqsave(&pf->vf_lock, flags);
	v->link_state = state;
	if (!test_bit(IOVPF_DOWN, &pf->state) && v->cts)
		pf->hw_ops->vf_enable(pf, vf, state != IFLA_VF_LINK_STATE_DISABLE);
	iovpf_ping_vf(pf, vf, v->cts ? IOV_MSG_CTS : 0);
	spin_unlock_irqrestore(&pf->vf_lock, flags);
	if (state != IFLA_VF_LINK_STATE_AUTO)
		netdev_info(nd, "VF %d link_state %s: enforced by stopping the VF's RX/TX (VFRE/VFTE); the model has no per-VF link, the VF still reads the PF's link status\n",
			    vf, state == IFLA_VF_LINK_STATE_DISABLE ?
			    "disable" : "enable");
	return 0;
}

/*
 * Widen the 32-bit pool counters: called every watchdog period (2 s, well
 * below a byte counter wrap at 1 Gbit/s) and on demand. @rebase after a PF
 * reset (counters restart at 0) takes the current values as the baseline.
 */
void iovpf_vf_stats_update(struct iovpf *pf, bool rebase)
{
	unsigned long flags;
	unsigned int vf, i;
	u32 now[IOVPF_VF_NSTATS];

	spin_lock_irqsave(&pf->vf_lock, flags);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		struct iovpf_vf *v = &pf->vf[vf];

		pf->hw_ops->vf_stats(pf, vf, now);
		for (i = 0; i < IOVPF_VF_NSTATS; i++) {
			if (!rebase)
				v->st_total[i] += (u32)(now[i] - v->st_last[i]);
			v->st_last[i] = now[i];
		}
	}
	spin_unlock_irqrestore(&pf->vf_lock, flags);
}

int iovpf_ndo_get_vf_stats(struct net_device *nd, int vf,
			   struct ifla_vf_stats *vs)
{
	struct iovpf *pf = netdev_priv(nd);
	struct iovpf_vf *v = iovpf_get_vf(pf, vf);
	unsigned long flags;

	if (!v)
		return -EINVAL;
	if (!test_bit(IOVPF_DOWN, &pf->state))
		iovpf_vf_stats_update(pf, false);
	spin_lock_irqsave(&pf->vf_lock, flags);
	vs->rx_packets = v->st_total[IOVPF_VF_RXP];
	vs->tx_packets = v->st_total[IOVPF_VF_TXP];
	vs->rx_bytes = v->st_total[IOVPF_VF_RXB];
	vs->tx_bytes = v->st_total[IOVPF_VF_TXB];
	vs->multicast = v->st_total[IOVPF_VF_MC];
	spin_unlock_irqrestore(&pf->vf_lock, flags);
	return 0;
}

int iovpf_ndo_get_vf_config(struct net_device *nd, int vf,
			    struct ifla_vf_info *ivi)
{
	struct iovpf *pf = netdev_priv(nd);
	struct iovpf_vf *v = iovpf_get_vf(pf, vf);

	if (!v)
		return -EINVAL;
	ivi->vf = vf;
	ether_addr_copy(ivi->mac, v->mac);
	ivi->vlan = v->pf_vlan;
	ivi->qos = v->pf_qos;
	ivi->vlan_proto = htons(ETH_P_8021Q);
	ivi->spoofchk = 0;	/* not enforceable on this model */
	ivi->trusted = v->trusted;
	ivi->linkstate = v->link_state;
	ivi->min_tx_rate = 0;
	ivi->max_tx_rate = 0;	/* no rate limiting in the model */
	return 0;
}

/* debugfs vf_state: what each VF holds, one line per VF */
int iovpf_vf_state_show(struct seq_file *m, void *unused)
{
	struct iovpf *pf = m->private;
	unsigned long flags;
	unsigned int vf, i, uc;

	spin_lock_irqsave(&pf->vf_lock, flags);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		struct iovpf_vf *v = &pf->vf[vf];

		for (uc = 0, i = 0; i < IOVPF_VFMAC_RAR_NUM; i++)
			uc += pf->vf_uc[i].vf == (int)vf;
		seq_printf(m, "vf=%u mac=%pM pinned=%d trusted=%d cts=%d promisc_mc=%d uc_filters=%u vlans=%u port_vlan=%u mc_hashes=%u rate_deferred=%d\n",
			   vf, v->mac, v->pf_set_mac, v->trusted, v->cts,
			   v->promisc_mc, uc, iovpf_vf_nvlans(v), v->pf_vlan,
			   v->mc_count, v->rate_deferred);
	}
	spin_unlock_irqrestore(&pf->vf_lock, flags);
	return 0;
}
