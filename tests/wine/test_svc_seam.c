/* tests/wine/test_svc_seam.c: svc_query and the waits with system calls failed or faked through the seam. */
#include "harness/test.h"
#include "win/seam.h"
#include "win/svc.h"

#include <windows.h>

/* ---- failures injected into the real SCM ---------------------------------------------- */

static DWORD injected_error;

static SC_HANDLE WINAPI failing_OpenSCManagerW(LPCWSTR machine, LPCWSTR database, DWORD access)
{
    (void)machine; (void)database; (void)access;
    SetLastError(injected_error);
    return NULL;
}

static SC_HANDLE WINAPI failing_OpenServiceW(SC_HANDLE scm, LPCWSTR name, DWORD access)
{
    (void)scm; (void)name; (void)access;
    SetLastError(injected_error);
    return NULL;
}

static BOOL WINAPI failing_QueryServiceStatusEx(SC_HANDLE service, SC_STATUS_TYPE level, LPBYTE buffer,
                                                DWORD size, LPDWORD needed)
{
    (void)service; (void)level; (void)buffer; (void)size; (void)needed;
    SetLastError(injected_error);
    return FALSE;
}

static BOOL WINAPI failing_QueryServiceConfigW(SC_HANDLE service, LPQUERY_SERVICE_CONFIGW config, DWORD size,
                                               LPDWORD needed)
{
    (void)service; (void)config; (void)size; (void)needed;
    SetLastError(injected_error);
    return FALSE;
}

static LSTATUS WINAPI failing_RegConnectRegistryW(LPCWSTR machine, HKEY root, PHKEY result)
{
    (void)machine; (void)root; (void)result;
    return (LSTATUS)injected_error;
}

static INT WSAAPI failing_GetAddrInfoW(PCWSTR name, PCWSTR service, const ADDRINFOW *hints, PADDRINFOW *result)
{
    (void)name; (void)service; (void)hints;
    *result = NULL;
    return (INT)injected_error;
}

/* Runs svc_query on the harness's CryptSvc with one failure injected; checks the outcome. */
static void check_query_fails(const char *what, DWORD error, enum svc_failure kind)
{
    struct svc_info info;
    DWORD result;

    memset(&info, 0xcc, sizeof(info));
    injected_error = error;
    result = svc_query(NULL, L"CryptSvc", &info);
    ok(result == error, "%s: got %lu, expected %lu\n", what, result, error);
    ok(svc_classify(result) == kind, "%s: classified %d, expected %d\n", what, svc_classify(result), kind);
    ok(info.state == 0xcccccccc, "%s: the output is untouched\n", what);
    seam_reset();
}

static void test_injected_failures(void)
{
    struct svc_info info;
    DWORD result;

    seam.OpenSCManagerW = failing_OpenSCManagerW;
    check_query_fails("OpenSCManagerW access denied", ERROR_ACCESS_DENIED, SVC_FAIL_ACCESS_DENIED);
    seam.OpenSCManagerW = failing_OpenSCManagerW;
    check_query_fails("OpenSCManagerW RPC server unavailable", RPC_S_SERVER_UNAVAILABLE, SVC_FAIL_UNREACHABLE);
    seam.OpenServiceW = failing_OpenServiceW;
    check_query_fails("OpenServiceW not installed", ERROR_SERVICE_DOES_NOT_EXIST, SVC_FAIL_NOT_INSTALLED);
    seam.OpenServiceW = failing_OpenServiceW;
    check_query_fails("OpenServiceW access denied", ERROR_ACCESS_DENIED, SVC_FAIL_ACCESS_DENIED);
    seam.QueryServiceStatusEx = failing_QueryServiceStatusEx;
    check_query_fails("QueryServiceStatusEx fails", ERROR_ACCESS_DENIED, SVC_FAIL_ACCESS_DENIED);
    seam.QueryServiceConfigW = failing_QueryServiceConfigW;
    check_query_fails("QueryServiceConfigW fails", ERROR_INVALID_HANDLE, SVC_FAIL_OTHER);

    /* A remote name that does not resolve: unreachable, and the SCM is never asked. */
    seam.GetAddrInfoW = failing_GetAddrInfoW;
    seam.OpenSCManagerW = failing_OpenSCManagerW;
    injected_error = WSAHOST_NOT_FOUND;
    result = svc_query(L"\\\\fleet-pc-0042", L"CryptSvc", &info);
    ok(result == WSAHOST_NOT_FOUND, "unresolvable name: got %lu\n", result);
    ok(svc_classify(result) == SVC_FAIL_UNREACHABLE, "unresolvable name is unreachable\n");
    seam_reset();

    /* The registry is only needed for the lists: the rest of the answer still comes back. */
    seam.RegConnectRegistryW = failing_RegConnectRegistryW;
    injected_error = ERROR_ACCESS_DENIED;
    result = svc_query(NULL, L"CryptSvc", &info);
    ok(result == 0, "registry denied: the query itself still works (%lu)\n", result);
    ok(info.depends_count > 0 || info.depends_error == ERROR_ACCESS_DENIED,
       "registry denied: dependencies either came from the SCM or say why not (%lu, %lu)\n",
       info.depends_count, info.depends_error);
    ok(info.dependents_count > 0 || info.dependents_error == ERROR_ACCESS_DENIED,
       "registry denied: dependents say why they are missing (%lu)\n", info.dependents_error);
    seam_reset();
}

/* ---- a fake SCM and a fake clock, to test the waits without waiting ------------------- */

struct fake_service {
    DWORD state;
    DWORD checkpoint;
    DWORD wait_hint;
    int queries;
    int progress_queries;   /* move the checkpoint on this many queries, then stop moving */
    int finish_after;       /* reach the target after this many queries; 0: never */
    DWORD finished_state;
};

static struct fake_service fake;
static ULONGLONG fake_now;
static ULONGLONG fake_slept;

static SC_HANDLE WINAPI fake_OpenSCManagerW(LPCWSTR machine, LPCWSTR database, DWORD access)
{
    (void)machine; (void)database; (void)access;
    return (SC_HANDLE)1;
}

static SC_HANDLE WINAPI fake_OpenServiceW(SC_HANDLE scm, LPCWSTR name, DWORD access)
{
    (void)scm; (void)name; (void)access;
    return (SC_HANDLE)2;
}

static BOOL WINAPI fake_CloseServiceHandle(SC_HANDLE handle)
{
    (void)handle;
    return TRUE;
}

static BOOL WINAPI fake_ControlService(SC_HANDLE service, DWORD control, LPSERVICE_STATUS status)
{
    (void)service; (void)control; (void)status;
    fake.state = SERVICE_STOP_PENDING;
    return TRUE;
}

static BOOL WINAPI fake_QueryServiceStatusEx(SC_HANDLE service, SC_STATUS_TYPE level, LPBYTE buffer, DWORD size,
                                             LPDWORD needed)
{
    SERVICE_STATUS_PROCESS *status = (SERVICE_STATUS_PROCESS *)buffer;
    (void)service; (void)level; (void)size; (void)needed;

    fake.queries++;
    if (fake.queries <= fake.progress_queries) fake.checkpoint++;
    if (fake.finish_after && fake.queries >= fake.finish_after) fake.state = fake.finished_state;
    memset(status, 0, sizeof(*status));
    status->dwCurrentState = fake.state;
    status->dwCheckPoint = fake.checkpoint;
    status->dwWaitHint = fake.wait_hint;
    return TRUE;
}

static ULONGLONG WINAPI fake_GetTickCount64(void)
{
    return fake_now;
}

static void WINAPI fake_Sleep(DWORD ms)
{
    fake_now += ms;
    fake_slept += ms;
}

static void use_fakes(DWORD wait_hint, int progress_queries, int finish_after)
{
    memset(&fake, 0, sizeof(fake));
    fake.state = SERVICE_RUNNING;
    fake.wait_hint = wait_hint;
    fake.progress_queries = progress_queries;
    fake.finish_after = finish_after;
    fake.finished_state = SERVICE_STOPPED;
    fake_now = 1000000;
    fake_slept = 0;
    seam.OpenSCManagerW = fake_OpenSCManagerW;
    seam.OpenServiceW = fake_OpenServiceW;
    seam.CloseServiceHandle = fake_CloseServiceHandle;
    seam.ControlService = fake_ControlService;
    seam.QueryServiceStatusEx = fake_QueryServiceStatusEx;
    seam.GetTickCount64 = fake_GetTickCount64;
    seam.Sleep = fake_Sleep;
}

static void test_waits(void)
{
    struct svc_wait bounds = { 60000, 2000 };
    SERVICE_STATUS_PROCESS final;
    DWORD result;

    /* Hung: the checkpoint never moves. "Not responding" after the hint plus grace. */
    use_fakes(3000, 0, 0);
    result = svc_stop(NULL, L"CryptSvc", &bounds, &final);
    ok(result == ERROR_TIMEOUT, "hung stop: %lu\n", result);
    ok(fake_slept > 5000 && fake_slept <= 5000 + 300, "hung stop gave up after %llu ms (hint 3000 + grace 2000)\n",
       fake_slept);
    ok(final.dwCurrentState == SERVICE_STOP_PENDING, "hung stop leaves stop pending\n");

    /* Slow but alive: 300 checkpoints 300 ms apart is 90 s, well past any one wait hint,
     * and fine as long as it keeps moving; it must still end at the overall bound. */
    use_fakes(3000, 1000, 0);
    result = svc_stop(NULL, L"CryptSvc", &bounds, &final);
    ok(result == ERROR_TIMEOUT, "endless progress ends at the overall bound: %lu\n", result);
    ok(fake_slept >= 60000 && fake_slept <= 60000 + 300, "overall bound after %llu ms\n", fake_slept);

    /* Slow and alive, then done: success, with the checkpoint keeping it going. */
    use_fakes(1000, 100, 100);
    result = svc_stop(NULL, L"CryptSvc", &bounds, &final);
    ok(result == 0, "slow stop that progresses: %lu\n", result);
    ok(fake_slept > 3000, "it waited past one wait hint because the checkpoint moved (%llu ms)\n", fake_slept);
    ok(final.dwCurrentState == SERVICE_STOPPED, "slow stop ends stopped\n");

    /* Polls follow the hint: a tenth of it, between 10 ms and 1 s. */
    use_fakes(0, 0, 4);   /* queries 1-3: before the stop, after it, first poll */
    result = svc_stop(NULL, L"CryptSvc", &bounds, &final);
    ok(result == 0 && fake_slept == 10, "a zero hint polls every 10 ms (slept %llu)\n", fake_slept);

    /* A stop that turns back to running: refused, not a success. */
    use_fakes(1000, 0, 3);
    fake.finished_state = SERVICE_RUNNING;
    result = svc_stop(NULL, L"CryptSvc", &bounds, &final);
    ok(result == ERROR_SERVICE_CANNOT_ACCEPT_CTRL, "stop that turns back: %lu\n", result);
    seam_reset();
}

START_TEST(svc_seam)
{
    test_injected_failures();
    test_waits();
}
