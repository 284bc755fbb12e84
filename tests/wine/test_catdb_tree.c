/* tests/wine/test_catdb_tree.c: lays out Windows\System32\catroot2 trees of ESE files for the catdb tests. */
#include "test_catdb_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

static const WCHAR *const guid_names[2] = { L"{F750E6C3-38EE-11D1-85E5-00C04FC295EE}",
                                            L"{127D0A1D-4EF2-11D1-8608-00C04FC295EE}" };

static void join(WCHAR *out, const WCHAR *a, const WCHAR *b)
{
    _snwprintf(out, MAX_PATH, L"%ls\\%ls", a, b);
    out[MAX_PATH - 1] = 0;
}

static void make_dir(const WCHAR *path)
{
    if (!CreateDirectoryW(path, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
        fprintf(stderr, "cannot create %ls: %lu\n", path, GetLastError());
        exit(99);
    }
}

const WCHAR *tree_base(void)
{
    static WCHAR base[MAX_PATH];
    if (!base[0]) {
        make_dir(L"C:\\csdtest");
        _snwprintf(base, MAX_PATH, L"C:\\csdtest\\%lu", GetCurrentProcessId());
        make_dir(base);
    }
    return base;
}

void tree_remove_all(const WCHAR *folder)
{
    WCHAR pattern[MAX_PATH], path[MAX_PATH];
    WIN32_FIND_DATAW data;
    HANDLE find;
    DWORD attributes = GetFileAttributesW(folder);

    if (attributes == INVALID_FILE_ATTRIBUTES) return;
    if (attributes & FILE_ATTRIBUTE_REPARSE_POINT) {
        if (!RemoveDirectoryW(folder)) DeleteFileW(folder);
        return;
    }
    join(pattern, folder, L"*");
    find = FindFirstFileW(pattern, &data);
    if (find != INVALID_HANDLE_VALUE) {
        do {
            if (!wcscmp(data.cFileName, L".") || !wcscmp(data.cFileName, L"..")) continue;
            join(path, folder, data.cFileName);
            if (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) tree_remove_all(path);
            else DeleteFileW(path);
        } while (FindNextFileW(find, &data));
        FindClose(find);
    }
    RemoveDirectoryW(folder);
}

void tree_init(struct tree *t, const WCHAR *base, const WCHAR *name, int make_catroot2)
{
    WCHAR top[MAX_PATH], catroot_parent[MAX_PATH], security[MAX_PATH];

    memset(t, 0, sizeof(*t));
    join(top, base, name);
    tree_remove_all(top);
    make_dir(top);
    join(t->windows, top, L"Windows");
    make_dir(t->windows);
    join(t->system32, t->windows, L"System32");
    make_dir(t->system32);
    join(t->catroot2, t->system32, L"catroot2");
    join(t->guid[0], t->catroot2, guid_names[0]);
    join(t->guid[1], t->catroot2, guid_names[1]);
    join(catroot_parent, t->system32, L"catroot");
    join(t->catroot, catroot_parent, guid_names[0]);
    join(security, t->windows, L"Security");
    join(t->security, security, L"Database");
    if (!make_catroot2) return;
    make_dir(t->catroot2);
    make_dir(t->guid[0]);
    make_dir(t->guid[1]);
    make_dir(catroot_parent);
    make_dir(t->catroot);
    make_dir(security);
    make_dir(t->security);
}

void tree_sparse_file(const WCHAR *folder, const WCHAR *name, const void *head, size_t head_length,
                      ULONGLONG length)
{
    WCHAR path[MAX_PATH];
    HANDLE file;
    DWORD written = 0;
    LARGE_INTEGER at;

    join(path, folder, name);
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "cannot create %ls: %lu\n", path, GetLastError());
        exit(99);
    }
    if (head_length && (!WriteFile(file, head, (DWORD)head_length, &written, NULL) || written != head_length)) {
        fprintf(stderr, "cannot write %ls: %lu\n", path, GetLastError());
        exit(99);
    }
    if (length > head_length) {
        at.QuadPart = (LONGLONG)length;
        SetFilePointerEx(file, at, NULL, FILE_BEGIN);
        SetEndOfFile(file);
    }
    CloseHandle(file);
}

void tree_file(const WCHAR *folder, const WCHAR *name, const void *bytes, size_t length)
{
    tree_sparse_file(folder, name, bytes, length, length);
}

void tree_delete(const WCHAR *folder, const WCHAR *name)
{
    WCHAR path[MAX_PATH];
    join(path, folder, name);
    DeleteFileW(path);
}

void tree_zero_file(const WCHAR *folder, const WCHAR *name, size_t length)
{
    void *zeros = calloc(1, length ? length : 1);
    tree_file(folder, name, zeros, length);
    free(zeros);
}

void tree_db_options(struct ew_db_options *o, uint32_t db_random)
{
    ew_db_defaults(o, 4096, 40);
    o->used_pages = 30;
    o->db_random = db_random;
    o->log_random = TREE_LOG_RANDOM;
}

void tree_db(struct tree *t, int index, const struct ew_db_options *o)
{
    size_t length = 0;
    uint8_t *bytes = ew_make_db(o, &length);
    tree_file(t->guid[index], L"catdb", bytes, length);
    free(bytes);
}

void tree_log(const WCHAR *folder, int32_t generation, uint32_t log_random, const char *name)
{
    struct ew_log_options o;
    char narrow[64];
    WCHAR wide[64];
    size_t length = 0;
    uint8_t *bytes;

    ew_log_defaults(&o, generation, log_random);
    bytes = ew_make_log(&o, &length);
    if (name) snprintf(narrow, sizeof(narrow), "%s", name);
    else ew_log_name(narrow, sizeof(narrow), generation);
    MultiByteToWideChar(CP_UTF8, 0, narrow, -1, wide, 64);
    tree_file(folder, wide, bytes, length);
    free(bytes);
}

void tree_healthy(struct tree *t)
{
    struct ew_db_options o;
    size_t length = 0;
    uint8_t *chk;

    tree_db_options(&o, 0x1234abcd);
    tree_db(t, 0, &o);
    tree_db_options(&o, 0x2234abcd);
    tree_db(t, 1, &o);
    tree_log(t->catroot2, 1, TREE_LOG_RANDOM, NULL);
    tree_log(t->catroot2, 2, TREE_LOG_RANDOM, NULL);
    tree_log(t->catroot2, 3, TREE_LOG_RANDOM, "edb.log");
    chk = ew_make_checkpoint(TREE_LOG_RANDOM, 3, &length);
    tree_file(t->catroot2, L"edb.chk", chk, length);
    free(chk);
    tree_zero_file(t->catroot2, L"edbtmp.log", 65536);
    tree_zero_file(t->catroot2, L"edbres00001.jrs", 65536);
    tree_zero_file(t->catroot2, L"edbres00002.jrs", 65536);
    tree_file(t->catroot, L"oem1.cat", "0\x82\x01", 3);
    tree_file(t->catroot, L"Package_1.cat", "0\x82\x02", 3);
    tree_file(t->catroot, L"nt5.cat", "0\x82\x03", 3);
    tree_log(t->security, 7, 0x5ec00001u, "edb.log");
    chk = ew_make_checkpoint(0x5ec00001u, 7, &length);
    tree_file(t->security, L"edb.chk", chk, length);
    free(chk);
    tree_zero_file(t->security, L"edbtmp.log", 65536);
}
