/* tests/native/test_symptoms.c: the symptom finder: parsing codes, finding entries by code and by words. */
#include "harness/test.h"
#include "pure/symptoms.h"

#include <string.h>

static void check_code(const char *input, int expect_ok, uint32_t expect)
{
    uint32_t code = 0xdeadbeef;
    int result = symptom_parse_code(input, &code);
    ok(result == expect_ok, "\"%s\": parsed %d, expected %d\n", input, result, expect_ok);
    if (expect_ok) ok(code == expect, "\"%s\": 0x%08X, expected 0x%08X\n", input, (unsigned)code, (unsigned)expect);
    else ok(code == 0xdeadbeef, "\"%s\": code untouched on failure\n", input);
}

static void test_parse(void)
{
    check_code("0x80070490", 1, 0x80070490);
    check_code("0X800b0100", 1, 0x800B0100);
    check_code("80070490", 1, 0x80070490);
    check_code("-2147023728", 1, 0x80070490);
    check_code("2147943568", 1, 0x80070490);
    check_code("Error 0x80092026 while installing", 1, 0x80092026);
    check_code("Code 80242006.", 1, 0x80242006);
    check_code("1058", 1, 0x80070422);
    check_code("(0x8007371b)", 1, 0x8007371B);
    check_code("error: -2146762487", 1, 0x800B0109);
    check_code("Update.inf could not be verified", 0, 0);
    check_code("", 0, 0);
    check_code("0x", 0, 0);
    check_code("0x1234567890", 0, 0);
    check_code("-", 0, 0);
    check_code("99999999999", 0, 0);
    check_code("0", 0, 0);
}

static const struct symptom *find_one(const char *input)
{
    const struct symptom *found[4] = { 0 };
    size_t n = symptom_find(input, found, 4);
    ok(n >= 1, "\"%s\": %u found\n", input, (unsigned)n);
    return n ? found[0] : NULL;
}

static void test_every_code_is_found_in_every_form(void)
{
    size_t count;
    const struct symptom *table = symptom_table(&count);

    ok(count >= 20, "table has %u entries\n", (unsigned)count);
    for (size_t i = 0; i < count; i++) {
        char form[32];
        const struct symptom *s;

        ok(table[i].message && table[i].message[0], "entry %u has a message\n", (unsigned)i);
        ok(table[i].explanation && table[i].explanation[0], "entry %u has an explanation\n", (unsigned)i);
        ok(table[i].source && table[i].source[0], "entry %u has a source\n", (unsigned)i);
        ok(table[i].component < DIAG_COMPONENT_COUNT && table[i].repair < REPAIR_COUNT, "entry %u ids valid\n", (unsigned)i);
        if (!table[i].code) continue;
        snprintf(form, sizeof(form), "0x%08X", (unsigned)table[i].code);
        s = find_one(form);
        ok(s == &table[i], "%s finds its entry\n", form);
        snprintf(form, sizeof(form), "%08x", (unsigned)table[i].code);
        s = find_one(form);
        ok(s == &table[i], "%s finds its entry\n", form);
        snprintf(form, sizeof(form), "%d", (int)(int32_t)table[i].code);
        s = find_one(form);
        ok(s == &table[i], "%s finds its entry\n", form);
    }
}

static void test_required_codes(void)
{
    static const uint32_t ours[] = {
        0x80070490, 0x800B0100, 0x800B0109, 0x80096001, 0x80096005, 0x80096010, 0x80092004, 0x80092026,
        0x80242006, 0x80070422, 0x800B0001, 0x800B0003, 0x800B0004, 0x8007F0DA, 0x8007F01E, 0x8007F007,
    };
    char form[16];
    const struct symptom *s;

    for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
        snprintf(form, sizeof(form), "0x%08X", (unsigned)ours[i]);
        s = find_one(form);
        ok(s && s->code == ours[i] && s->ours, "%s is ours\n", form);
    }
    s = find_one("0x8007371B");
    ok(s && !s->ours && s->repair == REPAIR_NONE && strstr(s->explanation, "DISM"), "0x8007371B is not ours: DISM\n");
    s = find_one("0x80092026");
    ok(s && s->repair == REPAIR_RESET_WINTRUST_STATE && s->component == DIAG_ROOT_UPDATE, "0x80092026: WinTrust State\n");
    ok(s && strstr(s->source, "KB2715304") != NULL, "0x80092026 cites KB2715304\n");
    s = find_one("0x80070422");
    ok(s && s->repair == REPAIR_SET_AUTOMATIC, "service disabled: set automatic\n");
    s = find_one("0x80070490");
    ok(s && s->component == DIAG_CATALOG_DB && strstr(s->source, "KB977893"), "0x80070490: catroot2 logs, KB977893\n");
}

static void test_messages(void)
{
    const struct symptom *s;
    const struct symptom *found[8];

    s = find_one("Setup could not verify the integrity of the file Update.inf. Make sure the Cryptographic "
                 "service is running on this computer");
    ok(s && s->code == 0 && s->component == DIAG_SERVICE && s->repair == REPAIR_SET_AUTOMATIC, "Update.inf message\n");
    s = find_one("could not verify the integrity of update.inf");
    ok(s && s->component == DIAG_SERVICE, "part of the Update.inf message\n");
    s = find_one("Error Disabling Connection");
    ok(s && s->repair == REPAIR_RESTART_SERVICE, "Error Disabling Connection\n");
    s = find_one("It is not possible to disable the connection at this time");
    ok(s && s->repair == REPAIR_RESTART_SERVICE, "second line of that message\n");
    s = find_one("failed to initialize the Catalog Database");
    ok(s && s->component == DIAG_CATALOG_DB && s->repair == REPAIR_REBUILD_CATALOG, "CAPI2 256/257 text\n");
    s = find_one("Failed extract of third-party root list from auto update cab");
    ok(s && s->repair == REPAIR_REFRESH_ROOT_LIST, "CAPI2 4107 text\n");
    s = find_one("The cryptographic operation failed due to a local security option setting");
    ok(s && s->code == 0x80092026, "KB2715304 message text\n");
    ok(symptom_find("my printer is out of paper today", found, 8) == 0, "unrelated words match nothing\n");
    ok(symptom_find("", found, 8) == 0, "empty input\n");
    ok(symptom_find(NULL, found, 8) == 0, "NULL input\n");
    ok(symptom_find("0x80004005", found, 8) == 0, "unknown code, no words: nothing\n");
    ok(symptom_find("catalog", NULL, 0) >= 2, "count without output\n");
}

START_TEST(symptoms)
{
    test_parse();
    test_every_code_is_found_in_every_form();
    test_required_codes();
    test_messages();
}
