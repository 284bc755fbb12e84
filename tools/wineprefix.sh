#!/usr/bin/env bash
# tools/wineprefix.sh: make, start and stop a throwaway Wine prefix for tests and the demo.
#
#   tools/wineprefix.sh DIR up [STANDIN_EXE [START]]
#                                               make DIR a Windows 10 prefix (once), clear what a
#                                               crashed earlier run left running, keep its
#                                               wineserver up; with STANDIN_EXE, register it as
#                                               CryptSvc (START: auto (default) or demand;
#                                               depends on RpcSs) and start it
#   tools/wineprefix.sh DIR down [STANDIN_EXE]  remove the stand-in CryptSvc, stop DIR's wineserver
#   tools/wineprefix.sh DIR run PROGRAM ARGS... run a Windows program in DIR
#
# Only DIR is touched: never ~/.wine. The wineserver is kept up for the whole run because a
# server that boots again starts every auto-start service and costs ~0.5 s per process.
set -euo pipefail

dir=${1:?usage: wineprefix.sh DIR up|down|run ...}
action=${2:?usage: wineprefix.sh DIR up|down|run ...}
shift 2

wine=/usr/lib/wine/wine64
server=/usr/lib/wine/wineserver
mkdir -p "$dir"
export WINEPREFIX
WINEPREFIX=$(cd "$dir" && pwd)
export WINEDEBUG=${WINEDEBUG:--all}
# No Mono or Gecko download prompts in a prefix that never needs them.
export WINEDLLOVERRIDES="mscoree=;mshtml=;winemenubuilder.exe=d"

create_prefix() {
    # A half-made prefix from an interrupted run is thrown away, not reused.
    rm -rf "$WINEPREFIX"
    mkdir -p "$WINEPREFIX"
    "$wine" wineboot -i >/dev/null 2>&1
    "$wine" winecfg -v win10 >/dev/null 2>&1
    "$server" -w
    touch "$WINEPREFIX/.csd-prefix-ready"
}

case "$action" in
up)
    # A server left over from a crashed run (stuck services and all) goes first.
    "$server" -k 2>/dev/null || true
    "$server" -w 2>/dev/null || true
    [ -f "$WINEPREFIX/.csd-prefix-ready" ] || create_prefix
    # Daemons must not hold the caller's stdout: CTest waits for every writer to close it.
    "$server" -p </dev/null >/dev/null 2>&1
    # Boot services.exe and friends now, detached from our output, before anything else runs.
    "$wine" wineboot </dev/null >/dev/null 2>&1
    # Windows always runs RPC (CryptSvc depends on it); Wine starts it only on demand.
    "$wine" sc start RpcSs </dev/null >/dev/null 2>&1 || true
    if [ $# -ge 1 ]; then
        # A leftover CryptSvc of a crashed run can still be on its way out (marked for
        # deletion) the first time: say so and try once more.
        "$wine" "$1" install --name CryptSvc --start "${2:-auto}" --depends RpcSs --running ||
            { echo "wineprefix.sh: registering the stand-in failed once; trying again"; sleep 1;
              "$wine" "$1" install --name CryptSvc --start "${2:-auto}" --depends RpcSs --running; }
    fi
    ;;
down)
    if [ $# -ge 1 ]; then
        "$wine" "$1" remove --name CryptSvc || true
    fi
    "$server" -k 2>/dev/null || true
    ;;
run)
    exec "$wine" "$@"
    ;;
*)
    echo "wineprefix.sh: unknown action '$action'" >&2
    exit 2
    ;;
esac
