/* tests/wine/test_svc.c: svc_query/svc_start/svc_stop against Wine's real SCM and the stand-in service. */
#include "harness/test.h"
#include "win/seam.h"
#include "win/svc.h"

#include <windows.h>
#include <wchar.h>

/* Each run uses its own service names, so parallel or crashed runs never collide. */
static WCHAR service_name[64];
static WCHAR dependent_name[64];
static WCHAR pipe_name[64];
static WCHAR standin_path[MAX_PATH];

/* ---- the listener for what the stand-in reports --------------------------------------- */

static CRITICAL_SECTION report_lock;
static char reports[16384];

static DWORD WINAPI listen_reports(void *unused)
{
    WCHAR pipe[MAX_PATH];
    (void)unused;

    swprintf(pipe, ARRAYSIZE(pipe), L"\\\\.\\pipe\\%ls", pipe_name);
    for (;;) {
        char message[600];
        DWORD got = 0;
        HANDLE handle = CreateNamedPipeW(pipe, PIPE_ACCESS_INBOUND, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT,
                                         PIPE_UNLIMITED_INSTANCES, 0, sizeof(message), 0, NULL);
        if (handle == INVALID_HANDLE_VALUE) return 1;
        if (ConnectNamedPipe(handle, NULL) || GetLastError() == ERROR_PIPE_CONNECTED) {
            if (ReadFile(handle, message, sizeof(message) - 1, &got, NULL) && got) {
                message[got] = 0;
                EnterCriticalSection(&report_lock);
                if (strlen(reports) + got + 2 < sizeof(reports)) {
                    strcat(reports, message);
                    strcat(reports, "\n");
                }
                LeaveCriticalSection(&report_lock);
            }
        }
        DisconnectNamedPipe(handle);
        CloseHandle(handle);
    }
}

/* Waits up to 3 s for the stand-in to report a line starting with `prefix`. */
static BOOL reported(const char *prefix)
{
    for (int i = 0; i < 300; i++) {
        BOOL found = FALSE;
        EnterCriticalSection(&report_lock);
        for (const char *line = reports; *line; line = strchr(line, '\n') + 1) {
            if (!strncmp(line, prefix, strlen(prefix))) found = TRUE;
            if (!strchr(line, '\n')) break;
        }
        LeaveCriticalSection(&report_lock);
        if (found) return TRUE;
        Sleep(10);
    }
    return FALSE;
}

/* The stand-in's own checks come back as "ok ..." or "FAIL ..." lines. */
static void check_standin_reports(void)
{
    int checked = 0;

    EnterCriticalSection(&report_lock);
    for (const char *line = reports; *line;) {
        const char *end = strchr(line, '\n');
        int length = end ? (int)(end - line) : (int)strlen(line);
        if (!strncmp(line, "FAIL ", 5)) ok(0, "stand-in reports: %.*s\n", length, line);
        if (!strncmp(line, "ok ", 3)) checked++;
        if (!end) break;
        line = end + 1;
    }
    LeaveCriticalSection(&report_lock);
    ok(checked >= 2, "the stand-in ran its own checks (%d)\n", checked);
}

/* ---- creating test services ----------------------------------------------------------- */

static BOOL find_standin(void)
{
    WCHAR *slash;

    GetModuleFileNameW(NULL, standin_path, ARRAYSIZE(standin_path));
    slash = wcsrchr(standin_path, L'\\');
    if (!slash) return FALSE;
    wcscpy(slash + 1, L"csd-standin.exe");
    return GetFileAttributesW(standin_path) != INVALID_FILE_ATTRIBUTES;
}

static void binary_for(const WCHAR *name, const WCHAR *mode, WCHAR *binary, size_t count)
{
    swprintf(binary, count, L"\"%ls\" service --name %ls --mode %ls --delay 1500 --hint 1000 --report %ls",
             standin_path, name, mode, pipe_name);
}

static SC_HANDLE create_service(const WCHAR *name, const WCHAR *mode, DWORD start_type, const WCHAR *depends)
{
    WCHAR binary[MAX_PATH * 2];
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    SC_HANDLE service;

    binary_for(name, mode, binary, ARRAYSIZE(binary));
    service = CreateServiceW(scm, name, name, SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, start_type,
                             SERVICE_ERROR_NORMAL, binary, NULL, NULL, depends,
                             L"NT AUTHORITY\\NetworkService", NULL);
    ok(service != NULL, "CreateServiceW %ls failed: %lu\n", name, GetLastError());
    CloseServiceHandle(scm);
    return service;
}

static void set_mode(SC_HANDLE service, const WCHAR *mode)
{
    WCHAR binary[MAX_PATH * 2];
    BOOL changed;

    binary_for(service_name, mode, binary, ARRAYSIZE(binary));
    changed = ChangeServiceConfigW(service, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE, binary,
                                   NULL, NULL, NULL, NULL, NULL, NULL);
    ok(changed, "ChangeServiceConfigW failed: %lu\n", GetLastError());
}

/* Stops a service the hard way, for the misbehaving modes, and deletes it. */
static void destroy_service(SC_HANDLE service)
{
    SERVICE_STATUS_PROCESS status;
    DWORD needed;

    if (QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)&status, sizeof(status), &needed) &&
        status.dwCurrentState != SERVICE_STOPPED && status.dwProcessId) {
        HANDLE process = OpenProcess(PROCESS_TERMINATE, FALSE, status.dwProcessId);
        if (process) {
            TerminateProcess(process, 1);
            CloseHandle(process);
        }
    }
    DeleteService(service);
    CloseServiceHandle(service);
}

/* ---- the tests ------------------------------------------------------------------------ */

static const struct svc_link *find_link(const struct svc_link *links, DWORD count, const WCHAR *name)
{
    for (DWORD i = 0; i < count; i++)
        if (!_wcsicmp(links[i].name, name)) return &links[i];
    return NULL;
}

/* The state as the SCM reports it directly, to compare the core's answer with. */
static DWORD scm_state(const WCHAR *name)
{
    SERVICE_STATUS status = { 0 };
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    SC_HANDLE service = OpenServiceW(scm, name, SERVICE_QUERY_STATUS);

    QueryServiceStatus(service, &status);
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
    return status.dwCurrentState;
}

static void test_missing_service(void)
{
    struct svc_info info;
    DWORD error;

    memset(&info, 0xcc, sizeof(info));
    error = svc_query(NULL, L"CsdNoSuchService", &info);
    ok(error == ERROR_SERVICE_DOES_NOT_EXIST, "missing service: got %lu\n", error);
    ok(svc_classify(error) == SVC_FAIL_NOT_INSTALLED, "missing service classifies as not installed\n");
    ok(info.state == 0xcccccccc, "a failed query leaves its output untouched\n");
    error = svc_start(NULL, L"CsdNoSuchService", NULL, NULL);
    ok(error == ERROR_SERVICE_DOES_NOT_EXIST, "starting a missing service: got %lu\n", error);
}

static void test_stopped_manual(void)
{
    struct svc_info info;
    const struct svc_link *rpc;
    DWORD error = svc_query(NULL, service_name, &info);

    ok(error == 0, "query stopped service: %lu\n", error);
    ok(info.state == SERVICE_STOPPED, "state %lu, expected stopped\n", info.state);
    ok(info.start_type == SERVICE_DEMAND_START, "start type %lu, expected manual\n", info.start_type);
    ok(info.pid == 0, "a stopped service has no process, got pid %lu\n", info.pid);
    ok(wcsstr(info.binary_path, L"csd-standin.exe") != NULL, "binary path %ls\n", info.binary_path);
    ok(!_wcsicmp(info.account, L"NT AUTHORITY\\NetworkService"), "account %ls\n", info.account);
    ok(info.depends_count == 1, "one dependency expected, got %lu (error %lu)\n", info.depends_count,
       info.depends_error);
    rpc = find_link(info.depends_on, info.depends_count, L"RpcSs");
    ok(rpc != NULL, "RpcSs is listed as a dependency\n");
    /* Wine starts RpcSs on demand, so it may be stopped: the state must be the SCM's. */
    if (rpc) ok(rpc->error == 0 && rpc->state == scm_state(L"RpcSs"), "RpcSs state %lu error %lu\n",
                rpc->state, rpc->error);
}

static void test_start_running_auto(SC_HANDLE service)
{
    struct svc_info info;
    SERVICE_STATUS_PROCESS final;
    DWORD error;

    ok(ChangeServiceConfigW(service, SERVICE_NO_CHANGE, SERVICE_AUTO_START, SERVICE_NO_CHANGE, NULL, NULL, NULL,
                            NULL, NULL, NULL, NULL), "set auto start: %lu\n", GetLastError());
    error = svc_start(NULL, service_name, NULL, &final);
    ok(error == 0, "svc_start: %lu\n", error);
    ok(final.dwCurrentState == SERVICE_RUNNING, "final state %lu\n", final.dwCurrentState);
    ok(reported("started"), "the stand-in reported that it started\n");

    error = svc_query(NULL, service_name, &info);
    ok(error == 0, "query running service: %lu\n", error);
    ok(info.state == SERVICE_RUNNING, "state %lu, expected running\n", info.state);
    ok(info.start_type == SERVICE_AUTO_START, "start type %lu, expected automatic\n", info.start_type);
    ok(info.pid != 0, "a running service has a host process\n");
    ok(info.controls_accepted & SERVICE_ACCEPT_STOP, "it accepts stop\n");

    error = svc_start(NULL, service_name, NULL, NULL);
    ok(error == ERROR_SERVICE_ALREADY_RUNNING, "second start: %lu\n", error);
}

static void test_paused(SC_HANDLE service)
{
    SERVICE_STATUS status;
    struct svc_info info;

    ok(ControlService(service, SERVICE_CONTROL_PAUSE, &status), "pause: %lu\n", GetLastError());
    ok(svc_query(NULL, service_name, &info) == 0 && info.state == SERVICE_PAUSED,
       "state %lu, expected paused\n", info.state);
    ok(ControlService(service, SERVICE_CONTROL_CONTINUE, &status), "continue: %lu\n", GetLastError());
}

static void test_dependents(void)
{
    struct svc_info info;
    const struct svc_link *dependent;
    WCHAR depends[80] = { 0 };
    SC_HANDLE service;

    wcscpy(depends, service_name);   /* list ends with the second NUL from the zeroed buffer */
    service = create_service(dependent_name, L"normal", SERVICE_DEMAND_START, depends);
    if (!service) return;
    ok(svc_query(NULL, service_name, &info) == 0, "query with a dependent\n");
    dependent = find_link(info.dependents, info.dependents_count, dependent_name);
    ok(dependent != NULL, "the dependent is found (%lu listed, error %lu)\n", info.dependents_count,
       info.dependents_error);
    if (dependent) ok(dependent->state == SERVICE_STOPPED && dependent->start_type == SERVICE_DEMAND_START,
                      "dependent state %lu start %lu\n", dependent->state, dependent->start_type);
    destroy_service(service);
}

static void test_stop(void)
{
    SERVICE_STATUS_PROCESS final;
    DWORD error = svc_stop(NULL, service_name, NULL, &final);

    ok(error == 0, "svc_stop: %lu\n", error);
    ok(final.dwCurrentState == SERVICE_STOPPED, "final state %lu\n", final.dwCurrentState);
    ok(reported("control 1"), "the stand-in received SERVICE_CONTROL_STOP\n");
    ok(reported("stopping"), "the stand-in stopped itself\n");
    error = svc_stop(NULL, service_name, NULL, NULL);
    ok(error == ERROR_SERVICE_NOT_ACTIVE, "second stop: %lu\n", error);
}

static void test_slow_start(SC_HANDLE service)
{
    ULONGLONG start;
    DWORD error, elapsed;

    set_mode(service, L"slowstart");
    start = GetTickCount64();
    error = svc_start(NULL, service_name, NULL, NULL);
    elapsed = (DWORD)(GetTickCount64() - start);
    ok(error == 0, "slow start: %lu\n", error);
    /* 1.5 s in START_PENDING with a 1 s wait hint: only following the checkpoints gets there. */
    ok(elapsed >= 1300, "the wait followed the slow start: %lu ms\n", elapsed);
    ok(svc_stop(NULL, service_name, NULL, NULL) == 0, "stop after slow start\n");
}

static void test_hung_stop(SC_HANDLE service)
{
    struct svc_wait bounds = { 20000, 500 };
    SERVICE_STATUS_PROCESS final;
    ULONGLONG start;
    DWORD error, elapsed;

    set_mode(service, L"hangstop");
    ok(svc_start(NULL, service_name, NULL, NULL) == 0, "start the service that will hang\n");
    start = GetTickCount64();
    error = svc_stop(NULL, service_name, &bounds, &final);
    elapsed = (DWORD)(GetTickCount64() - start);
    ok(error == ERROR_TIMEOUT, "hung stop: %lu\n", error);
    ok(svc_classify(error) == SVC_FAIL_TIMEOUT, "a hung stop classifies as timeout\n");
    ok(final.dwCurrentState == SERVICE_STOP_PENDING, "left in stop pending: %lu\n", final.dwCurrentState);
    /* wait hint 1000 + grace 500: "not responding" after ~1.5 s, long before the 20 s bound. */
    ok(elapsed >= 1400 && elapsed < 5000, "gave up after %lu ms\n", elapsed);
    ok(reported("hanging in stop pending"), "the stand-in hung as asked\n");
}

static void test_refused_stop(void)
{
    SC_HANDLE service;
    DWORD error;

    service = create_service(service_name, L"refusestop", SERVICE_DEMAND_START, L"RpcSs\0");
    if (!service) return;
    ok(svc_start(NULL, service_name, NULL, NULL) == 0, "start the service that refuses to stop\n");
    error = svc_stop(NULL, service_name, NULL, NULL);
    ok(error == ERROR_INVALID_SERVICE_CONTROL, "refused stop: %lu\n", error);
    destroy_service(service);

    service = create_service(service_name, L"failstart", SERVICE_DEMAND_START, L"RpcSs\0");
    if (!service) return;
    error = svc_start(NULL, service_name, NULL, NULL);
    /* Our wait sees the service's own exit code; when Wine's StartServiceW happens to see
     * the STOPPED report first, it answers 1053 itself. Either way: a failure, never 0. */
    ok(error == ERROR_SERVICE_SPECIFIC_ERROR || error == ERROR_SERVICE_REQUEST_TIMEOUT, "failed start: %lu\n", error);
    ok(reported("failed to start"), "the stand-in failed as asked\n");
    destroy_service(service);
}

/* The harness registered the stand-in as CryptSvc itself: query it by its real name. */
static void test_harness_cryptsvc(void)
{
    struct svc_info info;
    DWORD error = svc_query(NULL, L"CryptSvc", &info);

    ok(error == 0, "CryptSvc is registered by the harness: %lu\n", error);
    if (error) return;
    ok(info.start_type == SERVICE_AUTO_START, "CryptSvc start type %lu\n", info.start_type);
    ok(find_link(info.depends_on, info.depends_count, L"RpcSs") != NULL, "CryptSvc depends on RpcSs\n");
    ok(info.state == SERVICE_RUNNING || info.state == SERVICE_STOPPED, "CryptSvc state %lu\n", info.state);
}

/* A remote name that resolves to nothing: a clear "unreachable", not a crash or a hang. */
static void test_unreachable_machine(void)
{
    struct svc_info info;
    ULONGLONG start = GetTickCount64();
    DWORD error = svc_query(L"csd-no-such-host.invalid", L"CryptSvc", &info);
    DWORD elapsed = (DWORD)(GetTickCount64() - start);

    ok(error != 0, "a query of an unknown machine fails\n");
    ok(svc_classify(error) == SVC_FAIL_UNREACHABLE, "unknown machine classifies as unreachable: %lu\n", error);
    trace("unknown machine: error %lu after %lu ms\n", error, elapsed);
}

START_TEST(svc)
{
    SC_HANDLE service;

    if (!find_standin()) {
        skip("csd-standin.exe is not beside the test\n");
        return;
    }
    swprintf(service_name, ARRAYSIZE(service_name), L"CsdTest%lu", GetCurrentProcessId());
    swprintf(dependent_name, ARRAYSIZE(dependent_name), L"CsdTestDep%lu", GetCurrentProcessId());
    swprintf(pipe_name, ARRAYSIZE(pipe_name), L"csd-test-%lu", GetCurrentProcessId());
    InitializeCriticalSection(&report_lock);
    CloseHandle(CreateThread(NULL, 0, listen_reports, NULL, 0, NULL));

    test_missing_service();
    test_harness_cryptsvc();
    test_unreachable_machine();

    service = create_service(service_name, L"normal", SERVICE_DEMAND_START, L"RpcSs\0");
    if (!service) return;
    test_stopped_manual();
    test_start_running_auto(service);
    test_paused(service);
    test_dependents();
    test_stop();
    test_slow_start(service);
    test_hung_stop(service);
    destroy_service(service);
    test_refused_stop();
    check_standin_reports();
}
