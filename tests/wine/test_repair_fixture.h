/* tests/wine/test_repair_fixture.h: a private Windows folder, a stand-in service and tree hashes for the repair tests. */
#ifndef CSD_TEST_REPAIR_FIXTURE_H
#define CSD_TEST_REPAIR_FIXTURE_H

#include "harness/test.h"
#include "win/repair.h"
#include "win/seam.h"
#include "win/svc.h"

#include <windows.h>
#include <stdio.h>
#include <wchar.h>

static WCHAR fx_standin[MAX_PATH];
static WCHAR fx_root[MAX_PATH];      /* C:\csdrep-<pid>-<tag> */
static WCHAR fx_windows[MAX_PATH];   /* fx_root\win: the fake %SystemRoot% */
static WCHAR fx_data[MAX_PATH];      /* fx_root\data: the fake %ProgramData%\CryptSvcDoctor */
static WCHAR fx_lock[64];
static WCHAR fx_service[64];

static TEST_UNUSED BOOL fx_find_standin(void)
{
    WCHAR *slash;

    GetModuleFileNameW(NULL, fx_standin, ARRAYSIZE(fx_standin));
    slash = wcsrchr(fx_standin, L'\\');
    if (!slash) return FALSE;
    wcscpy(slash + 1, L"csd-standin.exe");
    return GetFileAttributesW(fx_standin) != INVALID_FILE_ATTRIBUTES;
}

/* ---- files --------------------------------------------------------------------------------- */

static TEST_UNUSED void fx_path(WCHAR *out, const WCHAR *relative)
{
    swprintf(out, MAX_PATH, L"%ls\\%ls", fx_windows, relative);
}

static TEST_UNUSED void fx_mkdirs(const WCHAR *path)
{
    WCHAR partial[MAX_PATH];

    wcscpy(partial, path);
    for (WCHAR *p = partial + 3; (p = wcschr(p, L'\\')) != NULL; p++) {
        *p = 0;
        CreateDirectoryW(partial, NULL);
        *p = L'\\';
    }
    CreateDirectoryW(partial, NULL);
}

static TEST_UNUSED void fx_write(const WCHAR *relative, const char *content)
{
    WCHAR path[MAX_PATH], dir[MAX_PATH];
    HANDLE file;
    DWORD written;

    fx_path(path, relative);
    wcscpy(dir, path);
    *wcsrchr(dir, L'\\') = 0;
    fx_mkdirs(dir);
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    ok(file != INVALID_HANDLE_VALUE, "create %ls: %lu\n", path, GetLastError());
    WriteFile(file, content, (DWORD)strlen(content), &written, NULL);
    CloseHandle(file);
}

static TEST_UNUSED BOOL fx_exists(const WCHAR *relative)
{
    WCHAR path[MAX_PATH];

    fx_path(path, relative);
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

/* The catroot2, security and catroot folders of a small Windows, with something in each. */
static TEST_UNUSED void fx_make_tree(void)
{
    fx_write(L"System32\\catroot2\\{F750E6C3-38EE-11D1-85E5-00C04FC295EE}\\catdb", "catdb system");
    fx_write(L"System32\\catroot2\\{127D0A1D-4EF2-11D1-8608-00C04FC295EE}\\catdb", "catdb default");
    fx_write(L"System32\\catroot2\\edb.log", "log current");
    fx_write(L"System32\\catroot2\\edb00001.log", "log 1");
    fx_write(L"System32\\catroot2\\Edb00002.LOG", "log 2");
    fx_write(L"System32\\catroot2\\edb.chk", "checkpoint");
    fx_write(L"System32\\catroot2\\edbres00001.jrs", "reserve");
    fx_write(L"System32\\catroot2\\dberr.txt", "errors");
    fx_write(L"security\\Database\\edb.log", "security log");
    fx_write(L"security\\Database\\edb00007.log", "security log 7");
    fx_write(L"security\\Database\\secedit.sdb", "secedit");
    fx_write(L"System32\\catroot\\{F750E6C3-38EE-11D1-85E5-00C04FC295EE}\\nt5.cat", "catalog");
    fx_write(L"System32\\catroot\\{F750E6C3-38EE-11D1-85E5-00C04FC295EE}\\tmp1234.cat", "temp catalog");
    fx_write(L"System32\\catroot\\{127D0A1D-4EF2-11D1-8608-00C04FC295EE}\\tmpab.cat", "temp catalog 2");
    fx_write(L"ServiceProfiles\\NetworkService\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\A1", "x");
    fx_write(L"ServiceProfiles\\NetworkService\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\MetaData\\A1", "y");
    fx_write(L"System32\\config\\systemprofile\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\B2", "z");
}

/* An order-free hash of every name, kind and content below `dir` (links are not entered). */
static TEST_UNUSED unsigned long long fx_hash_dir(const WCHAR *dir, size_t base, unsigned *count)
{
    WCHAR pattern[MAX_PATH];
    WIN32_FIND_DATAW found;
    unsigned long long total = 0;
    HANDLE find;

    swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\*", dir);
    find = FindFirstFileW(pattern, &found);
    if (find == INVALID_HANDLE_VALUE) return 0;
    do {
        WCHAR path[MAX_PATH];
        unsigned long long h = 1469598103934665603ULL;

        if (!wcscmp(found.cFileName, L".") || !wcscmp(found.cFileName, L"..")) continue;
        swprintf(path, ARRAYSIZE(path), L"%ls\\%ls", dir, found.cFileName);
        for (const WCHAR *p = path + base; *p; p++) h = (h ^ (unsigned)towlower(*p)) * 1099511628211ULL;
        h = (h ^ (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY ? 'd' : 'f')) * 1099511628211ULL;
        if (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
            if (!(found.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)) total += fx_hash_dir(path, base, count);
        } else {
            HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                      NULL, OPEN_EXISTING, 0, NULL);
            unsigned char buffer[4096];
            DWORD got;
            while (file != INVALID_HANDLE_VALUE && ReadFile(file, buffer, sizeof(buffer), &got, NULL) && got)
                for (DWORD i = 0; i < got; i++) h = (h ^ buffer[i]) * 1099511628211ULL;
            if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
        }
        (*count)++;
        total += h * 0x9E3779B97F4A7C15ULL + 1;
    } while (FindNextFileW(find, &found));
    FindClose(find);
    return total;
}

static TEST_UNUSED unsigned long long fx_hash(unsigned *count)
{
    unsigned dummy;
    if (!count) count = &dummy;
    *count = 0;
    return fx_hash_dir(fx_windows, wcslen(fx_windows), count);
}

/* ---- the service ------------------------------------------------------------------------------- */

static TEST_UNUSED void fx_binary(const WCHAR *name, const WCHAR *mode, WCHAR *binary, size_t count)
{
    swprintf(binary, count, L"\"%ls\" service --name %ls --mode %ls --delay 1500 --hint 1000", fx_standin, name,
             mode);
}

static TEST_UNUSED void fx_delete_service(const WCHAR *name)
{
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    SC_HANDLE service = OpenServiceW(scm, name, SERVICE_ALL_ACCESS);
    SERVICE_STATUS_PROCESS status;
    DWORD needed;

    if (service) {
        if (QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)&status, sizeof(status), &needed) &&
            status.dwCurrentState != SERVICE_STOPPED) {
            SERVICE_STATUS s;
            ControlService(service, SERVICE_CONTROL_STOP, &s);
            for (int i = 0; i < 30; i++) {
                if (!QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)&status, sizeof(status),
                                          &needed) || status.dwCurrentState == SERVICE_STOPPED)
                    break;
                Sleep(50);
            }
            if (status.dwCurrentState != SERVICE_STOPPED && status.dwProcessId) {
                HANDLE process = OpenProcess(PROCESS_TERMINATE, FALSE, status.dwProcessId);
                if (process) {
                    TerminateProcess(process, 1);
                    CloseHandle(process);
                }
            }
        }
        DeleteService(service);
        CloseServiceHandle(service);
    }
    CloseServiceHandle(scm);
}

static TEST_UNUSED BOOL fx_create_service(const WCHAR *name, const WCHAR *mode, DWORD start_type,
                                          const WCHAR *depends, BOOL running)
{
    WCHAR binary[MAX_PATH * 2];
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS), service;
    BOOL result = TRUE;

    fx_delete_service(name);
    fx_binary(name, mode, binary, ARRAYSIZE(binary));
    /* The deleted service of the previous case goes away once its process has ended; on a
     * busy machine that can take a moment (error 1072 until then). */
    for (int attempt = 0; attempt < 100; attempt++) {
        service = CreateServiceW(scm, name, name, SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, start_type,
                                 SERVICE_ERROR_NORMAL, binary, NULL, NULL, depends,
                                 L"NT AUTHORITY\\NetworkService", NULL);
        if (service || GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE) break;
        Sleep(100);
    }
    ok(service != NULL, "CreateServiceW %ls: %lu\n", name, GetLastError());
    if (!service) result = FALSE;
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
    if (result && running) result = ok(svc_start(NULL, name, NULL, NULL) == 0, "start %ls\n", name);
    return result;
}

static TEST_UNUSED void fx_set_mode(const WCHAR *name, const WCHAR *mode)
{
    WCHAR binary[MAX_PATH * 2];
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    SC_HANDLE service = OpenServiceW(scm, name, SERVICE_CHANGE_CONFIG);

    fx_binary(name, mode, binary, ARRAYSIZE(binary));
    ok(ChangeServiceConfigW(service, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE, binary, NULL, NULL,
                            NULL, NULL, NULL, NULL), "set mode %ls: %lu\n", mode, GetLastError());
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
}

static TEST_UNUSED SERVICE_STATUS_PROCESS fx_status(const WCHAR *name)
{
    SERVICE_STATUS_PROCESS status = { 0 };
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    SC_HANDLE service = OpenServiceW(scm, name, SERVICE_QUERY_STATUS);
    DWORD needed;

    QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)&status, sizeof(status), &needed);
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
    return status;
}

static TEST_UNUSED DWORD fx_start_type(const WCHAR *name)
{
    struct svc_info *info = calloc(1, sizeof(*info));
    DWORD type = 0;

    if (info && !svc_query(NULL, name, info)) type = info->start_type;
    free(info);
    return type;
}

/* ---- setup ------------------------------------------------------------------------------------ */

static TEST_UNUSED void fx_setup(const WCHAR *tag)
{
    DWORD pid = GetCurrentProcessId();

    swprintf(fx_root, ARRAYSIZE(fx_root), L"C:\\csdrep-%lu-%ls", pid, tag);
    swprintf(fx_windows, ARRAYSIZE(fx_windows), L"%ls\\win", fx_root);
    swprintf(fx_data, ARRAYSIZE(fx_data), L"%ls\\data", fx_root);
    swprintf(fx_lock, ARRAYSIZE(fx_lock), L"Global\\CsdRepairTest%lu", pid);
    swprintf(fx_service, ARRAYSIZE(fx_service), L"CsdRep%lu%ls", pid, tag);
    fx_mkdirs(fx_windows);
}

static TEST_UNUSED void fx_options(struct repair_options *options)
{
    memset(options, 0, sizeof(*options));
    options->service = fx_service;
    options->windows_dir = fx_windows;
    options->data_dir = fx_data;
    options->lock_name = fx_lock;
    options->wait.overall_ms = 20000;
    options->wait.grace_ms = 500;
}

/* Removes a private test folder; links are removed as links, never entered. */
static TEST_UNUSED void fx_remove_tree(const WCHAR *path)
{
    WCHAR pattern[MAX_PATH];
    WIN32_FIND_DATAW found;
    HANDLE find;

    swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\*", path);
    find = FindFirstFileW(pattern, &found);
    if (find != INVALID_HANDLE_VALUE) {
        do {
            WCHAR child[MAX_PATH];
            if (!wcscmp(found.cFileName, L".") || !wcscmp(found.cFileName, L"..")) continue;
            swprintf(child, ARRAYSIZE(child), L"%ls\\%ls", path, found.cFileName);
            if ((found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
                !(found.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
                fx_remove_tree(child);
            else if (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                RemoveDirectoryW(child);
            else {
                SetFileAttributesW(child, FILE_ATTRIBUTE_NORMAL);
                DeleteFileW(child);
            }
        } while (FindNextFileW(find, &found));
        FindClose(find);
    }
    RemoveDirectoryW(path);
}

static TEST_UNUSED unsigned fx_count_steps(const struct repair_result *r, enum repair_step_status status)
{
    unsigned n = 0;
    for (unsigned i = 0; i < r->step_count; i++)
        if (r->steps[i].status == status) n++;
    return n;
}

static TEST_UNUSED void fx_dump(const struct repair_result *r)
{
    trace("result error %lu: %ls\n", r->error, r->message);
    for (unsigned i = 0; i < r->step_count; i++)
        trace("  %u. %ls: %ls (%lu) %ls\n", i + 1, r->steps[i].text, repair_step_status_name(r->steps[i].status),
              r->steps[i].error, r->steps[i].detail);
}

#endif
