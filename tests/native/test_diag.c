/* tests/native/test_diag.c: the diagnosis data model: rows, evidence, names, the summary and the repair plan. */
#include "harness/test.h"
#include "pure/diag.h"

#include <string.h>

static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (extra < 0) return 0;
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xC0) != 0x80) return 0;
    }
    return 1;
}

static void test_copy_cuts_on_characters(void)
{
    char small[6];
    /* "aé€x": a (1) é (2) € (3) x (1): 5 bytes fit "aé" + part of €, which must be dropped. */
    diag_copy(small, sizeof(small), "a\xC3\xA9\xE2\x82\xAC" "x");
    ok(!strcmp(small, "a\xC3\xA9"), "cut inside a character: got \"%s\"\n", small);
    ok(valid_utf8(small), "cut text is valid UTF-8\n");
    diag_copy(small, sizeof(small), NULL);
    ok(small[0] == 0, "NULL copies as empty\n");
    diag_format(small, sizeof(small), "%d", 1234567);
    ok(!strcmp(small, "12345"), "format cut: %s\n", small);
}

static void test_rows_and_evidence(void)
{
    struct diagnosis d;
    struct diag_row *row;

    diag_init(&d);
    ok(d.row_count == 0 && d.worst == DIAG_NOT_CHECKED, "empty diagnosis\n");
    row = diag_add_row(&d, DIAG_SERVICE, "Cryptographic Services");
    ok(row && row->severity == DIAG_NOT_CHECKED && row->repair == REPAIR_NONE, "a new row is not checked\n");
    for (int i = 0; i < DIAG_EVIDENCE_MAX + 3; i++) diag_evidence(row, "line %d", i);
    ok(row->evidence_count == DIAG_EVIDENCE_MAX, "evidence kept: %u\n", row->evidence_count);
    ok(row->evidence_dropped == 3, "evidence dropped: %u\n", row->evidence_dropped);
    ok(!strcmp(row->evidence[0], "line 0"), "first line kept\n");
    ok(diag_find(&d, DIAG_SERVICE) == row, "find the row\n");
    ok(diag_find(&d, DIAG_KEY_SERVICE) == NULL, "no such row\n");
    for (int i = 1; i < DIAG_ROWS_MAX; i++) ok(diag_add_row(&d, DIAG_KEY_SERVICE, "k") != NULL, "row %d\n", i);
    ok(diag_add_row(&d, DIAG_KEY_SERVICE, "k") == NULL, "full diagnosis refuses a row\n");
}

static void test_raise(void)
{
    struct diag_row row = { .severity = DIAG_OK };

    diag_raise(&row, DIAG_INFO);
    ok(row.severity == DIAG_INFO, "ok -> info\n");
    diag_raise(&row, DIAG_OK);
    ok(row.severity == DIAG_INFO, "never lowered\n");
    diag_raise(&row, DIAG_NOT_CHECKED);
    ok(row.severity == DIAG_NOT_CHECKED, "info -> not checked\n");
    diag_raise(&row, DIAG_WARNING);
    ok(row.severity == DIAG_WARNING, "not checked -> warning\n");
    diag_raise(&row, DIAG_NOT_CHECKED);
    ok(row.severity == DIAG_WARNING, "a finding outranks not checked\n");
    diag_raise(&row, DIAG_PROBLEM);
    ok(row.severity == DIAG_PROBLEM, "warning -> problem\n");
}

static void test_names(void)
{
    ok(!strcmp(diag_severity_id(DIAG_NOT_CHECKED), "not_checked"), "severity id\n");
    ok(!strcmp(diag_severity_name(DIAG_PROBLEM), "Problem"), "severity name\n");
    ok(diag_severity_id((enum diag_severity)99) == NULL, "unknown severity\n");
    for (int c = 0; c < DIAG_COMPONENT_COUNT; c++)
        ok(diag_component_id((enum diag_component)c) != NULL, "component %d has an id\n", c);
    ok(diag_component_id(DIAG_COMPONENT_COUNT) == NULL, "unknown component\n");
    for (int r = 0; r < REPAIR_COUNT; r++)
        ok(diag_repair_id((enum diag_repair)r) && diag_repair_title((enum diag_repair)r), "repair %d named\n", r);
    ok(!strcmp(diag_repair_id(REPAIR_REBUILD_CATALOG), "rebuild_catalog"), "repair id\n");
    ok(diag_repair_id(REPAIR_COUNT) == NULL, "unknown repair\n");
}

static struct diag_row *add(struct diagnosis *d, enum diag_component c, enum diag_severity s, const char *headline,
                            enum diag_repair repair)
{
    struct diag_row *row = diag_add_row(d, c, "x");
    row->severity = s;
    diag_copy(row->headline, sizeof(row->headline), headline);
    row->repair = repair;
    return row;
}

static void test_summary_sentence(void)
{
    struct diagnosis d;

    diag_init(&d);
    for (int c = 0; c < 5; c++) add(&d, (enum diag_component)c, DIAG_OK, "", REPAIR_NONE);
    diag_summarize(&d);
    ok(!strcmp(d.summary, "Cryptographic Services and its four parts look healthy."), "healthy: %s\n", d.summary);
    ok(d.worst == DIAG_OK, "worst ok\n");

    diag_init(&d);
    add(&d, DIAG_SERVICE, DIAG_PROBLEM, "Cryptographic Services is stopped and set to Manual.", REPAIR_SET_AUTOMATIC);
    add(&d, DIAG_CATALOG_DB, DIAG_PROBLEM, "The catalog database looks corrupt.", REPAIR_REBUILD_CATALOG);
    add(&d, DIAG_KEY_SERVICE, DIAG_WARNING, "The machine key folder is missing.", REPAIR_NONE);
    add(&d, DIAG_PROTECTED_ROOT, DIAG_NOT_CHECKED, "", REPAIR_NONE);
    diag_summarize(&d);
    ok(!strcmp(d.summary, "Cryptographic Services is stopped and set to Manual. The catalog database looks corrupt. "
                          "The machine key folder is missing. 1 of 4 checks could not run."), "summary: %s\n", d.summary);
    ok(d.worst == DIAG_PROBLEM, "worst problem\n");

    /* Warnings come after problems whatever the row order. */
    diag_init(&d);
    add(&d, DIAG_KEY_SERVICE, DIAG_WARNING, "W.", REPAIR_NONE);
    add(&d, DIAG_SERVICE, DIAG_PROBLEM, "P.", REPAIR_NONE);
    diag_summarize(&d);
    ok(!strcmp(d.summary, "P. W."), "problems first: %s\n", d.summary);

    /* Only not-checked rows. */
    diag_init(&d);
    add(&d, DIAG_SERVICE, DIAG_NOT_CHECKED, "", REPAIR_NONE);
    diag_summarize(&d);
    ok(!strcmp(d.summary, "1 of 1 checks could not run."), "nothing checked: %s\n", d.summary);
    ok(d.worst == DIAG_NOT_CHECKED, "worst not checked\n");

    /* Some ok, some not checked. */
    diag_init(&d);
    add(&d, DIAG_SERVICE, DIAG_OK, "", REPAIR_NONE);
    add(&d, DIAG_CATALOG_DB, DIAG_NOT_CHECKED, "", REPAIR_NONE);
    diag_summarize(&d);
    ok(!strcmp(d.summary, "Nothing wrong was found. 1 of 2 checks could not run."), "partial: %s\n", d.summary);

    /* Too many headlines: the count of the rest and of unchecked rows survives. */
    diag_init(&d);
    for (int i = 0; i < 8; i++)
        add(&d, DIAG_SERVICE, DIAG_PROBLEM, "This is a rather long headline that takes up room in the summary.", REPAIR_NONE);
    add(&d, DIAG_CATALOG_DB, DIAG_NOT_CHECKED, "", REPAIR_NONE);
    diag_summarize(&d);
    ok(strlen(d.summary) < sizeof(d.summary), "fits\n");
    ok(strstr(d.summary, "more findings below.)") != NULL, "says more are below: %s\n", d.summary);
    ok(strstr(d.summary, "1 of 9 checks could not run.") != NULL, "keeps the count: %s\n", d.summary);
    ok(valid_utf8(d.summary), "summary valid UTF-8\n");

    diag_init(&d);
    diag_summarize(&d);
    ok(d.summary[0] == 0 && d.worst == DIAG_NOT_CHECKED, "no rows: empty summary\n");
}

static void test_plan(void)
{
    struct diagnosis d;
    enum diag_repair plan[REPAIR_COUNT];
    size_t n;

    diag_init(&d);
    add(&d, DIAG_SERVICE, DIAG_PROBLEM, "", REPAIR_START_SERVICE);
    add(&d, DIAG_CATALOG_DB, DIAG_PROBLEM, "", REPAIR_REBUILD_CATALOG);
    add(&d, DIAG_DEPENDENCY_RPCSS, DIAG_PROBLEM, "", REPAIR_START_DEPENDENCY);
    add(&d, DIAG_ROOT_UPDATE, DIAG_WARNING, "", REPAIR_RESET_WINTRUST_STATE);
    add(&d, DIAG_KEY_SERVICE, DIAG_OK, "", REPAIR_NONE);
    n = diag_plan(&d, plan, REPAIR_COUNT);
    ok(n == 3, "plan length %u\n", (unsigned)n);
    ok(n == 3 && plan[0] == REPAIR_START_DEPENDENCY && plan[1] == REPAIR_REBUILD_CATALOG &&
       plan[2] == REPAIR_RESET_WINTRUST_STATE, "order: dependency, rebuild (which starts it), settings\n");

    diag_init(&d);
    add(&d, DIAG_SERVICE, DIAG_PROBLEM, "", REPAIR_RESTART_SERVICE);
    add(&d, DIAG_CATALOG_DB, DIAG_PROBLEM, "", REPAIR_CLEAR_LOGS);
    add(&d, DIAG_CATALOG_DB, DIAG_PROBLEM, "", REPAIR_REBUILD_CATALOG);
    n = diag_plan(&d, plan, REPAIR_COUNT);
    ok(n == 1 && plan[0] == REPAIR_REBUILD_CATALOG, "a rebuild covers clearing logs and the restart (%u)\n", (unsigned)n);

    diag_init(&d);
    add(&d, DIAG_SERVICE, DIAG_PROBLEM, "", REPAIR_SET_AUTOMATIC);
    add(&d, DIAG_CATALOG_DB, DIAG_PROBLEM, "", REPAIR_RESTART_SERVICE);
    n = diag_plan(&d, plan, REPAIR_COUNT);
    ok(n == 2 && plan[0] == REPAIR_SET_AUTOMATIC && plan[1] == REPAIR_RESTART_SERVICE, "set automatic, then restart\n");
    n = diag_plan(&d, plan, 1);
    ok(n == 1 && plan[0] == REPAIR_SET_AUTOMATIC, "max respected\n");

    diag_init(&d);
    add(&d, DIAG_SERVICE, DIAG_OK, "", REPAIR_NONE);
    ok(diag_plan(&d, plan, REPAIR_COUNT) == 0, "nothing to do\n");
}

START_TEST(diag)
{
    test_copy_cuts_on_characters();
    test_rows_and_evidence();
    test_raise();
    test_names();
    test_summary_sentence();
    test_plan();
}
