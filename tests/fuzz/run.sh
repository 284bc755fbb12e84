#!/bin/sh
# tests/fuzz/run.sh: builds the libFuzzer targets with clang and runs each for a bounded time.
#
# Usage: tests/fuzz/run.sh [seconds-per-target] [build-dir]     (defaults: 20 and /tmp/csd-fuzz)
# CI gives 60 s in all: the default 20 s per target. Exit status is non-zero on any crash,
# leak, sanitizer report or build failure; the crashing input is left in the build dir.
#
# Longer local run (recommended before a release, about 3 hours with 2 workers each):
#   tests/fuzz/run.sh 3600 /tmp/csd-fuzz
# or one target by hand, keeping what it finds:
#   /tmp/csd-fuzz/tests/fuzz/fuzz_ese_db -max_total_time=3600 -jobs=4 -workers=4 \
#       /tmp/csd-fuzz/corpus/fuzz_ese_db tests/fuzz/corpus/fuzz_ese_db
# New inputs go to the build dir's corpus copy, never into the source tree; copy small,
# interesting ones to tests/fuzz/corpus/<target>/ by hand (keep the total under ~200 KB).
set -eu

seconds=${1:-20}
build=$(realpath -m "${2:-/tmp/csd-fuzz}")
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)

CC=${CC:-clang} cmake -S "$source_dir" -B "$build" -G Ninja -DCSD_FUZZ=ON -DCSD_SANITIZE=ON >/dev/null
for target in fuzz_ese_db fuzz_ese_log fuzz_dberr; do
    cmake --build "$build" --target "$target"
done

status=0
for target in fuzz_ese_db fuzz_ese_log fuzz_dberr; do
    mkdir -p "$build/corpus/$target" "$build/artifacts/$target"
    echo "== $target: ${seconds} s"
    if ! (cd "$build/artifacts/$target" && \
          "$build/tests/fuzz/$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
              -print_final_stats=1 "$build/corpus/$target" "$here/corpus/$target"); then
        echo "== $target FAILED: see $build/artifacts/$target" >&2
        status=1
    fi
done
exit $status
