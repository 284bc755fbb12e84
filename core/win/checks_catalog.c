/* core/win/checks_catalog.c: the facts behind the Catalog Database row: catdb_scan, the catalog API, the Application log. */
#include "win/checks_internal.h"
#include "win/catdb.h"
#include "win/seam.h"

#include <softpub.h>
#include <stdlib.h>
#include <wchar.h>

/* DRIVER_ACTION_VERIFY {F750E6C3-38EE-11D1-85E5-00C04FC295EE}: the system catalogs. */
static const GUID driver_action_verify = { 0xf750e6c3, 0x38ee, 0x11d1, { 0x85, 0xe5, 0x00, 0xc0, 0x4f, 0xc2, 0x95, 0xee } };

typedef BOOL (WINAPI *acquire2_fn)(HCATADMIN *admin, const GUID *subsystem, PCWSTR algorithm,
                                   const CERT_STRONG_SIGN_PARA *policy, DWORD flags);
typedef BOOL (WINAPI *calc_hash2_fn)(HCATADMIN admin, HANDLE file, DWORD *length, BYTE *hash, DWORD flags);

/* ---- the catalog database folder (catdb_scan) ---------------------------------------------- */

static enum rules_catdb_verdict from_catdb(enum catdb_verdict_kind kind)
{
    switch (kind) {
    case CATDB_HEALTHY: return RULES_CATDB_HEALTHY;
    case CATDB_SUSPICIOUS: return RULES_CATDB_SUSPICIOUS;
    case CATDB_CORRUPT: return RULES_CATDB_CORRUPT;
    case CATDB_NOT_READABLE: return RULES_CATDB_NOT_READABLE;
    case CATDB_MISSING: return RULES_CATDB_MISSING;
    }
    return RULES_CATDB_NOT_CHECKED;
}

static void scan_database(const struct checks_env *env, struct rules_catdb_facts *db)
{
    struct catdb_options options = { 0 };
    struct catdb_report *report;
    DWORD error;

    if (env->options.skip_catalog_scan) {
        diag_copy(db->reason, sizeof(db->reason), "skipped on request");
        return;
    }
    report = calloc(1, sizeof(*report));
    if (!report) {
        diag_copy(db->reason, sizeof(db->reason), "out of memory");
        return;
    }
    options.deep = env->options.deep_catalog_scan;
    error = catdb_scan(env->options.windows_dir, &options, report);
    if (error) {
        char words[96];
        rules_error_words(error, words, sizeof(words));
        diag_format(db->reason, sizeof(db->reason), "the scan could not start: %s", words);
        free(report);
        return;
    }
    db->verdict = from_catdb(report->overall);
    diag_copy(db->summary, sizeof(db->summary), report->summary);
    for (unsigned i = 0; i < report->evidence_count && db->evidence_count < 8; i++)
        diag_copy(db->evidence[db->evidence_count++], sizeof(db->evidence[0]), report->evidence[i]);
    for (unsigned i = 0; i < report->database_count; i++)
        if (report->databases[i].in_use) db->in_use = 1;
    db->logs_only = report->logs_only_problem;
    db->transaction_log_count = report->transaction_log_count;
    db->catroot_cat_count = report->catroot_cat_count;
    db->catroot_missing = report->catroot_missing;
    free(report);
}

/* ---- the catalog API on a signed system file ----------------------------------------------- */

struct lookup_job {
    WCHAR probe[MAX_PATH];
    DWORD error;                 /* 0, or the error of `step` */
    char step[64];
    WCHAR catalog[MAX_PATH];
    unsigned hash_bits;
    LONG trust;                  /* WinVerifyTrust's answer; RULES_NOT_RUN when not reached */
};

static void lookup_release(void *context)
{
    free(context);
}

static void fail_step(struct lookup_job *job, const char *step, DWORD error)
{
    diag_copy(job->step, sizeof(job->step), step);
    job->error = error ? error : ERROR_GEN_FAILURE;
}

/* WinVerifyTrust in catalog mode: is `file` (with `hash`) really a member of `catalog`? No
 * network: revocation is off and only cached URLs are used. */
static LONG verify_member(struct lookup_job *job, HANDLE file, const BYTE *hash, DWORD length)
{
    GUID action = DRIVER_ACTION_VERIFY;
    WINTRUST_CATALOG_INFO catalog = { 0 };
    WINTRUST_DATA data = { 0 };
    WCHAR tag[2 * 64 + 1];
    LONG result;

    catalog.cbStruct = sizeof(catalog);
    data.cbStruct = sizeof(data);
    for (DWORD i = 0; i < length; i++) swprintf(tag + 2 * i, 3, L"%02X", hash[i]);
    tag[2 * length] = 0;
    catalog.pcwszCatalogFilePath = job->catalog;
    catalog.pcwszMemberTag = tag;
    catalog.pcwszMemberFilePath = job->probe;
    catalog.hMemberFile = file;
    catalog.pbCalculatedFileHash = (BYTE *)hash;
    catalog.cbCalculatedFileHash = length;
    data.dwUIChoice = WTD_UI_NONE;
    data.fdwRevocationChecks = WTD_REVOKE_NONE;
    data.dwUnionChoice = WTD_CHOICE_CATALOG;
    data.pCatalog = &catalog;
    data.dwStateAction = WTD_STATEACTION_VERIFY;
    data.dwProvFlags = WTD_CACHE_ONLY_URL_RETRIEVAL;
    result = seam.WinVerifyTrust((HWND)INVALID_HANDLE_VALUE, &action, &data);
    data.dwStateAction = WTD_STATEACTION_CLOSE;
    seam.WinVerifyTrust((HWND)INVALID_HANDLE_VALUE, &action, &data);
    return result;
}

/* Looks the hash up; on success fills job->catalog and verifies membership. Returns 0 or the
 * error with job->step set. */
static DWORD find_catalog(struct lookup_job *job, HCATADMIN admin, HANDLE file, BYTE *hash, DWORD length)
{
    CATALOG_INFO info = { 0 };
    HCATINFO catalog = seam.CryptCATAdminEnumCatalogFromHash(admin, hash, length, 0, NULL);

    info.cbStruct = sizeof(info);

    if (!catalog) {
        fail_step(job, "CryptCATAdminEnumCatalogFromHash", GetLastError());
        return job->error;
    }
    if (!seam.CryptCATCatalogInfoFromContext(catalog, &info, 0)) {
        fail_step(job, "CryptCATCatalogInfoFromContext", GetLastError());
        seam.CryptCATAdminReleaseCatalogContext(admin, catalog, 0);
        return job->error;
    }
    seam.CryptCATAdminReleaseCatalogContext(admin, catalog, 0);
    wcsncpy(job->catalog, info.wszCatalogFile, ARRAYSIZE(job->catalog) - 1);
    job->error = 0;
    job->step[0] = 0;
    job->trust = verify_member(job, file, hash, length);
    return 0;
}

/* SHA-256 through the Windows 8+ functions, loaded at run time (Windows 7 lacks them). */
static DWORD lookup_sha256(struct lookup_job *job, HANDLE file)
{
    HMODULE wintrust = seam.LoadLibraryExW(L"wintrust.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    acquire2_fn acquire2 = NULL;
    calc_hash2_fn calc_hash2 = NULL;
    HCATADMIN admin = NULL;
    BYTE hash[64];
    DWORD length = sizeof(hash), error;

    if (!wintrust) return ERROR_PROC_NOT_FOUND;
    acquire2 = (acquire2_fn)(void *)seam.GetProcAddress(wintrust, "CryptCATAdminAcquireContext2");
    calc_hash2 = (calc_hash2_fn)(void *)seam.GetProcAddress(wintrust, "CryptCATAdminCalcHashFromFileHandle2");
    if (!acquire2 || !calc_hash2) {
        seam.FreeLibrary(wintrust);
        return ERROR_PROC_NOT_FOUND;
    }
    if (!acquire2(&admin, &driver_action_verify, L"SHA256", NULL, 0)) {
        fail_step(job, "CryptCATAdminAcquireContext2", GetLastError());
    } else if (!calc_hash2(admin, file, &length, hash, 0)) {
        fail_step(job, "CryptCATAdminCalcHashFromFileHandle2", GetLastError());
    } else {
        job->hash_bits = 256;
        find_catalog(job, admin, file, hash, length);
    }
    error = job->error;
    if (admin) seam.CryptCATAdminReleaseContext(admin, 0);
    seam.FreeLibrary(wintrust);
    return error;
}

static DWORD lookup_sha1(struct lookup_job *job, HANDLE file)
{
    HCATADMIN admin = NULL;
    BYTE hash[64];
    DWORD length = sizeof(hash);

    if (!seam.CryptCATAdminAcquireContext(&admin, &driver_action_verify, 0)) {
        fail_step(job, "CryptCATAdminAcquireContext", GetLastError());
        return job->error;
    }
    if (!seam.CryptCATAdminCalcHashFromFileHandle(file, &length, hash, 0)) {
        fail_step(job, "CryptCATAdminCalcHashFromFileHandle", GetLastError());
    } else {
        job->hash_bits = 160;
        find_catalog(job, admin, file, hash, length);
    }
    seam.CryptCATAdminReleaseContext(admin, 0);
    return job->error;
}

static void lookup_work(void *context)
{
    struct lookup_job *job = context;
    HANDLE file = seam.CreateFileW(job->probe, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                                   FILE_ATTRIBUTE_NORMAL, NULL);

    job->trust = (LONG)RULES_NOT_RUN;
    if (file == INVALID_HANDLE_VALUE) {
        fail_step(job, "CreateFileW", GetLastError());
        return;
    }
    /* The catalog of an inbox file may index either hash: SHA-256 first, then SHA-1. */
    if (lookup_sha256(job, file) != 0) {
        seam.SetFilePointerEx(file, (LARGE_INTEGER){ .QuadPart = 0 }, NULL, FILE_BEGIN);
        lookup_sha1(job, file);
    }
    seam.CloseHandle(file);
}

static void lookup_catalog(const struct checks_env *env, struct rules_catalog_facts *facts)
{
    struct lookup_job *job = calloc(1, sizeof(*job));
    DWORD error;

    if (!job) {
        facts->api_error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    swprintf(job->probe, ARRAYSIZE(job->probe), L"%ls\\System32\\kernel32.dll", env->windows_dir);
    checks_utf8(job->probe, facts->probe_file, sizeof(facts->probe_file));
    /* The lookup talks to CryptSvc; a hung service must not hang the diagnosis. */
    error = checks_run_bounded(lookup_work, lookup_release, job, env->options.catalog_timeout_ms);
    if (error == RULES_TIMED_OUT) {
        facts->api_error = RULES_TIMED_OUT;
        diag_copy(facts->api_step, sizeof(facts->api_step), "catalog lookup");
        return;
    }
    if (error) {
        facts->api_error = error;
        diag_copy(facts->api_step, sizeof(facts->api_step), "CreateThread");
        free(job);
        return;
    }
    facts->api_error = job->error;
    diag_copy(facts->api_step, sizeof(facts->api_step), job->step);
    facts->hash_bits = job->hash_bits;
    facts->trust_result = job->error ? RULES_NOT_RUN : (uint32_t)job->trust;
    checks_utf8(job->catalog, facts->catalog_file, sizeof(facts->catalog_file));
    free(job);
}

/* ---- the Application log ------------------------------------------------------------------ */

static void read_events(const struct checks_env *env, struct rules_catalog_facts *facts)
{
    char newest[200] = "";
    unsigned capi2 = 0, esent471 = 0, esent623 = 0;
    DWORD error;

    facts->event_days = env->options.event_days;
    error = checks_count_events(L"Provider[@Name='Microsoft-Windows-CAPI2'] and (EventID=256 or EventID=257)",
                                env->options.event_days, NULL, &capi2, newest, sizeof(newest));
    /* ESENT logs for every database on the machine: only those naming catroot2 count. */
    if (!error)
        error = checks_count_events(L"Provider[@Name='ESENT'] and EventID=471", env->options.event_days,
                                    L"catroot2", &esent471, newest[0] ? NULL : newest, sizeof(newest));
    if (!error)
        error = checks_count_events(L"Provider[@Name='ESENT'] and EventID=623", env->options.event_days,
                                    L"Catalog Database", &esent623, newest[0] ? NULL : newest, sizeof(newest));
    facts->events_error = error;
    if (error) return;
    /* CAPI2 256 and 257 are counted together: both say the database would not initialize. */
    facts->capi2_257 = capi2;
    facts->esent_471 = esent471;
    facts->esent_623 = esent623;
    diag_copy(facts->last_event, sizeof(facts->last_event), newest);
}

void checks_catalog_facts(const struct checks_env *env, struct rules_catalog_facts *facts)
{
    memset(facts, 0, sizeof(*facts));
    facts->remote = env->remote;
    facts->wine = env->wine;
    facts->api_error = facts->trust_result = facts->events_error = RULES_NOT_RUN;
    if (env->remote) return;
    if (!env->windows_dir[0]) {
        char words[96];
        rules_error_words(env->windows_dir_error, words, sizeof(words));
        diag_format(facts->db.reason, sizeof(facts->db.reason), "the Windows folder is unknown: %s", words);
        return;
    }
    scan_database(env, &facts->db);
    lookup_catalog(env, facts);
    read_events(env, facts);
}

void checks_catalog_row(const struct checks_env *env, struct diag_row *row)
{
    struct rules_catalog_facts *facts = malloc(sizeof(*facts));

    if (!facts) {
        diag_evidence(row, "could not check: out of memory.");
        return;
    }
    checks_catalog_facts(env, facts);
    rules_catalog_row(facts, row);
    free(facts);
}
