/* tests/wine/test_repair_remote.c: the service-state repairs on "another computer" through the seam, and the refusals. */
#include "test_repair_fixture.h"

#include <stdlib.h>

/* Wine answers a remote OpenSCManagerW from its own SCM, so "fleet-pc-0042" is faked: the name
 * resolves, and the SCM handle returned for "\\fleet-pc-0042" is the real local one, so the
 * stand-in service really changes. Everything else that could touch this computer instead is
 * counted. */
#define REMOTE L"fleet-pc-0042"
#define REMOTE_UNC L"\\\\fleet-pc-0042"

static struct repair_result *result;
static unsigned scm_remote, scm_local, scm_other, resolved, touched, token_calls;
static BOOL deny_connect, deny_change;

static INT WSAAPI fake_GetAddrInfoW(PCWSTR name, PCWSTR service, const ADDRINFOW *hints, PADDRINFOW *out)
{
    if (!_wcsicmp(name, REMOTE)) {
        resolved++;
        *out = NULL;
        return 0;
    }
    return GetAddrInfoW(name, service, hints, out);
}

static SC_HANDLE WINAPI fake_OpenSCManagerW(LPCWSTR machine, LPCWSTR database, DWORD access)
{
    if (!machine) scm_local++;
    else if (!wcscmp(machine, REMOTE_UNC)) scm_remote++;
    else scm_other++;
    if (deny_connect) {
        SetLastError(ERROR_ACCESS_DENIED);
        return NULL;
    }
    return OpenSCManagerW(NULL, database, access);
}

static SC_HANDLE WINAPI fake_OpenServiceW(SC_HANDLE scm, LPCWSTR name, DWORD access)
{
    /* A remote SCM lets anyone query, but only its administrators change or control. */
    if (deny_change && (access & (SERVICE_CHANGE_CONFIG | SERVICE_START | SERVICE_STOP))) {
        SetLastError(ERROR_ACCESS_DENIED);
        return NULL;
    }
    return OpenServiceW(scm, name, access);
}

/* svc_query reads the dependents from its registry (Remote Registry), as services.msc does. */
static LSTATUS WINAPI fake_RegConnectRegistryW(LPCWSTR machine, HKEY root, PHKEY out)
{
    if (machine && !wcscmp(machine, REMOTE_UNC)) return RegConnectRegistryW(NULL, root, out);
    if (!machine) scm_local++;
    else scm_other++;
    return ERROR_BAD_NETPATH;
}

/* Anything that would read or change this computer's files, registry or rights. */
static HANDLE WINAPI count_CreateFileW(LPCWSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES security,
                                       DWORD disposition, DWORD flags, HANDLE template_file)
{
    touched++;
    return CreateFileW(path, access, share, security, disposition, flags, template_file);
}
static BOOL WINAPI count_MoveFileExW(LPCWSTR from, LPCWSTR to, DWORD flags)
{
    touched++;
    return MoveFileExW(from, to, flags);
}
static BOOL WINAPI count_CreateDirectoryW(LPCWSTR path, LPSECURITY_ATTRIBUTES security)
{
    touched++;
    return CreateDirectoryW(path, security);
}
static LSTATUS WINAPI count_RegOpenKeyExW(HKEY key, LPCWSTR subkey, DWORD options, REGSAM access, PHKEY out)
{
    touched++;
    return RegOpenKeyExW(key, subkey, options, access, out);
}
static LSTATUS WINAPI count_RegSetValueExW(HKEY key, LPCWSTR name, DWORD reserved, DWORD type, const BYTE *data,
                                           DWORD size)
{
    touched++;
    return RegSetValueExW(key, name, reserved, type, data, size);
}
static UINT WINAPI count_GetSystemWindowsDirectoryW(LPWSTR buffer, UINT count)
{
    touched++;
    return GetSystemWindowsDirectoryW(buffer, count);
}
static HANDLE WINAPI count_CreateMutexW(LPSECURITY_ATTRIBUTES security, BOOL owned, LPCWSTR name)
{
    touched++;
    return CreateMutexW(security, owned, name);
}
static BOOL WINAPI count_OpenProcessToken(HANDLE process, DWORD access, PHANDLE token)
{
    token_calls++;
    return OpenProcessToken(process, access, token);
}

static void fake_remote(void)
{
    seam_reset();
    seam.GetAddrInfoW = fake_GetAddrInfoW;
    seam.OpenSCManagerW = fake_OpenSCManagerW;
    seam.OpenServiceW = fake_OpenServiceW;
    seam.RegConnectRegistryW = fake_RegConnectRegistryW;
    seam.CreateFileW = count_CreateFileW;
    seam.MoveFileExW = count_MoveFileExW;
    seam.CreateDirectoryW = count_CreateDirectoryW;
    seam.RegOpenKeyExW = count_RegOpenKeyExW;
    seam.RegSetValueExW = count_RegSetValueExW;
    seam.GetSystemWindowsDirectoryW = count_GetSystemWindowsDirectoryW;
    seam.CreateMutexW = count_CreateMutexW;
    seam.OpenProcessToken = count_OpenProcessToken;
    scm_remote = scm_local = scm_other = resolved = touched = token_calls = 0;
    deny_connect = deny_change = FALSE;
}

static void remote_options(struct repair_options *options, const WCHAR *machine)
{
    fx_options(options);
    options->machine = machine;
}

/* The stand-in back to Manual and stopped (recreating it could meet "marked for deletion"). */
static void make_manual_stopped(void)
{
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    SC_HANDLE service = OpenServiceW(scm, fx_service, SERVICE_CHANGE_CONFIG);

    seam_reset();
    ok(ChangeServiceConfigW(service, SERVICE_NO_CHANGE, SERVICE_DEMAND_START, SERVICE_NO_CHANGE, NULL, NULL, NULL,
                            NULL, NULL, NULL, NULL), "set Manual: %lu\n", GetLastError());
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
    svc_stop(NULL, fx_service, NULL, NULL);
    ok(fx_status(fx_service).dwCurrentState == SERVICE_STOPPED, "the stand-in is stopped\n");
}

static BOOL says(const WCHAR *text, const WCHAR *words)
{
    return wcsstr(text, words) != NULL;
}

/* ---- the service-state repairs run there --------------------------------------------------- */

static void test_set_automatic(void)
{
    struct repair_options options;
    DWORD error;

    fx_create_service(fx_service, L"normal", SERVICE_DEMAND_START, L"RpcSs\0", FALSE);
    fake_remote();
    remote_options(&options, REMOTE_UNC);   /* with the backslashes, as sc.exe takes it */
    error = repair_run(REPAIR_SET_AUTOMATIC, &options, result);
    ok(scm_local == 0 && scm_other == 0, "never this computer's SCM instead: %u local, %u other\n", scm_local, scm_other);
    ok(error == 0, "set_automatic on fleet-pc-0042: %lu %ls\n", error, result->message);
    ok(fx_start_type(fx_service) == SERVICE_AUTO_START, "the start type is Automatic\n");
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "and the service runs\n");
    ok(result->state_after == SERVICE_RUNNING, "state_after read there: %lu\n", result->state_after);
    ok(resolved > 0, "the name was resolved (%u)\n", resolved);
    ok(scm_remote > 0, "the SCM of \\\\fleet-pc-0042 was asked (%u times)\n", scm_remote);
    ok(token_calls == 0, "the local elevation check does not apply (%u token calls)\n", token_calls);
    seam_reset();
}

static void test_stop_start_restart(void)
{
    struct repair_options options;
    DWORD pid = fx_status(fx_service).dwProcessId, error;

    fake_remote();
    remote_options(&options, REMOTE);
    error = repair_run(REPAIR_RESTART_SERVICE, &options, result);
    ok(error == 0, "restart_service there: %lu %ls\n", error, result->message);
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING && fx_status(fx_service).dwProcessId != pid,
       "restarted: a new process (%lu, was %lu)\n", fx_status(fx_service).dwProcessId, pid);
    error = repair_run(REPAIR_STOP_SERVICE, &options, result);
    ok(error == 0 && fx_status(fx_service).dwCurrentState == SERVICE_STOPPED, "stop_service there: %lu %ls\n",
       error, result->message);
    error = repair_run(REPAIR_START_SERVICE, &options, result);
    ok(error == 0 && fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "start_service there: %lu %ls\n",
       error, result->message);
    ok(scm_remote > 0 && scm_local == 0 && scm_other == 0, "only its SCM: %u remote, %u local, %u other\n",
       scm_remote, scm_local, scm_other);
    ok(token_calls == 0, "no elevation check (%u)\n", token_calls);
    seam_reset();
}

static void test_start_dependency(void)
{
    struct repair_options options;
    WCHAR dependency[80];
    DWORD error;

    swprintf(dependency, ARRAYSIZE(dependency), L"%lsDep", fx_service);
    fx_create_service(dependency, L"normal", SERVICE_DEMAND_START, NULL, FALSE);
    fake_remote();
    remote_options(&options, REMOTE);
    options.dependency = dependency;
    error = repair_run(REPAIR_START_DEPENDENCY, &options, result);
    ok(error == 0, "start_dependency there: %lu %ls\n", error, result->message);
    ok(fx_status(dependency).dwCurrentState == SERVICE_RUNNING, "the dependency runs\n");
    ok(scm_remote > 0 && scm_local == 0 && scm_other == 0, "only its SCM: %u remote, %u local\n", scm_remote,
       scm_local);
    seam_reset();
    fx_delete_service(dependency);
}

/* ---- the file repairs are refused before anything is touched --------------------------------- */

static void test_refusals(void)
{
    static const enum diag_repair refused[] = { REPAIR_CLEAR_LOGS, REPAIR_REBUILD_CATALOG, REPAIR_REREGISTER_DLLS,
                                                REPAIR_REFRESH_ROOT_LIST, REPAIR_RESET_WINTRUST_STATE };
    struct repair_options options;
    unsigned count_before, count_after;
    unsigned long long before = fx_hash(&count_before);
    WCHAR backup[MAX_PATH];
    DWORD error;

    ok(!repair_runs_remotely(REPAIR_CLEAR_LOGS) && !repair_runs_remotely(REPAIR_RESTORE) &&
       repair_runs_remotely(REPAIR_SET_AUTOMATIC) && repair_runs_remotely(REPAIR_STOP_SERVICE) &&
       repair_runs_remotely(REPAIR_START_DEPENDENCY), "repair_runs_remotely\n");
    for (size_t i = 0; i < ARRAYSIZE(refused); i++) {
        fake_remote();
        remote_options(&options, REMOTE);
        error = repair_describe(refused[i], &options, result);
        ok(error == ERROR_NOT_SUPPORTED, "%s --dry-run refused: %lu\n", repair_id(refused[i]), error);
        error = repair_run(refused[i], &options, result);
        ok(error == ERROR_NOT_SUPPORTED && result->error == ERROR_NOT_SUPPORTED, "%s refused: %lu\n",
           repair_id(refused[i]), error);
        ok(says(result->message, L"run csd on that computer") && says(result->message, REMOTE),
           "%s: the message says where to run it: %ls\n", repair_id(refused[i]), result->message);
        ok(result->step_count == 0, "%s: no step\n", repair_id(refused[i]));
        ok(touched == 0 && scm_remote + scm_local + scm_other == 0 && resolved == 0 && token_calls == 0,
           "%s: refused before anything: %u file/registry/lock calls, %u SCM, %u names, %u token\n",
           repair_id(refused[i]), touched, scm_remote + scm_local + scm_other, resolved, token_calls);
    }
    fake_remote();
    remote_options(&options, REMOTE);
    swprintf(backup, ARRAYSIZE(backup), L"%ls\\backups\\20260101-000000-clear_logs", fx_data);
    error = repair_restore(backup, &options, result);
    ok(error == ERROR_NOT_SUPPORTED && says(result->message, L"run csd on that computer"), "restore refused: %lu %ls\n",
       error, result->message);
    ok(touched == 0 && resolved == 0, "restore: nothing touched (%u, %u)\n", touched, resolved);
    ok(fx_hash(&count_after) == before && count_after == count_before, "the private Windows folder is unchanged\n");
    seam_reset();

    /* This computer by another name is not remote: clear_logs is planned, not refused. */
    remote_options(&options, L"localhost");
    error = repair_describe(REPAIR_CLEAR_LOGS, &options, result);
    ok(error == 0, "clear_logs on localhost is local: %lu %ls\n", error, result->message);
}

/* fix on another computer: the refused repair is reported, the service-state one still runs. */
static void test_fix_all(void)
{
    static const enum diag_repair plan[] = { REPAIR_CLEAR_LOGS, REPAIR_SET_AUTOMATIC };
    struct repair_result *results = calloc(ARRAYSIZE(plan), sizeof(*results));
    struct repair_options options;
    unsigned count_before, count_after;
    unsigned long long before = fx_hash(&count_before);
    size_t ran = 0;
    DWORD error;

    make_manual_stopped();
    fake_remote();
    remote_options(&options, REMOTE);
    error = repair_fix_all(plan, ARRAYSIZE(plan), &options, NULL, results, &ran);
    ok(scm_local == 0 && scm_other == 0, "only its SCM (%u local)\n", scm_local);
    ok(error == 0 && ran == 2, "fix_all there: %lu, ran %u\n", error, (unsigned)ran);
    ok(results[0].error == ERROR_NOT_SUPPORTED && says(results[0].message, L"run csd on that computer"),
       "clear_logs refused in the results: %lu %ls\n", results[0].error, results[0].message);
    ok(results[1].error == 0 && fx_start_type(fx_service) == SERVICE_AUTO_START &&
       fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "set_automatic ran: %ls\n", results[1].message);
    ok(fx_hash(&count_after) == before && count_after == count_before, "no file moved\n");
    seam_reset();
    free(results);
}

/* ---- unreachable and access denied --------------------------------------------------------- */

static void test_unreachable(void)
{
    struct repair_options options;
    DWORD type = fx_start_type(fx_service), error;
    ULONGLONG start;

    make_manual_stopped();
    type = fx_start_type(fx_service);
    remote_options(&options, L"csd-no-such-host.invalid");   /* a real lookup: .invalid never resolves */
    start = GetTickCount64();
    error = repair_run(REPAIR_SET_AUTOMATIC, &options, result);
    ok(svc_classify(error) == SVC_FAIL_UNREACHABLE, "unknown name: %lu (%ls)\n", error, result->message);
    ok(GetTickCount64() - start < 10000, "fails fast: %llu ms\n", GetTickCount64() - start);
    ok(result->step_count == 0 || fx_count_steps(result, REPAIR_STEP_DONE) == 0, "nothing done\n");
    ok(fx_start_type(fx_service) == type && fx_status(fx_service).dwCurrentState == SERVICE_STOPPED,
       "this computer's service untouched\n");
    options.dependency = L"RpcSs";
    error = repair_run(REPAIR_START_DEPENDENCY, &options, result);
    ok(svc_classify(error) == SVC_FAIL_UNREACHABLE, "start_dependency, unknown name: %lu\n", error);
}

static void test_access_denied(void)
{
    struct repair_options options;
    DWORD type = fx_start_type(fx_service), error;

    fake_remote();
    deny_change = TRUE;   /* connects and reads, may not change: not an administrator there */
    remote_options(&options, REMOTE);
    error = repair_run(REPAIR_SET_AUTOMATIC, &options, result);
    ok(error == ERROR_ACCESS_DENIED && svc_classify(error) == SVC_FAIL_ACCESS_DENIED,
       "denied by its SCM: %lu %ls\n", error, result->message);
    ok(fx_start_type(fx_service) == type, "start type unchanged\n");
    ok(token_calls == 0, "no local elevation check (%u)\n", token_calls);

    fake_remote();
    deny_connect = TRUE;
    remote_options(&options, REMOTE);
    error = repair_run(REPAIR_START_SERVICE, &options, result);
    ok(error == ERROR_ACCESS_DENIED, "denied at connect: %lu %ls\n", error, result->message);
    ok(fx_status(fx_service).dwCurrentState == SERVICE_STOPPED, "still stopped\n");
    ok(touched == 0, "nothing touched when planning failed (%u)\n", touched);
    seam_reset();
}

START_TEST(repair_remote)
{
    if (!fx_find_standin()) {
        skip("csd-standin.exe is not beside the test\n");
        return;
    }
    result = calloc(1, sizeof(*result));
    fx_setup(L"rem");
    fx_remove_tree(fx_root);
    fx_make_tree();

    test_set_automatic();
    test_stop_start_restart();
    test_start_dependency();
    test_refusals();
    test_fix_all();
    test_unreachable();
    test_access_denied();

    seam_reset();
    fx_delete_service(fx_service);
    fx_remove_tree(fx_root);
    free(result);
}
