#!/usr/bin/env bash
# Builds rekam and runs every test (unit and integration) with CTest.
#   scripts/test.sh            everything
#   scripts/test.sh -R Rekamd  only tests matching a regex (passed to ctest)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
rekam_ensure_packages "${REKAM_PACKAGES[@]}"

cmake --preset default >/dev/null
cmake --build --preset default
ctest --preset default "$@"
