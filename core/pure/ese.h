/* core/pure/ese.h: facts from ESE ("JET Blue") files: database, pages, logs, checkpoint, verdict. */
#ifndef CSD_ESE_H
#define CSD_ESE_H

/*
 * Everything here is pure: bytes and numbers in, a plain struct of facts out. No
 * function reads past `length`, allocates, or keeps a pointer to its input. Damaged,
 * truncated or hostile input gives a fact whose `damaged` string says why (UTF-8,
 * "" when nothing is wrong); it never crashes. Offsets and algorithms follow
 * research/ese-format.md in the shared folder (section numbers below refer to it).
 */

#include <stddef.h>
#include <stdint.h>

#define ESE_MAGIC 0x89abcdefu
#define ESE_REASON_LENGTH 128  /* bytes, including the terminating NUL */
#define ESE_NAME_LENGTH 64     /* a file name kept inside a fact */
#define ESE_PAGE_SIZE_MAX 32768u
#define ESE_HEADER_LENGTH 4096u /* log and checkpoint header copies */

/* ---- small shared types (§1.4) ---- */

struct ese_logtime {
    int is_set;          /* 0 when all eight bytes are zero ("not set") */
    int is_utc;
    unsigned year;       /* full year, e.g. 2024 */
    unsigned month;      /* 1..12 as written by ESE */
    unsigned day, hour, minute, second, millisecond;
};

struct ese_lgpos {
    uint16_t ib;         /* byte inside the sector */
    uint16_t isec;       /* sector */
    int32_t generation;  /* log generation */
};

struct ese_signature {
    uint8_t raw[28];     /* compare signatures with ese_signature_equal() */
    uint32_t random;
    struct ese_logtime created;
    char computer[17];   /* as stored, NUL-terminated; empty on modern Windows */
};

int ese_signature_equal(const struct ese_signature *a, const struct ese_signature *b);
/* A signature of all zero bytes: never written by ESE, so it matches nothing. */
int ese_signature_is_zero(const struct ese_signature *s);

/* ---- checksums (§1.3, §2.2, §2.3) ---- */

/* 0x89abcdef ^ XOR of dwords 1..length/4-1 (dword 0, the stored checksum, excluded).
 * Header checksum of database, log, checkpoint and flush-map headers. */
uint32_t ese_checksum_legacy(const uint8_t *bytes, size_t length);

/* The XE (XOR+ECC) checksum of one block; length a power of two, 1024..8192.
 * header_block: the first 8 bytes (where the checksum is stored) count as zero.
 * Returns (ecc << 32) | (xor ^ pgno). */
uint64_t ese_checksum_xe_block(const uint8_t *block, size_t length, uint32_t pgno, int header_block);

/* The checksums a page of page_size (4096, 8192, 16384, 32768; 2048 too) must carry:
 * new format: 1 value for pages up to 8 KiB, 4 for 16/32 KiB (out[0] at offset 0,
 * out[1..3] at offsets 40/48/56). Old format: 1 value, (pgno << 32) | xor.
 * Blocks 1..3 are computed from the page as given and block 0 over the page with
 * out[1..3] already in place, so the page must already hold them to verify.
 * Returns the count of values, 0 for an unsupported page size. */
size_t ese_page_checksums(const uint8_t *page, size_t page_size, uint32_t pgno,
                          int new_format, uint64_t out[4]);

/* ---- one database page (§2) ---- */

enum ese_page_status {
    ESE_PAGE_OK = 0,
    ESE_PAGE_UNUSED,        /* all zero bytes: never written, not an error */
    ESE_PAGE_TRAILER,       /* header-format trailer page that verifies (esentutl rule 2.4.4) */
    ESE_PAGE_BAD_CHECKSUM,
    ESE_PAGE_BAD_PGNO       /* checksum right, page number (PGHDR2 @64 or old dword1) wrong */
};

struct ese_page_check {
    enum ese_page_status status;
    int new_format;         /* flag 0x2000 set (byte 37 & 0x20) */
    int correctable;        /* bad, new format, and every bad block a single-bit ECC error */
    unsigned bad_block;     /* first failing block (0..3) when bad */
    uint64_t dbtime;        /* dbtimeDirtied at offset 8 */
};

/* page_size must be a supported size (see ese_page_size_valid). */
enum ese_page_status ese_check_page(const uint8_t *page, size_t page_size, uint32_t pgno,
                                    struct ese_page_check *out);
int ese_page_size_valid(uint32_t page_size);

/* ---- database header (§1) ---- */

enum ese_db_state {
    ESE_DB_JUST_CREATED = 1, ESE_DB_DIRTY_SHUTDOWN = 2, ESE_DB_CLEAN_SHUTDOWN = 3,
    ESE_DB_BEING_CONVERTED = 4, ESE_DB_FORCE_DETACH = 5, ESE_DB_INCREMENTAL_RESEED = 6,
    ESE_DB_DIRTY_AND_PATCHED = 7, ESE_DB_REVERT_IN_PROGRESS = 8
};

/* "Clean shutdown", "Dirty shutdown", ...; NULL for a value outside 1..8. */
const char *ese_db_state_name(uint32_t state);
/* 1 for the states that need log replay before ESE attaches the database (all but 3). */
int ese_db_state_needs_logs(uint32_t state);

enum ese_copy_status { ESE_COPY_MISSING = 0, ESE_COPY_OK, ESE_COPY_BAD };

struct ese_db_header {
    char damaged[ESE_REASON_LENGTH]; /* "" or why the header is unusable/suspect */
    int readable;                    /* one copy verified: the fields below are from it */
    int truncated;                   /* buffer shorter than the two header pages */
    enum ese_copy_status primary, shadow;
    int copies_differ;               /* both verify but are not byte-identical */
    int page_size_guessed;           /* field 236 did not settle it; taken from the shadow's position */
    uint32_t page_size;              /* bytes (0 mapped to 4096) */
    uint64_t file_length;
    int size_not_multiple;           /* file_length % page_size != 0 */
    uint32_t magic, version, revision, revision_minor, attrib, state, file_type;
    int has_file_type;               /* header long enough to hold byte 667.. */
    uint64_t dbtime;
    struct ese_signature db_signature, log_signature;
    struct ese_lgpos consistent, attach, detach;
    struct ese_logtime consistent_time, attach_time, detach_time;
    int32_t gen_min_required, gen_max_required, gen_max_committed;
    uint32_t repair_count, ecc_fix_success_count, ecc_fix_fail_count, bad_checksum_count;
    uint32_t os_major, os_minor, os_build, os_service_pack;
};

/* bytes: the start of the file (at least two pages for a full check; 65536 bytes is
 * always enough), file_length: the whole file's size (0: use length). Returns readable. */
int ese_parse_db_header(const uint8_t *bytes, size_t length, uint64_t file_length,
                        struct ese_db_header *out);

/* ---- deep check: every page of a database, streamed (§2.4) ---- */

#define ESE_DEEP_BAD_MAX 16 /* failing page numbers kept */

struct ese_deep_check {
    /* results */
    uint32_t page_size;
    uint64_t pages_total;      /* data pages seen (file pages after the two header pages) */
    uint64_t pages_ok, pages_unused, pages_bad, pages_correctable, pages_old_format;
    uint64_t pages_bad_in_data;  /* valid after ese_deep_finish: bad pages before the last good one */
    uint64_t pages_bad_tail;     /* ... and bad pages after it: garbage beyond the last used page */
    uint32_t last_good_pgno;     /* 0: none */
    uint32_t bad_pgnos[ESE_DEEP_BAD_MAX]; /* the first failing page numbers, ascending */
    size_t bad_pgno_count;
    uint64_t pages_newer_than_header; /* good pages with dbtime > header dbtime (§2.4 inference) */
    uint64_t trailing_length;    /* bytes after the last whole page */
    int finished;
    /* private state */
    uint64_t header_dbtime;
    uint64_t offset;             /* bytes consumed */
    uint64_t bad_since_good;
    int pending_trailer;
    uint32_t pending_pgno;
    size_t carry_length;
    uint8_t carry[ESE_PAGE_SIZE_MAX];
};

/* header_dbtime: ese_db_header.dbtime (0 disables the newer-page count).
 * Returns 0 when page_size is not supported. */
int ese_deep_begin(struct ese_deep_check *deep, uint32_t page_size, uint64_t header_dbtime);
/* Feed the file from offset 0 in order, in chunks of any length; whole-page chunks
 * are checked in place without copying. */
void ese_deep_feed(struct ese_deep_check *deep, const uint8_t *bytes, size_t length);
void ese_deep_finish(struct ese_deep_check *deep);
/* The whole file in one buffer (begin + feed + finish). */
int ese_deep_check_buffer(const uint8_t *bytes, size_t length, uint32_t page_size,
                          uint64_t header_dbtime, struct ese_deep_check *out);

/* ---- file names (§3.1) ---- */

enum ese_name_kind {
    ESE_NAME_OTHER = 0,
    ESE_NAME_CURRENT_LOG,   /* edb.log */
    ESE_NAME_ARCHIVED_LOG,  /* edbXXXXX.log (hex generation, 5 or 8 digits) */
    ESE_NAME_TMP_LOG,       /* edbtmp.log */
    ESE_NAME_RESERVE_LOG,   /* edbresNNNNN.jrs */
    ESE_NAME_CHECKPOINT     /* edb.chk */
};

/* Case-insensitive; base is the 3-character base name ("edb"). generation is set
 * for archived logs (else 0). */
enum ese_name_kind ese_classify_name(const char *file_name, const char *base, int32_t *generation);

/* ---- log file header (§3.2, §3.3) ---- */

enum ese_file_status {
    ESE_FILE_OK = 0,
    ESE_FILE_ZERO_FILLED,   /* all zero bytes: normal for edbtmp.log / edbres*.jrs */
    ESE_FILE_EMPTY,         /* zero length */
    ESE_FILE_DAMAGED        /* see damaged */
};

struct ese_log_header {
    char file_name[ESE_NAME_LENGTH];
    char damaged[ESE_REASON_LENGTH];
    enum ese_file_status status;
    enum ese_name_kind name_kind;
    int32_t name_generation;    /* from the name, archived logs only */
    int checksum_ok;
    int generation_matches_name;/* 1 unless an archived log's name disagrees */
    uint64_t file_length;
    int size_matches;           /* file_length == file_sectors * sector_length */
    int32_t generation;
    uint16_t sector_length, header_sectors, file_sectors, db_page_size;
    struct ese_logtime created, previous_created;
    uint32_t version_major, version_minor, version_update_major, version_update_minor;
    struct ese_signature log_signature;
    uint8_t flags;              /* 0x02 circular logging */
    struct ese_lgpos checkpoint;
    uint32_t file_type;
    /* segments (format 8+, only when the whole file was given) */
    int segments_checked;
    uint32_t segments_ok, segments_unused, segments_bad, segments_shadow;
};

/* bytes: the file or at least its first 4096 bytes; file_length: its size (0: length);
 * file_name: the base name ("edb0000D.log"), may be NULL. Returns status == OK. */
int ese_parse_log(const uint8_t *bytes, size_t length, uint64_t file_length,
                  const char *file_name, struct ese_log_header *out);

/* ---- checkpoint (§3.4) ---- */

struct ese_checkpoint {
    char damaged[ESE_REASON_LENGTH];
    enum ese_file_status status;
    enum ese_copy_status primary, shadow;
    int copies_differ;
    struct ese_lgpos checkpoint;      /* oldest log position still needed */
    struct ese_signature log_signature;
    uint32_t file_type;
};

int ese_parse_checkpoint(const uint8_t *bytes, size_t length, struct ese_checkpoint *out);

/* ---- a database set: findings and verdict ---- */

enum ese_level { ESE_LEVEL_INFO = 0, ESE_LEVEL_SUSPICIOUS, ESE_LEVEL_CORRUPT, ESE_LEVEL_NOT_READABLE };

enum ese_verdict {
    ESE_VERDICT_HEALTHY = 0, ESE_VERDICT_SUSPICIOUS, ESE_VERDICT_CORRUPT, ESE_VERDICT_NOT_READABLE
};

const char *ese_verdict_name(enum ese_verdict verdict); /* "healthy", ... */

#define ESE_TEXT_LENGTH 160
#define ESE_FINDINGS_MAX 24

struct ese_finding {
    enum ese_level level;
    int jet_error;               /* the ESENT error this would cause (e.g. -530), 0 if none */
    char text[ESE_TEXT_LENGTH];  /* plain words for a desktop user, UTF-8 */
};

struct ese_set {
    const char *db_name;                 /* for messages; may be NULL */
    const struct ese_db_header *db;      /* NULL: the database file could not be read */
    const struct ese_deep_check *deep;   /* NULL: pages not checked */
    const struct ese_log_header *logs;   /* every edb*.log / edbtmp.log / edbres*.jrs found */
    size_t log_count;
    const struct ese_checkpoint *checkpoint; /* NULL: no edb.chk */
    int in_use;                          /* 1 the service has it open, 0 known closed, -1 unknown */
};

struct ese_findings {
    size_t count;                        /* kept, at most ESE_FINDINGS_MAX */
    size_t dropped;                      /* did not fit */
    struct ese_finding items[ESE_FINDINGS_MAX];
};

/* Applies the rules of §3.6 and the DESIGN.md evidence list; findings in rule order. */
void ese_set_findings(const struct ese_set *set, struct ese_findings *out);

#define ESE_EVIDENCE_MAX 12

struct ese_verdict_result {
    enum ese_verdict verdict;
    size_t evidence_count;
    char evidence[ESE_EVIDENCE_MAX][ESE_TEXT_LENGTH]; /* strongest first */
};

/*
 * One verdict per database set. The verdict is the level of the strongest finding:
 *  not readable: no database header could be read (file missing, locked, empty);
 *  corrupt:      both header copies fail, wrong magic, page size unusable or not
 *                dividing the file, state or file type invalid; any page inside the
 *                data failing its checksum; a dirty database (not in use) whose required
 *                logs are missing or belong to another database; a needed log damaged,
 *                misnamed or out of sequence; a checkpoint whose copies both fail or that
 *                belongs to other logs; more than 1 024 logs (KB977893);
 *  suspicious:   one header copy bad; garbage pages only beyond the last used page;
 *                a dirty database not in use whose logs are all there; logs of another
 *                database lying beside a clean one; a damaged log the database no longer
 *                needs; ESE's own bad-checksum counter above 0; an edb.log over 20 MB
 *                (KB822798); pages newer than a clean header;
 *  healthy:      none of those. If the pages were not checked, an evidence line says so.
 * Evidence lists the findings, strongest first (info lines last).
 */
void ese_judge(const struct ese_set *set, struct ese_verdict_result *out);

/* "1 872" style grouping of a count, for messages; returns out. */
char *ese_format_count(uint64_t value, char *out, size_t out_length);

#endif
