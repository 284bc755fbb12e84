/* tests/wine/test_repair_guards.c: the repair engine refuses what it must not trust: a data folder it cannot own, crafted manifests. */
#include "test_repair_fixture.h"

#include "pure/manifest.h"
#include "win/repair_internal.h"
#include "win/seam.h"

#include <stdlib.h>

static struct repair_result *result;   /* big: on the heap */
static unsigned crafted;               /* numbers the crafted backup folders */

/* ---- the data folder: owner and protected DACL on each folder, or refused -------------------- */

static struct { WCHAR path[MAX_PATH]; SECURITY_INFORMATION what; } security_calls[8];
static unsigned security_call_count;
static BOOL refuse_owner;

static BOOL WINAPI spy_SetFileSecurityW(LPCWSTR path, SECURITY_INFORMATION what, PSECURITY_DESCRIPTOR descriptor)
{
    PSID owner = NULL;
    BOOL defaulted = FALSE;

    if (security_call_count < ARRAYSIZE(security_calls)) {
        wcsncpy(security_calls[security_call_count].path, path, MAX_PATH - 1);
        security_calls[security_call_count].what = what;
    }
    security_call_count++;
    /* The descriptor really names Administrators as owner. */
    ok(GetSecurityDescriptorOwner(descriptor, &owner, &defaulted) && owner &&
       IsWellKnownSid(owner, WinBuiltinAdministratorsSid), "owner is Administrators for %ls\n", path);
    if (refuse_owner && (what & OWNER_SECURITY_INFORMATION)) {
        SetLastError(ERROR_INVALID_OWNER);
        return FALSE;
    }
    return SetFileSecurityW(path, what, descriptor);
}

static BOOL secured(const WCHAR *path)
{
    const SECURITY_INFORMATION want = OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION |
                                      PROTECTED_DACL_SECURITY_INFORMATION;
    for (unsigned i = 0; i < security_call_count && i < ARRAYSIZE(security_calls); i++)
        if (!_wcsicmp(security_calls[i].path, path) && (security_calls[i].what & want) == want) return TRUE;
    return FALSE;
}

static DWORD wintrust_value(const WCHAR *key_name)
{
    DWORD value = 0, size = sizeof(value);
    RegGetValueW(HKEY_CURRENT_USER, key_name, L"State", RRF_RT_REG_DWORD, NULL, &value, &size);
    return value;
}

static void test_data_folder(void)
{
    struct repair_options options;
    WCHAR key_name[200], backups[MAX_PATH];
    DWORD value = 0x12345, error;
    HKEY key;

    swprintf(key_name, ARRAYSIZE(key_name), L"Software\\CsdGuards%lu\\Software Publishing", GetCurrentProcessId());
    RegCreateKeyExW(HKEY_CURRENT_USER, key_name, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL);
    RegSetValueExW(key, L"State", 0, REG_DWORD, (BYTE *)&value, sizeof(value));
    RegCloseKey(key);
    swprintf(backups, ARRAYSIZE(backups), L"%ls\\backups", fx_data);

    /* Someone made the folders before us (ProgramData lets users): both are taken over. */
    fx_mkdirs(backups);
    fx_options(&options);
    options.wintrust_root = HKEY_CURRENT_USER;
    options.wintrust_key = key_name;
    security_call_count = 0;
    refuse_owner = FALSE;
    seam.SetFileSecurityW = spy_SetFileSecurityW;
    error = repair_run(REPAIR_RESET_WINTRUST_STATE, &options, result);
    seam_reset();
    fx_dump(result);
    ok(error == 0, "wintrust with existing folders: %lu\n", error);
    ok(secured(fx_data), "%ls: owner and protected DACL set\n", fx_data);
    ok(secured(backups), "%ls: owner and protected DACL set\n", backups);

    /* Fresh folders: secured too (CreateDirectory may give the owner to the creator). */
    fx_remove_tree(fx_data);
    security_call_count = 0;
    seam.SetFileSecurityW = spy_SetFileSecurityW;
    error = repair_run(REPAIR_RESET_WINTRUST_STATE, &options, result);
    seam_reset();
    ok(error == 0 && secured(fx_data) && secured(backups), "new folders secured: %lu\n", error);

    /* The owner cannot be set: the folder is not used and nothing changes. */
    value = 0x12345;
    RegSetKeyValueW(HKEY_CURRENT_USER, key_name, L"State", REG_DWORD, &value, sizeof(value));
    security_call_count = 0;
    refuse_owner = TRUE;
    seam.SetFileSecurityW = spy_SetFileSecurityW;
    error = repair_run(REPAIR_RESET_WINTRUST_STATE, &options, result);
    seam_reset();
    refuse_owner = FALSE;
    fx_dump(result);
    ok(error == ERROR_INVALID_OWNER, "owner refused: error %lu\n", error);
    ok(wcsstr(result->message, L"Administrators only") && wcsstr(result->message, L"Nothing was changed"),
       "message says why: %ls\n", result->message);
    ok(wintrust_value(key_name) == 0x12345, "State untouched: %lx\n", wintrust_value(key_name));
    swprintf(key_name, ARRAYSIZE(key_name), L"Software\\CsdGuards%lu", GetCurrentProcessId());
    RegDeleteTreeW(HKEY_CURRENT_USER, key_name);
}

/* ---- crafted manifests ------------------------------------------------------------------------ */

static void put_line(HANDLE file, const char *line, size_t length)
{
    DWORD wrote = 0;
    ok(length && WriteFile(file, line, (DWORD)length, &wrote, NULL) && wrote == length, "manifest line written\n");
}

/* The path of a new crafted backup folder. */
static void new_backup(WCHAR *backup)
{
    swprintf(backup, MAX_PATH, L"%ls\\backups\\crafted-%u", fx_data, ++crafted);
}

/* Writes the manifest of backup folder `backup`: the given service, move lines, a value line. */
static void make_backup(WCHAR *backup, const char *service, const char *const *moves, size_t move_count,
                        const char *hive, const char *key, const char *value_name)
{
    char line[4096], windows[MAX_PATH * 3];
    WCHAR path[MAX_PATH];
    HANDLE file;

    fx_mkdirs(backup);
    swprintf(path, ARRAYSIZE(path), L"%ls\\manifest.txt", backup);
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (!ok(file != INVALID_HANDLE_VALUE, "manifest created\n")) return;
    WideCharToMultiByte(CP_UTF8, 0, fx_windows, -1, windows, sizeof(windows), NULL, NULL);
    put_line(file, line, manifest_format_header(line, sizeof(line), "clear_logs", "2026-01-01T00:00:00Z", service,
                                                windows));
    for (size_t i = 0; i + 1 < move_count * 2; i += 2)
        put_line(file, line, manifest_format_move(line, sizeof(line), MANIFEST_FILE, moves[i], moves[i + 1]));
    if (hive) {
        DWORD two = 2;
        put_line(file, line, manifest_format_value(line, sizeof(line), hive, key, value_name, REG_DWORD,
                                                   (const unsigned char *)&two, sizeof(two), 0));
    }
    CloseHandle(file);
}

static char *utf8(const WCHAR *text)
{
    static char buffers[4][MAX_PATH * 3];
    static unsigned next;
    char *out = buffers[next++ % 4];
    WideCharToMultiByte(CP_UTF8, 0, text, -1, out, MAX_PATH * 3, NULL, NULL);
    return out;
}

static char service_utf8[64];

static BOOL file_at(const WCHAR *path)
{
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

static void write_file(const WCHAR *path, const char *content)
{
    HANDLE file;
    DWORD wrote;
    WCHAR dir[MAX_PATH];

    wcscpy(dir, path);
    *wcsrchr(dir, L'\\') = 0;
    fx_mkdirs(dir);
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    WriteFile(file, content, (DWORD)strlen(content), &wrote, NULL);
    CloseHandle(file);
}

/* Restores `backup`, expecting a refusal: ERROR_INVALID_DATA and nothing moved. */
static void expect_refused(const WCHAR *backup, const WCHAR *still_here, const WCHAR *never_there, const char *what)
{
    struct repair_options options;
    DWORD error;

    fx_options(&options);
    error = repair_restore(backup, &options, result);
    fx_dump(result);
    ok(error == ERROR_INVALID_DATA, "%s: refused with ERROR_INVALID_DATA, got %lu\n", what, error);
    ok(file_at(still_here), "%s: %ls is still there\n", what, still_here);
    ok(!never_there || !file_at(never_there), "%s: nothing arrived at %ls\n", what, never_there);
}

static void test_crafted_moves(void)
{
    WCHAR backup[MAX_PATH], victim[MAX_PATH], inside_item[MAX_PATH], from[MAX_PATH], elsewhere[MAX_PATH];
    const char *moves[4];

    /* '/' separators climbing out of the backup: <backup>\x/../../victim.txt is data\backups\victim.txt. */
    swprintf(victim, ARRAYSIZE(victim), L"%ls\\backups\\victim.txt", fx_data);
    write_file(victim, "victim");
    new_backup(backup);
    {
        WCHAR to[MAX_PATH];
        swprintf(to, ARRAYSIZE(to), L"%ls\\x/../../victim.txt", backup);
        swprintf(from, ARRAYSIZE(from), L"%ls\\restored-victim.txt", fx_windows);
        moves[0] = utf8(from);
        moves[1] = utf8(to);
        make_backup(backup, service_utf8, moves, 1, NULL, NULL, NULL);
    }
    expect_refused(backup, victim, from, "'/..' in the backup path");

    /* "..\" climbing out of the backup. */
    {
        WCHAR to[MAX_PATH];
        swprintf(to, ARRAYSIZE(to), L"%ls\\files\\..\\..\\victim.txt", backup);
        moves[0] = utf8(from);
        moves[1] = utf8(to);
        make_backup(backup, service_utf8, moves, 1, NULL, NULL, NULL);
    }
    expect_refused(backup, victim, from, "'..\\' in the backup path");

    /* "<backup>\files\sub\.." with no backslash after: the files folder itself. */
    {
        WCHAR to[MAX_PATH], sub[MAX_PATH];
        new_backup(backup);
        fx_mkdirs(backup);
        swprintf(inside_item, ARRAYSIZE(inside_item), L"%ls\\files\\item.txt", backup);
        write_file(inside_item, "item");
        swprintf(sub, ARRAYSIZE(sub), L"%ls\\files\\sub", backup);
        fx_mkdirs(sub);
        swprintf(to, ARRAYSIZE(to), L"%ls\\..", sub);
        swprintf(from, ARRAYSIZE(from), L"%ls\\got-files", fx_windows);
        moves[0] = utf8(from);
        moves[1] = utf8(to);
        make_backup(backup, service_utf8, moves, 1, NULL, NULL, NULL);
    }
    expect_refused(backup, inside_item, from, "trailing '\\..' in the backup path");

    /* A destination outside the Windows folder ("C:\elsewhere"), and one climbing out of it. */
    swprintf(elsewhere, ARRAYSIZE(elsewhere), L"%ls\\elsewhere\\item.txt", fx_root);
    moves[0] = utf8(elsewhere);
    moves[1] = utf8(inside_item);
    make_backup(backup, service_utf8, moves, 1, NULL, NULL, NULL);
    write_file(inside_item, "item");
    expect_refused(backup, inside_item, elsewhere, "destination outside the Windows folder");

    swprintf(from, ARRAYSIZE(from), L"%ls\\..\\elsewhere\\item.txt", fx_windows);
    moves[0] = utf8(from);
    moves[1] = utf8(inside_item);
    make_backup(backup, service_utf8, moves, 1, NULL, NULL, NULL);
    write_file(inside_item, "item");
    expect_refused(backup, inside_item, elsewhere, "'..' in the destination");

    /* A good entry beside a bad one: all or nothing, the good one stays in the backup too. */
    {
        const char *two[4];
        WCHAR good_from[MAX_PATH];
        swprintf(good_from, ARRAYSIZE(good_from), L"%ls\\System32\\good.txt", fx_windows);
        two[0] = utf8(good_from);
        two[1] = utf8(inside_item);
        two[2] = utf8(elsewhere);
        two[3] = utf8(inside_item);
        make_backup(backup, service_utf8, two, 2, NULL, NULL, NULL);
        write_file(inside_item, "item");
        expect_refused(backup, inside_item, good_from, "one bad entry among good ones");
    }
}

/* ---- crafted values and service --------------------------------------------------------------- */

static DWORD read_dword(HKEY root, const WCHAR *key, const WCHAR *name)
{
    DWORD value = 0, size = sizeof(value);
    RegGetValueW(root, key, name, RRF_RT_REG_DWORD, NULL, &value, &size);
    return value;
}

static void test_crafted_values(void)
{
    struct repair_options options;
    WCHAR backup[MAX_PATH], key_name[100];
    DWORD one = 1, error;

    swprintf(key_name, ARRAYSIZE(key_name), L"Software\\CsdGuards%lu", GetCurrentProcessId());
    RegSetKeyValueW(HKEY_LOCAL_MACHINE, key_name, L"State", REG_DWORD, &one, sizeof(one));
    RegSetKeyValueW(HKEY_CURRENT_USER, key_name, L"Run", REG_DWORD, &one, sizeof(one));
    fx_options(&options);

    new_backup(backup);
    make_backup(backup, service_utf8, NULL, 0, "HKLM", utf8(key_name), "State");
    error = repair_restore(backup, &options, result);
    fx_dump(result);
    ok(error == ERROR_INVALID_DATA && read_dword(HKEY_LOCAL_MACHINE, key_name, L"State") == 1,
       "an HKLM value is not written: %lu, %lu\n", error, read_dword(HKEY_LOCAL_MACHINE, key_name, L"State"));

    new_backup(backup);
    make_backup(backup, service_utf8, NULL, 0, "HKCU", utf8(key_name), "Run");
    error = repair_restore(backup, &options, result);
    ok(error == ERROR_INVALID_DATA && read_dword(HKEY_CURRENT_USER, key_name, L"Run") == 1,
       "another HKCU value is not written: %lu\n", error);

    /* The WinTrust key but another value name. */
    new_backup(backup);
    make_backup(backup, service_utf8, NULL, 0, "HKCU", utf8(REPAIR_WINTRUST_KEY), "Other");
    error = repair_restore(backup, &options, result);
    ok(error == ERROR_INVALID_DATA, "another value of the WinTrust key is not written: %lu\n", error);
    ok(RegGetValueW(HKEY_CURRENT_USER, REPAIR_WINTRUST_KEY, L"Other", RRF_RT_ANY, NULL, NULL, NULL) != 0,
       "it was not created\n");

    RegDeleteTreeW(HKEY_LOCAL_MACHINE, key_name);
    RegDeleteTreeW(HKEY_CURRENT_USER, key_name);

    /* A manifest naming another service than the options' (CryptSvc by default). */
    new_backup(backup);
    make_backup(backup, "Spooler", NULL, 0, NULL, NULL, NULL);
    error = repair_restore(backup, &options, result);
    fx_dump(result);
    ok(error == ERROR_INVALID_DATA && wcsstr(result->message, L"Spooler") &&
       wcsstr(result->message, L"Nothing was changed"), "another service refused: %lu, %ls\n", error, result->message);
    options.service = NULL;
    error = repair_describe_restore(backup, &options, result);
    ok(error == ERROR_INVALID_DATA, "not CryptSvc either when no service is given: %lu\n", error);
}

/* ---- all 999 aside names taken: refused, never one reused -------------------------------------- */

static DWORD WINAPI asides_taken_GetFileAttributesW(LPCWSTR path)
{
    if (wcsstr(path, L"\\aside\\")) return FILE_ATTRIBUTE_NORMAL;
    return GetFileAttributesW(path);
}

static void test_asides_full(void)
{
    struct repair_options options;
    WCHAR backup[MAX_PATH], home[MAX_PATH], saved[MAX_PATH];
    const char *moves[2];
    DWORD error;

    new_backup(backup);
    swprintf(home, ARRAYSIZE(home), L"%ls\\System32\\thing.txt", fx_windows);
    swprintf(saved, ARRAYSIZE(saved), L"%ls\\files\\System32\\thing.txt", backup);
    write_file(home, "new");
    write_file(saved, "old");
    moves[0] = utf8(home);
    moves[1] = utf8(saved);
    make_backup(backup, service_utf8, moves, 1, NULL, NULL, NULL);
    write_file(saved, "old");
    fx_options(&options);
    seam.GetFileAttributesW = asides_taken_GetFileAttributesW;
    error = repair_restore(backup, &options, result);
    seam_reset();
    fx_dump(result);
    ok(error == ERROR_ALREADY_EXISTS, "no free aside name: %lu\n", error);
    ok(file_at(home) && file_at(saved), "both the new item and the saved one stay where they are\n");
    {
        WCHAR last[MAX_PATH];
        swprintf(last, ARRAYSIZE(last), L"%ls\\aside\\999-thing.txt", backup);
        ok(!file_at(last), "no aside name reused\n");
    }
}

/* ---- PendingFileRenameOperations: an unpaired last string is kept ----------------------------- */

/* The value as a hand edit may leave it: no empty string ending the list, so "odd" has no pair. */

static const WCHAR pending_list[] = L"\\??\\C:\\a\0\\??\\C:\\b\0\\??\\C:\\c\0!\\??\\C:\\d\0\\??\\C:\\odd\0";
static WCHAR pending_written[64];
static DWORD pending_written_size;

static LSTATUS WINAPI pending_RegOpenKeyExW(HKEY root, LPCWSTR sub, DWORD options, REGSAM sam, PHKEY key)
{
    (void)root; (void)sub; (void)options; (void)sam;
    *key = (HKEY)(ULONG_PTR)0x1234;
    return ERROR_SUCCESS;
}

static LSTATUS WINAPI pending_RegQueryValueExW(HKEY key, LPCWSTR name, LPDWORD reserved, LPDWORD type, LPBYTE data,
                                               LPDWORD size)
{
    (void)key; (void)name; (void)reserved;
    if (type) *type = REG_MULTI_SZ;
    DWORD length = sizeof(pending_list) - sizeof(WCHAR);
    if (data && *size < length) return ERROR_MORE_DATA;
    if (data) memcpy(data, pending_list, length);
    *size = length;
    return ERROR_SUCCESS;
}

static LSTATUS WINAPI pending_RegSetValueExW(HKEY key, LPCWSTR name, DWORD reserved, DWORD type, const BYTE *data,
                                             DWORD size)
{
    (void)key; (void)name; (void)reserved; (void)type;
    pending_written_size = size < sizeof(pending_written) ? size : sizeof(pending_written);
    memcpy(pending_written, data, pending_written_size);
    return ERROR_SUCCESS;
}

static LSTATUS WINAPI pending_RegCloseKey(HKEY key)
{
    (void)key;
    return ERROR_SUCCESS;
}

static void test_cancel_pending_keeps_rest(void)
{
    static const WCHAR want[] = L"\\??\\C:\\c\0!\\??\\C:\\d\0\\??\\C:\\odd\0";
    DWORD error;

    seam.RegOpenKeyExW = pending_RegOpenKeyExW;
    seam.RegQueryValueExW = pending_RegQueryValueExW;
    seam.RegSetValueExW = pending_RegSetValueExW;
    seam.RegCloseKey = pending_RegCloseKey;
    error = repair_cancel_pending(L"C:\\a", L"C:\\b");
    seam_reset();
    ok(error == 0, "cancelled: %lu\n", error);
    ok(pending_written_size == sizeof(want) && !memcmp(pending_written, want, sizeof(want)),
       "the other pair and the unpaired last string are kept (%lu bytes written, %u wanted)\n", pending_written_size,
       (unsigned)sizeof(want));
}

/* ---- two stopped dependencies: both started, not only the last row's --------------------------- */

static void test_two_dependencies(void)
{
    struct diagnosis *diagnosis = calloc(1, sizeof(*diagnosis));
    struct repair_result *results = calloc(REPAIR_COUNT, sizeof(*results));
    struct repair_options options;
    WCHAR first[64], second[64], main_service[64], depends[140];
    size_t ran = 0;
    DWORD error;

    swprintf(first, ARRAYSIZE(first), L"%lsD1", fx_service);
    swprintf(second, ARRAYSIZE(second), L"%lsD2", fx_service);
    swprintf(main_service, ARRAYSIZE(main_service), L"%lsM", fx_service);
    swprintf(depends, ARRAYSIZE(depends), L"%ls|%ls|", first, second);
    for (WCHAR *p = depends; *p; p++)
        if (*p == L'|') *p = 0;
    if (!fx_create_service(first, L"normal", SERVICE_DEMAND_START, NULL, FALSE) ||
        !fx_create_service(second, L"normal", SERVICE_DEMAND_START, NULL, FALSE) ||
        !fx_create_service(main_service, L"normal", SERVICE_DEMAND_START, depends, FALSE))
        return;
    diag_init(diagnosis);
    for (int i = 0; i < 2; i++) {
        struct diag_row *row = diag_add_row(diagnosis, DIAG_DEPENDENCY_RPCSS, i ? "second" : "first");
        row->repair = REPAIR_START_DEPENDENCY;
        WideCharToMultiByte(CP_UTF8, 0, i ? second : first, -1, row->repair_target, sizeof(row->repair_target),
                            NULL, NULL);
    }
    fx_options(&options);
    options.service = main_service;
    error = repair_fix_diagnosis(diagnosis, &options, NULL, results, REPAIR_COUNT, &ran);
    fx_dump(&results[0]);
    ok(error == 0 && ran == 1, "fix two dependencies: %lu, ran %u\n", error, (unsigned)ran);
    ok(fx_status(first).dwCurrentState == SERVICE_RUNNING, "the first dependency runs\n");
    ok(fx_status(second).dwCurrentState == SERVICE_RUNNING, "the second dependency runs\n");
    fx_delete_service(main_service);
    fx_delete_service(first);
    fx_delete_service(second);
    free(results);
    free(diagnosis);
}

START_TEST(repair_guards)
{
    if (!fx_find_standin()) {
        skip("csd-standin.exe is not beside the test\n");
        return;
    }
    result = calloc(1, sizeof(*result));
    fx_setup(L"grd");
    fx_remove_tree(fx_root);
    fx_make_tree();
    WideCharToMultiByte(CP_UTF8, 0, fx_service, -1, service_utf8, sizeof(service_utf8), NULL, NULL);
    if (!fx_create_service(fx_service, L"normal", SERVICE_DEMAND_START, L"RpcSs\0", TRUE)) return;

    test_cancel_pending_keeps_rest();
    test_data_folder();
    test_crafted_moves();
    test_crafted_values();
    test_asides_full();
    test_two_dependencies();

    fx_delete_service(fx_service);
    fx_remove_tree(fx_root);
    free(result);
}
