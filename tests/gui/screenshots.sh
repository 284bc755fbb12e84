#!/usr/bin/env bash
# tests/gui/screenshots.sh: makes the pictures in docs/screenshots at 100 % and 150 % DPI.
# Usage: tests/gui/screenshots.sh BUILD_DIR [OUT_DIR]   (OUT_DIR default: docs/screenshots)
# For each scale it makes a prefix of its own (BUILD_DIR/shots-<scale>, so the test prefix's
# DPI is never touched) with the stand-in CryptSvc, lays out two Windows folders in it
# (a healthy catroot2 by csd-mkhealthy, a damaged one by csd-mkdemo) and takes three shots:
#   main-healthy-<scale>.png   the healthy machine
#   main-corrupt-<scale>.png   the corrupt catalog database and the pile of logs
#   main-repair-<scale>.png    "Rebuild catalog database" in progress (slowed by --step-delay)
set -euo pipefail
build=$(realpath "${1:?usage: $0 BUILD_DIR [OUT_DIR]}")
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${2:-$here/../../docs/screenshots}")
wine=/usr/lib/wine/wine64
mkdir -p "$out"

for scale in 100 150; do
    prefix=$build/shots-$scale
    bash "$here/../../tools/wineprefix.sh" "$prefix" up "$build/tests/wine/csd-standin.exe" >/dev/null
    dpi=$(( scale * 96 / 100 ))
    WINEPREFIX=$prefix WINEDEBUG=-all "$wine" reg add 'HKCU\Control Panel\Desktop' /v LogPixels /t REG_DWORD /d $dpi /f >/dev/null
    mkdir -p "$prefix/drive_c/demo/healthy/Windows" "$prefix/drive_c/demo/corrupt/Windows" "$prefix/drive_c/demo/data"
    WINEPREFIX=$prefix WINEDEBUG=-all "$wine" "$build/tests/gui/csd-mkhealthy.exe" 'C:\demo\healthy\Windows' >/dev/null
    WINEPREFIX=$prefix WINEDEBUG=-all "$wine" "$build/tests/wine/csd-mkdemo.exe" 'C:\demo\corrupt\Windows' >/dev/null
    size=1280x1024x24
    [ "$scale" -gt 100 ] && size=1920x1440x24
    shot() {
        local name=$1 settle=$2; shift 2
        CSD_SHOT_SIZE=$size CSD_SHOT_SETTLE=$settle bash "$here/screenshot.sh" "$prefix" "$out/$name-$scale.png" \
            "$build/gui/csd-gui.exe" --data-dir 'C:\demo\data' "$@"
    }
    shot main-healthy 4 --windows-dir 'C:\demo\healthy\Windows' --close-after 8000
    shot main-corrupt 4 --windows-dir 'C:\demo\corrupt\Windows' --close-after 8000
    # The repair's second step is on screen after about 1.5 step delays; it ends well before the close.
    shot main-repair 5 --windows-dir 'C:\demo\corrupt\Windows' --run-repair rebuild_catalog --confirmed \
        --step-delay 2500 --close-after 45000
    bash "$here/../../tools/wineprefix.sh" "$prefix" down "$build/tests/wine/csd-standin.exe" >/dev/null
done
ls -la "$out"
