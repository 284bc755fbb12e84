/* core/pure/symptoms.c: the symptom finder table and its lookup by code or by words. */
#include "pure/symptoms.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define KB822798 "KB822798 \"You cannot install some updates or programs\" (SupportArticles-docs cannot-install-updates-programs.md)"
#define KB947821 "KB947821 fix-windows-update-errors.md (corruption errors)"
#define COMMON_WU "Microsoft Learn \"Windows Update common errors and mitigation\" (common-windows-update-errors.md)"

static const struct symptom table[] = {
    { 0, "", "Setup could not verify the integrity of the file Update.inf. Make sure the Cryptographic "
             "service is running on this computer.",
      1, DIAG_SERVICE, REPAIR_SET_AUTOMATIC,
      "Cryptographic Services is stopped or not set to Automatic, or its catalog database is damaged; "
      "set it to Automatic and start it, then look at the catalog database row.",
      "the source article (smallvoid.com); " KB822798 },
    { 0, "", "Error Disabling Connection. It is not possible to disable the connection at this time. This "
             "connection may be using one or more protocols that do not support Plug-and-Play, or it may "
             "have been initiated by another user or the system account.",
      1, DIAG_SERVICE, REPAIR_RESTART_SERVICE,
      "Cryptographic Services stopped responding; restarting it usually cures this.",
      "the source article (smallvoid.com): \"Many times a restart will solve the issue\"" },
    { 0, "", "Failed to install catalog files.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "The catalog database could not take the update's catalog; rebuilding catroot2 is Microsoft's cure.",
      KB822798 },
    { 0x80070490, "ERROR_NOT_FOUND", "Element not found.",
      1, DIAG_CATALOG_DB, REPAIR_CLEAR_LOGS,
      "Can come from thousands of log files in catroot2 (KB977893); also from component-store damage, "
      "which DISM /RestoreHealth fixes (KB947821).",
      "KB977893 (mskb.pkisolutions.com/kb/977893); troubleshoot-windows-update-error-0x80070490.md; " KB947821 },
    { 0x800B0100, "TRUST_E_NOSIGNATURE", "No signature was present in the subject.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "Windows could not find the signature of an update, which lives in the catalog database; "
      "if the catalog row is healthy, run DISM /RestoreHealth (KB947821).",
      KB947821 "; peers.md section 5" },
    { 0x800B0109, "CERT_E_UNTRUSTEDROOT",
      "A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.",
      1, DIAG_PROTECTED_ROOT, REPAIR_REFRESH_ROOT_LIST,
      "A Microsoft root certificate is missing or not trusted; check the root certificates (KB822798 method 3).",
      KB822798 },
    { 0x80096001, "TRUST_E_SYSTEM_ERROR", "A system-level error occurred while verifying trust.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "Signature checking itself failed; KB822798 names a damaged catroot2 or a disabled Cryptographic Services.",
      KB822798 },
    { 0x80096005, "TRUST_E_TIME_STAMP",
      "The timestamp signature and/or certificate could not be verified or is malformed.",
      1, DIAG_PROTECTED_ROOT, REPAIR_REFRESH_ROOT_LIST,
      "The time-stamp certificate could not be checked; usually missing or expired root certificates (KB822798).",
      KB822798 },
    { 0x80096010, "TRUST_E_BAD_DIGEST", "The digital signature of the object did not verify.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "A file did not match its signature; KB822798 traces this to a damaged catroot2.",
      KB822798 },
    { 0x80092004, "CRYPT_E_NOT_FOUND", "Cannot find object or property.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "The catalog of an update was not found (\"Failed to install catalog files\"); on Windows 7 and "
      "Server 2008 R2 it also means the SHA-2 signing updates are missing.",
      KB822798 " (Svcpack.log GetCatVersion example); peers.md section 5" },
    { 0x80092026, "CRYPT_E_SECURITY_SETTINGS",
      "The cryptographic operation failed due to a local security option setting.",
      1, DIAG_ROOT_UPDATE, REPAIR_RESET_WINTRUST_STATE,
      "The WinTrust \"Software Publishing\\State\" setting is wrong; setting it back to 0x23c00 fixes it.",
      "KB2715304 (learn.microsoft.com troubleshoot error-when-you-validate-copy-windows)" },
    { 0x80242006, "WU_E_UH_INVALIDMETADATA",
      "A handler operation couldn't be completed because the update contains invalid metadata.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "Microsoft's mitigation renames catroot2 (and SoftwareDistribution\\DataStore and Download) to .bak.",
      COMMON_WU },
    { 0x80070422, "ERROR_SERVICE_DISABLED",
      "The service cannot be started, either because it is disabled or because it has no enabled devices associated with it.",
      1, DIAG_SERVICE, REPAIR_SET_AUTOMATIC,
      "A service Windows Update needs is disabled: Cryptographic Services (we fix it) or Windows Update "
      "itself (see its row).",
      COMMON_WU "; " KB822798 " (Cryptographic Services disabled)" },
    { 0x800B0001, "TRUST_E_PROVIDER_UNKNOWN",
      "Unknown trust provider.",
      1, DIAG_CATALOG_DB, REPAIR_REREGISTER_DLLS,
      "The signature-checking providers are not registered; registering the KB822798 DLLs again fixes it.",
      KB822798 " (WindowsUpdate.log codes)" },
    { 0x800B0003, "TRUST_E_SUBJECT_FORM_UNKNOWN",
      "The form specified for the subject is not one supported or known by the specified trust provider.",
      1, DIAG_CATALOG_DB, REPAIR_REREGISTER_DLLS,
      "The signature-checking providers are not registered; registering the KB822798 DLLs again fixes it.",
      KB822798 " (WindowsUpdate.log codes)" },
    { 0x800B0004, "TRUST_E_SUBJECT_NOT_TRUSTED", "The subject is not trusted for the specified action.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "A signature was not trusted; KB822798 lists a damaged catroot2 and missing root certificates as causes.",
      KB822798 " (WindowsUpdate.log codes)" },
    { 0x8007F0DA, "", "Update installer error 0x8007f0da.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "An update installer error KB822798 traces to a damaged catroot2 or Cryptographic Services.",
      KB822798 " (WindowsUpdate.log codes; Microsoft gives no name)" },
    { 0x8007F01E, "", "Update installer error 0x8007f01e.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "An update installer error KB822798 traces to a damaged catroot2 or Cryptographic Services.",
      KB822798 " (WindowsUpdate.log codes; Microsoft gives no name)" },
    { 0x8007F007, "", "Update installer error 0x8007f007.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "An update installer error KB822798 traces to a damaged catroot2 or Cryptographic Services.",
      KB822798 " (WindowsUpdate.log codes; Microsoft gives no name)" },
    { 0x8007371B, "ERROR_SXS_TRANSACTION_CLOSURE_INCOMPLETE",
      "One or more required members of the transaction are not present.",
      0, DIAG_SERVICE, REPAIR_NONE,
      "Not a Cryptographic Services problem: the component store is damaged. Run DISM /Online "
      "/Cleanup-Image /RestoreHealth, then sfc /scannow.",
      COMMON_WU "; " KB947821 },
    { 0, "", "Failed extract of third-party root list from auto update cab.",
      1, DIAG_ROOT_UPDATE, REPAIR_REFRESH_ROOT_LIST,
      "CAPI2 event 4107 or 11: an expired root list is stuck in the cache; clearing the cache cures it.",
      "KB2328240 (event-id-4107-or-event-id-11-is-logged.md)" },
    { 0, "", "The Cryptographic Services service failed to initialize the Catalog Database.",
      1, DIAG_CATALOG_DB, REPAIR_REBUILD_CATALOG,
      "CAPI2 event 256/257: the catalog database does not open; Microsoft's cure is a new catroot2.",
      "TechNet cc734083 (event 256) and TechNet wiki 13827 (event 257)" },
};

const struct symptom *symptom_table(size_t *count)
{
    *count = sizeof(table) / sizeof(table[0]);
    return table;
}

/* ---- codes ----------------------------------------------------------------------------- */

static int is_hex(int c)
{
    return isxdigit((unsigned char)c);
}

/* Parses one token (no spaces) as a code. */
static int parse_token(const char *token, size_t length, uint32_t *code)
{
    char buffer[32];
    char *end;

    if (length == 0 || length >= sizeof(buffer)) return 0;
    memcpy(buffer, token, length);
    buffer[length] = 0;

    if (length > 2 && buffer[0] == '0' && (buffer[1] == 'x' || buffer[1] == 'X')) {
        unsigned long long value;
        if (length > 10) return 0;
        for (size_t i = 2; i < length; i++) if (!is_hex(buffer[i])) return 0;
        value = strtoull(buffer + 2, &end, 16);
        *code = (uint32_t)value;
        return 1;
    }
    /* "80070490": eight hex digits starting with 8 are how Windows Update shows an HRESULT. */
    if (length == 8 && buffer[0] == '8') {
        size_t i;
        for (i = 0; i < length && is_hex(buffer[i]); i++) {}
        if (i == length) {
            *code = (uint32_t)strtoul(buffer, &end, 16);
            return 1;
        }
    }
    if (buffer[0] == '-' || isdigit((unsigned char)buffer[0])) {
        long long value;
        for (size_t i = buffer[0] == '-' ? 1 : 0; i < length; i++) if (!isdigit((unsigned char)buffer[i])) return 0;
        if (length == 1 && buffer[0] == '-') return 0;
        value = strtoll(buffer, &end, 10);
        if (value < 0) {
            if (value < -2147483647LL - 1) return 0;
            *code = (uint32_t)(int32_t)value;
            return 1;
        }
        if (value > 0xFFFFFFFFLL) return 0;
        /* A bare Win32 error ("1058") is the HRESULT Windows Update would show for it. */
        if (value > 0 && value < 0x10000) *code = 0x80070000u | (uint32_t)value;
        else if (value >= 0x80000000LL) *code = (uint32_t)value;
        else return 0;
        return 1;
    }
    return 0;
}

static int token_char(int c)
{
    return isalnum((unsigned char)c) || c == '-';
}

int symptom_parse_code(const char *input, uint32_t *code)
{
    const char *p = input;

    while (*p) {
        const char *start;
        uint32_t value;

        while (*p && !token_char((unsigned char)*p)) p++;
        start = p;
        while (*p && token_char((unsigned char)*p)) p++;
        if (p > start && parse_token(start, (size_t)(p - start), &value)) {
            *code = value;
            return 1;
        }
    }
    return 0;
}

/* ---- words ----------------------------------------------------------------------------- */

#define WORD_MAX 32
#define WORDS_MAX 48

static const char *const stop_words[] = {
    "the", "and", "this", "that", "with", "make", "sure", "from", "have", "been", "your", "when",
    "error", "code", "failed", "windows", "please", "message", "because", "either", "which", "could",
};

static int is_stop_word(const char *word)
{
    if (strlen(word) < 3) return 1;
    for (size_t i = 0; i < sizeof(stop_words) / sizeof(stop_words[0]); i++)
        if (!strcmp(word, stop_words[i])) return 1;
    return 0;
}

/* Lower-case words of `text` (letters, digits, '.' inside a word as in "update.inf"). */
static size_t split_words(const char *text, char words[][WORD_MAX], size_t max)
{
    size_t count = 0;

    while (*text && count < max) {
        size_t length = 0;
        while (*text && !isalnum((unsigned char)*text)) text++;
        while (*text && (isalnum((unsigned char)*text) ||
                         (*text == '.' && isalnum((unsigned char)text[1]) && length))) {
            if (length + 1 < WORD_MAX) words[count][length++] = (char)tolower((unsigned char)*text);
            text++;
        }
        words[count][length] = 0;
        if (length && !is_stop_word(words[count])) count++;
    }
    return count;
}

/* How many of the input's words the entry's message holds (each once). */
static unsigned score_entry(const struct symptom *entry, char words[][WORD_MAX], size_t count)
{
    char message_words[WORDS_MAX * 2][WORD_MAX];
    size_t message_count = split_words(entry->message, message_words, WORDS_MAX * 2);
    unsigned score = 0;

    for (size_t i = 0; i < count; i++) {
        int duplicate = 0;
        for (size_t k = 0; k < i; k++) if (!strcmp(words[k], words[i])) duplicate = 1;
        if (duplicate) continue;
        for (size_t j = 0; j < message_count; j++)
            if (!strcmp(words[i], message_words[j])) { score++; break; }
    }
    return score;
}

size_t symptom_find(const char *input, const struct symptom **out, size_t max)
{
    const size_t entries = sizeof(table) / sizeof(table[0]);
    unsigned scores[sizeof(table) / sizeof(table[0])];
    char words[WORDS_MAX][WORD_MAX];
    size_t word_count, found = 0;
    unsigned needed;
    uint32_t code;

    if (!input) return 0;
    if (symptom_parse_code(input, &code)) {
        for (size_t i = 0; i < entries; i++) {
            if (table[i].code != code || !table[i].code) continue;
            if (found < max) out[found] = &table[i];
            found++;
        }
        if (found) return found;
    }
    word_count = split_words(input, words, WORDS_MAX);
    if (!word_count) return 0;
    /* One telling word is enough for a short query ("catalog"); longer ones need half their
     * words, so a sentence that merely shares "service" matches nothing. */
    needed = word_count <= 2 ? 1 : (unsigned)((word_count + 1) / 2);
    for (size_t i = 0; i < entries; i++) scores[i] = score_entry(&table[i], words, word_count);
    /* Best first: walk the scores from the highest down. */
    for (unsigned best = (unsigned)word_count; best >= needed && best > 0; best--) {
        for (size_t i = 0; i < entries; i++) {
            if (scores[i] != best) continue;
            if (found < max) out[found] = &table[i];
            found++;
        }
    }
    return found;
}
