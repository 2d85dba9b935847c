#!/usr/bin/env bash
# rekam-eval as a user meets it: clear errors on bad folders, and the --json contract's keys.
#   rekam_eval_cli_test.sh REKAM_EVAL DATA_DIR
set -euo pipefail
eval_bin=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_failure() {  # expect_failure MESSAGE-PART ARGS...
    local want=$1 out
    shift
    if out=$("$eval_bin" "$@" 2>&1); then
        echo "FAIL: rekam-eval $* succeeded"; exit 1
    fi
    grep -q -- "$want" <<<"$out" || { echo "FAIL: rekam-eval $*: '$out' lacks '$want'"; exit 1; }
}

mkdir "$tmp/empty" "$tmp/corrupt"
expect_failure "fewer than two prints" fingerprint "$tmp/empty"
printf 'not an image' >"$tmp/corrupt/101_1.png"
cp "$tmp/corrupt/101_1.png" "$tmp/corrupt/101_2.png"
expect_failure "cannot decode $tmp/corrupt/101_1.png" fingerprint "$tmp/corrupt"
expect_failure "does not exist" fingerprint "$tmp/nowhere"
expect_failure "ppi" fingerprint "$tmp/empty" --ppi 5
expect_failure "fewer than two eye images" iris "$tmp/empty"
expect_failure "cannot decode $tmp/corrupt/101_1.png" iris "$tmp/corrupt"

set_dir=$data/fvc2002_db1_b
if [ ! -d "$set_dir" ]; then
    echo "SKIP: no $set_dir (see ../shared/data/fingerprint/PROVENANCE.md)"
    exit 77
fi
mkdir "$tmp/small"
for f in 101_1 101_2 102_1 102_2 103_1; do cp "$set_dir/$f.tif" "$tmp/small/"; done
"$eval_bin" fingerprint "$tmp/small" --json --det "$tmp/det.png" >"$tmp/out.json"
/usr/bin/python3 - "$tmp/out.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
keys = ["genuine", "impostor", "eer", "fnmr_at_fmr_1e-2", "fnmr_at_fmr_1e-3", "fnmr_at_fmr_1e-4",
        "fnmr_at_fmr_0", "threshold", "fmr_at_threshold", "fnmr_at_threshold", "sequence_threshold",
        "sequence_catch_rate", "sequence_false_alarm_per_enrollment", "edc_fnmr_at_discard_0.1",
        "ms_per_image", "ms_per_match"]
missing = [k for k in keys if k not in r]
assert not missing, f"missing keys {missing}"
assert r["genuine"] == 4 and r["impostor"] == 16, (r["genuine"], r["impostor"])
for k in keys[2:7] + ["fmr_at_threshold", "fnmr_at_threshold", "sequence_catch_rate"]:
    assert 0 <= r[k] <= 1, (k, r[k])
PY
head -c 8 "$tmp/det.png" | od -An -c | grep -q "P   N   G" || { echo "FAIL: --det wrote no PNG"; exit 1; }

# Iris: two eyes of IIT Delhi (one folder per eye), the --json contract and the sheet.
iris_dir=$(dirname "$data")/iris/iitd_v1_subset
if [ ! -d "$iris_dir" ]; then
    echo "SKIP: no $iris_dir (see ../shared/data/iris/PROVENANCE.md)"
    exit 77
fi
mkdir "$tmp/eyes"
cp -r "$iris_dir/014_L" "$iris_dir/015_R" "$tmp/eyes/"
"$eval_bin" iris "$tmp/eyes" --json --sheet "$tmp/sheet.png" >"$tmp/iris.json"
/usr/bin/python3 - "$tmp/iris.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
keys = ["eyes", "images", "segmentation_failures", "genuine", "impostor", "d_prime", "margin",
        "fnmr_at_fmr_1e-3", "fnmr_at_fmr_0", "ms_per_image"]
missing = [k for k in keys if k not in r]
assert not missing, f"missing keys {missing}"
assert r["eyes"] == 2 and r["images"] == 10, (r["eyes"], r["images"])
assert r["genuine"]["count"] == 20 and r["impostor"]["count"] == 25, (r["genuine"], r["impostor"])
for k in ["fnmr_at_fmr_1e-3", "fnmr_at_fmr_0"]:
    assert 0 <= r[k] <= 1, (k, r[k])
PY
head -c 8 "$tmp/sheet.png" | od -An -c | grep -q "P   N   G" || { echo "FAIL: --sheet wrote no PNG"; exit 1; }
echo "2 passed, 0 failed"
