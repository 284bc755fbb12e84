#!/usr/bin/env bash
# tests/pe_check.sh: every built .exe has ASLR and DEP (and high-entropy ASLR on x64), and
# imports only DLLs that ship with Windows.
#
#   tests/pe_check.sh [--known-dlls] OBJDUMP FILE.exe...
#
# With --known-dlls the images may import only DLLs that Windows never looks for in the
# exe's own folder (KnownDLLs, and comctl32 v6, which the manifest binds to WinSxS): what
# we ship is often run from a Downloads folder, where a planted wintrust.dll would be
# loaded otherwise. The core loads crypt32, wintrust, ncrypt and wevtapi from System32 by
# full path on first use instead (core/win/seam_system32.c).
set -euo pipefail
known_only=0
if [ "${1:-}" = "--known-dlls" ]; then known_only=1; shift; fi
objdump=$1
shift

# DLLs every supported Windows (7 SP1 and later) has in System32.
system_dlls=" kernel32.dll user32.dll gdi32.dll advapi32.dll comctl32.dll comdlg32.dll shell32.dll
 shlwapi.dll ole32.dll oleaut32.dll msvcrt.dll ws2_32.dll wintrust.dll crypt32.dll ncrypt.dll
 bcrypt.dll uxtheme.dll version.dll userenv.dll wevtapi.dll netapi32.dll secur32.dll rpcrt4.dll "

known_dlls=" kernel32.dll user32.dll gdi32.dll advapi32.dll msvcrt.dll ws2_32.dll shell32.dll ole32.dll
 oleaut32.dll shlwapi.dll comdlg32.dll rpcrt4.dll comctl32.dll "
[ "$known_only" -eq 0 ] || system_dlls=$known_dlls
system_dlls=" $(echo $system_dlls) "   # one line, single spaces, so " name " matches any entry
failures=0
fail() { echo "pe_check: $1"; failures=$((failures + 1)); }

for exe in "$@"; do
    name=$(basename "$exe")
    headers=$("$objdump" -p "$exe")
    flags=$(awk '/^DllCharacteristics/ {print $2}' <<<"$headers")
    magic=$(awk '/^Magic/ {print $2}' <<<"$headers")
    value=$((16#$flags))
    (( value & 0x40 )) || fail "$name: no ASLR (DYNAMIC_BASE missing, DllCharacteristics $flags)"
    (( value & 0x100 )) || fail "$name: no DEP (NX_COMPAT missing, DllCharacteristics $flags)"
    if [ "$magic" = "020b" ]; then
        (( value & 0x20 )) || fail "$name: no high-entropy ASLR on x64 (DllCharacteristics $flags)"
    fi
    relocations=$(awk '/Base Relocation Directory/ {print $3; exit}' <<<"$headers")
    [ -n "$relocations" ] && [ $((16#$relocations)) -gt 0 ] || fail "$name: no relocations, ASLR cannot move it"
    while read -r dll; do
        lower=${dll,,}
        [[ "$system_dlls" == *" $lower "* ]] || fail "$name imports $dll, which is not a system DLL"
    done < <(awk '/DLL Name:/ {print $3}' <<<"$headers")
    echo "pe_check: $name DllCharacteristics $flags, imports: $(awk '/DLL Name:/ {printf "%s ", $3}' <<<"$headers")"
done
[ "$failures" -eq 0 ] || { echo "pe_check: $failures problem(s)"; exit 1; }
echo "pe_check: $# image(s) hardened, system imports only"
