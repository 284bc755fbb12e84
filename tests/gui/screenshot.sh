#!/usr/bin/env bash
# tests/gui/screenshot.sh: runs csd-gui.exe under Xvfb + Wine and saves a PNG of its window.
#
# Usage: tests/gui/screenshot.sh PREFIX_DIR OUT.png [PATH/csd-gui.exe] [csd-gui arguments...]
#   PREFIX_DIR  the WINEPREFIX to run in (it must exist; ~/.wine is refused)
#   OUT.png     where the picture goes (cropped to the window when it can be found)
#   The exe is the third argument when that ends in .exe, else $CSD_GUI_EXE.
#   Arguments after it go to csd-gui; unless they contain --close-after, the script
#   adds "--close-after $CSD_SHOT_CLOSE_MS" (default 20000) so the app ends by itself.
# Environment:
#   CSD_SHOT_SETTLE   seconds to wait after the window appears, so the worker's result
#                     is on screen (default 2)
#   CSD_SHOT_TIMEOUT  seconds to wait for the window (default 60; a first run in a fresh
#                     prefix may update it first)
#   CSD_SHOT_SIZE     Xvfb screen, default 1024x768x24
# The script starts its own Xvfb on a free display and stops it again; it stops only
# the processes it started and leaves the prefix's wineserver alone (another script may
# be keeping it up for a stand-in service).
set -euo pipefail

die() { echo "screenshot.sh: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: $0 PREFIX_DIR OUT.png [csd-gui.exe] [args...]"
prefix=$(realpath -m "$1"); out=$2; shift 2
exe=${CSD_GUI_EXE:-}
if [ $# -gt 0 ] && [[ $1 == *.exe ]]; then exe=$1; shift; fi
[ -n "$exe" ] || die "no exe: pass PATH/csd-gui.exe as the third argument or set CSD_GUI_EXE"
[ -f "$exe" ] || die "no such exe: $exe"
exe=$(realpath "$exe")
[ -d "$prefix" ] || die "no such prefix: $prefix"
[ "$prefix" != "$(realpath -m "$HOME/.wine")" ] || die "refusing to use ~/.wine"

wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64 || command -v wine || true)
[ -n "$wine" ] || die "wine64 is not installed"
# /usr/local/bin/convert may be a stand-in that only converts PNG to PPM; use ImageMagick's.
convert=/usr/bin/convert
for tool in Xvfb xwininfo import "$convert"; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install xvfb x11-utils imagemagick)"
done

settle=${CSD_SHOT_SETTLE:-2}
timeout=${CSD_SHOT_TIMEOUT:-60}
close_ms=${CSD_SHOT_CLOSE_MS:-20000}
title=${CSD_SHOT_TITLE:-CryptSvc Doctor}
args=("$@")
case " ${args[*]-} " in
    *" --close-after "*) ;;
    *) args+=(--close-after "$close_ms") ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/csd-shot.XXXXXX")
xvfb_pid=; app_pid=
cleanup() {
    local rc=$?
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A display nobody uses: no lock file and no socket. Xvfb -displayfd would pick one
# itself, but then we could not tell its lock from a stale one left by a crash.
display=
for n in $(seq 90 199); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=:$n; break; fi
done
[ -n "$display" ] || die "no free X display between :90 and :199"
Xvfb "$display" -screen 0 "${CSD_SHOT_SIZE:-1024x768x24}" -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
    xwininfo -display "$display" -root >/dev/null 2>&1 && break
    kill -0 "$xvfb_pid" 2>/dev/null || die "Xvfb did not start: $(cat "$work/xvfb.log")"
    sleep 0.1
done
export DISPLAY=$display

# With no window manager, Wine draws the title bar itself only when it is told the
# window is not decorated by one; the key is per-app, so nothing else in the prefix changes.
WINEPREFIX=$prefix WINEDEBUG=-all "$wine" reg add \
    'HKCU\Software\Wine\AppDefaults\csd-gui.exe\X11 Driver' /v Decorated /d N /f >/dev/null 2>&1 || true

# Debian's wine does not find the fonts of fonts-wine (Tahoma, Marlett for the caption
# buttons) by itself; show them to it through fontconfig, for this process only.
if [ -d /usr/share/wine/fonts ]; then
    cat >"$work/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>/usr/share/wine/fonts</dir>
  <cachedir>$work/fontconfig-cache</cachedir>
</fontconfig>
CONF
    export FONTCONFIG_FILE=$work/fonts.conf
fi

started=$(date +%s.%N)
WINEPREFIX=$prefix WINEDEBUG=-all "$wine" "$exe" "${args[@]}" >"$work/app.log" 2>&1 &
app_pid=$!

# Poll for the top-level window by its title.
seen=
deadline=$(( $(date +%s) + timeout ))
while [ "$(date +%s)" -lt "$deadline" ]; do
    if xwininfo -root -tree 2>/dev/null | grep -qF "\"$title\""; then seen=1; break; fi
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$seen" ]; then
    cat "$work/app.log" >&2
    kill -0 "$app_pid" 2>/dev/null || die "the app exited before its window \"$title\" appeared"
    die "window \"$title\" did not appear within ${timeout}s"
fi
appeared=$(date +%s.%N)
sleep "$settle"

import -window root "$work/root.png"
# The window's outer rectangle, as X sees it (with Wine's own title bar when it drew one).
geometry=$(xwininfo -name "$title" 2>/dev/null | awk '
    /Absolute upper-left X/ { x = $NF } /Absolute upper-left Y/ { y = $NF }
    /Width:/ { w = $NF } /Height:/ { h = $NF }
    END { if (w > 0 && h > 0) printf "%dx%d+%d+%d", w, h, x, y }')
mkdir -p "$(dirname "$out")"
if [ -n "$geometry" ]; then
    "$convert" "$work/root.png" -crop "$geometry" +repage -strip "$out"
else
    echo "screenshot.sh: window geometry not found; keeping the whole screen" >&2
    "$convert" "$work/root.png" -strip "$out"
fi

# The app closes itself (--close-after); give it that long plus a margin, then insist.
close_s=$(( close_ms / 1000 + 15 ))
for arg_index in "${!args[@]}"; do
    if [ "${args[$arg_index]}" = --close-after ]; then close_s=$(( ${args[$((arg_index + 1))]:-0} / 1000 + 15 )); fi
done
rc=
for _ in $(seq $(( close_s * 10 ))); do
    if ! kill -0 "$app_pid" 2>/dev/null; then
        if wait "$app_pid"; then rc=0; else rc=$?; fi
        app_pid=; break
    fi
    sleep 0.1
done
[ -n "$rc" ] || die "csd-gui did not close by itself within ${close_s}s"
[ "$rc" -eq 0 ] || { cat "$work/app.log" >&2; die "csd-gui exited with $rc"; }

awk -v out="$out" -v geo="${geometry:-full screen}" -v a="$appeared" -v s="$started" \
    'BEGIN { printf "screenshot.sh: %s (%s), window up %.1fs after start\n", out, geo, a - s }'
