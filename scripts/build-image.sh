#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# build-image.sh - build the lab guest's initramfs: busybox, the iovbench agent, iperf3, fio,
# iproute2, ethtool (each with the libraries ldd lists), the in-tree NIC drivers the
# baselines need (igb, igbvf, e1000e, virtio_net and their dependencies, decompressed) and
# iovbench's own modules, with a modules.dep so modprobe resolves load order.
#
# Rebuilt only when an input changed (the inputs' checksums are kept next to the image).
# Usage: scripts/build-image.sh [--build DIR]
# Output: DIR/lab/initramfs.cpio (uncompressed: under TCG unpacking is cheaper than gunzip)
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=image-lib.sh
. "$TOP/scripts/image-lib.sh"
image_init image "$@"
AGENT=$BUILD/iovagent
{ [ -x "$AGENT" ] && [ -x "$BUILD/iovqstats" ] && [ -x "$BUILD/iovperf" ]; } ||
	die "no agent, iovqstats or iovperf in $BUILD: run 'make harness' first"

OUT=$BUILD/lab
IMAGE=$OUT/initramfs.cpio
STAGE=$OUT/root
mkdir -p "$OUT"

TOOLS=(iperf3 fio ip ethtool ss)
# In-tree drivers for the anchor (igb/igbvf) and the baselines (e1000e, virtio_net); VLAN and
# macvlan devices for the drivers' filter tests.
INTREE_MODULES=(igb igbvf e1000e virtio_net 8021q macvlan)
mapfile -t OUR_MODULES < <(find "$TOP/driver" -name '*.ko' 2>/dev/null | sort)

# Inputs that decide the image: change one and the image is rebuilt.
stamp_inputs() {
	{
		echo "kernel $KVER $KPKG_VERSION"
		sha256sum "$AGENT" "$BUILD/iovqstats" "$BUILD/iovperf" "$0" "$TOP/scripts/image-lib.sh" "$TOP/harness/lab/guest-init.sh" "$TOP/harness/lab/guest-lib.sh"
		for t in "${TOOLS[@]}"; do sha256sum "$(command -v "$t")"; done
		sha256sum "$(command -v busybox)" /bin/dash
		for m in "${OUR_MODULES[@]}"; do sha256sum "$m"; done
	} | sha256sum | cut -d' ' -f1
}
want=$(stamp_inputs)
if [ -f "$IMAGE" ] && [ "$(cat "$IMAGE.inputs" 2>/dev/null)" = "$want" ]; then
	say "image up to date: $IMAGE"
	exit 0
fi

say "building guest image in $STAGE"
rm -rf "$STAGE"
mkdir -p "$STAGE"
busybox_tree "${TOOLS[@]}"
for t in "${TOOLS[@]}"; do
	copy_with_libs "$(command -v "$t")" "/usr/bin/$t"
done
cp "$AGENT" "$STAGE/sbin/iovagent"
cp "$BUILD/iovqstats" "$STAGE/usr/bin/iovqstats"
cp "$BUILD/iovperf" "$STAGE/usr/bin/iovperf"
cp "$TOP/harness/lab/guest-init.sh" "$STAGE/init"
mkdir -p "$STAGE/usr/lib/iovbench"
cp "$TOP/harness/lab/guest-lib.sh" "$STAGE/usr/lib/iovbench/guest-lib.sh"
chmod 755 "$STAGE/init"

# Modules: resolve in-tree dependencies through a depmod of the unpacked kernel package.
KSRC=$KMODDIR
[ -f "$KSRC/modules.dep" ] || depmod -b "$(dirname "$(dirname "$(dirname "$KSRC")")")" "$KVER"
KDST=$STAGE/lib/modules/$KVER
mkdir -p "$KDST/extra"
cp "$KSRC"/modules.builtin* "$KSRC"/modules.order "$KDST/"

for m in "${INTREE_MODULES[@]}"; do add_module "$(intree_path "$m")"; done
our_modules "${OUR_MODULES[@]}"
depmod -b "$STAGE" "$KVER"
say "modules: ${INTREE_MODULES[*]} (+deps), ours: ${#OUR_MODULES[@]}"

write_cpio "$IMAGE"
echo "$want" >"$IMAGE.inputs"
say "image ready: $IMAGE ($(du -h "$IMAGE" | cut -f1))"
