/* tests/wine/test_catdb_seam.c: catdb_scan with each file call failing in turn through the seam. */
#include "harness/test.h"
#include "win/catdb.h"
#include "win/seam.h"
#include "test_catdb_tree.h"

#include <stdio.h>
#include <string.h>

enum member { M_CREATE, M_READ, M_SIZE, M_FIRST, M_NEXT, M_ATTRIBUTES, M_SEEK, M_COUNT };
static const char *const member_names[M_COUNT] = { "CreateFileW", "ReadFile", "GetFileSizeEx", "FindFirstFileExW",
                                                   "FindNextFileW", "GetFileAttributesW", "SetFilePointerEx" };

static struct seam real;
static unsigned calls[M_COUNT];
static int fail_member = -1;
static unsigned fail_at;
static DWORD fail_error;

static BOOL should_fail(enum member m)
{
    calls[m]++;
    if ((int)m != fail_member || calls[m] != fail_at) return FALSE;
    SetLastError(fail_error);
    return TRUE;
}

static HANDLE WINAPI f_CreateFileW(LPCWSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES security,
                                   DWORD disposition, DWORD flags, HANDLE template_file)
{
    if (should_fail(M_CREATE)) return INVALID_HANDLE_VALUE;
    return real.CreateFileW(path, access, share, security, disposition, flags, template_file);
}

static BOOL WINAPI f_ReadFile(HANDLE file, LPVOID buffer, DWORD length, LPDWORD read, LPOVERLAPPED overlapped)
{
    if (should_fail(M_READ)) return FALSE;
    return real.ReadFile(file, buffer, length, read, overlapped);
}

static BOOL WINAPI f_GetFileSizeEx(HANDLE file, PLARGE_INTEGER size)
{
    if (should_fail(M_SIZE)) return FALSE;
    return real.GetFileSizeEx(file, size);
}

static HANDLE WINAPI f_FindFirstFileExW(LPCWSTR pattern, FINDEX_INFO_LEVELS level, LPVOID data,
                                        FINDEX_SEARCH_OPS search, LPVOID filter, DWORD flags)
{
    if (should_fail(M_FIRST)) return INVALID_HANDLE_VALUE;
    return real.FindFirstFileExW(pattern, level, data, search, filter, flags);
}

static BOOL WINAPI f_FindNextFileW(HANDLE find, LPWIN32_FIND_DATAW data)
{
    if (should_fail(M_NEXT)) return FALSE;
    return real.FindNextFileW(find, data);
}

static DWORD WINAPI f_GetFileAttributesW(LPCWSTR path)
{
    if (should_fail(M_ATTRIBUTES)) return INVALID_FILE_ATTRIBUTES;
    return real.GetFileAttributesW(path);
}

static BOOL WINAPI f_SetFilePointerEx(HANDLE file, LARGE_INTEGER distance, PLARGE_INTEGER position, DWORD method)
{
    if (should_fail(M_SEEK)) return FALSE;
    return real.SetFilePointerEx(file, distance, position, method);
}

static UINT WINAPI f_GetSystemWindowsDirectoryW(LPWSTR buffer, UINT count)
{
    (void)buffer;
    (void)count;
    SetLastError(ERROR_ACCESS_DENIED);
    return 0;
}

static void install(int member, unsigned at, DWORD error)
{
    memset(calls, 0, sizeof(calls));
    fail_member = member;
    fail_at = at;
    fail_error = error;
    seam.CreateFileW = f_CreateFileW;
    seam.ReadFile = f_ReadFile;
    seam.GetFileSizeEx = f_GetFileSizeEx;
    seam.FindFirstFileExW = f_FindFirstFileExW;
    seam.FindNextFileW = f_FindNextFileW;
    seam.GetFileAttributesW = f_GetFileAttributesW;
    seam.SetFilePointerEx = f_SetFilePointerEx;
}

static int has_reason(const struct catdb_report *r)
{
    for (unsigned i = 0; i < r->evidence_count; i++)
        if (strstr(r->evidence[i], "could not") || strstr(r->evidence[i], "in use")) return 1;
    return 0;
}

static void run_failures(const struct tree *t, const unsigned baseline[M_COUNT], DWORD error, int only_member)
{
    static struct catdb_report r;
    struct catdb_options options = { 0 };
    unsigned runs = 0, bad = 0;

    options.deep = TRUE;
    for (int m = 0; m < M_COUNT; m++) {
        if (only_member >= 0 && m != only_member) continue;
        for (unsigned n = 1; n <= baseline[m]; n++) {
            DWORD result;
            memset(&r, 0x5a, sizeof(r));
            install(m, n, error);
            result = catdb_scan(t->windows, &options, &r);
            seam_reset();
            runs++;
            if (result) {
                bad += !ok(r.database_count == 0x5a5a5a5a, "%s #%u failing (%lu): scan returned %lu but touched its output\n",
                           member_names[m], n, error, result);
                continue;
            }
            if (!ok(r.overall == CATDB_NOT_READABLE && has_reason(&r),
                    "%s #%u failing (%lu): overall %s, first: %s\n", member_names[m], n, error,
                    catdb_verdict_name(r.overall), r.evidence_count ? r.evidence[0] : "(none)"))
                bad++;
        }
    }
    trace("error %lu: %u scans with one call failing, %u wrong\n", error, runs, bad);
}

START_TEST(catdb_seam)
{
    static struct catdb_report r;
    static char dberr[100 * 1024];
    struct catdb_options options = { 0 };
    struct tree t;
    unsigned baseline[M_COUNT];
    size_t used = 0;
    DWORD error;

    real = seam;
    tree_init(&t, tree_base(), L"seam", 1);
    tree_healthy(&t);
    /* Over 64 KiB, so the tail read seeks; no errors in it, so the set stays healthy. */
    while (used + 64 < sizeof(dberr)) used += (size_t)snprintf(dberr + used, sizeof(dberr) - used, "CatalogDB: line %lu ok\r\n", (unsigned long)used);
    tree_file(t.catroot2, L"dberr.txt", dberr, used);

    options.deep = TRUE;
    install(-1, 0, 0);
    error = catdb_scan(t.windows, &options, &r);
    memcpy(baseline, calls, sizeof(baseline));
    seam_reset();
    ok(error == 0 && r.overall == CATDB_HEALTHY, "baseline: %lu, %s: %s\n", error, catdb_verdict_name(r.overall),
       r.summary);
    for (int m = 0; m < M_COUNT; m++) {
        trace("baseline: %s called %u times\n", member_names[m], baseline[m]);
        ok(baseline[m] > 0, "%s never called: the injection would prove nothing\n", member_names[m]);
    }

    run_failures(&t, baseline, ERROR_ACCESS_DENIED, -1);
    run_failures(&t, baseline, ERROR_SHARING_VIOLATION, M_CREATE);
    run_failures(&t, baseline, ERROR_LOCK_VIOLATION, M_READ);
    run_failures(&t, baseline, ERROR_IO_DEVICE, M_READ);
    run_failures(&t, baseline, ERROR_NOT_ENOUGH_MEMORY, M_NEXT);

    /* The real %SystemRoot% cannot be found: the scan cannot start. */
    seam.GetSystemWindowsDirectoryW = f_GetSystemWindowsDirectoryW;
    memset(&r, 0x5a, sizeof(r));
    ok(catdb_scan(NULL, NULL, &r) == ERROR_ACCESS_DENIED && r.database_count == 0x5a5a5a5a,
       "GetSystemWindowsDirectoryW failing\n");
    seam_reset();

    /* The prefix's own C:\windows: Wine has no catroot2 (unless someone made one). */
    error = catdb_scan(NULL, NULL, &r);
    ok(error == 0, "scan of %%SystemRoot%%: %lu\n", error);
    trace("this prefix's %ls: %s: %s\n", r.windows_dir, catdb_verdict_name(r.overall), r.summary);
    ok(r.overall != CATDB_HEALTHY || !r.catroot2_missing, "healthy without a catroot2\n");

    tree_remove_all(tree_base());
}
