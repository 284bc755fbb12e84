/* tests/cli/bench_check.c: a benchmark (not a test): what each row of `csd check` costs, to see what dominates. */
#include "win/checks.h"

#include <stdio.h>
#include <stdlib.h>

static double now_ms(void)
{
    LARGE_INTEGER counter, frequency;
    QueryPerformanceCounter(&counter);
    QueryPerformanceFrequency(&frequency);
    return (double)counter.QuadPart * 1000.0 / (double)frequency.QuadPart;
}

int wmain(int argc, WCHAR **argv)
{
    struct checks_env env;
    struct diagnosis *d = malloc(sizeof(*d));
    struct svc_info *info = malloc(sizeof(*info));
    struct diag_options options = DIAG_OPTIONS_DEFAULT;
    DWORD error = 0;
    double t, total;
    static const enum diag_component deps[] = { DIAG_DEPENDENCY_RPCSS, DIAG_SUPPORTED_APPID, DIAG_SUPPORTED_WUAUSERV };

    if (argc > 1 && !wcscmp(argv[1], L"--quick")) options.skip_catalog_scan = TRUE;
    diag_init(d);
    t = total = now_ms();
    checks_env_init(NULL, &options, &env);
    printf("env          %7.1f ms\n", now_ms() - t);
    t = now_ms();
    checks_service_row(&env, diag_add_row(d, DIAG_SERVICE, ""), info, &error);
    printf("service      %7.1f ms\n", now_ms() - t);
    t = now_ms();
    checks_catalog_row(&env, diag_add_row(d, DIAG_CATALOG_DB, ""));
    printf("catalog      %7.1f ms\n", now_ms() - t);
    t = now_ms();
    checks_root_row(&env, diag_add_row(d, DIAG_PROTECTED_ROOT, ""));
    printf("roots        %7.1f ms\n", now_ms() - t);
    t = now_ms();
    checks_key_row(&env, diag_add_row(d, DIAG_KEY_SERVICE, ""));
    printf("keys         %7.1f ms\n", now_ms() - t);
    t = now_ms();
    checks_root_update_row(&env, diag_add_row(d, DIAG_ROOT_UPDATE, ""));
    printf("root update  %7.1f ms\n", now_ms() - t);
    for (size_t i = 0; i < 3; i++) {
        t = now_ms();
        checks_dependency_row(&env, deps[i], error ? NULL : info, diag_add_row(d, deps[i], ""));
        printf("dependency %u %7.1f ms\n", (unsigned)i, now_ms() - t);
    }
    printf("all rows     %7.1f ms\n", now_ms() - total);
    t = now_ms();
    diag_run(NULL, &options, d);
    printf("diag_run     %7.1f ms (again, warm)\n", now_ms() - t);
    free(d);
    free(info);
    return 0;
}
