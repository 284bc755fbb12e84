/* core/pure/ese_checksum.c: ESE header, legacy XOR and XOR+ECC page checksums, page verification. */
#include "pure/ese_internal.h"

/*
 * Speed matters: the deep check streams a whole database through here and must keep
 * up with reading the file. So the block checksum never looks at a row on its own.
 * The reference algorithm (§2.3) XORs the index of every row with odd parity into p;
 * bit b of p is therefore the parity of all rows whose index has bit b set, XORed
 * together. Those XORs come from folding the block in halves: the upper half's XOR
 * is the accumulator for the top index bit, and lower ^ upper has the same XORs for
 * every lower bit, so fold again. Every pass is a flat loop over 64-bit words (two
 * rows each) that compilers vectorise; the parities are taken once at the end. q is
 * p or ~p depending on whether the count of odd rows is odd, which is the parity of
 * all rows together.
 */

#define FOLD_WORDS_MAX 512u /* half of an 8 KiB block */

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = ese_le64(p);
#endif
    return v;
}

static uint32_t parity32(uint32_t x)
{
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    return (0x6996u >> (x & 0xfu)) & 1u;
}

static uint32_t fold(uint64_t v)
{
    return (uint32_t)v ^ (uint32_t)(v >> 32);
}

uint32_t ese_checksum_legacy(const uint8_t *bytes, size_t length)
{
    uint64_t acc = 0;
    size_t words = length / 8, i;

    for (i = 0; i < words; i++) acc ^= load64(bytes + 8 * i);
    if (length % 8 >= 4) acc ^= ese_le32(bytes + 8 * words);
    if (length >= 4) acc ^= ese_le32(bytes); /* dword 0 is the stored checksum: leave it out */
    return ESE_MAGIC ^ fold(acc);
}

/* acc[j] = XOR of the 64-bit words whose word index has bit j set; returns the XOR
 * of all words. words is a power of two, 2..1024. */
static uint64_t xor_by_index_bits(const uint8_t *block, size_t words, uint64_t acc[10])
{
    uint64_t scratch[FOLD_WORDS_MAX], upper = 0;
    size_t half = words / 2;
    unsigned bit = 0;

    while ((2u << bit) < words) bit++;
    for (size_t i = 0; i < half; i++) {
        uint64_t high = load64(block + 8 * (i + half));
        upper ^= high;
        scratch[i] = load64(block + 8 * i) ^ high;
    }
    acc[bit] = upper;
    for (size_t n = half; n > 1; n /= 2) {
        size_t h = n / 2;
        upper = 0;
        for (size_t i = 0; i < h; i++) {
            upper ^= scratch[i + h];
            scratch[i] ^= scratch[i + h];
        }
        acc[--bit] = upper;
    }
    return scratch[0];
}

static uint32_t column_bits(uint32_t col)
{
    static const uint32_t masks[5] = { 0xaaaaaaaau, 0xccccccccu, 0xf0f0f0f0u, 0xff00ff00u, 0xffff0000u };
    uint32_t r5 = 0;
    for (unsigned c = 0; c < 5; c++) r5 |= parity32(col & masks[c]) << c;
    return r5;
}

uint64_t ese_checksum_xe_block(const uint8_t *block, size_t length, uint32_t pgno, int header_block)
{
    uint64_t acc[10] = { 0 };
    uint64_t total, first;
    uint32_t rows = (uint32_t)(length / 4), col, p, q, r5, s5, ecc;

    if (length < 1024 || length > 8192 || (length & (length - 1))) return 0;
    total = xor_by_index_bits(block, length / 8, acc);
    if (header_block) {
        /* The stored checksum (word 0) counts as zero: take it back out. Word 0 has
         * index 0, so it sits in no per-bit accumulator. */
        first = load64(block);
        total ^= first;
    }
    col = fold(total);
    p = parity32((uint32_t)(total >> 32)); /* row-index bit 0: the high half of each word */
    for (unsigned b = 1; b < 11; b++) p |= parity32(fold(acc[b - 1])) << b;
    p &= rows - 1;
    q = parity32(col) ? ~p : p;
    r5 = column_bits(col);
    s5 = parity32(col) ? ~r5 : r5;
    ecc = ((q & (rows - 1)) << 21) | ((s5 & 31u) << 16) | ((p & (rows - 1)) << 5) | (r5 & 31u);
    return ((uint64_t)ecc << 32) | (col ^ pgno);
}

int ese_page_size_valid(uint32_t page_size)
{
    return page_size == 2048 || page_size == 4096 || page_size == 8192 || page_size == 16384 ||
           page_size == 32768;
}

/* 16 KiB pages use 4 KiB blocks for backwards compatibility, 32 KiB use 8 KiB (§2.3). */
static size_t block_length(size_t page_size)
{
    if (page_size <= 8192) return page_size;
    return page_size == 16384 ? 4096 : 8192;
}

size_t ese_page_checksums(const uint8_t *page, size_t page_size, uint32_t pgno,
                          int new_format, uint64_t out[4])
{
    size_t block;

    if (!ese_page_size_valid((uint32_t)page_size)) return 0;
    if (!new_format) {
        if (page_size > 8192) return 0; /* large pages always use the new format */
        out[0] = ((uint64_t)pgno << 32) | ese_checksum_legacy(page, page_size);
        return 1;
    }
    block = block_length(page_size);
    if (block == page_size) {
        out[0] = ese_checksum_xe_block(page, page_size, pgno, 1);
        return 1;
    }
    for (size_t i = 1; i < 4; i++) out[i] = ese_checksum_xe_block(page + i * block, block, pgno, 0);
    out[0] = ese_checksum_xe_block(page, block, pgno, 1);
    return 4;
}

static unsigned popcount32(uint32_t x)
{
    unsigned n = 0;
    for (; x; x &= x - 1) n++;
    return n;
}

/* FECCErrorIsCorrectable (§2.3): one flipped data bit leaves this fingerprint. */
static int ecc_correctable(uint64_t stored, uint64_t computed, size_t block)
{
    uint32_t d = (uint32_t)(stored >> 32) ^ (uint32_t)(computed >> 32);
    uint32_t mask = (uint32_t)(block * 8 - 1);
    uint32_t x = (uint32_t)stored ^ (uint32_t)computed;
    return (((d >> 16) ^ d) & mask) == mask && popcount32(x) == 1;
}

/* esentutl's trailer page: header format, dwords 1, 2, 3 and 6 zero (§2.4 step 4). */
static int is_trailer(const uint8_t *page, size_t page_size)
{
    return ese_le32(page + 4) == 0 && ese_le32(page + 8) == 0 && ese_le32(page + 12) == 0 &&
           ese_le32(page + 24) == 0 && ese_le32(page) == ese_checksum_legacy(page, page_size);
}

static enum ese_page_status check_new(const uint8_t *page, size_t page_size, uint32_t pgno,
                                      struct ese_page_check *out)
{
    uint64_t want[4];
    size_t count = ese_page_checksums(page, page_size, pgno, 1, want), block = block_length(page_size);
    int correctable = 1, bad = 0;

    for (size_t i = 0; i < count; i++) {
        uint64_t stored = ese_le64(page + (i == 0 ? 0 : 40 + 8 * (i - 1)));
        if (stored == want[i]) continue;
        if (!bad) out->bad_block = (unsigned)i;
        bad = 1;
        correctable &= ecc_correctable(stored, want[i], block);
    }
    if (bad) {
        out->correctable = correctable;
        return ESE_PAGE_BAD_CHECKSUM;
    }
    if (page_size > 8192 && ese_le32(page + 64) != pgno) return ESE_PAGE_BAD_PGNO;
    return ESE_PAGE_OK;
}

static enum ese_page_status check_page(const uint8_t *page, size_t page_size, uint32_t pgno,
                                       struct ese_page_check *out)
{
    out->new_format = (page[37] & 0x20) != 0;
    if (out->new_format || page_size > 8192) return check_new(page, page_size, pgno, out);
    if (ese_le32(page) != ese_checksum_legacy(page, page_size)) return ESE_PAGE_BAD_CHECKSUM;
    return ese_le32(page + 4) == pgno ? ESE_PAGE_OK : ESE_PAGE_BAD_PGNO;
}

enum ese_page_status ese_check_page(const uint8_t *page, size_t page_size, uint32_t pgno,
                                    struct ese_page_check *out)
{
    struct ese_page_check local;
    enum ese_page_status status;

    if (!out) out = &local;
    memset(out, 0, sizeof(*out));
    if (!page || !ese_page_size_valid((uint32_t)page_size)) {
        out->status = ESE_PAGE_BAD_CHECKSUM;
        return out->status;
    }
    out->dbtime = ese_le64(page + 8);
    status = check_page(page, page_size, pgno, out);
    /* Only a failing page can be all zero (zero never verifies), so the zero scan
     * costs nothing on healthy data. */
    if (status != ESE_PAGE_OK && ese_all_zero(page, page_size)) {
        memset(out, 0, sizeof(*out));
        status = ESE_PAGE_UNUSED;
    } else if (status != ESE_PAGE_OK && is_trailer(page, page_size)) {
        out->correctable = 0;
        status = ESE_PAGE_TRAILER;
    }
    if (status == ESE_PAGE_OK || status == ESE_PAGE_UNUSED) out->correctable = 0;
    out->status = status;
    return status;
}
