/* tests/gui/mkhealthy.c: csd-mkhealthy.exe WINDOWS_DIR: lays out a healthy catroot2 for the "healthy machine" screenshot. */
#include "win/catdb.h"
#include "wine/test_catdb_tree.h"

#include <stdio.h>
#include <wchar.h>

/* The same folders csd-mkdemo makes, filled with tests/wine's healthy set instead of damage. */
static void join(WCHAR *out, const WCHAR *a, const WCHAR *b)
{
    _snwprintf(out, MAX_PATH, L"%ls\\%ls", a, b);
    out[MAX_PATH - 1] = 0;
}

int wmain(int argc, WCHAR **argv)
{
    struct tree t;
    WCHAR catroot[MAX_PATH], security[MAX_PATH];

    if (argc != 2 || GetFileAttributesW(argv[1]) == INVALID_FILE_ATTRIBUTES) {
        fprintf(stderr, "usage: csd-mkhealthy WINDOWS_DIR (an existing folder)\n");
        return 2;
    }
    memset(&t, 0, sizeof(t));
    wcscpy(t.windows, argv[1]);
    join(t.system32, t.windows, L"System32");
    join(t.catroot2, t.system32, L"catroot2");
    join(t.guid[0], t.catroot2, CATDB_GUID_SYSTEM);
    join(t.guid[1], t.catroot2, CATDB_GUID_DEFAULT);
    join(catroot, t.system32, L"catroot");
    join(t.catroot, catroot, CATDB_GUID_SYSTEM);
    join(security, t.windows, L"Security");
    join(t.security, security, L"Database");
    tree_remove_all(t.catroot2);
    CreateDirectoryW(t.system32, NULL);
    CreateDirectoryW(t.catroot2, NULL);
    CreateDirectoryW(t.guid[0], NULL);
    CreateDirectoryW(t.guid[1], NULL);
    CreateDirectoryW(catroot, NULL);
    CreateDirectoryW(t.catroot, NULL);
    CreateDirectoryW(security, NULL);
    CreateDirectoryW(t.security, NULL);
    tree_healthy(&t);
    printf("csd-mkhealthy: made a healthy catalog database under %ls\n", argv[1]);
    return 0;
}
