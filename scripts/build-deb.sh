#!/usr/bin/env bash
# Builds the rekam Debian package (dpkg-buildpackage -us -uc -b) from the working tree and checks
# it with lintian. The build runs in a copy of the tracked and new files under OUTDIR, so the
# shared source tree gets no obj-*/ or debian/rekam/ litter.
#   scripts/build-deb.sh [OUTDIR]      (default: build-deb/)  -> OUTDIR/rekam_<version>_<arch>.deb
# Environment: REKAM_SKIP_LINTIAN=1 to skip lintian, REKAM_NO_DEPS=1 to skip installing packages.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$here/build-deb}" && cd "${1:-$here/build-deb}" && pwd)

if [ -z "${REKAM_NO_DEPS:-}" ]; then
    # shellcheck source=scripts/deps.sh
    source "$here/scripts/deps.sh"
    rekam_ensure_packages dpkg-dev debhelper lintian
    # Then whatever debian/control's Build-Depends still lacks.
    unmet=$(cd "$here" && dpkg-checkbuilddeps 2>&1 | sed -n 's/.*Unmet build dependencies: //p' |
        sed -e 's/([^)]*)//g' -e 's/|[^ ]*//g')
    [ -z "$unmet" ] || rekam_ensure_packages $unmet
fi

version=$(dpkg-parsechangelog -l "$here/debian/changelog" -S Version)
src="$out/src/rekam-$version"
rm -rf "$out/src" && mkdir -p "$src"
# Tracked files plus new, not ignored ones: what the next commit would build. (A source tree
# that is no git checkout, e.g. an unpacked archive, is copied whole.)
if git -C "$here" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$here" && git ls-files -z --cached --others --exclude-standard |
        grep -zv -e '^build' -e '^obj-' | xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$src"
else
    tar -C "$here" --exclude='./build*' --exclude='./obj-*' -cf - . | tar -xf - -C "$src"
fi

echo "build-deb: building rekam $version in $src" >&2
start=$(date +%s)
(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b) \
    >"$out/build.log" 2>&1 || { tail -40 "$out/build.log" >&2; echo "build-deb: failed, see $out/build.log" >&2; exit 1; }
echo "build-deb: built in $(( $(date +%s) - start )) s" >&2

rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mv "$out"/src/*.deb "$out"/src/*.changes "$out"/src/*.buildinfo "$out"/
changes=$(ls "$out"/rekam_"${version}"_*.changes)

if [ -z "${REKAM_SKIP_LINTIAN:-}" ]; then
    # Errors fail the build; warnings are printed for whoever reads the log.
    lintian --fail-on error --info "$changes" | tee "$out/lintian.log" >&2
fi
ls "$out"/rekam_"${version}"_*.deb | grep -v dbgsym
