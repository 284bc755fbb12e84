/* core/win/catdb_files.c: the catalog scan's file access: folder listings and bounded reads, all through the seam. */
#include "win/catdb_files.h"
#include "win/seam.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

BOOL catdb_join(WCHAR *out, size_t count, const WCHAR *folder, const WCHAR *name)
{
    size_t a = wcslen(folder), b = wcslen(name);
    int slash = a > 0 && folder[a - 1] != L'\\' && folder[a - 1] != L'/';

    if (a + slash + b + 1 > count) return FALSE;
    memmove(out, folder, a * sizeof(WCHAR));
    if (slash) out[a++] = L'\\';
    memcpy(out + a, name, (b + 1) * sizeof(WCHAR));
    return TRUE;
}

void catdb_narrow(const WCHAR *name, char *out, size_t out_length)
{
    /* WideCharToMultiByte is a conversion, not a system call: no seam needed. */
    if (!WideCharToMultiByte(CP_UTF8, 0, name, -1, out, (int)out_length, NULL, NULL)) {
        size_t i = 0;
        for (; name[i] && i + 1 < out_length; i++) out[i] = name[i] < 0x80 ? (char)name[i] : '?';
        out[i] = '\0';
    }
}

BOOL catdb_is_lock_error(DWORD error)
{
    return error == ERROR_SHARING_VIOLATION || error == ERROR_LOCK_VIOLATION;
}

void catdb_describe_error(DWORD error, char *out, size_t out_length)
{
    switch (error) {
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
        snprintf(out, out_length, "it is in use by another program (error %lu)", (unsigned long)error);
        break;
    case ERROR_ACCESS_DENIED:
        snprintf(out, out_length, "access is denied (error 5); run as administrator");
        break;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        snprintf(out, out_length, "it disappeared while being read (error %lu)", (unsigned long)error);
        break;
    case ERROR_HANDLE_EOF:
        snprintf(out, out_length, "it is shorter than its size says (error 38)");
        break;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        snprintf(out, out_length, "not enough memory (error %lu)", (unsigned long)error);
        break;
    default:
        snprintf(out, out_length, "Windows error %lu", (unsigned long)error);
        break;
    }
}

static HANDLE find_first(const WCHAR *pattern, WIN32_FIND_DATAW *data)
{
    HANDLE find = seam.FindFirstFileExW(pattern, FindExInfoBasic, data, FindExSearchNameMatch, NULL,
                                        FIND_FIRST_EX_LARGE_FETCH);
    /* Both are Windows 7 features; anything older (or a file system that refuses them)
     * answers ERROR_INVALID_PARAMETER, so ask the classic way. */
    if (find == INVALID_HANDLE_VALUE && GetLastError() == ERROR_INVALID_PARAMETER)
        find = seam.FindFirstFileExW(pattern, FindExInfoStandard, data, FindExSearchNameMatch, NULL, 0);
    return find;
}

DWORD catdb_list(const WCHAR *folder, const WCHAR *pattern, catdb_visit_fn visit, void *context)
{
    WCHAR path[MAX_PATH];
    WIN32_FIND_DATAW data;
    HANDLE find;
    DWORD error = 0;

    if (!catdb_join(path, ARRAYSIZE(path), folder, pattern)) return ERROR_FILENAME_EXCED_RANGE;
    find = find_first(path, &data);
    if (find == INVALID_HANDLE_VALUE) {
        error = GetLastError();
        /* An existing folder with no match answers "file not found": an empty listing. */
        return error == ERROR_FILE_NOT_FOUND || error == ERROR_NO_MORE_FILES ? 0 : (error ? error : ERROR_GEN_FAILURE);
    }
    for (;;) {
        if (wcscmp(data.cFileName, L".") != 0 && wcscmp(data.cFileName, L"..") != 0) visit(context, &data);
        if (!seam.FindNextFileW(find, &data)) {
            error = GetLastError();
            if (error == ERROR_NO_MORE_FILES) error = 0;
            else if (!error) error = ERROR_GEN_FAILURE;
            break;
        }
    }
    seam.FindClose(find);
    return error;
}

static HANDLE open_read(const WCHAR *path, DWORD share)
{
    /* FILE_FLAG_OPEN_REPARSE_POINT: a link that slipped past the listing is opened as
     * itself, never followed to where it points. */
    return seam.CreateFileW(path, GENERIC_READ, share, NULL, OPEN_EXISTING,
                            FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
}

DWORD catdb_open(const WCHAR *path, BOOL probe_writers, HANDLE *file, BOOL *in_use)
{
    const DWORD all = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    HANDLE handle;
    DWORD error;

    *in_use = FALSE;
    if (probe_writers) {
        /* Asking to share reading only fails when another handle may write: that is
         * "in use", even when its owner lets us read alongside (we then try that). */
        handle = open_read(path, FILE_SHARE_READ);
        if (handle != INVALID_HANDLE_VALUE) {
            *file = handle;
            return 0;
        }
        error = GetLastError();
        if (!catdb_is_lock_error(error)) return error ? error : ERROR_GEN_FAILURE;
        *in_use = TRUE;
    }
    handle = open_read(path, all);
    if (handle == INVALID_HANDLE_VALUE) {
        error = GetLastError();
        if (catdb_is_lock_error(error)) *in_use = TRUE;
        return error ? error : ERROR_GEN_FAILURE;
    }
    *file = handle;
    return 0;
}

DWORD catdb_read(HANDLE file, uint8_t *buffer, size_t length, size_t *got)
{
    size_t total = 0;

    while (total < length) {
        DWORD want = length - total > (1u << 30) ? (1u << 30) : (DWORD)(length - total), n = 0;
        if (!seam.ReadFile(file, buffer + total, want, &n, NULL)) {
            DWORD error = GetLastError();
            return error ? error : ERROR_READ_FAULT;
        }
        if (n == 0) break;
        total += n;
    }
    *got = total;
    return 0;
}

DWORD catdb_read_head(const WCHAR *path, uint8_t *buffer, size_t length, size_t *got)
{
    HANDLE file;
    BOOL in_use;
    DWORD error = catdb_open(path, FALSE, &file, &in_use);

    if (error) return error;
    error = catdb_read(file, buffer, length, got);
    seam.CloseHandle(file);
    return error;
}

DWORD catdb_read_tail(const WCHAR *path, ULONGLONG size, uint8_t *buffer, size_t length, size_t *got,
                      size_t *skipped)
{
    HANDLE file;
    BOOL in_use;
    LARGE_INTEGER at;
    DWORD error = catdb_open(path, FALSE, &file, &in_use);

    *skipped = 0;
    if (error) return error;
    if (size > length) {
        /* Even, so a UTF-16 file stays aligned on its characters. */
        at.QuadPart = (LONGLONG)((size - length) & ~(ULONGLONG)1);
        if (!seam.SetFilePointerEx(file, at, NULL, FILE_BEGIN)) {
            error = GetLastError();
            seam.CloseHandle(file);
            return error ? error : ERROR_SEEK;
        }
        *skipped = (size_t)at.QuadPart;
    }
    error = catdb_read(file, buffer, length, got);
    seam.CloseHandle(file);
    return error;
}
