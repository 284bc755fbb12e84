/* gui/frontend.c: the real members of gui_core: core calls, and the shell calls that are UI. */
#include "frontend.h"

#include "win/seam.h"

#include <objbase.h>
#include <shellapi.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#ifndef LOAD_LIBRARY_SEARCH_SYSTEM32
#define LOAD_LIBRARY_SEARCH_SYSTEM32 0x00000800
#endif

typedef BOOL (WINAPI *shell_execute_ex_fn)(SHELLEXECUTEINFOW *info);
typedef HINSTANCE (WINAPI *shell_execute_fn)(HWND owner, const WCHAR *verb, const WCHAR *file, const WCHAR *parameters,
                                             const WCHAR *folder, int show);
typedef HRESULT (WINAPI *co_initialize_ex_fn)(void *reserved, DWORD flags);

FARPROC gui_system_proc(const WCHAR *dll, const char *name)
{
    HMODULE module = LoadLibraryExW(dll, NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);

    /* Windows 7 without KB2533623 rejects the flag; main.c then took the current folder
     * out of the search path (SetDllDirectoryW), so the plain search is safe enough. */
    if (!module && GetLastError() == ERROR_INVALID_PARAMETER) module = LoadLibraryW(dll);
    return module ? GetProcAddress(module, name) : NULL;
}

/* The shell may use COM (shell extensions, "runas"); it expects an STA on this thread. */
static void init_com_once(void)
{
    static BOOL done;
    FARPROC proc;

    if (done) return;
    done = TRUE;
    proc = gui_system_proc(L"ole32.dll", "CoInitializeEx");
    if (proc) ((co_initialize_ex_fn)(void (*)(void))proc)(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
}

static DWORD real_diagnose(const WCHAR *machine, const struct diag_options *options, struct diagnosis *out)
{
    return diag_run(machine, options, out);
}

static DWORD real_fix_all(const enum diag_repair *repairs, size_t count, const struct repair_options *options,
                          repair_rediagnose_fn rediagnose, struct repair_result *results, size_t *ran)
{
    return repair_fix_all(repairs, count, options, rediagnose, results, ran);
}

void gui_data_dir(const WCHAR *data_dir, WCHAR *out, DWORD count)
{
    if (count == 0) return;
    out[0] = L'\0';
    if (data_dir && data_dir[0]) {
        lstrcpynW(out, data_dir, (int)count);
        return;
    }
    if (!ExpandEnvironmentStringsW(L"%ProgramData%\\CryptSvcDoctor", out, count) || wcschr(out, L'%'))
        lstrcpynW(out, L"C:\\ProgramData\\CryptSvcDoctor", (int)count);
}

/* "20261125-074103-clear_logs[-2]": the time the repair made it (UTC) and which repair. */
static void parse_backup_name(struct gui_backup *backup)
{
    const WCHAR *n = backup->name;
    unsigned digits[14];
    size_t length = wcslen(n);

    memset(&backup->created, 0, sizeof(backup->created));
    backup->repair[0] = L'\0';
    if (length < 16 || n[8] != L'-' || n[15] != L'-') return;
    for (int i = 0, d = 0; i < 15; i++) {
        if (i == 8) continue;
        if (n[i] < L'0' || n[i] > L'9') return;
        digits[d++] = (unsigned)(n[i] - L'0');
    }
    backup->created.wYear = (WORD)(digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]);
    backup->created.wMonth = (WORD)(digits[4] * 10 + digits[5]);
    backup->created.wDay = (WORD)(digits[6] * 10 + digits[7]);
    backup->created.wHour = (WORD)(digits[8] * 10 + digits[9]);
    backup->created.wMinute = (WORD)(digits[10] * 10 + digits[11]);
    backup->created.wSecond = (WORD)(digits[12] * 10 + digits[13]);
    lstrcpynW(backup->repair, n + 16, (int)(sizeof(backup->repair) / sizeof(WCHAR)));
}

static int compare_newest_first(const void *a, const void *b)
{
    return -wcscmp(((const struct gui_backup *)a)->name, ((const struct gui_backup *)b)->name);
}

/* The core has no backup listing yet (core/win/repair.h); until it does, this reads the
 * backups folder through the core's seam, so links are seen (and skipped) the same way. */
static DWORD real_list_backups(const WCHAR *data_dir, struct gui_backup *out, unsigned max, unsigned *count)
{
    WCHAR data[MAX_PATH], pattern[MAX_PATH + 16];
    WIN32_FIND_DATAW found;
    struct gui_backup *list;
    unsigned used = 0;
    HANDLE find;

    gui_data_dir(data_dir, data, MAX_PATH);
    _snwprintf(pattern, MAX_PATH + 16, L"%ls\\backups\\*", data);
    pattern[MAX_PATH + 15] = L'\0';
    find = seam.FindFirstFileExW(pattern, FindExInfoBasic, &found, FindExSearchNameMatch, NULL, 0);
    if (find == INVALID_HANDLE_VALUE) {
        DWORD error = GetLastError();
        if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
            *count = 0;
            return 0;
        }
        return error;
    }
    list = calloc(max ? max : 1, sizeof(*list));
    if (!list) {
        seam.FindClose(find);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    do {
        if (!(found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) continue;
        if (found.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) continue;
        if (found.cFileName[0] == L'.') continue;
        if (used == max) break;
        lstrcpynW(list[used].name, found.cFileName, MAX_PATH);
        _snwprintf(list[used].path, MAX_PATH, L"%ls\\backups\\%ls", data, found.cFileName);
        list[used].path[MAX_PATH - 1] = L'\0';
        parse_backup_name(&list[used]);
        used++;
    } while (seam.FindNextFileW(find, &found));
    seam.FindClose(find);
    qsort(list, used, sizeof(*list), compare_newest_first);
    memcpy(out, list, used * sizeof(*list));
    free(list);
    *count = used;
    return 0;
}

static DWORD real_launch_elevated(HWND owner, const WCHAR *parameters, HANDLE *process)
{
    WCHAR exe[MAX_PATH];
    SHELLEXECUTEINFOW info;
    FARPROC proc;
    DWORD length = GetModuleFileNameW(NULL, exe, MAX_PATH);

    if (length == 0 || length >= MAX_PATH) return length ? ERROR_FILENAME_EXCED_RANGE : GetLastError();
    memset(&info, 0, sizeof(info));
    info.cbSize = sizeof(info);
    info.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC;
    info.hwnd = owner;
    info.lpVerb = L"runas";
    info.lpFile = exe;
    info.lpParameters = parameters;
    info.nShow = SW_SHOWNORMAL;
    init_com_once();
    proc = gui_system_proc(L"shell32.dll", "ShellExecuteExW");
    if (!proc) return GetLastError();
    if (!((shell_execute_ex_fn)(void (*)(void))proc)(&info)) return GetLastError();   /* ERROR_CANCELLED: the user said no */
    if (!info.hProcess) return ERROR_INVALID_HANDLE;
    *process = info.hProcess;
    return 0;
}

static int real_ask(HWND owner, const WCHAR *text, const WCHAR *title, UINT flags)
{
    return MessageBoxW(owner, text, title, flags);
}

static DWORD real_open(HWND owner, const WCHAR *verb, const WCHAR *file, const WCHAR *parameters)
{
    FARPROC proc;
    INT_PTR code;

    init_com_once();
    proc = gui_system_proc(L"shell32.dll", "ShellExecuteW");
    if (!proc) return GetLastError();
    /* ShellExecuteW returns a fake HINSTANCE: above 32 is success, else an old-style code. */
    code = (INT_PTR)((shell_execute_fn)(void (*)(void))proc)(owner, verb, file, parameters, NULL, SW_SHOWNORMAL);
    if (code > 32) return 0;
    switch (code) {
    case 0:
    case SE_ERR_OOM: return ERROR_NOT_ENOUGH_MEMORY;
    case SE_ERR_FNF: return ERROR_FILE_NOT_FOUND;
    case SE_ERR_PNF: return ERROR_PATH_NOT_FOUND;
    case SE_ERR_ACCESSDENIED: return ERROR_ACCESS_DENIED;
    case SE_ERR_NOASSOC: return ERROR_NO_ASSOCIATION;
    default: return ERROR_GEN_FAILURE;
    }
}

#define REAL_CORE { \
    real_diagnose, \
    repair_describe, \
    repair_run, \
    real_fix_all, \
    repair_restore, \
    repair_describe_restore, \
    repair_is_elevated, \
    real_list_backups, \
    real_launch_elevated, \
    real_ask, \
    real_open, \
}

static const struct gui_core real_core = REAL_CORE;
struct gui_core gui_core = REAL_CORE;

void gui_core_reset(void)
{
    gui_core = real_core;
}
