#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# build-vm-image.sh - the images for VM guests (L2 KVM guests started inside the lab, issue 13):
#   DIR/lab/vmguest.cpio       the L2 guest's initramfs: busybox, dash, the agent (same init as
#                              the lab), iperf3, fio, iproute2, ethtool, iovqstats, iovperf, and the
#                              NIC drivers a VM guest uses: iovvf, igbvf, e1000e, virtio_net
#   DIR/lab/initramfs-vm.cpio  an add-on archive for the lab (L1): QEMU with its libraries and
#                              firmware, kvm/kvm-amd, vfio-pci, tun/tap/vhost-net/bridge,
#                              iovvmexec, the L2 kernel (the lab's own vmlinux) and vmguest.cpio
#                              zstd-compressed (vmguest.cpio.zst: while L2 unpacks it, archive
#                              and files share L2's memory; compressed, 256 MB suffice)
#   DIR/lab/initramfs+vm.cpio  the lab image followed by the add-on: the kernel unpacks
#                              concatenated archives in order, so `lab up --iommu` boots this
#                              one file and a namespace-only lab does not unpack the add-on.
# Run after build-image.sh (it needs its tree DIR/lab/root for the combined modules.dep).
# Rebuilt only when an input changed, like the lab image.
# Usage: scripts/build-vm-image.sh [--build DIR]
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=image-lib.sh
. "$TOP/scripts/image-lib.sh"
image_init vm-image "$@"
OUT=$BUILD/lab
BASE=$OUT/initramfs.cpio
BASE_ROOT=$OUT/root
{ [ -f "$BASE" ] && [ -d "$BASE_ROOT/lib/modules/$KVER" ]; } || die "no lab image in $OUT: run scripts/build-image.sh first"
for b in iovagent iovqstats iovperf iovvmexec; do
	[ -x "$BUILD/$b" ] || die "no $BUILD/$b: run 'make harness' first"
done
QEMU=$(command -v qemu-system-x86_64) || die "no qemu-system-x86_64 on this host: run 'make setup'"
KSRC=$KMODDIR
[ -f "$KSRC/modules.dep" ] || depmod -b "$(dirname "$(dirname "$(dirname "$KSRC")")")" "$KVER"

GUEST_IMAGE=$OUT/vmguest.cpio
ADDON=$OUT/initramfs-vm.cpio
COMBINED=$OUT/initramfs+vm.cpio
GUEST_TOOLS=(iperf3 fio ip ethtool ss)
# A VM guest's NIC is a VF (iovvf or igbvf) or a baseline (e1000e, virtio-net). The agent's
# virtio-serial port needs nothing: virtio_pci and virtio_console are built into this kernel.
GUEST_MODULES=(igbvf e1000e virtio_net)
mapfile -t GUEST_OURS < <(find "$TOP/driver" -name 'iovvf.ko' -o -name 'iovcore.ko' 2>/dev/null | sort)
[ ${#GUEST_OURS[@]} = 2 ] || die "no iovvf.ko/iovcore.ko under $TOP/driver: run 'make driver' first"
# The lab side: KVM on the emulated SVM (TCG's -cpu max is AMD), VFIO for VF assignment, and
# tap/vhost-net/bridge for the e1000e and virtio baselines' backends.
ADDON_MODULES=(kvm kvm-amd irqbypass ccp vfio vfio_iommu_type1 vfio-pci-core vfio-pci
	tun tap vhost vhost_net vhost_iotlb bridge)
# What L2's QEMU loads: SeaBIOS, the PVH loader (linuxboot_dma.bin, pvh.bin), kvmvapic, and
# the NICs' option ROMs (iov_vm_start turns them off with romfile=, a QEMU by hand needs them).
FIRMWARE=(/usr/share/seabios/bios-256k.bin /usr/share/qemu/linuxboot_dma.bin
	/usr/share/qemu/pvh.bin /usr/share/qemu/kvmvapic.bin
	/usr/lib/ipxe/qemu/efi-e1000e.rom /usr/lib/ipxe/qemu/efi-virtio.rom)
VMDIR=/usr/lib/iovbench/vm

stamp_inputs() {
	{
		echo "kernel $KVER $KPKG_VERSION"
		cat "$BASE.inputs"
		sha256sum "$0" "$TOP/scripts/image-lib.sh" "$TOP/harness/lab/guest-init.sh" \
			"$TOP/harness/lab/guest-lib.sh" "$VMLINUX" "$QEMU" "${FIRMWARE[@]}" "${GUEST_OURS[@]}"
		for b in iovagent iovqstats iovperf iovvmexec; do sha256sum "$BUILD/$b"; done
		for t in "${GUEST_TOOLS[@]}"; do sha256sum "$(command -v "$t")"; done
		sha256sum "$(command -v busybox)" /bin/dash
		ldd "$QEMU" | awk '/=>/ {print $3}' | xargs sha256sum
	} | sha256sum | cut -d' ' -f1
}
want=$(stamp_inputs)
if [ -f "$COMBINED" ] && [ "$(cat "$COMBINED.inputs" 2>/dev/null)" = "$want" ]; then
	say "VM images up to date: $COMBINED"
	exit 0
fi

# --- the L2 guest's initramfs ---
STAGE=$OUT/vmguest-root
say "building the VM guest image in $STAGE"
rm -rf "$STAGE"
mkdir -p "$STAGE"
busybox_tree "${GUEST_TOOLS[@]}"
for t in "${GUEST_TOOLS[@]}"; do
	copy_with_libs "$(command -v "$t")" "/usr/bin/$t"
done
cp "$BUILD/iovagent" "$STAGE/sbin/iovagent"
cp "$BUILD/iovqstats" "$STAGE/usr/bin/iovqstats"
cp "$BUILD/iovperf" "$STAGE/usr/bin/iovperf"
cp "$TOP/harness/lab/guest-init.sh" "$STAGE/init"
chmod 755 "$STAGE/init"
mkdir -p "$STAGE/usr/lib/iovbench"
cp "$TOP/harness/lab/guest-lib.sh" "$STAGE/usr/lib/iovbench/guest-lib.sh"
cp "$BUILD/nics.sh" "$STAGE/usr/lib/iovbench/nics.sh"
KDST=$STAGE/lib/modules/$KVER
mkdir -p "$KDST"
cp "$KSRC"/modules.builtin* "$KSRC"/modules.order "$KDST/"
for m in "${GUEST_MODULES[@]}"; do add_module "$(intree_path "$m")"; done
our_modules "${GUEST_OURS[@]}"
depmod -b "$STAGE" "$KVER"
write_cpio "$GUEST_IMAGE"
say "VM guest image: $GUEST_IMAGE ($(du -h "$GUEST_IMAGE" | cut -f1))"

# --- the lab's add-on ---
STAGE=$OUT/vm-addon-root
say "building the lab's VM add-on in $STAGE"
rm -rf "$STAGE"
mkdir -p "$STAGE$VMDIR/firmware" "$STAGE/usr/bin"
# QEMU's libraries go to their own paths: they come from this host like the lab image's, so
# where both archives hold one (libc, ...) it is the same file.
copy_with_libs "$QEMU" /usr/bin/qemu-system-x86_64
cp "${FIRMWARE[@]}" "$STAGE$VMDIR/firmware/"
cp "$BUILD/iovvmexec" "$STAGE/usr/bin/iovvmexec"
cp "$VMLINUX" "$STAGE$VMDIR/vmlinux"
zstd -q -10 -T0 -c "$GUEST_IMAGE" >"$STAGE$VMDIR/vmguest.cpio.zst"
# The add-on's modules, and a modules.dep for the lab image's and the add-on's together (it
# replaces the lab image's when the kernel unpacks the add-on after it).
seen_module=()
KDST=$STAGE/lib/modules/$KVER
mkdir -p "$KDST"
for m in "${ADDON_MODULES[@]}"; do add_module "$(intree_path "$m")"; done
DEPS=$OUT/vm-depmod
rm -rf "$DEPS"
mkdir -p "$DEPS/lib/modules"
cp -a "$BASE_ROOT/lib/modules/$KVER" "$DEPS/lib/modules/"
cp -a "$KDST/." "$DEPS/lib/modules/$KVER/"
depmod -b "$DEPS" "$KVER"
cp "$DEPS/lib/modules/$KVER"/modules.* "$KDST/"
rm -rf "$DEPS"
write_cpio "$ADDON"
say "add-on: $ADDON ($(du -h "$ADDON" | cut -f1)); modules: ${ADDON_MODULES[*]} (+deps)"

cat "$BASE" "$ADDON" >"$COMBINED.tmp"
mv "$COMBINED.tmp" "$COMBINED"
echo "$want" >"$COMBINED.inputs"
say "lab image with the VM add-on: $COMBINED ($(du -h "$COMBINED" | cut -f1))"
