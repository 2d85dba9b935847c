#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz: clang-14, ASan + UBSan, build-fuzz/) and runs them
# for a bounded time each. A crash, sanitizer report, leak, timeout or out-of-memory fails the
# run with the input that caused it saved in build-fuzz/findings/. CTest runs it as fuzz.build
# and fuzz.<target> (tests/fuzz/CMakeLists.txt); docs/fuzzing.md says more.
#   scripts/fuzz.sh build                  configure and build the fuzz targets, nothing else
#   scripts/fuzz.sh list                   the targets built
#   scripts/fuzz.sh run TARGET [SECONDS]   fuzz one target, e.g. package_verify
#   scripts/fuzz.sh all [SECONDS]          build, then fuzz every target in turn
# Environment: REKAM_FUZZ_SECONDS (default 30) per target; REKAM_FUZZ_BUILD_JOBS for the build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
bindir=$build/tests/fuzz

die() {
    echo "fuzz: $*" >&2
    exit 1
}

build() {
    cd "$root"
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz ${REKAM_FUZZ_BUILD_JOBS:+-j "$REKAM_FUZZ_BUILD_JOBS"}
}

list() {
    local bin
    for bin in "$bindir"/rekam_fuzz_*; do
        [ -x "$bin" ] && [ -f "$bin.args" ] && echo "${bin#"$bindir"/rekam_fuzz_}"
    done
}

run() {
    local target=$1 seconds=${2:-${REKAM_FUZZ_SECONDS:-30}}
    local bin=$bindir/rekam_fuzz_$target
    local seeds=$root/tests/fuzz/corpus/$target
    [ -x "$bin" ] && [ -f "$bin.args" ] || die "no target $target in $bindir (run build first)"
    [ -d "$seeds" ] || die "no seeds for $target in $seeds"
    # New inputs go to the first folder, so the committed seeds stay as they are; the working
    # corpus persists between local runs and starts from the seeds in a fresh checkout.
    local corpus=$build/corpus/$target findings=$build/findings logs=$build/logs
    mkdir -p "$corpus" "$findings" "$logs"
    local log=$logs/$target.log
    local -a args dirs=("$corpus" "$seeds")
    mapfile -t args <"$bin.args"
    # Inputs that once failed, kept so every run tries them first.
    [ -d "$root/tests/fuzz/regressions/$target" ] && dirs+=("$root/tests/fuzz/regressions/$target")
    echo "fuzz.$target: ${seconds}s, ${args[*]}, seeds $seeds, log $log"
    # -fno-sanitize-recover=all (preset) makes UBSan abort like ASan; libFuzzer then saves the
    # input. One process, one job: CI has two cores and other tests beside this one.
    local rc=0
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$findings/$target-" "${args[@]}" "${dirs[@]}" >"$log" 2>&1 ||
        rc=$?
    if [ "$rc" -eq 0 ]; then
        grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|peak_rss_mb)' "$log" ||
            true
        echo "fuzz.$target: no finding; corpus $(find "$corpus" -type f | wc -l) inputs"
        return 0
    fi
    tail -n 80 "$log" >&2
    local saved
    saved=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    if [ -n "$saved" ]; then
        echo "fuzz.$target: FINDING (exit $rc), input saved as $saved" >&2
        echo "fuzz.$target: reproduce with $bin $saved" >&2
    else
        echo "fuzz.$target: FAILED (exit $rc) with no input saved; see $log" >&2
    fi
    return 1
}

case ${1:-} in
build) build ;;
list) list ;;
run)
    [ $# -ge 2 ] || die "usage: scripts/fuzz.sh run TARGET [SECONDS]"
    run "$2" "${3:-}"
    ;;
all)
    build
    failed=()
    for target in $(list); do run "$target" "${2:-}" || failed+=("$target"); done
    [ ${#failed[@]} -eq 0 ] || die "findings in: ${failed[*]} (inputs in $build/findings/)"
    ;;
*) die "usage: scripts/fuzz.sh build | list | run TARGET [SECONDS] | all [SECONDS]" ;;
esac
