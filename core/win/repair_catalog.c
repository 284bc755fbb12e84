/* core/win/repair_catalog.c: the plans: clear the logs, rebuild catroot2, DLLs, root list, WinTrust, restore. */
#include "win/repair_internal.h"
#include "win/seam.h"
#include "win/catdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define GUID_SYSTEM L"{F750E6C3-38EE-11D1-85E5-00C04FC295EE}"   /* DRIVER_ACTION_VERIFY */
#define GUID_DEFAULT L"{127D0A1D-4EF2-11D1-8608-00C04FC295EE}"  /* DEF_SUBSYS_ID */
#define CACHE_TAIL L"AppData\\LocalLow\\Microsoft\\CryptnetUrlCache"
#define MANIFEST_MAX (256u * 1024 * 1024)

static void add_backup_step(struct repair_job *job)
{
    repair_add_step(job, repair_step_create_backup, NULL, L"Create a backup folder in %ls\\backups", job->data);
}

static DWORD undo_moves(struct repair_job *job, struct repair_step *step)
{
    return repair_undo_moves(job, step);
}

/* ---- clear the logs (the source article; KB822798 method 1 as the light cure) --------- */

static DWORD step_move_pattern(struct repair_job *job, struct repair_step *step)
{
    return repair_move_pattern(job, step, step->path, L"Edb", L".log");
}

static DWORD step_move_one(struct repair_job *job, struct repair_step *step)
{
    WCHAR to[REPAIR_PATH_CCH];
    DWORD attributes = seam.GetFileAttributesW(step->path);

    if (attributes == INVALID_FILE_ATTRIBUTES) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"%ls is not there", step->path);
        return ERROR_SUCCESS;
    }
    repair_backup_path(job, step->path, to, ARRAYSIZE(to));
    step->param = 1;
    return repair_move(job, step, step->path, to, 0);
}

DWORD repair_build_clear_logs(struct repair_job *job)
{
    static const WCHAR *const security_dirs[] = { L"security", L"security\\Database" };
    BOOL light = job->options && job->options->light_cure;
    struct repair_step *step;
    DWORD error = repair_read_service(job);

    if (error) return error;
    add_backup_step(job);
    repair_add_stop_steps(job);
    if (light) {
        step = repair_add_step(job, step_move_one, undo_moves,
                               L"Set aside catroot2\\Edb.log only (KB822798, the lightest cure)");
        if (step) swprintf(step->path, ARRAYSIZE(step->path), L"%ls\\System32\\catroot2\\Edb.log", job->windows);
    } else {
        step = repair_add_step(job, step_move_pattern, undo_moves, L"Move catroot2\\Edb*.log to the backup");
        if (step) swprintf(step->path, ARRAYSIZE(step->path), L"%ls\\System32\\catroot2", job->windows);
        /* XP keeps the security database's logs in security\, Windows 10/11 in security\Database\. */
        for (unsigned i = 0; i < ARRAYSIZE(security_dirs); i++) {
            step = repair_add_step(job, step_move_pattern, undo_moves, L"Move %ls\\Edb*.log to the backup",
                                   security_dirs[i]);
            if (step) swprintf(step->path, ARRAYSIZE(step->path), L"%ls\\%ls", job->windows, security_dirs[i]);
        }
    }
    repair_add_start_steps(job);
    return ERROR_SUCCESS;
}

/* ---- rebuild the catalog database (KB822798 method 4) ---------------------------------- */

static DWORD step_move_catroot2(struct repair_job *job, struct repair_step *step)
{
    WCHAR to[REPAIR_PATH_CCH];
    DWORD attributes = seam.GetFileAttributesW(step->path);

    if (attributes == INVALID_FILE_ATTRIBUTES) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"there is no catroot2: Windows makes it when the service starts");
        return ERROR_SUCCESS;
    }
    if (repair_is_reparse(attributes)) {
        /* Someone put catroot2 elsewhere on purpose: neither the link nor its target is ours to move. */
        step->status = REPAIR_STEP_WARNING;
        repair_detail(step, L"catroot2 is a link (junction or symbolic link): not moved and not followed; "
                      L"rebuild it where the link points, by hand");
        return ERROR_SUCCESS;
    }
    repair_backup_path(job, step->path, to, ARRAYSIZE(to));
    step->param = 1;
    return repair_move(job, step, step->path, to, 0);
}

static BOOL catroot2_move_pending(struct repair_job *job)
{
    WCHAR catroot2[MAX_PATH];

    swprintf(catroot2, ARRAYSIZE(catroot2), L"%ls\\System32\\catroot2", job->windows);
    for (size_t i = 0; i < job->move_count; i++)
        if (job->moves[i].pending && !job->moves[i].undone && !_wcsicmp(job->moves[i].was, catroot2)) return TRUE;
    return FALSE;
}

/* What can be checked is checked; what cannot is said, never assumed. */
static DWORD step_verify(struct repair_job *job, struct repair_step *step)
{
    WCHAR windows[MAX_PATH], catdb[MAX_PATH];
    SERVICE_STATUS_PROCESS status = { 0 };
    DWORD error = repair_query_status(job, job->service, &status);
    BOOL real_windows;

    if (error) return error;
    if (status.dwCurrentState != SERVICE_RUNNING) {
        repair_detail(step, L"%ls is not running after the rebuild (state %lu)", job->service,
                      status.dwCurrentState);
        return ERROR_SERVICE_NOT_ACTIVE;
    }
    if (catroot2_move_pending(job)) {
        step->status = REPAIR_STEP_WARNING;
        repair_detail(step, L"%ls runs; catroot2 is renamed at the next restart, so the new catalog database "
                      L"could not be checked yet", job->service);
        return ERROR_SUCCESS;
    }
    swprintf(catdb, ARRAYSIZE(catdb), L"%ls\\System32\\catroot2\\%ls\\catdb", job->windows, GUID_SYSTEM);
    real_windows = seam.GetSystemWindowsDirectoryW(windows, ARRAYSIZE(windows)) && !_wcsicmp(windows, job->windows);
    if (real_windows && seam.GetFileAttributesW(catdb) == INVALID_FILE_ATTRIBUTES) {
        /* One catalog lookup makes CryptSvc open (and so recreate) its database. */
        HCATADMIN admin;
        GUID verify = { 0xf750e6c3, 0x38ee, 0x11d1, { 0x85, 0xe5, 0x00, 0xc0, 0x4f, 0xc2, 0x95, 0xee } };
        if (seam.CryptCATAdminAcquireContext(&admin, &verify, 0)) seam.CryptCATAdminReleaseContext(admin, 0);
    }
    if (seam.GetFileAttributesW(catdb) != INVALID_FILE_ATTRIBUTES) {
        struct catdb_report *report = calloc(1, sizeof(*report));
        if (report && !catdb_scan(job->windows, NULL, report)) {
            /* A running service keeps its database open: "in use" is the expected answer. */
            repair_detail(step, L"%ls runs and has made a new catalog database (%hs)", job->service,
                          catdb_verdict_name(report->overall));
            if (report->overall == CATDB_CORRUPT) step->status = REPAIR_STEP_WARNING;
        } else {
            repair_detail(step, L"%ls runs and has made a new catalog database (not read)", job->service);
        }
        free(report);
        return ERROR_SUCCESS;
    }
    step->status = REPAIR_STEP_WARNING;
    repair_detail(step, L"%ls runs; could not check the new catalog database: %ls was not (yet) recreated%ls",
                  job->service, catdb, real_windows ? L" (Windows makes it on the next catalog lookup)"
                                                    : L" (a test folder: the service does not use it)");
    return ERROR_SUCCESS;
}

static DWORD step_move_tmp_cat(struct repair_job *job, struct repair_step *step)
{
    return repair_move_pattern(job, step, step->path, L"tmp", L".cat");
}

DWORD repair_build_rebuild(struct repair_job *job)
{
    static const WCHAR *const guids[] = { GUID_SYSTEM, GUID_DEFAULT };
    struct repair_step *step;
    DWORD error = repair_read_service(job);

    if (error) return error;
    add_backup_step(job);
    repair_add_stop_steps(job);
    step = repair_add_step(job, step_move_catroot2, undo_moves,
                           L"Move catroot2 to the backup (Windows makes a new one; catroot is never touched)");
    if (step) swprintf(step->path, ARRAYSIZE(step->path), L"%ls\\System32\\catroot2", job->windows);
    repair_add_start_steps(job);
    repair_add_step(job, step_verify, NULL, L"Check that %ls runs and has a new catalog database", job->service);
    for (unsigned i = 0; i < ARRAYSIZE(guids); i++) {
        step = repair_add_step(job, step_move_tmp_cat, undo_moves, L"Set aside tmp*.cat in catroot\\%ls", guids[i]);
        if (step) swprintf(step->path, ARRAYSIZE(step->path), L"%ls\\System32\\catroot\\%ls", job->windows, guids[i]);
    }
    return ERROR_SUCCESS;
}

/* ---- re-register the KB822798 DLLs ----------------------------------------------------- */

typedef HRESULT (STDAPICALLTYPE *register_fn)(void);

static DWORD step_register(struct repair_job *job, struct repair_step *step)
{
    HMODULE module;
    register_fn entry;
    HRESULT hr;

    (void)job;
    /* Only from System32, never from the current folder or PATH. */
    module = seam.LoadLibraryExW(step->path, NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!module) {
        DWORD error = GetLastError();
        if (error == ERROR_MOD_NOT_FOUND) {
            step->status = REPAIR_STEP_SKIPPED;
            repair_detail(step, L"not on this Windows");
            return ERROR_SUCCESS;
        }
        return error;
    }
    entry = (register_fn)(void (*)(void))seam.GetProcAddress(module, "DllRegisterServer");
    if (!entry) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"has no DllRegisterServer");
        seam.FreeLibrary(module);
        return ERROR_SUCCESS;
    }
    hr = entry();
    seam.FreeLibrary(module);
    if (FAILED(hr)) {
        repair_detail(step, L"DllRegisterServer returned 0x%08lX", (unsigned long)hr);
        return (DWORD)hr;
    }
    if (hr != S_OK) {
        /* Wine's cryptdlg answers 0x57: a success code, but not S_OK. Said as it is. */
        step->status = REPAIR_STEP_WARNING;
        repair_detail(step, L"DllRegisterServer returned 0x%08lX (a success code, not S_OK)", (unsigned long)hr);
    } else {
        repair_detail(step, L"registered");
    }
    return ERROR_SUCCESS;
}

DWORD repair_build_dlls(struct repair_job *job)
{
    static const WCHAR *const dlls[] = { L"softpub.dll", L"wintrust.dll", L"initpki.dll", L"dssenh.dll",
                                         L"rsaenh.dll", L"gpkcsp.dll", L"sccbase.dll", L"slbcsp.dll",
                                         L"cryptdlg.dll" };

    for (unsigned i = 0; i < ARRAYSIZE(dlls); i++) {
        struct repair_step *step = repair_add_step(job, step_register, NULL, L"Register %ls", dlls[i]);
        if (!step) return ERROR_BUFFER_OVERFLOW;
        wcscpy(step->path, dlls[i]);
        step->optional = TRUE;   /* one DLL that fails does not undo the others */
    }
    return ERROR_SUCCESS;
}

/* ---- refresh the root list (KB2328240) -------------------------------------------------- */

static DWORD step_move_cache(struct repair_job *job, struct repair_step *step)
{
    static const WCHAR *const parts[] = { L"Content", L"MetaData" };
    DWORD attributes = seam.GetFileAttributesW(step->path);
    unsigned moved = 0;

    if (attributes == INVALID_FILE_ATTRIBUTES || repair_is_reparse(attributes)) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, attributes == INVALID_FILE_ATTRIBUTES ? L"no cache" : L"a link: not followed");
        return ERROR_SUCCESS;
    }
    for (unsigned i = 0; i < ARRAYSIZE(parts); i++) {
        WCHAR from[MAX_PATH], to[REPAIR_PATH_CCH];
        DWORD error;

        swprintf(from, ARRAYSIZE(from), L"%ls\\%ls", step->path, parts[i]);
        attributes = seam.GetFileAttributesW(from);
        if (attributes == INVALID_FILE_ATTRIBUTES || repair_is_reparse(attributes)) continue;
        repair_backup_path(job, from, to, ARRAYSIZE(to));
        step->param = 2;
        error = repair_move(job, step, from, to, 0);
        if (error) return error;
        moved++;
    }
    if (!moved) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"the cache is empty");
    } else if (step->status != REPAIR_STEP_PENDING_REBOOT) {
        repair_detail(step, L"%u folder(s) moved; Windows downloads the list again", moved);
    }
    return ERROR_SUCCESS;
}

DWORD repair_build_root_list(struct repair_job *job)
{
    static const struct { const WCHAR *who, *profile; } profiles[] = {
        { L"LocalService", L"ServiceProfiles\\LocalService" },
        { L"NetworkService", L"ServiceProfiles\\NetworkService" },
        { L"LocalSystem", L"System32\\config\\systemprofile" },
    };
    DWORD error = repair_read_service(job);

    if (error) return error;
    add_backup_step(job);
    repair_add_stop_steps(job);
    for (unsigned i = 0; i < ARRAYSIZE(profiles); i++) {
        struct repair_step *step = repair_add_step(job, step_move_cache, undo_moves,
                                                   L"Move the cached root list of %ls (CryptnetUrlCache) to the backup",
                                                   profiles[i].who);
        if (step)
            swprintf(step->path, ARRAYSIZE(step->path), L"%ls\\%ls\\" CACHE_TAIL, job->windows, profiles[i].profile);
    }
    if (job->state_before == SERVICE_RUNNING) repair_add_start_steps(job);
    return ERROR_SUCCESS;
}

/* ---- WinTrust Software Publishing\State (KB2715304) ---------------------------------- */

static const char *hive_name(HKEY root)
{
    if (root == HKEY_CURRENT_USER) return "HKCU";
    if (root == HKEY_USERS) return "HKU";
    if (root == HKEY_LOCAL_MACHINE) return "HKLM";
    return NULL;
}

static HKEY hive_key(const char *name)
{
    if (!strcmp(name, "HKCU")) return HKEY_CURRENT_USER;
    if (!strcmp(name, "HKU")) return HKEY_USERS;
    if (!strcmp(name, "HKLM")) return HKEY_LOCAL_MACHINE;
    return NULL;
}

static DWORD journal_value(struct repair_job *job, HKEY root, const WCHAR *key, const WCHAR *name, DWORD type,
                           const BYTE *data, DWORD size, BOOL absent)
{
    char *k = repair_utf8(key), *n = repair_utf8(name);
    char line[4096];
    size_t length = 0;
    DWORD error;

    if (k && n && hive_name(root))
        length = manifest_format_value(line, sizeof(line), hive_name(root), k, n, type, data, size, absent);
    error = k && n ? repair_manifest_line(job, line, length, TRUE) : ERROR_NOT_ENOUGH_MEMORY;
    free(k);
    free(n);
    return error;
}

static DWORD step_wintrust(struct repair_job *job, struct repair_step *step)
{
    BYTE data[sizeof(step->path2)];
    DWORD type = 0, size = sizeof(data), value = REPAIR_WINTRUST_DEFAULT, old = 0, error;
    HKEY key;

    error = seam.RegOpenKeyExW(step->root, step->path, 0, KEY_QUERY_VALUE | KEY_SET_VALUE, &key);
    if (error == ERROR_FILE_NOT_FOUND) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"not set: Windows uses the default");
        return ERROR_SUCCESS;
    }
    if (error) return error;
    error = seam.RegQueryValueExW(key, L"State", NULL, &type, data, &size);
    if (!error && size >= sizeof(old)) memcpy(&old, data, sizeof(old));   /* data is bytes: no aligned read */
    if (error == ERROR_FILE_NOT_FOUND) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"not set: Windows uses the default");
        error = ERROR_SUCCESS;
    } else if (!error && type == REG_DWORD && size == 4 && (old == 0x23c00 || old == 0x23e00)) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"already 0x%lx, a default", old);
    } else if (!error) {
        error = journal_value(job, step->root, step->path, L"State", type, data, size, FALSE);
        if (!error) error = seam.RegSetValueExW(key, L"State", 0, REG_DWORD, (const BYTE *)&value, sizeof(value));
        if (!error) {
            step->changed = TRUE;
            step->saved = type;
            step->param = size;
            memcpy(step->path2, data, size);
            repair_detail(step, type == REG_DWORD && size == 4 ? L"was 0x%lx, now 0x23c00" : L"was not a number, now 0x23c00",
                          old);
        }
    }
    seam.RegCloseKey(key);
    return error;
}

static DWORD undo_wintrust(struct repair_job *job, struct repair_step *step)
{
    HKEY key;
    DWORD error;

    (void)job;
    if (!step->changed) return ERROR_SUCCESS;
    error = seam.RegOpenKeyExW(step->root, step->path, 0, KEY_SET_VALUE, &key);
    if (error) return error;
    error = seam.RegSetValueExW(key, L"State", 0, step->saved, (const BYTE *)step->path2, step->param);
    seam.RegCloseKey(key);
    if (!error) step->changed = FALSE;
    return error;
}

DWORD repair_build_wintrust(struct repair_job *job)
{
    const struct repair_options *o = job->options;

    add_backup_step(job);
    if (o && o->wintrust_root && o->wintrust_key) {
        struct repair_step *step = repair_add_step(job, step_wintrust, undo_wintrust,
                                                   L"Put WinTrust Software Publishing\\State back to 0x23c00 if wrong");
        if (!step) return ERROR_BUFFER_OVERFLOW;
        if (!hive_name(o->wintrust_root)) return ERROR_INVALID_PARAMETER;
        step->root = o->wintrust_root;
        wcsncpy(step->path, o->wintrust_key, ARRAYSIZE(step->path) - 1);
        return ERROR_SUCCESS;
    }
    {
        struct repair_step *user = repair_add_step(job, step_wintrust, undo_wintrust,
                                                   L"Put WinTrust Software Publishing\\State back to 0x23c00 if wrong (this user)");
        struct repair_step *system = repair_add_step(job, step_wintrust, undo_wintrust,
                                                     L"Put WinTrust Software Publishing\\State back to 0x23c00 if wrong (services)");
        if (!user || !system) return ERROR_BUFFER_OVERFLOW;
        user->root = HKEY_CURRENT_USER;
        wcscpy(user->path, REPAIR_WINTRUST_KEY);
        system->root = HKEY_USERS;
        swprintf(system->path, ARRAYSIZE(system->path), L".DEFAULT\\%ls", REPAIR_WINTRUST_KEY);
    }
    return ERROR_SUCCESS;
}

/* ---- restore ---------------------------------------------------------------------------- */

static DWORD read_manifest(struct repair_job *job)
{
    WCHAR path[MAX_PATH];
    LARGE_INTEGER size;
    HANDLE file;
    char *text = NULL, why[160];
    DWORD got = 0, error = ERROR_SUCCESS;
    size_t bad;

    swprintf(path, ARRAYSIZE(path), L"%ls\\manifest.txt", job->restore_from);
    file = seam.CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                            FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (file == INVALID_HANDLE_VALUE) return GetLastError();
    if (!seam.GetFileSizeEx(file, &size)) error = GetLastError();
    else if (size.QuadPart > MANIFEST_MAX) error = ERROR_FILE_TOO_LARGE;
    else if (!(text = malloc((size_t)size.QuadPart + 1))) error = ERROR_NOT_ENOUGH_MEMORY;
    else if (!seam.ReadFile(file, text, (DWORD)size.QuadPart, &got, NULL)) error = GetLastError();
    else if (got != (DWORD)size.QuadPart) error = ERROR_READ_FAULT;
    seam.CloseHandle(file);
    if (!error && (bad = manifest_parse(text, got, &job->restore_manifest, why, sizeof(why))) != 0) {
        repair_log(job, L"manifest line %u: %hs", (unsigned)bad, why);
        error = ERROR_INVALID_DATA;
    }
    free(text);
    return error;
}

static DWORD step_open_manifest(struct repair_job *job, struct repair_step *step)
{
    WCHAR path[MAX_PATH];
    HANDLE file;

    swprintf(path, ARRAYSIZE(path), L"%ls\\manifest.txt", job->restore_from);
    file = seam.CreateFileW(path, FILE_APPEND_DATA | SYNCHRONIZE, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                            FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (file == INVALID_HANDLE_VALUE) return GetLastError();
    job->manifest = file;
    wcscpy(job->backup, job->restore_from);
    repair_detail(step, L"%ls", path);
    return ERROR_SUCCESS;
}

/* Restore writes back only what reset_wintrust_state saves: the State value of the WinTrust
 * key of this user or of the services (HKU\\.DEFAULT), or of the one key the options name. */
static BOOL restorable_value(const struct repair_job *job, HKEY root, const WCHAR *key, const WCHAR *name)
{
    const struct repair_options *o = job->options;
    WCHAR services[MAX_PATH];

    if (wcscmp(name, L"State")) return FALSE;
    swprintf(services, ARRAYSIZE(services), L".DEFAULT\\%ls", REPAIR_WINTRUST_KEY);
    if (root == HKEY_CURRENT_USER && !_wcsicmp(key, REPAIR_WINTRUST_KEY)) return TRUE;
    if (root == HKEY_USERS && !_wcsicmp(key, services)) return TRUE;
    return o && o->wintrust_root && o->wintrust_key && root == o->wintrust_root && !_wcsicmp(key, o->wintrust_key);
}

/* Where a value entry of the manifest goes; ERROR_INVALID_DATA for one restore must not write. */
static DWORD value_target(struct repair_job *job, struct repair_step *step, const struct manifest_entry *entry,
                          HKEY *root, WCHAR *key_name, WCHAR *value_name)
{
    *root = hive_key(entry->from);
    if (!*root || !MultiByteToWideChar(CP_UTF8, 0, entry->to, -1, key_name, MAX_PATH) ||
        !MultiByteToWideChar(CP_UTF8, 0, entry->name, -1, value_name, 256))
        return ERROR_INVALID_DATA;
    if (!restorable_value(job, *root, key_name, value_name)) {
        repair_detail(step, L"the backup names a registry value this program never changes (%hs\\%ls\\%ls): "
                            L"nothing was written", entry->from, key_name, value_name);
        return ERROR_INVALID_DATA;
    }
    return ERROR_SUCCESS;
}

static DWORD step_restore_values(struct repair_job *job, struct repair_step *step)
{
    struct manifest *m = &job->restore_manifest;
    unsigned restored = 0;
    WCHAR key_name[MAX_PATH], value_name[256];
    HKEY root, key;

    /* All or nothing: one value outside what this program changes refuses them all. */
    for (size_t i = 0; i < m->count; i++) {
        DWORD error;
        if (m->entries[i].kind != MANIFEST_VALUE || m->entries[i].state == MANIFEST_RESTORED) continue;
        error = value_target(job, step, &m->entries[i], &root, key_name, value_name);
        if (error) return error;
    }
    /* Oldest last, so a value changed twice ends as it was before the first change. */
    for (size_t i = m->count; i-- > 0;) {
        struct manifest_entry *entry = &m->entries[i];
        DWORD error;
        char line[2048];

        if (entry->kind != MANIFEST_VALUE || entry->state == MANIFEST_RESTORED) continue;
        error = value_target(job, step, entry, &root, key_name, value_name);
        if (!error) error = seam.RegOpenKeyExW(root, key_name, 0, KEY_SET_VALUE, &key);
        if (error) return error;
        if (entry->absent) error = seam.RegDeleteValueW(key, value_name);
        else error = seam.RegSetValueExW(key, value_name, 0, entry->type, entry->data, (DWORD)entry->data_length);
        seam.RegCloseKey(key);
        if (error == ERROR_FILE_NOT_FOUND && entry->absent) error = ERROR_SUCCESS;
        if (!error) error = repair_manifest_line(job, line, manifest_format_value_restored(line, sizeof(line),
                                                 entry->from, entry->to, entry->name), TRUE);
        if (error) return error;
        restored++;
    }
    if (!restored) step->status = REPAIR_STEP_SKIPPED;
    repair_detail(step, L"%u value(s) put back", restored);
    return ERROR_SUCCESS;
}

DWORD repair_build_restore(struct repair_job *job)
{
    unsigned moves = 0, values = 0;
    DWORD error = read_manifest(job);
    struct repair_step *step = NULL;

    if (error) return error;
    /* The service comes from the options (CryptSvc by default), never from the manifest: a
     * backup naming another service is refused rather than stopping and starting that one. */
    if (job->restore_manifest.service) {
        WCHAR named[SVC_NAME_CCH];
        if (!MultiByteToWideChar(CP_UTF8, 0, job->restore_manifest.service, -1, named, ARRAYSIZE(named)))
            return ERROR_INVALID_DATA;
        if (_wcsicmp(named, job->service)) {
            swprintf(job->result->message, ARRAYSIZE(job->result->message),
                     L"This backup was made for the service %ls, not %ls: not restored. Nothing was changed.", named,
                     job->service);
            return ERROR_INVALID_DATA;
        }
    }
    for (size_t i = 0; i < job->restore_manifest.count; i++) {
        const struct manifest_entry *entry = &job->restore_manifest.entries[i];
        if (entry->state == MANIFEST_RESTORED || entry->aside) continue;
        if (entry->kind == MANIFEST_VALUE) values++;
        else moves++;
    }
    repair_add_step(job, step_open_manifest, NULL, L"Open the backup %ls", job->restore_from);
    if (moves) {
        error = repair_read_service(job);
        if (error) return error;
        repair_add_stop_steps(job);
        step = repair_add_step(job, repair_restore_moves, undo_moves,
                               L"Put back up to %u files and folders from the backup", moves);
        if (job->state_before == SERVICE_RUNNING) repair_add_start_steps(job);
    }
    if (values) repair_add_step(job, step_restore_values, NULL, L"Put back %u registry value(s)", values);
    (void)step;
    return ERROR_SUCCESS;
}
