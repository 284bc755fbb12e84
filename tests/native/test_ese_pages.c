/* tests/native/test_ese_pages.c: the deep page check on real Windows databases and on written ones. */
#include "harness/test.h"
#include "pure/ese.h"
#include "support/ese_writer.h"

#include <stdlib.h>
#include <string.h>

struct sample {
    const char *name;
    uint64_t bad_in_data, bad_tail;
};

static const struct sample samples[] = {
    { "dissect-esedb-basic.edb", 0, 0 },  { "dissect-esedb-binary.edb", 0, 0 },
    { "dissect-esedb-default.edb", 0, 0 }, { "dissect-esedb-index.edb", 0, 0 },
    { "dissect-esedb-multi.edb", 0, 0 },  { "dissect-esedb-text.edb", 0, 0 },
    { "dissect-esedb-large.edb", 0, 0 },  { "dissect-esedb-Current.mdb", 0, 0 },
    { "dissect-esedb-SRUDB.dat", 0, 16 }, { "go-ese-qmgr.db", 0, 0 },
    { "go-ese-SRUDB.dat", 0, 0 },
};

static int deep_of(const uint8_t *bytes, size_t length, struct ese_deep_check *deep)
{
    struct ese_db_header h;
    if (!ese_parse_db_header(bytes, length, 0, &h)) return 0;
    return ese_deep_check_buffer(bytes, length, h.page_size, h.dbtime, deep);
}

static void test_samples(void)
{
    static struct ese_deep_check deep, streamed;

    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        const struct sample *s = &samples[i];
        size_t length;
        uint8_t *bytes = ew_load_sample(s->name, &length);

        if (!bytes) {
            skip("%s not unpacked (see tests/testdata.cmake)\n", s->name);
            continue;
        }
        ok(deep_of(bytes, length, &deep), "%s: deep check ran\n", s->name);
        ok(deep.pages_bad_in_data == s->bad_in_data && deep.pages_bad_tail == s->bad_tail,
           "%s: bad in data %u, tail %u\n", s->name, (unsigned)deep.pages_bad_in_data,
           (unsigned)deep.pages_bad_tail);
        ok(deep.pages_ok > 0 && deep.pages_ok + deep.pages_unused + deep.pages_bad == deep.pages_total &&
               deep.pages_total == length / deep.page_size - 2,
           "%s: %u ok %u unused %u bad of %u\n", s->name, (unsigned)deep.pages_ok,
           (unsigned)deep.pages_unused, (unsigned)deep.pages_bad, (unsigned)deep.pages_total);
        ok(deep.pages_correctable == 0, "%s: nothing correctable\n", s->name);
        trace("%s: %u pages ok, %u unused, last good page %u\n", s->name, (unsigned)deep.pages_ok,
              (unsigned)deep.pages_unused, (unsigned)deep.last_good_pgno);

        /* Streaming in odd chunks gives the same answer as the whole buffer. */
        ese_deep_begin(&streamed, deep.page_size, 0);
        for (size_t at = 0, step = 1; at < length; at += step, step = step * 3 % 40009 + 1)
            ese_deep_feed(&streamed, bytes + at, at + step <= length ? step : length - at);
        ese_deep_finish(&streamed);
        ok(streamed.pages_ok == deep.pages_ok && streamed.pages_bad == deep.pages_bad &&
               streamed.pages_unused == deep.pages_unused && streamed.last_good_pgno == deep.last_good_pgno,
           "%s: streamed result differs\n", s->name);
        free(bytes);
    }
}

/* dissect's SRUDB.dat: pages 143-158 fail, and they are the file's tail. */
static void test_srudb_tail(void)
{
    static struct ese_deep_check deep;
    size_t length;
    uint8_t *bytes = ew_load_sample("dissect-esedb-SRUDB.dat", &length);

    if (!bytes) {
        skip("SRUDB.dat not unpacked\n");
        return;
    }
    deep_of(bytes, length, &deep);
    ok(deep.pages_bad == 16 && deep.bad_pgno_count == 16, "16 bad pages: %u\n", (unsigned)deep.pages_bad);
    ok(deep.bad_pgnos[0] == 143 && deep.bad_pgnos[15] == 158, "pages %u..%u\n", (unsigned)deep.bad_pgnos[0],
       (unsigned)deep.bad_pgnos[15]);
    ok(deep.last_good_pgno < 143, "last good page %u\n", (unsigned)deep.last_good_pgno);
    free(bytes);
}

/* libesedb's page.1: one old-format (XOR) page, page number 1. */
static void test_old_format_page(void)
{
    struct ese_page_check check;
    size_t length;
    uint8_t *bytes = ew_load_sample("libesedb-page.1", &length);

    if (!bytes) {
        skip("page.1 missing\n");
        return;
    }
    ok(length == 4096 && ese_check_page(bytes, length, 1, &check) == ESE_PAGE_OK && !check.new_format,
       "page.1 old format ok: %d\n", check.status);
    ok(ese_check_page(bytes, length, 2, &check) == ESE_PAGE_BAD_PGNO, "page.1 as page 2: %d\n", check.status);
    free(bytes);
}

static void test_written(void)
{
    static const uint32_t sizes[] = { 4096, 8192, 16384, 32768 };
    static struct ese_deep_check deep;

    for (size_t i = 0; i < 4; i++) {
        for (int format = 0; format < 2; format++) {
            struct ew_db_options o;
            size_t length;
            uint8_t *bytes;
            ew_db_defaults(&o, sizes[i], 40);
            o.new_format = format;
            o.used_pages = 30;
            bytes = ew_make_db(&o, &length);
            ok(deep_of(bytes, length, &deep) && deep.pages_ok == 30 && deep.pages_unused == 10 &&
                   deep.pages_bad == 0, "written %u/%d: %u ok %u bad\n", (unsigned)sizes[i], format,
               (unsigned)deep.pages_ok, (unsigned)deep.pages_bad);
            ok(deep.pages_old_format == (sizes[i] <= 8192 && !format ? 30u : 0u), "old format count\n");
            /* One flipped bit in page 7, one in the last page (30), a zeroed page 12. */
            ew_flip_bit(bytes + 8 * sizes[i], 8 * 200 + 3);
            ew_flip_bit(bytes + 31 * sizes[i], 8 * 900);
            memset(bytes + 13 * sizes[i], 0, sizes[i]);
            deep_of(bytes, length, &deep);
            ok(deep.pages_bad == 2 && deep.pages_bad_in_data == 1 && deep.pages_bad_tail == 1 &&
                   deep.bad_pgnos[0] == 7 && deep.bad_pgnos[1] == 30 && deep.pages_unused == 11,
               "damaged %u/%d: bad %u in data %u tail %u first %u\n", (unsigned)sizes[i], format,
               (unsigned)deep.pages_bad, (unsigned)deep.pages_bad_in_data, (unsigned)deep.pages_bad_tail,
               (unsigned)deep.bad_pgnos[0]);
            ok(deep.pages_correctable == (format || sizes[i] > 8192 ? 2u : 0u), "correctable %u\n",
               (unsigned)deep.pages_correctable);
            free(bytes);
        }
    }
}

/* A page written in another page's place (misplaced write): the pgno check catches it. */
static void test_misplaced_and_limits(void)
{
    static struct ese_deep_check deep;
    struct ew_db_options o;
    size_t length;
    uint8_t *bytes;

    ew_db_defaults(&o, 16384, 30);
    bytes = ew_make_db(&o, &length);
    memcpy(bytes + 5 * 16384, bytes + 6 * 16384, 16384);
    deep_of(bytes, length, &deep);
    ok(deep.pages_bad == 1 && deep.bad_pgnos[0] == 4, "misplaced: %u bad, first %u\n",
       (unsigned)deep.pages_bad, (unsigned)deep.bad_pgnos[0]);
    /* More bad pages than the list holds: counted, list capped. */
    for (uint32_t p = 2; p < 22; p++) ew_flip_bit(bytes + p * 16384, 8 * 5000);
    deep_of(bytes, length, &deep);
    ok(deep.pages_bad == 20 && deep.bad_pgno_count == ESE_DEEP_BAD_MAX && deep.pages_bad_in_data == 20,
       "many bad: %u listed %u\n", (unsigned)deep.pages_bad, (unsigned)deep.bad_pgno_count);
    /* A partial last page is counted as trailing bytes. */
    ese_deep_check_buffer(bytes, length - 100, 16384, 0, &deep);
    ok(deep.trailing_length == 16384 - 100, "trailing %u\n", (unsigned)deep.trailing_length);
    ok(!ese_deep_begin(&deep, 3000, 0), "bad page size refused\n");
    ese_deep_feed(&deep, bytes, length); /* refused state: feeding does nothing */
    ok(deep.pages_total == 0, "nothing counted\n");
    free(bytes);
}

START_TEST(ese_pages)
{
    test_samples();
    test_srudb_tail();
    test_old_format_page();
    test_written();
    test_misplaced_and_limits();
}
