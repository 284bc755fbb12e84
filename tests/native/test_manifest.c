/* tests/native/test_manifest.c: the backup manifest's writer and parser, round trips and damage. */
#include "harness/test.h"
#include "pure/manifest.h"

#include <string.h>

static char text[8192];
static size_t used;

static void append(size_t length, const char *line)
{
    ok(length > 0 && length == strlen(line), "formatter wrote a line (%u)\n", (unsigned)length);
    memcpy(text + used, line, length);
    used += length;
    text[used] = 0;
}

static void test_round_trip(void)
{
    static const unsigned char state[4] = { 0x00, 0x3c, 0x02, 0x00 };
    char line[1024];
    char why[128];
    struct manifest m;
    struct manifest_entry *entry;
    size_t bad;

    used = 0;
    append(manifest_format_header(line, sizeof(line), "clear_logs", "2026-11-25T07:41:03Z", "CryptSvc",
                                  "C:\\windows"), line);
    append(manifest_format_move(line, sizeof(line), MANIFEST_FILE, "C:\\windows\\System32\\catroot2\\edb.log",
                                "C:\\ProgramData\\CryptSvcDoctor\\backups\\x\\files\\System32\\catroot2\\edb.log"),
           line);
    /* A name with the characters the format must escape: percent, tab, newline, non-ASCII. */
    append(manifest_format_move(line, sizeof(line), MANIFEST_DIR, "C:\\odd\\100%\tname\nx\xc3\xa9", "C:\\b\\1"),
           line);
    append(manifest_format_mark(line, sizeof(line), MANIFEST_PENDING, "C:\\odd\\100%\tname\nx\xc3\xa9", "C:\\b\\1"),
           line);
    append(manifest_format_value(line, sizeof(line), "HKCU", "Software\\Microsoft\\Windows\\CurrentVersion\\WinTrust"
                                 "\\Trust Providers\\Software Publishing", "State", 4, state, 4, 0), line);
    append(manifest_format_value(line, sizeof(line), "HKU", ".DEFAULT\\Software\\x", "State", 0, NULL, 0, 1), line);
    append(manifest_format_mark(line, sizeof(line), MANIFEST_RESTORED, "C:\\windows\\System32\\catroot2\\edb.log",
                                "C:\\ProgramData\\CryptSvcDoctor\\backups\\x\\files\\System32\\catroot2\\edb.log"),
           line);
    append(manifest_format_value_restored(line, sizeof(line), "HKU", ".DEFAULT\\Software\\x", "State"), line);
    append(manifest_format_aside(line, sizeof(line), MANIFEST_DIR, "C:\\w\\catroot2", "C:\\b\\aside\\catroot2.1"),
           line);

    memset(&m, 0, sizeof(m));
    bad = manifest_parse(text, used, &m, why, sizeof(why));
    ok(bad == 0, "round trip parses (line %u: %s)\n", (unsigned)bad, why);
    if (bad) return;
    ok(!strcmp(m.repair, "clear_logs") && !strcmp(m.service, "CryptSvc") && !strcmp(m.windows, "C:\\windows") &&
       !strcmp(m.created, "2026-11-25T07:41:03Z"), "header fields\n");
    ok(m.count == 5, "five entries, got %u\n", (unsigned)m.count);
    ok(m.entries[4].aside && m.entries[4].kind == MANIFEST_DIR && !m.entries[0].aside, "aside entry\n");
    ok(!m.torn_tail, "not torn\n");
    entry = manifest_find_move(&m, "C:\\odd\\100%\tname\nx\xc3\xa9", "C:\\b\\1");
    ok(entry && entry->kind == MANIFEST_DIR && entry->state == MANIFEST_PENDING, "escaped dir move is pending\n");
    entry = &m.entries[0];
    ok(entry->kind == MANIFEST_FILE && entry->state == MANIFEST_RESTORED, "first move restored\n");
    entry = &m.entries[2];
    ok(entry->kind == MANIFEST_VALUE && entry->type == 4 && entry->data_length == 4 &&
       !memcmp(entry->data, state, 4) && !entry->absent && entry->state == MANIFEST_RECORDED,
       "DWORD value kept byte for byte\n");
    entry = &m.entries[3];
    ok(entry->kind == MANIFEST_VALUE && entry->absent && entry->state == MANIFEST_RESTORED &&
       !strcmp(entry->from, "HKU"), "absent value, restored\n");
    manifest_free(&m);

    /* A crash mid-line: the torn tail is ignored, everything before it stands. */
    memset(&m, 0, sizeof(m));
    bad = manifest_parse(text, used - strlen(line) - 5, &m, why, sizeof(why));
    ok(bad == 0 && m.torn_tail && m.count == 4, "torn tail ignored (bad %u, torn %d)\n", (unsigned)bad, m.torn_tail);
    if (!bad) {
        ok(m.entries[3].state == MANIFEST_RECORDED, "the torn restore mark does not count\n");
        manifest_free(&m);
    }
    /* CRLF line ends (someone opened it in Notepad and saved) still parse. */
    {
        static const char crlf[] = "csd-manifest 1\r\nrepair\trebuild_catalog\r\nmove\tdir\tC:\\a\tC:\\b\r\n";
        memset(&m, 0, sizeof(m));
        bad = manifest_parse(crlf, sizeof(crlf) - 1, &m, why, sizeof(why));
        ok(bad == 0 && m.count == 1 && !strcmp(m.entries[0].to, "C:\\b"), "CRLF parses (%u %s)\n", (unsigned)bad, why);
        if (!bad) manifest_free(&m);
    }
    /* Moved, restored, moved again (an undone restore): it is in the backup again. */
    {
        static const char again[] = "csd-manifest 1\nrepair\tx\nmove\tfile\tC:\\a\tC:\\b\nrestored\tC:\\a\tC:\\b\n"
                                    "move\tfile\tC:\\a\tC:\\b\n";
        memset(&m, 0, sizeof(m));
        bad = manifest_parse(again, sizeof(again) - 1, &m, why, sizeof(why));
        ok(bad == 0 && m.count == 1 && m.entries[0].state == MANIFEST_RECORDED, "moved again counts\n");
        if (!bad) manifest_free(&m);
    }
}

static void expect_bad(const char *manifest_text, size_t expected_line, const char *what)
{
    struct manifest m;
    char why[128];
    size_t bad;

    memset(&m, 0xab, sizeof(m));
    bad = manifest_parse(manifest_text, strlen(manifest_text), &m, why, sizeof(why));
    ok(bad == expected_line, "%s: bad line %u, expected %u (%s)\n", what, (unsigned)bad, (unsigned)expected_line, why);
    ok(why[0] != 0, "%s: says why\n", what);
    ok(m.count == (size_t)0xabababababababab || sizeof(size_t) < 8, "%s: output untouched\n", what);
}

static void test_damage(void)
{
    char line[64];
    unsigned char big[64] = { 0 };

    expect_bad("", 1, "empty");
    expect_bad("csd-manifest 2\nrepair\tx\n", 1, "newer version");
    expect_bad("csd-manifest 1\n", 1, "no repair line");
    expect_bad("csd-manifest 1\nrepair\tx\nmove\tfile\tC:\\a\n", 3, "move with a missing field");
    expect_bad("csd-manifest 1\nrepair\tx\nmove\tlink\tC:\\a\tC:\\b\n", 3, "unknown move kind");
    expect_bad("csd-manifest 1\nrepair\tx\nmove\tfile\t\tC:\\b\n", 3, "empty path");
    expect_bad("csd-manifest 1\nrepair\tx\nmove\tfile\tC:\\a%2\tC:\\b\n", 3, "bad escape");
    expect_bad("csd-manifest 1\nrepair\tx\nmove\tfile\tC:\\a%00\tC:\\b\n", 3, "escaped NUL");
    expect_bad("csd-manifest 1\nrepair\tx\npending\tC:\\a\tC:\\b\n", 3, "mark without a move");
    expect_bad("csd-manifest 1\nrepair\tx\nvalue\tHKCU\tk\tn\t4\t0g\n", 3, "bad hex");
    expect_bad("csd-manifest 1\nrepair\tx\nvalue\tHKCU\tk\tn\t-4\t00\n", 3, "negative type");
    expect_bad("csd-manifest 1\nrepair\tx\nvalue\tHKCU\tk\tn\t4\t000\n", 3, "odd hex");
    expect_bad("csd-manifest 1\nrepair\tx\nrepair\ty\n", 3, "header given twice");
    expect_bad("csd-manifest 1\nrepair\tx\ndelete\tC:\\a\n", 3, "unknown record");
    expect_bad("csd-manifest 1\nrepair\tx\nnote\ta\tb\tc\td\te\tf\tg\th\ti\n", 3, "too many fields");

    ok(manifest_format_move(line, 10, MANIFEST_FILE, "C:\\a\\long\\path", "C:\\b") == 0 && line[0] == 0,
       "a line that does not fit is not written\n");
    ok(manifest_format_value(line, sizeof(line), "HKCU", "k", "n", 3, big, sizeof(big), 0) == 0,
       "a value that does not fit is not written\n");
    ok(manifest_format_move(line, sizeof(line), MANIFEST_FILE, "", "C:\\b") == 0, "empty path refused\n");
}

static void test_backup_names(void)
{
    char name[64];

    ok(manifest_backup_name(name, sizeof(name), 2026, 11, 5, 7, 4, 3, "clear_logs", 1) &&
       !strcmp(name, "20261105-070403-clear_logs"), "first name %s\n", name);
    ok(manifest_backup_name(name, sizeof(name), 2026, 11, 5, 7, 4, 3, "clear_logs", 3) &&
       !strcmp(name, "20261105-070403-clear_logs-3"), "third name %s\n", name);
    ok(manifest_backup_name(name, 10, 2026, 11, 5, 7, 4, 3, "clear_logs", 1) == 0, "too small\n");
    ok(manifest_backup_name(name, sizeof(name), 2026, 11, 5, 7, 4, 3, "..\\x", 1) == 0, "no path in a name\n");
}

/* 100 000 moves and their restore marks: the parser must stay linear. */
static void test_large(void)
{
    size_t size = 200000 * 80, used_large = 0, bad;
    char *big = malloc(size), line[128], why[64];
    struct manifest m;
    int all_restored = 1;

    if (!big) return;
    used_large += manifest_format_header(big, size, "clear_logs", "2026-11-25T07:41:03Z", "CryptSvc", "C:\\w");
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 100000; i++) {
            char from[48], to[48];
            size_t length;
            snprintf(from, sizeof(from), "C:\\w\\catroot2\\edb%05X.log", i);
            snprintf(to, sizeof(to), "C:\\b\\edb%05X.log", i);
            length = pass ? manifest_format_mark(line, sizeof(line), MANIFEST_RESTORED, from, to)
                          : manifest_format_move(line, sizeof(line), MANIFEST_FILE, from, to);
            memcpy(big + used_large, line, length);
            used_large += length;
        }
    memset(&m, 0, sizeof(m));
    bad = manifest_parse(big, used_large, &m, why, sizeof(why));
    ok(bad == 0 && m.count == 100000, "100 000 moves parse (%u, %u)\n", (unsigned)bad, (unsigned)m.count);
    for (size_t i = 0; !bad && i < m.count; i++)
        if (m.entries[i].state != MANIFEST_RESTORED) all_restored = 0;
    ok(!bad && all_restored, "every one marked restored\n");
    if (!bad) manifest_free(&m);
    free(big);
}

START_TEST(manifest)
{
    test_large();
    test_round_trip();
    test_damage();
    test_backup_names();
}
