/* tests/native/test_dberr.c: dberr.txt lines, dates, ESE errors and HRESULTs, in every encoding and in garbage. */
#include "harness/test.h"
#include "pure/dberr.h"

#include <stdlib.h>
#include <string.h>

static struct dberr_result result;

static size_t parse_text(const char *text)
{
    return dberr_parse((const uint8_t *)text, strlen(text), &result);
}

static void test_utf8_lines(void)
{
    const char *text =
        "CatalogDB: 2024-02-26 10:11:12 Error -1018 (0xfffffc06) in CatDBInit\r\n"
        "\r\n"
        "CatalogDB: 02/27/2024 08:00: JET error -546 while opening edb.log, hr 0x80070490\n"
        "just text with 2024-13-45 and -12 and 0x1234 and x-1018 and 0x80092026ff\n"
        "last line 26.02.2023 hr=0x800B0100";

    ok(parse_text(text) == 4, "4 lines: %u\n", (unsigned)result.line_count);
    ok(result.encoding == DBERR_UTF8 && !result.damaged[0], "utf-8, not damaged: %s\n", result.damaged);
    ok(result.tail_count == 4, "tail %u\n", (unsigned)result.tail_count);
    ok(result.tail[0].time.is_set && result.tail[0].time.year == 2024 && result.tail[0].time.month == 2 &&
           result.tail[0].time.day == 26 && result.tail[0].time.hour == 10 && result.tail[0].time.second == 12,
       "line 1 date\n");
    ok(result.tail[0].ese_error == -1018 && result.tail[0].hresult == 0, "line 1: %d %08x\n",
       result.tail[0].ese_error, (unsigned)result.tail[0].hresult);
    ok(result.tail[1].time.is_set && result.tail[1].time.month == 2 && result.tail[1].time.day == 27 &&
           result.tail[1].time.hour == 8, "US date\n");
    ok(result.tail[1].ese_error == -546 && result.tail[1].hresult == 0x80070490u, "line 2: %d %08x\n",
       result.tail[1].ese_error, (unsigned)result.tail[1].hresult);
    ok(!result.tail[2].time.is_set && result.tail[2].ese_error == 0 && result.tail[2].hresult == 0,
       "line 3 has nothing: %d %d %08x\n", result.tail[2].time.is_set, result.tail[2].ese_error,
       (unsigned)result.tail[2].hresult);
    ok(result.tail[3].time.is_set && result.tail[3].time.day == 26 && result.tail[3].time.year == 2023 &&
           result.tail[3].hresult == 0x800b0100u, "dotted date, upper-case hex\n");
    ok(parse_text("MyInstallCatalog failed, error=0xfffffbfe") == 1 && result.tail[0].ese_error == -1026 &&
           result.tail[0].hresult == 0, "hex ESE error: %d\n", result.tail[0].ese_error);
    parse_text(text);
    ok(result.error_line_count == 3 && result.last_ese_error == -546 && result.last_hresult == 0x800b0100u,
       "summary %u %d\n", (unsigned)result.error_line_count, result.last_ese_error);
    ok(result.newest.is_set && result.newest.year == 2024 && result.newest.day == 27, "newest date\n");
    ok(strcmp(dberr_ese_error_name(-1018), "JET_errReadVerifyFailure") == 0, "name\n");
    ok(strcmp(dberr_ese_error_name(-546), "JET_errLogSectorSizeMismatch") == 0 && dberr_ese_error_name(-1) == NULL,
       "names\n");
    ok(dberr_ese_error_text(-1032) != NULL, "text\n");
}

static size_t utf16(const char *ascii, uint8_t *out, int bom)
{
    size_t n = 0;
    if (bom) { out[n++] = 0xff; out[n++] = 0xfe; }
    for (; *ascii; ascii++) { out[n++] = (uint8_t)*ascii; out[n++] = 0; }
    return n;
}

static void test_utf16(void)
{
    uint8_t buffer[512];
    size_t length = utf16("2024/03/01 error -1206\r\nsecond 0x80096010\r\n", buffer, 1);

    ok(dberr_parse(buffer, length, &result) == 2 && result.encoding == DBERR_UTF16LE, "utf-16 with BOM\n");
    ok(result.tail[0].ese_error == -1206 && result.tail[0].time.month == 3 && result.tail[1].hresult == 0x80096010u,
       "utf-16 facts\n");
    length = utf16("no bom -1032 here\n", buffer, 0);
    ok(dberr_parse(buffer, length, &result) == 1 && result.encoding == DBERR_UTF16LE &&
           result.tail[0].ese_error == -1032, "utf-16 without BOM: %s\n", result.tail[0].text);
    /* A surrogate pair and a lone surrogate. */
    length = utf16("x", buffer, 1);
    buffer[length++] = 0x3d; buffer[length++] = 0xd8; buffer[length++] = 0x00; buffer[length++] = 0xde;
    buffer[length++] = 0x00; buffer[length++] = 0xd8; buffer[length++] = 'y'; buffer[length++] = 0;
    buffer[length++] = 'z';
    ok(dberr_parse(buffer, length, &result) == 1 && strncmp(result.tail[0].text, "x\xf0\x9f\x98\x80", 5) == 0,
       "surrogates: %s\n", result.tail[0].text);
}

static void test_ansi_and_utf8(void)
{
    const char *text = "\xef\xbb\xbf" "Fehler \xc3\xa4 -1018\n" "ANSI \xe4\xf6 0x80070490\n";
    ok(parse_text(text) == 2 && result.encoding == DBERR_ANSI, "mixed: encoding %d\n", result.encoding);
    ok(strcmp(result.tail[0].text, "Fehler \xc3\xa4 -1018") == 0, "utf-8 kept: %s\n", result.tail[0].text);
    ok(strcmp(result.tail[1].text, "ANSI \xc3\xa4\xc3\xb6 0x80070490") == 0, "cp1252 converted: %s\n",
       result.tail[1].text);
}

static void test_tail_and_long_lines(void)
{
    char *text = malloc(100 * 40 + 2000);
    size_t n = 0;

    for (int i = 0; i < 100; i++) {
        memcpy(text + n, "line ", 5);
        n += 5;
        text[n++] = (char)('0' + i / 10);
        text[n++] = (char)('0' + i % 10);
        text[n++] = '\n';
    }
    memset(text + n, 'a', 1000);
    n += 1000;
    text[n] = '\0';
    ok(parse_text(text) == 101 && result.tail_count == DBERR_TAIL_MAX, "101 lines, tail %u\n",
       (unsigned)result.tail_count);
    ok(strcmp(result.tail[0].text, "line 69") == 0, "oldest kept: %s\n", result.tail[0].text);
    ok(strcmp(result.tail[DBERR_TAIL_MAX - 2].text, "line 99") == 0, "order\n");
    ok(result.tail[DBERR_TAIL_MAX - 1].truncated && strlen(result.tail[DBERR_TAIL_MAX - 1].text) == DBERR_LINE_LENGTH - 1,
       "long line truncated\n");
    free(text);
}

static void test_garbage(void)
{
    uint8_t *bytes = malloc(70000);
    uint32_t seed = 3;

    ok(dberr_parse(NULL, 0, &result) == 0 && result.tail_count == 0, "empty\n");
    ok(dberr_parse(bytes, 0, &result) == 0, "zero length\n");
    for (int round = 0; round < 20; round++) {
        size_t length = (size_t)round * 3491 + 1;
        for (size_t i = 0; i < length; i++) {
            seed = seed * 1103515245u + 12345u;
            bytes[i] = (uint8_t)(seed >> 16);
        }
        dberr_parse(bytes, length, &result);
        for (size_t i = 0; i < result.tail_count; i++)
            if (strlen(result.tail[i].text) >= DBERR_LINE_LENGTH) ok(0, "line too long\n");
    }
    ok(result.damaged[0] != '\0', "random bytes are not text: %s\n", result.damaged);
    memset(bytes, 0, 4096);
    dberr_parse(bytes, 4096, &result);
    ok(result.line_count == 0 || result.damaged[0], "zeros\n");
    free(bytes);
}

START_TEST(dberr)
{
    test_utf8_lines();
    test_utf16();
    test_ansi_and_utf8();
    test_tail_and_long_lines();
    test_garbage();
}
