/* core/pure/diag.c: the diagnosis data model: rows, evidence, names, the summary and the repair plan. */
#include "pure/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Length of the longest prefix of `text` (at most `limit` bytes) that ends on a character
 * boundary: a cut never leaves half a UTF-8 sequence behind. */
static size_t utf8_fit(const char *text, size_t limit)
{
    size_t length = strlen(text);

    if (length <= limit) return length;
    length = limit;
    /* Step back over continuation bytes (10xxxxxx) to the start of the cut character. */
    while (length > 0 && ((unsigned char)text[length] & 0xC0) == 0x80) length--;
    return length;
}

void diag_copy(char *dest, size_t size, const char *source)
{
    size_t length;

    if (!size) return;
    if (!source) source = "";
    length = utf8_fit(source, size - 1);
    memmove(dest, source, length);
    dest[length] = 0;
}

static void format_into(char *dest, size_t size, const char *format, va_list args)
{
    char buffer[1024];

    vsnprintf(buffer, sizeof(buffer), format, args);
    diag_copy(dest, size, buffer);
}

void diag_format(char *dest, size_t size, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    format_into(dest, size, format, args);
    va_end(args);
}

void diag_init(struct diagnosis *diagnosis)
{
    memset(diagnosis, 0, sizeof(*diagnosis));
    diagnosis->worst = DIAG_NOT_CHECKED;
}

struct diag_row *diag_add_row(struct diagnosis *diagnosis, enum diag_component component, const char *name)
{
    struct diag_row *row;

    if (diagnosis->row_count >= DIAG_ROWS_MAX) return NULL;
    row = &diagnosis->rows[diagnosis->row_count++];
    memset(row, 0, sizeof(*row));
    row->component = component;
    row->severity = DIAG_NOT_CHECKED;
    row->repair = REPAIR_NONE;
    diag_copy(row->name, sizeof(row->name), name);
    return row;
}

const struct diag_row *diag_find(const struct diagnosis *diagnosis, enum diag_component component)
{
    for (unsigned i = 0; i < diagnosis->row_count; i++)
        if (diagnosis->rows[i].component == component) return &diagnosis->rows[i];
    return NULL;
}

int diag_evidence(struct diag_row *row, const char *format, ...)
{
    va_list args;

    if (row->evidence_count >= DIAG_EVIDENCE_MAX) {
        row->evidence_dropped++;
        return 0;
    }
    va_start(args, format);
    format_into(row->evidence[row->evidence_count], DIAG_EVIDENCE_LENGTH, format, args);
    va_end(args);
    /* Two checks may find the same thing (the catalog scan and the catalog row both see a
     * missing catroot2): say it once. */
    for (unsigned i = 0; i < row->evidence_count; i++)
        if (!strcmp(row->evidence[i], row->evidence[row->evidence_count])) return 1;
    row->evidence_count++;
    return 1;
}

int diag_severity_rank(enum diag_severity severity)
{
    switch (severity) {
    case DIAG_OK: return 0;
    case DIAG_INFO: return 1;
    case DIAG_NOT_CHECKED: return 2;
    case DIAG_WARNING: return 3;
    case DIAG_PROBLEM: return 4;
    }
    return 0;
}

void diag_raise(struct diag_row *row, enum diag_severity severity)
{
    if (diag_severity_rank(severity) > diag_severity_rank(row->severity)) row->severity = severity;
}

/* ---- names, from one table each -------------------------------------------------------- */

static const struct {
    const char *id;
    const char *name;
} severity_names[] = {
    [DIAG_OK] = { "ok", "OK" },
    [DIAG_INFO] = { "info", "Information" },
    [DIAG_WARNING] = { "warning", "Warning" },
    [DIAG_PROBLEM] = { "problem", "Problem" },
    [DIAG_NOT_CHECKED] = { "not_checked", "Not checked" },
};

static const char *const component_ids[] = {
    [DIAG_SERVICE] = "service",
    [DIAG_CATALOG_DB] = "catalog_db",
    [DIAG_PROTECTED_ROOT] = "protected_root",
    [DIAG_KEY_SERVICE] = "key_service",
    [DIAG_ROOT_UPDATE] = "root_update",
    [DIAG_DEPENDENCY_RPCSS] = "dependency_rpcss",
    [DIAG_SUPPORTED_APPID] = "supported_appidsvc",
    [DIAG_SUPPORTED_WUAUSERV] = "supported_wuauserv",
};

static const struct {
    const char *id;
    const char *title;
} repair_names[] = {
    [REPAIR_NONE] = { "none", "No repair needed" },
    [REPAIR_SET_AUTOMATIC] = { "set_automatic", "Set Cryptographic Services to Automatic and start it" },
    [REPAIR_START_SERVICE] = { "start_service", "Start Cryptographic Services" },
    [REPAIR_RESTART_SERVICE] = { "restart_service", "Restart Cryptographic Services" },
    [REPAIR_CLEAR_LOGS] = { "clear_logs", "Move the catalog database's log files to a backup" },
    [REPAIR_REBUILD_CATALOG] = { "rebuild_catalog", "Rebuild the catalog database (catroot2)" },
    [REPAIR_REREGISTER_DLLS] = { "reregister_dlls", "Register the cryptography DLLs again" },
    [REPAIR_REFRESH_ROOT_LIST] = { "refresh_root_list", "Clear the cached root certificate list" },
    [REPAIR_RESET_WINTRUST_STATE] = { "reset_wintrust_state", "Reset the signature-check setting to Windows' default" },
    [REPAIR_START_DEPENDENCY] = { "start_dependency", "Start the service Cryptographic Services depends on" },
};

const char *diag_severity_id(enum diag_severity severity)
{
    return (unsigned)severity <= DIAG_NOT_CHECKED ? severity_names[severity].id : NULL;
}

const char *diag_severity_name(enum diag_severity severity)
{
    return (unsigned)severity <= DIAG_NOT_CHECKED ? severity_names[severity].name : NULL;
}

const char *diag_component_id(enum diag_component component)
{
    return (unsigned)component < DIAG_COMPONENT_COUNT ? component_ids[component] : NULL;
}

const char *diag_repair_id(enum diag_repair repair)
{
    return (unsigned)repair < REPAIR_COUNT ? repair_names[repair].id : NULL;
}

const char *diag_repair_title(enum diag_repair repair)
{
    return (unsigned)repair < REPAIR_COUNT ? repair_names[repair].title : NULL;
}

/* ---- summary --------------------------------------------------------------------------- */

/* Appends " sentence" if the summary stays within `budget` bytes of text; 0 when it did not fit. */
static int append_sentence(char *summary, size_t budget, const char *sentence)
{
    size_t used = strlen(summary), length = strlen(sentence);

    if (!length) return 1;
    if (used + (used ? 1 : 0) + length > budget) return 0;
    if (used) summary[used++] = ' ';
    memcpy(summary + used, sentence, length + 1);
    return 1;
}

static unsigned add_headlines(struct diagnosis *diagnosis, enum diag_severity severity, size_t budget)
{
    unsigned left_out = 0;

    for (unsigned i = 0; i < diagnosis->row_count; i++) {
        const struct diag_row *row = &diagnosis->rows[i];
        if (row->severity == severity && !append_sentence(diagnosis->summary, budget, row->headline))
            left_out++;
    }
    return left_out;
}

void diag_summarize(struct diagnosis *diagnosis)
{
    const size_t full = sizeof(diagnosis->summary) - 1;
    unsigned not_checked = 0, findings = 0, left_out;
    enum diag_severity worst = DIAG_OK;
    char tail[80] = "", more[48] = "";
    size_t budget;

    diagnosis->summary[0] = 0;
    for (unsigned i = 0; i < diagnosis->row_count; i++) {
        const struct diag_row *row = &diagnosis->rows[i];
        if (row->severity == DIAG_NOT_CHECKED) not_checked++;
        if (row->severity == DIAG_WARNING || row->severity == DIAG_PROBLEM) findings++;
        if (diag_severity_rank(row->severity) > diag_severity_rank(worst)) worst = row->severity;
    }
    diagnosis->worst = diagnosis->row_count ? worst : DIAG_NOT_CHECKED;
    if (not_checked)
        snprintf(tail, sizeof(tail), "%u of %u checks could not run.", not_checked, diagnosis->row_count);

    /* Room is kept for the closing notes, so the counts are never the part that is cut. */
    budget = full - strlen(tail) - sizeof(more) - 2;
    left_out = add_headlines(diagnosis, DIAG_PROBLEM, budget);
    left_out += add_headlines(diagnosis, DIAG_WARNING, budget);
    if (!findings && !not_checked && diagnosis->row_count)
        append_sentence(diagnosis->summary, full, "Cryptographic Services and its four parts look healthy.");
    else if (!findings && diagnosis->row_count > not_checked)
        append_sentence(diagnosis->summary, full, "Nothing wrong was found.");
    if (left_out) {
        snprintf(more, sizeof(more), "(%u more finding%s below.)", left_out, left_out == 1 ? "" : "s");
        append_sentence(diagnosis->summary, full, more);
    }
    append_sentence(diagnosis->summary, full, tail);
}

/* ---- the repair plan ------------------------------------------------------------------- */

/* The order "Fix all" runs repairs in: what must run before CryptSvc can start, then what is
 * changed while it is stopped, then settings, then a plain start or restart. */
static const enum diag_repair plan_order[] = {
    REPAIR_START_DEPENDENCY,
    REPAIR_SET_AUTOMATIC,
    REPAIR_REBUILD_CATALOG,
    REPAIR_CLEAR_LOGS,
    REPAIR_REREGISTER_DLLS,
    REPAIR_RESET_WINTRUST_STATE,
    REPAIR_REFRESH_ROOT_LIST,
    REPAIR_RESTART_SERVICE,
    REPAIR_START_SERVICE,
};

size_t diag_plan(const struct diagnosis *diagnosis, enum diag_repair *out, size_t max)
{
    int wanted[REPAIR_COUNT] = { 0 };
    size_t count = 0;

    for (unsigned i = 0; i < diagnosis->row_count; i++) {
        enum diag_repair repair = diagnosis->rows[i].repair;
        if ((unsigned)repair < REPAIR_COUNT && repair != REPAIR_NONE) wanted[repair] = 1;
    }
    /* A rebuild sets the logs aside with the rest of catroot2. */
    if (wanted[REPAIR_REBUILD_CATALOG]) wanted[REPAIR_CLEAR_LOGS] = 0;
    /* The catalog cures and SET_AUTOMATIC end by starting CryptSvc, which is what a plain
     * start or a restart would do. */
    if (wanted[REPAIR_REBUILD_CATALOG] || wanted[REPAIR_CLEAR_LOGS] || wanted[REPAIR_SET_AUTOMATIC]) {
        wanted[REPAIR_START_SERVICE] = 0;
        if (wanted[REPAIR_REBUILD_CATALOG] || wanted[REPAIR_CLEAR_LOGS]) wanted[REPAIR_RESTART_SERVICE] = 0;
    }
    if (wanted[REPAIR_RESTART_SERVICE]) wanted[REPAIR_START_SERVICE] = 0;
    for (size_t i = 0; i < sizeof(plan_order) / sizeof(plan_order[0]) && count < max; i++)
        if (wanted[plan_order[i]]) out[count++] = plan_order[i];
    return count;
}
