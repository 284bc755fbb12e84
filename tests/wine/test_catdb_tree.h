/* tests/wine/test_catdb_tree.h: lays out Windows\System32\catroot2 trees of ESE files for the catdb tests. */
#ifndef CSD_TEST_CATDB_TREE_H
#define CSD_TEST_CATDB_TREE_H

#include <windows.h>
#include <stddef.h>
#include <stdint.h>

#include "support/ese_writer.h"

#define TREE_LOG_RANDOM 0x5eed0001u   /* the healthy set's log signature */

struct tree {
    WCHAR windows[MAX_PATH];
    WCHAR system32[MAX_PATH];
    WCHAR catroot2[MAX_PATH];
    WCHAR guid[2][MAX_PATH];      /* catroot2\{F750...}, catroot2\{127D...} */
    WCHAR catroot[MAX_PATH];      /* System32\catroot\{F750...} */
    WCHAR security[MAX_PATH];     /* Security\Database */
};

/* C:\csdtest\<pid>: every tree of this run lives below it. */
const WCHAR *tree_base(void);
/* base\name\Windows with System32, and (make_catroot2) catroot2 with both GUID folders,
 * catroot\{F750...}, Security\Database. Any earlier tree of that name is removed first. */
void tree_init(struct tree *t, const WCHAR *base, const WCHAR *name, int make_catroot2);
void tree_file(const WCHAR *folder, const WCHAR *name, const void *bytes, size_t length);
/* A file of `length` bytes: `head` at the start, the rest left as a hole. */
void tree_sparse_file(const WCHAR *folder, const WCHAR *name, const void *head, size_t head_length,
                      ULONGLONG length);
void tree_delete(const WCHAR *folder, const WCHAR *name);
/* The default database options of the healthy set (4 KiB pages, 40 pages, 30 used). */
void tree_db_options(struct ew_db_options *o, uint32_t db_random);
void tree_db(struct tree *t, int index, const struct ew_db_options *o);
/* A log of the set; name NULL gives the archived name (edb0000N.log). */
void tree_log(const WCHAR *folder, int32_t generation, uint32_t log_random, const char *name);
void tree_zero_file(const WCHAR *folder, const WCHAR *name, size_t length);
/* Two clean databases, logs 1..3 (edb.log = 3), edb.chk at 3, edbtmp.log and two reserve logs
 * (zero-filled), three .cat files, and a security log set in Security\Database. */
void tree_healthy(struct tree *t);
/* Removes base and everything below it; links are removed, never followed. */
void tree_remove_all(const WCHAR *folder);

#endif
