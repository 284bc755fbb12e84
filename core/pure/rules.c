/* core/pure/rules.c: the rules that turn plain facts about CryptSvc into the rows the user sees. */
#include "pure/rules.h"
#include "pure/svc_names.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Numbers from the SCM and Win32 headers, kept here so this file needs no <windows.h>. */
#define E_FILE_NOT_FOUND 2u
#define E_PATH_NOT_FOUND 3u
#define E_ACCESS_DENIED 5u
#define E_NOT_SUPPORTED 50u
#define E_CALL_NOT_IMPLEMENTED 120u
#define E_INVALID_LEVEL 124u
#define E_SERVICE_DOES_NOT_EXIST 1060u
#define E_DATABASE_FAILURE 1065u
#define E_NOT_FOUND 1168u
#define E_RPC_UNAVAILABLE 1722u
#define H_CRYPT_NOT_FOUND 0x80092004u
#define H_NTE_NOT_SUPPORTED 0x80090029u
#define H_NTE_BAD_KEYSET 0x80090016u
#define SC_ACTION_RESTART_TYPE 1u
#define FILETIME_PER_DAY 864000000000ull

/* ---- versions ---------------------------------------------------------------------------- */

static int version_known(const struct rules_version *v)
{
    return v && (v->major || v->minor || v->build);
}

/* -1, 0, 1; an unknown version sorts after every known one ("newest"). */
static int version_compare(const struct rules_version *v, uint32_t major, uint32_t minor, uint32_t build)
{
    if (!version_known(v)) return 1;
    if (v->major != major) return v->major < major ? -1 : 1;
    if (v->minor != minor) return v->minor < minor ? -1 : 1;
    if (v->build != build) return v->build < build ? -1 : 1;
    return 0;
}

int rules_version_at_least(const struct rules_version *version, uint32_t major, uint32_t minor, uint32_t build)
{
    return version_compare(version, major, minor, build) >= 0;
}

void rules_version_name(const struct rules_version *v, char *out, size_t size)
{
    const char *name = "Windows";

    if (!version_known(v)) {
        diag_copy(out, size, "unknown Windows");
        return;
    }
    if (v->major == 5 && v->minor == 1) name = "Windows XP";
    else if (v->major == 5 && v->minor == 2) name = "Windows XP x64 / Server 2003";
    else if (v->major == 6 && v->minor == 0) name = "Windows Vista / Server 2008";
    else if (v->major == 6 && v->minor == 1) name = "Windows 7 / Server 2008 R2";
    else if (v->major == 6 && v->minor == 2) name = "Windows 8 / Server 2012";
    else if (v->major == 6 && v->minor == 3) name = "Windows 8.1 / Server 2012 R2";
    else if (v->major == 10 && v->build >= 22000) name = "Windows 11";
    else if (v->major == 10) name = "Windows 10";
    diag_format(out, size, "%s (%u.%u.%u)", name, v->major, v->minor, v->build);
}

/* ---- the table of recommended values --------------------------------------------------- */

#define ANY { 0, 0, 0 }
#define VISTA { 6, 0, 0 }
#define WIN7 { 6, 1, 0 }
#define WIN10_1703 { 10, 0, 15063 }


/* Every recommended value the rules compare against, with where it comes from. A value
 * that changed between Windows versions has one line per range [min, max). */
static const struct rules_recommended recommended_table[] = {
    { RULES_START_TYPE, ANY, ANY, 2, "Automatic", NULL,
      "the source article: \"Recommended State: Automatic\", \"Default State: Automatic\"; "
      "Windows 10 default Start=2, DelayedAutoStart=0 (winapi-and-wine.md B1)" },
    { RULES_STATE, ANY, ANY, 4, "Running", NULL,
      "the source article: Windows Update and Windows File Protection fail without it; "
      "KB822798 (Cryptographic Services disabled is a cause of failed installs)" },
    { RULES_IMAGE_PATH, ANY, VISTA, 0, "%SystemRoot%\\system32\\svchost.exe -k netsvcs", NULL,
      "the source article: WinXP/Win2k3 - svchost.exe -k netsvcs" },
    { RULES_IMAGE_PATH, VISTA, WIN10_1703, 0, "%SystemRoot%\\system32\\svchost.exe -k NetworkService", NULL,
      "the source article: Win8/Win7/Vista - svchost.exe -k NetworkService" },
    { RULES_IMAGE_PATH, WIN10_1703, ANY, 0, "%SystemRoot%\\system32\\svchost.exe -k NetworkService -p",
      "%SystemRoot%\\system32\\svchost.exe -k NetworkService",
      "winapi-and-wine.md B1: Windows 10 1703 and later add -p; the form without it is accepted" },
    { RULES_ACCOUNT, ANY, VISTA, 0, "LocalSystem", NULL,
      "the netsvcs svchost group of XP/2003 runs as LocalSystem (not verified on a real XP here)" },
    { RULES_ACCOUNT, VISTA, ANY, 0, "NT Authority\\NetworkService", NULL,
      "winapi-and-wine.md B1 (ObjectName), matching the NetworkService svchost group" },
    { RULES_DEPENDS_ON, ANY, ANY, 0, "RpcSs", NULL,
      "the source article: \"Depends: Remote Procedure Call (RPC)\"; winapi-and-wine.md B1" },
    { RULES_SERVICE_DLL, ANY, ANY, 0, "%SystemRoot%\\system32\\cryptsvc.dll", NULL,
      "winapi-and-wine.md B1 (Parameters\\ServiceDll)" },
    { RULES_FAILURE_ACTIONS, VISTA, ANY, 60000, "restart after 60 seconds (counter reset after 1 day)", NULL,
      "winapi-and-wine.md B1: FailureActions decodes to reset 86400 s; restart after 60000 ms, then none" },
    { RULES_SERVICE_SID_TYPE, VISTA, ANY, 1, "Unrestricted", NULL, "winapi-and-wine.md B1 (ServiceSidType 1)" },
    { RULES_WINTRUST_STATE, ANY, ANY, 0x23c00, "0x23c00", "0x23e00",
      "KB2715304: \"By default the value is set to 23c00\"; 0x23e00 (revocation check box changed) is also valid" },
    { RULES_ROOT_LIST_MAX_AGE, VISTA, ANY, 180, "180 days", NULL,
      "our judgement: Microsoft republishes the root list several times a year; older means updates stopped" },
    { RULES_ROOT_SYNC_MAX_AGE, VISTA, ANY, 30, "30 days", NULL,
      "our judgement: Windows syncs on demand, so an old sync is only worth mentioning" },
    { RULES_APPID_EXISTS, WIN7, ANY, 1, "Application Identity depends on Cryptographic Services", NULL,
      "the source article: \"Supports: Application Identity (Win7+)\"; winapi-and-wine.md B1 dependents" },
    { RULES_ROOT_UPDATE_EXISTS, VISTA, ANY, 1, "Automatic Root Certificate Update", NULL,
      "the source article: \"(Vista+) Automatic Root Certificate Update Service\"" },
};

const struct rules_recommended *rules_recommended_table(size_t *count)
{
    *count = sizeof(recommended_table) / sizeof(recommended_table[0]);
    return recommended_table;
}

static int in_range(const struct rules_recommended *entry, const struct rules_version *version)
{
    const struct rules_version *min = &entry->min, *max = &entry->max;

    if (version_compare(version, min->major, min->minor, min->build) < 0) return 0;
    if (version_known(max) && version_compare(version, max->major, max->minor, max->build) >= 0) return 0;
    return 1;
}

const struct rules_recommended *rules_recommended(enum rules_value_id id, const struct rules_version *version)
{
    size_t count;
    const struct rules_recommended *table = rules_recommended_table(&count);

    for (size_t i = 0; i < count; i++)
        if (table[i].id == id && in_range(&table[i], version)) return &table[i];
    return NULL;
}

/* ---- text helpers ------------------------------------------------------------------------ */

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int equal_nocase(const char *a, const char *b)
{
    while (*a && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) a++, b++;
    return ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b);
}

static int starts_nocase(const char *text, const char *prefix)
{
    while (*prefix && ascii_lower((unsigned char)*text) == ascii_lower((unsigned char)*prefix)) text++, prefix++;
    return !*prefix;
}

/* Lower case, %windir% and the machine's Windows folder as %systemroot%, no quotes, single
 * spaces, no leading or trailing space. */
static void normalize_command(const char *in, const char *windows_dir, char *out, size_t size)
{
    size_t used = 0;
    size_t dir_length = windows_dir ? strlen(windows_dir) : 0;
    int space = 0;

    while (*in && used + 1 < size) {
        const char *replace = NULL;
        size_t skip = 0;

        if (starts_nocase(in, "%systemroot%")) replace = "%systemroot%", skip = 12;
        else if (starts_nocase(in, "%windir%")) replace = "%systemroot%", skip = 8;
        else if (dir_length && starts_nocase(in, windows_dir)) replace = "%systemroot%", skip = dir_length;
        if (replace) {
            if (space && used) out[used++] = ' ';
            space = 0;
            for (; *replace && used + 1 < size; replace++) out[used++] = *replace;
            in += skip;
            continue;
        }
        if (*in == '"') { in++; continue; }
        if (isspace((unsigned char)*in)) { space = 1; in++; continue; }
        if (space && used && used + 1 < size) out[used++] = ' ';
        space = 0;
        out[used++] = (char)ascii_lower((unsigned char)*in++);
    }
    out[used] = 0;
}

int rules_same_command(const char *a, const char *b, const char *windows_dir)
{
    char left[RULES_TEXT_LENGTH * 2], right[RULES_TEXT_LENGTH * 2];

    normalize_command(a, windows_dir, left, sizeof(left));
    normalize_command(b, windows_dir, right, sizeof(right));
    return !strcmp(left, right);
}

void rules_error_words(uint32_t error, char *out, size_t size)
{
    const char *words = NULL;
    char inner[80];

    /* HRESULT_FROM_WIN32(e), as CNG and COM report Win32 errors: the words of e. */
    if ((error & 0xFFFF0000u) == 0x80070000u && (error & 0xFFFFu) != 0) {
        rules_error_words(error & 0xFFFFu, inner, sizeof(inner));
        char *cut = strstr(inner, " (error");
        if (cut) *cut = 0;
        diag_format(out, size, "%s (error 0x%08X)", inner, (unsigned)error);
        return;
    }

    switch (error) {
    case 0: words = "no error"; break;
    case E_FILE_NOT_FOUND: words = "not found"; break;
    case E_PATH_NOT_FOUND: words = "the folder does not exist"; break;
    case E_ACCESS_DENIED: words = "access is denied"; break;
    case E_NOT_SUPPORTED: words = "not supported"; break;
    case E_CALL_NOT_IMPLEMENTED: words = "not implemented on this Windows"; break;
    case E_INVALID_LEVEL: words = "this Windows does not report it"; break;
    case E_SERVICE_DOES_NOT_EXIST: words = "the service is not installed"; break;
    case E_DATABASE_FAILURE: words = "the database reported a failure"; break;
    case E_NOT_FOUND: words = "element not found"; break;
    case RULES_TIMED_OUT: words = "no answer in time"; break;
    case E_RPC_UNAVAILABLE: words = "the machine did not answer"; break;
    case H_CRYPT_NOT_FOUND: words = "not found"; break;
    case H_NTE_NOT_SUPPORTED: words = "not supported"; break;
    case H_NTE_BAD_KEYSET: words = "the key set does not exist"; break;
    case RULES_NOT_RUN: words = "not run"; break;
    case RULES_NO_ANSWER: words = "this Windows answered with neither a result nor an error"; break;
    }
    if (error == RULES_NO_ANSWER || error == RULES_NOT_RUN) {
        diag_copy(out, size, words);
        return;
    }
    if (error >= 0x80000000u)
        diag_format(out, size, "%s (error 0x%08X)", words ? words : "failed", (unsigned)error);
    else
        diag_format(out, size, "%s (error %u)", words ? words : "failed", (unsigned)error);
}

static const char *const component_names[] = {
    [DIAG_SERVICE] = "Cryptographic Services (CryptSvc)",
    [DIAG_CATALOG_DB] = "Catalog Database Service",
    [DIAG_PROTECTED_ROOT] = "Protected Root Service",
    [DIAG_KEY_SERVICE] = "Key Service",
    [DIAG_ROOT_UPDATE] = "Automatic Root Certificate Update",
    [DIAG_DEPENDENCY_RPCSS] = "Remote Procedure Call (RpcSs)",
    [DIAG_SUPPORTED_APPID] = "Application Identity (AppIDSvc)",
    [DIAG_SUPPORTED_WUAUSERV] = "Windows Update (wuauserv)",
};

const char *rules_component_name(enum diag_component component)
{
    return (unsigned)component < DIAG_COMPONENT_COUNT ? component_names[component] : "";
}

/* Starts a row afresh: name, nothing checked yet. */
static void row_begin(struct diag_row *row, enum diag_component component)
{
    memset(row, 0, sizeof(*row));
    row->component = component;
    row->severity = DIAG_NOT_CHECKED;
    diag_copy(row->name, sizeof(row->name), rules_component_name(component));
}

/* Raises the severity and, when this is the row's worst finding so far, takes its headline. */
static void finding(struct diag_row *row, enum diag_severity severity, const char *headline)
{
    if (diag_severity_rank(severity) > diag_severity_rank(row->severity) || !row->headline[0]) {
        if (diag_severity_rank(severity) >= diag_severity_rank(row->severity) && headline)
            diag_copy(row->headline, sizeof(row->headline), headline);
    }
    diag_raise(row, severity);
}

/* A repair replaces the row's current one only when it ranks higher in `order`. */
static void propose(struct diag_row *row, enum diag_repair repair, const enum diag_repair *order, size_t count)
{
    size_t have = count, want = count;

    for (size_t i = 0; i < count; i++) {
        if (order[i] == row->repair) have = i;
        if (order[i] == repair) want = i;
    }
    if (row->repair == REPAIR_NONE || want < have) row->repair = repair;
}

static const char *state_words(uint32_t state)
{
    const char *name = svc_state_name(state);
    return name ? name : "in an unknown state";
}

static const char *start_words(uint32_t start_type, int delayed_auto)
{
    const char *name = svc_start_name(svc_start_effective(start_type, delayed_auto));
    return name ? name : "an unknown start type";
}

static const char *mode_words(uint32_t mode)
{
    return mode == 2 ? "Automatic" : mode == 3 ? "Manual" : mode == 4 ? "Disabled" : "an unknown start mode";
}

/* ---- Group Policy templates ---------------------------------------------------------- */

/* Copies the next line of `text` into `line` (cut if long); returns where the following
 * line starts, or NULL at the end. */
static const char *next_line(const char *text, char *line, size_t size)
{
    size_t used = 0;

    if (!*text) return NULL;
    while (*text && *text != '\n' && *text != '\r') {
        if (used + 1 < size) line[used++] = *text;
        text++;
    }
    while (*text == '\r' || *text == '\n') text++;
    line[used] = 0;
    return text;
}

static const char *skip_spaces(const char *p)
{
    while (*p == ' ' || *p == '\t') p++;
    return p;
}

/* `"CryptSvc",2,"D:..."` or `CryptSvc,2,...`: 1 and the mode when the line names `service`. */
static int service_line_mode(const char *line, const char *service, uint32_t *mode)
{
    char name[RULES_NAME_LENGTH];
    size_t used = 0;
    const char *p = skip_spaces(line);
    int quoted = *p == '"';

    if (quoted) p++;
    while (*p && (quoted ? *p != '"' : (*p != ',' && *p != ' ' && *p != '\t'))) {
        if (used + 1 < sizeof(name)) name[used++] = *p;
        p++;
    }
    name[used] = 0;
    if (quoted && *p == '"') p++;
    p = skip_spaces(p);
    if (*p != ',' || !equal_nocase(name, service)) return 0;
    p = skip_spaces(p + 1);
    if (*p < '0' || *p > '9') return 0;
    *mode = (uint32_t)(*p - '0');
    return 1;
}

int rules_template_service_mode(const char *template_text, const char *service, uint32_t *startup_mode)
{
    char line[1024];
    int in_section = 0, found = 0;
    uint32_t mode = 0;
    const char *p = template_text;

    /* A UTF-8 byte order mark is not part of the first line. */
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF) p += 3;
    while ((p = next_line(p, line, sizeof(line))) != NULL) {
        const char *start = skip_spaces(line);
        if (*start == '[') {
            in_section = starts_nocase(start, "[Service General Setting]");
            continue;
        }
        if (in_section && service_line_mode(start, service, &mode)) found = 1;  /* the last one wins */
    }
    if (found) *startup_mode = mode;
    return found;
}

/* ---- the service row ------------------------------------------------------------------- */

/* A hung service needs a restart before anything else; the start type is fixed next time. */
static const enum diag_repair service_repair_order[] = {
    REPAIR_RESTART_SERVICE, REPAIR_SET_AUTOMATIC, REPAIR_START_SERVICE,
};
#define SERVICE_PROPOSE(row, repair) \
    propose(row, repair, service_repair_order, sizeof(service_repair_order) / sizeof(service_repair_order[0]))

static void service_query_failed(const struct rules_service_facts *facts, struct diag_row *row)
{
    char words[96];

    rules_error_words(facts->query_error, words, sizeof(words));
    if (facts->query_error == RULES_TIMED_OUT && !facts->remote) {
        diag_copy(row->current, sizeof(row->current), "Not responding");
        finding(row, DIAG_PROBLEM, "Cryptographic Services is not responding.");
        diag_evidence(row, "Windows did not answer a status query about it within %u seconds.",
                      (unsigned)(facts->query_wait_ms / 1000));
        diag_evidence(row, "A service in this state causes the source article's \"Error Disabling "
                           "Connection\" message; a restart usually cures it.");
        SERVICE_PROPOSE(row, REPAIR_RESTART_SERVICE);
    } else if (facts->query_error == E_SERVICE_DOES_NOT_EXIST) {
        diag_copy(row->current, sizeof(row->current), "Not installed");
        finding(row, DIAG_PROBLEM, "Cryptographic Services is not installed.");
        diag_evidence(row, "Windows has no service named CryptSvc, so signatures of updates and drivers "
                           "cannot be checked. An in-place upgrade restores it (KB822798, method 6).");
    } else {
        diag_copy(row->current, sizeof(row->current), "Unknown");
        row->severity = DIAG_NOT_CHECKED;
        diag_evidence(row, "could not check: the service could not be queried: %s.", words);
    }
}

static void service_state_rules(const struct rules_service_facts *facts, struct diag_row *row)
{
    int automatic = facts->start_type == SVC_START_AUTO;
    int running = facts->state == SVC_STATE_RUNNING;

    if (svc_state_is_pending(facts->state)) {
        if (facts->pending_still_ms > facts->wait_hint) {
            char headline[DIAG_HEADLINE_LENGTH];
            diag_format(headline, sizeof(headline), "Cryptographic Services is not responding (stuck in %s).",
                        state_words(facts->state));
            diag_copy(row->current, sizeof(row->current), "Not responding");
            finding(row, DIAG_PROBLEM, headline);
            diag_evidence(row, "It stayed in \"%s\" for %u s with no progress, longer than the %u s it "
                               "asked Windows to wait (its wait hint).", state_words(facts->state),
                          (unsigned)(facts->pending_still_ms / 1000), (unsigned)(facts->wait_hint / 1000));
            diag_evidence(row, "A service in this state causes the source article's \"Error Disabling "
                               "Connection\" message; a restart usually cures it.");
            SERVICE_PROPOSE(row, REPAIR_RESTART_SERVICE);
        } else {
            finding(row, DIAG_INFO, NULL);
            diag_evidence(row, "It is in \"%s\" and still making progress; check again in a moment.",
                          state_words(facts->state));
        }
    } else if (facts->state == SVC_STATE_PAUSED) {
        finding(row, DIAG_WARNING, "Cryptographic Services is paused.");
        diag_evidence(row, "A paused service answers nothing; a restart brings it back.");
        SERVICE_PROPOSE(row, REPAIR_RESTART_SERVICE);
    }

    if (!running && !svc_state_is_pending(facts->state) && facts->state != SVC_STATE_PAUSED) {
        if (facts->start_type == SVC_START_DISABLED) {
            finding(row, DIAG_PROBLEM, "Cryptographic Services is disabled and stopped.");
            diag_evidence(row, "Windows Update and driver installs fail while it is disabled, for example "
                               "with \"Setup could not verify the integrity of the file Update.inf\" (the source article).");
        } else if (!automatic) {
            finding(row, DIAG_PROBLEM, "Cryptographic Services is stopped and set to Manual.");
            diag_evidence(row, "Windows Update and Windows File Protection do not work when it is not set to "
                               "Automatic (the source article).");
        } else {
            finding(row, DIAG_PROBLEM, "Cryptographic Services is stopped.");
            diag_evidence(row, "It is set to Automatic but is not running; updates and driver installs fail until it runs.");
        }
        if (facts->win32_exit_code && facts->win32_exit_code != 1077)
            diag_evidence(row, "It last stopped with error %u%s.", (unsigned)facts->win32_exit_code,
                          facts->service_exit_code ? " (service-specific code below)" : "");
        if (facts->service_exit_code)
            diag_evidence(row, "Service-specific exit code: %u.", (unsigned)facts->service_exit_code);
        SERVICE_PROPOSE(row, automatic ? REPAIR_START_SERVICE : REPAIR_SET_AUTOMATIC);
    } else if (!automatic && facts->start_type != SVC_START_AUTO) {
        finding(row, DIAG_WARNING, facts->start_type == SVC_START_DISABLED
                    ? "Cryptographic Services is set to Disabled; it will not start after the next restart."
                    : "Cryptographic Services is set to Manual, not Automatic.");
        diag_evidence(row, "It runs now, but Windows Update and Windows File Protection need it set to "
                           "Automatic (the source article).");
        SERVICE_PROPOSE(row, REPAIR_SET_AUTOMATIC);
    } else if (automatic && facts->delayed_auto > 0) {
        finding(row, DIAG_INFO, NULL);
        diag_evidence(row, "It starts with a delay after boot; Windows' default starts it at once (DelayedAutoStart 0).");
    }
}

static void service_policy_rules(const struct rules_service_facts *facts, struct diag_row *row)
{
    char words[96];

    if (facts->policy_error == RULES_NOT_RUN) return;
    if (facts->policy_error && facts->policy_error != E_FILE_NOT_FOUND && facts->policy_error != E_PATH_NOT_FOUND) {
        rules_error_words(facts->policy_error, words, sizeof(words));
        diag_evidence(row, "could not check whether Group Policy sets its start type: reading the "
                           "applied policy templates failed: %s.", words);
        return;
    }
    if (!facts->policy_found) {
        diag_evidence(row, "No applied Group Policy sets its start type.");
        return;
    }
    if (facts->policy_mode == 2) {
        diag_evidence(row, "Group Policy sets it to Automatic (%s).", facts->policy_file);
        return;
    }
    finding(row, DIAG_WARNING, facts->policy_mode == 4 ? "Group Policy forces Cryptographic Services to Disabled."
                                                       : "Group Policy forces Cryptographic Services to Manual.");
    diag_evidence(row, "Group Policy sets it to %s; a start type set here is set back at the next policy refresh. "
                       "Ask whoever manages the policy.", mode_words(facts->policy_mode));
    diag_evidence(row, "Where: Security Settings > System Services, applied from %s.", facts->policy_file);
}

static void service_config_rules(const struct rules_service_facts *facts, struct diag_row *row)
{
    const struct rules_recommended *image = rules_recommended(RULES_IMAGE_PATH, &facts->version);
    const struct rules_recommended *account = rules_recommended(RULES_ACCOUNT, &facts->version);

    if (image && facts->image_path[0]) {
        int same = rules_same_command(facts->image_path, image->text, facts->windows_dir) ||
                   (image->also_text && rules_same_command(facts->image_path, image->also_text, facts->windows_dir));
        if (!same) {
            finding(row, DIAG_WARNING, "Cryptographic Services is not set to run in Windows' own host process.");
            diag_evidence(row, "Its command line is %s; Windows runs it as %s.", facts->image_path, image->text);
        }
    }
    if (facts->pid) {
        if (facts->host_image[0]) diag_evidence(row, "It runs in %s, process ID %u.", facts->host_image, (unsigned)facts->pid);
        else diag_evidence(row, "It runs in process ID %u.", (unsigned)facts->pid);
    }
    if (account && facts->account[0] && !equal_nocase(facts->account, account->text) &&
        !(facts->version.major >= 6 && equal_nocase(facts->account, "NT AUTHORITY\\Network Service"))) {
        finding(row, DIAG_WARNING, "Cryptographic Services runs under an unexpected account.");
        diag_evidence(row, "It runs as \"%s\"; Windows runs it as \"%s\".", facts->account, account->text);
    }
}

static void service_dependency_rules(const struct rules_service_facts *facts, struct diag_row *row)
{
    char words[96], list[DIAG_EVIDENCE_LENGTH] = "";
    int has_rpcss = 0;

    if (facts->depends_error) {
        rules_error_words(facts->depends_error, words, sizeof(words));
        diag_evidence(row, "could not check what it depends on: %s.", words);
    } else {
        for (unsigned i = 0; i < facts->depends_count && i < 8; i++)
            if (equal_nocase(facts->depends[i], "RpcSs")) has_rpcss = 1;
        if (!has_rpcss) {
            finding(row, DIAG_WARNING, "Cryptographic Services does not list Remote Procedure Call as a dependency.");
            diag_evidence(row, "Its DependOnService does not name RpcSs; Windows' own configuration does (the source article).");
        }
    }
    for (unsigned i = 0; i < facts->dependents_count && i < 8; i++) {
        char item[RULES_NAME_LENGTH + 40];
        const struct rules_link *link = &facts->dependents[i];
        diag_format(item, sizeof(item), "%s%s (%s)", list[0] ? ", " : "", link->name,
                    link->error ? "could not be queried" : state_words(link->state));
        if (strlen(list) + strlen(item) + 1 < sizeof(list) - 40) strcat(list, item);
    }
    if (list[0]) diag_evidence(row, "Services that depend on it: %s.", list);
}

static void service_extra_rules(const struct rules_service_facts *facts, struct diag_row *row)
{
    const struct rules_recommended *dll = rules_recommended(RULES_SERVICE_DLL, &facts->version);
    const struct rules_recommended *failure = rules_recommended(RULES_FAILURE_ACTIONS, &facts->version);
    const struct rules_recommended *sid = rules_recommended(RULES_SERVICE_SID_TYPE, &facts->version);
    char words[96];

    if (facts->service_dll_error == E_FILE_NOT_FOUND) {
        finding(row, DIAG_WARNING, "Cryptographic Services has no service DLL set.");
        diag_evidence(row, "Parameters\\ServiceDll is missing; Windows sets it to %s.", dll->text);
    } else if (facts->service_dll_error && facts->service_dll_error != RULES_NOT_RUN) {
        rules_error_words(facts->service_dll_error, words, sizeof(words));
        diag_evidence(row, "could not check its service DLL: %s.", words);
    } else if (!facts->service_dll_error && !rules_same_command(facts->service_dll, dll->text, facts->windows_dir)) {
        finding(row, DIAG_WARNING, "Cryptographic Services loads an unexpected service DLL.");
        diag_evidence(row, "Its service DLL is \"%s\"; Windows uses \"%s\".", facts->service_dll, dll->text);
    }

    if (failure && facts->failure_error != RULES_NOT_RUN) {
        if (facts->failure_error) {
            rules_error_words(facts->failure_error, words, sizeof(words));
            diag_evidence(row, "could not check its recovery actions: %s.", words);
        } else if (facts->failure_count == 0 || facts->failure_first_type != SC_ACTION_RESTART_TYPE) {
            finding(row, DIAG_INFO, NULL);
            diag_evidence(row, "It is not restarted after a failure; Windows' default is to %s.", failure->text);
        } else if (facts->failure_first_delay_ms != failure->number) {
            finding(row, DIAG_INFO, NULL);
            diag_evidence(row, "After a failure it is restarted after %u s; Windows' default is 60 s.",
                          (unsigned)(facts->failure_first_delay_ms / 1000));
        }
    }
    if (sid && facts->sid_error != RULES_NOT_RUN) {
        if (facts->sid_error) {
            rules_error_words(facts->sid_error, words, sizeof(words));
            diag_evidence(row, "could not check its service SID type: %s.", words);
        } else if (facts->sid_type != sid->number) {
            finding(row, DIAG_INFO, NULL);
            diag_evidence(row, "Its service SID type is %u; Windows' default is 1 (unrestricted).", (unsigned)facts->sid_type);
        }
    }
}

void rules_service_row(const struct rules_service_facts *facts, struct diag_row *row)
{
    const struct rules_recommended *start = rules_recommended(RULES_START_TYPE, &facts->version);
    const struct rules_recommended *state = rules_recommended(RULES_STATE, &facts->version);

    row_begin(row, DIAG_SERVICE);
    diag_format(row->recommended, sizeof(row->recommended), "%s, %s", state->text, start->text);
    if (facts->query_error) {
        service_query_failed(facts, row);
        return;
    }
    row->severity = DIAG_OK;
    diag_format(row->current, sizeof(row->current), "%s, %s", state_words(facts->state),
                start_words(facts->start_type, facts->delayed_auto));
    service_state_rules(facts, row);
    if (facts->version_error) {
        char words[96];
        rules_error_words(facts->version_error, words, sizeof(words));
        diag_evidence(row, "could not check which Windows this is (%s); the newest Windows' values are used.", words);
    }
    service_policy_rules(facts, row);
    service_config_rules(facts, row);
    service_dependency_rules(facts, row);
    service_extra_rules(facts, row);
}

/* ---- dependencies and dependents ------------------------------------------------------- */

void rules_dependency_row(enum diag_component component, const struct rules_dependency_facts *facts,
                          struct diag_row *row)
{
    char words[96], headline[DIAG_HEADLINE_LENGTH];

    row_begin(row, component);
    if (component == DIAG_SUPPORTED_APPID && !rules_recommended(RULES_APPID_EXISTS, &facts->version)) {
        row->severity = DIAG_OK;
        diag_copy(row->current, sizeof(row->current), "Not applicable");
        diag_copy(row->recommended, sizeof(row->recommended), "Not applicable");
        diag_evidence(row, "Application Identity depends on Cryptographic Services from Windows 7 on (the source article).");
        return;
    }
    diag_copy(row->recommended, sizeof(row->recommended),
              component == DIAG_DEPENDENCY_RPCSS ? "Running, Automatic" : "Not disabled (Windows starts it when needed)");
    if (facts->query_error) {
        rules_error_words(facts->query_error, words, sizeof(words));
        if (facts->query_error == E_SERVICE_DOES_NOT_EXIST) {
            row->severity = DIAG_OK;
            diag_copy(row->current, sizeof(row->current), "Not installed");
            if (component == DIAG_DEPENDENCY_RPCSS)
                finding(row, DIAG_PROBLEM, "Remote Procedure Call is not installed.");
            else
                finding(row, DIAG_INFO, NULL);
            diag_evidence(row, "Windows has no service by this name.");
        } else {
            diag_copy(row->current, sizeof(row->current), "Unknown");
            diag_evidence(row, "could not check: %s.", words);
        }
        return;
    }
    row->severity = DIAG_OK;
    diag_format(row->current, sizeof(row->current), "%s, %s", state_words(facts->state),
                start_words(facts->start_type, facts->delayed_auto));
    if (component == DIAG_DEPENDENCY_RPCSS) {
        if (facts->state != SVC_STATE_RUNNING) {
            finding(row, DIAG_PROBLEM, "Remote Procedure Call, which Cryptographic Services needs, is not running.");
            diag_evidence(row, "Cryptographic Services depends on Remote Procedure Call (the source article); "
                               "it cannot start without it.");
            row->repair = REPAIR_START_DEPENDENCY;
            diag_copy(row->repair_target, sizeof(row->repair_target), "RpcSs");
        } else {
            diag_evidence(row, "Cryptographic Services depends on it, and it is running.");
        }
        if (facts->listed == 0)
            diag_evidence(row, "Cryptographic Services' DependOnService does not name it (see the service row).");
        return;
    }
    if (facts->start_type == SVC_START_DISABLED) {
        diag_format(headline, sizeof(headline), "%s is disabled.",
                    component == DIAG_SUPPORTED_WUAUSERV ? "Windows Update" : "Application Identity");
        finding(row, component == DIAG_SUPPORTED_WUAUSERV ? DIAG_WARNING : DIAG_INFO,
                component == DIAG_SUPPORTED_WUAUSERV ? headline : NULL);
        if (component == DIAG_SUPPORTED_WUAUSERV)
            diag_evidence(row, "Windows Update reports 0x80070422 while its service is disabled; this is not "
                               "a Cryptographic Services fault, and this tool does not change it.");
        else
            diag_evidence(row, "It is disabled; AppLocker rules then do not apply. Nothing here depends on it.");
    } else if (component == DIAG_SUPPORTED_WUAUSERV) {
        diag_evidence(row, "Windows Update needs Cryptographic Services running to check the signatures "
                           "of updates (the source article).");
    } else {
        diag_evidence(row, "It depends on Cryptographic Services%s.",
                      facts->listed == 0 ? ", though its DependOnService does not name it here" : "");
    }
}

/* ---- the catalog database row ---------------------------------------------------------- */

static const enum diag_repair catalog_repair_order[] = {
    REPAIR_REBUILD_CATALOG, REPAIR_CLEAR_LOGS, REPAIR_RESTART_SERVICE, REPAIR_REREGISTER_DLLS,
};
#define CATALOG_PROPOSE(row, repair) \
    propose(row, repair, catalog_repair_order, sizeof(catalog_repair_order) / sizeof(catalog_repair_order[0]))

static void catalog_db_rules(const struct rules_catalog_facts *facts, struct diag_row *row, int *checked)
{
    const struct rules_catdb_facts *db = &facts->db;
    unsigned shown = db->evidence_count < 8 ? db->evidence_count : 8;

    switch (db->verdict) {
    case RULES_CATDB_NOT_CHECKED:
        diag_evidence(row, "database not checked yet%s%s.", db->reason[0] ? ": " : "", db->reason);
        return;
    case RULES_CATDB_HEALTHY:
        finding(row, DIAG_OK, NULL);
        break;
    case RULES_CATDB_SUSPICIOUS:
        finding(row, DIAG_WARNING, db->logs_only ? "The catalog database's log files are piling up."
                                                 : "The catalog database looks suspicious.");
        if (db->logs_only) CATALOG_PROPOSE(row, REPAIR_CLEAR_LOGS);
        break;
    case RULES_CATDB_CORRUPT:
        finding(row, DIAG_PROBLEM, db->logs_only ? "The catalog database's log files are damaged or piling up."
                                                 : "The catalog database looks corrupt.");
        CATALOG_PROPOSE(row, db->logs_only ? REPAIR_CLEAR_LOGS : REPAIR_REBUILD_CATALOG);
        break;
    case RULES_CATDB_NOT_READABLE:
        if (db->in_use) {
            finding(row, DIAG_INFO, NULL);
            diag_evidence(row, "The database is in use by the running service; a deep check stops the service briefly.");
        } else {
            finding(row, DIAG_WARNING, "The catalog database could not be read.");
        }
        break;
    case RULES_CATDB_MISSING:
        finding(row, DIAG_INFO, NULL);
        diag_evidence(row, "catroot2 holds no catalog database; Windows creates it again when the service starts.");
        break;
    }
    *checked = 1;
    if (db->summary[0]) diag_evidence(row, "%s", db->summary);
    for (unsigned i = 0; i < shown; i++) diag_evidence(row, "%s", db->evidence[i]);
    if (db->catroot_missing || (db->verdict != RULES_CATDB_NOT_CHECKED && db->catroot_cat_count == 0)) {
        if (facts->wine) {
            diag_evidence(row, "could not check System32\\catroot: Wine ships no catalog files.");
        } else {
            finding(row, DIAG_PROBLEM, "System32\\catroot holds no catalog files.");
            diag_evidence(row, "System32\\catroot\\{F750E6C3-...} has no .cat files; Windows does not recreate "
                               "catroot (KB822798: do not rename it). An in-place upgrade restores it.");
        }
    }
}

static int is_not_found(uint32_t error)
{
    return error == E_FILE_NOT_FOUND || error == E_NOT_FOUND || error == H_CRYPT_NOT_FOUND;
}

static void catalog_api_rules(const struct rules_catalog_facts *facts, struct diag_row *row, int *checked)
{
    char words[96];

    if (facts->api_error == RULES_NOT_RUN) return;
    rules_error_words(facts->api_error, words, sizeof(words));
    if (facts->api_error == RULES_TIMED_OUT) {
        *checked = 1;
        finding(row, DIAG_PROBLEM, "The catalog service does not answer.");
        diag_evidence(row, "Looking up the catalog of %s did not finish in time.", facts->probe_file);
        CATALOG_PROPOSE(row, REPAIR_RESTART_SERVICE);
        return;
    }
    if (facts->api_error) {
        if (facts->wine && (is_not_found(facts->api_error) || facts->api_error == E_CALL_NOT_IMPLEMENTED)) {
            diag_evidence(row, "could not check the catalog lookup: Wine has no catalogs for its system files "
                               "(%s: %s).", facts->api_step, words);
            return;
        }
        *checked = 1;
        if (facts->api_error == E_DATABASE_FAILURE) {
            finding(row, DIAG_PROBLEM, "The catalog database fails when Windows looks up a signature.");
            diag_evidence(row, "%s reports a database failure for %s.", facts->api_step, facts->probe_file);
            CATALOG_PROPOSE(row, REPAIR_REBUILD_CATALOG);
        } else if (is_not_found(facts->api_error)) {
            finding(row, DIAG_PROBLEM, "Windows cannot find the catalog of its own system files.");
            diag_evidence(row, "No catalog lists %s (%s: %s); KB822798 rebuilds catroot2 for this.",
                          facts->probe_file, facts->api_step, words);
            CATALOG_PROPOSE(row, REPAIR_REBUILD_CATALOG);
        } else {
            *checked = 0;
            diag_evidence(row, "could not check the catalog lookup: %s failed: %s.", facts->api_step, words);
        }
        return;
    }
    *checked = 1;
    diag_evidence(row, "Found the catalog of %s (%s hash): %s.", facts->probe_file,
                  facts->hash_bits == 256 ? "SHA-256" : "SHA-1", facts->catalog_file);
    if (facts->trust_result == RULES_NOT_RUN) return;
    if (facts->trust_result == 0) {
        diag_evidence(row, "WinVerifyTrust confirms its signature through that catalog.");
    } else {
        rules_error_words(facts->trust_result, words, sizeof(words));
        finding(row, DIAG_PROBLEM, "Windows cannot confirm the signature of its own system files.");
        diag_evidence(row, "WinVerifyTrust in catalog mode failed: %s (KB813442).", words);
        CATALOG_PROPOSE(row, REPAIR_REREGISTER_DLLS);
    }
}

static void catalog_event_rules(const struct rules_catalog_facts *facts, struct diag_row *row)
{
    char words[96];

    if (facts->events_error == RULES_NOT_RUN) return;
    if (facts->events_error) {
        rules_error_words(facts->events_error, words, sizeof(words));
        diag_evidence(row, "could not check the Application log: %s.", words);
        return;
    }
    if (facts->capi2_256 || facts->capi2_257) {
        finding(row, DIAG_PROBLEM, "Cryptographic Services failed to open the catalog database.");
        diag_evidence(row, "The Application log has %u CAPI2 event%s 256/257 in the last %u days: \"failed to "
                           "initialize the Catalog Database\"; Microsoft's cure is a new catroot2.",
                      facts->capi2_256 + facts->capi2_257, facts->capi2_256 + facts->capi2_257 == 1 ? "" : "s",
                      facts->event_days);
        CATALOG_PROPOSE(row, REPAIR_REBUILD_CATALOG);
    }
    if (facts->esent_471) {
        finding(row, DIAG_PROBLEM, "The catalog database rejects updates.");
        diag_evidence(row, "ESENT event 471 about catroot2 (%u in the last %u days): the database rejects "
                           "further updates (KB977893).", facts->esent_471, facts->event_days);
        CATALOG_PROPOSE(row, REPAIR_REBUILD_CATALOG);
    }
    if (facts->esent_623) {
        finding(row, DIAG_WARNING, "The catalog database reports ESENT errors.");
        diag_evidence(row, "ESENT event 623 about the catalog database (%u in the last %u days).",
                      facts->esent_623, facts->event_days);
        CATALOG_PROPOSE(row, REPAIR_CLEAR_LOGS);
    }
    if (!facts->capi2_256 && !facts->capi2_257 && !facts->esent_471 && !facts->esent_623)
        diag_evidence(row, "No catalog database errors in the Application log in the last %u days.", facts->event_days);
    else if (facts->last_event[0])
        diag_evidence(row, "Newest: %s", facts->last_event);
}

static const char *catalog_current(const struct rules_catalog_facts *facts, const struct diag_row *row, int db_checked)
{
    if (row->severity == DIAG_PROBLEM) return "Failing";
    if (row->severity == DIAG_WARNING) return "Needs attention";
    if (!db_checked) return "Working (database not checked yet)";
    switch (facts->db.verdict) {
    case RULES_CATDB_MISSING: return "No database yet (Windows makes it)";
    case RULES_CATDB_NOT_READABLE: return facts->db.in_use ? "In use (not read)" : "Not readable";
    default: return "Healthy";
    }
}

void rules_catalog_row(const struct rules_catalog_facts *facts, struct diag_row *row)
{
    int db_checked = 0, api_checked = 0;

    row_begin(row, DIAG_CATALOG_DB);
    diag_copy(row->recommended, sizeof(row->recommended), "Healthy; confirms the signatures of Windows files");
    if (facts->remote) {
        diag_copy(row->current, sizeof(row->current), "Not checked");
        diag_evidence(row, "could not check: the catalog checks run only on this computer.");
        return;
    }
    /* Judged as checked; put back to "not checked" below when neither the database nor the
     * catalog API could be looked at and nothing else was found. */
    row->severity = DIAG_OK;
    catalog_db_rules(facts, row, &db_checked);
    catalog_api_rules(facts, row, &api_checked);
    catalog_event_rules(facts, row);
    if (!db_checked && !api_checked && diag_severity_rank(row->severity) <= diag_severity_rank(DIAG_INFO)) {
        row->severity = DIAG_NOT_CHECKED;
        diag_copy(row->current, sizeof(row->current), "Not checked");
        return;
    }
    diag_copy(row->current, sizeof(row->current), catalog_current(facts, row, db_checked));
}

/* ---- the protected root row ------------------------------------------------------------ */

void rules_root_row(const struct rules_root_facts *facts, struct diag_row *row)
{
    char words[96];

    row_begin(row, DIAG_PROTECTED_ROOT);
    diag_copy(row->recommended, sizeof(row->recommended), "Root stores open and hold Microsoft's roots");
    if (facts->remote) {
        diag_copy(row->current, sizeof(row->current), "Not checked");
        diag_evidence(row, "could not check: the certificate stores are read only on this computer.");
        return;
    }
    if (facts->lm_error) {
        rules_error_words(facts->lm_error, words, sizeof(words));
        diag_copy(row->current, sizeof(row->current), "Failing");
        finding(row, DIAG_PROBLEM, "The computer's trusted root certificate store does not open.");
        diag_evidence(row, "Opening the Local Machine Root store failed: %s.", words);
        row->repair = REPAIR_REREGISTER_DLLS;
        return;
    }
    row->severity = DIAG_OK;
    diag_evidence(row, "The Local Machine Root store holds %u certificates.", (unsigned)facts->lm_count);
    if (facts->lm_count == 0) {
        finding(row, DIAG_PROBLEM, "The computer trusts no root certificates.");
        diag_evidence(row, "Secure sites and signature checks fail without root certificates (KB813444).");
        row->repair = REPAIR_REFRESH_ROOT_LIST;
    }
    if (facts->cu_error) {
        rules_error_words(facts->cu_error, words, sizeof(words));
        finding(row, DIAG_WARNING, "This user's root certificate store does not open.");
        diag_evidence(row, "Opening the Current User Root store failed: %s.", words);
    } else {
        diag_evidence(row, "This user's Root store shows %u certificates.", (unsigned)facts->cu_count);
    }
    if (facts->ms_error) {
        rules_error_words(facts->ms_error, words, sizeof(words));
        diag_evidence(row, "could not check for the Microsoft roots: %s.", words);
    } else if (facts->ms_checked) {
        if (facts->ms_missing_count) {
            char list[DIAG_EVIDENCE_LENGTH] = "";
            for (unsigned i = 0; i < facts->ms_missing_count && i < 4; i++) {
                if (list[0]) strncat(list, ", ", sizeof(list) - strlen(list) - 1);
                strncat(list, facts->ms_missing[i], sizeof(list) - strlen(list) - 1);
            }
            finding(row, DIAG_WARNING, "Microsoft root certificates are missing.");
            diag_evidence(row, "Missing from the Local Machine Root store: %s (KB822798 method 3).", list);
            if (row->repair == REPAIR_NONE) row->repair = REPAIR_REFRESH_ROOT_LIST;
        } else {
            diag_evidence(row, "All %u Microsoft roots Windows needs are present.", facts->ms_checked);
        }
    }
    switch (facts->protected_roots) {
    case RULES_PRESENT:
        diag_evidence(row, "The protected root list of this user is present.");
        break;
    case RULES_DENIED:
        diag_evidence(row, "The protected root list of this user is present (only the system may read it).");
        break;
    case RULES_ABSENT:
        if (facts->wine) {
            diag_evidence(row, "could not check the protected root list: Wine does not keep one.");
        } else {
            finding(row, DIAG_INFO, NULL);
            diag_evidence(row, "This user has no protected root list (ProtectedRoots); the service creates it when it manages this user's roots.");
        }
        break;
    case RULES_UNKNOWN:
        rules_error_words(facts->protected_roots_error, words, sizeof(words));
        diag_evidence(row, "could not check the protected root list: %s.", words);
        break;
    }
    diag_copy(row->current, sizeof(row->current),
              row->severity == DIAG_PROBLEM ? "Failing" : row->severity == DIAG_WARNING ? "Incomplete" : "Working");
}

/* ---- the key service row --------------------------------------------------------------- */

void rules_key_row(const struct rules_key_facts *facts, struct diag_row *row)
{
    char words[96];

    row_begin(row, DIAG_KEY_SERVICE);
    diag_copy(row->recommended, sizeof(row->recommended), "Providers open; machine key folder readable");
    if (facts->remote) {
        diag_copy(row->current, sizeof(row->current), "Not checked");
        diag_evidence(row, "could not check: the cryptographic providers are tried only on this computer.");
        return;
    }
    row->severity = DIAG_OK;
    if (facts->capi_error) {
        rules_error_words(facts->capi_error, words, sizeof(words));
        finding(row, DIAG_PROBLEM, "The default cryptographic provider does not open.");
        diag_evidence(row, "The RSA and AES provider did not open: %s; KB822798 registers rsaenh.dll again.", words);
        row->repair = REPAIR_REREGISTER_DLLS;
    } else if (facts->random_error) {
        rules_error_words(facts->random_error, words, sizeof(words));
        finding(row, DIAG_PROBLEM, "The default cryptographic provider fails.");
        diag_evidence(row, "The RSA and AES provider opened but could not make random numbers: %s.", words);
        row->repair = REPAIR_REREGISTER_DLLS;
    } else {
        diag_evidence(row, "The RSA and AES provider opens and makes random numbers.");
    }
    if (facts->cng_error) {
        rules_error_words(facts->cng_error, words, sizeof(words));
        finding(row, DIAG_WARNING, "The key storage provider does not open.");
        diag_evidence(row, "The Microsoft Software Key Storage Provider did not open: %s (it also needs CNG Key Isolation).", words);
    } else {
        diag_evidence(row, "The Microsoft Software Key Storage Provider opens.");
    }
    if (facts->machine_keys_error == RULES_NOT_RUN) {
        /* nothing to say */
    } else if (facts->machine_keys_error == E_FILE_NOT_FOUND || facts->machine_keys_error == E_PATH_NOT_FOUND) {
        if (facts->wine) {
            diag_evidence(row, "could not check the machine key folder: Wine keeps machine keys in the registry.");
        } else {
            finding(row, DIAG_WARNING, "The machine key folder is missing.");
            diag_evidence(row, "%s does not exist; enrolling this computer for certificates needs it.", facts->machine_keys_path);
        }
    } else if (facts->machine_keys_error) {
        rules_error_words(facts->machine_keys_error, words, sizeof(words));
        diag_evidence(row, "could not check the machine key folder: %s.", words);
    } else if (!facts->machine_keys_is_dir) {
        finding(row, DIAG_WARNING, "The machine key folder is not a folder.");
        diag_evidence(row, "%s is a file, not a folder.", facts->machine_keys_path);
    } else if (facts->machine_keys_list_error) {
        rules_error_words(facts->machine_keys_list_error, words, sizeof(words));
        finding(row, DIAG_WARNING, "The machine key folder cannot be read.");
        diag_evidence(row, "Listing %s failed: %s; by default everyone may list it (KB278381).",
                      facts->machine_keys_path, words);
    } else {
        diag_evidence(row, "The machine key folder is present and readable.");
    }
    if (facts->machine_guid_error == E_FILE_NOT_FOUND) {
        finding(row, DIAG_WARNING, "This computer has no cryptography machine ID.");
        diag_evidence(row, "HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MachineGuid is missing.");
    } else if (facts->machine_guid_error && facts->machine_guid_error != RULES_NOT_RUN) {
        rules_error_words(facts->machine_guid_error, words, sizeof(words));
        diag_evidence(row, "could not check MachineGuid: %s.", words);
    }
    diag_copy(row->current, sizeof(row->current),
              row->severity == DIAG_PROBLEM ? "Failing" : row->severity == DIAG_WARNING ? "Needs attention" : "Working");
}

/* ---- the automatic root certificate update row ----------------------------------------- */

static unsigned age_days(uint64_t now, uint64_t then)
{
    return now > then ? (unsigned)((now - then) / FILETIME_PER_DAY) : 0;
}

static void root_update_trust_state(const struct rules_root_update_facts *facts, struct diag_row *row,
                                    uint32_t error, uint32_t value, const char *whose)
{
    const struct rules_recommended *state = rules_recommended(RULES_WINTRUST_STATE, &facts->version);
    char words[96];

    if (error == RULES_NOT_RUN) return;
    if (error == E_FILE_NOT_FOUND) {
        diag_evidence(row, "The signature-check setting (WinTrust State) of %s is not set; Windows uses its default.", whose);
    } else if (error) {
        rules_error_words(error, words, sizeof(words));
        diag_evidence(row, "could not check the signature-check setting of %s: %s.", whose, words);
    } else if (value == state->number || value == 0x23e00) {
        diag_evidence(row, "The signature-check setting (WinTrust State) of %s is 0x%x, a valid value.", whose, (unsigned)value);
    } else {
        finding(row, DIAG_WARNING, "A signature-check setting differs from Windows' default.");
        diag_evidence(row, "WinTrust State of %s is 0x%x, not 0x23c00; KB2715304: a wrong value makes signature "
                           "checks fail with 0x80092026.", whose, (unsigned)value);
        row->repair = REPAIR_RESET_WINTRUST_STATE;
    }
}

static void root_update_list_rules(const struct rules_root_update_facts *facts, struct diag_row *row)
{
    const struct rules_recommended *list_age = rules_recommended(RULES_ROOT_LIST_MAX_AGE, &facts->version);
    const struct rules_recommended *sync_age = rules_recommended(RULES_ROOT_SYNC_MAX_AGE, &facts->version);
    char words[96];

    if (facts->sync_error == RULES_NOT_RUN) {
        /* not attempted */
    } else if (facts->wine && (facts->sync_error == E_FILE_NOT_FOUND || facts->sync_error == E_PATH_NOT_FOUND)) {
        diag_evidence(row, "could not check the root list sync: Wine has no automatic root update.");
    } else if (facts->sync_error == E_FILE_NOT_FOUND) {
        finding(row, DIAG_INFO, NULL);
        diag_evidence(row, "Windows has not recorded a sync of the root list.");
    } else if (facts->sync_error) {
        rules_error_words(facts->sync_error, words, sizeof(words));
        diag_evidence(row, "could not check when the root list was last synced: %s.", words);
    } else {
        unsigned days = age_days(facts->now, facts->last_sync);
        diag_evidence(row, "The root list was last synced %u day%s ago.", days, days == 1 ? "" : "s");
        if (days > sync_age->number) finding(row, DIAG_INFO, NULL);
    }

    if (facts->ctl_error == RULES_NOT_RUN || (facts->wine && facts->ctl_error)) {
        /* not attempted, or said above */
    } else if (facts->ctl_error == E_FILE_NOT_FOUND) {
        diag_evidence(row, "No root list is cached yet.");
    } else if (facts->ctl_error) {
        rules_error_words(facts->ctl_error, words, sizeof(words));
        finding(row, DIAG_WARNING, "The cached root certificate list cannot be read.");
        diag_evidence(row, "The cached root list (EncodedCtl) did not parse: %s.", words);
        row->repair = REPAIR_REFRESH_ROOT_LIST;
    } else {
        unsigned days = age_days(facts->now, facts->ctl_this_update);
        diag_evidence(row, "The cached root list has %u entries and is %u days old.", (unsigned)facts->ctl_entries, days);
        if (days > list_age->number) {
            finding(row, DIAG_WARNING, "The root certificate list is out of date.");
            diag_evidence(row, "A list older than %s means updates of it stopped.", list_age->text);
            row->repair = REPAIR_REFRESH_ROOT_LIST;
        }
    }
}

void rules_root_update_row(const struct rules_root_update_facts *facts, struct diag_row *row)
{
    char words[96];

    row_begin(row, DIAG_ROOT_UPDATE);
    if (!rules_recommended(RULES_ROOT_UPDATE_EXISTS, &facts->version)) {
        row->severity = DIAG_OK;
        diag_copy(row->current, sizeof(row->current), "Not applicable");
        diag_copy(row->recommended, sizeof(row->recommended), "Not applicable");
        diag_evidence(row, "Automatic Root Certificate Update exists from Windows Vista on (the source article).");
        return;
    }
    diag_copy(row->recommended, sizeof(row->recommended), "Enabled; root list up to date");
    if (facts->remote) {
        diag_copy(row->current, sizeof(row->current), "Not checked");
        diag_evidence(row, "could not check: root certificate update is checked only on this computer.");
        return;
    }
    row->severity = DIAG_OK;
    if (facts->policy_error && facts->policy_error != E_FILE_NOT_FOUND && facts->policy_error != RULES_NOT_RUN) {
        rules_error_words(facts->policy_error, words, sizeof(words));
        diag_evidence(row, "could not check the root update policy: %s.", words);
    } else if (facts->disable_root_auto_update > 0) {
        finding(row, DIAG_WARNING, "Group Policy turns off Automatic Root Certificate Update.");
        diag_evidence(row, "DisableRootAutoUpdate is 1: Windows will not fetch new root certificates. In a network "
                           "that hands out roots itself this is intended.");
    } else {
        diag_evidence(row, "No policy turns it off.");
    }
    if (facts->enable_disallowed_auto_update == 0)
        diag_evidence(row, "Policy turns off updates of the untrusted certificate list (EnableDisallowedCertAutoUpdate 0).");
    root_update_list_rules(facts, row);
    if (facts->events_error != RULES_NOT_RUN) {
        if (facts->events_error) {
            rules_error_words(facts->events_error, words, sizeof(words));
            diag_evidence(row, "could not check the Application log: %s.", words);
        } else if (facts->capi2_4107 || facts->capi2_11) {
            finding(row, DIAG_WARNING, "Windows fails to extract the root certificate list.");
            diag_evidence(row, "CAPI2 events 4107/11 (%u in the last %u days): \"Failed extract of third-party root "
                               "list from auto update cab\"; clearing the cached list cures it (KB2328240).",
                          facts->capi2_4107 + facts->capi2_11, facts->event_days);
            row->repair = row->repair == REPAIR_NONE ? REPAIR_REFRESH_ROOT_LIST : row->repair;
        }
    }
    root_update_trust_state(facts, row, facts->trust_state_error, facts->trust_state, "this user");
    root_update_trust_state(facts, row, facts->trust_state_default_error, facts->trust_state_default,
                            "the system services (.DEFAULT)");
    diag_copy(row->current, sizeof(row->current),
              facts->disable_root_auto_update > 0 ? "Turned off by policy"
              : row->severity == DIAG_WARNING ? "Needs attention" : "Enabled");
}
