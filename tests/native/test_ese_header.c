/* tests/native/test_ese_header.c: database header parsing on real Windows files and on written, damaged ones. */
#include "harness/test.h"
#include "pure/ese.h"
#include "support/ese_writer.h"

#include <stdlib.h>
#include <string.h>

struct sample {
    const char *name;
    uint32_t page_size, state, revision;
};

static const struct sample samples[] = {
    { "dissect-esedb-basic.edb", 4096, 3, 0x14 },
    { "dissect-esedb-binary.edb", 4096, 3, 0x14 },
    { "dissect-esedb-default.edb", 4096, 3, 0x14 },
    { "dissect-esedb-index.edb", 4096, 3, 0x14 },
    { "dissect-esedb-multi.edb", 4096, 3, 0x14 },
    { "dissect-esedb-text.edb", 4096, 3, 0x14 },
    { "dissect-esedb-large.edb", 32768, 3, 0x14 },
    { "dissect-esedb-Current.mdb", 4096, 3, 0x14 },
    { "dissect-esedb-SRUDB.dat", 4096, 3, 0x14 },
    { "go-ese-qmgr.db", 16384, 2, 0x12c },
    { "go-ese-SRUDB.dat", 4096, 3, 0x6e },
};

static void test_samples(void)
{
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        const struct sample *s = &samples[i];
        struct ese_db_header h;
        size_t length;
        uint8_t *bytes = ew_load_sample(s->name, &length);

        if (!bytes) {
            skip("%s not unpacked (see tests/testdata.cmake)\n", s->name);
            continue;
        }
        ok(ese_parse_db_header(bytes, length, 0, &h), "%s: readable: %s\n", s->name, h.damaged);
        ok(h.damaged[0] == '\0', "%s: damaged: %s\n", s->name, h.damaged);
        ok(h.primary == ESE_COPY_OK && h.shadow == ESE_COPY_OK && !h.copies_differ,
           "%s: copies %d %d %d\n", s->name, h.primary, h.shadow, h.copies_differ);
        ok(h.page_size == s->page_size, "%s: page size %u\n", s->name, (unsigned)h.page_size);
        ok(h.state == s->state, "%s: state %u\n", s->name, (unsigned)h.state);
        ok(h.revision == s->revision, "%s: revision %x\n", s->name, (unsigned)h.revision);
        ok(h.version == 0x620 && h.magic == ESE_MAGIC, "%s: version %x\n", s->name, (unsigned)h.version);
        ok(h.has_file_type && h.file_type == 1, "%s: file type %u\n", s->name, (unsigned)h.file_type);
        if (h.state == ESE_DB_CLEAN_SHUTDOWN)
            ok(h.gen_min_required == 0 && h.gen_max_required == 0 && h.consistent.generation != 0 &&
                   memcmp(&h.consistent, &h.detach, sizeof(h.detach)) == 0,
               "%s: clean: consistent = detach, no logs needed\n", s->name);
        /* Only the first 64 KiB, as a scanner reads it, with the real size beside it. */
        ok(ese_parse_db_header(bytes, 65536, length, &h) && h.damaged[0] == '\0' && h.file_length == length,
           "%s: 64 KiB prefix: %s\n", s->name, h.damaged);
        free(bytes);
    }
}

static void test_qmgr_facts(void)
{
    struct ese_db_header h;
    size_t length;
    uint8_t *bytes = ew_load_sample("go-ese-qmgr.db", &length);

    if (!bytes) {
        skip("qmgr.db not unpacked\n");
        return;
    }
    ese_parse_db_header(bytes, length, 0, &h);
    ok(h.state == ESE_DB_DIRTY_SHUTDOWN && ese_db_state_needs_logs(h.state), "qmgr is dirty\n");
    ok(strcmp(ese_db_state_name(h.state), "Dirty shutdown") == 0, "name %s\n", ese_db_state_name(h.state));
    ok(h.gen_min_required == 23 && h.gen_max_required == 23, "needs %d-%d\n",
       (int)h.gen_min_required, (int)h.gen_max_required);
    ok(h.os_major == 10 && h.os_build == 26100, "os %u.%u\n", (unsigned)h.os_major, (unsigned)h.os_build);
    ok(h.attach_time.is_set && h.attach_time.month >= 1 && h.attach_time.month <= 12, "attach time\n");
    free(bytes);
}

/* The 668-byte XP SP3 header: checksum over what is there, 8 KiB pages, revision 9. */
static void test_truncated_xp_header(void)
{
    struct ese_db_header h;
    size_t length;
    uint8_t *bytes = ew_load_sample("libesedb-file_header.1", &length);

    if (!bytes) {
        skip("file_header.1 missing\n");
        return;
    }
    ok(ese_parse_db_header(bytes, length, 0, &h), "xp header readable: %s\n", h.damaged);
    ok(h.truncated && h.primary == ESE_COPY_OK && h.shadow == ESE_COPY_MISSING, "xp truncated\n");
    ok(h.page_size == 8192 && h.revision == 9 && h.state == 3, "xp: %u %x %u\n", (unsigned)h.page_size,
       (unsigned)h.revision, (unsigned)h.state);
    ok(strncmp(h.damaged, "damaged: ", 9) == 0, "xp: truncation is reported: %s\n", h.damaged);
    ok(h.os_major == 5 && h.os_minor == 1 && h.os_build == 2600, "xp: os %u.%u.%u\n",
       (unsigned)h.os_major, (unsigned)h.os_minor, (unsigned)h.os_build);
    free(bytes);
}

static uint8_t *written(uint32_t page_size, size_t *length)
{
    struct ew_db_options o;
    ew_db_defaults(&o, page_size, 6);
    return ew_make_db(&o, length);
}

static void test_written_sizes(void)
{
    static const uint32_t sizes[] = { 2048, 4096, 8192, 16384, 32768 };

    for (size_t i = 0; i < 5; i++) {
        struct ese_db_header h;
        size_t length;
        uint8_t *bytes = written(sizes[i], &length);
        ok(ese_parse_db_header(bytes, length, 0, &h) && h.page_size == sizes[i] && !h.damaged[0],
           "written %u: %u %s\n", (unsigned)sizes[i], (unsigned)h.page_size, h.damaged);
        ok(h.log_signature.random == 0x5eed0001 && h.log_signature.created.year == 2024 &&
               h.log_signature.created.month == 2 && h.log_signature.created.day == 26,
           "signature %x %u-%u-%u\n", (unsigned)h.log_signature.random, h.log_signature.created.year,
           h.log_signature.created.month, h.log_signature.created.day);
        free(bytes);
    }
}

/* Field 236 = 0 means 4096; an old 8 KiB file with 0 there is told by its shadow. */
static void test_zero_page_size_field(void)
{
    struct ew_db_options o;
    struct ese_db_header h;
    size_t length;
    uint8_t *bytes;

    ew_db_defaults(&o, 4096, 4);
    o.page_size_field_zero = 1;
    bytes = ew_make_db(&o, &length);
    ok(ese_parse_db_header(bytes, length, 0, &h) && h.page_size == 4096 && !h.page_size_guessed &&
           h.shadow == ESE_COPY_OK, "0 => 4096\n");
    free(bytes);
    ew_db_defaults(&o, 8192, 4);
    o.page_size_field_zero = 1;
    o.new_format = 0;
    bytes = ew_make_db(&o, &length);
    ok(ese_parse_db_header(bytes, length, 0, &h) && h.page_size == 8192 && h.page_size_guessed,
       "0 with shadow at 8192: %u guessed %d\n", (unsigned)h.page_size, h.page_size_guessed);
    free(bytes);
}

static void test_damaged_copies(void)
{
    struct ese_db_header h;
    size_t length;
    uint8_t *bytes = written(4096, &length);

    ew_flip_bit(bytes + 4096, 8 * 300);
    ok(ese_parse_db_header(bytes, length, 0, &h) && h.primary == ESE_COPY_OK && h.shadow == ESE_COPY_BAD,
       "shadow bad: %d %d\n", h.primary, h.shadow);
    ew_flip_bit(bytes, 8 * 300);
    ok(!ese_parse_db_header(bytes, length, 0, &h) && strstr(h.damaged, "checksum"),
       "both bad: %s\n", h.damaged);
    ew_flip_bit(bytes + 4096, 8 * 300);
    ok(ese_parse_db_header(bytes, length, 0, &h) && h.primary == ESE_COPY_BAD && h.shadow == ESE_COPY_OK &&
           h.state == 3, "primary bad, shadow used: %d %d\n", h.primary, h.shadow);
    /* Both verify but differ: a legal edit of one copy. */
    ew_flip_bit(bytes, 8 * 300);
    bytes[4096 + 500] = 7;
    ew_set_header_checksum(bytes + 4096, 4096);
    ok(ese_parse_db_header(bytes, length, 0, &h) && h.copies_differ, "copies differ\n");
    free(bytes);
}

static void test_hostile(void)
{
    struct ese_db_header h;
    uint8_t *bytes = calloc(1, 65536);
    uint32_t seed = 99;
    size_t length;

    ok(!ese_parse_db_header(bytes, 0, 0, &h) && strcmp(h.damaged, "damaged: the file is empty") == 0,
       "empty: %s\n", h.damaged);
    ok(!ese_parse_db_header(NULL, 100, 0, &h), "NULL\n");
    ok(!ese_parse_db_header(bytes, 100, 0, &h) && strstr(h.damaged, "too short"), "short: %s\n", h.damaged);
    ok(!ese_parse_db_header(bytes, 65536, 0, &h) && strstr(h.damaged, "damaged: "), "zeros: %s\n", h.damaged);
    for (size_t i = 0; i < 65536; i++) {
        seed = seed * 1103515245u + 12345u;
        bytes[i] = (uint8_t)(seed >> 16);
    }
    ok(!ese_parse_db_header(bytes, 65536, 0, &h) && strstr(h.damaged, "not an ESE"), "random: %s\n", h.damaged);
    free(bytes);

    /* Every truncation of a written file: no crash (ASan watches), never an over-read. */
    bytes = written(4096, &length);
    for (size_t cut = 0; cut < 3 * 4096; cut += 97) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, bytes, cut);
        ese_parse_db_header(copy, cut, 0, &h);
        free(copy);
    }
    ok(ese_parse_db_header(bytes, 4096 + 100, 0, &h) && h.truncated && strstr(h.damaged, "header pages"),
       "cut in the shadow: %s\n", h.damaged);
    ok(ese_parse_db_header(bytes, length - 1, 0, &h) && h.size_not_multiple, "odd size: %s\n", h.damaged);

    /* A valid checksum over nonsense fields. */
    ew_put32(bytes + 52, 9);
    ew_set_header_checksum(bytes, 4096);
    memcpy(bytes + 4096, bytes, 4096);
    ok(ese_parse_db_header(bytes, length, 0, &h) && strstr(h.damaged, "state 9"), "state 9: %s\n", h.damaged);
    ew_put32(bytes + 52, 3);
    bytes[667] = 3;
    ew_set_header_checksum(bytes, 4096);
    memcpy(bytes + 4096, bytes, 4096);
    ok(ese_parse_db_header(bytes, length, 0, &h) && strstr(h.damaged, "file type 3"), "log type: %s\n", h.damaged);
    free(bytes);
}

static void test_names(void)
{
    char text[40];
    ok(ese_db_state_name(0) == NULL && ese_db_state_name(9) == NULL, "no state 0/9\n");
    ok(strcmp(ese_db_state_name(3), "Clean shutdown") == 0, "clean\n");
    ok(strcmp(ese_format_count(1872, text, sizeof(text)), "1 872") == 0, "1872: %s\n", text);
    ok(strcmp(ese_format_count(4096000, text, sizeof(text)), "4 096 000") == 0, "4096000: %s\n", text);
    ok(strcmp(ese_format_count(0, text, sizeof(text)), "0") == 0, "0\n");
    ok(strcmp(ese_format_count(999, text, 3), "99") == 0, "truncates safely: %s\n", text);
}

START_TEST(ese_header)
{
    test_samples();
    test_qmgr_facts();
    test_truncated_xp_header();
    test_written_sizes();
    test_zero_page_size_field();
    test_damaged_copies();
    test_hostile();
    test_names();
}
