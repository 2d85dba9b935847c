#!/usr/bin/python3
"""The fingerprint accuracy gate: rekam-eval on every FVC-layout set of ../shared/data/fingerprint.

  fingerprint_gate.py check REKAM_EVAL DATA_DIR GATE.json   fail on any regression (CTest)
  fingerprint_gate.py table REKAM_EVAL DATA_DIR GATE.json   the figures as the gate file holds them
  fingerprint_gate.py markdown REKAM_EVAL DATA_DIR GATE.json    the table of docs/fingerprint.md
  fingerprint_gate.py calibrate REKAM_EVAL DATA_DIR GATE.json   the calibration table, fitted on
                                                                the development sets only
  fingerprint_gate.py codecs REKAM_EVAL DATA_DIR GATE.json [SET...]   what the package's codecs and
        the chip's compact template cost: FNMR at FMR 0.1 % per set with the original images,
        WSQ at 0.75 and 2.25 bpp, lossless JPEG 2000, and the card template as gallery (markdown,
        the table of docs/package-format.md); exit 1 when lossless JPEG 2000 changes anything, or
        WSQ 0.75 or the card template does worse than the figure GATE.json commits for the set
  fingerprint_gate.py codecs-table REKAM_EVAL DATA_DIR GATE.json   the gate file with those
        figures (wsq_fnmr_at_fmr_1e-3, card_fnmr_at_fmr_1e-3) measured anew

A set fails when its FNMR at FMR 0.1 % or its sequence check's catch rate is worse than the
committed figure (GATE.json, changed only together with docs/fingerprint.md). Exit 77 (skipped)
when the data is absent.
"""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

SKIP = 77
# The evaluation is deterministic; this only absorbs floating-point differences between builds.
SLACK = 0.002


CODECS = [("original", []), ("wsq 0.75", ["--transcode", "wsq"]),
          ("wsq 2.25", ["--transcode", "wsq-2.25"]), ("jp2 lossless", ["--transcode", "jp2-lossless"]),
          ("card gallery", ["--card-gallery"])]


def evaluate(rekam_eval, data, s, extra=()):
    cmd = [rekam_eval, "fingerprint", os.path.join(data, s["dir"]), "--ppi", str(s["ppi"]), "--json",
           *extra]
    ref = s.get("reference")
    if ref and os.path.exists(os.path.join(data, ref)):
        cmd += ["--reference", os.path.join(data, ref)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def pct(v):
    return "" if v is None else f"{100 * v:.1f} %"


def print_markdown(sets, results):
    print("| set | role | genuine / impostor | rekam EER | rekam FNMR at FMR 1 % / 0.1 % / 0.01 % / 0 "
          "| bozorth3 FNMR at FMR 0.1 % / 0 | FMR / FNMR at threshold 3 | sequence: caught / "
          "enrollments stopped | FNMR at 3 after discarding 0 / 10 / 20 % by quality | ms per image / match |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s, r in zip(sets, results):
        ref = r.get("reference")
        edc = {round(p["discarded"], 2): p["fnmr"] for p in r["edc"]}
        print(f"| {s['dir']} | {s['role']} | {r['genuine']} / {r['impostor']} | {pct(r['eer'])} | "
              f"{pct(r['fnmr_at_fmr_1e-2'])} / **{pct(r['fnmr_at_fmr_1e-3'])}** / "
              f"{pct(r['fnmr_at_fmr_1e-4'])} / {pct(r['fnmr_at_fmr_0'])} | "
              + (f"{pct(ref['fnmr_at_fmr_1e-3'])} / {pct(ref['fnmr_at_fmr_0'])}" if ref else "n/a")
              + f" | {100 * r['fmr_at_threshold']:.2f} % / {pct(r['fnmr_at_threshold'])} | "
              f"{pct(r['sequence_catch_rate'])} / {100 * r['sequence_false_alarm_per_enrollment']:.2f} % | "
              f"{pct(edc[0.0])} / {pct(edc[0.1])} / {pct(edc[0.2])} | "
              f"{r['ms_per_image']:.1f} / {r['ms_per_match']:.2f} |")


def codecs(rekam_eval, data, sets):
    jobs = [(s, extra) for s in sets for _, extra in CODECS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda j: evaluate(rekam_eval, data, j[0], j[1]), jobs))
    print("| set | role | " + " | ".join(f"{name} FNMR / EER" for name, _ in CODECS) + " |")
    print("|---|---|" + "---|" * len(CODECS))
    failures = []
    for i, s in enumerate(sets):
        row = results[i * len(CODECS):(i + 1) * len(CODECS)]
        print(f"| {s['dir']} | {s['role']} | "
              + " | ".join(f"{pct(r['fnmr_at_fmr_1e-3'])} / {pct(r['eer'])}" for r in row) + " |")
        original, jp2 = row[0]["fnmr_at_fmr_1e-3"], row[3]["fnmr_at_fmr_1e-3"]
        if jp2 != original:
            failures.append(f"{s['dir']}: lossless JPEG 2000 changed FNMR {original:.4f} -> {jp2:.4f}")
        for key, r in (("wsq_fnmr_at_fmr_1e-3", row[1]), ("card_fnmr_at_fmr_1e-3", row[4])):
            if key in s and r["fnmr_at_fmr_1e-3"] > s[key] + SLACK:
                failures.append(f"{s['dir']}: {key} {r['fnmr_at_fmr_1e-3']:.4f} is worse than "
                                f"the gate's {s[key]:.4f}")
            s[key] = round(r["fnmr_at_fmr_1e-3"], 4)
    for f in failures:
        print("REGRESSION:", f, file=sys.stderr)
    return 1 if failures else 0


def main():
    verbs = ("check", "table", "markdown", "calibrate", "codecs", "codecs-table")
    if len(sys.argv) < 5 or sys.argv[1] not in verbs or (sys.argv[1] != "codecs" and len(sys.argv) != 5):
        print(__doc__, file=sys.stderr)
        return 2
    verb, rekam_eval, data, gate_file = sys.argv[1:5]
    with open(gate_file) as f:
        gate = json.load(f)
    sets = [s for s in gate["sets"] if os.path.isdir(os.path.join(data, s["dir"]))]
    if not sets:
        print(f"SKIP: no fingerprint sets under {data} (see ../shared/data/fingerprint/PROVENANCE.md)")
        return SKIP
    if verb == "codecs":
        chosen = sys.argv[5:]
        return codecs(rekam_eval, data, [s for s in sets if not chosen or s["dir"] in chosen])
    if verb == "codecs-table":
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            codecs(rekam_eval, data, sets)
            sys.stdout = stdout
        print(json.dumps(gate, indent=2))
        return 0
    if verb == "calibrate":
        dev = [f"{os.path.join(data, s['dir'])}:{s['ppi']}" for s in sets if s["role"] == "development"]
        return subprocess.run([rekam_eval, "fingerprint-calibrate", *dev]).returncode

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda s: evaluate(rekam_eval, data, s), sets))
    if verb == "markdown":
        print_markdown(sets, results)
        return 0
    failures = []
    print(f"{'set':16} {'role':12} {'FNMR@0.1%':>10} {'gate':>7} {'bozorth3':>9} "
          f"{'catch':>7} {'gate':>7} {'seq FA':>7} {'EER':>6}")
    for s, r in zip(sets, results):
        ref = r.get("reference", {}).get("fnmr_at_fmr_1e-3")
        print(f"{s['dir']:16} {s['role']:12} {r['fnmr_at_fmr_1e-3']:10.3f} "
              f"{s.get('fnmr_at_fmr_1e-3', float('nan')):7.3f} "
              f"{ref if ref is not None else float('nan'):9.3f} {r['sequence_catch_rate']:7.3f} "
              f"{s.get('sequence_catch_rate', float('nan')):7.3f} "
              f"{r['sequence_false_alarm_per_enrollment']:7.4f} {r['eer']:6.3f}")
        if verb == "check":
            if r["fnmr_at_fmr_1e-3"] > s["fnmr_at_fmr_1e-3"] + SLACK:
                failures.append(f"{s['dir']}: FNMR at FMR 0.1 % {r['fnmr_at_fmr_1e-3']:.4f} "
                                f"is worse than the gate's {s['fnmr_at_fmr_1e-3']:.4f}")
            if r["sequence_catch_rate"] < s["sequence_catch_rate"] - SLACK:
                failures.append(f"{s['dir']}: sequence catch rate {r['sequence_catch_rate']:.4f} "
                                f"is worse than the gate's {s['sequence_catch_rate']:.4f}")
        s["fnmr_at_fmr_1e-3"] = round(r["fnmr_at_fmr_1e-3"], 4)
        s["sequence_catch_rate"] = round(r["sequence_catch_rate"], 4)
    if verb == "table":
        print(json.dumps(gate, indent=2))
        return 0
    for f in failures:
        print("REGRESSION:", f)
    print(f"{len(sets) - len({f.split(':')[0] for f in failures})} passed, "
          f"{len({f.split(':')[0] for f in failures})} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
