/* core/win/catdb.c: the catalog database scan: catroot2's databases and logs, dberr.txt, security logs, catroot. */
#include "win/catdb.h"
#include "win/catdb_files.h"
#include "win/seam.h"
#include "pure/dberr.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define HEAD_LENGTH 65536u              /* always holds both database header copies (32 KiB pages) */
#define LOG_HEAD_LENGTH 4096u           /* a log header; the parser judges a log from it and its size */
#define CHECKPOINT_LENGTH 8192u         /* edb.chk: two 4 KiB copies */
#define DBERR_TAIL_LENGTH 65536u
#define DEFAULT_LOG_HEADER_MAX 4096u
#define SECURITY_LOG_HEADER_MAX 256u
#define DEFAULT_CHUNK (1u << 20)        /* measured fastest for the deep check (docs/catalog-health.md) */
#define ITEMS_MAX 96
#define DAY_100NS 864000000000ull
#define RECENT_DAYS 30

static const WCHAR *const guids[2] = { CATDB_GUID_SYSTEM, CATDB_GUID_DEFAULT };
static const char *const guid_labels[2] = { "catdb {F750E6C3}", "catdb {127D0A1D}" };

static const char *const kind_names[] = { "healthy", "suspicious", "corrupt", "not readable", "missing" };
static const int kind_ranks[] = { 0, 1, 4, 3, 2 };

const char *catdb_verdict_name(enum catdb_verdict_kind kind)
{
    return (unsigned)kind < ARRAYSIZE(kind_names) ? kind_names[kind] : "unknown";
}

int catdb_verdict_rank(enum catdb_verdict_kind kind)
{
    return (unsigned)kind < ARRAYSIZE(kind_ranks) ? kind_ranks[kind] : 0;
}

static enum catdb_verdict_kind kind_of_rank(int rank)
{
    static const enum catdb_verdict_kind kinds[] = { CATDB_HEALTHY, CATDB_SUSPICIOUS, CATDB_MISSING,
                                                     CATDB_NOT_READABLE, CATDB_CORRUPT };
    return kinds[rank < 0 ? 0 : rank > 4 ? 4 : rank];
}

static int rank_of_level(enum ese_level level)
{
    switch (level) {
    case ESE_LEVEL_SUSPICIOUS: return 1;
    case ESE_LEVEL_CORRUPT: return 4;
    case ESE_LEVEL_NOT_READABLE: return 3;
    default: return 0;
    }
}

/* ---- text ------------------------------------------------------------------------------ */

/* Copies UTF-8 text, cut at a character boundary when it does not fit. */
static void set_text(char *out, size_t out_length, const char *text)
{
    size_t n = strlen(text);
    if (n >= out_length) {
        n = out_length - 1;
        while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80) n--;
    }
    memcpy(out, text, n);
    out[n] = '\0';
}

static const char *count_text(uint64_t value, char *buffer, size_t length)
{
    return ese_format_count(value, buffer, length);
}

/* ---- the scan's state ------------------------------------------------------------------ */

struct item {
    int rank;
    char text[CATDB_REASON_LENGTH];
};

struct log_entry {
    char name[ESE_NAME_LENGTH];
    ULONGLONG size;
    enum ese_name_kind kind;
    int32_t generation;
};

struct log_list {
    struct log_entry *entries;
    size_t count, capacity;
    BOOL out_of_memory;
};

struct scan {
    struct catdb_options options;
    struct catdb_report *report;
    WCHAR system32[MAX_PATH], catroot2[MAX_PATH];
    struct item items[ITEMS_MAX];
    unsigned item_count;
    BOOL catroot2_listed;               /* its listing finished without error */
    struct log_list catroot2_logs;
    struct ese_log_header *logs;        /* catroot2's logs as the verdict sees them */
    size_t log_count;
    BOOL logs_unread;                   /* a log or the checkpoint we meant to read was not read */
    struct ese_checkpoint checkpoint;
    BOOL checkpoint_found, checkpoint_parsed;
    BOOL guid_listed[2], guid_reparse[2];
    WIN32_FIND_DATAW dberr;
    BOOL dberr_found;
    char first_leftover[ESE_NAME_LENGTH];
    struct ese_findings findings[2];    /* per database, for the report's evidence */
    BOOL findings_valid[2];
    BOOL db_problem[2], log_problem[2]; /* a finding from the database alone / only with its logs */
    uint8_t *buffer;                    /* reads: max(chunk, HEAD_LENGTH) bytes */
    size_t buffer_length;
    struct dberr_result dberr_parsed;
    struct ese_db_header header;
    struct ese_deep_check deep;
};

static void add_item(struct scan *s, int rank, const char *text)
{
    if (s->item_count >= ITEMS_MAX) {
        s->report->evidence_dropped++;
        return;
    }
    s->items[s->item_count].rank = rank;
    set_text(s->items[s->item_count].text, CATDB_REASON_LENGTH, text);
    s->item_count++;
}

/* "<what> could not be read: <why>" as a not-readable item. */
static void add_unreadable(struct scan *s, const char *what, DWORD error)
{
    char why[128], text[CATDB_REASON_LENGTH];

    catdb_describe_error(error, why, sizeof(why));
    snprintf(text, sizeof(text), "%s could not be read: %s", what, why);
    add_item(s, 3, text);
    s->report->unreadable_count++;
}

static BOOL name_is(const WCHAR *name, const WCHAR *wanted)
{
    return _wcsicmp(name, wanted) == 0;
}

/* The Edb*.log glob of the article's cure (edb.log, edbNNNNN.log, edbtmp.log, ...). */
static BOOL matches_edb_log(const char *name)
{
    size_t n = strlen(name);
    return n >= 7 && _strnicmp(name, "edb", 3) == 0 && _stricmp(name + n - 4, ".log") == 0;
}

static ULONGLONG find_size(const WIN32_FIND_DATAW *data)
{
    return ((ULONGLONG)data->nFileSizeHigh << 32) | data->nFileSizeLow;
}

static BOOL is_reparse(DWORD attributes)
{
    return (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
}

static void add_link_item(struct scan *s, const char *folder, const WCHAR *name)
{
    char narrow[MAX_PATH], text[CATDB_REASON_LENGTH];

    catdb_narrow(name, narrow, sizeof(narrow));
    snprintf(text, sizeof(text), "%s\\%s is a link (junction or symbolic link); it was not followed", folder, narrow);
    add_item(s, 1, text);
    s->report->any_reparse_inside = TRUE;
}

static void list_add(struct log_list *list, const char *name, ULONGLONG size, enum ese_name_kind kind,
                     int32_t generation)
{
    struct log_entry *entry;

    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 64;
        struct log_entry *grown = realloc(list->entries, capacity * sizeof(*grown));
        if (!grown) {
            list->out_of_memory = TRUE;
            return;
        }
        list->entries = grown;
        list->capacity = capacity;
    }
    entry = &list->entries[list->count++];
    set_text(entry->name, sizeof(entry->name), name);
    entry->size = size;
    entry->kind = kind;
    entry->generation = generation;
}

/* ---- catroot2's listing ---------------------------------------------------------------- */

static void visit_catroot2(void *context, const WIN32_FIND_DATAW *data)
{
    struct scan *s = context;
    struct catdb_report *r = s->report;
    char name[MAX_PATH];
    enum ese_name_kind kind;
    int32_t generation;

    if (is_reparse(data->dwFileAttributes)) {
        for (int i = 0; i < 2; i++)
            if (name_is(data->cFileName, guids[i])) s->guid_reparse[i] = s->guid_listed[i] = TRUE;
        add_link_item(s, "catroot2", data->cFileName);
        return;
    }
    if (data->dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
        for (int i = 0; i < 2; i++)
            if (name_is(data->cFileName, guids[i])) {
                s->guid_listed[i] = TRUE;
                return;
            }
        if (!r->leftover_count++) catdb_narrow(data->cFileName, s->first_leftover, sizeof(s->first_leftover));
        return;
    }
    catdb_narrow(data->cFileName, name, sizeof(name));
    kind = ese_classify_name(name, "edb", &generation);
    if (matches_edb_log(name)) {
        r->log_count++;
        r->log_bytes += find_size(data);
    }
    switch (kind) {
    case ESE_NAME_CURRENT_LOG:
        r->edb_log_size = find_size(data);
        /* fall through */
    case ESE_NAME_ARCHIVED_LOG:
        r->transaction_log_count++;
        list_add(&s->catroot2_logs, name, find_size(data), kind, generation);
        return;
    case ESE_NAME_TMP_LOG:
    case ESE_NAME_RESERVE_LOG:
        r->reserve_logs++;
        list_add(&s->catroot2_logs, name, find_size(data), kind, generation);
        return;
    case ESE_NAME_CHECKPOINT:
        s->checkpoint_found = TRUE;
        return;
    default:
        break;
    }
    if (name_is(data->cFileName, L"dberr.txt")) {
        s->dberr = *data;
        s->dberr_found = TRUE;
    } else if (!name_is(data->cFileName, L"tmp.edb")) {
        if (!r->leftover_count++) set_text(s->first_leftover, sizeof(s->first_leftover), name);
    }
}

/* ---- log headers ----------------------------------------------------------------------- */

/* Which logs matter most comes first: the current log, the reserve logs, then archived
 * logs from the newest down (a dirty database and the checkpoint need the newest). */
static int log_order(const void *a, const void *b)
{
    const struct log_entry *x = *(const struct log_entry *const *)a, *y = *(const struct log_entry *const *)b;
    int cx = x->kind == ESE_NAME_CURRENT_LOG ? 0 : x->kind == ESE_NAME_ARCHIVED_LOG ? 2 : 1;
    int cy = y->kind == ESE_NAME_CURRENT_LOG ? 0 : y->kind == ESE_NAME_ARCHIVED_LOG ? 2 : 1;

    if (cx != cy) return cx - cy;
    return (y->generation > x->generation) - (y->generation < x->generation);
}

/* A log whose header was not read: counted by name and size, never judged by content
 * (status "damaged" with no reason is what every rule of ese_set_findings skips). */
static void log_not_read(const struct log_entry *entry, struct ese_log_header *out)
{
    memset(out, 0, sizeof(*out));
    set_text(out->file_name, sizeof(out->file_name), entry->name);
    out->name_kind = entry->kind;
    out->name_generation = entry->generation;
    out->file_length = entry->size;
    out->generation_matches_name = 1;
    out->status = ESE_FILE_DAMAGED;
}

struct read_failures {
    unsigned locked, failed;
    char first_locked[ESE_NAME_LENGTH], first_failed[ESE_NAME_LENGTH];
    DWORD failed_error;
};

static void read_one_log(struct scan *s, const WCHAR *folder, const struct log_entry *entry,
                         struct ese_log_header *out, struct read_failures *fail)
{
    WCHAR name[ESE_NAME_LENGTH], path[MAX_PATH];
    size_t got = 0;
    DWORD error;

    if (entry->size == 0) {
        ese_parse_log(NULL, 0, 0, entry->name, out);
        return;
    }
    MultiByteToWideChar(CP_UTF8, 0, entry->name, -1, name, ARRAYSIZE(name));
    error = catdb_join(path, ARRAYSIZE(path), folder, name) ? catdb_read_head(path, s->buffer, LOG_HEAD_LENGTH, &got)
                                                             : ERROR_FILENAME_EXCED_RANGE;
    if (error) {
        log_not_read(entry, out);
        if (catdb_is_lock_error(error)) {
            if (!fail->locked++) set_text(fail->first_locked, sizeof(fail->first_locked), entry->name);
        } else {
            if (!fail->failed++) {
                set_text(fail->first_failed, sizeof(fail->first_failed), entry->name);
                fail->failed_error = error;
            }
        }
        return;
    }
    ese_parse_log(s->buffer, got, entry->size, entry->name, out);
}

static void report_failures(struct scan *s, const char *folder, const struct read_failures *fail)
{
    char text[CATDB_REASON_LENGTH], more[48] = "";

    if (fail->locked) {
        if (fail->locked > 1) snprintf(more, sizeof(more), " (and %u more)", fail->locked - 1);
        snprintf(text, sizeof(text), "%s\\%s%s is in use by Cryptographic Services, so it could not be read",
                 folder, fail->first_locked, more);
        add_item(s, 3, text);
        s->report->unreadable_count += fail->locked;
    }
    if (fail->failed) {
        char what[ESE_NAME_LENGTH + 64];
        more[0] = '\0';
        if (fail->failed > 1) snprintf(more, sizeof(more), " (and %u more)", fail->failed - 1);
        snprintf(what, sizeof(what), "%s\\%s%s", folder, fail->first_failed, more);
        add_unreadable(s, what, fail->failed_error);
        s->report->unreadable_count += fail->failed - 1;
    }
}

/* Reads the headers of up to `max` logs (most important first) into a new array the
 * verdict can take; the rest are listed by name and size only. */
static struct ese_log_header *read_logs(struct scan *s, const WCHAR *folder, const char *label,
                                        const struct log_list *list, unsigned max, unsigned *read_count,
                                        struct read_failures *fail)
{
    const struct log_entry **order;
    struct ese_log_header *logs;

    *read_count = 0;
    if (!list->count) return NULL;
    order = malloc(list->count * sizeof(*order));
    logs = malloc(list->count * sizeof(*logs));
    if (!order || !logs) {
        free(order);
        free(logs);
        return NULL;
    }
    for (size_t i = 0; i < list->count; i++) order[i] = &list->entries[i];
    qsort(order, list->count, sizeof(*order), log_order);
    for (size_t i = 0; i < list->count; i++) {
        if (i < max) {
            read_one_log(s, folder, order[i], &logs[i], fail);
            (*read_count)++;
        } else {
            log_not_read(order[i], &logs[i]);
        }
    }
    free(order);
    report_failures(s, label, fail);
    return logs;
}

static void scan_catroot2_logs(struct scan *s)
{
    struct catdb_report *r = s->report;
    struct read_failures fail = { 0 };
    unsigned max = s->options.log_header_max ? s->options.log_header_max : DEFAULT_LOG_HEADER_MAX;
    char text[CATDB_REASON_LENGTH], a[32], b[32];

    s->logs = read_logs(s, s->catroot2, "catroot2", &s->catroot2_logs, max, &r->log_headers_read, &fail);
    if (s->catroot2_logs.count && !s->logs) {
        add_unreadable(s, "The list of catroot2's logs", ERROR_NOT_ENOUGH_MEMORY);
        s->logs_unread = TRUE;
    }
    s->log_count = s->logs ? s->catroot2_logs.count : 0;
    if (fail.locked || fail.failed) s->logs_unread = TRUE;
    r->locked_logs = fail.locked;
    for (size_t i = 0; i < s->log_count; i++) {
        if (s->logs[i].status == ESE_FILE_EMPTY) r->zero_length_logs++;
        if (s->logs[i].damaged[0]) r->damaged_logs++;
    }
    if (s->log_count > r->log_headers_read) {
        snprintf(text, sizeof(text), "Only the newest %s of %s log headers were read; the rest were counted",
                 count_text(r->log_headers_read, a, sizeof(a)), count_text(s->log_count, b, sizeof(b)));
        add_item(s, 0, text);
    }
}

static void scan_checkpoint(struct scan *s)
{
    WCHAR path[MAX_PATH];
    size_t got = 0;
    DWORD error;

    if (!s->checkpoint_found) return;
    error = catdb_join(path, ARRAYSIZE(path), s->catroot2, L"edb.chk")
                ? catdb_read_head(path, s->buffer, CHECKPOINT_LENGTH, &got)
                : ERROR_FILENAME_EXCED_RANGE;
    s->report->checkpoint_present = TRUE;
    if (error) {
        add_unreadable(s, "catroot2\\edb.chk", error);
        s->logs_unread = TRUE;
        return;
    }
    ese_parse_checkpoint(s->buffer, got, &s->checkpoint);
    s->checkpoint_parsed = TRUE;
}

/* ---- one database ---------------------------------------------------------------------- */

struct guid_listing {
    struct scan *scan;
    const char *label;
    BOOL found, reparse, directory;
    ULONGLONG size;
};

static void visit_guid_folder(void *context, const WIN32_FIND_DATAW *data)
{
    struct guid_listing *l = context;

    if (name_is(data->cFileName, L"catdb")) {
        l->found = TRUE;
        l->reparse = is_reparse(data->dwFileAttributes);
        l->directory = (data->dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
        l->size = find_size(data);
    }
    if (is_reparse(data->dwFileAttributes)) add_link_item(l->scan, l->label, data->cFileName);
}

static void set_reason(struct catdb_database *db, const char *text)
{
    set_text(db->reason, sizeof(db->reason), text);
}

static void describe_reason(struct catdb_database *db, const char *what, DWORD error)
{
    char why[128], text[CATDB_REASON_LENGTH];

    catdb_describe_error(error, why, sizeof(why));
    snprintf(text, sizeof(text), "%s: %s", what, why);
    set_reason(db, text);
}

/* Streams the rest of the file through the page check, a chunk at a time. */
static DWORD deep_check(struct scan *s, HANDLE file, size_t head_got, struct catdb_database *db)
{
    size_t chunk = s->buffer_length, got;
    uint64_t total = head_got;
    DWORD error;

    if (!ese_deep_begin(&s->deep, s->header.page_size, s->header.dbtime)) return ERROR_INVALID_DATA;
    ese_deep_feed(&s->deep, s->buffer, head_got);
    for (;;) {
        error = catdb_read(file, s->buffer, chunk, &got);
        if (error) return error;
        if (!got) break;
        ese_deep_feed(&s->deep, s->buffer, got);
        total += got;
    }
    ese_deep_finish(&s->deep);
    if (total != db->size) return ERROR_HANDLE_EOF;
    db->deep_checked = TRUE;
    db->pages_total = s->deep.pages_total;
    db->pages_bad = s->deep.pages_bad;
    db->pages_unused = s->deep.pages_unused;
    return 0;
}

/* Reads the header (and with a deep check every page) of an open catdb. Returns FALSE
 * when something that should have been read was not (db->reason says what). */
static BOOL read_database(struct scan *s, HANDLE file, struct catdb_database *db)
{
    LARGE_INTEGER size;
    size_t got = 0, want;
    DWORD error;

    if (!seam.GetFileSizeEx(file, &size)) {
        describe_reason(db, "its size could not be read", GetLastError());
        return FALSE;
    }
    db->size = (ULONGLONG)size.QuadPart;
    want = s->options.deep && !db->in_use ? s->buffer_length : HEAD_LENGTH;
    if ((error = catdb_read(file, s->buffer, want, &got))) {
        describe_reason(db, "it could not be read", error);
        return FALSE;
    }
    ese_parse_db_header(s->buffer, got < HEAD_LENGTH ? got : HEAD_LENGTH, db->size, &s->header);
    db->header_read = TRUE;
    db->page_size = s->header.page_size;
    db->db_state = s->header.state;
    if (!s->options.deep || !s->header.readable || !ese_page_size_valid(s->header.page_size)) return TRUE;
    if (db->in_use) {
        set_reason(db, "it is in use by Cryptographic Services, so its pages were not checked; "
                       "a deep check stops the service briefly");
        return TRUE;
    }
    if ((error = deep_check(s, file, got, db))) {
        describe_reason(db, "its pages could not all be read", error);
        return FALSE;
    }
    return TRUE;
}

/* Finds, opens and reads catroot2\{GUID}\catdb. Returns what the verdict may use:
 * 0 nothing (db->verdict already set to MISSING or NOT_READABLE by a folder problem),
 * 1 judge it (header and deep results in s->header / s->deep when read). */
static int open_database(struct scan *s, int index, struct catdb_database *db, BOOL *complete)
{
    WCHAR folder[MAX_PATH];
    struct guid_listing listing = { s, guid_labels[index], FALSE, FALSE, FALSE, 0 };
    HANDLE file = INVALID_HANDLE_VALUE;
    DWORD error;

    *complete = FALSE;
    if (s->report->catroot2_missing) {
        db->verdict = CATDB_MISSING;
        set_reason(db, "catroot2 does not exist; Cryptographic Services makes it again when it starts");
        return 0;
    }
    if (s->report->catroot2_is_reparse || !s->catroot2_listed) {
        db->verdict = CATDB_NOT_READABLE;
        set_reason(db, s->report->catroot2_is_reparse ? "catroot2 is a link to another place; it was not followed"
                                                      : "catroot2 could not be listed");
        return 0;
    }
    if (!s->guid_listed[index]) {
        db->verdict = CATDB_MISSING;
        set_reason(db, "its folder is missing from catroot2; Cryptographic Services makes it again when it starts");
        return 0;
    }
    if (s->guid_reparse[index]) {
        db->verdict = CATDB_NOT_READABLE;
        db->is_reparse = TRUE;
        set_reason(db, "its folder is a link to another place; it was not followed");
        return 0;
    }
    if (!catdb_join(folder, ARRAYSIZE(folder), s->catroot2, guids[index]) ||
        !catdb_join(db->path, ARRAYSIZE(db->path), folder, L"catdb")) {
        db->verdict = CATDB_NOT_READABLE;
        set_reason(db, "its path is too long");
        return 0;
    }
    if ((error = catdb_list(folder, L"*", visit_guid_folder, &listing))) {
        db->verdict = CATDB_NOT_READABLE;
        db->open_error = error;
        describe_reason(db, "its folder could not be listed", error);
        return 0;
    }
    if (!listing.found) {
        db->verdict = CATDB_MISSING;
        set_reason(db, "the database file is missing; Cryptographic Services makes it again when it starts");
        return 0;
    }
    if (listing.reparse || listing.directory) {
        db->verdict = CATDB_NOT_READABLE;
        db->is_reparse = listing.reparse;
        set_reason(db, listing.reparse ? "the database file is a link; it was not followed"
                                       : "the database file is a folder");
        return 0;
    }
    error = catdb_open(db->path, TRUE, &file, &db->in_use);
    if (error) {
        db->open_error = error;
        if (db->in_use)
            set_reason(db, "it is in use by Cryptographic Services, so it could not be read; "
                           "a deep check stops the service briefly");
        else
            describe_reason(db, "it could not be opened", error);
        return 1;
    }
    *complete = read_database(s, file, db);
    seam.CloseHandle(file);
    return 1;
}

/* Puts our own reason first in the judged evidence (strongest first), dropping the last
 * line when full. */
static void judged_prepend(struct ese_verdict_result *judged, const char *text)
{
    size_t n = judged->evidence_count < ESE_EVIDENCE_MAX ? judged->evidence_count : ESE_EVIDENCE_MAX - 1;

    memmove(judged->evidence[1], judged->evidence[0], n * sizeof(judged->evidence[0]));
    set_text(judged->evidence[0], ESE_TEXT_LENGTH, text);
    judged->evidence_count = n + 1;
}

static void reason_sentence(const struct catdb_database *db, char *out, size_t out_length)
{
    /* "it is in use ..." -> "The database is in use ..." */
    const char *r = db->reason;
    if (strncmp(r, "it ", 3) == 0) snprintf(out, out_length, "The database %s", r + 3);
    else if (strncmp(r, "its ", 4) == 0) snprintf(out, out_length, "The database's %s", r + 4);
    else if (r[0] >= 'a' && r[0] <= 'z') snprintf(out, out_length, "%c%s", r[0] - 32, r + 1);
    else snprintf(out, out_length, "%s", r);
}

/* The same rules without logs and checkpoint: what is wrong with the database file itself. */
static BOOL database_alone_has_problem(const struct ese_set *set)
{
    struct ese_set alone = *set;
    struct ese_findings findings;

    alone.logs = NULL;
    alone.log_count = 0;
    alone.checkpoint = NULL;
    ese_set_findings(&alone, &findings);
    for (size_t i = 0; i < findings.count; i++)
        if (findings.items[i].level >= ESE_LEVEL_SUSPICIOUS) return TRUE;
    return FALSE;
}

static void scan_database(struct scan *s, int index)
{
    struct catdb_database *db = &s->report->databases[index];
    struct ese_set set;
    BOOL complete;
    int use, rank = 0;
    char sentence[CATDB_REASON_LENGTH];

    memset(db, 0, sizeof(*db));
    wcscpy(db->guid, guids[index]);
    memset(&s->deep, 0, offsetof(struct ese_deep_check, carry));
    memset(&s->header, 0, sizeof(s->header));
    use = open_database(s, index, db, &complete);
    if (!use) {
        db->judged.verdict = ESE_VERDICT_NOT_READABLE;
        reason_sentence(db, sentence, sizeof(sentence));
        judged_prepend(&db->judged, sentence);
        return;
    }
    memset(&set, 0, sizeof(set));
    set.db_name = "catdb";
    set.db = db->header_read ? &s->header : NULL;
    set.deep = db->deep_checked ? &s->deep : NULL;
    set.logs = s->logs;
    set.log_count = s->log_count;
    set.checkpoint = s->checkpoint_parsed ? &s->checkpoint : NULL;
    set.in_use = db->in_use ? 1 : 0;
    ese_judge(&set, &db->judged);
    ese_set_findings(&set, &s->findings[index]);
    s->findings_valid[index] = TRUE;
    for (size_t i = 0; i < s->findings[index].count; i++) {
        int r = rank_of_level(s->findings[index].items[i].level);
        if (r > rank) rank = r;
    }
    s->db_problem[index] = database_alone_has_problem(&set);
    s->log_problem[index] = rank > 0 && !s->db_problem[index];
    /* Never healthy from a file that was not (fully) read, nor while the service has it. */
    if (rank < 3 && (!complete || db->in_use || (s->logs_unread && rank == 0))) rank = 3;
    db->verdict = kind_of_rank(rank);
    if (db->reason[0]) {
        reason_sentence(db, sentence, sizeof(sentence));
        judged_prepend(&db->judged, sentence);
    }
}

/* ---- dberr.txt ------------------------------------------------------------------------- */

static size_t skip_partial_line(const uint8_t *bytes, size_t length)
{
    size_t odd_zero = 0, sample = length < 512 ? length : 512;
    int utf16;

    for (size_t i = 1; i < sample; i += 2) odd_zero += bytes[i] == 0;
    utf16 = sample >= 2 && odd_zero * 3 > sample / 2;
    for (size_t i = 0; i + 1 < length; i += utf16 ? 2 : 1)
        if (bytes[i] == '\n' && (!utf16 || bytes[i + 1] == 0)) return i + (utf16 ? 2 : 1);
    return 0;
}

static void scan_dberr(struct scan *s)
{
    struct catdb_report *r = s->report;
    struct dberr_result *d = &s->dberr_parsed;
    WCHAR path[MAX_PATH];
    size_t got = 0, skipped = 0, start = 0, first;
    FILETIME now;
    ULONGLONG age, written, current;
    DWORD error;
    char text[CATDB_REASON_LENGTH], what[96] = "", when[48] = "";

    if (!s->dberr_found) return;
    r->dberr_present = TRUE;
    r->dberr_size = find_size(&s->dberr);
    seam.GetSystemTimeAsFileTime(&now);
    written = ((ULONGLONG)s->dberr.ftLastWriteTime.dwHighDateTime << 32) | s->dberr.ftLastWriteTime.dwLowDateTime;
    current = ((ULONGLONG)now.dwHighDateTime << 32) | now.dwLowDateTime;
    age = current > written ? current - written : 0;
    r->dberr_recent = age < RECENT_DAYS * DAY_100NS;
    if (r->dberr_size == 0) return;
    error = catdb_join(path, ARRAYSIZE(path), s->catroot2, L"dberr.txt")
                ? catdb_read_tail(path, r->dberr_size, s->buffer, DBERR_TAIL_LENGTH, &got, &skipped)
                : ERROR_FILENAME_EXCED_RANGE;
    if (error) {
        add_unreadable(s, "catroot2\\dberr.txt", error);
        return;
    }
    if (skipped) start = skip_partial_line(s->buffer, got);
    dberr_parse(s->buffer + start, got - start, d);
    r->dberr_error_count = (unsigned)d->error_line_count;
    first = d->tail_count > 8 ? d->tail_count - 8 : 0;
    for (size_t i = first; i < d->tail_count; i++)
        set_text(r->dberr_tail[r->dberr_tail_count++], sizeof(r->dberr_tail[0]), d->tail[i].text);
    if (!d->error_line_count) {
        add_item(s, 0, "catroot2\\dberr.txt exists but records no ESE errors");
        return;
    }
    if (d->last_ese_error) {
        const char *name = dberr_ese_error_name(d->last_ese_error);
        snprintf(what, sizeof(what), "%d%s%s%s", d->last_ese_error, name ? " (" : "", name ? name : "",
                 name ? ")" : "");
    } else {
        snprintf(what, sizeof(what), "0x%08lX", (unsigned long)d->last_hresult);
    }
    if (d->newest.is_set)
        snprintf(when, sizeof(when), ", dated %04u-%02u-%02u", d->newest.year, d->newest.month, d->newest.day);
    snprintf(text, sizeof(text), "catroot2\\dberr.txt records %u error%s%s, the last %s%s%s",
             r->dberr_error_count, r->dberr_error_count == 1 ? "" : "s", skipped ? " in its last 64 KiB" : "",
             what, when, r->dberr_recent ? "" : " (the file has not changed for over 30 days)");
    add_item(s, r->dberr_recent ? 1 : 0, text);
}

/* ---- %SystemRoot%\security and Security\Database --------------------------------------- */

struct security_listing {
    struct scan *scan;
    const char *label;
    struct log_list logs;
    unsigned edb_logs;
};

static void visit_security(void *context, const WIN32_FIND_DATAW *data)
{
    struct security_listing *l = context;
    char name[MAX_PATH];
    enum ese_name_kind kind;
    int32_t generation;

    if (is_reparse(data->dwFileAttributes)) {
        add_link_item(l->scan, l->label, data->cFileName);
        return;
    }
    if (data->dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) return;
    catdb_narrow(data->cFileName, name, sizeof(name));
    if (matches_edb_log(name)) l->edb_logs++;
    kind = ese_classify_name(name, "edb", &generation);
    if (kind == ESE_NAME_CURRENT_LOG || kind == ESE_NAME_ARCHIVED_LOG || kind == ESE_NAME_TMP_LOG ||
        kind == ESE_NAME_RESERVE_LOG)
        list_add(&l->logs, name, find_size(data), kind, generation);
}

static void scan_security_folder(struct scan *s, const WCHAR *relative, const char *label, unsigned *best)
{
    struct catdb_report *r = s->report;
    struct security_listing l = { s, label, { NULL, 0, 0, FALSE }, 0 };
    struct read_failures fail = { 0 };
    struct ese_log_header *logs;
    WCHAR folder[MAX_PATH];
    unsigned read_count, damaged = 0;
    DWORD attributes, error;
    char text[CATDB_REASON_LENGTH], first[ESE_NAME_LENGTH] = "";

    if (!catdb_join(folder, ARRAYSIZE(folder), r->windows_dir, relative)) return;
    attributes = seam.GetFileAttributesW(folder);
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        error = GetLastError();
        if (error != ERROR_FILE_NOT_FOUND && error != ERROR_PATH_NOT_FOUND) add_unreadable(s, label, error);
        return;
    }
    if (is_reparse(attributes)) {
        snprintf(text, sizeof(text), "%s is a link to another place; it was not followed", label);
        add_item(s, 1, text);
        r->any_reparse_inside = TRUE;
        return;
    }
    if ((error = catdb_list(folder, L"*", visit_security, &l))) add_unreadable(s, label, error);
    r->security_log_count += l.edb_logs;
    if (l.edb_logs > *best) {
        *best = l.edb_logs;
        wcscpy(r->security_log_dir, folder);
    }
    logs = read_logs(s, folder, label, &l.logs, SECURITY_LOG_HEADER_MAX, &read_count, &fail);
    for (size_t i = 0; logs && i < l.logs.count; i++)
        if (logs[i].damaged[0] && !damaged++) set_text(first, sizeof(first), logs[i].file_name);
    if (l.logs.count && !logs) add_unreadable(s, label, ERROR_NOT_ENOUGH_MEMORY);
    r->security_damaged_logs += damaged;
    if (damaged) {
        snprintf(text, sizeof(text), "%u of the security database's logs in %s %s damaged (e.g. %s)", damaged, label,
                 damaged == 1 ? "is" : "are", first);
        add_item(s, 1, text);
    }
    if (l.edb_logs > 1024) {
        char n[32];
        snprintf(text, sizeof(text), "%s transaction logs have piled up in %s", count_text(l.edb_logs, n, sizeof(n)),
                 label);
        add_item(s, 1, text);
    }
    free(logs);
    free(l.logs.entries);
}

/* ---- System32\catroot\{F750...} -------------------------------------------------------- */

static void visit_cat(void *context, const WIN32_FIND_DATAW *data)
{
    struct scan *s = context;
    if (is_reparse(data->dwFileAttributes)) add_link_item(s, "catroot\\{F750E6C3}", data->cFileName);
    else if (!(data->dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) s->report->catroot_cat_count++;
}

static void scan_catroot(struct scan *s)
{
    struct catdb_report *r = s->report;
    WCHAR folder[MAX_PATH], catroot[MAX_PATH];
    DWORD attributes, error;

    if (!catdb_join(catroot, ARRAYSIZE(catroot), s->system32, L"catroot") ||
        !catdb_join(folder, ARRAYSIZE(folder), catroot, CATDB_GUID_SYSTEM))
        return;
    attributes = seam.GetFileAttributesW(folder);
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        error = GetLastError();
        if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
            r->catroot_missing = TRUE;
            add_item(s, 1, "System32\\catroot\\{F750E6C3} is missing: Windows has no catalog files to check its own "
                           "files with (catroot is never rebuilt by itself)");
        } else {
            add_unreadable(s, "System32\\catroot\\{F750E6C3}", error);
        }
        return;
    }
    if (is_reparse(attributes)) {
        add_item(s, 1, "System32\\catroot\\{F750E6C3} is a link to another place; it was not followed");
        r->any_reparse_inside = TRUE;
        return;
    }
    if ((error = catdb_list(folder, L"*.cat", visit_cat, s))) {
        add_unreadable(s, "System32\\catroot\\{F750E6C3}", error);
        return;
    }
    if (!r->catroot_cat_count)
        add_item(s, 1, "System32\\catroot\\{F750E6C3} holds no catalog (.cat) files: Windows cannot check its own "
                       "files' signatures (catroot is never rebuilt by itself)");
}

/* ---- catroot2 as a folder -------------------------------------------------------------- */

static void scan_catroot2(struct scan *s)
{
    struct catdb_report *r = s->report;
    DWORD attributes = seam.GetFileAttributesW(s->catroot2), error;
    char text[CATDB_REASON_LENGTH], a[32], b[32];

    if (attributes == INVALID_FILE_ATTRIBUTES) {
        error = GetLastError();
        if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
            r->catroot2_missing = TRUE;
            add_item(s, 2, "catroot2 does not exist; Cryptographic Services makes it again when it starts");
        } else {
            add_unreadable(s, "catroot2", error);
        }
        return;
    }
    if (is_reparse(attributes)) {
        r->catroot2_is_reparse = TRUE;
        add_item(s, 3, "catroot2 is a link (junction or symbolic link) to another place; it was not followed");
        return;
    }
    error = catdb_list(s->catroot2, L"*", visit_catroot2, s);
    if (error) {
        add_unreadable(s, "The list of files in catroot2", error);
        return;
    }
    if (s->catroot2_logs.out_of_memory) {
        add_unreadable(s, "The list of catroot2's logs", ERROR_NOT_ENOUGH_MEMORY);
        return;
    }
    s->catroot2_listed = TRUE;
    scan_catroot2_logs(s);
    scan_checkpoint(s);
    snprintf(text, sizeof(text), "catroot2 holds %s Edb*.log file%s (%s KiB)", count_text(r->log_count, a, sizeof(a)),
             r->log_count == 1 ? "" : "s", count_text((r->log_bytes + 1023) / 1024, b, sizeof(b)));
    add_item(s, 0, text);
    if (r->leftover_count) {
        snprintf(text, sizeof(text), "catroot2 holds %u file%s ESE does not make (e.g. %s), probably left by an "
                 "earlier fix", r->leftover_count, r->leftover_count == 1 ? "" : "s", s->first_leftover);
        add_item(s, 0, text);
    }
}

/* ---- the report ------------------------------------------------------------------------ */

static BOOL has_line(const struct ese_findings *f, const char *text)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].text, text) == 0) return TRUE;
    return FALSE;
}

/* Lines that both databases share (their common logs) once; the others named by database. */
static void database_items(struct scan *s)
{
    char text[CATDB_REASON_LENGTH];

    for (int i = 0; i < 2; i++) {
        const struct catdb_database *db = &s->report->databases[i];
        if (db->reason[0]) {
            snprintf(text, sizeof(text), "%s: %s", guid_labels[i], db->reason);
            add_item(s, db->verdict == CATDB_MISSING ? 2 : db->verdict == CATDB_NOT_READABLE ? 3 : 0, text);
        }
        if (!s->findings_valid[i]) continue;
        for (size_t k = 0; k < s->findings[i].count; k++) {
            const struct ese_finding *f = &s->findings[i].items[k];
            int shared = s->findings_valid[1 - i] && has_line(&s->findings[1 - i], f->text);
            /* Without a header the verdict's generic "could not be read" adds nothing to our reason. */
            if (!db->header_read && f->level == ESE_LEVEL_NOT_READABLE) continue;
            if (shared && i == 1) continue;
            if (shared) set_text(text, sizeof(text), f->text);
            else snprintf(text, sizeof(text), "%s: %s", guid_labels[i], f->text);
            add_item(s, rank_of_level(f->level), text);
        }
    }
}

static void sort_items(struct item *items, unsigned count)
{
    /* qsort is not stable: insertion sort keeps the rule order inside each rank. */
    for (unsigned i = 1; i < count; i++) {
        struct item moving = items[i];
        unsigned j = i;
        while (j > 0 && items[j - 1].rank < moving.rank) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = moving;
    }
}

/* The light cure only moves logs: enough when both databases were read with the service
 * stopped, are cleanly shut down, have no finding of their own, and the logs have one. */
static BOOL logs_only(struct scan *s)
{
    struct catdb_report *r = s->report;
    BOOL log_problem = r->security_damaged_logs > 0;

    if (r->overall != CATDB_SUSPICIOUS && r->overall != CATDB_CORRUPT) return FALSE;
    if (r->catroot2_missing || r->catroot2_is_reparse || r->unreadable_count) return FALSE;
    for (int i = 0; i < 2; i++) {
        const struct catdb_database *db = &r->databases[i];
        if (!db->header_read || db->in_use || db->db_state != ESE_DB_CLEAN_SHUTDOWN || s->db_problem[i])
            return FALSE;
        if (s->log_problem[i]) log_problem = TRUE;
    }
    return log_problem;
}

static void write_summary(struct catdb_report *r)
{
    const char *first = r->evidence_count ? r->evidence[0] : "";
    BOOL in_use = r->databases[0].in_use || r->databases[1].in_use;
    char text[512];

    switch (r->overall) {
    case CATDB_HEALTHY:
        snprintf(text, sizeof(text), "The catalog database looks healthy%s",
                 r->databases[0].deep_checked && r->databases[1].deep_checked ? " (every page checked)" : "");
        break;
    case CATDB_SUSPICIOUS:
        snprintf(text, sizeof(text), "The catalog database looks suspicious: %s", first);
        break;
    case CATDB_CORRUPT:
        snprintf(text, sizeof(text), "The catalog database looks corrupt: %s", first);
        break;
    case CATDB_MISSING:
        snprintf(text, sizeof(text), "The catalog database is missing: %s", first);
        break;
    default:
        if (in_use)
            snprintf(text, sizeof(text), "The catalog database is in use by Cryptographic Services; "
                                         "a deep check stops the service briefly");
        else
            snprintf(text, sizeof(text), "The catalog database could not be checked: %s", first);
        break;
    }
    set_text(r->summary, sizeof(r->summary), text);
}

static void finish_report(struct scan *s)
{
    struct catdb_report *r = s->report;
    int rank = 0;

    database_items(s);
    sort_items(s->items, s->item_count);
    for (unsigned i = 0; i < s->item_count; i++) {
        if (s->items[i].rank > rank) rank = s->items[i].rank;
        if (r->evidence_count < ARRAYSIZE(r->evidence))
            set_text(r->evidence[r->evidence_count++], sizeof(r->evidence[0]), s->items[i].text);
        else
            r->evidence_dropped++;
    }
    for (unsigned i = 0; i < r->database_count; i++)
        if (catdb_verdict_rank(r->databases[i].verdict) > rank) rank = catdb_verdict_rank(r->databases[i].verdict);
    r->overall = kind_of_rank(rank);
    r->logs_only_problem = logs_only(s);
    write_summary(r);
}

static void free_scan(struct scan *s)
{
    free(s->catroot2_logs.entries);
    free(s->logs);
    free(s->buffer);
    free(s->report);
    free(s);
}

DWORD catdb_scan(const WCHAR *windows_dir, const struct catdb_options *options, struct catdb_report *out)
{
    struct scan *s;
    struct catdb_report *r;
    WCHAR own[MAX_PATH];
    ULONGLONG start = seam.GetTickCount64();
    DWORD attributes, error;
    unsigned best = 0;

    if (!out) return ERROR_INVALID_PARAMETER;
    if (!windows_dir) {
        UINT n = seam.GetSystemWindowsDirectoryW(own, ARRAYSIZE(own));
        if (n == 0 || n >= ARRAYSIZE(own)) return n ? ERROR_INSUFFICIENT_BUFFER : GetLastError();
        windows_dir = own;
    }
    if (wcslen(windows_dir) >= MAX_PATH - 64) return ERROR_FILENAME_EXCED_RANGE;
    attributes = seam.GetFileAttributesW(windows_dir);
    if (attributes == INVALID_FILE_ATTRIBUTES) return (error = GetLastError()) ? error : ERROR_PATH_NOT_FOUND;
    if (!(attributes & FILE_ATTRIBUTE_DIRECTORY)) return ERROR_DIRECTORY;

    s = calloc(1, sizeof(*s));
    r = calloc(1, sizeof(*r));
    if (!s || !r) {
        free(s);
        free(r);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    s->report = r;
    if (options) s->options = *options;
    s->buffer_length = s->options.chunk_bytes > HEAD_LENGTH ? s->options.chunk_bytes : HEAD_LENGTH;
    if (!s->options.chunk_bytes) s->buffer_length = DEFAULT_CHUNK;
    s->buffer = malloc(s->buffer_length);
    if (!s->buffer) {
        free_scan(s);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    wcscpy(r->windows_dir, windows_dir);
    catdb_join(s->system32, ARRAYSIZE(s->system32), windows_dir, L"System32");
    catdb_join(s->catroot2, ARRAYSIZE(s->catroot2), s->system32, L"catroot2");

    scan_catroot2(s);
    r->database_count = 2;
    for (int i = 0; i < 2; i++) scan_database(s, i);
    scan_dberr(s);
    scan_security_folder(s, L"Security\\Database", "Security\\Database", &best);
    scan_security_folder(s, L"security", "security", &best);
    scan_catroot(s);
    finish_report(s);
    r->seconds = (double)(seam.GetTickCount64() - start) / 1000.0;
    *out = *r;
    free_scan(s);
    return 0;
}
