/* tests/wine/test_repair_links.c: links (made by the host: Wine cannot make them) are moved as links, never followed. */
#include "test_repair_fixture.h"

#include <stdlib.h>

/*
 * The fixture wine.repair_links.setup (tests/wine/repair.cmake) made, in the prefix:
 *   C:\csdlinks\win\System32\catroot2  -> a host symbolic link to C:\csdlinks\outside
 *   C:\csdlinks\outside\edb.log, edb00001.log  (what the link points to: must never move)
 *   C:\csdlinks\datalink               -> a host symbolic link to C:\csdlinks\outside2
 * Wine shows a host directory link as FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT, and its
 * MoveFileExW on such a link moves the folder the link points to (seen here): so links are never moved.
 */

static BOOL exists(const WCHAR *path)
{
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

START_TEST(repair_links)
{
    struct repair_result *r = calloc(1, sizeof(*r));
    struct repair_options options;
    DWORD attributes, error;
    WCHAR backup[MAX_PATH], moved_link[MAX_PATH];

    if (!fx_find_standin()) {
        skip("csd-standin.exe is not beside the test\n");
        return;
    }
    fx_setup(L"links");
    wcscpy(fx_windows, L"C:\\csdlinks\\win");
    swprintf(fx_data, ARRAYSIZE(fx_data), L"C:\\csdlinks\\data-%lu", GetCurrentProcessId());
    attributes = GetFileAttributesW(L"C:\\csdlinks\\win\\System32\\catroot2");
    if (attributes == INVALID_FILE_ATTRIBUTES || !(attributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
        skip("the host link fixture is missing (attributes %lx)\n", attributes);
        return;
    }
    if (!fx_create_service(fx_service, L"normal", SERVICE_DEMAND_START, L"RpcSs\0", TRUE)) return;

    /* Clear logs: catroot2 is a link, so nothing inside it is touched. */
    fx_options(&options);
    error = repair_run(REPAIR_CLEAR_LOGS, &options, r);
    fx_dump(r);
    ok(error == 0, "clear logs with a linked catroot2: %lu\n", error);
    ok(r->steps[2].status == REPAIR_STEP_SKIPPED && wcsstr(r->steps[2].detail, L"not followed"),
       "the catroot2 step says it did not follow the link: %ls\n", r->steps[2].detail);
    ok(exists(L"C:\\csdlinks\\outside\\edb.log") && exists(L"C:\\csdlinks\\outside\\edb00001.log"),
       "the files the link points to stay\n");

    /* Rebuild: a linked catroot2 is neither moved nor followed (Wine would move the target). */
    error = repair_run(REPAIR_REBUILD_CATALOG, &options, r);
    fx_dump(r);
    ok(error == 0, "rebuild with a linked catroot2: %lu\n", error);
    ok(r->steps[2].status == REPAIR_STEP_WARNING && wcsstr(r->steps[2].detail, L"not followed"),
       "the rebuild says it left the link alone: %ls\n", r->steps[2].detail);
    attributes = GetFileAttributesW(L"C:\\csdlinks\\win\\System32\\catroot2");
    ok(attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_REPARSE_POINT), "the link is still there\n");
    ok(exists(L"C:\\csdlinks\\outside\\edb.log") && exists(L"C:\\csdlinks\\outside\\edb00001.log"),
       "the link's target was not moved\n");
    wcscpy(backup, r->backup_dir);
    swprintf(moved_link, ARRAYSIZE(moved_link), L"%ls\\files\\System32\\catroot2", backup);
    ok(!exists(moved_link), "nothing went into the backup\n");

    /* A data folder that is a link (planted in ProgramData by someone): refused before anything. */
    wcscpy(fx_data, L"C:\\csdlinks\\datalink");
    fx_options(&options);
    error = repair_run(REPAIR_CLEAR_LOGS, &options, r);
    ok(error == ERROR_CANT_ACCESS_FILE, "a linked data folder is refused: %lu %ls\n", error, r->message);
    ok(r->step_count && r->steps[0].status == REPAIR_STEP_PLANNED, "nothing ran\n");
    ok(!exists(L"C:\\csdlinks\\outside2\\backups"), "nothing was written through the link\n");

    fx_delete_service(fx_service);
    free(r);
}
