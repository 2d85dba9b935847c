#!/usr/bin/env bash
# packaging/bash-completion/rekamctl under bash-completion: commands, options, fault settings.
# Usage: completion_test.sh SOURCE_DIR. Exit 77 (skip) without bash-completion.
set -uo pipefail
src=$1
framework=/usr/share/bash-completion/bash_completion
[ -r $framework ] || { echo "SKIP: bash-completion is not installed"; exit 77; }
source $framework
source "$src/packaging/bash-completion/rekamctl"
compopt() { :; }  # only meaningful inside a real completion
failed=0
expect() {  # expect "<command line>" "<expected completions>"
    local line=$1 want=$2
    read -ra COMP_WORDS <<<"$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line}
    COMPREPLY=()
    _rekamctl
    local got="${COMPREPLY[*]}"
    if [ "$got" = "$want" ]; then echo "ok: '$line' -> $got"; else echo "FAIL: '$line' -> '$got', wanted '$want'"; failed=1; fi
}
expect "rekamctl st" "status"
expect "rekamctl d" "devices diagnose"
expect "rekamctl --j" "--json"
expect "rekamctl --bus-address unix:path=/x bo" "book"
expect "rekamctl ac" "acknowledge"
expect "rekamctl acknowledge --" "--receipt --package-sha256 --help"
expect "rekamctl fault i" "iris"
expect "rekamctl p" "preview"
# No rekamd here: the kinds only. Then a stand-in rekamctl on PATH that lists two devices, as
# `rekamctl devices` prints them, and is told the --bus-address given on the line.
expect "rekamctl preview f" "fingerprint face"
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
cat >"$fake/rekamctl" <<'FAKE'
#!/bin/sh
[ "$1 $2 $3" = "--bus-address unix:path=/x devices" ] || exit 3
echo "DEVICE         KIND         NAME"
echo "fingerprint_0  fingerprint  Simulated fingerprint scanner"
echo "face_2         face         Simulated photo camera"
FAKE
chmod +x "$fake/rekamctl"
PATH="$fake:$PATH" expect "rekamctl --bus-address unix:path=/x capture f" "fingerprint_0 face_2 fingerprint face"
PATH="$fake:$PATH" expect "rekamctl capture --bus-address unix:path=/x fa" "face_2 face"
expect "rekamctl preview face --f" "--frames"
expect "rekamctl capture iris --" "--out --timeout-ms --overlay --position --requested-score --help"
expect "rekamctl capture fingerprint_0 --position left-t" "left-thumb"
expect "rekamctl diagnose --" "--html --no-capture --capture-timeout-ms --help"
expect "rekamctl fault face con" "condition="
expect "rekamctl enroll --ni" "--nik"
expect "rekamctl enroll --nik 1 --exception left-li" "left-little="
expect "rekamctl enroll --documents kk" "kk-copy,id-copy,rt-letter kk-copy"
expect "rekamctl verify --" "--ca --config --no-trust-check --decrypt-key --help"
expect "rekamctl verify --no" "--no-trust-check"
exit $failed
