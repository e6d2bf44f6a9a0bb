# Shared settings for the bench scripts; sourced, not run.
# shellcheck shell=bash
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${ARMATURE_CACHE:-$TOP/.cache}

# The pinned stock kernel: Debian's 6.12 for bookworm, arm64 flavour.
STOCK_PKGVER=6.12.117-1~deb12u1
STOCK_ABI=6.12.117+deb12
STOCK_KVER=$STOCK_ABI-arm64
STOCK_ROOT=$CACHE/stock-$STOCK_KVER
STOCK_KDIR=$STOCK_ROOT/usr/src/linux-headers-$STOCK_KVER

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

# Debian's linux-source-6.12 of the stock kernel's version, unpacked once
# into the cache (the debug kernel and upstream's modules build from it);
# echoes its directory.
stock_source() {
	local src=$CACHE/linux-source-$STOCK_PKGVER deb
	if [ ! -e "$src/.complete" ]; then
		deb=$(fetch_debs "linux-source-6.12=$STOCK_PKGVER")
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

# suites_of SCRIPT...: the suites guest scripts report, comma-separated.
suites_of() { sed -n 's/^suite \([a-z0-9_]*\).*/\1/p' "$@" | paste -sd, -; }
