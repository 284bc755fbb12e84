/* tests/fuzz/fuzz_ese_db.c: libFuzzer target: database header, page checks, deep check and verdict on any bytes. */
#include "pure/ese.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ese_deep_check deep, streamed;

/* Feeds the data in uneven chunks so the carry-over path is exercised as well. */
static void stream(const uint8_t *data, size_t size, uint32_t page_size)
{
    size_t at = 0, step = 1;

    ese_deep_begin(&streamed, page_size, 1);
    while (at < size) {
        size_t take = step < size - at ? step : size - at;
        ese_deep_feed(&streamed, data + at, take);
        at += take;
        step = step * 7 % 5003 + 1;
    }
    ese_deep_finish(&streamed);
    if (streamed.pages_bad != deep.pages_bad || streamed.pages_ok != deep.pages_ok) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ese_db_header header;
    struct ese_set set = { 0 };
    struct ese_verdict_result result;
    uint64_t sums[4];
    uint32_t page_size = 4096;

    if (ese_parse_db_header(data, size, 0, &header)) page_size = header.page_size;
    if (!ese_page_size_valid(page_size)) abort(); /* the parser promised a usable size */
    ese_deep_check_buffer(data, size, page_size, 1, &deep);
    stream(data, size, page_size);
    if (size >= 4096) {
        ese_check_page(data, 4096, (uint32_t)size, NULL);
        ese_page_checksums(data, 4096, 1, data[0] & 1, sums);
    }
    ese_checksum_legacy(data, size);
    set.db = &header;
    set.deep = header.readable ? &deep : NULL;
    set.in_use = (int)(size % 3) - 1;
    ese_judge(&set, &result);
    if (result.evidence_count > ESE_EVIDENCE_MAX) abort();
    return 0;
}
