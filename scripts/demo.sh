#!/usr/bin/env bash
# The main job, start to end: rekamd with the simulated enrollment kit on a private bus, one
# full enrollment with rekamctl, the package verified with stock openssl and sha256sum, and a
# contact sheet of every capture in the demo folder.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
source scripts/deps.sh
rekam_ensure_packages "${REKAM_PACKAGES[@]}"

cmake --preset default >/dev/null
cmake --build --preset default --target rekamd rekamctl

out=${REKAM_DEMO_DIR:-$top/build/demo}
rm -rf "$out"
mkdir -p "$out/bus/policy" "$out/state"
rekamd=$top/build/daemon/rekamd
rekamctl=$top/build/tools/rekamctl/rekamctl

cleanup() {
    [ -n "${daemon_pid:-}" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
    [ -n "${bus_pid:-}" ] && kill "$bus_pid" 2>/dev/null
    return 0
}
trap cleanup EXIT

# A private bus that behaves like the system bus, with rekam's own policy file.
cp packaging/dbus/id.rekam.Rekam1.conf "$out/bus/policy/"
sed -e "s|@SOCKET_DIR@|$out/bus|" -e "s|@POLICY_DIR@|$out/bus/policy|" scripts/private-bus.conf.in >"$out/bus/bus.conf"
dbus-daemon --config-file="$out/bus/bus.conf" --nofork --print-address=3 3>"$out/bus/address" 2>"$out/bus/dbus.log" &
bus_pid=$!
for _ in $(seq 100); do [ -s "$out/bus/address" ] && break; sleep 0.05; done
address=$(head -n1 "$out/bus/address")

# No station key configured: make a self-signed one for the demo, and say so.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -subj "/CN=rekam demo station/O=rekam demo" \
    -keyout "$out/state/station-key.pem" -out "$out/station-cert.pem" 2>/dev/null
chmod 600 "$out/state/station-key.pem"
echo "demo: no station key configured; created a SELF-SIGNED demo key ($out/state/station-key.pem)."
echo "      Packages verify against $out/station-cert.pem only; a real station uses a key issued by Dukcapil."

cat >"$out/rekamd.conf" <<CONF
[Station]
Id=DEMO-3273-01
StateDirectory=$out/state
KeyFile=$out/state/station-key.pem
CertificateFile=$out/station-cert.pem
# rekamctl verify's trust anchor. The demo made this self-signed certificate itself a moment
# ago, so here it is the one anchor that is honestly known; a real station names Dukcapil's CA.
CAFile=$out/station-cert.pem

[Security]
# the private demo bus has no polkitd; the packaged daemon asks polkit for every privileged call
Polkit=no

[Simulator]
# a realistic pace: a finger placement or camera frame every 150 ms
FrameIntervalMs=150
CONF

"$rekamd" --bus-address "$address" --config "$out/rekamd.conf" 2>"$out/rekamd.log" &
daemon_pid=$!
for _ in $(seq 100); do "$rekamctl" --bus-address "$address" status >/dev/null 2>&1 && break; sleep 0.1; done

"$rekamctl" --bus-address "$address" status
echo
"$rekamctl" --bus-address "$address" devices
echo
"$rekamctl" --bus-address "$address" diagnose --html "$out/station-report.html"
echo
echo "demo: a technician's test of the fingerprint reader, its minutiae drawn (nothing is booked)"
"$rekamctl" --bus-address "$address" capture fingerprint_0 --overlay --out "$out/test-finger.png"
echo
echo "demo: one still from the photo camera's live preview (what the clerk sees before capturing)"
"$rekamctl" --bus-address "$address" capture face --out "$out/preview-face.png"
echo
echo "demo: enrolling one citizen (NIK 3273014507900001, born 5 July 1990, woman)"
"$rekamctl" --bus-address "$address" enroll --nik 3273014507900001 --kk 3273010101200002 \
    --documents kk-copy,id-copy,rt-letter --operator demo-operator --name "Siti Aminah" \
    --contact-sheet "$out/contact-sheet.png" | tee "$out/enroll.txt"
package=$(awk '$1 == "package" {print $2}' "$out/enroll.txt")
sheet=$out/contact-sheet.png  # where rekamctl said it wrote it; the spool holds packages only
echo
"$rekamctl" --bus-address "$address" book

# Verify with stock tools only: openssl cms over the manifest, sha256sum over every sample.
echo
echo "demo: checking the package with stock tools"
check=$out/check
mkdir -p "$check"
tar -C "$check" -xf "$package"
openssl cms -verify -binary -inform DER -in "$check/manifest.json.p7s" -content "$check/manifest.json" \
    -CAfile "$out/station-cert.pem" -out /dev/null
/usr/bin/python3 - "$check/manifest.json" >"$check/SHA256SUMS" <<'PY'
import json, sys
for s in json.load(open(sys.argv[1]))["samples"]:
    print(f'{s["sha256"]}  {s["file"]}')
PY
(cd "$check" && sha256sum --quiet -c SHA256SUMS) && echo "sha256sum: all $(wc -l <"$check/SHA256SUMS") samples OK"
# rekamctl checks who signed, too: against CAFile= of the demo's rekamd.conf.
"$rekamctl" verify --config "$out/rekamd.conf" "$package"

echo
echo "package:       $package"
echo "contact sheet: $sheet"
echo "station report: $out/station-report.html"
