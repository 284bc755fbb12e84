/* tests/wine/bench_catdb_scan.c: times catdb_scan on a catroot2 holding a pile of Edb*.log files (a benchmark, not a test). */
#include "win/catdb.h"
#include "test_catdb_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

/*
 * A benchmark, not a test (docs/catalog-health.md has the exact commands):
 *   bench_catdb_scan.exe make LOGS   lays out C:\csdtest\bench-LOGS\Windows (the healthy set)
 *                                     and C:\csdtest\bench-LOGS\headers.bin: LOGS log headers of
 *                                     4 KiB, generations 1..LOGS, one after the other
 *   (host) split headers.bin into catroot2\edbNNNNN.log files and make each 64 KiB long
 *          (a hole after the header). Wine creates a new file in a big folder slowly (it
 *          searches the folder for a case-insensitive match first), so the host does it.
 *   bench_catdb_scan.exe run LOGS [RUNS]   times catdb_scan RUNS times (warm cache), with the
 *                                     default cap on the headers read and with every header read.
 */

static double seconds(void)
{
    LARGE_INTEGER now, frequency;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&frequency);
    return (double)now.QuadPart / (double)frequency.QuadPart;
}

static void make_headers(const WCHAR *folder, int32_t logs)
{
    struct ew_log_options o;
    uint8_t *headers = malloc((size_t)logs * 4096);

    if (!headers) exit(1);
    for (int32_t g = 1; g <= logs; g++) {
        ew_log_defaults(&o, g, TREE_LOG_RANDOM);
        ew_write_log_header(headers + (size_t)(g - 1) * 4096, &o);
    }
    tree_file(folder, L"headers.bin", headers, (size_t)logs * 4096);
    free(headers);
}

static void run(const struct tree *t, unsigned header_max, int runs, const char *label)
{
    struct catdb_report *r = calloc(1, sizeof(*r));
    struct catdb_options options = { 0 };
    double best = 1e30, total = 0;

    options.log_header_max = header_max;
    for (int i = 0; i < runs; i++) {
        double start = seconds(), took;
        DWORD error = catdb_scan(t->windows, &options, r);
        took = seconds() - start;
        if (error) {
            printf("scan failed: %lu\n", error);
            break;
        }
        total += took;
        if (took < best) best = took;
    }
    printf("%-34s best %.3f s, mean %.3f s over %d runs; %u Edb*.log, %u headers read: %s\n", label, best,
           total / runs, runs, r->log_count, r->log_headers_read, catdb_verdict_name(r->overall));
    free(r);
}

int wmain(int argc, WCHAR **argv)
{
    int32_t logs = argc > 2 ? (int32_t)_wtoi(argv[2]) : 0;
    int runs = argc > 3 ? _wtoi(argv[3]) : 3;
    WCHAR name[64], folder[MAX_PATH];
    struct tree t;
    size_t length = 0;
    uint8_t *chk;

    if (argc < 3 || logs < 1 || runs < 1 || (wcscmp(argv[1], L"make") && wcscmp(argv[1], L"run"))) {
        fprintf(stderr, "usage: bench_catdb_scan make LOGS | run LOGS [RUNS]\n");
        return 2;
    }
    CreateDirectoryW(L"C:\\csdtest", NULL);
    _snwprintf(name, 64, L"bench-%ld", (long)logs);
    _snwprintf(folder, MAX_PATH, L"C:\\csdtest\\%ls", name);
    if (!wcscmp(argv[1], L"make")) {
        tree_init(&t, L"C:\\csdtest", name, 1);
        tree_healthy(&t);
        tree_log(t.catroot2, logs + 1, TREE_LOG_RANDOM, "edb.log");
        chk = ew_make_checkpoint(TREE_LOG_RANDOM, logs + 1, &length);
        tree_file(t.catroot2, L"edb.chk", chk, length);
        free(chk);
        make_headers(folder, logs);
        printf("made %ls\\Windows and %ls\\headers.bin (%ld log headers)\n", folder, folder, (long)logs);
        return 0;
    }
    memset(&t, 0, sizeof(t));
    _snwprintf(t.windows, MAX_PATH, L"%ls\\Windows", folder);
    run(&t, 0, runs, "default (newest 4 096 headers):");
    run(&t, (unsigned)logs + 16, runs, "every header read:");
    return 0;
}
