/* tests/support/ese_writer.h: test-only writer of ESE databases, logs and checkpoints, with damage helpers. */
#ifndef CSD_ESE_WRITER_H
#define CSD_ESE_WRITER_H

/*
 * Written from research/ese-format.md, not from our parser: the checksums here are a
 * second, deliberately plain row-by-row implementation of §1.3/§2.2/§2.3, so a test that
 * feeds writer output to core/pure/ese.c checks one reading of the document against
 * another. Buffers returned by ew_make_* are malloc'd; free() them.
 */

#include <stddef.h>
#include <stdint.h>

/* ---- reference checksums (slow, straight from the document) ---- */
uint32_t ew_ref_checksum_legacy(const uint8_t *bytes, size_t length);
uint64_t ew_ref_checksum_xe(const uint8_t *block, size_t length, uint32_t pgno, int header_block);
/* Stores the right checksum(s) into a page (blocks 1..3 first, then block 0). */
void ew_set_page_checksum(uint8_t *page, size_t page_size, uint32_t pgno, int new_format);
/* Stores the header checksum (dword 0) of a header copy of `length` bytes. */
void ew_set_header_checksum(uint8_t *header, size_t length);

/* A plausible data page: PGHDR (PGHDR2 for > 8 KiB), pseudo-random payload, checksum. */
void ew_fill_data_page(uint8_t *page, size_t page_size, uint32_t pgno, int new_format, uint32_t seed);

/* ---- signatures and times ---- */
/* A SIGNATURE (28 bytes): random + a fixed creation time + empty computer name. */
void ew_make_signature(uint8_t out[28], uint32_t random);
/* A LOGTIME `seconds` after 2024-02-26 10:00:00 (seconds < 86400 * 28). */
void ew_make_logtime(uint8_t out[8], uint32_t seconds);

/* ---- databases ---- */
struct ew_db_options {
    uint32_t page_size;       /* 4096, 8192, 16384, 32768 (2048 too) */
    uint32_t page_count;      /* data pages after the two header pages */
    uint32_t used_pages;      /* pages 1..used_pages hold data, the rest stay zero */
    int new_format;           /* XOR+ECC checksums (forced for large pages) */
    uint32_t state;           /* 3 clean, 2 dirty, ... */
    uint32_t db_random, log_random; /* signatures */
    int32_t gen_min_required, gen_max_required;
    uint32_t revision;        /* 0x14 by default */
    uint32_t bad_checksum_count;
    int page_size_field_zero; /* write 0 at offset 236 (old files) */
    uint32_t seed;
};

void ew_db_defaults(struct ew_db_options *options, uint32_t page_size, uint32_t page_count);
/* One header copy of options->page_size bytes. */
void ew_write_db_header(uint8_t *page, const struct ew_db_options *options);
/* The header dbtime written (every data page's dbtime is below it). */
uint64_t ew_db_dbtime(const struct ew_db_options *options);
uint8_t *ew_make_db(const struct ew_db_options *options, size_t *length);

/* ---- logs and checkpoint ---- */
struct ew_log_options {
    int32_t generation;
    uint32_t log_random;      /* the signature of the set */
    uint16_t sector_length;   /* 4096 */
    uint16_t file_sectors;    /* file length = file_sectors * sector_length */
    uint32_t used_segments;   /* data segments written after the header */
    int shadow_segment;       /* repeat the last used segment after it, as ESE does */
    uint32_t time_base;       /* tmCreate = time_base + generation seconds */
};

void ew_log_defaults(struct ew_log_options *options, int32_t generation, uint32_t log_random);
void ew_write_log_header(uint8_t header[4096], const struct ew_log_options *options);
uint8_t *ew_make_log(const struct ew_log_options *options, size_t *length);
/* "edb0000D.log" style names (upper-case hex, 5 digits, 8 beyond 0xFFFFF). */
void ew_log_name(char *out, size_t out_length, int32_t generation);

/* edb.chk: two identical 4096-byte copies. */
uint8_t *ew_make_checkpoint(uint32_t log_random, int32_t generation, size_t *length);

/* ---- real samples (see tests/testdata.cmake) ---- */
/* Reads a whole file; NULL if it cannot. */
uint8_t *ew_read_file(const char *path, size_t *length);
/* Reads <dir>/ese/<name>, dir from the environment variable CSD_TESTDATA_OUT, else
 * `compiled_dir` (the test's CSD_TESTDATA_OUT definition). NULL when missing: skip(). */
uint8_t *ew_load_sample_from(const char *compiled_dir, const char *name, size_t *length);
#ifdef CSD_TESTDATA_OUT
#define EW_TESTDATA_OUT CSD_TESTDATA_OUT
#else
#define EW_TESTDATA_OUT NULL
#endif
#define ew_load_sample(name, length) ew_load_sample_from(EW_TESTDATA_OUT, (name), (length))

/* ---- damage ---- */
void ew_flip_bit(uint8_t *bytes, size_t bit);
void ew_put32(uint8_t *p, uint32_t value);

#endif
