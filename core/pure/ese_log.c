/* core/pure/ese_log.c: transaction log headers and segments, the checkpoint file, and ESE's file names. */
#include "pure/ese_internal.h"

#include <stdio.h>

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Case-insensitive prefix match; returns the rest of s or NULL. */
static const char *skip_prefix(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (lower((unsigned char)*s) != lower((unsigned char)*prefix)) return NULL;
    return s;
}

static int is_exactly(const char *s, const char *text)
{
    const char *rest = skip_prefix(s, text);
    return rest && *rest == '\0';
}

static int hex_value(int c)
{
    c = lower(c);
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static int count_digits(const char *s, int hex)
{
    int n = 0;
    while (s[n] && (hex ? hex_value((unsigned char)s[n]) >= 0 : (s[n] >= '0' && s[n] <= '9'))) n++;
    return n;
}

enum ese_name_kind ese_classify_name(const char *file_name, const char *base, int32_t *generation)
{
    const char *rest;
    int digits;

    if (generation) *generation = 0;
    if (!file_name) return ESE_NAME_OTHER;
    if (!base) base = "edb";
    if (!(rest = skip_prefix(file_name, base))) return ESE_NAME_OTHER;
    if (is_exactly(rest, ".log")) return ESE_NAME_CURRENT_LOG;
    if (is_exactly(rest, ".chk")) return ESE_NAME_CHECKPOINT;
    if (is_exactly(rest, "tmp.log")) return ESE_NAME_TMP_LOG;
    if (skip_prefix(rest, "res") && count_digits(rest + 3, 0) == 5 && is_exactly(rest + 8, ".jrs"))
        return ESE_NAME_RESERVE_LOG;
    digits = count_digits(rest, 1);
    if ((digits == 5 || digits == 8) && is_exactly(rest + digits, ".log")) {
        uint32_t value = 0;
        for (int i = 0; i < digits; i++) value = value << 4 | (uint32_t)hex_value((unsigned char)rest[i]);
        if (value == 0 || value > 0x7fffffffu) return ESE_NAME_OTHER;
        if (generation) *generation = (int32_t)value;
        return ESE_NAME_ARCHIVED_LOG;
    }
    return ESE_NAME_OTHER;
}

static void set_damaged(char *out, size_t out_length, const char *reason)
{
    if (out[0]) return; /* the first reason is the strongest */
    ese_set_text(out, out_length, "damaged: ");
    ese_append(out, out_length, reason);
}

/* ---- log header (§3.2) ---- */

static void read_log_fields(const uint8_t *h, struct ese_log_header *out)
{
    out->generation = (int32_t)ese_le32(h + 4);
    out->sector_length = ese_le16(h + 8);
    out->header_sectors = ese_le16(h + 10);
    out->file_sectors = ese_le16(h + 12);
    out->db_page_size = ese_le16(h + 14);
    ese_read_logtime(h + 16, &out->created);
    ese_read_logtime(h + 24, &out->previous_created);
    out->version_major = ese_le32(h + 32);
    out->version_minor = ese_le32(h + 36);
    out->version_update_major = ese_le32(h + 40);
    ese_read_signature(h + 44, &out->log_signature);
    out->flags = h[639];
    ese_read_lgpos(h + 640, &out->checkpoint);
    out->version_update_minor = ese_le32(h + 648);
    out->file_type = ese_le32(h + 667);
}

/* Format 8 logs: each segment verifies like a page of cbSec bytes numbered by its
 * sector. The segment after the last one may be its shadow copy: it verifies with
 * the previous number, and that is normal (§3.3). */
static void check_segments(const uint8_t *bytes, struct ese_log_header *out)
{
    size_t sector = out->sector_length;

    out->segments_checked = 1;
    for (uint32_t s = out->header_sectors; s < out->file_sectors; s++) {
        const uint8_t *segment = bytes + (size_t)s * sector;
        enum ese_page_status status = ese_check_page(segment, sector, s, NULL);
        if (status == ESE_PAGE_OK)
            out->segments_ok++;
        else if (status == ESE_PAGE_UNUSED)
            out->segments_unused++;
        else if (s > 0 && ese_check_page(segment, sector, s - 1, NULL) == ESE_PAGE_OK)
            out->segments_shadow++;
        else
            out->segments_bad++;
    }
}

static int geometry_ok(const struct ese_log_header *out)
{
    return (out->sector_length == 512 || out->sector_length == 1024 || out->sector_length == 2048 ||
            out->sector_length == 4096) &&
           out->header_sectors >= 1 && (uint32_t)out->header_sectors * out->sector_length >= 4096 &&
           out->file_sectors > out->header_sectors;
}

static void check_log(const uint8_t *bytes, size_t length, struct ese_log_header *out)
{
    char text[96];

    if (!out->checksum_ok) set_damaged(out->damaged, sizeof(out->damaged), "the log header fails its checksum");
    if (out->file_type != 0 && out->file_type != 3) {
        snprintf(text, sizeof(text), "file type %u is not a transaction log", (unsigned)out->file_type);
        set_damaged(out->damaged, sizeof(out->damaged), text);
    }
    if (!geometry_ok(out)) set_damaged(out->damaged, sizeof(out->damaged), "the log header's sizes make no sense");
    out->size_matches = (uint64_t)out->file_sectors * out->sector_length == out->file_length;
    if (!out->size_matches)
        set_damaged(out->damaged, sizeof(out->damaged), "the file size does not match the size in its header");
    out->generation_matches_name = out->name_kind != ESE_NAME_ARCHIVED_LOG || out->name_generation == out->generation;
    if (!out->generation_matches_name)
        set_damaged(out->damaged, sizeof(out->damaged), "its name does not match the generation inside it");
    if (out->damaged[0] || out->version_major < 8 || length < out->file_length) return;
    if (!ese_page_size_valid(out->sector_length)) return;
    check_segments(bytes, out);
    if (out->segments_bad) {
        snprintf(text, sizeof(text), "%u log segments fail their checksums", (unsigned)out->segments_bad);
        set_damaged(out->damaged, sizeof(out->damaged), text);
    }
}

int ese_parse_log(const uint8_t *bytes, size_t length, uint64_t file_length,
                  const char *file_name, struct ese_log_header *out)
{
    memset(out, 0, sizeof(*out));
    if (!bytes) length = 0;
    if (file_name) ese_set_text(out->file_name, sizeof(out->file_name), file_name);
    out->name_kind = ese_classify_name(file_name, NULL, &out->name_generation);
    out->file_length = file_length ? file_length : length;
    out->generation_matches_name = 1;
    if (out->file_length == 0) {
        out->status = ESE_FILE_EMPTY;
        set_damaged(out->damaged, sizeof(out->damaged), "the file is empty");
        return 0;
    }
    if (length == 0) {
        /* Nothing was read of a file that has bytes: not "all zero", just unknown. */
        out->status = ESE_FILE_DAMAGED;
        set_damaged(out->damaged, sizeof(out->damaged), "not read");
        return 0;
    }
    if (ese_all_zero(bytes, length)) {
        /* Pre-created edbtmp.log and edbres*.jrs are zero bytes since log 8.4000.2 (§3.3). */
        out->status = ESE_FILE_ZERO_FILLED;
        if (out->name_kind != ESE_NAME_TMP_LOG && out->name_kind != ESE_NAME_RESERVE_LOG)
            set_damaged(out->damaged, sizeof(out->damaged), "the log is all zero bytes");
        return 0;
    }
    out->status = ESE_FILE_DAMAGED;
    if (length < ESE_HEADER_LENGTH) {
        set_damaged(out->damaged, sizeof(out->damaged), "the file ends inside the log header");
        return 0;
    }
    out->checksum_ok = ese_le32(bytes) == ese_checksum_legacy(bytes, ESE_HEADER_LENGTH);
    read_log_fields(bytes, out);
    check_log(bytes, length, out);
    if (!out->damaged[0]) out->status = ESE_FILE_OK;
    return out->status == ESE_FILE_OK;
}

/* ---- checkpoint (§3.4) ---- */

static enum ese_copy_status checkpoint_copy(const uint8_t *bytes, size_t length, size_t offset)
{
    if (length < offset + ESE_HEADER_LENGTH) return ESE_COPY_MISSING;
    return ese_le32(bytes + offset) == ese_checksum_legacy(bytes + offset, ESE_HEADER_LENGTH) ? ESE_COPY_OK
                                                                                              : ESE_COPY_BAD;
}

int ese_parse_checkpoint(const uint8_t *bytes, size_t length, struct ese_checkpoint *out)
{
    const uint8_t *copy;
    char text[64];

    memset(out, 0, sizeof(*out));
    if (!bytes) length = 0;
    if (length == 0) {
        out->status = ESE_FILE_EMPTY;
        set_damaged(out->damaged, sizeof(out->damaged), "the checkpoint file is empty");
        return 0;
    }
    if (ese_all_zero(bytes, length)) {
        out->status = ESE_FILE_ZERO_FILLED;
        set_damaged(out->damaged, sizeof(out->damaged), "the checkpoint file is all zero bytes");
        return 0;
    }
    out->status = ESE_FILE_DAMAGED;
    out->primary = checkpoint_copy(bytes, length, 0);
    out->shadow = checkpoint_copy(bytes, length, ESE_HEADER_LENGTH);
    if (out->primary != ESE_COPY_OK && out->shadow != ESE_COPY_OK) {
        set_damaged(out->damaged, sizeof(out->damaged),
                    length < ESE_HEADER_LENGTH ? "the checkpoint file is too short"
                                               : "neither checkpoint copy passes its checksum");
        return 0;
    }
    out->copies_differ = out->primary == ESE_COPY_OK && out->shadow == ESE_COPY_OK &&
                         memcmp(bytes, bytes + ESE_HEADER_LENGTH, ESE_HEADER_LENGTH) != 0;
    copy = out->primary == ESE_COPY_OK ? bytes : bytes + ESE_HEADER_LENGTH;
    ese_read_lgpos(copy + 12, &out->checkpoint);
    ese_read_signature(copy + 20, &out->log_signature);
    out->file_type = ese_le32(copy + 667);
    if (out->file_type != 0 && out->file_type != 4) {
        snprintf(text, sizeof(text), "file type %u is not a checkpoint", (unsigned)out->file_type);
        set_damaged(out->damaged, sizeof(out->damaged), text);
        return 0;
    }
    out->status = ESE_FILE_OK;
    return 1;
}
