/* tests/wine/test_catdb.c: catdb_scan on catroot2 trees laid out in the prefix, read through the real file APIs. */
#include "harness/test.h"
#include "win/catdb.h"
#include "win/seam.h"
#include "test_catdb_tree.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

static struct catdb_report report;

static void dump(const char *what)
{
    trace("%s: overall %s, summary \"%s\"\n", what, catdb_verdict_name(report.overall), report.summary);
    for (unsigned i = 0; i < report.evidence_count; i++) trace("  evidence: %s\n", report.evidence[i]);
    for (unsigned i = 0; i < report.database_count; i++)
        trace("  %ls: %s%s%s\n", report.databases[i].guid, catdb_verdict_name(report.databases[i].verdict),
              report.databases[i].in_use ? " (in use)" : "", report.databases[i].reason[0] ? "" : "");
}

static DWORD scan_tree(const struct tree *t, BOOL deep)
{
    struct catdb_options options = { 0 };
    DWORD error;

    options.deep = deep;
    memset(&report, 0, sizeof(report));
    error = catdb_scan(t->windows, &options, &report);
    if (getenv("CSD_TEST_VERBOSE")) dump("scan");
    return error;
}

static int has_evidence(const char *text)
{
    for (unsigned i = 0; i < report.evidence_count; i++)
        if (strstr(report.evidence[i], text)) return 1;
    return 0;
}

static int judged_has(int index, const char *text)
{
    const struct ese_verdict_result *j = &report.databases[index].judged;
    for (size_t i = 0; i < j->evidence_count; i++)
        if (strstr(j->evidence[i], text)) return 1;
    return 0;
}

#define expect_overall(kind, text) expect_overall_at(__FILE__, __LINE__, (kind), (text))
static void expect_overall_at(const char *file, int line, enum catdb_verdict_kind kind, const char *text)
{
    if (!ok_at(file, line, report.overall == kind, "overall %s, expected %s; summary: %s\n",
               catdb_verdict_name(report.overall), catdb_verdict_name(kind), report.summary))
        dump("unexpected");
    if (text && !ok_at(file, line, has_evidence(text), "no evidence line with \"%s\"\n", text)) dump("missing line");
}

/* ---- cases ------------------------------------------------------------------------------- */

static void test_healthy(void)
{
    struct tree t;

    tree_init(&t, tree_base(), L"healthy", 1);
    tree_healthy(&t);
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    expect_overall(CATDB_HEALTHY, "All 30 used pages pass their checksums");
    ok(strstr(report.summary, "healthy") != NULL, "summary: %s\n", report.summary);
    ok(report.database_count == 2, "database_count %u\n", report.database_count);
    for (int i = 0; i < 2; i++) {
        ok(report.databases[i].verdict == CATDB_HEALTHY, "db %d: %s\n", i, catdb_verdict_name(report.databases[i].verdict));
        ok(report.databases[i].deep_checked && report.databases[i].pages_total == 40 && report.databases[i].pages_bad == 0,
           "db %d: deep %d, %llu pages, %llu bad\n", i, report.databases[i].deep_checked,
           (unsigned long long)report.databases[i].pages_total, (unsigned long long)report.databases[i].pages_bad);
        ok(!report.databases[i].in_use, "db %d in use\n", i);
        ok(report.databases[i].db_state == 3 && report.databases[i].page_size == 4096, "db %d state %u page %u\n", i,
           report.databases[i].db_state, report.databases[i].page_size);
    }
    ok(!wcscmp(report.databases[0].guid, CATDB_GUID_SYSTEM), "guid 0 %ls\n", report.databases[0].guid);
    ok(report.log_count == 4, "log_count %u (edb00001, edb00002, edb.log, edbtmp.log)\n", report.log_count);
    ok(report.transaction_log_count == 3 && report.reserve_logs == 3, "transaction %u reserve %u\n",
       report.transaction_log_count, report.reserve_logs);
    ok(report.log_bytes == 4 * 65536ull, "log_bytes %llu\n", (unsigned long long)report.log_bytes);
    ok(report.edb_log_size == 65536, "edb_log_size %llu\n", (unsigned long long)report.edb_log_size);
    ok(report.checkpoint_present, "no checkpoint\n");
    ok(report.catroot_cat_count == 3, "catroot_cat_count %u\n", report.catroot_cat_count);
    ok(report.security_log_count == 2, "security_log_count %u (edb.log, edbtmp.log)\n", report.security_log_count);
    ok(wcsstr(report.security_log_dir, L"Security\\Database") != NULL, "security_log_dir %ls\n", report.security_log_dir);
    ok(!report.logs_only_problem && !report.catroot2_missing && !report.any_reparse_inside, "flags set\n");
    ok(report.zero_length_logs == 0 && report.damaged_logs == 0 && report.unreadable_count == 0,
       "zero %u damaged %u unreadable %u\n", report.zero_length_logs, report.damaged_logs, report.unreadable_count);

    /* Without the deep check: healthy by its headers, and the evidence says the pages were not read. */
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_HEALTHY, "Only the header was checked");
    ok(!report.databases[0].deep_checked, "deep_checked without deep\n");
}

static void test_flipped_page_bit(void)
{
    struct tree t;
    struct ew_db_options o;
    size_t length = 0;
    uint8_t *bytes;

    tree_init(&t, tree_base(), L"flipped", 1);
    tree_healthy(&t);
    tree_db_options(&o, 0x1234abcd);
    bytes = ew_make_db(&o, &length);
    ew_flip_bit(bytes, (size_t)(7 + 1) * 4096 * 8 + 1000 * 8 + 3); /* page 7 */
    tree_file(t.guid[0], L"catdb", bytes, length);
    free(bytes);

    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_HEALTHY, NULL); /* the header alone cannot see it */
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    expect_overall(CATDB_CORRUPT, "catdb {F750E6C3}: Page 7 of 40 fails its checksum");
    ok(report.databases[0].verdict == CATDB_CORRUPT && report.databases[0].pages_bad == 1, "db 0: %s, %llu bad\n",
       catdb_verdict_name(report.databases[0].verdict), (unsigned long long)report.databases[0].pages_bad);
    ok(judged_has(0, "single-bit error"), "the flip should be ECC-correctable\n");
    ok(report.databases[1].verdict == CATDB_HEALTHY, "db 1: %s\n", catdb_verdict_name(report.databases[1].verdict));
    ok(!report.logs_only_problem, "a bad page is not a log problem\n");
    ok(strstr(report.summary, "corrupt") != NULL, "summary: %s\n", report.summary);
}

static void test_bad_header_good_shadow(void)
{
    struct tree t;
    struct ew_db_options o;
    size_t length = 0;
    uint8_t *bytes;

    tree_init(&t, tree_base(), L"shadow", 1);
    tree_healthy(&t);
    tree_db_options(&o, 0x2234abcd);
    bytes = ew_make_db(&o, &length);
    ew_flip_bit(bytes, 300 * 8);
    tree_file(t.guid[1], L"catdb", bytes, length);
    free(bytes);
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    expect_overall(CATDB_SUSPICIOUS, "catdb {127D0A1D}: One of the two copies of the database header is damaged");
    ok(report.databases[1].verdict == CATDB_SUSPICIOUS && report.databases[1].header_read, "db 1: %s\n",
       catdb_verdict_name(report.databases[1].verdict));
    ok(!report.logs_only_problem, "a header problem is not a log problem\n");

    /* Both copies bad: corrupt. */
    bytes = ew_make_db(&o, &length);
    ew_flip_bit(bytes, 300 * 8);
    ew_flip_bit(bytes, (4096 + 300) * 8);
    tree_file(t.guid[1], L"catdb", bytes, length);
    free(bytes);
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    expect_overall(CATDB_CORRUPT, "database header is damaged");
}

static void test_wrong_log_signature(void)
{
    struct tree t;

    tree_init(&t, tree_base(), L"foreign", 1);
    tree_healthy(&t);
    tree_log(t.catroot2, 2, 0x0badbad0u, NULL);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_SUSPICIOUS, "1 transaction log belongs to a different database");
    ok(report.logs_only_problem, "clean databases with a foreign log: setting the logs aside is enough\n");
}

static void test_dirty_missing_logs(void)
{
    struct tree t;
    struct ew_db_options o;

    tree_init(&t, tree_base(), L"dirty", 1);
    tree_healthy(&t);
    tree_db_options(&o, 0x1234abcd);
    o.state = 2;
    o.gen_min_required = 1;
    o.gen_max_required = 3;
    tree_db(&t, 0, &o);
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    expect_overall(CATDB_SUSPICIOUS, "not closed properly; the logs it needs are present");
    ok(!report.logs_only_problem, "a dirty database needs its logs: moving them is not the cure\n");
    tree_delete(t.catroot2, L"edb00002.log");
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    expect_overall(CATDB_CORRUPT, "1 of the 3 transaction logs it needs");
    ok(report.databases[0].verdict == CATDB_CORRUPT, "db 0: %s\n", catdb_verdict_name(report.databases[0].verdict));
    ok(!report.logs_only_problem, "logs_only_problem for a dirty database\n");
}

static void test_log_pile(void)
{
    struct tree t;
    struct ew_log_options o;
    size_t length = 0;
    uint8_t *bytes;
    char name[32];
    WCHAR wide[32];
    uint8_t *chk;

    tree_init(&t, tree_base(), L"pile", 1);
    tree_healthy(&t);
    /* 1 100 archived logs before edb.log; small ones, so the test stays fast. */
    for (int32_t g = 1; g <= 1100; g++) {
        ew_log_defaults(&o, g, TREE_LOG_RANDOM);
        o.file_sectors = 2;
        o.used_segments = 1;
        bytes = ew_make_log(&o, &length);
        ew_log_name(name, sizeof(name), g);
        MultiByteToWideChar(CP_UTF8, 0, name, -1, wide, 32);
        tree_file(t.catroot2, wide, bytes, length);
        free(bytes);
    }
    tree_log(t.catroot2, 1101, TREE_LOG_RANDOM, "edb.log");
    chk = ew_make_checkpoint(TREE_LOG_RANDOM, 1101, &length);
    tree_file(t.catroot2, L"edb.chk", chk, length);
    free(chk);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_CORRUPT, "1 101 transaction logs have piled up");
    ok(report.transaction_log_count == 1101 && report.log_count == 1102, "transaction %u, Edb*.log %u\n",
       report.transaction_log_count, report.log_count);
    ok(report.log_headers_read == 1104, "headers read %u\n", report.log_headers_read);
    ok(report.logs_only_problem, "a pile beside clean databases: the light cure is enough\n");
    ok(strstr(report.summary, "piled up") != NULL, "summary: %s\n", report.summary);

    /* With a cap on the headers read, the pile is still counted by name. */
    {
        struct catdb_options options = { 0 };
        options.log_header_max = 100;
        memset(&report, 0, sizeof(report));
        ok(catdb_scan(t.windows, &options, &report) == 0, "scan failed\n");
        expect_overall(CATDB_CORRUPT, "1 101 transaction logs have piled up");
        ok(report.log_headers_read == 100, "headers read %u\n", report.log_headers_read);
        ok(has_evidence("Only the newest 100 of 1 104 log headers were read"), "no line about the cap\n");
    }
}

static void test_huge_edb_log(void)
{
    struct tree t;
    struct ew_log_options o;
    uint8_t header[4096];

    tree_init(&t, tree_base(), L"huge", 1);
    tree_healthy(&t);
    ew_log_defaults(&o, 3, TREE_LOG_RANDOM);
    o.file_sectors = 5400; /* 22 MB */
    ew_write_log_header(header, &o);
    tree_sparse_file(t.catroot2, L"edb.log", header, sizeof(header), 5400ull * 4096);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_SUSPICIOUS, "edb.log has grown beyond 20 MB");
    ok(report.edb_log_size == 5400ull * 4096, "edb_log_size %llu\n", (unsigned long long)report.edb_log_size);
    ok(report.logs_only_problem, "setting edb.log aside is KB822798's first cure\n");
}

static void test_zero_length_and_truncated_logs(void)
{
    struct tree t;
    struct ew_log_options o;
    size_t length = 0;
    uint8_t *bytes;

    tree_init(&t, tree_base(), L"truncated", 1);
    tree_healthy(&t);
    tree_zero_file(t.catroot2, L"edb00002.log", 0);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    ok(report.zero_length_logs == 1, "zero_length_logs %u\n", report.zero_length_logs);
    expect_overall(CATDB_SUSPICIOUS, "edb00002.log");
    ew_log_defaults(&o, 2, TREE_LOG_RANDOM);
    bytes = ew_make_log(&o, &length);
    tree_file(t.catroot2, L"edb00002.log", bytes, length / 2);
    free(bytes);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    ok(report.damaged_logs == 1, "damaged_logs %u\n", report.damaged_logs);
    expect_overall(CATDB_SUSPICIOUS, "is damaged: edb00002.log");
    /* Zero-filled reserve logs are normal (that is the healthy set); a zero-filled edb.log is not. */
    tree_zero_file(t.catroot2, L"edb.log", 65536);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_CORRUPT, "The transaction log edb.log is damaged (the log is all zero bytes)");
}

static void test_dberr(void)
{
    struct tree t;
    char text[4096];
    int n;
    static char big[150 * 1024];
    size_t used = 0;

    tree_init(&t, tree_base(), L"dberr", 1);
    tree_healthy(&t);
    n = snprintf(text, sizeof(text),
                 "CatalogDB: 10:02:11 02/26/2024: DBError: Unable to open catalog database, error -1018\r\n"
                 "CatalogDB: 10:02:12 02/26/2024: HashCatNameTable failed: 0x80070490\r\n"
                 "CatalogDB: 10:02:13 02/26/2024: service stopping\r\n");
    tree_file(t.catroot2, L"dberr.txt", text, (size_t)n);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_SUSPICIOUS, "dberr.txt records 2 errors, the last -1018 (JET_errReadVerifyFailure)");
    ok(report.dberr_present && report.dberr_recent && report.dberr_error_count == 2, "present %d recent %d errors %u\n",
       report.dberr_present, report.dberr_recent, report.dberr_error_count);
    ok(report.dberr_tail_count == 3 && strstr(report.dberr_tail[2], "service stopping"), "tail %u: %s\n",
       report.dberr_tail_count, report.dberr_tail_count ? report.dberr_tail[report.dberr_tail_count - 1] : "");
    ok(!report.logs_only_problem, "dberr errors alone are no log problem\n");

    /* A large file: only its last 64 KiB are read, from a line boundary. */
    while (used + 80 < sizeof(big)) used += (size_t)snprintf(big + used, sizeof(big) - used, "%-60s line %06lu\r\n", "CatalogDB: nothing wrong", (unsigned long)used);
    used += (size_t)snprintf(big + used, sizeof(big) - used, "CatalogDB: 11:00:00 03/01/2024: error -1811\r\n");
    tree_file(t.catroot2, L"dberr.txt", big, used);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_SUSPICIOUS, "records 1 error in its last 64 KiB, the last -1811");
    ok(report.dberr_tail_count == 8 && strstr(report.dberr_tail[7], "-1811"), "tail %u: %s\n", report.dberr_tail_count,
       report.dberr_tail_count ? report.dberr_tail[report.dberr_tail_count - 1] : "");
    ok(strstr(report.dberr_tail[0], "CatalogDB: nothing wrong") == report.dberr_tail[0], "tail starts mid-line: %s\n",
       report.dberr_tail[0]);

    /* No errors: info only. */
    tree_file(t.catroot2, L"dberr.txt", "started\r\n", 9);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_HEALTHY, "records no ESE errors");
}

static void test_missing(void)
{
    struct tree t;

    tree_init(&t, tree_base(), L"missing", 0);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_MISSING, "catroot2 does not exist");
    ok(report.catroot2_missing && report.databases[0].verdict == CATDB_MISSING &&
       report.databases[1].verdict == CATDB_MISSING, "missing flags\n");
    ok(report.catroot_missing, "catroot\\{F750...} is missing too\n");

    /* One database missing from an otherwise healthy catroot2. */
    tree_init(&t, tree_base(), L"missing-db", 1);
    tree_healthy(&t);
    tree_delete(t.guid[1], L"catdb");
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_MISSING, "catdb {127D0A1D}: the database file is missing");
    ok(report.databases[0].verdict == CATDB_HEALTHY, "db 0: %s\n", catdb_verdict_name(report.databases[0].verdict));

    /* No Windows folder at all: the scan cannot start and leaves its output alone. */
    {
        struct catdb_report untouched;
        memset(&untouched, 0x5a, sizeof(untouched));
        ok(catdb_scan(L"C:\\csdtest\\no\\such\\Windows", NULL, &untouched) == ERROR_PATH_NOT_FOUND,
           "a missing Windows folder\n");
        ok(untouched.database_count == 0x5a5a5a5a, "output touched\n");
    }
}

static void test_empty_catroot(void)
{
    struct tree t;

    tree_init(&t, tree_base(), L"catroot", 1);
    tree_healthy(&t);
    tree_delete(t.catroot, L"oem1.cat");
    tree_delete(t.catroot, L"Package_1.cat");
    tree_delete(t.catroot, L"nt5.cat");
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_SUSPICIOUS, "holds no catalog (.cat) files");
    ok(report.catroot_cat_count == 0 && !report.catroot_missing, "cat count %u\n", report.catroot_cat_count);
}

static HANDLE hold(const WCHAR *folder, const WCHAR *name, DWORD access, DWORD share)
{
    WCHAR path[MAX_PATH];
    _snwprintf(path, MAX_PATH, L"%ls\\%ls", folder, name);
    return CreateFileW(path, access, share, NULL, OPEN_EXISTING, 0, NULL);
}

static void test_in_use(void)
{
    struct tree t;
    HANDLE held;

    tree_init(&t, tree_base(), L"inuse", 1);
    tree_healthy(&t);

    /* Held the way a service holds it with no sharing: not readable, in use, never healthy. */
    held = hold(t.guid[0], L"catdb", GENERIC_READ | GENERIC_WRITE, 0);
    ok(held != INVALID_HANDLE_VALUE, "cannot hold catdb: %lu\n", GetLastError());
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    expect_overall(CATDB_NOT_READABLE, "in use by Cryptographic Services");
    ok(report.databases[0].in_use && report.databases[0].verdict == CATDB_NOT_READABLE &&
       !report.databases[0].header_read, "db 0: %s in_use %d\n", catdb_verdict_name(report.databases[0].verdict),
       report.databases[0].in_use);
    ok(report.databases[0].open_error == ERROR_SHARING_VIOLATION, "open_error %lu\n", report.databases[0].open_error);
    ok(report.databases[1].verdict == CATDB_HEALTHY, "db 1: %s\n", catdb_verdict_name(report.databases[1].verdict));
    ok(strstr(report.summary, "in use") != NULL, "summary: %s\n", report.summary);
    ok(judged_has(0, "in use"), "judged evidence lacks the reason\n");
    CloseHandle(held);

    /* A writer that lets others read: the header is read, the pages are not, still in use. */
    held = hold(t.guid[0], L"catdb", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE);
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    ok(report.databases[0].in_use && report.databases[0].header_read && !report.databases[0].deep_checked,
       "in_use %d header %d deep %d\n", report.databases[0].in_use, report.databases[0].header_read,
       report.databases[0].deep_checked);
    expect_overall(CATDB_NOT_READABLE, "so its pages were not checked");
    CloseHandle(held);

    /* A reader does not make it "in use". */
    held = hold(t.guid[0], L"catdb", GENERIC_READ, FILE_SHARE_READ);
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    ok(!report.databases[0].in_use, "a reader counted as in use\n");
    expect_overall(CATDB_HEALTHY, NULL);
    CloseHandle(held);

    /* edb.log locked: the logs cannot vouch for anything. */
    held = hold(t.catroot2, L"edb.log", GENERIC_READ | GENERIC_WRITE, 0);
    ok(scan_tree(&t, FALSE) == 0, "scan failed\n");
    expect_overall(CATDB_NOT_READABLE, "catroot2\\edb.log is in use by Cryptographic Services");
    ok(report.locked_logs == 1, "locked_logs %u\n", report.locked_logs);
    CloseHandle(held);
}

static void test_real_windows_files(void)
{
    static const struct {
        const char *file;
        enum catdb_verdict_kind verdict;
        const char *evidence;
    } cases[] = {
        { "dissect-esedb-basic.edb", CATDB_HEALTHY, "used pages pass their checksums" },
        { "go-ese-SRUDB.dat", CATDB_HEALTHY, "All 663 used pages pass" },
        { "dissect-esedb-large.edb", CATDB_HEALTHY, "All 381 used pages pass" },
        { "dissect-esedb-SRUDB.dat", CATDB_SUSPICIOUS, "after the end of the data hold garbage" },
        { "go-ese-qmgr.db", CATDB_CORRUPT, "not closed properly" },
    };
    struct tree t;

    tree_init(&t, tree_base(), L"real", 1);
    tree_healthy(&t);
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        size_t length = 0;
        uint8_t *bytes = ew_load_sample(cases[i].file, &length);
        if (!bytes) {
            skip("sample %s not unpacked\n", cases[i].file);
            continue;
        }
        /* Real databases have their own log signatures: no catroot2 logs beside them. */
        tree_init(&t, tree_base(), L"real", 1);
        tree_healthy(&t);
        tree_delete(t.catroot2, L"edb00001.log");
        tree_delete(t.catroot2, L"edb00002.log");
        tree_delete(t.catroot2, L"edb.log");
        tree_delete(t.catroot2, L"edb.chk");
        tree_file(t.guid[0], L"catdb", bytes, length);
        tree_file(t.guid[1], L"catdb", bytes, length);
        free(bytes);
        ok(scan_tree(&t, TRUE) == 0, "%s: scan failed\n", cases[i].file);
        ok(report.databases[0].verdict == cases[i].verdict, "%s: %s, expected %s\n", cases[i].file,
           catdb_verdict_name(report.databases[0].verdict), catdb_verdict_name(cases[i].verdict));
        ok(has_evidence(cases[i].evidence), "%s: no \"%s\"\n", cases[i].file, cases[i].evidence);
        if (report.databases[0].verdict != cases[i].verdict) dump(cases[i].file);
    }
}

/* The fixture (catdb.cmake) made host symbolic links with `ln -s` in C:\csdtest-links:
 * linked-guid\Windows\System32\catroot2\{F750...} -> a folder holding a healthy catdb, and
 * linked-root\Windows\System32\catroot2 -> a folder holding a whole healthy catroot2. */
static void test_links(void)
{
    struct tree t;
    DWORD attributes = GetFileAttributesW(L"C:\\csdtest-links\\linked-guid\\Windows\\System32\\catroot2\\"
                                          CATDB_GUID_SYSTEM);

    if (attributes == INVALID_FILE_ATTRIBUTES) {
        skip("the symlink fixture did not run (C:\\csdtest-links)\n");
        return;
    }
    ok(attributes & FILE_ATTRIBUTE_REPARSE_POINT, "Wine shows the host link as 0x%lx\n", attributes);

    memset(&t, 0, sizeof(t));
    wcscpy(t.windows, L"C:\\csdtest-links\\linked-guid\\Windows");
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    ok(report.any_reparse_inside, "the link was not reported\n");
    ok(report.databases[0].is_reparse && report.databases[0].verdict == CATDB_NOT_READABLE,
       "db 0 behind a link: %s, reparse %d\n", catdb_verdict_name(report.databases[0].verdict),
       report.databases[0].is_reparse);
    ok(!report.databases[0].header_read, "the link was followed\n");
    ok(has_evidence("is a link (junction or symbolic link); it was not followed"), "no link evidence\n");
    ok(report.overall != CATDB_HEALTHY, "healthy behind a link\n");

    wcscpy(t.windows, L"C:\\csdtest-links\\linked-root\\Windows");
    ok(scan_tree(&t, TRUE) == 0, "scan failed\n");
    ok(report.catroot2_is_reparse, "catroot2 as a link not seen\n");
    expect_overall(CATDB_NOT_READABLE, "catroot2 is a link");
    ok(!report.databases[0].header_read && !report.databases[1].header_read && report.log_count == 0,
       "catroot2's link was followed\n");
}

START_TEST(catdb)
{
    test_healthy();
    test_flipped_page_bit();
    test_bad_header_good_shadow();
    test_wrong_log_signature();
    test_dirty_missing_logs();
    test_log_pile();
    test_huge_edb_log();
    test_zero_length_and_truncated_logs();
    test_dberr();
    test_missing();
    test_empty_catroot();
    test_in_use();
    test_real_windows_files();
    test_links();
    ok(catdb_scan(NULL, NULL, NULL) == ERROR_INVALID_PARAMETER, "NULL output accepted\n");
    ok(!strcmp(catdb_verdict_name(CATDB_NOT_READABLE), "not readable") &&
       catdb_verdict_rank(CATDB_CORRUPT) > catdb_verdict_rank(CATDB_NOT_READABLE), "names and ranks\n");
    tree_remove_all(tree_base());
}
