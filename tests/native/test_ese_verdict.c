/* tests/native/test_ese_verdict.c: each damage the writer can do gives the right verdict and evidence. */
#include "harness/test.h"
#include "pure/ese.h"
#include "support/ese_writer.h"

#include <stdlib.h>
#include <string.h>

#define SIGN 0x5eed0001u
#define OTHER_SIGN 0x0badf00du

/* A catroot2-like set: one database, its logs and checkpoint, parsed. */
struct fixture {
    struct ew_db_options db_options;
    uint8_t *db;
    size_t db_length;
    struct ese_db_header header;
    struct ese_deep_check deep;
    struct ese_log_header *logs;
    size_t log_count, log_capacity;
    struct ese_checkpoint checkpoint;
    int have_checkpoint;
    struct ese_set set;
    struct ese_verdict_result result;
};

static struct fixture fx;

static void fixture_db(uint32_t page_size)
{
    memset(&fx, 0, sizeof(fx));
    ew_db_defaults(&fx.db_options, page_size, 40);
    fx.db_options.used_pages = 30;
}

/* Doubling, so the 10 000-log pile costs no quadratic copying. */
static struct ese_log_header *next_log(void)
{
    if (fx.log_count == fx.log_capacity) {
        fx.log_capacity = fx.log_capacity ? 2 * fx.log_capacity : 16;
        fx.logs = realloc(fx.logs, fx.log_capacity * sizeof(*fx.logs));
    }
    return &fx.logs[fx.log_count++];
}

static void add_log(int32_t generation, uint32_t sign, const char *name_override, int header_only)
{
    struct ew_log_options o;
    size_t length;
    uint8_t *bytes;
    char name[32];

    ew_log_defaults(&o, generation, sign);
    if (header_only) o.used_segments = 0; /* only the header is read, as a scanner of many logs does */
    bytes = ew_make_log(&o, &length);
    ew_log_name(name, sizeof(name), generation);
    ese_parse_log(bytes, header_only ? 4096 : length, length, name_override ? name_override : name, next_log());
    free(bytes);
}

static void add_raw_log(const uint8_t *bytes, size_t length, const char *name)
{
    ese_parse_log(bytes, length, 0, name, next_log());
}

static void add_checkpoint(uint32_t sign, int32_t generation)
{
    size_t length;
    uint8_t *bytes = ew_make_checkpoint(sign, generation, &length);
    ese_parse_checkpoint(bytes, length, &fx.checkpoint);
    fx.have_checkpoint = 1;
    free(bytes);
}

/* A healthy log set: edb00001..edb00002.log, edb.log (generation 3), checkpoint at 3. */
static void add_healthy_logs(void)
{
    uint8_t *zeros = calloc(1, 65536);
    add_log(1, SIGN, NULL, 0);
    add_log(2, SIGN, NULL, 0);
    add_log(3, SIGN, "edb.log", 0);
    add_raw_log(zeros, 65536, "edbtmp.log");
    add_raw_log(zeros, 65536, "edbres00001.jrs");
    add_raw_log(zeros, 65536, "edbres00002.jrs");
    add_checkpoint(SIGN, 3);
    free(zeros);
}

static void make_db(void)
{
    fx.db = ew_make_db(&fx.db_options, &fx.db_length);
}

static enum ese_verdict judge(int in_use)
{
    int readable = ese_parse_db_header(fx.db, fx.db_length, 0, &fx.header);
    if (readable) ese_deep_check_buffer(fx.db, fx.db_length, fx.header.page_size, fx.header.dbtime, &fx.deep);
    fx.set.db_name = "catdb";
    fx.set.db = &fx.header;
    fx.set.deep = readable ? &fx.deep : NULL;
    fx.set.logs = fx.logs;
    fx.set.log_count = fx.log_count;
    fx.set.checkpoint = fx.have_checkpoint ? &fx.checkpoint : NULL;
    fx.set.in_use = in_use;
    ese_judge(&fx.set, &fx.result);
    return fx.result.verdict;
}

static void fixture_free(void)
{
    free(fx.db);
    free(fx.logs);
    fx.db = NULL;
    fx.logs = NULL;
    fx.log_count = fx.log_capacity = 0;
}

static int has_evidence(const char *text)
{
    for (size_t i = 0; i < fx.result.evidence_count; i++)
        if (strstr(fx.result.evidence[i], text)) return 1;
    return 0;
}

#define expect(verdict, first) expect_at(__FILE__, __LINE__, (verdict), (first))
static void expect_at(const char *file, int line, enum ese_verdict verdict, const char *first)
{
    ok_at(file, line, fx.result.verdict == verdict, "verdict %s, expected %s; first: %s\n",
          ese_verdict_name(fx.result.verdict), ese_verdict_name(verdict),
          fx.result.evidence_count ? fx.result.evidence[0] : "(none)");
    if (first)
        ok_at(file, line, fx.result.evidence_count && strstr(fx.result.evidence[0], first) != NULL,
              "first evidence \"%s\", expected \"%s\"\n", fx.result.evidence_count ? fx.result.evidence[0] : "",
              first);
    fixture_free();
}

static void test_healthy(void)
{
    static const uint32_t sizes[] = { 4096, 8192, 16384, 32768 };
    for (size_t i = 0; i < 4; i++) {
        fixture_db(sizes[i]);
        make_db();
        add_healthy_logs();
        judge(0);
        ok(has_evidence("All 30 used pages pass their checksums"), "%u: all pass\n", (unsigned)sizes[i]);
        expect(ESE_VERDICT_HEALTHY, NULL);
    }
    /* Zeroed pages inside the data are unused pages, not damage. */
    fixture_db(4096);
    make_db();
    memset(fx.db + 10 * 4096, 0, 4096);
    judge(-1);
    expect(ESE_VERDICT_HEALTHY, "All 29 used pages");
    /* Old-format (XOR) pages. */
    fixture_db(8192);
    fx.db_options.new_format = 0;
    make_db();
    judge(-1);
    expect(ESE_VERDICT_HEALTHY, NULL);
}

static void test_not_readable(void)
{
    memset(&fx, 0, sizeof(fx));
    fx.set.db = NULL;
    ese_judge(&fx.set, &fx.result);
    expect(ESE_VERDICT_NOT_READABLE, "could not be read");
}

static void test_page_damage(void)
{
    fixture_db(4096);
    make_db();
    ew_flip_bit(fx.db + 8 * 4096, 8 * 1000 + 1); /* page 7 */
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "Page 7 of 40 fails its checksum; 1 is a single-bit error ESE can fix");

    fixture_db(16384);
    make_db();
    for (uint32_t p = 3; p < 6; p++) ew_flip_bit(fx.db + p * 16384, 8 * 9000);
    ew_flip_bit(fx.db + 3 * 16384, 8 * 100);
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "3 pages of 40 fail their checksums (the first is page 2)");

    /* Garbage beyond the last used page only. */
    fixture_db(4096);
    make_db();
    memset(fx.db + 36 * 4096, 0x55, 4 * 4096);
    judge(0);
    expect(ESE_VERDICT_SUSPICIOUS, "4 pages after the end of the data hold garbage (from page 31)");

    /* A bad page inside and garbage after the end: two findings, each its own line. */
    fixture_db(4096);
    make_db();
    ew_flip_bit(fx.db + 8 * 4096, 8 * 1000 + 1); /* page 7 */
    memset(fx.db + 36 * 4096, 0x55, 4 * 4096);
    judge(0);
    {
        int tail_alone = 0;
        for (size_t i = 0; i < fx.result.evidence_count; i++)
            if (!strncmp(fx.result.evidence[i], "4 pages after the end of the data hold garbage", 46)) tail_alone = 1;
        ok(tail_alone, "the tail garbage is a line of its own\n");
    }
    expect(ESE_VERDICT_CORRUPT, "Page 7 of 40 fails its checksum; 1 is a single-bit error ESE can fix");
}

static void test_header_damage(void)
{
    fixture_db(4096);
    make_db();
    ew_flip_bit(fx.db + 4096, 8 * 200);
    judge(0);
    expect(ESE_VERDICT_SUSPICIOUS, "One of the two copies of the database header");

    fixture_db(4096);
    make_db();
    ew_flip_bit(fx.db, 8 * 200);
    ew_flip_bit(fx.db + 4096, 8 * 200);
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "neither header copy passes its checksum");

    fixture_db(4096);
    make_db();
    fx.db_length = 4096 * 20 + 1000; /* truncated inside a page */
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "not a multiple of the page size");

    fixture_db(4096);
    make_db();
    fx.db_length = 0;
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "the file is empty");

    fixture_db(4096);
    fx.db_options.bad_checksum_count = 3;
    make_db();
    judge(0);
    expect(ESE_VERDICT_SUSPICIOUS, "ESE has already met 3 checksum errors");
}

static void test_dirty(void)
{
    /* Dirty, needs 1..3, only 1 present. */
    fixture_db(4096);
    fx.db_options.state = ESE_DB_DIRTY_SHUTDOWN;
    fx.db_options.gen_min_required = 1;
    fx.db_options.gen_max_required = 3;
    make_db();
    add_log(1, SIGN, NULL, 0);
    add_checkpoint(SIGN, 1);
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "not closed properly and 2 of the 3 transaction logs it needs are missing");

    /* A hostile header asking for generations 1..INT32_MAX: counted in one pass, no overflow. */
    fixture_db(4096);
    fx.db_options.state = ESE_DB_DIRTY_SHUTDOWN;
    fx.db_options.gen_min_required = 1;
    fx.db_options.gen_max_required = INT32_MAX;
    make_db();
    add_log(1, SIGN, NULL, 0);
    add_log(2, SIGN, NULL, 0);
    add_log(3, SIGN, "edb.log", 0);
    add_checkpoint(SIGN, 3);
    judge(0);
    ok(has_evidence("2 147 483 644 of the 2 147 483 647 transaction logs it needs are missing"),
       "missing counted over the whole span: %s\n", fx.result.evidence_count ? fx.result.evidence[0] : "");
    expect(ESE_VERDICT_CORRUPT, NULL);

    /* Dirty with every log there: Windows can replay them. */
    fixture_db(4096);
    fx.db_options.state = ESE_DB_DIRTY_SHUTDOWN;
    fx.db_options.gen_min_required = 1;
    fx.db_options.gen_max_required = 3;
    make_db();
    add_healthy_logs();
    judge(0);
    expect(ESE_VERDICT_SUSPICIOUS, "the logs it needs are present");

    /* Dirty while the service has it open: that is how ESE keeps an open database. */
    fixture_db(4096);
    fx.db_options.state = ESE_DB_DIRTY_SHUTDOWN;
    fx.db_options.gen_min_required = 1;
    fx.db_options.gen_max_required = 3;
    make_db();
    judge(1);
    expect(ESE_VERDICT_HEALTHY, NULL);

    /* Dirty, and the logs present are another database's. */
    fixture_db(4096);
    fx.db_options.state = ESE_DB_DIRTY_SHUTDOWN;
    fx.db_options.gen_min_required = 2;
    fx.db_options.gen_max_required = 2;
    make_db();
    add_log(1, OTHER_SIGN, NULL, 0);
    add_log(2, OTHER_SIGN, NULL, 0);
    add_log(3, OTHER_SIGN, "edb.log", 0);
    judge(0);
    expect(ESE_VERDICT_CORRUPT, NULL);
    /* (evidence checked in test_foreign; fixture freed by expect) */
}

static void test_foreign(void)
{
    fixture_db(4096);
    make_db();
    add_healthy_logs();
    add_log(7, OTHER_SIGN, NULL, 1);
    add_log(8, OTHER_SIGN, NULL, 1);
    add_log(9, OTHER_SIGN, NULL, 1);
    judge(0);
    expect(ESE_VERDICT_SUSPICIOUS, "3 transaction logs belong to a different database");

    fixture_db(4096);
    fx.db_options.state = ESE_DB_DIRTY_SHUTDOWN;
    fx.db_options.gen_min_required = 2;
    fx.db_options.gen_max_required = 2;
    make_db();
    add_log(2, OTHER_SIGN, NULL, 0);
    judge(0);
    ok(has_evidence("1 transaction log belongs to a different database"), "foreign evidence\n");
    expect(ESE_VERDICT_CORRUPT, "1 of the 1 transaction log it needs is missing");

    fixture_db(4096);
    make_db();
    add_healthy_logs();
    add_checkpoint(OTHER_SIGN, 3);
    judge(0);
    expect(ESE_VERDICT_SUSPICIOUS, "edb.chk belongs to a different set of logs");
}

static void test_log_damage(void)
{
    struct ew_log_options o;
    size_t length;
    uint8_t *bytes;

    /* edb.log with a flipped header bit. */
    fixture_db(4096);
    make_db();
    add_log(1, SIGN, NULL, 0);
    add_log(2, SIGN, NULL, 0);
    ew_log_defaults(&o, 3, SIGN);
    bytes = ew_make_log(&o, &length);
    ew_flip_bit(bytes, 8 * 300);
    add_raw_log(bytes, length, "edb.log");
    free(bytes);
    add_checkpoint(SIGN, 3);
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "The transaction log edb.log is damaged (the log header fails its checksum)");

    /* An old, truncated log below the checkpoint: not needed any more. */
    fixture_db(4096);
    make_db();
    add_healthy_logs();
    ew_log_defaults(&o, 1, SIGN);
    bytes = ew_make_log(&o, &length);
    fx.log_count--; /* drop edbres00002.jrs */
    add_raw_log(bytes, length / 2, "edb00001.log");
    free(bytes);
    judge(0);
    ok(has_evidence("old log file"), "old log evidence\n");
    expect(ESE_VERDICT_SUSPICIOUS, NULL);

    /* A zero-length edb.log. */
    fixture_db(4096);
    make_db();
    add_raw_log(NULL, 0, "edb.log");
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "edb.log is damaged (the file is empty)");

    /* Log chain broken: edb00002.log written by another run (its previous time does not match). */
    fixture_db(4096);
    make_db();
    add_log(1, SIGN, NULL, 0);
    ew_log_defaults(&o, 2, SIGN);
    o.time_base = 5000;
    bytes = ew_make_log(&o, &length);
    add_raw_log(bytes, length, "edb00002.log");
    free(bytes);
    add_log(3, SIGN, "edb.log", 0);
    add_checkpoint(SIGN, 1);
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "do not follow on from each other at generation 2");

    /* A hole above the checkpoint. */
    fixture_db(4096);
    make_db();
    add_log(4, SIGN, NULL, 0);
    add_log(6, SIGN, "edb.log", 0);
    add_checkpoint(SIGN, 4);
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "generation 5 is missing");

    /* Checkpoint damaged. */
    fixture_db(4096);
    make_db();
    add_healthy_logs();
    memset(&fx.checkpoint, 0, sizeof(fx.checkpoint));
    bytes = calloc(1, 8192);
    bytes[5] = 1;
    ese_parse_checkpoint(bytes, 8192, &fx.checkpoint);
    free(bytes);
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "edb.chk is damaged");
}

static void test_pile(void)
{
    fixture_db(4096);
    make_db();
    for (int32_t g = 1; g <= 10000; g++) add_log(g, SIGN, NULL, 1);
    add_checkpoint(SIGN, 9990);
    judge(0);
    expect(ESE_VERDICT_CORRUPT, "10 000 transaction logs have piled up");
}

static void test_findings_capacity(void)
{
    struct ese_findings findings;

    fixture_db(4096);
    make_db();
    judge(0);
    ese_set_findings(&fx.set, &findings);
    ok(findings.count >= 1 && findings.dropped == 0, "findings %u\n", (unsigned)findings.count);
    ese_set_findings(NULL, &findings);
    ok(findings.count == 0, "NULL set\n");
    fixture_free();
}

START_TEST(ese_verdict)
{
    test_healthy();
    test_not_readable();
    test_page_damage();
    test_header_damage();
    test_dirty();
    test_foreign();
    test_log_damage();
    test_pile();
    test_findings_capacity();
}
