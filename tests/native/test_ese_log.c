/* tests/native/test_ese_log.c: log file names, log headers and segments, and the checkpoint file. */
#include "harness/test.h"
#include "pure/ese.h"
#include "support/ese_writer.h"

#include <stdlib.h>
#include <string.h>

static void test_names(void)
{
    int32_t g;

    ok(ese_classify_name("edb.log", NULL, &g) == ESE_NAME_CURRENT_LOG, "edb.log\n");
    ok(ese_classify_name("Edb.LOG", "edb", &g) == ESE_NAME_CURRENT_LOG, "case\n");
    ok(ese_classify_name("edb0000D.log", NULL, &g) == ESE_NAME_ARCHIVED_LOG && g == 13, "edb0000D = 13: %d\n", (int)g);
    ok(ese_classify_name("EDB0a1b2.log", NULL, &g) == ESE_NAME_ARCHIVED_LOG && g == 0xa1b2, "lower hex\n");
    ok(ese_classify_name("edb00100000.log", NULL, &g) == ESE_NAME_ARCHIVED_LOG && g == 0x100000, "8 digits\n");
    ok(ese_classify_name("edbtmp.log", NULL, &g) == ESE_NAME_TMP_LOG, "tmp\n");
    ok(ese_classify_name("edbres00001.jrs", NULL, &g) == ESE_NAME_RESERVE_LOG, "reserve\n");
    ok(ese_classify_name("edb.chk", NULL, &g) == ESE_NAME_CHECKPOINT, "chk\n");
    ok(ese_classify_name("edbres1.jrs", NULL, &g) == ESE_NAME_OTHER, "short reserve\n");
    ok(ese_classify_name("edb0000G.log", NULL, &g) == ESE_NAME_OTHER, "not hex\n");
    ok(ese_classify_name("edb00000.log", NULL, &g) == ESE_NAME_OTHER, "generation 0\n");
    ok(ese_classify_name("edb000001.log", NULL, &g) == ESE_NAME_OTHER, "6 digits\n");
    ok(ese_classify_name("edb.log.bak", NULL, &g) == ESE_NAME_OTHER, "suffix\n");
    ok(ese_classify_name("ed", NULL, &g) == ESE_NAME_OTHER && ese_classify_name(NULL, NULL, &g) == ESE_NAME_OTHER,
       "short / NULL\n");
    ok(ese_classify_name("RVN.log", "RVN", &g) == ESE_NAME_CURRENT_LOG, "other base\n");
}

static uint8_t *log_bytes(int32_t generation, size_t *length, struct ew_log_options *o)
{
    ew_log_defaults(o, generation, 0x5eed0001);
    o->shadow_segment = 1;
    return ew_make_log(o, length);
}

static void test_written_log(void)
{
    struct ew_log_options o;
    struct ese_log_header h;
    size_t length;
    uint8_t *bytes = log_bytes(13, &length, &o);

    ok(ese_parse_log(bytes, length, 0, "edb0000D.log", &h), "log ok: %s\n", h.damaged);
    ok(h.generation == 13 && h.name_generation == 13 && h.generation_matches_name, "generation\n");
    ok(h.sector_length == 4096 && h.file_sectors == 16 && h.size_matches && h.file_type == 3, "geometry\n");
    ok(h.segments_checked && h.segments_ok == 3 && h.segments_shadow == 1 && h.segments_bad == 0 &&
           h.segments_unused == 11, "segments %u ok %u shadow %u bad %u unused\n", (unsigned)h.segments_ok,
       (unsigned)h.segments_shadow, (unsigned)h.segments_bad, (unsigned)h.segments_unused);
    ok(h.created.is_set && h.previous_created.is_set && h.created.second != h.previous_created.second, "times\n");
    ok(h.log_signature.random == 0x5eed0001 && h.version_major == 8 && (h.flags & 2), "signature, version\n");
    ok(strcmp(h.file_name, "edb0000D.log") == 0, "name kept\n");
    /* Header only, as a scanner of 100 000 logs reads them. */
    ok(ese_parse_log(bytes, 4096, length, "edb0000D.log", &h) && !h.segments_checked, "header only\n");
    ok(!ese_parse_log(bytes, length, 0, "edb0000E.log", &h) && !h.generation_matches_name &&
           strstr(h.damaged, "name"), "misnamed: %s\n", h.damaged);
    ok(!ese_parse_log(bytes, length - 4096, 0, "edb.log", &h) && !h.size_matches, "truncated: %s\n", h.damaged);
    ew_flip_bit(bytes + 3 * 4096, 8 * 100);
    ok(!ese_parse_log(bytes, length, 0, "edb.log", &h) && h.segments_bad == 1 && strstr(h.damaged, "segment"),
       "bad segment: %s\n", h.damaged);
    ew_flip_bit(bytes, 8 * 700);
    ok(!ese_parse_log(bytes, length, 0, "edb.log", &h) && !h.checksum_ok && strstr(h.damaged, "checksum"),
       "bad header: %s\n", h.damaged);
    free(bytes);
}

static void test_zero_and_empty(void)
{
    struct ese_log_header h;
    uint8_t *zeros = calloc(1, 65536);

    ok(!ese_parse_log(zeros, 65536, 0, "edbtmp.log", &h) && h.status == ESE_FILE_ZERO_FILLED && !h.damaged[0],
       "zero edbtmp.log is normal\n");
    ok(!ese_parse_log(zeros, 65536, 0, "edbres00002.jrs", &h) && h.status == ESE_FILE_ZERO_FILLED && !h.damaged[0],
       "zero reserve log is normal\n");
    ok(!ese_parse_log(zeros, 65536, 0, "edb.log", &h) && h.damaged[0], "zero edb.log is damage\n");
    ok(!ese_parse_log(zeros, 0, 0, "edb00001.log", &h) && h.status == ESE_FILE_EMPTY && h.damaged[0], "empty\n");
    ok(!ese_parse_log(NULL, 10, 0, NULL, &h), "NULL\n");
    /* Nothing read of a file that has bytes: not read, not "all zero bytes". */
    ok(!ese_parse_log(zeros, 0, 65536, "edb.log", &h) && h.status == ESE_FILE_DAMAGED &&
       strstr(h.damaged, "not read") && !strstr(h.damaged, "zero"), "nothing read: %s\n", h.damaged);
    ok(!ese_parse_log(NULL, 0, 65536, "edbtmp.log", &h) && h.status == ESE_FILE_DAMAGED &&
       strstr(h.damaged, "not read") && !strstr(h.damaged, "zero"), "nothing read of edbtmp.log: %s\n", h.damaged);
    zeros[10] = 1;
    ok(!ese_parse_log(zeros, 100, 0, "edb.log", &h) && strstr(h.damaged, "inside the log header"), "short: %s\n",
       h.damaged);
    free(zeros);
}

static void test_hostile_logs(void)
{
    struct ew_log_options o;
    struct ese_log_header h;
    size_t length;
    uint8_t *bytes = log_bytes(2, &length, &o), *copy;
    uint32_t seed = 7;

    for (size_t cut = 0; cut < length; cut += 1531) {
        copy = malloc(cut ? cut : 1);
        memcpy(copy, bytes, cut);
        ese_parse_log(copy, cut, 0, "edb00002.log", &h);
        ese_parse_log(copy, cut, length, "edb00002.log", &h);
        free(copy);
    }
    /* A header whose checksum is right but whose sizes lie. */
    for (int round = 0; round < 200; round++) {
        seed = seed * 1103515245u + 12345u;
        bytes[8 + seed % 8] = (uint8_t)(seed >> 20);
        ew_set_header_checksum(bytes, 4096);
        ese_parse_log(bytes, length, 0, "edb00002.log", &h);
    }
    ok(1, "no crash on hostile logs\n");
    free(bytes);
}

static void test_checkpoint(void)
{
    struct ese_checkpoint c;
    size_t length;
    uint8_t *bytes = ew_make_checkpoint(0x5eed0001, 7, &length);

    ok(ese_parse_checkpoint(bytes, length, &c) && c.primary == ESE_COPY_OK && c.shadow == ESE_COPY_OK, "chk ok\n");
    ok(c.checkpoint.generation == 7 && c.log_signature.random == 0x5eed0001 && c.file_type == 4, "chk fields\n");
    ew_flip_bit(bytes, 8 * 30);
    ok(ese_parse_checkpoint(bytes, length, &c) && c.primary == ESE_COPY_BAD && c.checkpoint.generation == 7,
       "primary bad, shadow used\n");
    ew_flip_bit(bytes + 4096, 8 * 30);
    ok(!ese_parse_checkpoint(bytes, length, &c) && strstr(c.damaged, "neither"), "both bad: %s\n", c.damaged);
    ok(!ese_parse_checkpoint(bytes, 100, &c) && strstr(c.damaged, "too short"), "short: %s\n", c.damaged);
    ok(!ese_parse_checkpoint(bytes, 0, &c) && c.status == ESE_FILE_EMPTY, "empty\n");
    memset(bytes, 0, length);
    ok(!ese_parse_checkpoint(bytes, length, &c) && c.status == ESE_FILE_ZERO_FILLED && c.damaged[0], "zero chk\n");
    free(bytes);
}

START_TEST(ese_log)
{
    test_names();
    test_written_log();
    test_zero_and_empty();
    test_hostile_logs();
    test_checkpoint();
}
