#!/usr/bin/env bash
# tools/test.sh: set up, build and run every test of CryptSvc Doctor (the README's second command).
#
#   1. the pure core natively under AddressSanitizer + UndefinedBehaviorSanitizer;
#   2. the x64 Windows build: unit tests and integration tests under Wine, in a throwaway
#      prefix inside build/win64 (never ~/.wine), PE hardening checks;
#   3. the x86 Windows build (built and its images checked; not run: Debian's wine64 is 64-bit);
#   4. a bounded libFuzzer run of every parser (CSD_FUZZ_SECONDS per target, default 20).
# Build folders live in build/; a second run reuses them and the Wine prefix.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh || exit 1

jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0

# ctest's closing "N tests failed out of M" feeds the totals printed at the end.
count() {
    local log=$1 line total bad
    line=$(grep -E "tests? failed out of [0-9]+" "$log" | tail -n 1)
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    bad=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$line")
    [ -n "$total" ] || { failed=$((failed + 1)); return; }
    passed=$((passed + total - bad))
    failed=$((failed + bad))
}

step() { echo; echo "== $*"; }

step "native build, ASan + UBSan"
cmake -S . -B build/native -G Ninja -DCSD_SANITIZE=ON >/dev/null &&
    cmake --build build/native -j "$jobs" || failed=$((failed + 1))
(cd build/native && ctest --output-on-failure -j "$jobs") | tee build/native.log
count build/native.log

step "Windows x64 build, tests under Wine"
cmake -S . -B build/win64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-x86_64-w64-mingw32.cmake >/dev/null &&
    cmake --build build/win64 -j "$jobs" || failed=$((failed + 1))
(cd build/win64 && ctest --output-on-failure -j "$jobs") | tee build/win64.log
count build/win64.log

step "Windows x86 build"
cmake -S . -B build/win32 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-i686-w64-mingw32.cmake >/dev/null &&
    cmake --build build/win32 -j "$jobs" || failed=$((failed + 1))
(cd build/win32 && ctest --output-on-failure -L pe) | tee build/win32.log
count build/win32.log

step "fuzzing, ${CSD_FUZZ_SECONDS:-20} s per target"
if bash tests/fuzz/run.sh "${CSD_FUZZ_SECONDS:-20}" build/fuzz > build/fuzz.log 2>&1; then
    passed=$((passed + 1))
    grep -E "^== |#[0-9]+.*DONE" build/fuzz.log || true
else
    failed=$((failed + 1))
    tail -n 40 build/fuzz.log
fi

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
