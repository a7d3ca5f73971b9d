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

BUILD=${BUILD:-$(pwd)/build}
[ "${1:-}" = "--build" ] && BUILD=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '[image] %s\n' "$*"; }
die() { printf '[image] ERROR: %s\n' "$*" >&2; exit 1; }

[ -f "$BUILD/kernel.env" ] || die "no $BUILD/kernel.env: run scripts/setup.sh first"
# shellcheck disable=SC1091
. "$BUILD/kernel.env"
AGENT=$BUILD/iovagent
{ [ -x "$AGENT" ] && [ -x "$BUILD/iovqstats" ]; } || die "no agent in $BUILD: run 'make harness' first"

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
		sha256sum "$AGENT" "$BUILD/iovqstats" "$0" "$TOP/harness/lab/guest-init.sh" "$TOP/harness/lab/guest-lib.sh"
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
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,run,tmp,etc,root,var}
ln -s ../run "$STAGE/var/run"

# busybox applets, except those iproute2/real tools provide: Debian's busybox runs its own
# applet before $PATH, so a busybox 'ip' would shadow iproute2's.
cp "$(command -v busybox)" "$STAGE/bin/busybox"
for applet in $(busybox --list); do
	case " ${TOOLS[*]} " in *" $applet "*) continue ;; esac
	[ -e "$STAGE/bin/$applet" ] || ln -s busybox "$STAGE/bin/$applet"
done

copy_with_libs() {
	local bin=$1 dest=$2 lib
	cp -L "$bin" "$STAGE$dest"
	for lib in $(ldd "$bin" | awk '/=>/ {print $3} /^\t\/lib64/ {print $1}'); do
		[ -e "$STAGE$lib" ] && continue
		mkdir -p "$STAGE$(dirname "$lib")"
		cp -L "$lib" "$STAGE$lib"
	done
}
for t in "${TOOLS[@]}"; do
	copy_with_libs "$(command -v "$t")" "/usr/bin/$t"
done
# /bin/sh is dash: busybox's shell runs its own applets before $PATH, and its 'ip' is not iproute2.
rm -f "$STAGE/bin/sh"
copy_with_libs /bin/dash /bin/sh
cp "$AGENT" "$STAGE/sbin/iovagent"
cp "$BUILD/iovqstats" "$STAGE/usr/bin/iovqstats"
cp "$TOP/harness/lab/guest-init.sh" "$STAGE/init"
mkdir -p "$STAGE/usr/lib/iovbench"
cp "$TOP/harness/lab/guest-lib.sh" "$STAGE/usr/lib/iovbench/guest-lib.sh"
chmod 755 "$STAGE/init"
echo "root:x:0:0:root:/root:/bin/sh" >"$STAGE/etc/passwd"
echo "root:x:0:" >"$STAGE/etc/group"
echo "127.0.0.1 localhost" >"$STAGE/etc/hosts"

# Modules: resolve in-tree dependencies through a depmod of the unpacked kernel package.
KSRC=$KMODDIR
[ -f "$KSRC/modules.dep" ] || depmod -b "$(dirname "$(dirname "$(dirname "$KSRC")")")" "$KVER"
KDST=$STAGE/lib/modules/$KVER
mkdir -p "$KDST/extra"
cp "$KSRC"/modules.builtin* "$KSRC"/modules.order "$KDST/"

declare -A seen=()
add_module() { # $1: module name as modules.dep spells it (kernel/.../x.ko.xz)
	local rel=$1 dep
	[ -n "${seen[$rel]:-}" ] && return
	seen[$rel]=1
	mkdir -p "$KDST/$(dirname "$rel")"
	xz -dc "$KSRC/$rel" >"$KDST/${rel%.xz}"
	# shellcheck disable=SC2013 # split on purpose: modules.dep lists a module's dependencies separated by blanks
	for dep in $(awk -F': *' -v m="$rel" '$1==m {print $2}' "$KSRC/modules.dep"); do
		add_module "$dep"
	done
}
intree_path() { # module name -> path in modules.dep
	local name=${1//-/_} p
	p=$(awk -F: '{print $1}' "$KSRC/modules.dep" | grep -E "/(${name}|${name//_/-})\.ko\.xz$" | head -n1)
	[ -n "$p" ] || die "module $1 not found in $KSRC"
	echo "$p"
}
for m in "${INTREE_MODULES[@]}"; do add_module "$(intree_path "$m")"; done
for ko in "${OUR_MODULES[@]}"; do
	cp "$ko" "$KDST/extra/"
	# Our modules may depend on in-tree ones (ptp, ...): pull those in too.
	for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
		case " ${OUR_MODULES[*]##*/} " in *" $dep.ko "*) continue ;; esac
		add_module "$(intree_path "$dep")"
	done
done
depmod -b "$STAGE" "$KVER"
say "modules: ${INTREE_MODULES[*]} (+deps), ours: ${#OUR_MODULES[@]}"

(cd "$STAGE" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$IMAGE.tmp"
mv "$IMAGE.tmp" "$IMAGE"
echo "$want" >"$IMAGE.inputs"
say "image ready: $IMAGE ($(du -h "$IMAGE" | cut -f1))"
