/* tests/wine/test_repair_bench.c: the repair benchmark (run by hand, not a test): restart vs net.exe, 100 000 logs. */
#include "test_repair_fixture.h"

#include <stdlib.h>

/*
 * test_repair_bench [RESTARTS [LOGS [ROOT]]]   (defaults 10, 100000, C:\csdrep-<pid>-bench)
 * 1. Restart of a stand-in service through the core (repair_run RESTART_SERVICE: plan, rights,
 *    lock, log, stop, start) against `cmd /c net stop X && net start X` in the same prefix; the
 *    median of each and their ratio (core / net; the target is <= 1.0).
 * 2. Moving LOGS Edb*.log files from catroot2 into a backup (REPAIR_CLEAR_LOGS, with the service
 *    stop and start) and back (repair_restore), in seconds. Wine looks a new name up by reading
 *    the whole folder, so making LOGS files costs O(LOGS^2) here; give a ROOT whose
 *    win\System32\catroot2 the host already filled (docs/repairs.md) and that part is quick.
 */

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double now_ms(void)
{
    LARGE_INTEGER count, frequency;
    QueryPerformanceCounter(&count);
    QueryPerformanceFrequency(&frequency);
    return (double)count.QuadPart * 1000.0 / (double)frequency.QuadPart;
}

static double median(double *values, int count)
{
    qsort(values, (size_t)count, sizeof(*values), compare);
    return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

static DWORD run_net(const WCHAR *service)
{
    WCHAR command[400];
    STARTUPINFOW startup;
    PROCESS_INFORMATION process;
    DWORD code = 1;

    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);

    swprintf(command, ARRAYSIZE(command), L"cmd.exe /c \"net stop %ls >nul && net start %ls >nul\"", service, service);
    if (!CreateProcessW(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process)) return GetLastError();
    WaitForSingleObject(process.hProcess, INFINITE);
    GetExitCodeProcess(process.hProcess, &code);
    CloseHandle(process.hProcess);
    CloseHandle(process.hThread);
    return code;
}

static void bench_restart(int rounds)
{
    struct repair_options options;
    struct repair_result *r = calloc(1, sizeof(*r));
    double *core = calloc((size_t)rounds, sizeof(double)), *net = calloc((size_t)rounds, sizeof(double));
    double core_median, net_median;

    fx_options(&options);
    for (int i = 0; i < rounds; i++) {
        double start = now_ms();
        DWORD error = repair_run(REPAIR_RESTART_SERVICE, &options, r);
        core[i] = now_ms() - start;
        ok(error == 0 && fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "core restart %d: %lu\n", i, error);
        start = now_ms();
        error = run_net(fx_service);
        net[i] = now_ms() - start;
        ok(error == 0 && fx_status(fx_service).dwCurrentState == SERVICE_RUNNING, "net restart %d: %lu\n", i, error);
    }
    core_median = median(core, rounds);
    net_median = median(net, rounds);
    printf("restart: core median %.1f ms (min %.1f, max %.1f), net stop && net start median %.1f ms (min %.1f, "
           "max %.1f), ratio core/net %.2f over %d rounds\n", core_median, core[0], core[rounds - 1], net_median,
           net[0], net[rounds - 1], core_median / net_median, rounds);
    free(core);
    free(net);
    free(r);
}

static void bench_logs(int count)
{
    struct repair_options options;
    struct repair_result *r = calloc(1, sizeof(*r));
    WCHAR path[MAX_PATH], backup[MAX_PATH];
    double start, made, moved, back;
    unsigned before_count, after_count;
    unsigned long long before;
    DWORD error;

    start = now_ms();
    for (int i = 0; i < count; i++) {   /* CREATE_NEW on a name the host already made fails at once */
        HANDLE file;
        swprintf(path, ARRAYSIZE(path), L"%ls\\System32\\catroot2\\edb%05X.log", fx_windows, i + 1);
        file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
        if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
    }
    made = now_ms() - start;
    before = fx_hash(&before_count);

    fx_options(&options);
    start = now_ms();
    error = repair_run(REPAIR_CLEAR_LOGS, &options, r);
    moved = now_ms() - start;
    ok(error == 0, "clear %d logs: %lu %ls\n", count, error, r->message);
    ok(r->moved >= (unsigned)count, "moved %u\n", r->moved);
    wcscpy(backup, r->backup_dir);
    start = now_ms();
    error = repair_restore(backup, &options, r);
    back = now_ms() - start;
    ok(error == 0, "restore: %lu %ls\n", error, r->message);
    ok(fx_hash(&after_count) == before && after_count == before_count, "the tree is identical after the round trip\n");
    printf("logs: %d Edb*.log files: made in %.1f s; moved to a backup (with service stop/start) in %.1f s; "
           "moved back in %.1f s\n", count, made / 1000, moved / 1000, back / 1000);
    free(r);
}

START_TEST(repair_bench)
{
    int rounds = test_argc > 1 ? _wtoi(test_argv[1]) : 10;
    int logs = test_argc > 2 ? _wtoi(test_argv[2]) : 100000;

    if (!fx_find_standin()) {
        skip("csd-standin.exe is not beside the benchmark\n");
        return;
    }
    if (rounds < 1) rounds = 1;
    fx_setup(L"bench");
    if (test_argc > 3) {   /* a root the host prepared: keep what is in it */
        wcsncpy(fx_root, test_argv[3], ARRAYSIZE(fx_root) - 1);
        swprintf(fx_windows, ARRAYSIZE(fx_windows), L"%ls\\win", fx_root);
        swprintf(fx_data, ARRAYSIZE(fx_data), L"%ls\\data", fx_root);
    } else {
        fx_remove_tree(fx_root);
    }
    fx_make_tree();
    if (!fx_create_service(fx_service, L"normal", SERVICE_DEMAND_START, L"RpcSs\0", TRUE)) return;
    bench_restart(rounds);
    if (logs > 0) bench_logs(logs);
    fx_delete_service(fx_service);
    fx_remove_tree(fx_root);
}
