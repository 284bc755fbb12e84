/* core/pure/ese_verdict.c: the rules that tie a database, its logs and checkpoint together, and the verdict. */
#include "pure/ese_internal.h"

#include <stdlib.h>

#define TOO_MANY_LOGS 1024               /* KB977893: Windows Update fails with 0x80070490 */
#define HUGE_LOG_LENGTH (20ull << 20)    /* KB822798: "Edb.log may grow to 20 MB" */

static const char *const verdict_names[] = { "healthy", "suspicious", "corrupt", "not readable" };

const char *ese_verdict_name(enum ese_verdict verdict)
{
    return (unsigned)verdict < 4 ? verdict_names[verdict] : "unknown";
}

/* A finding's text is built from pieces with a fixed-size buffer, never overflowing. */
struct line {
    char text[ESE_TEXT_LENGTH];
};

static void line_start(struct line *l, const char *text)
{
    ese_set_text(l->text, sizeof(l->text), text);
}

static void line_add(struct line *l, const char *text)
{
    ese_append(l->text, sizeof(l->text), text);
}

static void line_count(struct line *l, uint64_t value)
{
    ese_append_count(l->text, sizeof(l->text), value);
}

static void add(struct ese_findings *f, enum ese_level level, int jet_error, const struct line *l)
{
    struct ese_finding *item;

    if (f->count >= ESE_FINDINGS_MAX) {
        f->dropped++;
        return;
    }
    item = &f->items[f->count++];
    item->level = level;
    item->jet_error = jet_error;
    ese_set_text(item->text, sizeof(item->text), l->text);
}

static void add_text(struct ese_findings *f, enum ese_level level, int jet_error, const char *text)
{
    struct line l;
    line_start(&l, text);
    add(f, level, jet_error, &l);
}

/* "damaged: the file is empty" -> "the file is empty" */
static const char *reason(const char *damaged)
{
    const char *rest = damaged;
    if (strncmp(rest, "damaged: ", 9) == 0) rest += 9;
    return rest;
}

static int is_dirty_and_closed(const struct ese_set *set)
{
    return set->db && set->db->readable && ese_db_state_needs_logs(set->db->state) && set->in_use != 1;
}

static int is_transaction_log(const struct ese_log_header *log)
{
    return log->name_kind == ESE_NAME_CURRENT_LOG || log->name_kind == ESE_NAME_ARCHIVED_LOG;
}

/* ---- the database header ---- */

static void header_rules(const struct ese_set *set, struct ese_findings *f)
{
    const struct ese_db_header *db = set->db;
    struct line l;

    if (!db) {
        add_text(f, ESE_LEVEL_NOT_READABLE, 0, "The database file could not be read, so its health is unknown");
        return;
    }
    if (!db->readable || db->damaged[0]) {
        line_start(&l, "The database header is damaged: ");
        line_add(&l, reason(db->damaged));
        add(f, ESE_LEVEL_CORRUPT, db->readable ? -1206 : -1018, &l);
        return;
    }
    if (db->primary != ESE_COPY_OK || db->shadow != ESE_COPY_OK)
        add_text(f, ESE_LEVEL_SUSPICIOUS, 0,
                 "One of the two copies of the database header is damaged; the other is intact");
    else if (db->copies_differ)
        add_text(f, ESE_LEVEL_SUSPICIOUS, 0, "The two copies of the database header disagree");
}

/* ---- pages ---- */

static void bad_page_line(const struct ese_deep_check *deep, struct line *l)
{
    if (deep->pages_bad_in_data == 1) {
        line_start(l, "Page ");
        line_count(l, deep->bad_pgnos[0]);
        line_add(l, " of ");
        line_count(l, deep->pages_total);
        line_add(l, " fails its checksum");
    } else {
        line_count(l, deep->pages_bad_in_data);
        line_add(l, " pages of ");
        line_count(l, deep->pages_total);
        line_add(l, " fail their checksums (the first is page ");
        line_count(l, deep->bad_pgnos[0]);
        line_add(l, ")");
    }
    if (deep->pages_correctable) {
        line_add(l, "; ");
        line_count(l, deep->pages_correctable);
        line_add(l, deep->pages_correctable == 1 ? " is a single-bit error ESE can fix"
                                                 : " are single-bit errors ESE can fix");
    }
}

static void page_rules(const struct ese_set *set, struct ese_findings *f)
{
    const struct ese_deep_check *deep = set->deep;
    struct line l;

    if (!set->db || !set->db->readable) return;
    if (!deep || !deep->finished) {
        add_text(f, ESE_LEVEL_INFO, 0, "Only the header was checked; the pages were not read");
        return;
    }
    l.text[0] = '\0';
    if (deep->pages_bad_in_data) {
        bad_page_line(deep, &l);
        add(f, ESE_LEVEL_CORRUPT, -1018, &l);
        l.text[0] = '\0'; /* line_count appends: the tail finding is a line of its own */
    }
    if (deep->pages_bad_tail) {
        line_count(&l, deep->pages_bad_tail);
        line_add(&l, deep->pages_bad_tail == 1 ? " page" : " pages");
        line_add(&l, " after the end of the data hold garbage (from page ");
        line_count(&l, deep->last_good_pgno + 1);
        line_add(&l, "); the data itself checks out");
        add(f, ESE_LEVEL_SUSPICIOUS, 0, &l);
        l.text[0] = '\0';
    }
    if (deep->pages_newer_than_header && set->db->state == ESE_DB_CLEAN_SHUTDOWN) {
        line_count(&l, deep->pages_newer_than_header);
        line_add(&l, " pages were written after the database was last closed cleanly");
        add(f, ESE_LEVEL_SUSPICIOUS, 0, &l);
        l.text[0] = '\0';
    }
    if (!deep->pages_bad) {
        line_start(&l, "All ");
        line_count(&l, deep->pages_ok);
        line_add(&l, " used pages pass their checksums");
        add(f, ESE_LEVEL_INFO, 0, &l);
    }
}

/* ---- logs ---- */

static const struct ese_signature *set_signature(const struct ese_set *set)
{
    if (set->db && set->db->readable && !set->db->damaged[0]) return &set->db->log_signature;
    if (set->checkpoint && set->checkpoint->status == ESE_FILE_OK) return &set->checkpoint->log_signature;
    return NULL;
}

static int log_generation_needed(const struct ese_set *set, const struct ese_log_header *log)
{
    int32_t generation = log->status == ESE_FILE_OK ? log->generation : log->name_generation;

    if (log->name_kind == ESE_NAME_CURRENT_LOG) return 1;
    if (set->checkpoint && set->checkpoint->status == ESE_FILE_OK)
        return generation >= set->checkpoint->checkpoint.generation;
    if (is_dirty_and_closed(set)) return generation >= set->db->gen_min_required;
    return 0;
}

static int log_is_ours(const struct ese_log_header *log, const struct ese_signature *sign)
{
    return log->status == ESE_FILE_OK && sign && ese_signature_equal(&log->log_signature, sign);
}

/* Our logs (same signature, header sound) sorted by generation, so a pile of 100 000
 * logs costs n log n and not n squared. */
struct chain {
    const struct ese_log_header **logs;
    size_t count;
};

static int by_generation(const void *a, const void *b)
{
    int32_t x = (*(const struct ese_log_header *const *)a)->generation;
    int32_t y = (*(const struct ese_log_header *const *)b)->generation;
    return (x > y) - (x < y);
}

static void chain_build(const struct ese_set *set, const struct ese_signature *sign, struct chain *chain)
{
    chain->count = 0;
    chain->logs = set->log_count ? malloc(set->log_count * sizeof(*chain->logs)) : NULL;
    if (!chain->logs) return;
    for (size_t i = 0; i < set->log_count; i++)
        if (is_transaction_log(&set->logs[i]) && log_is_ours(&set->logs[i], sign))
            chain->logs[chain->count++] = &set->logs[i];
    qsort(chain->logs, chain->count, sizeof(*chain->logs), by_generation);
}

static int have_generation(const struct chain *chain, int32_t generation)
{
    size_t low = 0, high = chain->count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (chain->logs[mid]->generation < generation) low = mid + 1;
        else high = mid;
    }
    return low < chain->count && chain->logs[low]->generation == generation;
}

static void damaged_log_rules(const struct ese_set *set, struct ese_findings *f)
{
    const struct ese_log_header *first_needed = NULL, *first_old = NULL;
    size_t needed = 0, old = 0;
    struct line l;

    for (size_t i = 0; i < set->log_count; i++) {
        const struct ese_log_header *log = &set->logs[i];
        if (!log->damaged[0] || log->name_kind == ESE_NAME_OTHER) continue;
        if (is_transaction_log(log) && log_generation_needed(set, log)) {
            if (!needed++) first_needed = log;
        } else if (!old++) {
            first_old = log;
        }
    }
    if (needed) {
        line_start(&l, "The transaction log ");
        line_add(&l, first_needed->file_name[0] ? first_needed->file_name : "edb.log");
        line_add(&l, " is damaged (");
        line_add(&l, reason(first_needed->damaged));
        line_add(&l, ")");
        if (needed > 1) {
            line_add(&l, ", and ");
            line_count(&l, needed - 1);
            line_add(&l, " more");
        }
        add(f, ESE_LEVEL_CORRUPT, first_needed->generation_matches_name ? -501 : -513, &l);
    }
    if (old) {
        l.text[0] = '\0'; /* line_count appends: start from an empty line */
        line_count(&l, old);
        line_add(&l, old == 1 ? " old log file that is no longer needed is damaged: "
                              : " old log files that are no longer needed are damaged, e.g. ");
        line_add(&l, first_old->file_name);
        add(f, ESE_LEVEL_SUSPICIOUS, 0, &l);
    }
}

static void foreign_log_rules(const struct ese_set *set, const struct ese_signature *sign,
                              struct ese_findings *f)
{
    size_t foreign = 0;
    struct line l;

    if (!sign) return;
    for (size_t i = 0; i < set->log_count; i++)
        if (is_transaction_log(&set->logs[i]) && set->logs[i].status == ESE_FILE_OK &&
            !log_is_ours(&set->logs[i], sign))
            foreign++;
    if (!foreign) return;
    l.text[0] = '\0'; /* line_count appends: start from an empty line */
    line_count(&l, foreign);
    line_add(&l, foreign == 1 ? " transaction log belongs" : " transaction logs belong");
    line_add(&l, " to a different database");
    add(f, is_dirty_and_closed(set) ? ESE_LEVEL_CORRUPT : ESE_LEVEL_SUSPICIOUS, -539, &l);
}

static void required_log_rules(const struct ese_set *set, const struct chain *chain, struct ese_findings *f)
{
    const struct ese_db_header *db = set->db;
    int32_t low, high, last = 0;
    int64_t missing, span, present = 0;
    struct line l;

    if (!db || !db->readable || db->damaged[0] || !ese_db_state_needs_logs(db->state)) return;
    if (set->in_use == 1) {
        add_text(f, ESE_LEVEL_INFO, 0, "The database is open by the Cryptographic Services (normal while it runs)");
        return;
    }
    low = db->gen_min_required;
    high = db->gen_max_required;
    if (low <= 0 || high < low) low = high = 0;
    span = low ? (int64_t)high - low + 1 : 0;
    /* One pass over the sorted chain: a hostile header may ask for 2^31 generations. */
    for (size_t i = 0; low && i < chain->count; i++) {
        int32_t g = chain->logs[i]->generation;
        if (g >= low && g <= high && (!present || g != last)) present++;
        last = g;
    }
    missing = span - present;
    if (missing) {
        l.text[0] = '\0';
        line_add(&l, "The database was not closed properly and ");
        line_count(&l, (uint64_t)missing);
        line_add(&l, " of the ");
        line_count(&l, (uint64_t)span);
        line_add(&l, span == 1 ? " transaction log it needs is missing" : " transaction logs it needs are missing");
        add(f, ESE_LEVEL_CORRUPT, -543, &l);
    } else {
        add_text(f, ESE_LEVEL_SUSPICIOUS, -550,
                 "The database was not closed properly; the logs it needs are present, so Windows can "
                 "replay them when the service starts");
    }
}

static int logtime_equal(const struct ese_logtime *a, const struct ese_logtime *b)
{
    return memcmp(a, b, sizeof(*a)) == 0;
}

/* tmPrevGen of log N+1 must equal tmCreate of log N (-515), and generations from the
 * checkpoint up must not have holes (-528). Older holes are logs deleted on purpose. */
static void chain_rules(const struct ese_set *set, const struct chain *chain, struct ese_findings *f)
{
    int32_t from, broken = 0, hole = 0;
    struct line l;

    if (!chain->count) return;
    from = chain->logs[0]->generation;
    if (set->checkpoint && set->checkpoint->status == ESE_FILE_OK && set->checkpoint->checkpoint.generation > from)
        from = set->checkpoint->checkpoint.generation;
    for (size_t i = 1; i < chain->count && !(broken && hole); i++) {
        const struct ese_log_header *prev = chain->logs[i - 1], *next = chain->logs[i];
        if (next->generation <= from) continue;
        if (next->generation == prev->generation + 1 && !broken &&
            !logtime_equal(&prev->created, &next->previous_created))
            broken = next->generation;
        if (next->generation > prev->generation + 1 && !hole)
            hole = prev->generation + 1 > from ? prev->generation + 1 : from;
    }
    if (!hole && !have_generation(chain, from) && from <= chain->logs[chain->count - 1]->generation) hole = from;
    if (broken) {
        line_start(&l, "The transaction logs do not follow on from each other at generation ");
        line_count(&l, (uint64_t)broken);
        add(f, ESE_LEVEL_CORRUPT, -515, &l);
    }
    if (hole) {
        line_start(&l, "Transaction log generation ");
        line_count(&l, (uint64_t)hole);
        line_add(&l, " is missing from the sequence");
        add(f, set->checkpoint ? ESE_LEVEL_CORRUPT : ESE_LEVEL_SUSPICIOUS, -528, &l);
    }
}

static void pile_rules(const struct ese_set *set, struct ese_findings *f)
{
    size_t logs = 0;
    int huge = 0;
    struct line l;

    for (size_t i = 0; i < set->log_count; i++) {
        if (is_transaction_log(&set->logs[i])) logs++;
        if (set->logs[i].name_kind == ESE_NAME_CURRENT_LOG && set->logs[i].file_length > HUGE_LOG_LENGTH) huge = 1;
    }
    if (logs > TOO_MANY_LOGS) {
        l.text[0] = '\0'; /* line_count appends: start from an empty line */
        line_count(&l, logs);
        line_add(&l, " transaction logs have piled up; beyond 1 024 Windows Update fails (0x80070490)");
        add(f, ESE_LEVEL_CORRUPT, -614, &l);
    }
    if (huge) add_text(f, ESE_LEVEL_SUSPICIOUS, 0, "edb.log has grown beyond 20 MB (it is normally about 1 MB)");
}

static void checkpoint_rules(const struct ese_set *set, const struct ese_signature *sign, struct ese_findings *f)
{
    const struct ese_checkpoint *chk = set->checkpoint;
    struct line l;

    if (!chk) {
        if (is_dirty_and_closed(set))
            add_text(f, ESE_LEVEL_SUSPICIOUS, -533, "The checkpoint file edb.chk is missing");
        return;
    }
    if (chk->status != ESE_FILE_OK) {
        line_start(&l, "The checkpoint file edb.chk is damaged (");
        line_add(&l, reason(chk->damaged));
        line_add(&l, ")");
        add(f, ESE_LEVEL_CORRUPT, -533, &l);
        return;
    }
    if (sign && !ese_signature_equal(&chk->log_signature, sign))
        add_text(f, is_dirty_and_closed(set) ? ESE_LEVEL_CORRUPT : ESE_LEVEL_SUSPICIOUS, -532,
                 "The checkpoint file edb.chk belongs to a different set of logs");
    if (chk->primary != ESE_COPY_OK || chk->shadow != ESE_COPY_OK)
        add_text(f, ESE_LEVEL_SUSPICIOUS, 0, "One of the two copies inside edb.chk is damaged; the other is intact");
}

static void counter_rules(const struct ese_set *set, struct ese_findings *f)
{
    const struct ese_db_header *db = set->db;
    struct line l;

    if (!db || !db->readable || db->damaged[0]) return;
    if (db->bad_checksum_count) {
        line_start(&l, "ESE has already met ");
        line_count(&l, db->bad_checksum_count);
        line_add(&l, db->bad_checksum_count == 1 ? " checksum error" : " checksum errors");
        line_add(&l, " in this database");
        add(f, ESE_LEVEL_SUSPICIOUS, -1018, &l);
    }
    if (db->repair_count) {
        line_start(&l, "The database has been repaired ");
        line_count(&l, db->repair_count);
        line_add(&l, db->repair_count == 1 ? " time with esentutl /p" : " times with esentutl /p");
        add(f, ESE_LEVEL_INFO, 0, &l);
    }
}

void ese_set_findings(const struct ese_set *set, struct ese_findings *out)
{
    const struct ese_signature *sign;
    struct chain chain;

    memset(out, 0, sizeof(*out));
    if (!set) return;
    sign = set_signature(set);
    chain_build(set, sign, &chain);
    header_rules(set, out);
    page_rules(set, out);
    required_log_rules(set, &chain, out);
    foreign_log_rules(set, sign, out);
    damaged_log_rules(set, out);
    chain_rules(set, &chain, out);
    checkpoint_rules(set, sign, out);
    pile_rules(set, out);
    counter_rules(set, out);
    free(chain.logs);
}

void ese_judge(const struct ese_set *set, struct ese_verdict_result *out)
{
    static const enum ese_verdict by_level[] = { ESE_VERDICT_HEALTHY, ESE_VERDICT_SUSPICIOUS,
                                                 ESE_VERDICT_CORRUPT, ESE_VERDICT_NOT_READABLE };
    struct ese_findings findings;
    int strongest = ESE_LEVEL_INFO;

    memset(out, 0, sizeof(*out));
    ese_set_findings(set, &findings);
    for (size_t i = 0; i < findings.count; i++)
        if ((int)findings.items[i].level > strongest) strongest = (int)findings.items[i].level;
    out->verdict = by_level[strongest];
    /* Strongest first; within a level, rule order (itself strongest first). */
    for (int level = ESE_LEVEL_NOT_READABLE; level >= ESE_LEVEL_INFO; level--)
        for (size_t i = 0; i < findings.count && out->evidence_count < ESE_EVIDENCE_MAX; i++)
            if ((int)findings.items[i].level == level)
                ese_set_text(out->evidence[out->evidence_count++], ESE_TEXT_LENGTH, findings.items[i].text);
}
