/* tests/wine/test_checks_faults.c: every system call the checks make fails in turn; the diagnosis still comes back, with reasons. */
#include "harness/test.h"
#include "win/checks.h"
#include "win/seam.h"

#include <stdlib.h>
#include <string.h>

static DWORD injected;   /* the error every failing stub reports */

#define FAIL_BOOL(...) do { SetLastError(injected); return FALSE; } while (0)
#define UNUSED(x) (void)(x)

static SC_HANDLE WINAPI fail_OpenSCManagerW(LPCWSTR m, LPCWSTR d, DWORD a) { UNUSED(m); UNUSED(d); UNUSED(a); SetLastError(injected); return NULL; }
static SC_HANDLE WINAPI fail_OpenServiceW(SC_HANDLE s, LPCWSTR n, DWORD a) { UNUSED(s); UNUSED(n); UNUSED(a); SetLastError(injected); return NULL; }
static BOOL WINAPI fail_QueryServiceStatusEx(SC_HANDLE s, SC_STATUS_TYPE l, LPBYTE b, DWORD z, LPDWORD n)
{ UNUSED(s); UNUSED(l); UNUSED(b); UNUSED(z); UNUSED(n); FAIL_BOOL(); }
static BOOL WINAPI fail_QueryServiceConfigW(SC_HANDLE s, LPQUERY_SERVICE_CONFIGW c, DWORD z, LPDWORD n)
{ UNUSED(s); UNUSED(c); UNUSED(z); UNUSED(n); FAIL_BOOL(); }
static BOOL WINAPI fail_QueryServiceConfig2W(SC_HANDLE s, DWORD l, LPBYTE b, DWORD z, LPDWORD n)
{ UNUSED(s); UNUSED(l); UNUSED(b); UNUSED(z); UNUSED(n); FAIL_BOOL(); }
static BOOL WINAPI fail_EnumDependentServicesW(SC_HANDLE s, DWORD st, LPENUM_SERVICE_STATUSW e, DWORD z, LPDWORD n, LPDWORD c)
{ UNUSED(s); UNUSED(st); UNUSED(e); UNUSED(z); UNUSED(n); UNUSED(c); FAIL_BOOL(); }
static LSTATUS WINAPI fail_RegConnectRegistryW(LPCWSTR m, HKEY r, PHKEY k) { UNUSED(m); UNUSED(r); UNUSED(k); return (LSTATUS)injected; }
static LSTATUS WINAPI fail_RegOpenKeyExW(HKEY k, LPCWSTR s, DWORD o, REGSAM a, PHKEY r)
{ UNUSED(k); UNUSED(s); UNUSED(o); UNUSED(a); UNUSED(r); return (LSTATUS)injected; }
static LSTATUS WINAPI fail_RegQueryValueExW(HKEY k, LPCWSTR n, LPDWORD r, LPDWORD t, LPBYTE d, LPDWORD s)
{ UNUSED(k); UNUSED(n); UNUSED(r); UNUSED(t); UNUSED(d); UNUSED(s); return (LSTATUS)injected; }
static LSTATUS WINAPI fail_RegEnumKeyExW(HKEY k, DWORD i, LPWSTR n, LPDWORD c, LPDWORD r, LPWSTR cl, LPDWORD cc, PFILETIME w)
{ UNUSED(k); UNUSED(i); UNUSED(n); UNUSED(c); UNUSED(r); UNUSED(cl); UNUSED(cc); UNUSED(w); return (LSTATUS)injected; }
static HANDLE WINAPI fail_CreateFileW(LPCWSTR p, DWORD a, DWORD s, LPSECURITY_ATTRIBUTES sa, DWORD d, DWORD f, HANDLE t)
{ UNUSED(p); UNUSED(a); UNUSED(s); UNUSED(sa); UNUSED(d); UNUSED(f); UNUSED(t); SetLastError(injected); return INVALID_HANDLE_VALUE; }
static BOOL WINAPI fail_ReadFile(HANDLE h, LPVOID b, DWORD l, LPDWORD r, LPOVERLAPPED o)
{ UNUSED(h); UNUSED(b); UNUSED(l); UNUSED(r); UNUSED(o); FAIL_BOOL(); }
static BOOL WINAPI fail_GetFileSizeEx(HANDLE h, PLARGE_INTEGER s) { UNUSED(h); UNUSED(s); FAIL_BOOL(); }
static HANDLE WINAPI fail_FindFirstFileExW(LPCWSTR p, FINDEX_INFO_LEVELS l, LPVOID d, FINDEX_SEARCH_OPS s, LPVOID f, DWORD fl)
{ UNUSED(p); UNUSED(l); UNUSED(d); UNUSED(s); UNUSED(f); UNUSED(fl); SetLastError(injected); return INVALID_HANDLE_VALUE; }
static BOOL WINAPI fail_FindNextFileW(HANDLE h, LPWIN32_FIND_DATAW d) { UNUSED(h); UNUSED(d); FAIL_BOOL(); }
static DWORD WINAPI fail_GetFileAttributesW(LPCWSTR p) { UNUSED(p); SetLastError(injected); return INVALID_FILE_ATTRIBUTES; }
static UINT WINAPI fail_GetSystemWindowsDirectoryW(LPWSTR b, UINT c) { UNUSED(b); UNUSED(c); SetLastError(injected); return 0; }
static DWORD WINAPI fail_ExpandEnvironmentStringsW(LPCWSTR s, LPWSTR d, DWORD c) { UNUSED(s); UNUSED(d); UNUSED(c); SetLastError(injected); return 0; }
static HMODULE WINAPI fail_LoadLibraryExW(LPCWSTR n, HANDLE r, DWORD f) { UNUSED(n); UNUSED(r); UNUSED(f); SetLastError(injected); return NULL; }
static FARPROC WINAPI fail_GetProcAddress(HMODULE m, LPCSTR n) { UNUSED(m); UNUSED(n); SetLastError(injected); return NULL; }
static HCERTSTORE WINAPI fail_CertOpenStore(LPCSTR p, DWORD e, HCRYPTPROV_LEGACY c, DWORD f, const void *a)
{ UNUSED(p); UNUSED(e); UNUSED(c); UNUSED(f); UNUSED(a); SetLastError(injected); return NULL; }
static PCCERT_CONTEXT WINAPI fail_CertEnumCertificatesInStore(HCERTSTORE s, PCCERT_CONTEXT p)
{ UNUSED(s); if (p) CertFreeCertificateContext(p); SetLastError(injected); return NULL; }
static PCCERT_CONTEXT WINAPI fail_CertFindCertificateInStore(HCERTSTORE s, DWORD e, DWORD f, DWORD t, const void *a, PCCERT_CONTEXT p)
{ UNUSED(s); UNUSED(e); UNUSED(f); UNUSED(t); UNUSED(a); UNUSED(p); SetLastError(injected); return NULL; }
static PCCTL_CONTEXT WINAPI fail_CertCreateCTLContext(DWORD e, const BYTE *b, DWORD l) { UNUSED(e); UNUSED(b); UNUSED(l); SetLastError(injected); return NULL; }
static BOOL WINAPI fail_CryptAcquireContextW(HCRYPTPROV *p, LPCWSTR c, LPCWSTR n, DWORD t, DWORD f)
{ UNUSED(p); UNUSED(c); UNUSED(n); UNUSED(t); UNUSED(f); FAIL_BOOL(); }
static BOOL WINAPI fail_CryptGenRandom(HCRYPTPROV p, DWORD l, BYTE *b) { UNUSED(p); UNUSED(l); UNUSED(b); FAIL_BOOL(); }
static SECURITY_STATUS WINAPI fail_NCryptOpenStorageProvider(NCRYPT_PROV_HANDLE *p, LPCWSTR n, DWORD f)
{ UNUSED(p); UNUSED(n); UNUSED(f); return (SECURITY_STATUS)HRESULT_FROM_WIN32(injected); }
static BOOL WINAPI fail_CryptCATAdminAcquireContext(HCATADMIN *a, const GUID *g, DWORD f) { UNUSED(a); UNUSED(g); UNUSED(f); FAIL_BOOL(); }
static BOOL WINAPI fail_CryptCATAdminCalcHashFromFileHandle(HANDLE h, DWORD *l, BYTE *b, DWORD f)
{ UNUSED(h); UNUSED(l); UNUSED(b); UNUSED(f); FAIL_BOOL(); }
static HCATINFO WINAPI fail_CryptCATAdminEnumCatalogFromHash(HCATADMIN a, BYTE *h, DWORD l, DWORD f, HCATINFO *p)
{ UNUSED(a); UNUSED(h); UNUSED(l); UNUSED(f); UNUSED(p); SetLastError(injected); return NULL; }
static BOOL WINAPI fail_CryptCATCatalogInfoFromContext(HCATINFO c, CATALOG_INFO *i, DWORD f) { UNUSED(c); UNUSED(i); UNUSED(f); FAIL_BOOL(); }
static LONG WINAPI fail_WinVerifyTrust(HWND w, GUID *a, LPVOID d) { UNUSED(w); UNUSED(a); UNUSED(d); return (LONG)HRESULT_FROM_WIN32(injected); }
static EVT_HANDLE WINAPI fail_EvtQuery(EVT_HANDLE s, LPCWSTR p, LPCWSTR q, DWORD f) { UNUSED(s); UNUSED(p); UNUSED(q); UNUSED(f); SetLastError(injected); return NULL; }
static HANDLE WINAPI fail_CreateThread(LPSECURITY_ATTRIBUTES s, SIZE_T z, LPTHREAD_START_ROUTINE r, LPVOID p, DWORD f, LPDWORD i)
{ UNUSED(s); UNUSED(z); UNUSED(r); UNUSED(p); UNUSED(f); UNUSED(i); SetLastError(injected); return NULL; }
/* A wait that gives up at once: every bounded call "does not answer in time". */
static DWORD WINAPI fail_WaitForSingleObject(HANDLE h, DWORD ms) { UNUSED(h); UNUSED(ms); return WAIT_TIMEOUT; }

/*
 * The fault points. `seen`: 1 when the fault must change the diagnosis under Wine; 0 when
 * Wine never reaches the call (the reason is in the comment) and only robustness is checked.
 */
/*
 * The fault points. `seen`: 1 when the fault must change the diagnosis under Wine; 0 when
 * Wine never reaches the call (the reason is in the comment) and only robustness is checked.
 */
struct fault {
    const char *name;
    void (*install)(void);
    int seen;
    DWORD natural;   /* the error Wine itself answers with here: injecting it changes nothing */
};
#define FAULT(member, seen) { #member, install_##member, seen, 0 }
#define FAULT_NATURAL(member, natural) { #member, install_##member, 1, natural }
#define INSTALL(member) static void install_##member(void) { seam.member = fail_##member; }

INSTALL(OpenSCManagerW) INSTALL(OpenServiceW) INSTALL(QueryServiceStatusEx) INSTALL(QueryServiceConfigW)
INSTALL(QueryServiceConfig2W) INSTALL(EnumDependentServicesW) INSTALL(RegConnectRegistryW) INSTALL(RegOpenKeyExW)
INSTALL(RegQueryValueExW) INSTALL(RegEnumKeyExW) INSTALL(CreateFileW) INSTALL(ReadFile) INSTALL(GetFileSizeEx)
INSTALL(FindFirstFileExW) INSTALL(FindNextFileW) INSTALL(GetFileAttributesW) INSTALL(GetSystemWindowsDirectoryW)
INSTALL(ExpandEnvironmentStringsW) INSTALL(LoadLibraryExW) INSTALL(GetProcAddress) INSTALL(CertOpenStore)
INSTALL(CertEnumCertificatesInStore) INSTALL(CertFindCertificateInStore) INSTALL(CertCreateCTLContext)
INSTALL(CryptAcquireContextW) INSTALL(CryptGenRandom) INSTALL(NCryptOpenStorageProvider)
INSTALL(CryptCATAdminAcquireContext) INSTALL(CryptCATAdminCalcHashFromFileHandle)
INSTALL(CryptCATAdminEnumCatalogFromHash) INSTALL(CryptCATCatalogInfoFromContext) INSTALL(WinVerifyTrust)
INSTALL(EvtQuery) INSTALL(CreateThread) INSTALL(WaitForSingleObject)

static const struct fault fault_points[] = {
    FAULT(OpenSCManagerW, 1),
    FAULT(OpenServiceW, 1),
    FAULT(QueryServiceStatusEx, 1),
    FAULT(QueryServiceConfigW, 1),
    FAULT(QueryServiceConfig2W, 1),
    /* Wine's EnumDependentServicesW is a stub answering "none"; svc_query then scans the
     * registry, so its failure changes nothing a user sees. */
    FAULT(EnumDependentServicesW, 0),
    FAULT(RegConnectRegistryW, 1),
    FAULT(RegOpenKeyExW, 1),
    FAULT(RegQueryValueExW, 1),
    FAULT(RegEnumKeyExW, 0),          /* only the dependents scan; CryptSvc's dependents are empty under Wine */
    FAULT(CreateFileW, 1),
    FAULT(ReadFile, 0),               /* catdb reads only files that exist; the Wine prefix's catroot2 may be empty */
    FAULT(GetFileSizeEx, 0),          /* likewise */
    FAULT_NATURAL(FindFirstFileExW, ERROR_FILE_NOT_FOUND),   /* no catroot2, no policy templates */
    FAULT(FindNextFileW, 0),          /* a failing "next" looks like the end of a short listing */
    FAULT(GetFileAttributesW, 1),
    FAULT(GetSystemWindowsDirectoryW, 1),
    FAULT_NATURAL(ExpandEnvironmentStringsW, ERROR_FILE_NOT_FOUND),   /* Wine has no MachineKeys folder either */
    FAULT(LoadLibraryExW, 1),
    FAULT(GetProcAddress, 1),
    FAULT(CertOpenStore, 1),
    FAULT(CertEnumCertificatesInStore, 1),
    FAULT(CertFindCertificateInStore, 1),
    FAULT(CertCreateCTLContext, 0),   /* Wine has no EncodedCtl, so the list is never parsed */
    FAULT(CryptAcquireContextW, 1),
    FAULT(CryptGenRandom, 1),
    FAULT(NCryptOpenStorageProvider, 1),
    FAULT(CryptCATAdminAcquireContext, 1),
    FAULT(CryptCATAdminCalcHashFromFileHandle, 1),
    FAULT_NATURAL(CryptCATAdminEnumCatalogFromHash, ERROR_FILE_NOT_FOUND),   /* Wine finds no catalog */
    FAULT(CryptCATCatalogInfoFromContext, 0),  /* Wine finds no catalog, so never reached */
    FAULT(WinVerifyTrust, 0),                  /* likewise */
    FAULT(EvtQuery, 1),
    FAULT(CreateThread, 1),
    FAULT(WaitForSingleObject, 1),
};

static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (extra < 0) return 0;
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xC0) != 0x80) return 0;
    }
    return 1;
}

static int diagnosis_mentions(const struct diagnosis *d, const char *text)
{
    for (unsigned r = 0; r < d->row_count; r++)
        for (unsigned i = 0; i < d->rows[r].evidence_count; i++)
            if (strstr(d->rows[r].evidence[i], text)) return 1;
    return 0;
}

static int rows_differ(const struct diag_row *a, const struct diag_row *b)
{
    if (a->severity != b->severity || strcmp(a->current, b->current) || a->evidence_count != b->evidence_count)
        return 1;
    for (unsigned i = 0; i < a->evidence_count; i++)
        if (strcmp(a->evidence[i], b->evidence[i])) return 1;
    return 0;
}

/* Every row is whole: named, with a current and recommended value, a known severity, and
 * evidence whenever it is not plainly ok. */
static void check_well_formed(const char *what, const struct diagnosis *d)
{
    ok(d->row_count == 8, "%s: %u rows\n", what, d->row_count);
    for (unsigned r = 0; r < d->row_count; r++) {
        const struct diag_row *row = &d->rows[r];
        ok(row->name[0] && row->current[0] && row->recommended[0], "%s: row %u filled in\n", what, r);
        ok(diag_severity_id(row->severity) != NULL, "%s: row %u severity %d\n", what, r, row->severity);
        ok(row->severity == DIAG_OK || row->evidence_count > 0, "%s: row %u (%s) says why\n", what, r,
           diag_severity_id(row->severity));
        for (unsigned i = 0; i < row->evidence_count; i++)
            ok(row->evidence[i][0] && valid_utf8(row->evidence[i]), "%s: row %u line %u\n", what, r, i);
    }
    ok(d->summary[0] != 0 && valid_utf8(d->summary), "%s: summary\n", what);
}

START_TEST(checks_faults)
{
    static const struct {
        DWORD error;
        const char *words;
    } kinds[] = {
        { ERROR_ACCESS_DENIED, "access is denied" },
        { ERROR_FILE_NOT_FOUND, "not found" },
        { ERROR_TIMEOUT, "in time" },   /* "no answer in time", "did not finish in time" */
    };
    struct diag_options options = DIAG_OPTIONS_DEFAULT;
    struct diagnosis *baseline = malloc(sizeof(*baseline)), *d = malloc(sizeof(*d));
    unsigned points = 0, visible = 0, worded = 0;
    ULONGLONG start = GetTickCount64();

    options.query_timeout_ms = 3000;
    options.catalog_timeout_ms = 3000;
    ok(diag_run(NULL, &options, baseline) == 0, "baseline diagnosis\n");
    check_well_formed("baseline", baseline);

    for (size_t f = 0; f < ARRAYSIZE(fault_points); f++) {
        for (size_t k = 0; k < ARRAYSIZE(kinds); k++) {
            char what[96];
            int changed = 0;
            DWORD error;

            /* One wait that times out is one fault, whatever error is injected. */
            if (fault_points[f].install == install_WaitForSingleObject && k > 0) continue;
            snprintf(what, sizeof(what), "%s fails with %lu", fault_points[f].name, kinds[k].error);
            seam_reset();
            injected = kinds[k].error;
            fault_points[f].install();
            memset(d, 0xCC, sizeof(*d));
            error = diag_run(NULL, &options, d);
            seam_reset();
            points++;
            ok(error == 0, "%s: diag_run %lu\n", what, error);
            if (error) continue;
            check_well_formed(what, d);
            for (unsigned r = 0; r < d->row_count && r < baseline->row_count; r++)
                if (rows_differ(&d->rows[r], &baseline->rows[r])) changed = 1;
            if (changed) visible++;
            if (fault_points[f].seen && kinds[k].error != fault_points[f].natural)
                ok(changed, "%s: the diagnosis shows it\n", what);
            /* Access denied and time-outs are never turned into a state: the words appear. */
            if (fault_points[f].seen && kinds[k].error != ERROR_FILE_NOT_FOUND) {
                const char *words = fault_points[f].install == install_WaitForSingleObject
                                        ? "not responding" : kinds[k].words;
                int said = diagnosis_mentions(d, words) || strstr(d->summary, words) != NULL ||
                           (fault_points[f].install == install_WaitForSingleObject &&
                            diagnosis_mentions(d, "within 3 seconds"));
                if (said) worded++;
                ok(said, "%s: the reason (\"%s\") is given\n", what, words);
                if (!said)
                    for (unsigned r = 0; r < d->row_count; r++)
                        for (unsigned i = 0; i < d->rows[r].evidence_count; i++)
                            trace("  %s: %s\n", d->rows[r].name, d->rows[r].evidence[i]);
            }
        }
    }
    trace("%u fault points over %u system calls: %u changed the diagnosis, %u gave their reason in words; %llu ms\n",
          points, (unsigned)ARRAYSIZE(fault_points), visible, worded, GetTickCount64() - start);
    printf("fault points: %u\n", points);
    free(baseline);
    free(d);
}
