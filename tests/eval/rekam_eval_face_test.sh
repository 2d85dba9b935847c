#!/usr/bin/env bash
# rekam-eval face as a script meets it: a clear error on an empty folder, and the --json contract
# (photos: [{file, faces, score, checks: {name: {value, pass}}}], ms_per_frame) with a sheet.
#   rekam_eval_face_test.sh REKAM_EVAL FACE_DATA_DIR
set -euo pipefail
eval_bin=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/empty"
if out=$("$eval_bin" face "$tmp/empty" 2>&1); then
    echo "FAIL: rekam-eval face on an empty folder succeeded"; exit 1
fi
grep -q "holds no photos" <<<"$out" || { echo "FAIL: '$out' lacks 'holds no photos'"; exit 1; }

set_dir=$data/caltech_faces_1999
if [ ! -d "$set_dir" ]; then
    echo "SKIP: no $set_dir (see ../shared/data/face/PROVENANCE.md)"
    exit 77
fi
mkdir "$tmp/small"
cp "$set_dir/image_0001.jpg" "$set_dir/image_0053.jpg" "$tmp/small/"
"$eval_bin" face "$tmp/small" --json --sheet "$tmp/sheet.png" >"$tmp/out.json"
/usr/bin/python3 - "$tmp/out.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert set(r) == {"photos", "ms_per_frame"}, sorted(r)
assert r["ms_per_frame"] > 0
assert [p["file"] for p in r["photos"]] == ["image_0001.jpg", "image_0053.jpg"], r["photos"]
for p in r["photos"]:
    assert set(p) == {"file", "faces", "score", "checks"}, sorted(p)
    assert p["faces"] == 1 and 0 <= p["score"] <= 100, p
    for name in ["face_count", "eyes_found", "eyes_open", "mouth_closed", "inter_eye_distance"]:
        c = p["checks"][name]
        assert set(c) == {"value", "pass"} and isinstance(c["pass"], bool), (name, c)
mouth = {p["file"]: p["checks"]["mouth_closed"]["pass"] for p in r["photos"]}
assert mouth == {"image_0001.jpg": True, "image_0053.jpg": False}, mouth  # 0053 shows its teeth
PY
head -c 8 "$tmp/sheet.png" | od -An -c | grep -q "P   N   G" || { echo "FAIL: --sheet wrote no PNG"; exit 1; }
echo "1 passed, 0 failed"
