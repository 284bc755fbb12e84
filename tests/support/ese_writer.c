/* tests/support/ese_writer.c: test-only writer of ESE files, straight from research/ese-format.md. */
#include "support/ese_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC 0x89abcdefu

void ew_put32(uint8_t *p, uint32_t value)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(value >> (8 * i));
}

static void put16(uint8_t *p, uint16_t value)
{
    p[0] = (uint8_t)value;
    p[1] = (uint8_t)(value >> 8);
}

static void put64(uint8_t *p, uint64_t value)
{
    ew_put32(p, (uint32_t)value);
    ew_put32(p + 4, (uint32_t)(value >> 32));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void ew_flip_bit(uint8_t *bytes, size_t bit)
{
    bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

/* §1.3: seed 0x89abcdef, XOR of dwords 1..n-1. */
uint32_t ew_ref_checksum_legacy(const uint8_t *bytes, size_t length)
{
    uint32_t sum = MAGIC;
    for (size_t i = 1; i < length / 4; i++) sum ^= get32(bytes + 4 * i);
    return sum;
}

static int odd_parity(uint32_t x)
{
    int n = 0;
    for (; x; x >>= 1) n ^= (int)(x & 1);
    return n;
}

/* §2.3, row by row exactly as the pseudo-code reads. */
uint64_t ew_ref_checksum_xe(const uint8_t *block, size_t length, uint32_t pgno, int header_block)
{
    uint32_t rows = (uint32_t)(length / 4), col = 0, p = 0, q = 0, r5 = 0, s5 = 0, ecc;

    for (uint32_t row = header_block ? 2 : 0; row < rows; row++) {
        uint32_t r = get32(block + 4 * row);
        col ^= r;
        if (odd_parity(r)) {
            p ^= row;
            q ^= ~row;
        }
    }
    for (uint32_t bit = 0; bit < 32; bit++) {
        if (col & (1u << bit)) {
            r5 ^= bit;
            s5 ^= ~bit;
        }
    }
    ecc = ((q & (rows - 1)) << 21) | ((s5 & 31) << 16) | ((p & (rows - 1)) << 5) | (r5 & 31);
    return ((uint64_t)ecc << 32) | (col ^ pgno);
}

void ew_set_page_checksum(uint8_t *page, size_t page_size, uint32_t pgno, int new_format)
{
    size_t block = page_size <= 8192 ? page_size : page_size == 16384 ? 4096 : 8192;

    if (!new_format && page_size <= 8192) {
        ew_put32(page + 4, pgno);
        ew_put32(page, ew_ref_checksum_legacy(page, page_size));
        return;
    }
    if (block < page_size)
        for (size_t i = 1; i < 4; i++)
            put64(page + 40 + 8 * (i - 1), ew_ref_checksum_xe(page + i * block, block, pgno, 0));
    put64(page, ew_ref_checksum_xe(page, block, pgno, 1));
}

void ew_set_header_checksum(uint8_t *header, size_t length)
{
    ew_put32(header, ew_ref_checksum_legacy(header, length));
}

static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state;
}

void ew_fill_data_page(uint8_t *page, size_t page_size, uint32_t pgno, int new_format, uint32_t seed)
{
    uint32_t state = seed * 2654435761u ^ pgno;
    size_t header = page_size > 8192 ? 80 : 40;
    uint32_t flags = 0x0802 | (new_format || page_size > 8192 ? 0x2000u : 0);

    memset(page, 0, header);
    put64(page + 8, 1000 + pgno % 97);          /* dbtimeDirtied, below the header's */
    ew_put32(page + 24, 2 + pgno % 5);          /* objidFDP */
    put16(page + 28, (uint16_t)(page_size / 8)); /* cbFree */
    ew_put32(page + 36, flags);
    if (page_size > 8192) ew_put32(page + 64, pgno); /* PGHDR2.pgno */
    for (size_t i = header; i + 4 <= page_size; i += 4) ew_put32(page + i, next_random(&state));
    ew_set_page_checksum(page, page_size, pgno, new_format);
}

/* ---- times and signatures (§1.4) ---- */

void ew_make_logtime(uint8_t out[8], uint32_t seconds)
{
    uint32_t total = 10 * 3600 + seconds;

    out[0] = (uint8_t)(total % 60);
    out[1] = (uint8_t)(total / 60 % 60);
    out[2] = (uint8_t)(total / 3600 % 24);
    uint32_t day = 26 + total / 86400, month = 2;

    if (day > 29) { /* February 2024 has 29 days */
        day -= 29;
        month = 3;
    }
    out[3] = (uint8_t)day;
    out[4] = (uint8_t)month;
    out[5] = 124; /* 2024 - 1900 */
    out[6] = 1;   /* UTC, no milliseconds */
    out[7] = 0;
}

void ew_make_signature(uint8_t out[28], uint32_t random)
{
    memset(out, 0, 28);
    ew_put32(out, random);
    ew_make_logtime(out + 4, 0);
}

/* ---- databases (§1.2) ---- */

void ew_db_defaults(struct ew_db_options *options, uint32_t page_size, uint32_t page_count)
{
    memset(options, 0, sizeof(*options));
    options->page_size = page_size;
    options->page_count = page_count;
    options->used_pages = page_count;
    options->new_format = 1;
    options->state = 3;
    options->db_random = 0x1234abcd;
    options->log_random = 0x5eed0001;
    options->revision = 0x14;
    options->seed = 1;
}

uint64_t ew_db_dbtime(const struct ew_db_options *options)
{
    (void)options;
    return 2000;
}

void ew_write_db_header(uint8_t *page, const struct ew_db_options *o)
{
    memset(page, 0, o->page_size);
    ew_put32(page + 4, MAGIC);
    ew_put32(page + 8, 0x620);
    put64(page + 16, ew_db_dbtime(o));
    ew_make_signature(page + 24, o->db_random);
    ew_put32(page + 52, o->state);
    if (o->state == 3) { /* clean: lgposConsistent = lgposDetach, logtimes set */
        put16(page + 58, 3);
        ew_put32(page + 60, 1);
        memcpy(page + 96, page + 56, 8);
        ew_make_logtime(page + 64, 50);
        ew_make_logtime(page + 88, 50);
    }
    ew_make_logtime(page + 72, 10);
    ew_put32(page + 84, 1);
    ew_make_signature(page + 108, o->log_random);
    ew_put32(page + 216, 10);
    ew_put32(page + 224, 19041);
    ew_put32(page + 232, o->revision);
    ew_put32(page + 236, o->page_size_field_zero ? 0 : o->page_size);
    ew_put32(page + 296, (uint32_t)o->gen_min_required);
    ew_put32(page + 300, (uint32_t)o->gen_max_required);
    ew_put32(page + 400, o->bad_checksum_count);
    page[667] = 1; /* JET_filetypeDatabase */
    ew_set_header_checksum(page, o->page_size);
}

uint8_t *ew_make_db(const struct ew_db_options *o, size_t *length)
{
    size_t page_size = o->page_size, total = page_size * ((size_t)o->page_count + 2);
    uint8_t *bytes = calloc(1, total);

    if (!bytes) return NULL;
    ew_write_db_header(bytes, o);
    memcpy(bytes + page_size, bytes, page_size);
    for (uint32_t pgno = 1; pgno <= o->used_pages && pgno <= o->page_count; pgno++)
        ew_fill_data_page(bytes + (pgno + 1) * page_size, page_size, pgno, o->new_format, o->seed);
    *length = total;
    return bytes;
}

/* ---- logs (§3.2, §3.3) ---- */

void ew_log_defaults(struct ew_log_options *options, int32_t generation, uint32_t log_random)
{
    memset(options, 0, sizeof(*options));
    options->generation = generation;
    options->log_random = log_random;
    options->sector_length = 4096;
    options->file_sectors = 16;
    options->used_segments = 3;
    options->time_base = 100;
}

void ew_write_log_header(uint8_t header[4096], const struct ew_log_options *o)
{
    memset(header, 0, 4096);
    ew_put32(header + 4, (uint32_t)o->generation);
    put16(header + 8, o->sector_length);
    put16(header + 10, (uint16_t)(4096 / o->sector_length ? 4096 / o->sector_length : 1));
    put16(header + 12, o->file_sectors);
    put16(header + 14, 4096);
    ew_make_logtime(header + 16, o->time_base + (uint32_t)o->generation);
    ew_make_logtime(header + 24, o->time_base + (uint32_t)o->generation - 1);
    ew_put32(header + 32, 8);
    ew_put32(header + 36, 4000);
    ew_put32(header + 40, 60);
    ew_make_signature(header + 44, o->log_random);
    memcpy(header + 72, "C:\\Windows\\system32\\catroot2\\", 29);
    header[639] = 0x02; /* circular logging */
    ew_put32(header + 644, (uint32_t)o->generation);
    header[667] = 3;    /* JET_filetypeLog */
    ew_set_header_checksum(header, 4096);
}

/* A segment is checked like a database page of cbSec bytes with pgno = its sector. */
static void write_segment(uint8_t *segment, size_t length, uint32_t sector, int32_t generation)
{
    uint32_t state = sector * 7919u + (uint32_t)generation;
    memset(segment, 0, length);
    put16(segment + 10, (uint16_t)sector);
    ew_put32(segment + 12, (uint32_t)generation);
    ew_make_logtime(segment + 16, 200);
    ew_put32(segment + 36, 0x2000);
    for (size_t i = 40; i + 4 <= length / 2; i += 4) ew_put32(segment + i, next_random(&state));
    ew_set_page_checksum(segment, length, sector, 1);
}

uint8_t *ew_make_log(const struct ew_log_options *o, size_t *length)
{
    size_t sector = o->sector_length, total = sector * o->file_sectors;
    uint8_t *bytes = calloc(1, total ? total : 1);
    uint32_t first = (uint32_t)(4096 / sector ? 4096 / sector : 1), s;

    if (!bytes || total < 4096) {
        free(bytes);
        return NULL;
    }
    ew_write_log_header(bytes, o);
    for (s = first; s < first + o->used_segments && s < o->file_sectors; s++)
        write_segment(bytes + s * sector, sector, s, o->generation);
    if (o->shadow_segment && s > first && s < o->file_sectors)
        memcpy(bytes + s * sector, bytes + (s - 1) * sector, sector);
    *length = total;
    return bytes;
}

void ew_log_name(char *out, size_t out_length, int32_t generation)
{
    snprintf(out, out_length, generation > 0xfffff ? "edb%08X.log" : "edb%05X.log", (unsigned)generation);
}

/* ---- checkpoint (§3.4) ---- */

uint8_t *ew_make_checkpoint(uint32_t log_random, int32_t generation, size_t *length)
{
    uint8_t *bytes = calloc(1, 8192);

    if (!bytes) return NULL;
    put16(bytes + 12 + 2, 1);                 /* lgposCheckpoint.isec */
    ew_put32(bytes + 16, (uint32_t)generation); /* lgposCheckpoint.lGeneration */
    ew_make_signature(bytes + 20, log_random);
    bytes[667] = 4;                           /* JET_filetypeCheckpoint */
    ew_set_header_checksum(bytes, 4096);
    memcpy(bytes + 4096, bytes, 4096);
    *length = 8192;
    return bytes;
}

/* ---- real samples ---- */

uint8_t *ew_read_file(const char *path, size_t *length)
{
    FILE *file = fopen(path, "rb");
    uint8_t *bytes = NULL;
    long size;

    if (!file) return NULL;
    if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 && fseek(file, 0, SEEK_SET) == 0) {
        bytes = malloc((size_t)size + 1);
        if (bytes && fread(bytes, 1, (size_t)size, file) != (size_t)size) {
            free(bytes);
            bytes = NULL;
        }
        if (bytes) *length = (size_t)size;
    }
    fclose(file);
    return bytes;
}

uint8_t *ew_load_sample_from(const char *compiled_dir, const char *name, size_t *length)
{
    const char *dir = getenv("CSD_TESTDATA_OUT");
    char path[1024];

    if (!dir || !*dir) dir = compiled_dir;
    if (!dir) return NULL;
    snprintf(path, sizeof(path), "%s/ese/%s", dir, name);
    return ew_read_file(path, length);
}
