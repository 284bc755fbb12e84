/* core/win/catdb_files.h: file helpers of the catalog scan (internal to catdb_*.c). */
#ifndef CSD_CATDB_FILES_H
#define CSD_CATDB_FILES_H

#include <windows.h>
#include <stddef.h>
#include <stdint.h>

/* folder + "\" + name into out; FALSE when it does not fit. */
BOOL catdb_join(WCHAR *out, size_t count, const WCHAR *folder, const WCHAR *name);
/* UTF-8 copy of a file name, always terminated. */
void catdb_narrow(const WCHAR *name, char *out, size_t out_length);
BOOL catdb_is_lock_error(DWORD error);
/* "access is denied (error 5); run as administrator" and the like. */
void catdb_describe_error(DWORD error, char *out, size_t out_length);

typedef void (*catdb_visit_fn)(void *context, const WIN32_FIND_DATAW *data);
/* Calls visit for each entry of folder matching pattern ("." and ".." left out). Returns 0
 * (a folder with no match included), or the error that ended the listing: the entries seen
 * before it were visited, the rest were not. */
DWORD catdb_list(const WCHAR *folder, const WCHAR *pattern, catdb_visit_fn visit, void *context);

/* Opens for reading, links never followed. probe_writers: first ask to share reading only,
 * which fails while another handle may write (*in_use = TRUE), then open sharing all. */
DWORD catdb_open(const WCHAR *path, BOOL probe_writers, HANDLE *file, BOOL *in_use);
/* Reads up to length bytes (fewer only at the end of the file). */
DWORD catdb_read(HANDLE file, uint8_t *buffer, size_t length, size_t *got);
/* The first length bytes of a file. */
DWORD catdb_read_head(const WCHAR *path, uint8_t *buffer, size_t length, size_t *got);
/* The last length bytes of a file of `size` bytes (from an even offset, given in *skipped). */
DWORD catdb_read_tail(const WCHAR *path, ULONGLONG size, uint8_t *buffer, size_t length, size_t *got,
                      size_t *skipped);

#endif
