/* tests/native/test_ese_checksum.c: Microsoft's checksum unit-test vectors, and the fast code against the writer's slow one. */
#include "harness/test.h"
#include "pure/ese.h"
#include "support/ese_writer.h"

#include <stdint.h>
#include <string.h>

static uint8_t buffer[32768];

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

/* KnownPageUnitTest, header checksum: 0x9f9b9f93 (§1.3). */
static void test_header_vector(void)
{
    memset(buffer, 0, sizeof(buffer));
    for (size_t i = 0; i < 4096; i++) buffer[i] = (uint8_t)(i & 0xff);
    put32(buffer, 0x89123456u);
    put32(buffer + 4, 0x12345678u);
    ok(ese_checksum_legacy(buffer, 8192) == 0x9f9b9f93u, "header checksum %08x\n",
       (unsigned)ese_checksum_legacy(buffer, 8192));
    ok(ew_ref_checksum_legacy(buffer, 8192) == 0x9f9b9f93u, "writer header checksum %08x\n",
       (unsigned)ew_ref_checksum_legacy(buffer, 8192));
}

/* 8 KiB page, pgno 9876: 0x0000000004042290 (§2.3). */
static void test_8k_vector(void)
{
    uint64_t sums[4];
    size_t count;

    memset(buffer, 0, sizeof(buffer));
    for (size_t i = 0; i < 4096; i++) buffer[i] = (uint8_t)(i & 0xff);
    count = ese_page_checksums(buffer, 8192, 9876, 1, sums);
    ok(count == 1 && sums[0] == 0x0000000004042290ull, "8k: %u %08x%08x\n", (unsigned)count,
       (unsigned)(sums[0] >> 32), (unsigned)sums[0]);
    ok(ew_ref_checksum_xe(buffer, 8192, 9876, 1) == 0x0000000004042290ull, "writer 8k\n");
}

static void fill_vector(void)
{
    for (size_t i = 0; i < sizeof(buffer); i++) buffer[i] = (uint8_t)((i + i / 13) & 0xff);
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* The writer stores the checksums as SetPageChecksum does (blocks 1..3 into the header
 * first, then block 0 over that); both its stored values and ours must be Microsoft's. */
static void check_large(size_t page_size, const uint64_t expect[4], const char *name)
{
    uint64_t sums[4], stored;
    size_t count;

    ew_set_page_checksum(buffer, page_size, 0x98765431u, 1);
    count = ese_page_checksums(buffer, page_size, 0x98765431u, 1, sums);
    ok(count == 4, "%s: count %u\n", name, (unsigned)count);
    for (size_t i = 0; i < 4 && i < count; i++) {
        stored = get64(buffer + (i == 0 ? 0 : 32 + 8 * i));
        ok(sums[i] == expect[i], "%s[%u]: %08x%08x\n", name, (unsigned)i, (unsigned)(sums[i] >> 32),
           (unsigned)sums[i]);
        ok(stored == expect[i], "%s[%u] writer: %08x%08x\n", name, (unsigned)i, (unsigned)(stored >> 32),
           (unsigned)stored);
    }
}

/* The 32 KiB and then (same buffer, as in Microsoft's test) 16 KiB vectors. The 28 KiB
 * vector is left out: ESE has no 28 KiB pages, so our API refuses that size. */
static void test_large_vectors(void)
{
    static const uint64_t v32[4] = { 0xf9ce063147b6b865ull, 0x69af69afcdd590e4ull,
                                     0x770988f62ea1a9e2ull, 0x7cb77cb77b839a0eull };
    static const uint64_t v16[4] = { 0x7b807b80651e03fcull, 0x7c347c34bc66a14bull,
                                     0x6c7e6c7ecb3a6c94ull, 0x05d105d19e99a841ull };

    fill_vector();
    check_large(32768, v32, "32k");
    check_large(16384, v16, "16k");
}

/* Random pages: the fast checksum must agree with the writer's row-by-row one. */
static void test_against_reference(void)
{
    uint32_t seed = 12345;
    static const size_t sizes[] = { 1024, 2048, 4096, 8192 };

    for (int round = 0; round < 64; round++) {
        size_t length = sizes[round % 4];
        for (size_t i = 0; i < length; i++) {
            seed = seed * 1103515245u + 12345u;
            buffer[i] = (uint8_t)(seed >> 16);
        }
        if (round & 8) memset(buffer + length / 2, 0, length / 4);
        ok(ese_checksum_xe_block(buffer, length, seed, round & 1) ==
               ew_ref_checksum_xe(buffer, length, seed, round & 1), "round %d differs\n", round);
        ok(ese_checksum_legacy(buffer, length) == ew_ref_checksum_legacy(buffer, length),
           "legacy round %d differs\n", round);
    }
}

/* A single flipped bit in a new-format page is reported as ECC-correctable; two are not. */
static void test_correctable(void)
{
    static const size_t sizes[] = { 4096, 8192, 16384, 32768 };

    for (size_t s = 0; s < 4; s++) {
        size_t size = sizes[s];
        struct ese_page_check check;
        ew_fill_data_page(buffer, size, 77, 1, 5);
        ok(ese_check_page(buffer, size, 77, &check) == ESE_PAGE_OK, "%u: fresh page ok\n", (unsigned)size);
        ew_flip_bit(buffer, size * 8 - 3);
        ok(ese_check_page(buffer, size, 77, &check) == ESE_PAGE_BAD_CHECKSUM && check.correctable,
           "%u: one bit is correctable (%d)\n", (unsigned)size, check.correctable);
        ew_flip_bit(buffer, 1000);
        ese_check_page(buffer, size, 77, &check);
        ok(check.status == ESE_PAGE_BAD_CHECKSUM && (size > 8192 || !check.correctable),
           "%u: two bits are not correctable\n", (unsigned)size);
        ok(ese_check_page(buffer, size, 78, &check) == ESE_PAGE_BAD_CHECKSUM, "wrong pgno fails\n");
    }
    ew_fill_data_page(buffer, 4096, 3, 0, 5);
    ok(ese_check_page(buffer, 4096, 3, NULL) == ESE_PAGE_OK, "old format page ok\n");
    ok(ese_check_page(buffer, 4096, 4, NULL) == ESE_PAGE_BAD_PGNO, "old format: pgno checked\n");
    memset(buffer, 0, 4096);
    ok(ese_check_page(buffer, 4096, 3, NULL) == ESE_PAGE_UNUSED, "zero page is unused\n");
    ok(ese_check_page(buffer, 4000, 3, NULL) == ESE_PAGE_BAD_CHECKSUM, "odd size refused\n");
}

START_TEST(ese_checksum)
{
    test_header_vector();
    test_8k_vector();
    test_large_vectors();
    test_against_reference();
    test_correctable();
}
