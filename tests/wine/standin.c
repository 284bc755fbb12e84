/* tests/wine/standin.c: a stand-in for CryptSvc that behaves well or badly on request, for tests under Wine. */

/*
 * Wine has no Cryptographic Services, so the tests and the demo register this program
 * as a service (named CryptSvc, or a unique test name) and drive it through Wine's real
 * Service Control Manager. What it does is chosen by its command line, which is part of
 * the service's binary path:
 *
 *   csd-standin.exe service --name NAME [--mode MODE] [--delay MS] [--hint MS] [--report PIPE]
 *
 * MODE is one of
 *   normal      start and stop promptly; accepts pause/continue
 *   slowstart   spend --delay ms (default 2000) in START_PENDING, moving the checkpoint
 *               every 200 ms with a wait hint of 1000 ms, as a slow but healthy service does
 *   hangstart   sit in START_PENDING for ever with a checkpoint that never moves
 *   failstart   give up during start with a service-specific error (exit code 1206)
 *   crash       end the process abruptly during start, never telling the SCM
 *   hangstop    go to STOP_PENDING on a stop request and never finish
 *   refusestop  run, but do not accept stop requests (the SCM answers 1052)
 *
 * With --report PIPE it tells \\.\pipe\PIPE what happens to it ("started", "control 1",
 * "stopping", ...) and the results of its own checks ("ok ..." or "FAIL ..."), one
 * message per line, so a test can assert on the service side too.
 *
 * The same program registers and removes services for the harness and the demo:
 *
 *   csd-standin.exe install [--name CryptSvc] [--start auto|demand|disabled] [--mode MODE]
 *                           [--depends RpcSs] [--running]
 *   csd-standin.exe remove [--name CryptSvc]
 */

#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

struct options {
    const WCHAR *command;
    const WCHAR *name;
    const WCHAR *mode;
    const WCHAR *report;
    const WCHAR *start;
    const WCHAR *depends;
    DWORD delay_ms;
    DWORD hint_ms;
    BOOL running;
};

static struct options options;
static SERVICE_STATUS_HANDLE status_handle;
static SERVICE_STATUS status;
static HANDLE stop_event;

/* ---- reporting to the test ------------------------------------------------------------ */

static void report(const char *fmt, ...)
{
    WCHAR pipe[MAX_PATH];
    char line[512];
    va_list args;
    HANDLE handle;
    DWORD written;

    if (!options.report) return;
    va_start(args, fmt);
    vsnprintf(line, sizeof(line), fmt, args);
    va_end(args);
    swprintf(pipe, ARRAYSIZE(pipe), L"\\\\.\\pipe\\%ls", options.report);
    /* One message per connection; the test's listener may be busy with another one. */
    for (int attempt = 0; attempt < 20; attempt++) {
        handle = CreateFileW(pipe, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (handle != INVALID_HANDLE_VALUE) {
            WriteFile(handle, line, (DWORD)strlen(line), &written, NULL);
            CloseHandle(handle);
            return;
        }
        if (GetLastError() != ERROR_PIPE_BUSY) return;
        WaitNamedPipeW(pipe, 100);
    }
}

static void check(BOOL condition, const char *what)
{
    report("%s %s", condition ? "ok" : "FAIL", what);
}

/* ---- the service ---------------------------------------------------------------------- */

static void set_state(DWORD state, DWORD checkpoint, DWORD wait_hint)
{
    status.dwCurrentState = state;
    status.dwCheckPoint = checkpoint;
    status.dwWaitHint = wait_hint;
    SetServiceStatus(status_handle, &status);
}

static DWORD accepted_controls(void)
{
    if (!wcscmp(options.mode, L"refusestop")) return 0;
    return SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_PAUSE_CONTINUE;
}

static DWORD WINAPI control_handler(DWORD control, DWORD type, void *data, void *context)
{
    (void)type; (void)data; (void)context;
    report("control %lu", (unsigned long)control);
    switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
        if (!wcscmp(options.mode, L"hangstop")) {
            /* Promise progress once, then never keep the promise. */
            set_state(SERVICE_STOP_PENDING, 1, options.hint_ms);
            report("hanging in stop pending");
            return NO_ERROR;
        }
        set_state(SERVICE_STOP_PENDING, 1, 2000);
        SetEvent(stop_event);
        return NO_ERROR;
    case SERVICE_CONTROL_PAUSE:
        set_state(SERVICE_PAUSED, 0, 0);
        return NO_ERROR;
    case SERVICE_CONTROL_CONTINUE:
        set_state(SERVICE_RUNNING, 0, 0);
        return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
        SetServiceStatus(status_handle, &status);
        return NO_ERROR;
    default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

static void slow_start(void)
{
    DWORD checkpoint = 1;

    for (DWORD spent = 0; spent < options.delay_ms; spent += 200) {
        set_state(SERVICE_START_PENDING, checkpoint++, 1000);
        Sleep(200);
    }
}

/* Returns FALSE when the mode means the service never reaches RUNNING. */
static BOOL starting(void)
{
    set_state(SERVICE_START_PENDING, 1, 2000);
    if (!wcscmp(options.mode, L"slowstart")) slow_start();
    if (!wcscmp(options.mode, L"hangstart")) {
        report("hanging in start pending");
        WaitForSingleObject(stop_event, INFINITE);
        return FALSE;
    }
    if (!wcscmp(options.mode, L"crash")) {
        report("crashing");
        TerminateProcess(GetCurrentProcess(), 0xC0000005);
    }
    if (!wcscmp(options.mode, L"failstart")) {
        status.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
        status.dwServiceSpecificExitCode = 1206;
        set_state(SERVICE_STOPPED, 0, 0);
        report("failed to start");
        return FALSE;
    }
    return TRUE;
}

static void WINAPI service_main(DWORD argc, WCHAR **argv)
{
    status_handle = RegisterServiceCtrlHandlerExW(options.name, control_handler, NULL);
    check(status_handle != NULL, "RegisterServiceCtrlHandlerExW");
    if (!status_handle) return;
    check(argc >= 1 && argv && !_wcsicmp(argv[0], options.name), "argv[0] is the service name");

    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwControlsAccepted = 0;
    if (!starting()) return;

    status.dwControlsAccepted = accepted_controls();
    set_state(SERVICE_RUNNING, 0, 0);
    report("started pid %lu mode %ls", (unsigned long)GetCurrentProcessId(), options.mode);

    WaitForSingleObject(stop_event, INFINITE);
    report("stopping");
    status.dwControlsAccepted = 0;
    set_state(SERVICE_STOPPED, 0, 0);
}

static int run_service(void)
{
    SERVICE_TABLE_ENTRYW table[] = {
        { (WCHAR *)options.name, service_main },
        { NULL, NULL },
    };

    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!StartServiceCtrlDispatcherW(table)) {
        fwprintf(stderr, L"csd-standin: not started by the SCM (error %lu)\n", GetLastError());
        return 1;
    }
    return 0;
}

/* ---- install and remove --------------------------------------------------------------- */

static DWORD start_type_value(const WCHAR *start)
{
    if (!_wcsicmp(start, L"auto")) return SERVICE_AUTO_START;
    if (!_wcsicmp(start, L"disabled")) return SERVICE_DISABLED;
    return SERVICE_DEMAND_START;
}

/* Stops a leftover service (killing it if it hangs) and deletes it. */
static void remove_service(SC_HANDLE scm, const WCHAR *name)
{
    SERVICE_STATUS_PROCESS process;
    SERVICE_STATUS stop_status;
    DWORD needed;
    SC_HANDLE service = OpenServiceW(scm, name, SERVICE_ALL_ACCESS);

    if (!service) return;
    if (QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)&process, sizeof(process), &needed) &&
        process.dwCurrentState != SERVICE_STOPPED) {
        ControlService(service, SERVICE_CONTROL_STOP, &stop_status);
        for (int i = 0; i < 50; i++) {
            if (!QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)&process,
                                      sizeof(process), &needed) ||
                process.dwCurrentState == SERVICE_STOPPED)
                break;
            Sleep(100);
        }
        if (process.dwCurrentState != SERVICE_STOPPED && process.dwProcessId) {
            HANDLE stuck = OpenProcess(PROCESS_TERMINATE, FALSE, process.dwProcessId);
            if (stuck) {
                TerminateProcess(stuck, 1);
                CloseHandle(stuck);
            }
        }
    }
    DeleteService(service);
    CloseServiceHandle(service);
}

static int install(void)
{
    WCHAR self[MAX_PATH], binary[MAX_PATH * 2], depends[256] = { 0 };
    SC_HANDLE scm, service;
    int result = 0;

    GetModuleFileNameW(NULL, self, ARRAYSIZE(self));
    swprintf(binary, ARRAYSIZE(binary), L"\"%ls\" service --name %ls --mode %ls", self, options.name,
             options.mode);
    /* DependOnService is a list of names ending in an empty one. */
    if (options.depends) wcsncpy(depends, options.depends, ARRAYSIZE(depends) - 2);

    scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    if (!scm) {
        fwprintf(stderr, L"csd-standin: OpenSCManager failed (error %lu)\n", GetLastError());
        return 1;
    }
    remove_service(scm, options.name);
    /* Display names are unique too (error 1078): only the CryptSvc stand-in takes the real one's. */
    service = CreateServiceW(scm, options.name,
                             _wcsicmp(options.name, L"CryptSvc") ? options.name : L"Cryptographic Services (stand-in)",
                             SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS,
                             start_type_value(options.start), SERVICE_ERROR_NORMAL, binary, NULL, NULL,
                             depends, L"NT AUTHORITY\\NetworkService", NULL);
    if (!service) {
        fwprintf(stderr, L"csd-standin: CreateService %ls failed (error %lu)\n", options.name,
                 GetLastError());
        CloseServiceHandle(scm);
        return 1;
    }
    if (options.running && !StartServiceW(service, 0, NULL)) {
        fwprintf(stderr, L"csd-standin: StartService %ls failed (error %lu)\n", options.name,
                 GetLastError());
        result = 1;
    }
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
    return result;
}

static int uninstall(void)
{
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);

    if (!scm) return 1;
    remove_service(scm, options.name);
    CloseServiceHandle(scm);
    return 0;
}

/* ---- command line --------------------------------------------------------------------- */

static void parse(int argc, WCHAR **argv)
{
    options.command = argc > 1 ? argv[1] : L"";
    options.name = L"CryptSvc";
    options.mode = L"normal";
    options.start = L"demand";
    options.delay_ms = 2000;
    options.hint_ms = 1000;
    for (int i = 2; i < argc; i++) {
        const WCHAR *value = i + 1 < argc ? argv[i + 1] : L"";
        if (!wcscmp(argv[i], L"--running")) { options.running = TRUE; continue; }
        if (!wcscmp(argv[i], L"--name")) options.name = value;
        else if (!wcscmp(argv[i], L"--mode")) options.mode = value;
        else if (!wcscmp(argv[i], L"--report")) options.report = value;
        else if (!wcscmp(argv[i], L"--start")) options.start = value;
        else if (!wcscmp(argv[i], L"--depends")) options.depends = value;
        else if (!wcscmp(argv[i], L"--delay")) options.delay_ms = wcstoul(value, NULL, 10);
        else if (!wcscmp(argv[i], L"--hint")) options.hint_ms = wcstoul(value, NULL, 10);
        else continue;
        i++;
    }
}

int wmain(int argc, WCHAR **argv)
{
    parse(argc, argv);
    if (!wcscmp(options.command, L"service")) return run_service();
    if (!wcscmp(options.command, L"install")) return install();
    if (!wcscmp(options.command, L"remove")) return uninstall();
    fwprintf(stderr, L"usage: csd-standin install|remove|service [--name NAME] [--mode MODE] ...\n");
    return 2;
}
