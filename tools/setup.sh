#!/usr/bin/env bash
# tools/setup.sh: install what building and testing CryptSvc Doctor needs on Debian (12),
# only when something is missing. Safe to run again.
set -euo pipefail

packages=(
    cmake ninja-build gcc make gzip           # native build of the pure core
    clang libclang-rt-14-dev                  # libFuzzer and sanitizer runtimes
    mingw-w64 binutils-mingw-w64-x86-64 binutils-mingw-w64-i686   # the Windows cross-build
    wine64 libwine fonts-wine                 # running the Windows programs (/usr/lib/wine/wine64)
    xvfb xauth x11-utils imagemagick          # the GUI on a virtual display, and screenshots
    nsis wixl                                 # the installers (setup.exe and .msi)
    python3                                   # the CLI tests' driver and JSON schema check
)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
