# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# image-lib.sh - helpers the initramfs builders share (sourced by build-image.sh and
# build-vm-image.sh). The caller sets STAGE (the tree being filled), KSRC (the unpacked
# kernel's module directory, with a modules.dep) and KDST (STAGE's module directory).

# image_init TAG [--build DIR]: what both builders start with: BUILD (argument, $BUILD or
# ./build), say and die prefixed [TAG], and the pinned guest kernel's facts (BUILD/kernel.env).
image_init() {
	IMAGE_TAG=$1
	BUILD=${BUILD:-$(pwd)/build}
	[ "${2:-}" = "--build" ] && BUILD=$3
	[ -f "$BUILD/kernel.env" ] || die "no $BUILD/kernel.env: run scripts/setup.sh first"
	# shellcheck disable=SC1091
	. "$BUILD/kernel.env"
}
say() { printf '[%s] %s\n' "$IMAGE_TAG" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$IMAGE_TAG" "$*" >&2; exit 1; }

# copy_with_libs BIN DEST: BIN at STAGE/DEST plus every library ldd lists, at its own path.
copy_with_libs() {
	local bin=$1 dest=$2 lib
	mkdir -p "$STAGE$(dirname "$dest")"
	cp -L "$bin" "$STAGE$dest"
	for lib in $(ldd "$bin" | awk '/=>/ {print $3} /^\t\/lib64/ {print $1}'); do
		[ -e "$STAGE$lib" ] && continue
		mkdir -p "$STAGE$(dirname "$lib")"
		cp -L "$lib" "$STAGE$lib"
	done
}

# busybox_tree TOOL...: busybox with every applet but the TOOLs (real tools provide those:
# Debian's busybox runs its own applet before $PATH, so a busybox 'ip' would shadow
# iproute2's), dash as /bin/sh (busybox's shell runs its own applets first too), the
# directories and the few /etc files the guest needs.
busybox_tree() {
	local applet
	mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,run,tmp,etc,root,var}
	ln -s ../run "$STAGE/var/run"
	cp "$(command -v busybox)" "$STAGE/bin/busybox"
	for applet in $(busybox --list); do
		case " $* " in *" $applet "*) continue ;; esac
		[ -e "$STAGE/bin/$applet" ] || ln -s busybox "$STAGE/bin/$applet"
	done
	rm -f "$STAGE/bin/sh"
	copy_with_libs /bin/dash /bin/sh
	echo "root:x:0:0:root:/root:/bin/sh" >"$STAGE/etc/passwd"
	echo "root:x:0:" >"$STAGE/etc/group"
	echo "127.0.0.1 localhost" >"$STAGE/etc/hosts"
}

# Modules are resolved through a depmod of the unpacked kernel package.
declare -A seen_module=()
# add_module REL: module REL (as modules.dep spells it, kernel/.../x.ko.xz) and its
# dependencies, decompressed into KDST (busybox insmod does not read .xz).
add_module() {
	local rel=$1 dep
	[ -n "${seen_module[$rel]:-}" ] && return
	seen_module[$rel]=1
	mkdir -p "$KDST/$(dirname "$rel")"
	xz -dc "$KSRC/$rel" >"$KDST/${rel%.xz}"
	# shellcheck disable=SC2013 # split on purpose: modules.dep lists a module's dependencies separated by blanks
	for dep in $(awk -F': *' -v m="$rel" '$1==m {print $2}' "$KSRC/modules.dep"); do
		add_module "$dep"
	done
}

# intree_path NAME: the module's path in modules.dep.
intree_path() {
	local name=${1//-/_} p
	p=$(awk -F: '{print $1}' "$KSRC/modules.dep" | grep -E "/(${name}|${name//_/-})\.ko\.xz$" | head -n1)
	[ -n "$p" ] || die "module $1 not found in $KSRC"
	echo "$p"
}

# our_modules KO...: iovbench's modules into KDST/extra, with the in-tree modules they use.
our_modules() {
	local ko dep
	mkdir -p "$KDST/extra"
	for ko in "$@"; do
		cp "$ko" "$KDST/extra/"
		for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
			case " ${*##*/} " in *" $dep.ko "*) continue ;; esac
			add_module "$(intree_path "$dep")"
		done
	done
}

# write_cpio IMAGE: STAGE as an uncompressed newc archive (under TCG unpacking is cheaper
# than gunzip), written whole or not at all.
write_cpio() {
	(cd "$STAGE" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$1.tmp"
	mv "$1.tmp" "$1"
}
