#!/usr/bin/env bash
# tests/installer/installer_test.sh: installs, upgrades and removes one installer silently in a fresh
# Wine prefix of its own and checks what it writes, what it refuses and what it leaves behind.
#
#   installer_test.sh nsis|msi PREFIX SETUP_EXE MSI STAGE NSI VERSION NEXT_VERSION WORK
#                     WINEPREFIX_SH MAKENSIS WIXL
#
# Prints one "ok N - ..." or "not ok N - ..." line per check, and "timing:"/"size:" lines.
# Exit: 0 all passed, 1 a check failed, 77 a tool or an installer is missing (CTest: skipped).
# The prefix is made fresh every run and deleted after a passing run (kept to inspect a failure).
set -uo pipefail

kind=$1 prefix=$2 setup=$3 msi=$4 stage=$5 nsi=$6 version=$7 next=$8 work=$9
pfx_sh=${10} makensis=${11} wixl=${12}

product="CryptSvc Doctor"
publisher="CryptSvc Doctor project"
uninstall_root='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall'
win_dir='C:\Program Files\CryptSvc Doctor'
unix_dir="$prefix/drive_c/Program Files/CryptSvc Doctor"
shortcut="$prefix/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/$product.lnk"
data_dir="$prefix/drive_c/ProgramData/CryptSvcDoctor"

checks=0
failures=0
pass() { checks=$((checks + 1)); echo "ok $checks - $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "not ok $checks - $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
expect_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi; }
skip_all() { echo "skip: $*"; exit 77; }

case "$kind" in
nsis) [ -x "$makensis" ] || skip_all "makensis not found (Debian package nsis)"
      [ -f "$setup" ] || skip_all "$setup was not built" ;;
msi)  [ -x "$wixl" ] || skip_all "wixl not found (Debian package wixl)"
      [ -f "$msi" ] || skip_all "$msi was not built" ;;
*)    echo "installer_test.sh: kind must be nsis or msi" >&2; exit 2 ;;
esac

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# Programs run in this test's prefix only; Windows sees our files under Z:.
w() { "$pfx_sh" "$prefix" run "$@"; }
winpath() { local p; p=$(realpath -m "$1"); printf 'Z:%s' "${p//\//\\}"; }

# The value NAME of registry key KEY in the 64-bit view, as reg.exe prints it ("" if absent).
reg_value() {
    w reg query "$1" /v "$2" /reg:64 2>/dev/null | tr -d '\r' |
        awk -v name="$2" 'BEGIN { FS = "    " } $2 == name { print $4; exit }'
}

# Every Add/Remove Programs entry named like ours, in the 64-bit and the 32-bit view.
our_entries() {
    local view
    for view in 64 32; do
        w reg query "$uninstall_root" /s /reg:$view 2>/dev/null | tr -d '\r' |
            awk -v name="$product" -v view="$view" 'BEGIN { FS = "    " }
                /^HKEY_/ { key = $0 }
                $2 == "DisplayName" && $4 == name { print view ":" key }'
    done
}

# drive_c, less the temp folders (NSIS's uninstaller runs from a copy in %TEMP% that Windows
# deletes at the next restart), the bare C:\Windows\Installer folder, which Windows always has
# and Wine makes on the first msiexec run (anything left inside it still counts), and the empty
# catroot\{GUID} folders Wine's wintrust makes on a program's first catalog lookup (Windows has
# them from setup; the app's checks look up catalogs, they do not install anything there).
listing() {
    (cd "$prefix/drive_c" && find . -mindepth 1 \
        \( -path './windows/temp' -o -path './users/*/Temp' -o -path './users/*/AppData/Local/Temp' \) -prune -o \
        -printf '%y %p\n' | grep -vx 'd ./windows/Installer' |
        grep -vix 'd ./windows/system32/catroot' | grep -vix 'd ./windows/system32/catroot/{[0-9a-f-]*}' |
        LC_ALL=C sort)
}

installed_files() { (cd "$unix_dir" 2>/dev/null && ls -1 | LC_ALL=C sort | tr '\n' ' '); }

# Runs an installer of this kind silently; msiexec also writes a verbose log to LOG.
run_install() {
    case "$kind" in
    nsis) w "$(winpath "$1")" /S ;;
    msi)  w msiexec /i "$(winpath "$1")" /qn /l*v "$(winpath "${2:-$work/msi.log}")" ;;
    esac
}

# NSIS's uninstaller copies itself to %TEMP% and returns at once; the copy does the work.
# Waits (bounded) until the entry and the folder are gone.
wait_removed() {
    local deadline=$((SECONDS + 60))
    while [ $SECONDS -lt $deadline ]; do
        if [ -z "$(our_entries)" ] && [ ! -e "$unix_dir" ]; then
            return 0
        fi
        sleep 0.2
    done
    return 1
}

run_uninstall() {
    local key=$1 command
    case "$kind" in
    nsis)
        command=$(reg_value "$key" QuietUninstallString)
        expect_eq "QuietUninstallString is the silent uninstaller" "\"$win_dir\\uninstall.exe\" /S" "$command"
        w "$win_dir\\uninstall.exe" /S "${@:2}"
        check "the uninstaller finished within 60 s" wait_removed
        ;;
    msi)
        # What Programs and Features runs: "MsiExec.exe /X{product code}", silently.
        command=$(reg_value "$key" UninstallString)
        local code=${command#*/X}
        check "UninstallString is MsiExec.exe /X{product code}" \
            grep -qiE '^msiexec(\.exe)? /X\{[0-9A-F-]{36}\}$' <<<"$command"
        w msiexec /x "$code" /qn
        expect_eq "msiexec /x exit code" 0 $?
        ;;
    esac
}

gui_pid=
xvfb_pid=
cleanup() {
    [ -n "$gui_pid" ] && kill "$gui_pid" 2>/dev/null
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    "$pfx_sh" "$prefix" down >/dev/null 2>&1
    if [ "$failures" -eq 0 ]; then
        rm -rf "$prefix"
    fi
}

# --- a fresh prefix ---------------------------------------------------------------------------
rm -rf "$prefix" "$work"
mkdir -p "$work"
trap cleanup EXIT
start=$(now)
"$pfx_sh" "$prefix" up >/dev/null 2>&1 || { echo "not ok - could not make the Wine prefix $prefix"; exit 1; }
echo "timing: fresh prefix $(elapsed "$start") s"
if [ "$kind" = nsis ]; then artifact=$setup; else artifact=$msi; fi
echo "size: $(basename "$artifact") $(stat -c %s "$artifact") bytes"
check "$(basename "$artifact") is under 1 MB" test "$(stat -c %s "$artifact")" -lt 1048576
# The version comes from CMake: the setup's version resource (UTF-16) and the MSI's summary
# information (ANSI) both carry it.
if [ "$kind" = nsis ]; then stamp="$product $version setup"; else stamp="$product $version (x64)"; fi
check "$(basename "$artifact") says \"$stamp\"" grep -qaF "$stamp" <(tr -d '\0' <"$artifact")

# --- refusal on a Windows older than 7 SP1 ------------------------------------------------------
# Exit codes reach us modulo 256: 1150 (ERROR_OLD_WIN_VERSION) is 126, 1603 (MSI fatal error) 67.
if [ "$kind" = nsis ]; then refused=126; else refused=67; fi
w winecfg -v vista >/dev/null 2>&1
run_install "$artifact" >/dev/null 2>&1
expect_eq "refuses Windows Vista (exit code mod 256)" $refused $?
# Wine reports the version from these values, so Windows 7 without its service pack can be faked.
w winecfg -v win7 >/dev/null 2>&1
current='HKLM\Software\Microsoft\Windows NT\CurrentVersion'
w reg add "$current" /v CSDVersion /d "" /f /reg:64 >/dev/null 2>&1
w reg add "$current" /v CurrentBuildNumber /d 7600 /f /reg:64 >/dev/null 2>&1
w reg add "$current" /v CurrentBuild /d 7600 /f /reg:64 >/dev/null 2>&1
w reg add 'HKLM\System\CurrentControlSet\Control\Windows' /v CSDVersion /t REG_DWORD /d 0 /f /reg:64 >/dev/null 2>&1
run_install "$artifact" >/dev/null 2>&1
expect_eq "refuses Windows 7 without Service Pack 1 (exit code mod 256)" $refused $?
# The same with build 7601: only the service pack check can refuse it.
w reg add "$current" /v CurrentBuildNumber /d 7601 /f /reg:64 >/dev/null 2>&1
run_install "$artifact" >/dev/null 2>&1
expect_eq "refuses Windows 7 build 7601 reporting no service pack (exit code mod 256)" $refused $?
check "a refused install wrote no files" test ! -e "$unix_dir"
expect_eq "a refused install wrote no entry" "" "$(our_entries)"
w winecfg -v win10 >/dev/null 2>&1
check "the prefix is back to Windows 10" test "$(reg_value "$current" CurrentMajorVersionNumber)" = 0xa

# --- install --------------------------------------------------------------------------------------
listing >"$work/before.txt"
start=$(now)
run_install "$artifact" "$work/install.log"
expect_eq "silent install exit code" 0 $?
echo "timing: install $(elapsed "$start") s"

if [ "$kind" = nsis ]; then files="csd-gui.exe csd.exe uninstall.exe "; else files="csd-gui.exe csd.exe "; fi
expect_eq "files in $win_dir" "$files" "$(installed_files)"
check "csd-gui.exe is the built one" cmp -s "$stage/csd-gui.exe" "$unix_dir/csd-gui.exe"
check "csd.exe is the built one" cmp -s "$stage/csd.exe" "$unix_dir/csd.exe"
check "nothing in Program Files (x86)" test ! -e "$prefix/drive_c/Program Files (x86)/CryptSvc Doctor"
if [ "$kind" = msi ]; then
    # Wine's msi sets ProgramMenuFolder to the user's Start menu even with ALLUSERS=1 (a FIXME in
    # dlls/msi/package.c, set_installer_properties); Windows uses the all-users one. Prove that
    # the package asked for a per-machine install, then look where Wine put the shortcut.
    log=$(tr -d '\r' <"$work/install.log")
    check "the MSI installs per machine (ALLUSERS = 1)" grep -q 'Property(S): ALLUSERS = 1' <<<"$log"
    menu=$(sed -n 's/^Property(S): ProgramMenuFolder = C:\\\(.*\)\\$/\1/p' <<<"$log" | tr -d '\r' | tr '\\' / | head -n 1)
    if [ "$menu" != "ProgramData/Microsoft/Windows/Start Menu/Programs" ]; then
        echo "skip: Start menu for all users: Wine's msi put ProgramMenuFolder in C:\\$menu"
        shortcut="$prefix/drive_c/$menu/$product.lnk"
    fi
fi
check "Start menu shortcut" test -f "$shortcut"
check "the shortcut points at csd-gui.exe" grep -qaF "$win_dir\\csd-gui.exe" <(tr -d '\0' <"$shortcut" 2>/dev/null)

entries=$(our_entries)
expect_eq "one Add/Remove Programs entry, in the 64-bit view" 1 "$(grep -c '^64:' <<<"$entries")"
expect_eq "no entry in the 32-bit view" 0 "$(grep -c '^32:' <<<"$entries")"
key=$(head -n 1 <<<"$entries"); key=${key#64:}
expect_eq "DisplayVersion" "$version" "$(reg_value "$key" DisplayVersion)"
expect_eq "Publisher" "$publisher" "$(reg_value "$key" Publisher)"
expect_eq "NoModify" 0x1 "$(reg_value "$key" NoModify)"
expect_eq "NoRepair" 0x1 "$(reg_value "$key" NoRepair)"
location=$(reg_value "$key" InstallLocation)
expect_eq "InstallLocation" "$win_dir" "${location%\\}"
icon=$(reg_value "$key" DisplayIcon)
case "$kind" in
nsis)
    expect_eq "the entry's key" "$uninstall_root\\CryptSvcDoctor" "${key/HKEY_LOCAL_MACHINE/HKLM}"
    expect_eq "DisplayIcon" "$win_dir\\csd-gui.exe,0" "$icon"
    expect_eq "UninstallString" "\"$win_dir\\uninstall.exe\"" "$(reg_value "$key" UninstallString)"
    size=$(reg_value "$key" EstimatedSize)
    files_kb=$(( ($(cat "$unix_dir"/* | wc -c) + 1023) / 1024 ))
    check "EstimatedSize ($((size)) KB) is the size of the files (~$files_kb KB)" \
        test $((size)) -ge $((files_kb - 4)) -a $((size)) -le $((files_kb + 4))
    ;;
msi)
    # Windows Installer caches ARPPRODUCTICON in its folder and points DisplayIcon at it;
    # Wine's msi caches the icon but writes no DisplayIcon.
    code=$(sed -n 's/.*\({[0-9A-F-]\{36\}}\)$/\1/p' <<<"$key")
    check "the product icon is cached in C:\\Windows\\Installer\\$code" \
        test -f "$prefix/drive_c/windows/Installer/$code/csd.ico"
    if [ -n "$icon" ]; then
        expect_eq "DisplayIcon" "C:\\windows\\Installer\\$code\\csd.ico" "$icon"
    else
        echo "skip: DisplayIcon: Wine's msi does not write it (Windows does, from ARPPRODUCTICON)"
    fi
    check "the shortcut's key path value is in HKLM\\Software\\CryptSvcDoctor" \
        test "$(reg_value 'HKLM\Software\CryptSvcDoctor' StartMenuShortcut)" = 0x1
    ;;
esac

help=$(w "$win_dir\\csd.exe" --help 2>&1)
expect_eq "installed csd.exe --help exit code" 0 $?
check "installed csd.exe prints its usage" grep -q '^Usage' <<<"$help"

# --- the other installer refuses to install over this one -----------------------------------------
if [ "$kind" = nsis ] && [ -f "$msi" ]; then
    w msiexec /i "$(winpath "$msi")" /qn >/dev/null 2>&1
    expect_eq "the MSI refuses to install over the setup (1603 mod 256)" 67 $?
elif [ "$kind" = msi ] && [ -f "$setup" ]; then
    w "$(winpath "$setup")" /S >/dev/null 2>&1
    expect_eq "the setup refuses to install over the MSI (1638 mod 256)" 102 $?
else
    echo "skip: the other installer was not built; its refusal is not checked"
fi
expect_eq "still one entry" 1 "$(our_entries | wc -l)"

# --- setup: no upgrade or uninstall while the program runs -----------------------------------------
# Needs a display for csd-gui: a private Xvfb, as tests/gui does. Wine's desktop takes its display
# when the wineserver starts, so the server is restarted with it, and again without it after.
window_up() {
    local deadline=$((SECONDS + 60))
    while [ $SECONDS -lt $deadline ]; do
        DISPLAY=$display xwininfo -root -tree 2>/dev/null | grep -q "\"$product\"" && return 0
        sleep 0.2
    done
    return 1
}
if [ "$kind" = nsis ] && command -v Xvfb >/dev/null && command -v xwininfo >/dev/null; then
    exec {fd}<> <(:)
    Xvfb -displayfd "$fd" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    read -r -t 10 number <&"$fd"
    display=":$number"
    "$pfx_sh" "$prefix" down >/dev/null 2>&1
    DISPLAY=$display "$pfx_sh" "$prefix" up >/dev/null 2>&1
    DISPLAY=$display "$pfx_sh" "$prefix" run "$win_dir\\csd-gui.exe" --close-after 60000 >/dev/null 2>&1 &
    gui_pid=$!
    if window_up; then
        run_install "$setup" >/dev/null 2>&1
        expect_eq "the setup refuses while csd-gui runs (ERROR_SHARING_VIOLATION)" 32 $?
        # _?= runs the uninstaller in place and waits, so its exit code reaches us. NSIS looks for
        # " _?=" unquoted in its command line, which wine would quote (the path has spaces): a
        # batch file outside the prefix passes it as it is.
        printf '@"%s\\uninstall.exe" /S _?=%s\r\n@exit /b %%ERRORLEVEL%%\r\n' "$win_dir" "$win_dir" >"$work/in-place.bat"
        w cmd /c "$(winpath "$work/in-place.bat")" >/dev/null 2>&1
        expect_eq "the uninstaller refuses while csd-gui runs" 32 $?
        expect_eq "files while csd-gui runs" "$files" "$(installed_files)"
    else
        fail "csd-gui's window did not appear within 60 s"
    fi
    kill "$gui_pid" 2>/dev/null; wait "$gui_pid" 2>/dev/null; gui_pid=
    "$pfx_sh" "$prefix" down >/dev/null 2>&1
    kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; xvfb_pid=
    exec {fd}>&-
    "$pfx_sh" "$prefix" up >/dev/null 2>&1
else
    [ "$kind" = nsis ] && echo "skip: refusal while the program runs: no Xvfb/xwininfo to run csd-gui"
fi

# --- the program's repair backups and logs, as csd writes them ------------------------------------
mkdir -p "$data_dir/backups/20260101-120000/catroot2" "$data_dir/logs"
echo "moved edb.log" >"$data_dir/backups/20260101-120000/catroot2/edb.log"
echo "repair log" >"$data_dir/logs/repair.log"
(cd "$prefix/drive_c" && find ./ProgramData/CryptSvcDoctor -printf '%y %p\n' | LC_ALL=C sort) >"$work/data.txt"

# --- upgrade to the next version -----------------------------------------------------------------
case "$kind" in
nsis)
    next_artifact="$work/CryptSvcDoctor-$next-x64-setup.exe"
    "$makensis" -V1 -WX -DVERSION="$next" -DARCH=x64 -DGUI_EXE="$stage/csd-gui.exe" \
        -DCLI_EXE="$stage/csd.exe" -DICON="$stage/csd.ico" -DOUTFILE="$next_artifact" "$nsi"
    ;;
msi)
    next_artifact="$work/CryptSvcDoctor-$next-x64.msi"
    "$wixl" -a x64 -D Version="$next" -D Arch=x64 -o "$next_artifact" "$stage/csd.wxs"
    ;;
esac
check "built the $next installer" test -f "$next_artifact"
start=$(now)
run_install "$next_artifact"
expect_eq "silent upgrade exit code" 0 $?
echo "timing: upgrade $(elapsed "$start") s"
entries=$(our_entries)
expect_eq "one entry after the upgrade" 1 "$(wc -l <<<"$entries")"
key=$(head -n 1 <<<"$entries"); key=${key#*:}
expect_eq "DisplayVersion after the upgrade" "$next" "$(reg_value "$key" DisplayVersion)"
expect_eq "files after the upgrade" "$files" "$(installed_files)"
check "the shortcut is still there" test -f "$shortcut"
w "$win_dir\\csd.exe" --help >/dev/null 2>&1
expect_eq "csd.exe --help after the upgrade" 0 $?
check "the upgrade kept the repair backups and logs" \
    cmp -s "$work/data.txt" <(cd "$prefix/drive_c" && find ./ProgramData/CryptSvcDoctor -printf '%y %p\n' | LC_ALL=C sort)

# --- silent uninstall: everything installed goes, the data stays ----------------------------------
start=$(now)
run_uninstall "$key"
echo "timing: uninstall $(elapsed "$start") s"
expect_eq "no entry after uninstall" "" "$(our_entries)"
check "the program folder is gone" test ! -e "$unix_dir"
check "the shortcut is gone" test ! -e "$shortcut"
check "the repair backups and logs are kept" test -f "$data_dir/logs/repair.log" -a -f "$data_dir/backups/20260101-120000/catroot2/edb.log"
listing >"$work/after.txt"
LC_ALL=C sort -m "$work/before.txt" "$work/data.txt" >"$work/expected.txt"
if diff -u "$work/expected.txt" "$work/after.txt" >"$work/diff.txt"; then
    pass "drive_c after uninstall = before install + the data folder"
else
    fail "drive_c after uninstall differs from before install + the data folder:"
    sed 's/^/#   /' "$work/diff.txt" | head -n 40
fi
w reg query 'HKLM\Software\CryptSvcDoctor' /reg:64 >/dev/null 2>&1
check "no HKLM\\Software\\CryptSvcDoctor left" test $? -ne 0

# --- NSIS: /PURGE removes the data folder too -----------------------------------------------------
if [ "$kind" = nsis ]; then
    run_install "$next_artifact"
    expect_eq "reinstall exit code" 0 $?
    key="$uninstall_root\\CryptSvcDoctor"
    # Links inside the data folder must be removed, never followed. Wine shows a host directory
    # symlink as a directory reparse point (what a junction is on Windows), and a host file
    # symlink as a plain file.
    outside="$prefix/drive_c/csd-outside"
    mkdir -p "$outside/dir"
    echo "not ours" >"$outside/dir/keep.txt"
    echo "not ours" >"$outside/keep.txt"
    ln -s ../../../csd-outside/dir "$data_dir/backups/linked-dir"
    ln -s ../../csd-outside/keep.txt "$data_dir/logs/linked-file"
    run_uninstall "$key" /PURGE
    check "/PURGE did not follow a directory link" test -f "$outside/dir/keep.txt"
    check "/PURGE did not follow a file link" test -f "$outside/keep.txt"
    if [ -L "$data_dir/logs/linked-file" ]; then
        # Wine 8 cannot delete a host symlink at all (DeleteFileW and cmd's del leave it); prove
        # that, then check that the links and the folders holding them are all that is left.
        w cmd /c 'del C:\ProgramData\CryptSvcDoctor\logs\linked-file' >/dev/null 2>&1
        if [ -L "$data_dir/logs/linked-file" ]; then
            echo "skip: removing the links themselves: Wine cannot delete a host symlink (cmd /c del leaves it too)"
            left=$(cd "$prefix/drive_c" && find ./ProgramData/CryptSvcDoctor -printf '%y %p\n' | LC_ALL=C sort | tr '\n' ' ')
            expect_eq "/PURGE removed everything but the links" \
                "d ./ProgramData/CryptSvcDoctor d ./ProgramData/CryptSvcDoctor/backups d ./ProgramData/CryptSvcDoctor/logs l ./ProgramData/CryptSvcDoctor/backups/linked-dir l ./ProgramData/CryptSvcDoctor/logs/linked-file " \
                "$left"
            rm -rf "$data_dir"
        else
            fail "/PURGE left a file link that Wine can delete"
        fi
    fi
    check "/PURGE removed the repair backups and logs" test ! -e "$data_dir" -a ! -L "$data_dir"
    rm -rf "$outside"
    listing >"$work/after-purge.txt"
    if diff -u "$work/before.txt" "$work/after-purge.txt" >"$work/diff-purge.txt"; then
        pass "drive_c after uninstall /PURGE = before install"
    else
        fail "drive_c after uninstall /PURGE differs from before install:"
        sed 's/^/#   /' "$work/diff-purge.txt" | head -n 40
    fi
fi

echo "$kind: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
