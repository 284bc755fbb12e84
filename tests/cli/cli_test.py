#!/usr/bin/env python3
"""tests/cli/cli_test.py CASE: csd.exe's commands and exit codes, run through Wine in the test prefix.

Each CASE is one CTest (tests/cli/cli_tests.cmake). Every run checks that nothing reached stderr
(fleet agents count stderr as a script error) and every --json document is checked against
docs/json-schema.json. Paths come from the environment CTest sets: CSD_EXE, CSD_STANDIN,
CSD_MKDEMO, CSD_HOLDLOCK, CSD_SCHEMA, CSD_FLEET, CSD_WINE, WINEPREFIX.
"""
import hashlib
import shlex
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema_check  # noqa: E402

ENV = os.environ
WINE = ENV.get("CSD_WINE", "/usr/lib/wine/wine64")
PREFIX = ENV["WINEPREFIX"]
CSD = ENV["CSD_EXE"]
TAG = f"{os.getpid()}"
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def check(condition, message):
    if not condition:
        fail(message)
    return condition


def win_path(host_path):
    """The C:\\ path of a host path inside the prefix's drive_c."""
    drive_c = os.path.join(PREFIX, "drive_c")
    relative = os.path.relpath(host_path, drive_c)
    return "C:\\" + relative.replace("/", "\\")


def private_dir(name):
    path = os.path.join(PREFIX, "drive_c", f"csdcli-{name}-{TAG}")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def wine(exe, *args, timeout=120, allow_stderr=False):
    env = dict(ENV, WINEDEBUG="-all")
    start = time.monotonic()
    done = subprocess.run([WINE, exe, *args], env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=timeout)
    done.seconds = time.monotonic() - start
    done.text = done.stdout.decode("utf-8")   # UTF-8 to pipes: a decode error fails the test
    if not allow_stderr and done.stderr:
        fail(f"{os.path.basename(exe)} {' '.join(args)}: wrote to stderr: {done.stderr[:300]!r}")
    return done


def csd(*args, code=None, **kw):
    done = wine(CSD, *args, **kw)
    print(f"$ csd {' '.join(args)}  -> exit {done.returncode} in {done.seconds:.2f} s")
    if code is not None:
        expected = code if isinstance(code, (list, tuple, set)) else [code]
        check(done.returncode in expected,
              f"csd {' '.join(args)}: exit {done.returncode}, expected {expected}\n{done.text[:2000]}")
    return done


SCHEMA = None


def valid_json(text, what):
    global SCHEMA
    if SCHEMA is None:
        with open(ENV["CSD_SCHEMA"], encoding="utf-8") as f:
            SCHEMA = json.load(f)
    check(text.count("\n") == 1 and text.endswith("\n"), f"{what}: JSON is one line")
    try:
        document = json.loads(text)
    except ValueError as e:
        fail(f"{what}: not JSON ({e}): {text[:300]}")
        return {}
    for problem in schema_check.check(SCHEMA, document):
        fail(f"{what}: schema: {problem}")
    return document


def csd_json(*args, code=None):
    done = csd(*args, "--json", code=code)
    document = valid_json(done.text, "csd " + " ".join(args))
    check(document.get("exit_code") == done.returncode, f"JSON exit_code {document.get('exit_code')} == {done.returncode}")
    return document


def summary_line(done, what):
    lines = done.text.splitlines()
    check(len(lines) == 1, f"{what}: one line, got {len(lines)}: {done.text[:500]!r}")
    check(len(done.text) < 2048, f"{what}: under Intune's 2048 characters ({len(done.text)})")
    check(len(done.stdout) < 4096, f"{what}: under ConfigMgr's 4 KB ({len(done.stdout)} bytes)")
    check(f"(exit {done.returncode})" in done.text, f"{what}: the line names the exit code: {done.text!r}")
    return done.text


def row(document, component):
    return next((r for r in document.get("rows", []) if r["component"] == component), None)


# ---- services of our own ------------------------------------------------------------------

def service_state(name):
    """Start type, binary, dependencies (the registry: Wine's sc.exe has no qc) and the state:
    what --dry-run must leave alone."""
    key = f"HKLM\\SYSTEM\\CurrentControlSet\\Services\\{name}"
    config = wine("reg.exe", "query", key, allow_stderr=True).stdout.decode("utf-8", "replace")
    query = wine("sc.exe", "query", name, allow_stderr=True).stdout.decode("utf-8", "replace")
    keep = [line.strip() for line in config.splitlines()
            if re.match(r"\s*(Start|ImagePath|DependOnService|ObjectName|DelayedAutostart)\s", line)]
    keep += [line.strip() for line in query.splitlines() if re.match(r"\s*STATE", line)]
    return "\n".join(keep)


def install_service(name, start, running):
    """A stand-in of our own (csd-standin's `install` names every service "Cryptographic Services",
    which the SCM refuses twice: error 1078)."""
    remove_service(name)
    standin = subprocess.run(["winepath", "-w", ENV["CSD_STANDIN"]], capture_output=True,
                             env=dict(ENV, WINEDEBUG="-all")).stdout.decode().strip()
    done = wine("sc.exe", "create", name, "binpath=", f'"{standin}" service --name {name} --mode normal',
                "start=", start, "depend=", "RpcSs", "displayname=", name, allow_stderr=True)
    check(done.returncode == 0, f"sc create {name}: {done.returncode} {done.stdout[:200]!r}")
    if running:
        wine("sc.exe", "start", name, allow_stderr=True)
        for _ in range(50):
            if "RUNNING" in service_state(name):
                break
            time.sleep(0.1)
        check("RUNNING" in service_state(name), f"{name} runs")


def remove_service(name):
    wine("sc.exe", "stop", name, allow_stderr=True)
    for _ in range(30):
        if "RUNNING" not in service_state(name):
            break
        time.sleep(0.1)
    wine("sc.exe", "delete", name, allow_stderr=True)


def ensure_rpcss():
    """Wine leaves RpcSs (demand start) stopped until something asks for it; Windows runs it."""
    wine("sc.exe", "start", "RpcSs", allow_stderr=True)


def tree_hash(path):
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            digest.update(os.path.relpath(full, path).lower().encode())
            with open(full, "rb") as f:
                digest.update(hashlib.sha256(f.read()).digest())
        for name in dirs:
            digest.update(("dir:" + os.path.relpath(os.path.join(root, name), path).lower()).encode())
    return digest.hexdigest()


def small_windows(path):
    """A Windows folder with a catroot2 holding a few logs: enough for clear_logs to move."""
    files = {
        "System32/catroot2/edb.log": b"log current",
        "System32/catroot2/edb00001.log": b"log 1",
        "System32/catroot2/edb.chk": b"checkpoint",
        "System32/catroot2/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}/catdb": b"catdb",
        "security/Database/edb.log": b"security log",
    }
    for relative, content in files.items():
        full = os.path.join(path, relative)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(content)


# ---- the cases ----------------------------------------------------------------------------

def case_usage():
    for args in (["--no-such-option"], ["/nosuch"], ["frobnicate"], ["repair"], ["repair", "bogus"],
                 ["check", "--json", "--summary"], ["restore"], ["restore", "a", "b"], ["list-backups", "--computer", "pc42"],
                 ["repair", "clear_logs", "--computer", "pc42"], ["check", "extra"], ["check", "--timeout", "0"],
                 ["check", "--computer"], ["symptom"], ["--deep", "--quick"], ["--json=yes"]):
        done = csd(*args, code=3)
        check("csd /?" in done.text, f"csd {' '.join(args)}: points at the help: {done.text!r}")
    for args in (["/?"], ["--help"], ["-h"], ["help"], ["check", "/?"]):
        done = csd(*args, code=0)
        check("Exit codes:" in done.text and "--summary" in done.text, f"csd {' '.join(args)}: the usage text")


def case_styles():
    ensure_rpcss()
    a = csd_json("check")
    for style in (["/json"], ["/JSON"], ["--JSON"]):
        done = csd("check", *style)
        b = valid_json(done.text, "check " + style[0])
        check(b.get("command") == "check" and len(b.get("rows", [])) == len(a.get("rows", [])), f"{style[0]} == --json")
    done = csd("/computer:csd-no-such-host.invalid", "/summary", code=6)
    check("csd-no-such-host.invalid" in done.text, "/computer:NAME read")
    done = csd("--computer=csd-no-such-host.invalid", "--summary", code=6)
    check("csd-no-such-host.invalid" in done.text, "--computer=NAME read")


def case_healthy():
    """The fixture's CryptSvc: automatic and running. Uses the fixture's service: RESOURCE_LOCK cryptsvc."""
    ensure_rpcss()
    done = csd("check", code=0)
    for word in ("Status", "Component", "Current", "Recommended", "Cryptographic Services (CryptSvc)",
                 "Running, Automatic", "Catalog Database", "Protected Root", "Key Service",
                 "Automatic Root Certificate Update", "Remote Procedure Call", "Summary:", "Nothing to repair."):
        check(word in done.text, f"check text shows {word!r}")
    document = csd_json("check", code=0)
    check(document.get("status") == "healthy" and document.get("remote") is False, "healthy, local")
    check(len(document.get("rows", [])) == 8, f"8 rows: {len(document.get('rows', []))}")
    service = row(document, "service")
    check(service and service["current"] == "Running, Automatic", f"service row: {service}")
    check(document.get("plan") == [], f"nothing to repair: {document.get('plan')}")
    line = summary_line(csd("check", "--summary", code=0), "check --summary")
    check("no problems found" in line, line)
    # The fleet scripts' exact command lines.
    summary_line(csd("fix", "--yes", "--summary", code=0), "fix --yes --summary (nothing to do)")
    folder = private_dir("report")
    report = os.path.join(folder, "report ü.json")
    done = csd("check", "--json", "--report", win_path(report), code=0)
    summary_line(done, "check --json --report")
    with open(report, encoding="utf-8") as f:
        valid_json(f.read(), "the --report file")
    os.remove(report)
    done = csd("check", "--json", "--report", win_path(report), "--summary", code=0)   # the GPO task's line
    summary_line(done, "check --json --report --summary")
    with open(report, encoding="utf-8") as f:
        valid_json(f.read(), "the --report file (with --summary)")
    report_text = os.path.join(folder, "report.txt")
    csd("check", "--report", win_path(report_text), code=0)
    with open(report_text, encoding="utf-8") as f:
        check("Cryptographic Services (CryptSvc)" in f.read(), "text report written")
    csd("check", "--report", "C:\\csd-no-such-folder\\x\\r.txt", code=9)
    shutil.rmtree(folder, ignore_errors=True)


def case_stopped():
    """A private service, manual and stopped: found, planned, dry run changes nothing, repaired."""
    name = f"csdcli-stopped-{TAG}"
    data = private_dir("stopped-data")
    common = ["--service", name, "--data-dir", win_path(data), "--lock", f"csdcli-lock-{TAG}", "--quick"]
    ensure_rpcss()
    install_service(name, "demand", running=False)
    check("Start" in service_state(name) and "STOPPED" in service_state(name), f"{name}: {service_state(name)}")
    try:
        document = csd_json("check", *common, code=1)
        service = row(document, "service")
        check(service and service["severity"] in ("problem", "warning") and service["current"].startswith("Stopped"),
              f"service row: {service}")
        check("set_automatic" in document.get("plan", []), f"plan: {document.get('plan')}")
        line = summary_line(csd("check", "--summary", *common, code=1), "check --summary (stopped)")
        check("set_automatic" in line, f"the line names the repair: {line}")

        before = service_state(name)
        plan = csd("fix", "--dry-run", *common, code=0)
        check("Dry run" in plan.text and "Automatic" in plan.text, f"the plan: {plan.text}")
        document = csd_json("fix", "--dry-run", *common, code=0)
        steps = [s for r in document.get("repairs", []) for s in r["steps"]]
        check(steps and all(s["status"] == "planned" for s in steps), f"dry run: every step planned: {steps}")
        csd_json("repair", "set_automatic", "--dry-run", *common, code=0)
        csd("repair", "set_automatic", *common, code=3)       # stdin is not a console, no --yes
        check(service_state(name) == before, f"dry runs and the refused run changed nothing:\n{before}\n--\n{service_state(name)}")
        check(not os.path.exists(os.path.join(data, "backups")) or not os.listdir(os.path.join(data, "backups")),
              "no backup made by a dry run")

        done = csd("fix", "--yes", "--summary", *common, code=0)
        summary_line(done, "fix --yes --summary")
        check(service_state(name) != before, "the real fix changed what the dry-run comparison reads")
        after = csd_json("check", *common)
        service = row(after, "service")
        check(service and service["current"] == "Running, Automatic", f"repaired: {service}")
        check(after.get("exit_code") == 0, f"healthy now: {after.get('summary')}")
    finally:
        remove_service(name)
        shutil.rmtree(data, ignore_errors=True)


def case_repair_restore():
    """clear_logs on a private Windows folder and service, then list-backups and restore: back as it was."""
    name = f"csdcli-logs-{TAG}"
    root = private_dir("logs")
    windows, data = os.path.join(root, "win"), os.path.join(root, "data")
    small_windows(windows)
    common = ["--service", name, "--windows-dir", win_path(windows), "--data-dir", win_path(data),
              "--lock", f"csdcli-lock-{TAG}"]
    ensure_rpcss()
    install_service(name, "auto", running=True)
    try:
        original, state = tree_hash(windows), service_state(name)
        document = csd_json("repair", "clear_logs", "--dry-run", *common, code=0)
        check(document["repairs"][0]["steps"], "clear_logs has a plan")
        check(tree_hash(windows) == original and service_state(name) == state, "--dry-run changed nothing")

        document = csd_json("repair", "clear_logs", "--yes", *common, code=0)
        result = document["repairs"][0]
        check(result["error"] == 0 and result["backup_dir"] and result["moved"] > 0, f"repaired: {result}")
        check(not os.path.exists(os.path.join(windows, "System32/catroot2/edb.log")), "edb.log moved away")
        check(tree_hash(windows) != original, "the tree changed")

        listing = csd_json("list-backups", *common, code=0)
        backups = listing.get("backups", [])
        check(len(backups) == 1 and backups[0]["repair"] == "clear_logs" and backups[0]["readable"],
              f"one backup listed: {backups}")
        text = csd("list-backups", *common, code=0).text
        check("clear_logs" in text, f"text listing: {text}")

        backup = result["backup_dir"]
        csd("restore", backup, "--dry-run", *common, code=0)
        check(not os.path.exists(os.path.join(windows, "System32/catroot2/edb.log")), "restore --dry-run changed nothing")
        document = csd_json("restore", backup, "--yes", *common, code=0)
        check(tree_hash(windows) == original, "restore put every file back")
        check("RUNNING" in service_state(name), "the service runs again")
    finally:
        remove_service(name)
        shutil.rmtree(root, ignore_errors=True)


def case_busy():
    """Another repair holds the lock: exit 5, nothing changed."""
    name = f"csdcli-busy-{TAG}"
    lock = f"csdcli-busylock-{TAG}"
    root = private_dir("busy")
    windows, data = os.path.join(root, "win"), os.path.join(root, "data")
    small_windows(windows)
    install_service(name, "auto", running=True)
    try:
        original = tree_hash(windows)
        done = wine(ENV["CSD_HOLDLOCK"], lock, CSD, "repair", "clear_logs", "--yes", "--service", name,
                    "--windows-dir", win_path(windows), "--data-dir", win_path(data), "--lock", lock)
        print(done.text)
        check(done.returncode == 5, f"busy: exit {done.returncode}")
        check("Another repair is running" in done.text, f"says so: {done.text}")
        check(tree_hash(windows) == original, "nothing changed")
    finally:
        remove_service(name)
        shutil.rmtree(root, ignore_errors=True)


def case_catalog():
    """The demo machine's damaged catroot2 (csd-mkdemo): a catalog problem, a plan, exit 1."""
    root = private_dir("catalog")
    windows = os.path.join(root, "win")
    os.makedirs(windows)
    try:
        catalog_checks(windows)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def catalog_checks(windows):
    done = wine(ENV["CSD_MKDEMO"], win_path(windows), timeout=300, allow_stderr=True)
    check(done.returncode == 0, f"csd-mkdemo: {done.returncode} {done.stderr[:300]!r}")
    ensure_rpcss()
    original = tree_hash(windows)
    document = csd_json("check", "--windows-dir", win_path(windows), code=1)
    catalog = row(document, "catalog_db")
    print(json.dumps(catalog, indent=1))
    check(catalog and catalog["severity"] == "problem", f"catalog row is a problem: {catalog}")
    check(catalog and catalog["repair"] in ("clear_logs", "rebuild_catalog"), f"catalog repair: {catalog}")
    check(any(r in document.get("plan", []) for r in ("clear_logs", "rebuild_catalog")), f"plan: {document.get('plan')}")
    text = csd("check", "--windows-dir", win_path(windows), code=1).text
    check("Catalog Database Service" in text and "csd fix" in text, "text names the row and the fix")
    csd("fix", "--dry-run", "--windows-dir", win_path(windows), code=0)
    check(tree_hash(windows) == original, "check and fix --dry-run changed nothing in the tree")


def case_remote():
    """Unreachable computers fail cleanly and fast; Wine answers \\\\127.0.0.1 from its own SCM but has no ADMIN$."""
    for name in ("csd-no-such-host.invalid", "тест-нет.invalid"):
        done = csd("check", "--computer", name, code=6)
        check(done.seconds < 10, f"unreachable {name}: failed in {done.seconds:.2f} s (bound 10 s)")
        check(name in done.text and "Cannot reach" in done.text, f"the message names the computer (UTF-8): {done.text}")
        document = csd_json("check", "--computer", name, "--timeout", "20", code=6)
        check(document.get("status") == "unreachable" and document.get("rows") == [], "JSON: unreachable, no rows")
        check(document["connection"]["scm_error"] != 0, "JSON has the error")
        summary_line(csd("check", "--computer", name, "--summary", code=6), "unreachable --summary")
    done = csd("check", "--computer", "127.0.0.1", code=8)
    check("ADMIN$" in done.text, f"no admin share: {done.text[:400]}")
    document = csd_json("check", "--computer", "127.0.0.1", code=8)
    check(document.get("remote") is True and document["connection"]["admin_share_error"], "JSON: share error")
    check(len(document.get("rows", [])) == 8, "the service rows were read")


def case_remote_repair():
    """--computer with repairs: an unknown name exits 6 fast; a file repair is refused (3) before anything."""
    name = f"csdcli-remote-{TAG}"
    root = private_dir("remote")
    windows, data = os.path.join(root, "win"), os.path.join(root, "data")
    small_windows(windows)
    common = ["--service", name, "--windows-dir", win_path(windows), "--data-dir", win_path(data),
              "--lock", f"csdcli-lock-{TAG}"]
    ensure_rpcss()
    install_service(name, "demand", running=False)
    try:
        original, state = tree_hash(windows), service_state(name)
        done = csd("repair", "set_automatic", "--computer", "csd-no-such-host.invalid", "--yes", *common, code=6)
        check(done.seconds < 10, f"unreachable: failed in {done.seconds:.2f} s (bound 10 s)")
        check("Cannot reach csd-no-such-host.invalid" in done.text, f"says so: {done.text}")
        document = csd_json("repair", "start_service", "--computer", "csd-no-such-host.invalid", "--yes", *common, code=6)
        check(document.get("status") == "unreachable", f"JSON: {document.get('status')}")
        done = csd("fix", "--computer", "csd-no-such-host.invalid", "--yes", *common, code=6)
        check(done.seconds < 10 and "Cannot reach" in done.text, f"fix, unreachable: {done.text}")
        csd_json("fix", "--computer", "csd-no-such-host.invalid", "--yes", *common, code=6)
        for repair in ("clear_logs", "rebuild_catalog", "reregister_dlls", "refresh_root_list", "reset_wintrust_state"):
            # The refusal comes before the name is looked up: a made-up name still gets exit 3.
            done = csd("repair", repair, "--computer", "fleet-pc-0042", "--yes", *common, code=3)
            check("run csd on that computer" in done.text and "fleet-pc-0042" in done.text, f"{repair}: {done.text}")
        done = csd("repair", "set_automatic", "clear_logs", "--computer", "fleet-pc-0042", "--yes", *common, code=3)
        check("clear_logs" in done.text and "run csd on that computer" in done.text, f"refused before set_automatic: {done.text}")
        document = csd_json("repair", "clear_logs", "--computer", "fleet-pc-0042", "--yes", *common, code=3)
        check(document.get("status") == "usage", f"JSON: {document.get('status')}")
        summary_line(csd("repair", "clear_logs", "--computer", "fleet-pc-0042", "--summary", "--yes", *common, code=3),
                     "refusal --summary")
        csd("restore", win_path(os.path.join(data, "backups", "x")), "--computer", "fleet-pc-0042", "--yes", *common, code=3)
        check(tree_hash(windows) == original and service_state(name) == state, "nothing was touched")
        check(not os.path.exists(os.path.join(data, "backups")), "no backup folder made")
    finally:
        remove_service(name)
        shutil.rmtree(root, ignore_errors=True)


def case_symptom():
    for args, code in ((["0x80070490"], 0), (["80070490"], 0), (["-2147023728"], 0),
                       (["Setup", "could", "not", "verify", "the", "integrity", "of", "the", "file", "Update.inf"], 0),
                       (["0x8007371B"], 0), (["zzqqxx", "nothing"], 1)):
        document = csd_json("symptom", *args, code=code)
        check((document.get("total", 0) > 0) == (code == 0), f"symptom {args}: {document.get('total')} matches")
    document = csd_json("symptom", "0x80070490")
    check(document["matches"][0]["code"] == "0x80070490" and document["matches"][0]["ours"], "0x80070490 is ours")
    document = csd_json("symptom", "0x8007371B")
    check(document["matches"] and not document["matches"][0]["ours"], "0x8007371B is not ours")
    text = csd("symptom", "0x80070490", code=0).text
    check("ERROR_NOT_FOUND" in text and "Source:" in text, text)
    summary_line(csd("symptom", "0x80070490", "--summary", code=0), "symptom --summary")


def on_console(args, keys):
    """Runs csd on a pseudo-terminal (util-linux `script`), where Wine gives it a real console:
    output goes through WriteConsoleW and the prompt through ReadConsoleW. `keys` are typed after
    the prompt shows. Returns (exit code, output with the terminal's escape sequences removed)."""
    command = " ".join(shlex.quote(a) for a in [WINE, CSD, *args])
    feeder = f"sleep 2; printf {shlex.quote(keys)}; sleep 3" if keys else "sleep 4"
    done = subprocess.run(["bash", "-c", f"({feeder}) | script -qec {shlex.quote(command)} /dev/null"],
                          env=dict(ENV, WINEDEBUG="-all"), capture_output=True, timeout=60)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", done.stdout.decode("utf-8", "replace"))
    text = re.sub(r"[\r\n]+", "\n", text)
    print(f"$ (console) csd {' '.join(args)} <- {keys!r} -> exit {done.returncode}\n{text}")
    return done.returncode, text


def case_console():
    if not shutil.which("script"):
        print("skipped: no `script` (util-linux) to make a pseudo-terminal")
        sys.exit(77)
    name = "тест-нет.invalid"
    code, text = on_console(["check", "--computer", name], "")
    check(code == 6, f"console: exit {code}")
    check(name in text.replace("\n", ""), f"console: the Cyrillic name shows through WriteConsoleW: {text!r}")
    service = f"csdcli-console-{TAG}"
    install_service(service, "auto", running=True)
    try:
        code, text = on_console(["repair", "stop_service", "--service", service], "n\r")
        check(code == 2 and "Cancelled" in text, f"answered no: exit {code}")
        check("RUNNING" in service_state(service), "no: the service still runs")
        code, text = on_console(["repair", "stop_service", "--service", service], "y\r")
        check(code == 0, f"answered yes: exit {code}")
        check("STOPPED" in service_state(service), f"yes: the service stopped: {service_state(service)}")
    finally:
        remove_service(service)


# The csd command lines the scripts in docs/fleet/ use, as the cases above run them; "<...>" is a
# PowerShell variable. case_fleet_scripts fails when a script uses a line not in this list.
TESTED_FLEET_LINES = {
    "check --summary": "case_healthy, case_stopped",
    "fix --yes --summary": "case_healthy, case_stopped",
    "check --json": "case_healthy",
    "check --computer <Name> --json --timeout 20": "case_remote",
}


def case_fleet_scripts():
    folder = ENV["CSD_FLEET"]
    used = set()
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ps1"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            text = f.read()
        check(not text.startswith("\ufeff"), f"{name}: UTF-8 without BOM (Intune signature checks)")
        calls = re.findall(r"&\s*\$Csd\s+([^\r\n|;]*)", text)
        check(calls or name == "README.md", f"{name}: calls csd")
        check("Write-Error" not in text and "[Console]::Error" not in text, f"{name}: nothing on stderr")
        check(not re.search(r"\b(Restart-Computer|shutdown(\.exe)?\s)", text, re.I), f"{name}: no reboot (Intune rule)")
        for call in calls:
            line = re.sub(r"\$(\w+)", r"<\1>", call.strip())
            used.add(line)
            check(line in TESTED_FLEET_LINES, f"{name}: `csd {line}` is not a tested command line")
        other = re.findall(r"csd(?:\.exe)?\s+(check|fix|repair|restore|list-backups|symptom)\b[^\r\n'\"]*", text)
        for match in other:
            pass  # comments may name commands; only `& $Csd` lines run
    check(used, "the scripts call csd")
    # And the lines themselves: exit codes and shape, as the scripts read them.
    ensure_rpcss()
    for line in sorted(used):
        args = line.replace("<Name>", "csd-no-such-host.invalid").split()
        done = csd(*args, code=[0, 1, 6])
        if "--json" in args:
            valid_json(done.text, "fleet: csd " + line)
        if "--summary" in args:
            summary_line(done, "fleet: csd " + line)


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: cli_test.py " + "|".join(sorted(CASES)))
        sys.exit(2)
    CASES[sys.argv[1]]()
    print(f"{len(failures)} failures")
    sys.exit(1 if failures else 0)
