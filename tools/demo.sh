#!/usr/bin/env bash
# tools/demo.sh: set up, build and open CryptSvc Doctor on the demo machine (the README's first command).
#
# The demo machine is a Wine prefix in build/demo-prefix where the stand-in CryptSvc runs
# but is set to Manual start (as some "reset" tools leave it), and whose catroot2 holds a
# damaged catalog database and a pile of 1 500 Edb*.log files (made fresh on every run by
# csd-mkdemo with the test writer), so there is something to find and to repair.
# With a display, the app opens there; close it to end the demo. Without one (a server, CI),
# it runs under Xvfb, saves build/demo-screenshot.png and prints the console diagnosis.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh

cmake -S . -B build/win64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-x86_64-w64-mingw32.cmake >/dev/null
cmake --build build/win64 --target csd-gui csd csd-standin csd-mkdemo

prefix=build/demo-prefix
standin=build/win64/tests/wine/csd-standin.exe
echo "demo: preparing the demo machine in $prefix (the first time takes ~15 s)"
bash tools/wineprefix.sh "$prefix" up "$standin" demand
trap 'bash tools/wineprefix.sh "$prefix" down "$standin"' EXIT
bash tools/wineprefix.sh "$prefix" run build/win64/tests/wine/csd-mkdemo.exe 'C:\windows' | tail -n 3

if [ -n "${DISPLAY:-}" ] && xwininfo -root >/dev/null 2>&1; then
    bash tools/wineprefix.sh "$prefix" run build/win64/gui/csd-gui.exe
else
    echo "demo: no display; running the app under Xvfb"
    CSD_SHOT_CLOSE_MS=8000 bash tests/gui/screenshot.sh "$prefix" build/demo-screenshot.png build/win64/gui/csd-gui.exe
    echo "demo: the app's window is in build/demo-screenshot.png"
    echo
    bash tools/wineprefix.sh "$prefix" run build/win64/cli/csd.exe check || true
fi
