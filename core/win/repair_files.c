/* core/win/repair_files.c: moving files and folders into a backup and back, journaled, links never followed. */
#include "win/repair_internal.h"
#include "win/seam.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

/* Administrators own the folder and, with SYSTEM, may change it; users may read it (to send a
 * log along). The DACL is protected: nothing inherited from ProgramData (where users may
 * create folders) applies. */
#define DATA_DIR_SDDL L"O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
#define SESSION_MANAGER_KEY L"SYSTEM\\CurrentControlSet\\Control\\Session Manager"
#define JOURNAL_BATCH 512   /* moves whose manifest lines share one flush */

BOOL repair_is_reparse(DWORD attributes)
{
    return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_REPARSE_POINT);
}

/* ---- the data folder and the backup folder -------------------------------------------- */

/* Creates `path`, or takes it over when it is already there: someone may have made it before
 * us (ProgramData lets users create folders), and its creator, as owner, could change its
 * permissions back; so the owner is set too, and a folder whose owner cannot be set is refused. */
static DWORD make_dir_with_acl(const WCHAR *path)
{
    SECURITY_ATTRIBUTES security = { sizeof(security), NULL, FALSE };
    PSECURITY_DESCRIPTOR descriptor = NULL;
    DWORD attributes = seam.GetFileAttributesW(path), error = ERROR_SUCCESS;

    if (repair_is_reparse(attributes)) return ERROR_CANT_ACCESS_FILE;   /* someone planted a link */
    if (attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY)) return ERROR_DIRECTORY;
    if (!seam.ConvertStringSecurityDescriptorToSecurityDescriptorW(DATA_DIR_SDDL, SDDL_REVISION_1, &descriptor, NULL))
        return GetLastError();
    security.lpSecurityDescriptor = descriptor;
    if (attributes == INVALID_FILE_ATTRIBUTES && !seam.CreateDirectoryW(path, &security)) error = GetLastError();
    /* Also after creating it: CreateDirectory may give the owner to the creator, not to Administrators. */
    if (!error && !seam.SetFileSecurityW(path, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION |
                                                   PROTECTED_DACL_SECURITY_INFORMATION, descriptor))
        error = GetLastError();
    seam.LocalFree(descriptor);
    return error;
}

DWORD repair_make_data_dir(const WCHAR *path)
{
    static const WCHAR *const subfolders[] = { L"backups" };   /* repair.log sits in `path` itself */
    WCHAR sub[MAX_PATH];
    DWORD error = make_dir_with_acl(path);

    for (size_t i = 0; !error && i < ARRAYSIZE(subfolders); i++) {
        swprintf(sub, ARRAYSIZE(sub), L"%ls\\%ls", path, subfolders[i]);
        error = make_dir_with_acl(sub);
    }
    return error;
}

DWORD repair_step_create_backup(struct repair_job *job, struct repair_step *step)
{
    WCHAR path[MAX_PATH], manifest_path[MAX_PATH];
    char name[96], created[32], line[2048];
    char *windows = NULL, *service = NULL;
    SYSTEMTIME now;
    FILETIME filetime;
    HANDLE manifest;
    DWORD error = ERROR_ALREADY_EXISTS;
    size_t length;

    seam.GetSystemTimeAsFileTime(&filetime);
    FileTimeToSystemTime(&filetime, &now);
    /* Never overwrite an older backup: the name carries the time, and a name already taken
     * (two repairs in one second) gets -2, -3, ... CreateDirectory is the atomic check. */
    for (unsigned attempt = 1; attempt <= 100 && error == ERROR_ALREADY_EXISTS; attempt++) {
        if (!manifest_backup_name(name, sizeof(name), now.wYear, now.wMonth, now.wDay, now.wHour, now.wMinute,
                                  now.wSecond, repair_id(job->repair), attempt))
            return ERROR_INVALID_NAME;
        swprintf(path, ARRAYSIZE(path), L"%ls\\backups\\%hs", job->data, name);
        error = seam.CreateDirectoryW(path, NULL) ? ERROR_SUCCESS : GetLastError();
    }
    if (error) return error;
    swprintf(manifest_path, ARRAYSIZE(manifest_path), L"%ls\\manifest.txt", path);
    manifest = seam.CreateFileW(manifest_path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_NEW,
                                FILE_ATTRIBUTE_NORMAL, NULL);
    if (manifest == INVALID_HANDLE_VALUE) return GetLastError();
    job->manifest = manifest;
    snprintf(created, sizeof(created), "%04u-%02u-%02uT%02u:%02u:%02uZ", now.wYear, now.wMonth, now.wDay,
             now.wHour, now.wMinute, now.wSecond);
    windows = repair_utf8(job->windows);
    service = repair_utf8(job->service);
    length = windows && service ? manifest_format_header(line, sizeof(line), repair_id(job->repair), created,
                                                         service, windows) : 0;
    free(windows);
    free(service);
    error = repair_manifest_line(job, line, length, TRUE);
    if (error) return error;   /* the folder stays, with what it has: it is ours and harmless */
    wcscpy(job->backup, path);
    repair_detail(step, L"%ls", path);
    return ERROR_SUCCESS;
}

/* Where `original` goes in the backup: its path below the Windows folder, under files\. */
void repair_backup_path(struct repair_job *job, const WCHAR *original, WCHAR *out, size_t count)
{
    size_t length = wcslen(job->windows);

    if (!_wcsnicmp(original, job->windows, length) && original[length] == L'\\') {
        swprintf(out, count, L"%ls\\files%ls", job->backup, original + length);
    } else {
        WCHAR flat[MAX_PATH];
        wcsncpy(flat, original, ARRAYSIZE(flat) - 1);
        flat[ARRAYSIZE(flat) - 1] = 0;
        for (WCHAR *p = flat; *p; p++)
            if (*p == L':') *p = L'_';
        swprintf(out, count, L"%ls\\files\\other\\%ls", job->backup, flat);
    }
}

/* Creates the folders of `path` below the backup folder (and only there). */
static DWORD make_parents(struct repair_job *job, const WCHAR *path)
{
    WCHAR partial[REPAIR_PATH_CCH];
    size_t base = wcslen(job->backup);

    if (_wcsnicmp(path, job->backup, base) || path[base] != L'\\') return ERROR_INVALID_PARAMETER;
    wcsncpy(partial, path, ARRAYSIZE(partial) - 1);
    partial[ARRAYSIZE(partial) - 1] = 0;
    for (WCHAR *p = partial + base + 1; (p = wcschr(p, L'\\')) != NULL; p++) {
        DWORD attributes;
        *p = 0;
        attributes = seam.GetFileAttributesW(partial);
        if (repair_is_reparse(attributes)) return ERROR_CANT_ACCESS_FILE;
        if (attributes == INVALID_FILE_ATTRIBUTES && !seam.CreateDirectoryW(partial, NULL) &&
            GetLastError() != ERROR_ALREADY_EXISTS)
            return GetLastError();
        *p = L'\\';
    }
    return ERROR_SUCCESS;
}

/* ---- the journal ----------------------------------------------------------------------- */

static DWORD journal(struct repair_job *job, const char *word, BOOL is_dir, const WCHAR *from, const WCHAR *to,
                     BOOL flush)
{
    char *a = repair_utf8(from), *b = repair_utf8(to);
    char line[3 * 2 * REPAIR_PATH_CCH];
    size_t length = 0;
    DWORD error;

    if (!a || !b) {
        free(a);
        free(b);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (!strcmp(word, "move"))
        length = manifest_format_move(line, sizeof(line), is_dir ? MANIFEST_DIR : MANIFEST_FILE, a, b);
    else if (!strcmp(word, "aside"))
        length = manifest_format_aside(line, sizeof(line), is_dir ? MANIFEST_DIR : MANIFEST_FILE, a, b);
    else
        length = manifest_format_mark(line, sizeof(line), !strcmp(word, "pending") ? MANIFEST_PENDING
                                                                                     : MANIFEST_RESTORED, a, b);
    free(a);
    free(b);
    error = repair_manifest_line(job, line, length, flush);
    return error;
}

static WCHAR *copy_w(const WCHAR *text)
{
    size_t size = (wcslen(text) + 1) * sizeof(WCHAR);
    WCHAR *copy = malloc(size);
    if (copy) memcpy(copy, text, size);
    return copy;
}

static DWORD remember(struct repair_job *job, struct repair_step *step, const WCHAR *was, const WCHAR *now,
                      unsigned flags, BOOL pending, const WCHAR *entry_from, const WCHAR *entry_to)
{
    struct repair_move *move;

    if (job->move_count == job->move_capacity) {
        size_t capacity = job->move_capacity ? job->move_capacity * 2 : 64;
        struct repair_move *grown = realloc(job->moves, capacity * sizeof(*grown));
        if (!grown) return ERROR_NOT_ENOUGH_MEMORY;
        job->moves = grown;
        job->move_capacity = capacity;
    }
    move = &job->moves[job->move_count];
    memset(move, 0, sizeof(*move));
    move->was = copy_w(was);
    move->now = copy_w(now);
    move->entry_from = entry_from ? copy_w(entry_from) : NULL;
    move->entry_to = entry_to ? copy_w(entry_to) : NULL;
    if (!move->was || !move->now || (entry_from && !move->entry_from) || (entry_to && !move->entry_to)) {
        free(move->was);
        free(move->now);
        free(move->entry_from);
        free(move->entry_to);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    move->step = (unsigned)(step - job->steps);
    move->flags = flags;
    move->pending = pending;
    job->move_count++;
    return ERROR_SUCCESS;
}

/* ---- moving ---------------------------------------------------------------------------- */

static BOOL is_lock_error(DWORD error)
{
    return error == ERROR_SHARING_VIOLATION || error == ERROR_ACCESS_DENIED || error == ERROR_LOCK_VIOLATION;
}

/* The item is in use: ask once per step whether to finish its move at the next restart. */
static BOOL ask_delay(struct repair_job *job, struct repair_step *step, const WCHAR *from, DWORD error)
{
    const struct repair_options *o = job->options;
    WCHAR question[REPAIR_PATH_CCH + 200];

    if (!step->ask_answered) {
        swprintf(question, ARRAYSIZE(question),
                 L"%ls is in use (error %lu), so it cannot be moved now. Move it when Windows next restarts%ls?",
                 from, error, step->param > 1 ? L" (and any other file of this step that is in use)" : L"");
        step->ask_yes = o && o->confirm && o->confirm(o->context, REPAIR_ASK_DELAY_UNTIL_REBOOT, question);
        step->ask_answered = TRUE;
    }
    return step->ask_yes;
}

/* Moves one item whose manifest line is already written. The item itself moves, never what a
 * link points to: MoveFileEx renames a junction or symbolic link, it does not follow it. */
static DWORD move_journaled(struct repair_job *job, struct repair_step *step, const WCHAR *from, const WCHAR *to,
                            unsigned flags, BOOL is_dir)
{
    DWORD error, remembered;

    if (seam.MoveFileExW(from, to, 0)) return remember(job, step, from, to, flags, FALSE, NULL, NULL);
    error = GetLastError();
    if (!is_lock_error(error) || (flags & (MOVE_RESTORING | MOVE_ASIDE)) || !ask_delay(job, step, from, error))
        return error;
    if (!seam.MoveFileExW(from, to, MOVEFILE_DELAY_UNTIL_REBOOT)) return GetLastError();
    /* Registered: record it at once (it is not undoable by moving, only by un-registering). */
    remembered = remember(job, step, from, to, flags, TRUE, NULL, NULL);
    error = remembered ? remembered : journal(job, "pending", is_dir, from, to, TRUE);
    if (error) {
        /* Only this move's own entry (when remember() added one) is marked undone, and only
         * once it really came off the list; otherwise undo takes it off later. */
        if (repair_cancel_pending(from, to) == ERROR_SUCCESS && !remembered)
            job->moves[job->move_count - 1].undone = TRUE;
        return error;
    }
    step->status = REPAIR_STEP_PENDING_REBOOT;
    return ERROR_SUCCESS;
}

DWORD repair_move(struct repair_job *job, struct repair_step *step, const WCHAR *from, const WCHAR *to,
                  unsigned flags)
{
    DWORD attributes = seam.GetFileAttributesW(from), error;
    BOOL is_dir;

    if (attributes == INVALID_FILE_ATTRIBUTES) return GetLastError();
    /* Links are never moved: Windows would rename the link, but Wine renames what it points
     * to, and either way a link someone made (catroot2 on another disk) is theirs to keep. */
    if (repair_is_reparse(attributes)) return ERROR_CANT_ACCESS_FILE;
    is_dir = (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    error = make_parents(job, to);
    if (error) return error;
    error = journal(job, flags & MOVE_ASIDE ? "aside" : "move", is_dir, from, to, TRUE);
    if (error) return error;
    return move_journaled(job, step, from, to, flags, is_dir);
}

/* Something is where an item must go back to (the service made a new edb.log, a new
 * catroot2): set it aside into the backup, journaled, so nothing is overwritten or lost. */
static DWORD make_room(struct repair_job *job, struct repair_step *step, const WCHAR *path)
{
    WCHAR aside[REPAIR_PATH_CCH];
    const WCHAR *name = wcsrchr(path, L'\\');

    if (seam.GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES) return ERROR_SUCCESS;
    for (unsigned n = 1; n < 1000; n++) {
        swprintf(aside, ARRAYSIZE(aside), L"%ls\\aside\\%u-%ls", job->backup, n, name ? name + 1 : path);
        if (seam.GetFileAttributesW(aside) == INVALID_FILE_ATTRIBUTES)
            return repair_move(job, step, path, aside, MOVE_ASIDE);
    }
    return ERROR_ALREADY_EXISTS;   /* every aside name is taken: never reuse one */
}

static BOOL name_matches(const WCHAR *name, const WCHAR *prefix, const WCHAR *suffix)
{
    size_t length = wcslen(name), p = wcslen(prefix), s = wcslen(suffix);

    return length >= p + s && !_wcsnicmp(name, prefix, p) && !_wcsicmp(name + length - s, suffix);
}

struct name_list {
    WCHAR (*names)[MAX_PATH];
    size_t count, capacity;
};

/* Lists the plain files of `dir` named prefix*suffix; links and folders are left alone. */
static DWORD list_files(const WCHAR *dir, const WCHAR *prefix, const WCHAR *suffix, struct name_list *list)
{
    WCHAR pattern[MAX_PATH];
    WIN32_FIND_DATAW found;
    HANDLE find;
    DWORD error = ERROR_SUCCESS;

    swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\%ls*", dir, prefix);
    find = seam.FindFirstFileExW(pattern, FindExInfoBasic, &found, FindExSearchNameMatch, NULL, 0);
    if (find == INVALID_HANDLE_VALUE) {
        error = GetLastError();
        return error == ERROR_FILE_NOT_FOUND ? ERROR_SUCCESS : error;
    }
    do {
        if (found.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) continue;
        if (!name_matches(found.cFileName, prefix, suffix)) continue;
        if (list->count == list->capacity) {
            size_t capacity = list->capacity ? list->capacity * 2 : 64;
            void *grown = realloc(list->names, capacity * sizeof(*list->names));
            if (!grown) {
                error = ERROR_NOT_ENOUGH_MEMORY;
                break;
            }
            list->names = grown;
            list->capacity = capacity;
        }
        wcscpy(list->names[list->count++], found.cFileName);
    } while (seam.FindNextFileW(find, &found));
    if (!error && GetLastError() != ERROR_NO_MORE_FILES) error = GetLastError();
    seam.FindClose(find);
    return error;
}

DWORD repair_move_pattern(struct repair_job *job, struct repair_step *step, const WCHAR *dir,
                          const WCHAR *prefix, const WCHAR *suffix)
{
    struct name_list list = { 0 };
    DWORD attributes = seam.GetFileAttributesW(dir), error;
    unsigned moved = 0, pending = 0;

    if (attributes == INVALID_FILE_ATTRIBUTES) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"%ls is not there", dir);
        return ERROR_SUCCESS;
    }
    if (repair_is_reparse(attributes)) {
        step->status = REPAIR_STEP_SKIPPED;
        repair_detail(step, L"%ls is a link (junction or symbolic link): not followed", dir);
        return ERROR_SUCCESS;
    }
    error = list_files(dir, prefix, suffix, &list);
    if (!error && list.count) {
        WCHAR first[MAX_PATH], first_to[REPAIR_PATH_CCH];
        swprintf(first, ARRAYSIZE(first), L"%ls\\%ls", dir, list.names[0]);
        repair_backup_path(job, first, first_to, ARRAYSIZE(first_to));
        error = make_parents(job, first_to);
    }
    step->param = (DWORD)list.count;
    /* Write-ahead in batches: the lines of a batch are flushed before any of its files move. */
    for (size_t start = 0; !error && start < list.count; start += JOURNAL_BATCH) {
        size_t end = start + JOURNAL_BATCH < list.count ? start + JOURNAL_BATCH : list.count;
        WCHAR from[MAX_PATH], to[REPAIR_PATH_CCH];

        for (size_t i = start; !error && i < end; i++) {
            swprintf(from, ARRAYSIZE(from), L"%ls\\%ls", dir, list.names[i]);
            repair_backup_path(job, from, to, ARRAYSIZE(to));
            error = journal(job, "move", FALSE, from, to, FALSE);
        }
        if (!error) error = repair_manifest_flush(job);
        for (size_t i = start; !error && i < end; i++) {
            swprintf(from, ARRAYSIZE(from), L"%ls\\%ls", dir, list.names[i]);
            repair_backup_path(job, from, to, ARRAYSIZE(to));
            error = move_journaled(job, step, from, to, 0, FALSE);
            if (error) {
                WCHAR why[160];
                repair_error_text(error, why, ARRAYSIZE(why));
                repair_detail(step, L"%ls could not be moved (%ls)", from, why);
            } else if (job->moves[job->move_count - 1].pending) {
                pending++;
            } else {
                moved++;
            }
        }
    }
    free(list.names);
    if (!error && !step->detail[0]) {
        if (!list.count) {
            step->status = REPAIR_STEP_SKIPPED;
            repair_detail(step, L"no %ls*%ls in %ls", prefix, suffix, dir);
        } else {
            repair_detail(step, L"%u moved%ls", moved, pending ? L", some wait for the next restart" : L"");
        }
    }
    return error;
}

/* ---- undo and pending moves ---------------------------------------------------------- */

static DWORD undo_one(struct repair_job *job, struct repair_step *step, size_t index)
{
    struct repair_move *move = &job->moves[index];
    BOOL is_dir;
    DWORD attributes, error;
    WCHAR *was, *now;

    if (move->pending) {
        error = repair_cancel_pending(move->was, move->now);
        if (!error) error = journal(job, "restored", FALSE, move->was, move->now, TRUE);
        if (!error) job->moves[index].undone = TRUE;
        return error;
    }
    attributes = seam.GetFileAttributesW(move->now);
    if (attributes == INVALID_FILE_ATTRIBUTES) return GetLastError();
    if (repair_is_reparse(attributes)) return ERROR_CANT_ACCESS_FILE;
    is_dir = (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    was = copy_w(move->was);
    now = copy_w(move->now);
    if (!was || !now) {
        free(was);
        free(now);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (job->moves[index].flags & MOVE_RESTORING) {
        /* Undoing a restore: the item goes into the backup again; say so before it moves. */
        error = journal(job, "move", is_dir, job->moves[index].entry_from, job->moves[index].entry_to, TRUE);
    } else {
        error = make_room(job, step, was);   /* may grow job->moves: use the copies from here */
    }
    if (!error && !seam.MoveFileExW(now, was, 0)) error = GetLastError();
    /* A lost "restored" mark is harmless (restore finds the item home), so no flush per item. */
    if (!error && !(job->moves[index].flags & MOVE_RESTORING))
        error = journal(job, "restored", is_dir, was, now, FALSE);
    if (!error) job->moves[index].undone = TRUE;
    free(was);
    free(now);
    return error;
}

DWORD repair_undo_moves(struct repair_job *job, struct repair_step *step)
{
    unsigned index = (unsigned)(step - job->steps);
    DWORD first_error = ERROR_SUCCESS;

    /* Newest first; items set aside while undoing are added at the end and stay where they are. */
    for (size_t i = job->move_count; i-- > 0;) {
        DWORD error;
        if (job->moves[i].step != index || job->moves[i].undone) continue;
        error = undo_one(job, step, i);
        if (error && !first_error) {
            first_error = error;
            repair_detail(step, L"%ls is still at %ls", job->moves[i].was, job->moves[i].now);
        }
    }
    if (job->manifest) repair_manifest_flush(job);
    return first_error;
}

/* Takes one MoveFileEx(DELAY_UNTIL_REBOOT) pair back out of PendingFileRenameOperations. */
DWORD repair_cancel_pending(const WCHAR *from, const WCHAR *to)
{
    WCHAR source[REPAIR_PATH_CCH], dest[REPAIR_PATH_CCH];
    HKEY key;
    DWORD type = 0, size = 0, error;
    WCHAR *list = NULL, *out;
    BOOL found = FALSE;

    swprintf(source, ARRAYSIZE(source), L"\\??\\%ls", from);
    swprintf(dest, ARRAYSIZE(dest), L"\\??\\%ls", to);
    error = seam.RegOpenKeyExW(HKEY_LOCAL_MACHINE, SESSION_MANAGER_KEY, 0, KEY_QUERY_VALUE | KEY_SET_VALUE, &key);
    if (error) return error;
    error = seam.RegQueryValueExW(key, L"PendingFileRenameOperations", NULL, &type, NULL, &size);
    if (!error && type != REG_MULTI_SZ) error = ERROR_INVALID_DATATYPE;
    if (!error && !(list = calloc(1, size + 4 * sizeof(WCHAR)))) error = ERROR_NOT_ENOUGH_MEMORY;
    if (!error) error = seam.RegQueryValueExW(key, L"PendingFileRenameOperations", NULL, &type, (BYTE *)list, &size);
    if (!error) {
        /* Pairs of strings: source, then destination ("!" in front means replace existing). */
        const WCHAR *read = list, *end = list + size / sizeof(WCHAR);
        out = list;
        while (read < end && *read) {
            const WCHAR *src = read, *dst = src + wcslen(src) + 1;
            size_t pair;
            if (dst >= end) {
                /* An unpaired last string is not ours to drop: keep it as it was. */
                size_t rest = wcslen(src) + 1;
                memmove(out, src, rest * sizeof(WCHAR));
                out += rest;
                break;
            }
            pair = (size_t)(dst + wcslen(dst) + 1 - src);
            if (!found && !_wcsicmp(src, source) && !_wcsicmp(dst + (*dst == L'!'), dest)) {
                found = TRUE;
            } else {
                memmove(out, src, pair * sizeof(WCHAR));
                out += pair;
            }
            read = src + pair;
        }
        *out = 0;
        if (!found) error = ERROR_NOT_FOUND;
        else if (out == list) error = seam.RegDeleteValueW(key, L"PendingFileRenameOperations");
        else error = seam.RegSetValueExW(key, L"PendingFileRenameOperations", 0, REG_MULTI_SZ, (BYTE *)list,
                                         (DWORD)((out - list + 1) * sizeof(WCHAR)));
    }
    free(list);
    seam.RegCloseKey(key);
    return error;
}

/* ---- restore: the backup's manifest, played back ------------------------------------- */

static WCHAR *from_utf8(const char *text)
{
    int count = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, NULL, 0);
    WCHAR *out;

    if (count <= 0) return NULL;
    out = malloc((size_t)count * sizeof(WCHAR));
    if (out && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, out, count) <= 0) {
        free(out);
        out = NULL;
    }
    return out;
}

/* A manifest may only send things back out of its own backup folder, and only into the
 * Windows folder the job works on (every repair moves things from below it). The check is
 * lexical and strict: below the folder, a '/', a ':', an empty segment or one ending in '.'
 * or ' ' (".", "..", "... ") could name something else than it seems to, so all are refused. */
static BOOL inside(const WCHAR *path, const WCHAR *folder)
{
    size_t length = wcslen(folder);
    const WCHAR *segment;

    if (!length || _wcsnicmp(path, folder, length) || path[length] != L'\\') return FALSE;
    /* The folder is the caller's; what the manifest adds below it is checked. */
    if (wcschr(path + length, L'/') || wcschr(path + length, L':')) return FALSE;
    for (segment = path + length + 1;; segment++) {
        const WCHAR *next = wcschr(segment, L'\\');
        size_t n = next ? (size_t)(next - segment) : wcslen(segment);
        /* Windows drops a name's trailing dots and spaces ("..." or ".. " is ".."): refused too. */
        if (!n || segment[n - 1] == L'.' || segment[n - 1] == L' ') return FALSE;
        if (!next) return TRUE;
        segment = next;
    }
}

DWORD repair_restore_moves(struct repair_job *job, struct repair_step *step)
{
    struct manifest *m = &job->restore_manifest;
    unsigned restored = 0, absent = 0, cancelled = 0;
    DWORD error = ERROR_SUCCESS;

    /* All or nothing: one entry pointing outside refuses the restore before anything moves. */
    for (size_t i = 0; i < m->count; i++) {
        const struct manifest_entry *entry = &m->entries[i];
        WCHAR *from, *to;
        BOOL good;

        if (entry->kind == MANIFEST_VALUE || entry->aside || entry->state == MANIFEST_RESTORED) continue;
        from = from_utf8(entry->from);
        to = from_utf8(entry->to);
        good = from && to && inside(to, job->restore_from) && inside(from, job->windows);
        if (!good)
            repair_detail(step, L"the backup names a place outside %ls or its backup folder: %hs -> %hs; "
                                L"nothing was put back", job->windows, entry->to, entry->from);
        free(from);
        free(to);
        if (!good) return ERROR_INVALID_DATA;
    }
    /* Newest first, so an item moved twice comes back in the right order. */
    for (size_t i = m->count; !error && i-- > 0;) {
        struct manifest_entry *entry = &m->entries[i];
        WCHAR *from, *to;
        DWORD at_backup, at_home;

        if (entry->kind == MANIFEST_VALUE || entry->aside || entry->state == MANIFEST_RESTORED) continue;
        from = from_utf8(entry->from);
        to = from_utf8(entry->to);
        if (!from || !to) error = ERROR_NO_UNICODE_TRANSLATION;
        else if (!inside(to, job->restore_from) || !inside(from, job->windows)) error = ERROR_INVALID_DATA;
        if (!error) {
            at_backup = seam.GetFileAttributesW(to);
            /* Looking up a name that is not there reads the whole folder under Wine: ask about
             * the original place only when it matters (a pending move, or the move refused). */
            at_home = entry->state == MANIFEST_PENDING && at_backup == INVALID_FILE_ATTRIBUTES
                    ? seam.GetFileAttributesW(from) : INVALID_FILE_ATTRIBUTES;
            if (entry->state == MANIFEST_PENDING && at_backup == INVALID_FILE_ATTRIBUTES &&
                at_home != INVALID_FILE_ATTRIBUTES) {
                /* Still waiting for the restart: take it off the list instead. */
                error = repair_cancel_pending(from, to);
                if (!error) error = journal(job, "restored", FALSE, from, to, TRUE);
                if (!error) cancelled++;
            } else if (at_backup == INVALID_FILE_ATTRIBUTES) {
                absent++;   /* never moved (the repair stopped before it), or already back */
            } else if (repair_is_reparse(at_backup)) {
                error = ERROR_CANT_ACCESS_FILE;   /* we never put a link there; we never follow one */
            } else {
                /* MoveFileEx without REPLACE_EXISTING never overwrites: if something new is at
                 * the original place, it is set aside and the move tried again. */
                if (!seam.MoveFileExW(to, from, 0)) {
                    error = GetLastError();
                    if (error == ERROR_ALREADY_EXISTS || error == ERROR_FILE_EXISTS ||
                        seam.GetFileAttributesW(from) != INVALID_FILE_ATTRIBUTES) {
                        error = make_room(job, step, from);
                        if (!error && !seam.MoveFileExW(to, from, 0)) error = GetLastError();
                    }
                }
                if (!error) error = remember(job, step, to, from, MOVE_RESTORING, FALSE, from, to);
                if (!error) error = journal(job, "restored", FALSE, from, to, FALSE);
                if (!error) restored++;
            }
        }
        if (error) {
            WCHAR why[160];
            repair_error_text(error, why, ARRAYSIZE(why));
            repair_detail(step, L"%ls could not be put back (%ls)", from ? from : L"?", why);
        }
        free(from);
        free(to);
    }
    if (!error) error = repair_manifest_flush(job);
    if (!error) {
        repair_detail(step, L"%u put back%ls", restored, cancelled ? L", pending moves cancelled" : L"");
        if (!restored && !cancelled) step->status = REPAIR_STEP_SKIPPED;
    }
    (void)absent;
    return error;
}
