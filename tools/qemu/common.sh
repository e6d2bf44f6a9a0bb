# Shared settings for the bench scripts; sourced, not run.
# shellcheck shell=bash
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${ARMATURE_CACHE:-$TOP/.cache}

# The stock kernel: the suite's main one, Debian's newest 6.12 for bookworm,
# arm64 flavour (resolve_kernel below).
STOCK_SPEC=6.12

CROSS_COMPILE=aarch64-linux-gnu-
export ARCH=arm64 CROSS_COMPILE

log() { printf '  %-8s %s\n' "$1" "$2" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Download Debian packages (any architecture) into $CACHE/debs without
# installing them; echoes the paths of the .deb files.
fetch_debs() {
	mkdir -p "$CACHE/debs"
	local want=() p
	for p in "$@"; do
		local name=${p%%=*} ver=${p#*=}
		local file
		file=$(compgen -G "$CACHE/debs/${name%%:*}_${ver//:/%3a}_*.deb" || true)
		[ -n "$file" ] || want+=("$p")
	done
	if [ ${#want[@]} -gt 0 ]; then
		log APT "download ${want[*]}"
		(cd "$CACHE/debs" && apt-get download -q "${want[@]}" 2>&1 |
			grep -v -e '^Get:' -e 'unsandboxed' >&2) || true
	fi
	for p in "$@"; do
		local name=${p%%=*} ver=${p#*=}
		compgen -G "$CACHE/debs/${name%%:*}_${ver//:/%3a}_*.deb" ||
			die "could not download $p"
	done
}

# resolve_kernel SPEC: which Debian arm64 kernel SPEC names, from the apt
# index, remembered in the cache (superseded security versions leave the
# archive, and a cached kernel must keep its name). SPEC is a release name
# (6.1.0-57-arm64, 6.12.118+deb12-arm64-16k, 6.12.118+deb12-cloud-arm64,
# 6.12.118+deb12-rt-arm64), or a series with an optional flavour (6.12,
# 6.12-16k, 6.1-cloud, 6.12-rt: the newest of it), or "stock". Sets KVER
# (the release), KPKGVER (the Debian version), KSERIES (6.1, 6.12),
# KHEADERS_COMMON and KBUILD_PKG (the packages the headers need), KROOT
# (where it is unpacked) and KDIR (its headers, a Kbuild tree).
resolve_kernel() {
	local spec=$1 memo flavour= series re names
	[ "$spec" != stock ] || spec=$STOCK_SPEC
	memo=$CACHE/kernels/$spec.resolved
	if [ ! -s "$memo" ]; then
		"$TOP/tools/qemu/setup-host"
		if [[ $spec =~ ^([0-9]+\.[0-9]+)(-(16k|cloud|rt))?$ ]]; then
			series=${BASH_REMATCH[1]}
			case ${BASH_REMATCH[3]} in
			'') flavour=arm64 ;; 16k) flavour=arm64-16k ;; *) flavour=${BASH_REMATCH[3]}-arm64 ;;
			esac
			re="^linux-image-(${series//./\\.}\\.[0-9]+(-[0-9]+|\\+deb[0-9]+))-$flavour-unsigned\$"
			names=$(apt-cache pkgnames "linux-image-$series." | grep -E "$re" | sort -V) || true
			[ -n "$names" ] || die "no Debian arm64 kernel $spec in the apt index"
			KVER=$(tail -1 <<<"$names" | sed -E "s/$re/\\1/")-$flavour
		elif [[ $spec =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+|\+deb[0-9]+)-(arm64|arm64-16k|cloud-arm64|rt-arm64)$ ]]; then
			KVER=$spec
		else
			die "kernel $spec: a Debian arm64 release (6.1.0-57-arm64, 6.12.118+deb12-arm64-16k), a series (6.1, 6.12-16k, 6.12-cloud, 6.12-rt) or stock"
		fi
		local show depends
		show=$(apt-cache show "linux-headers-$KVER:arm64" 2>/dev/null) ||
			die "no linux-headers-$KVER:arm64 in the apt index"
		KPKGVER=$(sed -n 's/^Version: //p' <<<"$show" | sort -V | tail -1)
		depends=$(sed -n 's/^Depends: //p' <<<"$show" | head -1 | tr ',|' '\n\n' | sed 's/^ *//; s/ .*//')
		KHEADERS_COMMON=$(grep -E '^linux-headers-.*-common(-rt)?$' <<<"$depends")
		KBUILD_PKG=$(grep -E '^linux-kbuild-' <<<"$depends")
		[ -n "$KHEADERS_COMMON" ] && [ -n "$KBUILD_PKG" ] ||
			die "cannot tell the packages linux-headers-$KVER needs"
		mkdir -p "$CACHE/kernels"
		echo "$KVER $KPKGVER $KHEADERS_COMMON $KBUILD_PKG" >"$memo.tmp"
		mv "$memo.tmp" "$memo"
	fi
	read -r KVER KPKGVER KHEADERS_COMMON KBUILD_PKG <"$memo"
	KSERIES=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$KVER")
	KROOT=$CACHE/kernel-$KVER
	KDIR=$KROOT/usr/src/linux-headers-$KVER
}

# Debian's linux-source of the stock kernel's version, unpacked once into the
# cache (the debug kernel and upstream's modules build from it); echoes its
# directory.
stock_source() {
	resolve_kernel stock
	local src=$CACHE/linux-source-$KPKGVER deb
	if [ ! -e "$src/.complete" ]; then
		deb=$(fetch_debs "linux-source-$KSERIES=$KPKGVER")
		rm -rf "$src" "$src.tmp"
		mkdir -p "$src.tmp"
		log UNPACK "$(basename "$deb")"
		dpkg-deb --fsys-tarfile "$deb" | tar -x -O --wildcards '*.tar.xz' |
			tar -xJ -C "$src.tmp" --strip-components=1
		touch "$src.tmp/.complete"
		mv "$src.tmp" "$src"
	fi
	echo "$src"
}

# kernel_release KDIR: the release a Kbuild tree's kernel reports (uname -r),
# which is where its modules go. Not include/config/kernel.release: Debian's
# headers have the upstream version there (6.1.192 for 6.1.0-57-arm64).
kernel_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null
}

# suites_of SCRIPT...: the suites guest scripts report, comma-separated.
suites_of() { sed -n 's/^suite \([a-z0-9_]*\).*/\1/p' "$@" | paste -sd, -; }
