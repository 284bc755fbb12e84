/* core/pure/ese_header.c: the database file header (DBFILEHDR) and its shadow copy, plus shared field readers. */
#include "pure/ese_internal.h"

#include <stdio.h>

#define DB_HEADER_STRUCT_LENGTH 748u

static const char *const state_names[] = {
    NULL, "Just created", "Dirty shutdown", "Clean shutdown", "Being converted",
    "Force detach", "Incremental reseed in progress", "Dirty and patched shutdown",
    "Revert in progress",
};

const char *ese_db_state_name(uint32_t state)
{
    return state >= 1 && state <= 8 ? state_names[state] : NULL;
}

int ese_db_state_needs_logs(uint32_t state)
{
    return state != ESE_DB_CLEAN_SHUTDOWN;
}

void ese_read_logtime(const uint8_t *p, struct ese_logtime *out)
{
    memset(out, 0, sizeof(*out));
    out->is_set = !ese_all_zero(p, 8);
    out->second = p[0];
    out->minute = p[1];
    out->hour = p[2];
    out->day = p[3];
    out->month = p[4];
    out->year = 1900u + p[5];
    out->is_utc = p[6] & 1;
    out->millisecond = (unsigned)(p[6] >> 1) | ((unsigned)((p[7] >> 1) & 7) << 7);
}

void ese_read_lgpos(const uint8_t *p, struct ese_lgpos *out)
{
    out->ib = ese_le16(p);
    out->isec = ese_le16(p + 2);
    out->generation = (int32_t)ese_le32(p + 4);
}

void ese_read_signature(const uint8_t *p, struct ese_signature *out)
{
    memcpy(out->raw, p, sizeof(out->raw));
    out->random = ese_le32(p);
    ese_read_logtime(p + 4, &out->created);
    memcpy(out->computer, p + 12, 16);
    out->computer[16] = '\0';
}

int ese_signature_equal(const struct ese_signature *a, const struct ese_signature *b)
{
    return memcmp(a->raw, b->raw, sizeof(a->raw)) == 0;
}

int ese_signature_is_zero(const struct ese_signature *s)
{
    return ese_all_zero(s->raw, sizeof(s->raw));
}

void ese_append(char *out, size_t out_length, const char *text)
{
    size_t used = strlen(out);
    if (used + 1 >= out_length) return;
    ese_set_text(out + used, out_length - used, text);
}

char *ese_format_count(uint64_t value, char *out, size_t out_length)
{
    char digits[32], grouped[40];
    size_t n = 0, g = 0;

    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    /* Group by thousands with a space, the way the evidence lines read ("1 872"). */
    while (n > 0) {
        grouped[g++] = digits[--n];
        if (n > 0 && n % 3 == 0) grouped[g++] = ' ';
    }
    grouped[g] = '\0';
    if (out && out_length) ese_set_text(out, out_length, grouped);
    return out;
}

void ese_append_count(char *out, size_t out_length, uint64_t value)
{
    char number[40];
    ese_append(out, out_length, ese_format_count(value, number, sizeof(number)));
}

/* ---- header copies and page size (§1.3, §1.6) ---- */

static uint32_t field_page_size(const uint8_t *copy)
{
    uint32_t value = ese_le32(copy + 236);
    return value == 0 ? 4096 : value;
}

/* One header copy at offset, page size candidate: ESE's acceptance test. */
static enum ese_copy_status copy_status(const uint8_t *bytes, size_t length, size_t offset,
                                        uint32_t candidate)
{
    const uint8_t *copy = bytes + offset;
    uint32_t raw;

    if (length < offset + candidate) return ESE_COPY_MISSING;
    raw = ese_le32(copy + 236);
    if (raw != 0 && !ese_page_size_valid(raw)) return ESE_COPY_BAD;
    if (field_page_size(copy) != candidate) return ESE_COPY_BAD;
    return ese_le32(copy) == ese_checksum_legacy(copy, candidate) ? ESE_COPY_OK : ESE_COPY_BAD;
}

/* A field of 0 means 4096 to ESE, yet old 8 KiB databases may carry it too: an
 * identical verifying copy at another offset shows the real size (libesedb's rule). */
static uint32_t shadow_position(const uint8_t *bytes, size_t length)
{
    for (uint32_t candidate = 2048; candidate <= ESE_PAGE_SIZE_MAX; candidate *= 2) {
        if (length < 2 * (size_t)candidate) break;
        if (memcmp(bytes, bytes + candidate, candidate) == 0 &&
            ese_le32(bytes) == ese_checksum_legacy(bytes, candidate) && ese_le32(bytes + 4) == ESE_MAGIC)
            return candidate;
    }
    return 0;
}

static int find_copies(const uint8_t *bytes, size_t length, struct ese_db_header *out)
{
    for (uint32_t candidate = 2048; candidate <= ESE_PAGE_SIZE_MAX; candidate *= 2) {
        enum ese_copy_status primary = copy_status(bytes, length, 0, candidate);
        enum ese_copy_status shadow = copy_status(bytes, length, candidate, candidate);
        if (primary != ESE_COPY_OK && shadow != ESE_COPY_OK) continue;
        out->primary = primary;
        out->shadow = shadow;
        out->page_size = candidate;
        out->copies_differ = primary == ESE_COPY_OK && shadow == ESE_COPY_OK &&
                             memcmp(bytes, bytes + candidate, candidate) != 0;
        return 1;
    }
    return 0;
}

/* A file cut inside its first header page (e.g. a 668-byte sample): the checksum can
 * still be checked over what is there, because the rest of the page is zero. */
static int find_truncated(const uint8_t *bytes, size_t length, struct ese_db_header *out)
{
    uint32_t raw;

    if (length < 240) return 0;
    raw = ese_le32(bytes + 236);
    if (raw != 0 && !ese_page_size_valid(raw)) return 0;
    if (length >= field_page_size(bytes)) return 0;
    if (ese_le32(bytes) != ese_checksum_legacy(bytes, length & ~(size_t)3)) return 0;
    out->primary = ESE_COPY_OK;
    out->shadow = ESE_COPY_MISSING;
    out->page_size = field_page_size(bytes);
    out->truncated = 1;
    return 1;
}

static void read_fields(const uint8_t *h, struct ese_db_header *out)
{
    out->magic = ese_le32(h + 4);
    out->version = ese_le32(h + 8);
    out->attrib = ese_le32(h + 12);
    out->dbtime = ese_le64(h + 16);
    ese_read_signature(h + 24, &out->db_signature);
    out->state = ese_le32(h + 52);
    ese_read_lgpos(h + 56, &out->consistent);
    ese_read_logtime(h + 64, &out->consistent_time);
    ese_read_logtime(h + 72, &out->attach_time);
    ese_read_lgpos(h + 80, &out->attach);
    ese_read_logtime(h + 88, &out->detach_time);
    ese_read_lgpos(h + 96, &out->detach);
    ese_read_signature(h + 108, &out->log_signature);
    out->os_major = ese_le32(h + 216);
    out->os_minor = ese_le32(h + 220);
    out->os_build = ese_le32(h + 224);
    out->os_service_pack = ese_le32(h + 228);
    out->revision = ese_le32(h + 232);
    out->repair_count = ese_le32(h + 240);
    out->gen_min_required = (int32_t)ese_le32(h + 296);
    out->gen_max_required = (int32_t)ese_le32(h + 300);
    out->ecc_fix_success_count = ese_le32(h + 368);
    out->ecc_fix_fail_count = ese_le32(h + 384);
    out->bad_checksum_count = ese_le32(h + 400);
    out->gen_max_committed = (int32_t)ese_le32(h + 416);
    out->revision_minor = ese_le32(h + 644);
    out->file_type = ese_le32(h + 667);
}

static void damaged(struct ese_db_header *out, const char *reason)
{
    if (out->damaged[0]) return; /* keep the first, strongest reason */
    ese_set_text(out->damaged, sizeof(out->damaged), "damaged: ");
    ese_append(out->damaged, sizeof(out->damaged), reason);
}

static void explain_unreadable(const uint8_t *bytes, size_t length, struct ese_db_header *out)
{
    if (length == 0)
        damaged(out, "the file is empty");
    else if (length < 2048)
        damaged(out, "the file is too short to hold a database header");
    else if (ese_le32(bytes + 4) != ESE_MAGIC && (length < 8192 || ese_le32(bytes + 4096 + 4) != ESE_MAGIC))
        damaged(out, "not an ESE database (no 0x89ABCDEF signature)");
    else if (ese_all_zero(bytes, length < 4096 ? length : 4096))
        damaged(out, "the header page is all zero bytes");
    else
        damaged(out, "neither header copy passes its checksum");
}

static void check_fields(struct ese_db_header *out)
{
    char text[64];

    if (out->magic != ESE_MAGIC) damaged(out, "wrong header signature");
    if (out->version != 0x620 && out->version != 0x623) {
        snprintf(text, sizeof(text), "unknown format version 0x%x", (unsigned)out->version);
        damaged(out, text);
    }
    if (!ese_db_state_name(out->state)) {
        snprintf(text, sizeof(text), "invalid database state %u", (unsigned)out->state);
        damaged(out, text);
    }
    if (out->attrib != 0) damaged(out, "the header describes a streaming file, not a database");
    if (out->has_file_type && out->file_type != 0 && out->file_type != 1 && out->file_type != 5) {
        snprintf(text, sizeof(text), "file type %u is not a database", (unsigned)out->file_type);
        damaged(out, text);
    }
    if (out->truncated) damaged(out, "the file ends inside its header pages");
    if (out->size_not_multiple) damaged(out, "the file size is not a multiple of the page size");
}

int ese_parse_db_header(const uint8_t *bytes, size_t length, uint64_t file_length,
                        struct ese_db_header *out)
{
    uint8_t h[DB_HEADER_STRUCT_LENGTH];
    const uint8_t *copy;
    size_t available;
    uint32_t guessed;

    memset(out, 0, sizeof(*out));
    if (!bytes) length = 0;
    out->file_length = file_length ? file_length : length;
    if (length == 0) {
        explain_unreadable(bytes, 0, out);
        return 0;
    }
    if (!find_copies(bytes, length, out) && !find_truncated(bytes, length, out)) {
        explain_unreadable(bytes, length, out);
        return 0;
    }
    out->readable = 1;
    if (out->primary == ESE_COPY_OK && out->shadow != ESE_COPY_OK && ese_le32(bytes + 236) == 0 &&
        (guessed = shadow_position(bytes, length)) != 0 && guessed != out->page_size) {
        out->page_size = guessed;
        out->page_size_guessed = 1;
        out->shadow = ESE_COPY_OK;
    }
    copy = out->primary == ESE_COPY_OK ? bytes : bytes + out->page_size;
    available = length - (size_t)(copy - bytes);
    if (available > out->page_size) available = out->page_size;
    memset(h, 0, sizeof(h));
    memcpy(h, copy, available < sizeof(h) ? available : sizeof(h));
    read_fields(h, out);
    out->has_file_type = available >= 668;
    if (out->file_length < 2 * (uint64_t)out->page_size) out->truncated = 1;
    out->size_not_multiple = out->file_length % out->page_size != 0;
    check_fields(out);
    return 1;
}
