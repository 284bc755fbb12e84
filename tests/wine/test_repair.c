/* tests/wine/test_repair.c: every repair end to end against Wine's real SCM, the stand-in service and private folders. */
#include "test_repair_fixture.h"

#include "pure/manifest.h"

#include <stdlib.h>

static struct repair_result *result;   /* big: on the heap */
static unsigned progress_calls;
static unsigned cancel_at = ~0u;
static int confirm_answer;
static unsigned confirm_calls;
static enum repair_question last_question;

static enum repair_answer on_progress(void *context, unsigned index, unsigned count, const WCHAR *text)
{
    (void)context;
    progress_calls++;
    ok(index < count && text && *text, "progress %u/%u has text\n", index, count);
    return index == cancel_at ? REPAIR_CANCEL : REPAIR_CONTINUE;
}

static BOOL on_confirm(void *context, enum repair_question question, const WCHAR *text)
{
    (void)context;
    confirm_calls++;
    last_question = question;
    trace("asked: %ls\n", text);
    return confirm_answer;
}

static void options_for(struct repair_options *options)
{
    fx_options(options);
    options->progress = on_progress;
    options->confirm = on_confirm;
    progress_calls = 0;
    confirm_calls = 0;
    cancel_at = ~0u;
    confirm_answer = 0;
}

static size_t manifest_moves(const WCHAR *backup, struct manifest *m)
{
    WCHAR path[MAX_PATH];
    char *text;
    DWORD size, got = 0;
    HANDLE file;
    char why[100];
    size_t bad;

    swprintf(path, ARRAYSIZE(path), L"%ls\\manifest.txt", backup);
    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (!ok(file != INVALID_HANDLE_VALUE, "manifest %ls opens\n", path)) return 0;
    size = GetFileSize(file, NULL);
    text = malloc(size + 1);
    ReadFile(file, text, size, &got, NULL);
    CloseHandle(file);
    memset(m, 0, sizeof(*m));
    bad = manifest_parse(text, got, m, why, sizeof(why));
    free(text);
    ok(bad == 0, "manifest parses (line %u: %s)\n", (unsigned)bad, why);
    return bad ? 0 : m->count;
}

/* ---- clear the logs, then restore ----------------------------------------------------------- */

static void test_dry_run(void)
{
    struct repair_options options;
    unsigned long long before = fx_hash(NULL);
    DWORD error;

    options_for(&options);
    error = repair_describe(REPAIR_CLEAR_LOGS, &options, result);
    ok(error == 0, "describe clear logs: %lu\n", error);
    ok(result->step_count >= 6, "a plan of several steps: %u\n", result->step_count);
    ok(fx_count_steps(result, REPAIR_STEP_PLANNED) == result->step_count, "all steps only planned\n");
    ok(progress_calls == 0, "a dry run reports no progress\n");
    ok(fx_hash(NULL) == before, "a dry run changes nothing on disk\n");
    ok(GetFileAttributesW(fx_data) == INVALID_FILE_ATTRIBUTES, "a dry run creates no data folder\n");
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "a dry run leaves the service running\n");
    fx_dump(result);
}

static void test_clear_logs_and_restore(void)
{
    struct repair_options options;
    unsigned before_count, after_count;
    unsigned long long before = fx_hash(&before_count);
    DWORD pid_before = fx_status(fx_service).dwProcessId, error;
    struct manifest m;
    WCHAR backup[MAX_PATH], log[MAX_PATH];

    options_for(&options);
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    fx_dump(result);
    ok(error == 0, "clear logs: %lu %ls\n", error, result->message);
    ok(progress_calls == result->step_count, "progress for every step (%u of %u)\n", progress_calls,
       result->step_count);
    ok(!fx_exists(L"System32\\catroot2\\edb.log") && !fx_exists(L"System32\\catroot2\\edb00001.log") &&
       !fx_exists(L"System32\\catroot2\\Edb00002.LOG"), "catroot2 Edb*.log are gone\n");
    ok(fx_exists(L"System32\\catroot2\\edb.chk") && fx_exists(L"System32\\catroot2\\edbres00001.jrs") &&
       fx_exists(L"System32\\catroot2\\{F750E6C3-38EE-11D1-85E5-00C04FC295EE}\\catdb"),
       "everything else in catroot2 stays\n");
    ok(!fx_exists(L"security\\Database\\edb.log") && !fx_exists(L"security\\Database\\edb00007.log") &&
       fx_exists(L"security\\Database\\secedit.sdb"), "the security database's logs are gone, the database stays\n");
    ok(result->moved == 5, "5 files moved, got %u\n", result->moved);
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "service running after\n");
    ok(fx_status(fx_service).dwProcessId != pid_before, "service was restarted (new pid)\n");
    ok(result->state_before == SERVICE_RUNNING && result->state_after == SERVICE_RUNNING, "states in the result\n");
    ok(result->backup_dir[0] != 0, "a backup folder: %ls\n", result->backup_dir);
    wcscpy(backup, result->backup_dir);
    if (manifest_moves(backup, &m)) {
        ok(m.count == 5, "manifest lists 5 moves, got %u\n", (unsigned)m.count);
        ok(!strcmp(m.repair, "clear_logs"), "manifest names the repair\n");
        manifest_free(&m);
    }
    swprintf(log, ARRAYSIZE(log), L"%ls\\repair.log", fx_data);
    {
        HANDLE file = CreateFileW(log, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        char text[8192] = "";
        DWORD got = 0;
        ok(file != INVALID_HANDLE_VALUE, "the log exists\n");
        ReadFile(file, text, sizeof(text) - 1, &got, NULL);
        CloseHandle(file);
        text[got] = 0;
        ok(strstr(text, "[clear_logs] step 3/6 Move catroot2\\Edb*.log to the backup: done (0) 3 moved") != NULL,
           "the log has each step with its result\n");
        ok(strlen(text) > 20 && text[4] == '-' && text[10] == 'T' && text[23] == 'Z', "each line starts with the time\n");
    }

    /* A second run in the same second gets its own folder. */
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    ok(error == 0, "second clear logs (nothing to move): %lu\n", error);
    ok(wcscmp(result->backup_dir, backup) != 0, "a new backup folder, never the old one: %ls\n", result->backup_dir);
    ok(result->moved == 0, "nothing moved the second time\n");

    options_for(&options);
    error = repair_restore(backup, &options, result);
    fx_dump(result);
    ok(error == 0, "restore: %lu %ls\n", error, result->message);
    ok(fx_hash(&after_count) == before && after_count == before_count, "after restore the tree is identical (%u/%u)\n",
       after_count, before_count);
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "service running after restore\n");
    if (manifest_moves(backup, &m)) {
        ok(m.count == 5 && m.entries[0].state == MANIFEST_RESTORED && m.entries[4].state == MANIFEST_RESTORED,
           "the manifest marks them restored\n");
        manifest_free(&m);
    }
    error = repair_restore(backup, &options, result);
    ok(error == 0 && fx_hash(NULL) == before, "a second restore changes nothing: %lu\n", error);
}

static void test_light_cure(void)
{
    struct repair_options options;
    unsigned long long before = fx_hash(NULL);
    DWORD error;
    WCHAR backup[MAX_PATH];

    options_for(&options);
    options.light_cure = TRUE;
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    ok(error == 0, "light cure: %lu\n", error);
    ok(!fx_exists(L"System32\\catroot2\\edb.log") && fx_exists(L"System32\\catroot2\\edb00001.log") &&
       fx_exists(L"security\\Database\\edb.log"), "only Edb.log was set aside\n");
    ok(result->moved == 1, "one file moved: %u\n", result->moved);
    wcscpy(backup, result->backup_dir);
    error = repair_restore(backup, &options, result);
    ok(error == 0 && fx_hash(NULL) == before, "restored: %lu\n", error);
}

static void test_cancel(void)
{
    struct repair_options options;
    unsigned long long before = fx_hash(NULL);
    DWORD error;
    unsigned last;

    options_for(&options);
    repair_describe(REPAIR_CLEAR_LOGS, &options, result);
    last = result->step_count - 1;          /* cancel before the final step: everything is undone */
    cancel_at = last;
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    fx_dump(result);
    ok(error == ERROR_CANCELLED && result->cancelled && result->rolled_back, "cancelled: %lu\n", error);
    ok(fx_hash(NULL) == before, "cancel puts every file back\n");
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "cancel leaves the service running\n");
    ok(result->steps[last].status == REPAIR_STEP_PLANNED, "the cancelled step did not run\n");
    ok(fx_count_steps(result, REPAIR_STEP_UNDONE) >= 2, "steps were undone\n");
}

/* ---- rebuild ---------------------------------------------------------------------------------------- */

static void test_rebuild(void)
{
    struct repair_options options;
    unsigned long long before = fx_hash(NULL);
    WCHAR backup[MAX_PATH];
    const struct repair_step_result *verify = NULL;
    DWORD error;

    options_for(&options);
    error = repair_run(REPAIR_REBUILD_CATALOG, &options, result);
    fx_dump(result);
    ok(error == 0, "rebuild: %lu %ls\n", error, result->message);
    ok(!fx_exists(L"System32\\catroot2"), "catroot2 moved away (the stand-in does not make a new one)\n");
    ok(fx_exists(L"System32\\catroot\\{F750E6C3-38EE-11D1-85E5-00C04FC295EE}\\nt5.cat"), "catroot is untouched\n");
    ok(!fx_exists(L"System32\\catroot\\{F750E6C3-38EE-11D1-85E5-00C04FC295EE}\\tmp1234.cat") &&
       !fx_exists(L"System32\\catroot\\{127D0A1D-4EF2-11D1-8608-00C04FC295EE}\\tmpab.cat"), "tmp*.cat set aside\n");
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "service runs after rebuild\n");
    for (unsigned i = 0; i < result->step_count; i++)
        if (wcsstr(result->steps[i].text, L"Check that")) verify = &result->steps[i];
    ok(verify && verify->status == REPAIR_STEP_WARNING && wcsstr(verify->detail, L"could not check"),
       "verification says honestly what it could not check\n");
    wcscpy(backup, result->backup_dir);
    /* Windows would have made a new catroot2 by now: restore must set it aside, not merge into it. */
    fx_write(L"System32\\catroot2\\edb.log", "a new log from the new database");
    error = repair_restore(backup, &options, result);
    fx_dump(result);
    ok(error == 0, "restore rebuild: %lu\n", error);
    ok(fx_hash(NULL) == before, "after restore the tree is identical\n");
    {
        WCHAR aside[MAX_PATH];
        swprintf(aside, ARRAYSIZE(aside), L"%ls\\aside\\1-catroot2\\edb.log", backup);
        ok(GetFileAttributesW(aside) != INVALID_FILE_ATTRIBUTES, "the new catroot2 was set aside into the backup\n");
    }
}

/* ---- locked folder: finish at the next restart ------------------------------------------------------ */

static BOOL pending_lists(const WCHAR *path)
{
    HKEY key;
    WCHAR *list;
    DWORD size = 0, type;
    BOOL found = FALSE;
    WCHAR want[MAX_PATH];

    swprintf(want, ARRAYSIZE(want), L"\\??\\%ls", path);
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\Session Manager", 0, KEY_QUERY_VALUE,
                      &key))
        return FALSE;
    if (!RegQueryValueExW(key, L"PendingFileRenameOperations", NULL, &type, NULL, &size) &&
        (list = calloc(1, size + 4))) {
        RegQueryValueExW(key, L"PendingFileRenameOperations", NULL, &type, (BYTE *)list, &size);
        for (WCHAR *p = list; *p; p += wcslen(p) + 1)
            if (!_wcsicmp(p, want)) found = TRUE;
        free(list);
    }
    RegCloseKey(key);
    return found;
}

static void test_locked_folder(void)
{
    struct repair_options options;
    unsigned long long before = fx_hash(NULL);
    WCHAR catroot2[MAX_PATH], backup[MAX_PATH];
    HANDLE lock;
    DWORD error;

    fx_path(catroot2, L"System32\\catroot2");
    /* A handle to the folder itself without FILE_SHARE_DELETE: Wine then refuses the rename, as
     * Windows does for a folder with open files in it. */
    lock = CreateFileW(catroot2, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_FLAG_BACKUP_SEMANTICS, NULL);
    ok(lock != INVALID_HANDLE_VALUE, "lock catroot2: %lu\n", GetLastError());

    options_for(&options);
    confirm_answer = 0;
    error = repair_run(REPAIR_REBUILD_CATALOG, &options, result);
    ok(error == ERROR_SHARING_VIOLATION || error == ERROR_ACCESS_DENIED, "declined: the rebuild fails (%lu)\n", error);
    ok(confirm_calls == 1 && last_question == REPAIR_ASK_DELAY_UNTIL_REBOOT, "asked once to move at restart\n");
    ok(result->rolled_back && fx_hash(NULL) == before, "declined: everything as before\n");
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "declined: service running\n");

    options_for(&options);
    confirm_answer = 1;
    error = repair_run(REPAIR_REBUILD_CATALOG, &options, result);
    fx_dump(result);
    ok(error == 0, "accepted: %lu %ls\n", error, result->message);
    ok(result->pending_reboot, "reported as pending\n");
    ok(fx_count_steps(result, REPAIR_STEP_PENDING_REBOOT) == 1, "one step waits for the restart\n");
    ok(pending_lists(catroot2), "PendingFileRenameOperations lists catroot2\n");
    ok(fx_exists(L"System32\\catroot2\\edb.log"), "catroot2 is still there until the restart\n");
    CloseHandle(lock);
    wcscpy(backup, result->backup_dir);

    /* Restore takes the pending rename back off the list, and the tmp*.cat back. */
    error = repair_restore(backup, &options, result);
    fx_dump(result);
    ok(error == 0, "restore of a pending rebuild: %lu\n", error);
    ok(!pending_lists(catroot2), "the pending rename was taken off the list\n");
    ok(fx_hash(NULL) == before, "tree identical after restore\n");
}

/* ---- service repairs --------------------------------------------------------------------------------- */

static void test_set_automatic(void)
{
    struct repair_options options;
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    SC_HANDLE service = OpenServiceW(scm, fx_service, SERVICE_ALL_ACCESS);
    DWORD error;

    ok(svc_stop(NULL, fx_service, NULL, NULL) == 0, "stop for the test\n");
    ChangeServiceConfigW(service, SERVICE_NO_CHANGE, SERVICE_DEMAND_START, SERVICE_NO_CHANGE, NULL, NULL, NULL, NULL,
                         NULL, NULL, NULL);
    options_for(&options);
    error = repair_run(REPAIR_SET_AUTOMATIC, &options, result);
    fx_dump(result);
    ok(error == 0, "set automatic: %lu\n", error);
    ok(fx_start_type(fx_service) == SERVICE_AUTO_START, "start type is Automatic\n");
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "and it was started\n");
    ok(!result->start_type_not_kept, "the start type stayed\n");

    /* A failure after the change undoes it: demand again, stopped again. */
    ok(svc_stop(NULL, fx_service, NULL, NULL) == 0, "stop for the test\n");
    ChangeServiceConfigW(service, SERVICE_NO_CHANGE, SERVICE_DEMAND_START, SERVICE_NO_CHANGE, NULL, NULL, NULL, NULL,
                         NULL, NULL, NULL);
    fx_set_mode(fx_service, L"failstart");
    error = repair_run(REPAIR_SET_AUTOMATIC, &options, result);
    fx_dump(result);
    ok(error == ERROR_SERVICE_SPECIFIC_ERROR, "a service that fails to start: %lu\n", error);
    ok(fx_start_type(fx_service) == SERVICE_DEMAND_START, "start type put back to Manual\n");
    fx_set_mode(fx_service, L"normal");
    ok(svc_start(NULL, fx_service, NULL, NULL) == 0, "start again\n");
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
}

static void test_restart_with_dependents(void)
{
    struct repair_options options;
    WCHAR dependent[64], depends[80] = { 0 };
    DWORD pid, dependent_pid, error;

    swprintf(dependent, ARRAYSIZE(dependent), L"%lsDep", fx_service);
    wcscpy(depends, fx_service);
    if (!fx_create_service(dependent, L"normal", SERVICE_DEMAND_START, depends, TRUE)) return;
    pid = fx_status(fx_service).dwProcessId;
    dependent_pid = fx_status(dependent).dwProcessId;

    options_for(&options);
    error = repair_describe(REPAIR_RESTART_SERVICE, &options, result);
    ok(error == 0 && result->step_count == 4, "restart plan: stop dependents, stop, start, start dependents (%u)\n",
       result->step_count);
    ok(wcsstr(result->steps[0].text, dependent) != NULL, "the plan names the dependent: %ls\n", result->steps[0].text);
    error = repair_run(REPAIR_RESTART_SERVICE, &options, result);
    fx_dump(result);
    ok(error == 0, "restart: %lu\n", error);
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING && fx_status(fx_service).dwProcessId != pid,
       "service restarted\n");
    ok(fx_status(dependent).dwCurrentState == SERVICE_RUNNING && fx_status(dependent).dwProcessId != dependent_pid,
       "dependent stopped and started again\n");
    fx_delete_service(dependent);
}

/* Wine's EnumDependentServices is a stub: fake it to name a service that is not in the registry links. */
static WCHAR fake_dependent[64];

static BOOL WINAPI fake_EnumDependentServicesW(SC_HANDLE service, DWORD state, LPENUM_SERVICE_STATUSW services,
                                               DWORD size, LPDWORD needed, LPDWORD count)
{
    DWORD want = sizeof(ENUM_SERVICE_STATUSW) + (DWORD)(wcslen(fake_dependent) + 1) * sizeof(WCHAR);
    (void)service; (void)state;
    *needed = want;
    *count = 0;
    if (size < want) {
        SetLastError(ERROR_MORE_DATA);
        return FALSE;
    }
    memset(services, 0, sizeof(*services));
    services->lpServiceName = (WCHAR *)(services + 1);
    wcscpy(services->lpServiceName, fake_dependent);
    services->lpDisplayName = services->lpServiceName;
    services->ServiceStatus.dwCurrentState = SERVICE_RUNNING;
    *count = 1;
    return TRUE;
}

static void test_dependents_through_seam(void)
{
    struct repair_options options;
    DWORD dependent_pid, error;

    swprintf(fake_dependent, ARRAYSIZE(fake_dependent), L"%lsSeam", fx_service);
    if (!fx_create_service(fake_dependent, L"normal", SERVICE_DEMAND_START, NULL, TRUE)) return;
    dependent_pid = fx_status(fake_dependent).dwProcessId;
    seam.EnumDependentServicesW = fake_EnumDependentServicesW;
    options_for(&options);
    error = repair_run(REPAIR_RESTART_SERVICE, &options, result);
    seam_reset();
    fx_dump(result);
    ok(error == 0, "restart with a dependent from EnumDependentServices: %lu\n", error);
    ok(result->step_count == 4 && wcsstr(result->steps[0].text, fake_dependent), "its stop is a step\n");
    ok(fx_status(fake_dependent).dwCurrentState == SERVICE_RUNNING &&
       fx_status(fake_dependent).dwProcessId != dependent_pid, "the dependent was stopped and started again\n");
    fx_delete_service(fake_dependent);
}

/* ---- misbehaving services ------------------------------------------------------------------------------ */

static DWORD fake_pid;
static BOOL WINAPI shared_EnumServicesStatusExW(SC_HANDLE scm, SC_ENUM_TYPE level, DWORD type, DWORD state,
                                                LPBYTE buffer, DWORD size, LPDWORD needed, LPDWORD count,
                                                LPDWORD resume, LPCWSTR group)
{
    ENUM_SERVICE_STATUS_PROCESSW *out = (ENUM_SERVICE_STATUS_PROCESSW *)buffer;
    DWORD want = 2 * sizeof(*out) + 64 * sizeof(WCHAR);
    (void)scm; (void)level; (void)type; (void)state; (void)resume; (void)group;
    *needed = want;
    *count = 0;
    if (size < want) {
        SetLastError(ERROR_MORE_DATA);
        return FALSE;
    }
    memset(out, 0, 2 * sizeof(*out));
    out[0].lpServiceName = (WCHAR *)(out + 2);
    wcscpy(out[0].lpServiceName, fx_service);
    out[1].lpServiceName = out[0].lpServiceName + wcslen(fx_service) + 1;
    wcscpy(out[1].lpServiceName, L"OtherSvc");
    out[0].ServiceStatusProcess.dwProcessId = out[1].ServiceStatusProcess.dwProcessId = fake_pid;
    *count = 2;
    return TRUE;
}

static void test_hung_stop(void)
{
    struct repair_options options;
    unsigned long long before = fx_hash(NULL);
    SERVICE_STATUS_PROCESS status;
    HANDLE process;
    DWORD error;

    ok(svc_stop(NULL, fx_service, NULL, NULL) == 0, "stop for the test\n");
    fx_set_mode(fx_service, L"hangstop");
    ok(svc_start(NULL, fx_service, NULL, NULL) == 0, "start in hangstop mode\n");
    status = fx_status(fx_service);

    /* Its process shares the PID with another service: never offered. */
    fake_pid = status.dwProcessId;
    seam.EnumServicesStatusExW = shared_EnumServicesStatusExW;
    options_for(&options);
    confirm_answer = 1;
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    seam_reset();
    fx_dump(result);
    ok(error == ERROR_TIMEOUT, "hung stop aborts: %lu\n", error);
    ok(confirm_calls == 0, "a shared process is never offered for ending\n");
    ok(wcsstr(result->message, L"OtherSvc") != NULL, "the message names who shares it: %ls\n", result->message);
    ok(fx_hash(NULL) == before, "no file touched\n");

    /* Its own process, the user says no: abort with a clear message, nothing touched. */
    options_for(&options);
    confirm_answer = 0;
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    ok(error == ERROR_TIMEOUT && confirm_calls == 1 && last_question == REPAIR_ASK_END_PROCESS,
       "asked to end the process (%lu, %u)\n", error, confirm_calls);
    ok(wcsstr(result->message, L"did not stop") != NULL, "clear message: %ls\n", result->message);
    ok(fx_hash(NULL) == before, "no file touched\n");

    /* The user says yes: the process is ended. Wine's SCM never notices, so it must say so. */
    options_for(&options);
    confirm_answer = 1;
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    fx_dump(result);
    process = OpenProcess(SYNCHRONIZE, FALSE, status.dwProcessId);
    ok(!process || WaitForSingleObject(process, 0) == WAIT_OBJECT_0, "the hung process was ended\n");
    if (process) CloseHandle(process);
    if (fx_status(fx_service).dwCurrentState == SERVICE_STOPPED) {
        ok(error == 0, "Windows-like SCM: the repair went on: %lu\n", error);
    } else {
        ok(error == ERROR_SERVICE_REQUEST_TIMEOUT, "Wine's SCM still says stopping: the repair stops (%lu)\n", error);
        ok(wcsstr(result->message, L"still reports") != NULL, "and says why: %ls\n", result->message);
        ok(fx_hash(NULL) == before, "no file touched\n");
    }
    /* The service is wedged in Wine's SCM now: make a fresh one. */
    fx_create_service(fx_service, L"normal", SERVICE_DEMAND_START, L"RpcSs\0", TRUE);
}

static void test_refuse_and_fail(void)
{
    struct repair_options options;
    unsigned long long before = fx_hash(NULL);
    DWORD error;

    fx_create_service(fx_service, L"refusestop", SERVICE_DEMAND_START, L"RpcSs\0", TRUE);
    options_for(&options);
    error = repair_run(REPAIR_REBUILD_CATALOG, &options, result);
    ok(error == ERROR_INVALID_SERVICE_CONTROL, "refused stop: %lu\n", error);
    ok(wcsstr(result->message, L"refuses to stop") != NULL, "message: %ls\n", result->message);
    ok(fx_hash(NULL) == before && fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "nothing touched\n");

    /* A service that cannot start: the moves are undone and it stays stopped, as it was. */
    fx_create_service(fx_service, L"failstart", SERVICE_DEMAND_START, L"RpcSs\0", FALSE);
    options_for(&options);
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    fx_dump(result);
    ok(error == ERROR_SERVICE_SPECIFIC_ERROR, "failed start: %lu\n", error);
    ok(result->rolled_back && fx_hash(NULL) == before, "the logs are back\n");
    ok(fx_status(fx_service).dwCurrentState == SERVICE_STOPPED, "stopped, as before\n");

    /* A service that crashes while starting: Wine's SCM waits for it, we stop at the bound. */
    fx_create_service(fx_service, L"crash", SERVICE_DEMAND_START, L"RpcSs\0", FALSE);
    options_for(&options);
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    fx_dump(result);
    ok(error != 0, "crash on start fails the repair: %lu\n", error);
    ok(result->rolled_back && fx_hash(NULL) == before, "the logs are back after a crash\n");

    /* Slow but healthy: the waits follow the checkpoints. */
    fx_create_service(fx_service, L"slowstart", SERVICE_DEMAND_START, L"RpcSs\0", TRUE);
    options_for(&options);
    {
        ULONGLONG start = GetTickCount64();
        error = repair_run(REPAIR_RESTART_SERVICE, &options, result);
        ok(error == 0, "restart a slow starter: %lu\n", error);
        ok(GetTickCount64() - start >= 1300, "it waited for the slow start\n");
    }
    fx_create_service(fx_service, L"normal", SERVICE_DEMAND_START, L"RpcSs\0", TRUE);
}

/* ---- rights and the lock -------------------------------------------------------------------------------- */

static BOOL WINAPI not_elevated(HANDLE token, TOKEN_INFORMATION_CLASS level, LPVOID info, DWORD length, PDWORD needed)
{
    (void)token; (void)length;
    if (level != TokenElevation) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ((TOKEN_ELEVATION *)info)->TokenIsElevated = 0;
    *needed = sizeof(TOKEN_ELEVATION);
    return TRUE;
}

static DWORD WINAPI hold_lock(void *event)
{
    HANDLE mutex = CreateMutexW(NULL, TRUE, fx_lock);
    WaitForSingleObject(event, INFINITE);
    ReleaseMutex(mutex);
    CloseHandle(mutex);
    return 0;
}

static void test_rights_and_lock(void)
{
    struct repair_options options;
    unsigned long long before = fx_hash(NULL);
    HANDLE release, thread;
    DWORD error;

    seam.GetTokenInformation = not_elevated;
    options_for(&options);
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    seam_reset();
    ok(error == ERROR_ELEVATION_REQUIRED, "not elevated: %lu\n", error);
    ok(wcsstr(result->message, L"administrator") != NULL, "says so: %ls\n", result->message);
    ok(progress_calls == 0 && fx_hash(NULL) == before, "nothing ran\n");

    release = CreateEventW(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, hold_lock, release, 0, NULL);
    Sleep(100);
    options_for(&options);
    error = repair_run(REPAIR_CLEAR_LOGS, &options, result);
    ok(error == ERROR_BUSY, "another repair holds the lock: %lu\n", error);
    ok(wcsstr(result->message, L"Another repair is running") != NULL, "says so: %ls\n", result->message);
    ok(progress_calls == 0 && fx_hash(NULL) == before, "nothing ran\n");
    SetEvent(release);
    WaitForSingleObject(thread, 5000);
    CloseHandle(thread);
    CloseHandle(release);
}

/* ---- DLLs, root list, WinTrust, fix all ----------------------------------------------------------- */

static void test_dlls(void)
{
    struct repair_options options;
    DWORD error;
    unsigned done;

    options_for(&options);
    error = repair_run(REPAIR_REREGISTER_DLLS, &options, result);
    fx_dump(result);
    done = fx_count_steps(result, REPAIR_STEP_DONE) + fx_count_steps(result, REPAIR_STEP_WARNING);
    ok(result->step_count == 9, "nine DLLs of KB822798\n");
    ok(done + fx_count_steps(result, REPAIR_STEP_SKIPPED) + fx_count_steps(result, REPAIR_STEP_FAILED) == 9,
       "each has a result\n");
    ok(result->steps[0].status == REPAIR_STEP_DONE, "softpub registered: %ls\n", result->steps[0].detail);
    ok(error == 0 || fx_count_steps(result, REPAIR_STEP_FAILED) > 0, "error %lu only with a failed DLL\n", error);
}

static void test_root_list(void)
{
    struct repair_options options;
    unsigned long long before = fx_hash(NULL);
    DWORD error;
    WCHAR backup[MAX_PATH];

    options_for(&options);
    error = repair_run(REPAIR_REFRESH_ROOT_LIST, &options, result);
    fx_dump(result);
    ok(error == 0, "refresh root list: %lu\n", error);
    ok(!fx_exists(L"ServiceProfiles\\NetworkService\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content") &&
       !fx_exists(L"System32\\config\\systemprofile\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content"),
       "the caches were moved\n");
    ok(fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "service running\n");
    wcscpy(backup, result->backup_dir);
    error = repair_restore(backup, &options, result);
    ok(error == 0 && fx_hash(NULL) == before, "restored: %lu\n", error);
}

static DWORD read_state(const WCHAR *key_name, DWORD *value)
{
    DWORD size = sizeof(*value);
    return (DWORD)RegGetValueW(HKEY_CURRENT_USER, key_name, L"State", RRF_RT_REG_DWORD, NULL, value, &size);
}

static void test_wintrust(void)
{
    struct repair_options options;
    WCHAR key_name[200];
    HKEY key;
    DWORD value = 0x12345, error;
    WCHAR backup[MAX_PATH];

    swprintf(key_name, ARRAYSIZE(key_name), L"Software\\CsdRepairTest%lu\\Software Publishing", GetCurrentProcessId());
    RegCreateKeyExW(HKEY_CURRENT_USER, key_name, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL);
    RegSetValueExW(key, L"State", 0, REG_DWORD, (BYTE *)&value, sizeof(value));
    options_for(&options);
    options.wintrust_root = HKEY_CURRENT_USER;
    options.wintrust_key = key_name;
    error = repair_run(REPAIR_RESET_WINTRUST_STATE, &options, result);
    fx_dump(result);
    ok(error == 0, "wintrust: %lu\n", error);
    ok(!read_state(key_name, &value) && value == 0x23c00, "State is 0x23c00: %lx\n", value);
    wcscpy(backup, result->backup_dir);
    error = repair_run(REPAIR_RESET_WINTRUST_STATE, &options, result);
    ok(error == 0 && fx_count_steps(result, REPAIR_STEP_SKIPPED) == 1, "second time: already the default\n");
    error = repair_restore(backup, &options, result);
    fx_dump(result);
    ok(error == 0 && !read_state(key_name, &value) && value == 0x12345, "restore puts the old value back: %lx\n",
       value);
    RegCloseKey(key);
    swprintf(key_name, ARRAYSIZE(key_name), L"Software\\CsdRepairTest%lu", GetCurrentProcessId());
    RegDeleteTreeW(HKEY_CURRENT_USER, key_name);
}

static unsigned rediagnosed;
static DWORD on_rediagnose(void *context)
{
    (void)context;
    rediagnosed++;
    return 0;
}

static void test_fix_all(void)
{
    static const enum diag_repair plan[] = { REPAIR_SET_AUTOMATIC, REPAIR_CLEAR_LOGS, REPAIR_RESTART_SERVICE };
    struct repair_result *results = calloc(3, sizeof(*results));
    struct repair_options options;
    size_t ran = 0;
    DWORD error;

    options_for(&options);
    error = repair_fix_all(plan, 3, &options, on_rediagnose, results, &ran);
    ok(error == 0 && ran == 3, "fix all: %lu, ran %u\n", error, (unsigned)ran);
    ok(rediagnosed == 1, "re-diagnosed once\n");
    ok(fx_start_type(fx_service) == SERVICE_AUTO_START && fx_status(fx_service).dwCurrentState == SERVICE_RUNNING,
       "automatic and running\n");
    ok(!fx_exists(L"System32\\catroot2\\edb.log"), "logs cleared\n");
    if (results[1].backup_dir[0]) repair_restore(results[1].backup_dir, &options, result);
    free(results);
}

/* Fix all from a diagnosis: diag_plan's order, and the dependency its row names is started. */
static void test_fix_diagnosis(void)
{
    struct diagnosis *diagnosis = calloc(1, sizeof(*diagnosis));
    struct repair_result *results = calloc(REPAIR_COUNT, sizeof(*results));
    struct repair_options options;
    struct diag_row *row;
    WCHAR dependency[64];
    size_t ran = 0;
    DWORD error;

    swprintf(dependency, ARRAYSIZE(dependency), L"%lsRpc", fx_service);
    if (!fx_create_service(dependency, L"normal", SERVICE_DEMAND_START, NULL, FALSE)) return;
    diag_init(diagnosis);
    row = diag_add_row(diagnosis, DIAG_SERVICE, "service");
    row->repair = REPAIR_SET_AUTOMATIC;
    row = diag_add_row(diagnosis, DIAG_DEPENDENCY_RPCSS, "rpc");
    row->repair = REPAIR_START_DEPENDENCY;
    WideCharToMultiByte(CP_UTF8, 0, dependency, -1, row->repair_target, sizeof(row->repair_target), NULL, NULL);
    options_for(&options);
    rediagnosed = 0;
    error = repair_fix_diagnosis(diagnosis, &options, on_rediagnose, results, REPAIR_COUNT, &ran);
    ok(error == 0 && ran == 2, "fix the diagnosis: %lu, ran %u\n", error, (unsigned)ran);
    ok(results[0].step_count && wcsstr(results[0].steps[0].text, dependency) != NULL,
       "the dependency comes first and is the one the row names: %ls\n", results[0].steps[0].text);
    ok(fx_status(dependency).dwCurrentState == SERVICE_RUNNING, "the dependency runs\n");
    ok(rediagnosed == 1, "re-diagnosed\n");
    fx_delete_service(dependency);
    free(results);
    free(diagnosis);
}

START_TEST(repair)
{
    if (!fx_find_standin()) {
        skip("csd-standin.exe is not beside the test\n");
        return;
    }
    result = calloc(1, sizeof(*result));
    fx_setup(L"e2e");
    fx_remove_tree(fx_root);
    fx_make_tree();
    if (!fx_create_service(fx_service, L"normal", SERVICE_DEMAND_START, L"RpcSs\0", TRUE)) return;

    test_dry_run();
    test_clear_logs_and_restore();
    test_light_cure();
    test_cancel();
    test_rebuild();
    test_locked_folder();
    test_set_automatic();
    test_restart_with_dependents();
    test_dependents_through_seam();
    test_rights_and_lock();
    test_dlls();
    test_root_list();
    test_wintrust();
    test_fix_all();
    test_fix_diagnosis();
    test_hung_stop();
    test_refuse_and_fail();

    fx_delete_service(fx_service);
    fx_remove_tree(fx_root);
    free(result);
}
