/* tests/wine/mkdemo.c: csd-mkdemo.exe WINDOWS_DIR: gives the demo prefix a damaged catroot2 to find and repair. */
#include "win/catdb.h"
#include "test_catdb_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define DEMO_LOGS 1500
#define DEMO_PAGES 4096u

/*
 * Lays out under WINDOWS_DIR (the demo prefix's C:\windows):
 *   System32\catroot2\{F750...}\catdb   4 096 pages, three of them with a bad checksum
 *   System32\catroot2\{127D...}\catdb   healthy
 *   System32\catroot2\edb00001.log ...  1 500 transaction logs (KB977893's pile), edb.log, edb.chk
 *   System32\catroot2\edbtmp.log, edbres0000[12].jrs  zero-filled, as Windows makes them
 *   System32\catroot2\dberr.txt          a few dated ESE errors
 *   System32\catroot\{F750...}\*.cat     a few catalog files (any bytes)
 *   Security\Database\edb.log, edb.chk   the security database's logs
 * then scans it and prints what the scan says. Existing catroot2 and catroot are replaced.
 */

static void join(WCHAR *out, const WCHAR *a, const WCHAR *b)
{
    _snwprintf(out, MAX_PATH, L"%ls\\%ls", a, b);
    out[MAX_PATH - 1] = 0;
}

static void make_dir(const WCHAR *path)
{
    CreateDirectoryW(path, NULL);
}

static void lay_out(struct tree *t, const WCHAR *windows)
{
    WCHAR catroot[MAX_PATH], security[MAX_PATH];

    memset(t, 0, sizeof(*t));
    wcscpy(t->windows, windows);
    join(t->system32, windows, L"System32");
    join(t->catroot2, t->system32, L"catroot2");
    join(t->guid[0], t->catroot2, CATDB_GUID_SYSTEM);
    join(t->guid[1], t->catroot2, CATDB_GUID_DEFAULT);
    join(catroot, t->system32, L"catroot");
    join(t->catroot, catroot, CATDB_GUID_SYSTEM);
    join(security, windows, L"Security");
    join(t->security, security, L"Database");
    tree_remove_all(t->catroot2);
    make_dir(t->system32);
    make_dir(t->catroot2);
    make_dir(t->guid[0]);
    make_dir(t->guid[1]);
    make_dir(catroot);
    make_dir(t->catroot);
    make_dir(security);
    make_dir(t->security);
}

static void remove_stand_in_catalogs(const struct tree *t)
{
    static const WCHAR *const names[] = { L"oem1.cat", L"Package_1.cat", L"nt5.cat" };
    WCHAR path[MAX_PATH];

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        join(path, t->catroot, names[i]);
        DeleteFileW(path);
    }
}

int wmain(int argc, WCHAR **argv)
{
    static const uint32_t bad_pages[] = { 1872, 1873, 3001 };
    struct tree t;
    struct ew_db_options o;
    struct ew_log_options lo;
    struct catdb_report *report = calloc(1, sizeof(*report));
    struct catdb_options options = { 0 };
    size_t length = 0;
    uint8_t *bytes;
    char name[32], dberr[1024];
    WCHAR wide[32];
    int n;

    if (argc != 2 || !report) {
        fprintf(stderr, "usage: csd-mkdemo WINDOWS_DIR   (the demo prefix's C:\\windows)\n");
        return 2;
    }
    if (GetFileAttributesW(argv[1]) == INVALID_FILE_ATTRIBUTES) {
        fprintf(stderr, "csd-mkdemo: %ls does not exist\n", argv[1]);
        return 1;
    }
    lay_out(&t, argv[1]);
    tree_healthy(&t); /* both databases, logs 1..3, checkpoint, reserve logs, .cat files, security logs */
    /* The demo writes into the prefix's real catroot, where Wine's own wintrust reads every
     * .cat on a catalog lookup, and the tree's 3-byte stand-in catalogs crash it (a Wine bug:
     * CryptCATEnumerateMember on malformed data). So the demo's catroot stays empty, which is
     * also how Wine ships it. */
    remove_stand_in_catalogs(&t);

    /* The system catalog database: bad page checksums in the middle of its data. */
    tree_db_options(&o, 0x1234abcd);
    o.page_count = o.used_pages = DEMO_PAGES;
    bytes = ew_make_db(&o, &length);
    for (size_t i = 0; i < sizeof(bad_pages) / sizeof(bad_pages[0]); i++)
        ew_flip_bit(bytes, ((size_t)bad_pages[i] + 1) * 4096 * 8 + 2000 * 8 + i * 9);
    ew_flip_bit(bytes, ((size_t)bad_pages[0] + 1) * 4096 * 8 + 3000 * 8); /* two bits: not ECC-fixable */
    tree_file(t.guid[0], L"catdb", bytes, length);
    free(bytes);

    /* The pile: 1 500 small logs of the same set, then edb.log and the checkpoint after them. */
    for (int32_t g = 1; g <= DEMO_LOGS; g++) {
        ew_log_defaults(&lo, g, TREE_LOG_RANDOM);
        lo.file_sectors = 2;
        lo.used_segments = 1;
        bytes = ew_make_log(&lo, &length);
        ew_log_name(name, sizeof(name), g);
        MultiByteToWideChar(CP_UTF8, 0, name, -1, wide, 32);
        tree_file(t.catroot2, wide, bytes, length);
        free(bytes);
    }
    tree_log(t.catroot2, DEMO_LOGS + 1, TREE_LOG_RANDOM, "edb.log");
    bytes = ew_make_checkpoint(TREE_LOG_RANDOM, DEMO_LOGS + 1, &length);
    tree_file(t.catroot2, L"edb.chk", bytes, length);
    free(bytes);

    n = snprintf(dberr, sizeof(dberr),
                 "CatalogDB: 09:14:02 02/26/2024: _CatDBAddCatalog: JetOpenDatabase failed: -1018\r\n"
                 "CatalogDB: 09:14:02 02/26/2024: _CatDBClientEnter: _CatDBAcquireOpenDatabaseFromCache failed\r\n"
                 "CatalogDB: 11:40:37 02/27/2024: _CatDBAddCatalog: JetBeginTransaction failed: -614\r\n"
                 "CatalogDB: 11:40:37 02/27/2024: CryptCATAdminAddCatalog failed: 0x80070490\r\n");
    tree_file(t.catroot2, L"dberr.txt", dberr, (size_t)n);

    printf("csd-mkdemo: made a damaged catalog database under %ls\n", argv[1]);
    printf("  System32\\catroot2\\%ls\\catdb: %u pages, pages 1 872, 1 873 and 3 001 fail their checksums\n",
           CATDB_GUID_SYSTEM, DEMO_PAGES);
    printf("  System32\\catroot2\\%ls\\catdb: healthy\n", CATDB_GUID_DEFAULT);
    printf("  System32\\catroot2: %d transaction logs + edb.log, edb.chk, edbtmp.log, 2 reserve logs, dberr.txt\n",
           DEMO_LOGS);
    printf("  System32\\catroot\\%ls: no .cat files (as Wine ships it); Security\\Database: edb.log, edb.chk\n",
           CATDB_GUID_SYSTEM);

    options.deep = TRUE;
    if (catdb_scan(argv[1], &options, report) == 0) {
        printf("scan: %s (%.2f s): %s\n", catdb_verdict_name(report->overall), report->seconds, report->summary);
        for (unsigned i = 0; i < report->evidence_count; i++) printf("  - %s\n", report->evidence[i]);
    }
    free(report);
    return 0;
}
