#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# setup.sh - install everything iovbench needs on a Debian host (bookworm or trixie).
#
# Idempotent: every step checks first and does nothing when its result is already there.
#   - host packages (build tools, CUnit, jansson, sqlite, sparse, iperf3, fio, ...)
#   - QEMU with the igb (82576 SR-IOV) device, >= 8.0; on bookworm from bookworm-backports,
#     whose apt source is added (same mirror as the machine's main suite) only when needed
#   - the guest kernel: one linux-image/linux-headers version pair, resolved from the
#     linux-image-amd64 meta package and pinned together; the image is unpacked into
#     $BUILD/kernel (never installed on the host), the headers are installed for module builds
#   - checkpatch for `make lint`: the linux-source package of the guest kernel's version is
#     installed and only scripts/checkpatch.pl with its data files is unpacked from its tarball
#     into $BUILD/checkpatch (again only when that version changes)
#   - libperf for iovperf (the guest's perf-event counter): from the same tarball only what
#     libperf builds from (tools/lib, tools/include, tools/build, tools/scripts, tools/arch/x86)
#     is unpacked, and libperf.a + libapi.a are built static with their headers into
#     $BUILD/libperf (again only when that version changes; Debian ships no libperf package)
#
# Usage: scripts/setup.sh [--build DIR]      (default DIR: ./build)
# Writes $BUILD/kernel.env with KVER (ABI string), KPKG_VERSION, KHEADERS, VMLINUX, KMODDIR.
set -euo pipefail

BUILD=${BUILD:-$(pwd)/build}
[ "${1:-}" = "--build" ] && BUILD=$2
CACHE=$BUILD/cache
say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs Debian packages); try: sudo $0"
[ -r /etc/os-release ] || die "no /etc/os-release: this script supports Debian bookworm and trixie only"
# shellcheck disable=SC1091
. /etc/os-release
CODENAME=${VERSION_CODENAME:-}
case "$CODENAME" in
bookworm | trixie) ;;
*) die "unsupported distribution '${PRETTY_NAME:-unknown}': need Debian bookworm or trixie" ;;
esac

mkdir -p "$BUILD" "$CACHE"
avail_kb=$(df -Pk "$BUILD" | awk 'NR==2 {print $4}')
[ "${avail_kb:-0}" -ge 3000000 ] || die "less than 3 GB free under $BUILD (QEMU, guest kernel and image need about 2.5 GB)"

export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=0
apt_update() {
	[ "$APT_UPDATED" = 1 ] && return 0
	say "apt-get update"
	apt-get update -qq || die "apt-get update failed: is a Debian package mirror reachable?"
	APT_UPDATED=1
}

# Packages the host needs: builders, test libraries, the guest userland sources.
HOST_PKGS=(build-essential pkg-config git kmod cpio gzip xz-utils zstd file
	libcunit1-dev libjansson-dev libsqlite3-dev sparse shellcheck perl
	busybox-static iperf3 fio iproute2 ethtool
	python3-jsonschema gnuplot-nox chromium)

missing=()
for p in "${HOST_PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	apt_update
	say "installing host packages: ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install failed for: ${missing[*]}"
else
	say "host packages present"
fi

# The suite that carries QEMU >= 8.0 and the guest kernel.
if [ "$CODENAME" = bookworm ]; then
	EXTRA_SUITE=bookworm-backports
else
	EXTRA_SUITE=$CODENAME
fi

# Add bookworm-backports with the mirror this machine already uses for its main suite.
ensure_backports() {
	[ "$CODENAME" = bookworm ] || return 0
	if apt-cache policy 2>/dev/null | grep -q " bookworm-backports/main"; then
		return 0
	fi
	local uri keyring
	# shellcheck disable=SC2016 # $(REPO_URI) is apt-get's own format field, not a shell expansion
	uri=$(apt-get indextargets --format '$(REPO_URI)' 'Created-By: Packages' 'Codename: bookworm' 2>/dev/null |
		grep -v -- '-security' | head -n1)
	[ -n "$uri" ] || uri=$(awk '/^deb / && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
	[ -n "$uri" ] || die "cannot find the Debian mirror of the bookworm suite in this machine's apt configuration"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	say "adding apt source bookworm-backports from this machine's mirror: $uri"
	cat >/etc/apt/sources.list.d/iovbench-backports.sources <<EOF
# Added by iovbench scripts/setup.sh: QEMU >= 8.0 (igb SR-IOV model) and the guest kernel.
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: $keyring
EOF
	APT_UPDATED=0
	apt_update
}

qemu_has_igb() {
	command -v qemu-system-x86_64 >/dev/null &&
		qemu-system-x86_64 -device help 2>/dev/null | grep -qw '"igb"'
}
if qemu_has_igb; then
	say "QEMU with the igb device present: $(qemu-system-x86_64 --version | head -n1)"
else
	ensure_backports
	apt_update
	say "installing qemu-system-x86 from $EXTRA_SUITE (igb SR-IOV device needs QEMU >= 8.0)"
	apt-get install -y -qq --no-install-recommends -t "$EXTRA_SUITE" qemu-system-x86 qemu-utils >/dev/null ||
		die "cannot install qemu-system-x86 from $EXTRA_SUITE"
	qemu_has_igb || die "installed QEMU ($(qemu-system-x86_64 --version | head -n1)) has no igb device"
	say "QEMU: $(qemu-system-x86_64 --version | head -n1)"
fi

# Guest kernel: one version pair, resolved from the meta package, never guessed.
ensure_backports
KENV=$BUILD/kernel.env
if [ -f "$KENV" ]; then
	# shellcheck disable=SC1090
	. "$KENV"
fi
if [ -z "${KVER:-}" ] || [ ! -f "${VMLINUX:-/nonexistent}" ] || [ ! -d "${KHEADERS:-/nonexistent}" ]; then
	apt_update
	# linux-image-amd64 (from the extra suite) depends on linux-image-<ABI>-amd64.
	meta_ver=$(apt-cache madison linux-image-amd64 |
		awk -F'|' -v s=" $EXTRA_SUITE/main" 'index($3, s) {gsub(/ /, "", $2); print $2; exit}')
	[ -n "$meta_ver" ] || die "linux-image-amd64 is not available from $EXTRA_SUITE"
	dep=$(apt-cache show "linux-image-amd64=$meta_ver" | sed -n 's/^Depends: //p' | head -n1)
	img_pkg=$(printf '%s\n' "$dep" | grep -o 'linux-image-[0-9][^ ,]*-amd64' | head -n1)
	KPKG_VERSION=$(printf '%s\n' "$dep" | sed -n 's/.*(= \([^)]*\)).*/\1/p')
	{ [ -n "$img_pkg" ] && [ -n "$KPKG_VERSION" ]; } ||
		die "cannot resolve the kernel image package of linux-image-amd64 $meta_ver (Depends: $dep)"
	KVER=${img_pkg#linux-image-}
	say "guest kernel: $img_pkg $KPKG_VERSION (headers pinned to the same version)"

	say "installing linux-headers-$KVER=$KPKG_VERSION for out-of-tree module builds"
	apt-get install -y -qq --no-install-recommends "linux-headers-$KVER=$KPKG_VERSION" >/dev/null ||
		die "cannot install linux-headers-$KVER=$KPKG_VERSION"

	kdir=$BUILD/kernel
	deb=$(find "$CACHE" -maxdepth 1 -name "${img_pkg}_*.deb" | sort | head -n1)
	if [ -z "$deb" ]; then
		say "downloading $img_pkg (cached in $CACHE)"
		(cd "$CACHE" && apt-get download -qq -o APT::Sandbox::User=root "$img_pkg=$KPKG_VERSION") || die "cannot download $img_pkg"
		deb=$(find "$CACHE" -maxdepth 1 -name "${img_pkg}_*.deb" | sort | head -n1)
		[ -n "$deb" ] || die "apt-get download left no ${img_pkg}_*.deb in $CACHE"
	fi
	rm -rf "$kdir" && mkdir -p "$kdir"
	say "unpacking $(basename "$deb") into $kdir"
	dpkg-deb -x "$deb" "$kdir/root"
	vmlinuz=$kdir/root/boot/vmlinuz-$KVER
	[ -f "$vmlinuz" ] || die "no vmlinuz in $deb"
	# QEMU boots an uncompressed ELF vmlinux through its PVH note: cut the zstd payload out.
	off=$(grep -abo $'\x28\xb5\x2f\xfd' "$vmlinuz" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || die "no zstd payload in $vmlinuz"
	tail -c +$((off + 1)) "$vmlinuz" | zstd -dcq >"$kdir/vmlinux" 2>/dev/null || true
	file "$kdir/vmlinux" | grep -q 'ELF 64-bit' || die "extracting vmlinux from $vmlinuz failed"
	VMLINUX=$kdir/vmlinux
	KMODDIR=$kdir/root/lib/modules/$KVER
	KHEADERS=/usr/src/linux-headers-$KVER
	[ -d "$KHEADERS" ] || die "headers not found at $KHEADERS"
	cat >"$KENV.tmp" <<EOF
KVER=$KVER
KPKG_VERSION=$KPKG_VERSION
KHEADERS=$KHEADERS
VMLINUX=$VMLINUX
KMODDIR=$KMODDIR
EOF
	mv "$KENV.tmp" "$KENV"
fi
say "guest kernel $KVER ready ($VMLINUX)"

# checkpatch for `make lint`, from the kernel source package of the guest kernel's version:
# linux-source-<major>.<minor> ships the source tarball, of which only checkpatch.pl and the two
# data files it reads from its own directory are unpacked, into $BUILD/checkpatch.
CPDIR=$BUILD/checkpatch
CP_FILES=(checkpatch.pl spelling.txt const_structs.checkpatch)
src_pkg=linux-source-$(printf '%s\n' "$KVER" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
[ "$src_pkg" != linux-source- ] || die "cannot derive the linux-source package from kernel $KVER"
pkg_state() { dpkg-query -W -f='${Status} ${Version}' "$src_pkg" 2>/dev/null || true; }
if [ "$(pkg_state)" != "install ok installed $KPKG_VERSION" ]; then
	apt_update
	say "installing $src_pkg=$KPKG_VERSION (checkpatch for make lint)"
	apt-get install -y -qq --no-install-recommends --allow-downgrades "$src_pkg=$KPKG_VERSION" >/dev/null ||
		die "cannot install $src_pkg=$KPKG_VERSION"
fi
# src_tarball: the kernel source tarball the pinned linux-source package installs.
src_tarball() {
	local t
	t=$(dpkg-query -L "$src_pkg" | grep -E "/$src_pkg\.tar\.(xz|bz2|gz)$" | head -n1 || true)
	{ [ -n "$t" ] && [ -f "$t" ]; } || die "$src_pkg installs no source tarball"
	printf '%s\n' "$t"
}
# src_unpack DIR STRIP MEMBER...: unpack only these paths of the tarball (relative to its top
# directory) into DIR, the first STRIP path components removed (one pass over the tarball).
src_unpack() {
	local dir=$1 strip=$2 m tarball
	shift 2
	tarball=$(src_tarball)
	local members=()
	for m in "$@"; do members+=("$src_pkg/$m"); done
	tar -xaf "$tarball" -C "$dir" --strip-components="$strip" "${members[@]}" ||
		die "cannot unpack ${members[*]} from $tarball"
}
cp_stamp="$src_pkg $KPKG_VERSION"
cp_ok=1
for f in "${CP_FILES[@]}"; do [ -f "$CPDIR/$f" ] || cp_ok=0; done
if [ "$cp_ok" = 0 ] || [ "$(cat "$CPDIR/VERSION" 2>/dev/null || true)" != "$cp_stamp" ]; then
	say "unpacking ${CP_FILES[*]} from $(src_tarball) into $CPDIR"
	rm -rf "$CPDIR.tmp" && mkdir -p "$CPDIR.tmp"
	members=()
	for f in "${CP_FILES[@]}"; do members+=("scripts/$f"); done
	src_unpack "$CPDIR.tmp" 2 "${members[@]}"
	chmod +x "$CPDIR.tmp/checkpatch.pl"
	printf '%s\n' "$cp_stamp" >"$CPDIR.tmp/VERSION"
	rm -rf "$CPDIR" && mv "$CPDIR.tmp" "$CPDIR"
fi
say "checkpatch from $src_pkg $KPKG_VERSION ready ($CPDIR/checkpatch.pl)"

# libperf for iovperf, from the same tarball: its tools/ subset only, built static (the guest's
# initramfs has no libc, so iovperf links statically like the agent) into $BUILD/libperf:
# lib/libperf.a, lib/libapi.a, include/{perf,internal}/*.h and the uapi linux/perf_event.h libperf
# was built against (the host's linux-libc-dev may be older than the guest kernel).
LPDIR=$BUILD/libperf
LP_MEMBERS=(tools/lib tools/include tools/build tools/scripts tools/arch/x86/include)
lp_stamp="$src_pkg $KPKG_VERSION"
if [ ! -f "$LPDIR/lib/libperf.a" ] || [ ! -f "$LPDIR/lib/libapi.a" ] ||
	[ "$(cat "$LPDIR/VERSION" 2>/dev/null || true)" != "$lp_stamp" ]; then
	say "unpacking ${LP_MEMBERS[*]} from $(src_tarball) to build libperf"
	src=$BUILD/libperf-src
	rm -rf "$src" "$LPDIR.tmp" && mkdir -p "$src" "$LPDIR.tmp/lib" "$LPDIR.tmp/include/linux"
	src_unpack "$src" 1 "${LP_MEMBERS[@]}"
	say "building libperf.a and libapi.a ($src_pkg $KPKG_VERSION)"
	lplog=$BUILD/libperf-build.log
	{
		make -C "$src/tools/lib/api" -j2 EXTRA_CFLAGS=-O2 libapi.a &&
			make -C "$src/tools/lib/perf" -j2 EXTRA_CFLAGS=-O2 libperf.a &&
			make -C "$src/tools/lib/perf" DESTDIR="$LPDIR.tmp" prefix= install_headers
	} >"$lplog" 2>&1 || die "building libperf failed: see $lplog"
	cp "$src/tools/lib/perf/libperf.a" "$src/tools/lib/api/libapi.a" "$LPDIR.tmp/lib/"
	cp "$src/tools/include/uapi/linux/perf_event.h" "$LPDIR.tmp/include/linux/"
	printf '%s\n' "$lp_stamp" >"$LPDIR.tmp/VERSION"
	rm -rf "$LPDIR" && mv "$LPDIR.tmp" "$LPDIR" && rm -rf "$src"
fi
say "libperf from $src_pkg $KPKG_VERSION ready ($LPDIR/lib/libperf.a)"
say "done"
