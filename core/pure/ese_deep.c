/* core/pure/ese_deep.c: the deep check: every page of a database, fed as a stream (esentutl /k's walk, §2.4). */
#include "pure/ese_internal.h"

int ese_deep_begin(struct ese_deep_check *deep, uint32_t page_size, uint64_t header_dbtime)
{
    memset(deep, 0, sizeof(*deep));
    if (!ese_page_size_valid(page_size)) return 0;
    deep->page_size = page_size;
    deep->header_dbtime = header_dbtime;
    return 1;
}

static void record_bad(struct ese_deep_check *deep, uint32_t pgno, int correctable)
{
    deep->pages_bad++;
    deep->bad_since_good++;
    if (correctable) deep->pages_correctable++;
    if (deep->bad_pgno_count < ESE_DEEP_BAD_MAX) deep->bad_pgnos[deep->bad_pgno_count++] = pgno;
}

static void record_good(struct ese_deep_check *deep, uint32_t pgno, const struct ese_page_check *check)
{
    deep->pages_ok++;
    deep->last_good_pgno = pgno;
    deep->bad_since_good = 0;
    if (!check->new_format) deep->pages_old_format++;
    if (deep->header_dbtime && check->dbtime > deep->header_dbtime) deep->pages_newer_than_header++;
}

/* index: the physical page index in the file; 0 and 1 are the header copies. */
static void check_one(struct ese_deep_check *deep, const uint8_t *page, uint64_t index)
{
    struct ese_page_check check;
    uint32_t pgno;
    enum ese_page_status status;

    if (index < 2) return;
    pgno = (uint32_t)(index - 1);
    deep->pages_total++;
    status = ese_check_page(page, deep->page_size, pgno, &check);
    /* A trailer page is only allowed as the last page; anything written after it
     * shows it was not one. */
    if (deep->pending_trailer && status != ESE_PAGE_UNUSED) {
        deep->pending_trailer = 0;
        record_bad(deep, deep->pending_pgno, 0);
    }
    switch (status) {
    case ESE_PAGE_OK:
        record_good(deep, pgno, &check);
        break;
    case ESE_PAGE_UNUSED:
        deep->pages_unused++;
        break;
    case ESE_PAGE_TRAILER:
        deep->pending_trailer = 1;
        deep->pending_pgno = pgno;
        break;
    default:
        record_bad(deep, pgno, check.correctable);
        break;
    }
}

void ese_deep_feed(struct ese_deep_check *deep, const uint8_t *bytes, size_t length)
{
    size_t page_size = deep->page_size;

    if (!page_size || deep->finished || !bytes) return;
    if (deep->carry_length) {
        size_t take = page_size - deep->carry_length;
        if (take > length) take = length;
        memcpy(deep->carry + deep->carry_length, bytes, take);
        deep->carry_length += take;
        bytes += take;
        length -= take;
        if (deep->carry_length < page_size) return;
        check_one(deep, deep->carry, deep->offset / page_size);
        deep->offset += page_size;
        deep->carry_length = 0;
    }
    for (; length >= page_size; bytes += page_size, length -= page_size) {
        check_one(deep, bytes, deep->offset / page_size);
        deep->offset += page_size;
    }
    if (length) {
        memcpy(deep->carry, bytes, length);
        deep->carry_length = length;
    }
}

void ese_deep_finish(struct ese_deep_check *deep)
{
    if (deep->finished) return;
    if (deep->pending_trailer) deep->pages_ok++;
    deep->pending_trailer = 0;
    deep->trailing_length = deep->carry_length;
    /* Bad pages after the last good one are garbage beyond the data (a carved or
     * over-allocated file); with no good page at all, nothing can be called tail. */
    deep->pages_bad_tail = deep->last_good_pgno ? deep->bad_since_good : 0;
    deep->pages_bad_in_data = deep->pages_bad - deep->pages_bad_tail;
    deep->finished = 1;
}

int ese_deep_check_buffer(const uint8_t *bytes, size_t length, uint32_t page_size,
                          uint64_t header_dbtime, struct ese_deep_check *out)
{
    if (!ese_deep_begin(out, page_size, header_dbtime)) return 0;
    ese_deep_feed(out, bytes, length);
    ese_deep_finish(out);
    return 1;
}
